"""Agent records and their audit trail in DynamoDB.

Tables and access patterns (no Scan):
- agents (hash `username`): one record per agent account ever created, kept after deactivation
  so the reports can still name a leaver's calls (the Connect user ARN is kept too).
  1. create exactly once: Put with attribute_not_exists(username) — a username is never reused,
     so the history under it stays unambiguous;
  2. change status: Update with a condition on the current status (never two trainings,
     never a deactivation applied twice);
  3. GSI `by_status` (hash `status`, range `username`): the list, one Query per status, merged by
     username a page at a time.
- agent audit (hash `username`, range `entry` = "<UTC ISO time>#<random>"): every change, who
  did it, when, what. Append-only: the Lambda's role may PutItem and Query there, nothing else.
  Each change and its audit entry are one TransactWrite, so no change goes unaudited.

First and last names are personal data: stored here and in Connect, never logged.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.accounts.rules import Role
from chalicelib.adapters.dynamo import TableMeta
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict
from chalicelib.core.times import iso

_cfg = settings()
_sequence = itertools.count()


class AgentChanged(Conflict):
    """The record is gone or no longer in the status the change started from."""

    def __init__(self, username: str) -> None:
        super().__init__(f"{username} bu arada değişti; yeniden yükleyip deneyin")


class ByStatusIndex(GlobalSecondaryIndex["AgentItem"]):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class AgentItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.agents_table

    username = UnicodeAttribute(hash_key=True)
    first_name = UnicodeAttribute()  # personal data: never logged
    last_name = UnicodeAttribute()  # personal data: never logged
    status = UnicodeAttribute()
    # rules.Role; absent on records written before supervisors had accounts here: an agent.
    role = UnicodeAttribute(null=True)
    connect_user_id = UnicodeAttribute()
    connect_user_arn = UnicodeAttribute()
    routing_profile_id = UnicodeAttribute()
    security_profile_ids = UnicodeSetAttribute()
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    trained_at = UnicodeAttribute(null=True)
    trained_by = UnicodeAttribute(null=True)
    deactivated_at = UnicodeAttribute(null=True)
    deactivated_by = UnicodeAttribute(null=True)

    by_status = ByStatusIndex()

    @property
    def role_name(self) -> str:
        return self.role or Role.AGENT


class AgentAuditItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.agent_audit_table

    username = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    # What changed, as field → "old → new" (ids and statuses; never names, never the password).
    changes: MapAttribute[str, str] = MapAttribute(null=True)


def audit_entry(username: str, actor: str, action: str, now: datetime, changes: dict[str, str]) -> AgentAuditItem:
    at = iso(now)
    # The sequence keeps one process's entries of the same millisecond in the order they were made.
    entry = f"{at}#{next(_sequence):012d}-{secrets.token_hex(4)}"
    return AgentAuditItem(username, entry, at=at, actor=actor, action=action, changes=changes or None)


# --- reads -------------------------------------------------------------------------------------------


def get_agent(username: str) -> AgentItem | None:
    try:
        return AgentItem.get(username)
    except DoesNotExist:
        return None


def agents_with_status(status: str) -> Iterator[AgentItem]:
    yield from AgentItem.by_status.query(status)


def agents_page(statuses: tuple[str, ...], limit: int, cursor: str | None) -> Page[AgentItem]:
    """A page of the agents in `statuses`, by username."""
    return read_page(Source(AgentItem.by_status, statuses), limit, cursor)


def audit_of(username: str) -> Iterator[AgentAuditItem]:
    """The agent's audit trail, oldest first."""
    yield from AgentAuditItem.query(username)


# --- writes ------------------------------------------------------------------------------------------


def _connection() -> Connection:
    return AgentItem._get_connection().connection


def _cancelled_by_condition(error: TransactWriteError) -> bool:
    reasons = [r.code if r else None for r in (error.cancellation_reasons or [])]
    return bool(reasons) and reasons[0] == "ConditionalCheckFailed"


def create(item: AgentItem, entry: AgentAuditItem) -> None:
    """Write the new record and its audit entry together; AgentChanged if the username exists."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            tx.save(item, condition=AgentItem.username.does_not_exist())
            tx.save(entry, condition=AgentAuditItem.entry.does_not_exist())
    except TransactWriteError as error:
        if _cancelled_by_condition(error):
            raise AgentChanged(item.username) from None
        raise


def append_audit(entry: AgentAuditItem) -> None:
    entry.save(condition=AgentAuditItem.entry.does_not_exist())


def change(item: AgentItem, actions: Sequence[Action], from_statuses: frozenset[str], entry: AgentAuditItem) -> None:
    """Apply `actions` if the agent is still in one of `from_statuses`, with its audit entry; else AgentChanged."""
    condition = AgentItem.username.exists() & AgentItem.status.is_in(*sorted(from_statuses))
    try:
        with TransactWrite(connection=_connection()) as tx:
            tx.update(item, actions=list(actions), condition=condition)
            tx.save(entry, condition=AgentAuditItem.entry.does_not_exist())
    except TransactWriteError as error:
        if _cancelled_by_condition(error):
            raise AgentChanged(item.username) from None
        raise
