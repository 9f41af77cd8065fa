"""Outcomes: how a callback attempt ended, told by its contact record or by the agent who made it.

An attempt's contact record (or an agent's own call to the caller from the CCP) closes the callback
or makes it due again after a back-off; an agent claims a callback and reports how their call went.
Each change is a conditional write on the callback's status, so a redelivered record or a double
submit never applies one outcome twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.adapters import audit
from chalicelib.callbacks import store
from chalicelib.callbacks.notices import text_after_failure
from chalicelib.callbacks.rules import (
    COMPLETED,
    OPEN,
    OUTBOUND_METHODS,
    OUTCOMES,
    WRONG_NUMBER,
    Status,
    attempt_outcome,
    retry_at,
)
from chalicelib.callbacks.store import CallbackConflict, CallbackItem
from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.observability import count
from chalicelib.core.phones import e164
from chalicelib.core.times import iso

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition
    from pynamodb.expressions.update import Action


class CallbackNotFound(NotFound):
    def __init__(self, callback_id: str) -> None:
        super().__init__(f"callback {callback_id} not found")


class CallbackConflictError(CallbackConflict):
    """A change that the callback's current state does not allow; the message says why, for the agent."""


# --- an attempt's contact record -----------------------------------------------------------------


def record_attempt(record: ContactRecord, cfg: Settings) -> None:
    """Apply what an outbound contact's record says about the attempt it was (once it has ended)."""
    if not record.ended or record.channel == "TASK":
        return  # a task is the agents' to-do; its callback closes through the agents' API
    callback_id = record.callback_id
    if callback_id is None and record.initiation_method in OUTBOUND_METHODS:
        found = store.attempt_of(record.contact_id)
        callback_id = found[0] if found else None
    if callback_id is None:
        if record.initiation_method == "OUTBOUND" and record.connected:
            _manual_call(record)
        return
    item = store.get_callback(callback_id)
    if item is None or item.status != Status.DIALING or item.attempt_contact_id != record.contact_id:
        return  # not this attempt's, or already applied
    outcome = attempt_outcome(record)
    if outcome is None:
        return
    ended = record.disconnected_at or record.initiated_at
    _close_attempt(item, outcome, ended, cfg, by=None, condition=CallbackItem.attempt_contact_id == record.contact_id)


def _manual_call(record: ContactRecord) -> None:
    """An agent rang the caller from the CCP: that returns their open callback."""
    number, _ = e164(record.customer_address)
    item = store.open_callback_of(number) if number else None
    if item is None:
        return
    _close_attempt(item, COMPLETED, record.disconnected_at or record.initiated_at, settings(), by=record.agent_arn)


def _close_attempt(
    item: CallbackItem,
    outcome: str,
    at: datetime | None,
    cfg: Settings,
    by: str | None,
    condition: Condition | None = None,
    extra: Sequence[Action] = (),
    raise_conflict: bool = False,
) -> None:
    """Apply one attempt's outcome: done, failed for good, or due again after a back-off."""
    at = at or datetime.now().astimezone()
    actions: list[Action] = [CallbackItem.last_outcome.set(outcome), *extra]
    if outcome in (COMPLETED, WRONG_NUMBER) or item.attempts >= cfg.callback_max_attempts:
        final = Status.COMPLETED if outcome == COMPLETED else Status.FAILED
        actions += [
            CallbackItem.status.set(final),
            CallbackItem.closed_at.set(iso(at)),
            CallbackItem.close_reason.set(outcome.lower()),
        ]
        if by:
            actions.append(CallbackItem.closed_by.set(by))
    else:
        due = iso(retry_at(at, int(item.attempts), cfg.callback_retry_minutes))
        actions += [
            CallbackItem.status.set(Status.PENDING),
            CallbackItem.due_at.set(due),
            CallbackItem.dispatch_key.set(store.key_of(item, due)),
            CallbackItem.claimed_by.remove(),
            CallbackItem.claimed_at.remove(),
        ]
    try:
        store.update_where(item, actions, status_in=OPEN, condition=condition)
    except CallbackConflict:
        if raise_conflict:  # an agent's report must not vanish silently (e.g. a double submit)
            raise CallbackConflictError(
                item.callback_id, f"callback {item.callback_id} changed meanwhile; reload it and try again"
            ) from None
        return  # a redelivered or stale outcome: already applied
    if item.status in (Status.COMPLETED, Status.FAILED):
        store.release_caller(item)
    text_after_failure(item, outcome, cfg)
    count(f"CallbackAttempts{outcome.title().replace('_', '')}")


# --- the agents' work ------------------------------------------------------------------------------


def _get(callback_id: str) -> CallbackItem:
    item = store.get_callback(callback_id)
    if item is None:
        raise CallbackNotFound(callback_id)
    return item


def number_read(callback_id: str, agent: str, now: datetime, why: str) -> None:
    """The agent was shown the caller's number in full: who, when, which callback, why (9(1), KVKK art. 12)."""
    audit.record(f"callback#{callback_id}", f"agent:{agent}", "read_number", why, now)


def claim(callback_id: str, agent: str, now: datetime) -> CallbackItem:
    item = _get(callback_id)
    try:
        return store.update_where(
            item,
            [
                CallbackItem.status.set(Status.CLAIMED),
                CallbackItem.claimed_by.set(agent),
                CallbackItem.claimed_at.set(iso(now)),
            ],
            status_in=frozenset({Status.PENDING}),
        )
    except CallbackConflict:
        current = _get(callback_id)
        who = " by another agent" if current.status == Status.CLAIMED and current.claimed_by != agent else ""
        raise CallbackConflictError(
            callback_id, f"callback {callback_id} is {current.status}{who}; only a PENDING callback can be claimed"
        ) from None


def complete(callback_id: str, agent: str, outcome: str, note: str | None, now: datetime) -> CallbackItem:
    """The claiming agent reports how their call went: done, or due again (or failed after the last try)."""
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome must be one of {', '.join(OUTCOMES)}", "outcome")
    item = _get(callback_id)
    if item.status != Status.CLAIMED or item.claimed_by != agent:
        by_other = " by another agent" if item.status == Status.CLAIMED else ""
        raise CallbackConflictError(
            callback_id, f"callback {callback_id} is {item.status}{by_other}; claim it before completing it"
        )
    item.attempts = int(item.attempts) + 1
    extra = [CallbackItem.attempts.set(item.attempts)]
    if note is not None:
        extra.append(CallbackItem.note.set(note))
    _close_attempt(
        item,
        outcome,
        now,
        settings(),
        by=agent,
        extra=extra,
        raise_conflict=True,
        condition=(CallbackItem.claimed_by == agent) & (CallbackItem.status == Status.CLAIMED),
    )
    return _get(callback_id)
