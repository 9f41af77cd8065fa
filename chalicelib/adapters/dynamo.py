"""What every PynamoDB model's Meta shares: region and the client's timeouts and retries, from settings.

Also one botocore session per thread for all models. PynamoDB makes a new session for every model's
connection, and each new session parses botocore's DynamoDB service model again (about 0.1–0.2 s of
JSON each): a Lambda touching five tables paid that five times on a cold start, a test creating
thirteen tables thirteen times. One session per thread keeps botocore's rule (sessions are not
shared across threads) and parses the model once.
"""

import threading
from typing import cast

import botocore.session
import pynamodb.connection.base as _pynamodb_base
from pynamodb.attributes import ListAttribute, UnicodeAttribute

from chalicelib.core.config import settings

_cfg = settings()
_local = threading.local()


def _thread_session() -> botocore.session.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = botocore.session.get_session()
    return session


# PynamoDB imports botocore's get_session without re-exporting it, and calls it with no argument.
_pynamodb_base.get_session = _thread_session  # type: ignore[attr-defined, assignment]


class TableMeta:
    """Base for a model's `Meta` (PynamoDB reads Meta with getattr, so inherited values apply)."""

    region = _cfg.region
    connect_timeout_seconds = _cfg.dynamodb_connect_timeout
    read_timeout_seconds = _cfg.dynamodb_read_timeout
    max_retry_attempts = _cfg.dynamodb_max_retries


def text_list(*, null: bool | None = None) -> ListAttribute[str]:
    """A list of strings. PynamoDB types `ListAttribute(of=UnicodeAttribute)` as a list of attributes
    (pynamodb/PynamoDB#1246); what it reads and writes is a list of `str`."""
    return cast("ListAttribute[str]", ListAttribute(of=UnicodeAttribute, null=null))
