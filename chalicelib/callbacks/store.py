"""Callbacks in DynamoDB.

Tables and access patterns (no Scan on any Lambda path):
- callbacks (hash `callback_id` = callback_id_for(source contact)):
  1. create exactly once: TransactWrite Put(attribute_not_exists) + the caller's marker;
  2. change state: UpdateItem with a condition on the current status (and attempt), so a
     redelivered input, a second dispatcher or a second agent can never apply a change twice;
  3. GSI `by_status` (hash `status`, range `dispatch_key` = "<rank>#<due_at>"): what is due,
     system drops first, then requests asked out of hours, then the others, oldest first (dispatcher),
     and the agents' lists by status, a page at a time (a reason is a key condition: its ranks lead
     the dispatch key);
  4. GSI `by_month` (hash `raised_month`, range `raised_at`): a month's callbacks (report);
  5. GSI `by_caller` (hash `caller_key` = HMAC of the number, range `raised_at`): a caller's
     callbacks (data-subject requests, disclosures), never a plain-number index;
  6. sparse GSI `personal` (hash `personal_month`, range `personal_since`): what still holds personal
     fields, for the retention job; anonymising removes both;
  7. sparse GSI `sla_watch` (hash `sla_watch` = "WATCHED", range `sla_due_at`): callbacks whose
     deadline is still watched. The dispatcher reads only those past it, a batch at a time, and each
     leaves the index once it is flagged overdue or found closed: never a read of every open callback.
  The operator's `callbacks list` of *every* record is the one Scan, outside any Lambda.
- callback markers (hash `marker`):
  - `CALLER#<caller_key>` → the caller's one open callback (one per number, however often they rang;
    also what the contact flow checks, with one GetItem, to say "we will call you back");
  - `ATTEMPT#<ContactId>` → the callback an outbound contact is an attempt of.
Each text to the caller is claimed on the callback (`sms_*_claim`, a conditional write) before it is sent.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.callbacks.rules import OPEN, RANKS, Status, agent_matches, dispatch_rank, queue_matches
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict
from chalicelib.core.phones import caller_key
from chalicelib.core.times import iso

_cfg = settings()
WATCHED = "WATCHED"


class CallbackConflict(Conflict):
    """The callback is not in the state the change needs (taken by another agent, already done…)."""

    def __init__(self, callback_id: str, message: str | None = None) -> None:
        super().__init__(message or f"callback {callback_id} changed meanwhile; reload and retry")
        self.callback_id = callback_id


class ByStatusIndex(GlobalSecondaryIndex["CallbackItem"]):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    dispatch_key = UnicodeAttribute(range_key=True)


class ByMonthIndex(GlobalSecondaryIndex["CallbackItem"]):
    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    raised_month = UnicodeAttribute(hash_key=True)
    raised_at = UnicodeAttribute(range_key=True)


class ByCallerIndex(GlobalSecondaryIndex["CallbackItem"]):
    class Meta:
        index_name = "by_caller"
        projection = KeysOnlyProjection()

    caller_key = UnicodeAttribute(hash_key=True)
    raised_at = UnicodeAttribute(range_key=True)


class PersonalIndex(GlobalSecondaryIndex["CallbackItem"]):
    class Meta:
        index_name = "personal"
        projection = KeysOnlyProjection()

    personal_month = UnicodeAttribute(hash_key=True)
    personal_since = UnicodeAttribute(range_key=True)


class SlaWatchIndex(GlobalSecondaryIndex["CallbackItem"]):
    class Meta:
        index_name = "sla_watch"
        projection = IncludeProjection(["reason"])

    sla_watch = UnicodeAttribute(hash_key=True)
    sla_due_at = UnicodeAttribute(range_key=True)


class CallbackItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.callbacks_table

    callback_id = UnicodeAttribute(hash_key=True)
    source_contact_id = UnicodeAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute()
    caller = UnicodeAttribute(null=True)  # E.164; personal data: never logged, masked in lists
    unreachable_reason = UnicodeAttribute(null=True)
    preferred_agent_arn = UnicodeAttribute(null=True)
    queue_arn = UnicodeAttribute(null=True)  # the queue the caller was in (the agents' filter)
    queue_name = UnicodeAttribute(null=True)
    raised_at = UnicodeAttribute()  # when the source call ended (or the caller asked), UTC ISO
    raised_month = UnicodeAttribute()  # Istanbul month of raised_at
    created_at = UnicodeAttribute()  # when this record was written
    due_at = UnicodeAttribute()
    dispatch_key = UnicodeAttribute()
    sla_due_at = UnicodeAttribute()
    overdue = BooleanAttribute(default=False)
    sla_watch = UnicodeAttribute(null=True)  # WATCHED until flagged overdue or found closed
    out_of_hours = BooleanAttribute(null=True)  # asked in the closed centre's flow: rung first at the opening
    attempts = NumberAttribute(default=0)
    attempt_contact_id = UnicodeAttribute(null=True)
    last_outcome = UnicodeAttribute(null=True)
    claimed_by = UnicodeAttribute(null=True)
    claimed_at = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)
    closed_by = UnicodeAttribute(null=True)
    close_reason = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)  # the agent's words: stored, never logged
    linked_contact_ids = UnicodeSetAttribute(null=True)
    caller_key = UnicodeAttribute(null=True)  # HMAC of `caller` (privacy.caller_key)
    personal_month = UnicodeAttribute(null=True)  # retention: UTC month of personal_since
    personal_since = UnicodeAttribute(null=True)
    anonymised_at = UnicodeAttribute(null=True)
    # The caller's texts (callbacks.notices): the token of the attempt that sends each, claimed before
    # the send, so a redelivered input or a retried report never texts twice.
    sms_dropped_claim = UnicodeAttribute(null=True)
    sms_failed_claim = UnicodeAttribute(null=True)

    by_status = ByStatusIndex()
    by_month = ByMonthIndex()
    by_caller = ByCallerIndex()
    personal = PersonalIndex()
    watched = SlaWatchIndex()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class CallbackMarker(Model):
    class Meta(TableMeta):
        table_name = _cfg.callback_markers_table

    marker = UnicodeAttribute(hash_key=True)
    callback_id = UnicodeAttribute()
    attempt = NumberAttribute(null=True)


def caller_marker(number: str) -> str:
    """The caller's marker key: their keyed hash, so the markers table holds no number."""
    return f"CALLER#{caller_key(number)}"


def attempt_marker(contact_id: str) -> str:
    return f"ATTEMPT#{contact_id}"


def dispatch_key(reason: str, due_at: str, out_of_hours: bool | None = False) -> str:
    return f"{dispatch_rank(reason, bool(out_of_hours))}#{due_at}"


def key_of(item: CallbackItem, due_at: str) -> str:
    """The callback's dispatch key for a new due time: its rank stays what it is."""
    return dispatch_key(item.reason, due_at, item.out_of_hours)


def _reason_keys(reason: str) -> Any:
    """The key condition for one reason's callbacks: its one rank, or both of a request's ranks."""
    ranks = sorted({dispatch_rank(reason), dispatch_rank(reason, out_of_hours=True)})
    if len(ranks) == 1:
        return CallbackItem.dispatch_key.startswith(f"{ranks[0]}#")
    return CallbackItem.dispatch_key.between(f"{ranks[0]}#", f"{ranks[-1]}#\uffff")


def now_iso(now: datetime) -> str:
    return iso(now)


# --- reads -------------------------------------------------------------------------------------


def get_callback(callback_id: str) -> CallbackItem | None:
    try:
        return CallbackItem.get(callback_id)
    except DoesNotExist:
        return None


def open_callback_of(number: str) -> CallbackItem | None:
    try:
        marker = CallbackMarker.get(caller_marker(number))
    except DoesNotExist:
        return None
    item = get_callback(marker.callback_id)
    return item if item is not None and item.is_open else None


def attempt_of(contact_id: str) -> tuple[str, int] | None:
    try:
        marker = CallbackMarker.get(attempt_marker(contact_id))
    except DoesNotExist:
        return None
    return marker.callback_id, int(marker.attempt or 0)


def due_callbacks(now: datetime, limit: int) -> list[CallbackItem]:
    """Callbacks to act on by `now`: PENDING ones due (system drops first, then requests asked out of
    hours, then the other requests, then abandoned; oldest first), then DIALING ones whose recheck time
    passed with nothing settled."""
    found: list[CallbackItem] = []
    cutoff = now_iso(now)
    for status in ("PENDING", "DIALING"):
        for rank in RANKS:
            condition = CallbackItem.dispatch_key.between(f"{rank}#", f"{rank}#{cutoff}")
            for item in CallbackItem.by_status.query(status, condition, limit=limit - len(found)):
                found.append(item)
                if len(found) >= limit:
                    return found
    return found


def work_page(
    statuses: tuple[str, ...],
    *,
    reason: str | None = None,
    overdue_only: bool = False,
    agent: str | None = None,
    queue: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[CallbackItem]:
    """A page of callbacks in `statuses`, merged in dispatch order (system drops first, then by due
    time). The reason is a key condition; the rest is DynamoDB's filter, with an exact check after it
    where `contains` only approximates "the ARN ends with"."""
    filters = []
    if overdue_only:
        filters.append(CallbackItem.overdue == True)  # noqa: E712 (an expression)
    if agent is not None:
        arn = CallbackItem.preferred_agent_arn
        filters.append((CallbackItem.claimed_by == agent) | (arn == agent) | arn.contains(f"/agent/{agent}"))
    if queue is not None:
        arn = CallbackItem.queue_arn
        filters.append((CallbackItem.queue_name == queue) | (arn == queue) | arn.contains(f"/queue/{queue}"))

    def exact(item: CallbackItem) -> bool:
        return (agent is None or agent_matches(agent, item.claimed_by, item.preferred_agent_arn)) and (
            queue is None or queue_matches(queue, item.queue_name, item.queue_arn)
        )

    source = Source(
        CallbackItem.by_status,
        statuses,
        range_condition=_reason_keys(reason) if reason else None,
        filter=functools.reduce(operator.and_, filters) if filters else None,
        keep=exact,
    )
    return read_page(source, limit, cursor)


def past_sla(cutoff: str, limit: int) -> list[CallbackItem]:
    """Watched callbacks whose deadline passed before `cutoff`, the oldest first, at most `limit`
    (key and reason only: the flag is a conditional write on the callback itself)."""
    return list(CallbackItem.watched.query(WATCHED, CallbackItem.sla_due_at < cutoff, limit=limit))


def stop_watching(callback_id: str) -> None:
    """Take a callback out of the deadline watch (it closed before anyone flagged it)."""
    try:
        CallbackItem(callback_id).update(
            actions=[CallbackItem.sla_watch.remove()], condition=CallbackItem.callback_id.exists()
        )
    except UpdateError as error:  # withdrawn (deleted) meanwhile: nothing to watch
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def callbacks_raised_in(month: str) -> Iterator[CallbackItem]:
    yield from CallbackItem.by_month.query(month)


def callbacks_of_key(key: str) -> Iterator[CallbackItem]:
    ids = [k.callback_id for k in CallbackItem.by_caller.query(key)]
    yield from CallbackItem.batch_get(ids)


def callbacks_holding_personal_data(month: str, until: str) -> Iterator[str]:
    for k in CallbackItem.personal.query(month, CallbackItem.personal_since <= until):
        yield k.callback_id


def all_callbacks() -> Iterator[CallbackItem]:
    """Every record, for the operator's CLI listing only (a Scan; never on a Lambda path)."""
    yield from CallbackItem.scan()


# --- writes ------------------------------------------------------------------------------------


def create(item: CallbackItem, claim_caller: bool) -> str:
    """Write a new callback exactly once. Returns "created", "exists" or "caller_has_open".

    With `claim_caller`, the caller's marker is taken in the same transaction, so two
    Lambdas racing on two calls of one caller can never both create an open callback.
    """
    try:
        with TransactWrite(connection=CallbackItem._get_connection().connection) as tx:
            tx.save(item, condition=CallbackItem.callback_id.does_not_exist())
            if claim_caller and item.caller:
                marker = CallbackMarker(caller_marker(item.caller), callback_id=item.callback_id)
                tx.save(marker, condition=CallbackMarker.marker.does_not_exist())
    except TransactWriteError as error:
        reasons = [r.code if r else None for r in (error.cancellation_reasons or [])]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            return "exists"
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            return "caller_has_open"
        raise
    return "created"


def mark_caller_if_free(item: CallbackItem) -> None:
    """Make `item` the caller's open callback, unless they already have one: that one stays theirs."""
    try:
        CallbackMarker(caller_marker(item.caller), callback_id=item.callback_id).save(
            condition=CallbackMarker.marker.does_not_exist()
        )
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def mark_attempt(contact_id: str, callback_id: str, attempt: int) -> None:
    """Remember which callback (and attempt) an outbound contact is; writing it again changes nothing."""
    CallbackMarker(attempt_marker(contact_id), callback_id=callback_id, attempt=attempt).save()


def link_contact(item: CallbackItem, contact_id: str) -> None:
    """Another lost call of a caller who already waits for this callback: remembered on it."""
    item.update(actions=[CallbackItem.linked_contact_ids.add({contact_id})])


def delete_untouched(item: CallbackItem) -> None:
    """Delete a callback nobody has acted on (PENDING or UNREACHABLE, no attempt yet); CallbackConflict
    when it was taken or placed in between."""
    try:
        item.delete(
            condition=CallbackItem.status.is_in(Status.PENDING, Status.UNREACHABLE) & (CallbackItem.attempts == 0)
        )
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise CallbackConflict(item.callback_id) from None
        raise


def release_caller(item: CallbackItem) -> None:
    """Free the caller's marker if it points at this callback (so their next lost call counts again)."""
    if not item.caller:
        return
    try:
        CallbackMarker(caller_marker(item.caller)).delete(condition=CallbackMarker.callback_id == item.callback_id)
    except DeleteError as error:  # the marker belongs to another callback (or is gone): leave it
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def update_where(
    item: CallbackItem,
    actions: Sequence[Action],
    *,
    status_in: frozenset[str] | None = None,
    condition: Condition | None = None,
) -> CallbackItem:
    """Apply `actions` only if the callback is in one of `status_in` (and `condition`); else CallbackConflict."""
    cond = condition
    if status_in is not None:
        status_cond = CallbackItem.status.is_in(*sorted(status_in))
        cond = status_cond if cond is None else cond & status_cond
    try:
        item.update(actions=list(actions), condition=cond)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise CallbackConflict(item.callback_id) from None
        raise
    return item


def claim_sms(item: CallbackItem, attribute: str, token: str, statuses: frozenset[str]) -> bool:
    """Take the right to send the text `attribute` names for the attempt `token`, while the callback is in
    `statuses`; False when it was claimed before (sent, or being sent) or the callback has moved on."""
    slot = getattr(CallbackItem, attribute)
    try:
        update_where(item, [slot.set(token)], status_in=statuses, condition=slot.does_not_exist())
    except CallbackConflict:
        return False
    return True


def release_sms(item: CallbackItem, attribute: str, token: str) -> None:
    """Give the claim back after a send that certainly failed, so a later delivery may try again."""
    slot = getattr(CallbackItem, attribute)
    try:
        update_where(item, [slot.remove()], condition=slot == token)
    except CallbackConflict:
        return
