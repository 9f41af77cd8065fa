"""Raising callbacks: what a contact's new state means for callbacks, the intake pipeline's reaction.

A lost call, a system drop or a caller's request raises a callback (one asked in the closed centre's
flow is rung at the opening right after the system drops); a later input may revise it (a
new reason, the call's real end time), withdraw it (answered after all) or fold it into the caller's
open one; a caller who gets through cancels their earlier lost call's. Every change is a conditional
write, so a redelivered input never applies twice. Times that decide a callback (raised, due, SLA)
come from the contact's own timestamps, not the wall clock, so replaying the same inputs later gives
the same callbacks. An outbound contact is an attempt of ours: `outcomes` applies it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.adapters.closures import centre_calendar
from chalicelib.callbacks import store
from chalicelib.callbacks.notices import text_after_drop
from chalicelib.callbacks.outcomes import record_attempt
from chalicelib.callbacks.rules import (
    ABANDONED,
    NUMBER_UNKNOWN,
    OPEN,
    OUTBOUND_METHODS,
    SYSTEM_DROP,
    CallbackNeed,
    Status,
    callback_id_for,
    callback_need,
    sla_due,
)
from chalicelib.callbacks.store import CallbackConflict, CallbackItem
from chalicelib.contacts import store as contact_store
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.store import ContactItem, contacts_of_caller
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import caller_key, e164
from chalicelib.core.times import iso, local_month, utc_month
from chalicelib.core.workhours import WorkingCalendar, default_calendar

GOT_THROUGH = "caller_got_through"  # the close reason of a lost call's callback whose caller reached an agent
# Inputs that can end a call (COMPLETED only repeats DISCONNECTED): where "got through" is checked.
_ENDING_SOURCES = frozenset({"ctr", "event:DISCONNECTED"})


def _state(value: str | None) -> tuple[str | None, str, str | None, str | None]:
    """The contact's callback link: ("own"|"linked", callback_id, reason, raised_at); no link: kind None."""
    if not value:
        return None, "", None, None
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
    if record.initiation_method in OUTBOUND_METHODS or record.callback_id:
        record_attempt(record, cfg)
        return None
    if not record.is_inbound_call or not (record.ended or record.callback_requested):
        return None
    calendar = calendar or centre_calendar()  # the deadlines count working hours, closures included
    if record.answered and source in _ENDING_SOURCES and record.open_callback_seen is not False:
        # When the flow looked and found none, there is nothing to close: no read. A callback raised
        # after that look, while this call waited, is caught by the dispatcher's own check.
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
        dispatch_key=store.dispatch_key(need.reason, due, need.out_of_hours),
        sla_due_at=sla,
        out_of_hours=need.out_of_hours or None,
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
        existing = store.open_callback_of(need.number) if need.number else None  # claimed by number: always one
        if existing is None:  # closed in between: try again on the next input
            return None
        store.link_contact(existing, record.contact_id)
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
            store.mark_caller_if_free(item)
    if result in ("created", "exists") and need.reason == SYSTEM_DROP and need.number:
        # Once whatever the deliveries (claimed on the callback): an earlier try may have died before it.
        text_after_drop(item, cfg)
    return _link("own", item.callback_id, need.reason, iso(raised))


def _got_through_later(record: ContactRecord, number: str) -> bool:
    """Did this caller reach an agent on a call that started after this one? (4(a): no callback then)."""
    return (
        record.initiated_at is not None
        and got_through_since(number, record.initiated_at, record.contact_id) is not None
    )


def got_through_since(number: str, after: datetime, exclude: str) -> datetime | None:
    """When the caller's first call started after `after` reached an agent, or None (the keyed index
    from that Istanbul day on; `exclude` is the lost call itself)."""
    day = after.astimezone(default_calendar().zone).date().isoformat()
    keys = [k for k in contacts_of_caller(number, day) if k != exclude]
    starts = []
    for item in ContactItem.batch_get(keys) if keys else []:
        later = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        if later.is_inbound_call and later.answered and later.initiated_at and later.initiated_at > after:
            starts.append(later.initiated_at)
    return min(starts) if starts else None


def _caller_got_through(record: ContactRecord) -> None:
    """The caller reached an agent: their earlier lost call needs no callback any more."""
    number, _ = e164(record.customer_address)
    if not number:
        return
    item = store.open_callback_of(number)
    if item is None or record.initiated_at is None or item.raised_at >= iso(record.initiated_at):
        return
    cancel_got_through(item, record.initiated_at)


def cancel_got_through(item: CallbackItem, at: datetime) -> bool:
    """Cancel a pending callback whose caller reached an agent at `at`; never a system drop's (6(6))."""
    if item.reason == SYSTEM_DROP or item.status != Status.PENDING:
        return False
    try:
        store.update_where(
            item,
            [
                CallbackItem.status.set(Status.CANCELLED),
                CallbackItem.close_reason.set(GOT_THROUGH),
                CallbackItem.closed_at.set(iso(at)),
            ],
            status_in=frozenset({Status.PENDING}),
        )
    except CallbackConflict:
        return False
    store.release_caller(item)
    count("CallbacksCancelled")
    _raise_for_later_calls(item, at)
    return True


def _raise_for_later_calls(item: CallbackItem, reached: datetime) -> None:
    """Lost calls folded into a callback that the caller's getting through has just cancelled: those
    that started after the call that got through still need a callback of their own, as they would
    have had if that call had been recorded first (the same inputs in any order, the same callbacks)."""
    if not item.linked_contact_ids:
        return
    cfg, calendar = settings(), centre_calendar()
    later = [
        record
        for stored in ContactItem.batch_get(sorted(item.linked_contact_ids))
        if (record := merge(stored.contact_id, stored.fact_list(), stored.first_seen_at)).initiated_at
        and record.initiated_at > reached
    ]
    for record in sorted(later, key=lambda r: (r.initiated_at, r.contact_id)):
        need = callback_need(record, cfg.short_abandon_seconds)
        if need is None or not need.number:
            continue
        link = _raise(record, need, cfg, calendar)
        if link is not None:
            contact_store.set_callback_link(record.contact_id, link)


def _withdraw(callback_id: str | None) -> str | None:
    """A later input shows no callback is needed (answered after all, out of scope): undo it if untouched."""
    item = store.get_callback(callback_id) if callback_id else None
    if item is None:
        return ""
    if item.status not in (Status.PENDING, Status.UNREACHABLE) or item.attempts:
        return None  # already under way: it stays, and its outcome will tell
    try:
        store.delete_untouched(item)
    except CallbackConflict:
        return None  # taken or placed in between
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
    # A lost call's callback cancelled because the caller got through later, and the call turns out to be
    # a system drop: those are never cancelled so (6(6), `cancel_got_through`), so it is pending again.
    revived = (
        item is not None
        and need.reason == SYSTEM_DROP
        and item.status == Status.CANCELLED
        and item.close_reason == GOT_THROUGH
    )
    if item is not None and item.status == Status.CANCELLED and not revived:
        _redate_cancelled(item, need, record, calendar, retime)
        return
    if item is None or not (item.is_open or item.status == Status.UNREACHABLE or revived):
        return
    unreachable = item.status == Status.UNREACHABLE
    untouched = (item.status == Status.PENDING or unreachable or revived) and not item.attempts
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
        if unreachable:  # closed as it was raised: at the call's own time too, not when we first heard of it
            actions.append(CallbackItem.closed_at.set(iso(raised)))
    actions += [
        CallbackItem.dispatch_key.set(
            store.dispatch_key(need.reason, due if retime and untouched else item.due_at, need.out_of_hours)
        ),
        CallbackItem.out_of_hours.set(True) if need.out_of_hours else CallbackItem.out_of_hours.remove(),
    ]
    status_in, condition = OPEN | {Status.UNREACHABLE}, None
    if revived:
        actions += [
            CallbackItem.status.set(Status.PENDING),
            CallbackItem.close_reason.remove(),
            CallbackItem.closed_at.remove(),
            CallbackItem.sla_watch.set(store.WATCHED),
        ]
        status_in, condition = frozenset({Status.CANCELLED}), CallbackItem.close_reason == GOT_THROUGH
    try:
        store.update_where(item, actions, status_in=status_in, condition=condition)
    except CallbackConflict:
        return
    if revived:  # as a system drop raised now: the caller's marker if free, and the text saying we will ring
        count("CallbacksRevived")
        if item.caller:
            store.mark_caller_if_free(item)
            text_after_drop(item, cfg)


def _redate_cancelled(
    item: CallbackItem, need: CallbackNeed, record: ContactRecord, calendar: WorkingCalendar, retime: bool
) -> None:
    """A cancelled callback is counted in the month it was raised, for its reason: a later input that tells
    the call's own time or reason still applies, so the records do not depend on the order of arrival."""
    if item.attempts:
        return
    actions = [CallbackItem.reason.set(need.reason)]
    if retime:
        raised = _raised_at(record)
        actions += [
            CallbackItem.raised_at.set(iso(raised)),
            CallbackItem.raised_month.set(local_month(raised, calendar.zone)),
        ]
    try:
        store.update_where(item, actions, status_in=frozenset({Status.CANCELLED}))
    except CallbackConflict:
        return
