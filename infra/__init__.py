"""Çağrı's deployment as code: one CDK stack (dev, prod) around the Chalice app (issue 7)."""
