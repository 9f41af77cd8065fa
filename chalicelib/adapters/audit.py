"""The audit trail: who read or changed which record, when, and why (directive 9, KVKK art. 12).

One item per entry, filed under its subject ("referral#rf-…"), so a record's whole history is one
Query. Entries say what was touched, never the personal data itself.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.core.config import settings

_cfg = settings()
# Orders a process's entries written within the same millisecond (e.g. "answered" then "task started").
_sequence = itertools.count()


class AuditItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.audit_table

    subject = UnicodeAttribute(hash_key=True)  # e.g. "referral#rf-0123…"
    entry = UnicodeAttribute(range_key=True)  # "<UTC ISO>#<sequence>-<random>": time order, never a collision
    actor = UnicodeAttribute()  # "agent:<id>", "unit:<address>", "system:<job>"
    action = UnicodeAttribute()  # e.g. "read_question", "answered", "disclosed_to_unit"
    detail = UnicodeAttribute(null=True)  # field names, states, counts: never the personal data

    @property
    def at(self) -> str:
        return self.entry.split("#", 1)[0]


def record(subject: str, actor: str, action: str, detail: str | None = None, now: datetime | None = None) -> None:
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    entry = f"{moment}#{next(_sequence):012d}-{uuid.uuid4().hex[:8]}"
    AuditItem(subject, entry, actor=actor, action=action, detail=detail).save()


def trail(subject: str) -> Iterator[AuditItem]:
    yield from AuditItem.query(subject)
