"""The dispatcher: every 2 minutes, place the callbacks that are due with Amazon Connect.

One cycle flags what is past its deadline, then, within opening hours and Connect's request rate,
takes each due callback's next attempt (PENDING → DIALING), places it and remembers the attempt's
contact. Two dispatchers, a lost answer or a failed step never ring a caller twice: every step is a
conditional write or idempotent, and a placement is retried with the same ClientToken.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.connect import CallbackPlacement, ConnectPort, ConnectRefused, ConnectUnavailable
from chalicelib.callbacks import store
from chalicelib.callbacks.outcomes import record_attempt
from chalicelib.callbacks.raising import cancel_got_through, got_through_since
from chalicelib.callbacks.rules import OPEN, SYSTEM_DROP, Status
from chalicelib.callbacks.store import CallbackConflict, CallbackItem
from chalicelib.contacts.merge import merge
from chalicelib.contacts.store import get_contact
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso, parse_iso
from chalicelib.core.workhours import WorkingCalendar


@dataclass
class DispatchSummary:
    at: str
    closed_reason: str | None = None
    placed: int = 0
    deferred: int = 0
    refused: int = 0
    overdue_marked: int = 0
    resumed: int = 0  # DIALING attempts picked up again after a lost step (same ClientToken)
    errors: int = 0
    cancelled: int = 0  # lost calls whose caller reached an agent since: not rung
    placed_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


OVERDUE_BATCH = 200  # flagged per dispatcher run at most; the rest on the next run, 2 minutes later


def mark_overdue(now: datetime, limit: int = OVERDUE_BATCH) -> int:
    """Flag open callbacks past their deadline for the supervisor, once each: a bounded read of the
    deadline watch, never of every open callback."""
    marked = 0
    for item in store.past_sla(iso(now), limit):
        try:
            flag = [CallbackItem.overdue.set(True), CallbackItem.sla_watch.remove()]
            store.update_where(item, flag, status_in=OPEN)
        except CallbackConflict:
            store.stop_watching(item.callback_id)  # closed in time: nothing to flag
            continue
        except Exception as error:  # this one is flagged on the next cycle; the others now
            _failed("marking a callback overdue failed", item, error)
            continue
        marked += 1
        logger.warning("callback overdue", extra={"callback_id": item.callback_id, "reason": item.reason})
    if marked:
        count("CallbacksOverdue", marked)
    return marked


def _failed(what: str, item: CallbackItem, error: Exception) -> None:
    """One callback's failure, by id and error class only (a message may quote the number)."""
    logger.error(what, extra={"callback_id": item.callback_id, "error": type(error).__name__})
    count("CallbackDispatchFailures")


DIALING_RECHECK = timedelta(minutes=10)


def dispatch(
    now: datetime,
    connect: ConnectPort,
    *,
    cfg: Settings | None = None,
    calendar: WorkingCalendar | None = None,
    limit: int = 50,
    sleep: Callable[[float], None] = time.sleep,
) -> DispatchSummary:
    """One dispatch cycle: place what is due, within hours and Connect's request rate.

    A callback is DIALING from the moment its attempt is taken until the attempt's contact record
    settles it. Each step after taking it (placing the call, remembering the attempt's contact) can
    fail, or succeed with the answer lost; so a DIALING callback carries a recheck time, and when
    it passes with nothing settled the attempt is resumed: placed again with the same ClientToken
    (Connect returns the same contact, nobody is rung twice) and its contact looked up.
    """
    cfg = cfg or settings()
    calendar = calendar or centre_calendar()
    summary = DispatchSummary(at=iso(now))
    summary.overdue_marked = mark_overdue(now)
    summary.closed_reason = calendar.closure_reason(now)
    if summary.closed_reason:
        return summary  # nobody is there to take the call: wait for opening hours
    interval = 1.0 / cfg.connect_requests_per_second
    for index, item in enumerate(store.due_callbacks(now, limit)):
        try:
            go_on = _dispatch_one(item, index, now, connect, cfg, summary, lambda: sleep(interval))
        except Exception as error:
            # Each callback on its own: this one stays DIALING and its recheck resumes it with the
            # same ClientToken (nobody is rung twice); the rest of the cycle goes on.
            _failed("callback dispatch failed; the recheck resumes it", item, error)
            summary.errors += 1
            continue
        if not go_on:
            break
    count("CallbacksPlaced", summary.placed)
    return summary


def _dispatch_one(
    item: CallbackItem,
    index: int,
    now: datetime,
    connect: ConnectPort,
    cfg: Settings,
    summary: DispatchSummary,
    pause: Callable[[], None],
) -> bool:
    """Take, place and remember one callback's attempt; False when the cycle must stop (Connect throttles)."""
    resuming = item.status == Status.DIALING
    attempt = int(item.attempts) + (0 if resuming else 1)
    if not resuming and _got_through_meanwhile(item):
        summary.cancelled += 1
        return True
    if not resuming and not _take(item, attempt, now):
        return True  # another dispatcher or an agent has it, or it stays due for the next cycle
    if index:
        pause()
    placement = CallbackPlacement(
        item.callback_id, attempt, item.caller, item.reason, item.preferred_agent_arn, item.source_contact_id
    )
    try:
        if cfg.callback_mode == "task":
            contact_id = connect.start_task(placement)
        else:
            contact_id = connect.start_outbound_call(placement)
    except ConnectUnavailable:
        # Back to due with the same attempt number, so the retry reuses the ClientToken.
        back = [
            CallbackItem.status.set(Status.PENDING),
            CallbackItem.attempts.set(attempt - 1),
            CallbackItem.dispatch_key.set(store.key_of(item, item.due_at)),
        ]
        _retrying(item, lambda: store.update_where(item, back, status_in=frozenset({Status.DIALING})))
        summary.deferred += 1
        return False  # throttled or down: stop this cycle, the next one tries again
    except ConnectRefused:
        _retrying(item, lambda: _refused(item, now))
        summary.refused += 1
        return True
    if not _retrying(item, lambda: _remember_attempt(item, attempt, contact_id, now)):
        summary.errors += 1
        return True
    if resuming:
        summary.resumed += 1
    else:
        summary.placed += 1
        summary.placed_ids.append(item.callback_id)
    return True


def _got_through_meanwhile(item: CallbackItem) -> bool:
    """A lost call's caller who reached an agent since is not rung (4(a)). The call's end usually
    cancels it; this catches a callback raised while that later call was still waiting."""
    if item.reason == SYSTEM_DROP or not item.caller:
        return False
    raised = parse_iso(item.raised_at)
    reached = got_through_since(item.caller, raised, item.source_contact_id)
    return reached is not None and cancel_got_through(item, reached)


def _take(item: CallbackItem, attempt: int, now: datetime) -> bool:
    """Take the next attempt (PENDING → DIALING). A write whose answer was lost is told apart from
    one that never happened by reading the callback back."""
    recheck_key = store.key_of(item, iso(now + DIALING_RECHECK))
    actions = [
        CallbackItem.status.set(Status.DIALING),
        CallbackItem.attempts.set(attempt),
        CallbackItem.dispatch_key.set(recheck_key),
    ]
    for _ in range(STEP_TRIES):
        try:
            store.update_where(
                item, actions, status_in=frozenset({Status.PENDING}), condition=CallbackItem.attempts == attempt - 1
            )
            return True
        except CallbackConflict:
            current = store.get_callback(item.callback_id)
            # Ours if it now holds exactly this attempt (a second dispatcher doing the same places the
            # same ClientToken: Connect still rings once).
            return current is not None and current.status == Status.DIALING and int(current.attempts) == attempt
        except Exception:
            logger.warning("taking a callback attempt failed; trying again", extra={"callback_id": item.callback_id})
    return False


def _refused(item: CallbackItem, now: datetime) -> None:
    store.update_where(
        item,
        [
            CallbackItem.status.set(Status.FAILED),
            CallbackItem.closed_at.set(iso(now)),
            CallbackItem.close_reason.set("connect_refused"),
        ],
        status_in=frozenset({Status.DIALING}),
    )
    store.release_caller(item)


STEP_TRIES = 3


def _retrying(item: CallbackItem, step: Callable[[], object]) -> bool:
    """Run an idempotent dispatch step, trying again at once on a failure; what still fails is left
    to the recheck (the callback stays DIALING) and never stops the cycle."""
    for _ in range(STEP_TRIES):
        try:
            step()
            return True
        except CallbackConflict:
            return False
        except Exception:
            logger.warning("callback dispatch step failed", extra={"callback_id": item.callback_id})
    logger.error("callback dispatch step failed; the recheck resumes it", extra={"callback_id": item.callback_id})
    return False


def _remember_attempt(item: CallbackItem, attempt: int, contact_id: str, now: datetime) -> None:
    """Link the attempt's contact both ways (idempotent), then settle it if its record is already here."""
    store.update_where(
        item,
        [
            CallbackItem.attempt_contact_id.set(contact_id),
            CallbackItem.dispatch_key.set(store.key_of(item, iso(now + DIALING_RECHECK))),
        ],
        status_in=frozenset({Status.DIALING}),
        condition=CallbackItem.attempts == attempt,
    )
    store.mark_attempt(contact_id, item.callback_id, attempt)
    contact = get_contact(contact_id)
    if contact is not None:  # its record came while the link was missing: apply it now
        record_attempt(merge(contact.contact_id, contact.fact_list(), contact.first_seen_at), settings())
