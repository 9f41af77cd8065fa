"""Adapters to AWS and the shared stores: DynamoDB plumbing, paging, Connect, Cognito, SES, the audit trail."""
