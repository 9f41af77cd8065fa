"""Callbacks, applied: raised from contact records, placed by the dispatcher, closed by outcomes.

Everything that changes a callback goes through a conditional write on its current status,
so a redelivered input, two dispatchers or two agents can never apply one change twice.
Times that decide a callback (raised, due, SLA) come from the contact's own timestamps, not
the wall clock, so replaying the same inputs later gives the same callbacks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, PutError

from chalicelib.adapters import audit
from chalicelib.adapters.connect import CallbackPlacement, ConnectPort, ConnectRefused, ConnectUnavailable
from chalicelib.callbacks import store
from chalicelib.callbacks.rules import (
    ABANDONED,
    COMPLETED,
    NUMBER_UNKNOWN,
    OPEN,
    OUTCOMES,
    SYSTEM_DROP,
    WRONG_NUMBER,
    CallbackNeed,
    Status,
    attempt_outcome,
    callback_id_for,
    callback_need,
    retry_at,
    sla_due,
)
from chalicelib.callbacks.store import CallbackConflict, CallbackItem, CallbackMarker
from chalicelib.contacts import store as contact_store
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.store import ContactItem, get_contact
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import caller_key, e164
from chalicelib.core.times import iso, local_month, utc_month
from chalicelib.core.workhours import WorkingCalendar, default_calendar

_OUTBOUND_METHODS = frozenset({"OUTBOUND", "API", "CALLBACK"})
# Inputs that can end a call (COMPLETED only repeats DISCONNECTED): where "got through" is checked.
_ENDING_SOURCES = frozenset({"ctr", "event:DISCONNECTED"})


class CallbackNotFound(NotFound):
    def __init__(self, callback_id: str) -> None:
        super().__init__(f"callback {callback_id} not found")


class CallbackConflictError(CallbackConflict):
    """A change that the callback's current state does not allow; the message says why, for the agent."""


# --- raising callbacks from contact records ------------------------------------------------------


def _state(value: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """The contact's callback link: ("own"|"linked", callback_id, reason, raised_at)."""
    if not value:
        return None, None, None, None
    kind, callback_id, reason, raised = ([*value.split("|"), "", "", ""])[:4]
    return kind, callback_id, reason or None, raised or None


def _link(kind: str, callback_id: str, reason: str, raised: str = "") -> str:
    """What the contact item remembers of its callback, so the next input needs no read to compare."""
    return f"{kind}|{callback_id}|{reason}|{raised}"


def on_contact_recorded(record: ContactRecord, stored: ContactItem, source: str) -> None:
    """The intake pipeline's reaction: what the contact's new state means for callbacks, remembered on
    the contact (its `callback` link) only when it changed, so the next input decides without a read."""
    link = follow_up(record, stored.callback, source)
    if link is not None and link != (stored.callback or ""):
        contact_store.set_callback_link(record.contact_id, link)


def follow_up(
    record: ContactRecord,
    link: str | None,
    source: str,
    cfg: Settings | None = None,
    calendar: WorkingCalendar | None = None,
) -> str | None:
    """What a contact's new state means for callbacks. Returns the contact's new callback link, or None."""
    cfg = cfg or settings()
    calendar = calendar or default_calendar()
    if record.initiation_method in _OUTBOUND_METHODS or record.callback_id:
        _record_attempt(record, cfg)
        return None
    if not record.is_inbound_call or not (record.ended or record.callback_requested):
        return None
    if record.answered and source in _ENDING_SOURCES:
        _caller_got_through(record)
    need = callback_need(record, cfg.short_abandon_seconds)
    kind, callback_id, reason, raised = _state(link)
    if need is None:
        if kind == "own":
            return _withdraw(callback_id)
        return None
    if need.unreachable_reason == NUMBER_UNKNOWN:
        return None  # wait for the trace record or the flow to tell us who to call
    if kind is None or (kind == "linked" and need.reason == SYSTEM_DROP):
        # A system drop is never folded into another callback: each one is returned (6(6)).
        return _raise(record, need, cfg, calendar)
    now_raised = iso(_raised_at(record))
    if kind == "own" and (reason != need.reason or raised != now_raised):
        # Converges on the final record whatever the order of arrival: same inputs, same callback.
        _revise(callback_id, need, record, cfg, calendar, retime=raised != now_raised)
        return _link("own", callback_id, need.reason, now_raised)
    return None


def _raised_at(record: ContactRecord) -> datetime:
    """When the call ended, or, while it has not, when the caller asked (the best time known yet).

    A caller who asks in the IVR may be known only from the flow's invocation, which carries no
    time: then it is when we first heard of them, revised as the call's own times arrive.
    """
    moment = record.disconnected_at or record.enqueued_at or record.initiated_at
    assert moment is not None  # an inbound call that ended or asked always has one
    return moment


def _deadlines(reason: str, raised: datetime, cfg: Settings, calendar: WorkingCalendar) -> tuple[str, str]:
    """When the dispatcher may first ring (after the settle time), and when it must be done by (SLA)."""
    due = iso(raised + timedelta(minutes=cfg.callback_settle_minutes))
    sla = sla_due(
        reason, raised, calendar, cfg.callback_sla_system_drop_working_hours, cfg.callback_sla_abandoned_working_days
    )
    return due, iso(sla)


def _raise(record: ContactRecord, need: CallbackNeed, cfg: Settings, calendar: WorkingCalendar) -> str | None:
    if need.reason == ABANDONED and need.number and _got_through_later(record, need.number):
        return None
    raised = _raised_at(record)
    due, sla = _deadlines(need.reason, raised, cfg, calendar)
    created = datetime.now(raised.tzinfo)
    item = CallbackItem(
        callback_id_for(record.contact_id),
        source_contact_id=record.contact_id,
        reason=need.reason,
        status=Status.PENDING if need.number else Status.UNREACHABLE,
        caller=need.number,
        unreachable_reason=need.unreachable_reason,
        preferred_agent_arn=need.preferred_agent_arn,
        queue_arn=record.queue_arn,
        queue_name=record.queue_name,
        raised_at=iso(raised),
        raised_month=local_month(raised, calendar.zone),
        created_at=iso(created),
        due_at=due,
        dispatch_key=store.dispatch_key(need.reason, due),
        sla_due_at=sla,
        sla_watch=store.WATCHED if need.number else None,
        closed_at=None if need.number else iso(raised),
        close_reason=None if need.number else need.unreachable_reason,
        caller_key=caller_key(need.number) if need.number else None,
        personal_month=utc_month(created),  # retention runs from when we recorded it
        personal_since=iso(created),
    )
    # One open callback per caller for lost calls; a system drop always gets its own (6(6)).
    result = store.create(item, claim_caller=bool(need.number) and need.reason != SYSTEM_DROP)
    if result == "caller_has_open":
        existing = store.open_callback_of(need.number)
        if existing is None:  # closed in between: try again on the next input
            return None
        existing.update(actions=[CallbackItem.linked_contact_ids.add({record.contact_id})])
        count("CallbacksLinked")
        return _link("linked", existing.callback_id, existing.reason)
    if result == "exists":
        # An earlier try created it and its answer was lost before the contact learnt the link (or
        # another Lambda won the race): bring it to what this record says, as the next input would.
        _revise(item.callback_id, need, record, cfg, calendar, retime=True)
    if result == "created":
        count("CallbacksCreated")
        if need.reason == ABANDONED:
            # Exactly once per lost call (the callback's creation is a conditional write): the live
            # signal behind the abandonment-spike alarm. Callers who already wait for a callback and
            # short abandons are not in it; the monthly report has the full count.
            count("AbandonedCallsRecorded")
        logger.info(
            "callback raised", extra={"callback_id": item.callback_id, "reason": need.reason, "status": item.status}
        )
        if need.reason == SYSTEM_DROP and need.number:
            _mark_caller_if_free(item)
    return _link("own", item.callback_id, need.reason, iso(raised))


def _mark_caller_if_free(item: CallbackItem) -> None:
    try:
        CallbackMarker(store.caller_marker(item.caller), callback_id=item.callback_id).save(
            condition=CallbackMarker.marker.does_not_exist()
        )
    except PutError as error:  # the caller already has an open callback: it stays theirs
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def _got_through_later(record: ContactRecord, number: str) -> bool:
    """Did this caller reach an agent on a call that started after this one? (4(a): no callback then)."""
    from chalicelib.contacts.merge import merge
    from chalicelib.contacts.store import ContactItem, contacts_of_caller

    day = record.initiated_at.astimezone(default_calendar().zone).date().isoformat() if record.initiated_at else ""
    keys = [k for k in contacts_of_caller(number, day) if k != record.contact_id]
    for item in ContactItem.batch_get(keys):
        later = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        if (
            later.is_inbound_call
            and later.answered
            and later.initiated_at
            and record.initiated_at
            and later.initiated_at > record.initiated_at
        ):
            return True
    return False


def _caller_got_through(record: ContactRecord) -> None:
    """The caller reached an agent: their earlier lost call needs no callback any more."""
    number, _ = e164(record.customer_address)
    if not number:
        return
    item = store.open_callback_of(number)
    if (
        item is None
        or item.reason == SYSTEM_DROP
        or item.status != Status.PENDING
        or record.initiated_at is None
        or item.raised_at >= iso(record.initiated_at)
    ):
        return
    try:
        store.update_where(
            item,
            [
                CallbackItem.status.set(Status.CANCELLED),
                CallbackItem.close_reason.set("caller_got_through"),
                CallbackItem.closed_at.set(iso(record.initiated_at)),
            ],
            status_in=frozenset({Status.PENDING}),
        )
    except CallbackConflict:
        return
    store.release_caller(item)
    count("CallbacksCancelled")


def _withdraw(callback_id: str | None) -> str | None:
    """A later input shows no callback is needed (answered after all, out of scope): undo it if untouched."""
    item = store.get_callback(callback_id) if callback_id else None
    if item is None:
        return ""
    if item.status not in (Status.PENDING, Status.UNREACHABLE) or item.attempts:
        return None  # already under way: it stays, and its outcome will tell
    try:
        item.delete(
            condition=CallbackItem.status.is_in(Status.PENDING, Status.UNREACHABLE) & (CallbackItem.attempts == 0)
        )
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None  # taken or placed in between
        raise
    store.release_caller(item)
    count("CallbacksWithdrawn")
    return ""


def _revise(
    callback_id: str | None,
    need: CallbackNeed,
    record: ContactRecord,
    cfg: Settings,
    calendar: WorkingCalendar,
    retime: bool,
) -> None:
    """Later inputs told more: a new reason (an abandon was a drop) and/or the call's real end time."""
    item = store.get_callback(callback_id) if callback_id else None
    if item is None or not (item.is_open or item.status == Status.UNREACHABLE):
        return
    untouched = item.status == Status.PENDING and not item.attempts
    raised = _raised_at(record) if retime else datetime.fromisoformat(item.raised_at.replace("Z", "+00:00"))
    due, sla = _deadlines(need.reason, raised, cfg, calendar)
    agent = need.preferred_agent_arn
    actions = [
        CallbackItem.reason.set(need.reason),
        CallbackItem.sla_due_at.set(sla),
        CallbackItem.preferred_agent_arn.set(agent) if agent else CallbackItem.preferred_agent_arn.remove(),
    ]
    if retime and untouched:
        month = local_month(raised, calendar.zone)
        actions += [
            CallbackItem.raised_at.set(iso(raised)),
            CallbackItem.raised_month.set(month),
            CallbackItem.due_at.set(due),
        ]
    actions.append(
        CallbackItem.dispatch_key.set(store.dispatch_key(need.reason, due if retime and untouched else item.due_at))
    )
    try:
        store.update_where(item, actions, status_in=OPEN | {Status.UNREACHABLE})
    except CallbackConflict:
        return


# --- outcomes of attempts ------------------------------------------------------------------------


def _record_attempt(record: ContactRecord, cfg: Settings) -> None:
    if not record.ended or record.channel == "TASK":
        return  # a task is the agents' to-do; its callback closes through the agents' API
    callback_id = record.callback_id
    if callback_id is None and record.initiation_method in _OUTBOUND_METHODS:
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
    condition=None,
    extra: list | None = None,
    raise_conflict: bool = False,
) -> None:
    """Apply one attempt's outcome: done, failed for good, or due again after a back-off."""
    at = at or datetime.now().astimezone()
    actions = [CallbackItem.last_outcome.set(outcome), *(extra or [])]
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
            CallbackItem.dispatch_key.set(store.dispatch_key(item.reason, due)),
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
    count(f"CallbackAttempts{outcome.title().replace('_', '')}")


# --- dispatch --------------------------------------------------------------------------------------


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
    placed_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
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
    calendar = calendar or default_calendar()
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
            CallbackItem.dispatch_key.set(store.dispatch_key(item.reason, item.due_at)),
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


def _take(item: CallbackItem, attempt: int, now: datetime) -> bool:
    """Take the next attempt (PENDING → DIALING). A write whose answer was lost is told apart from
    one that never happened by reading the callback back."""
    recheck_key = store.dispatch_key(item.reason, iso(now + DIALING_RECHECK))
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
            CallbackItem.dispatch_key.set(store.dispatch_key(item.reason, iso(now + DIALING_RECHECK))),
        ],
        status_in=frozenset({Status.DIALING}),
        condition=CallbackItem.attempts == attempt,
    )
    CallbackMarker(store.attempt_marker(contact_id), callback_id=item.callback_id, attempt=attempt).save()
    contact = get_contact(contact_id)
    if contact is not None:  # its record came while the link was missing: apply it now
        _record_attempt(merge(contact.contact_id, contact.fact_list(), contact.first_seen_at), settings())


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
