"""Çağrı: the deployed runtime. Everything under this package ships in the Lambda zip."""
