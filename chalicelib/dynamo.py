"""What every PynamoDB model's Meta shares: region and the client's timeouts and retries, from settings."""

from chalicelib.config import settings

_cfg = settings()


class TableMeta:
    """Base for a model's `Meta` (PynamoDB reads Meta with getattr, so inherited values apply)."""

    region = _cfg.region
    connect_timeout_seconds = _cfg.dynamodb_connect_timeout
    read_timeout_seconds = _cfg.dynamodb_read_timeout
    max_retry_attempts = _cfg.dynamodb_max_retries
