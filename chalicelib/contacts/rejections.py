"""Inputs we could not accept: logged with the reason, kept for redrive, never retried blindly.

A rejection is permanent (the input cannot be a contact record: not JSON, not one
of the three shapes, no contact id, a time that is not a time). Retrying it would
fail the same way and block the good records behind it on a Kinesis shard, so it is
recorded here and acknowledged. Transient failures (throttling, timeouts) are
*not* rejections: they raise and the event source redelivers.

The raw input can hold a caller's number, so it is stored encrypted at rest in its
own table with a 30-day TTL and never written to the logs; the logs carry the
input's hash, source, reason and contact id.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger

_cfg = settings()
RETENTION = timedelta(days=30)


class InputRejected(ValueError):
    """The input can never be processed as it is; `reason` says why, in words an operator can act on."""

    def __init__(self, reason: str, contact_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.contact_id = contact_id


class RejectedInputItem(Model):
    """Access pattern: GetItem/PutItem by input_hash (a redelivery overwrites itself)."""

    class Meta(TableMeta):
        table_name = _cfg.rejections_table

    input_hash = UnicodeAttribute(hash_key=True)
    source = UnicodeAttribute()
    reason = UnicodeAttribute()
    contact_id = UnicodeAttribute(null=True)
    received_at = UnicodeAttribute()
    payload = UnicodeAttribute()
    expires_at = TTLAttribute()


@dataclass(frozen=True)
class Rejection:
    source: str
    reason: str
    input_hash: str
    contact_id: str | None
    ref: str | None = None  # e.g. a Kinesis sequence number


# Per thread: a replay with several workers sees each rejection in the worker that caused it.
class _Listening(threading.local):
    """Each thread's own listeners (a threading.local subclass runs __init__ once per thread)."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[Rejection], None]] = []


_local = _Listening()


def _listeners() -> list[Callable[[Rejection], None]]:
    return _local.listeners


@contextmanager
def listening(callback: Callable[[Rejection], None]) -> Iterator[None]:
    """Let a caller (the replay CLI, a test) see the rejections of what it runs."""
    _listeners().append(callback)
    try:
        yield
    finally:
        _listeners().remove(callback)


def reject(source: str, payload: str, error: InputRejected, ref: str | None = None) -> Rejection:
    now = datetime.now(UTC)
    digest = hashlib.sha256(payload.encode("utf-8", "replace")).hexdigest()
    rejection = Rejection(source, error.reason, digest, error.contact_id, ref)
    logger.warning(
        "input rejected",
        extra={
            "source": source,
            "reason": error.reason,
            "input_hash": digest,
            "contact_id": error.contact_id,
            "ref": ref,
        },
    )
    RejectedInputItem(
        digest,
        source=source,
        reason=error.reason,
        contact_id=error.contact_id,
        received_at=now.isoformat(),
        payload=payload[:350_000],
        expires_at=now + RETENTION,
    ).save()
    count("InputsRejected")
    for callback in list(_listeners()):
        callback(rejection)
    return rejection
