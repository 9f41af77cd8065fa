"""Pure: when a contact earns a callback, how urgent it is, and what an attempt's contact means.

No AWS here: the store and the dispatcher apply these decisions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.contacts.categories import OUT_OF_SCOPE
from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.phones import e164
from chalicelib.core.workhours import WorkingCalendar

SYSTEM_DROP = "system_drop"
REQUESTED = "requested"
ABANDONED = "abandoned"
# Dispatch order: system faults first (6(6), 8(ç)), then callers who asked, then lost calls.
PRIORITY = {SYSTEM_DROP: 0, REQUESTED: 1, ABANDONED: 2}
# A caller who asked out of hours to be called "when you open" (6(4)) is due at once like any other, and
# the dispatcher, which rings only in opening hours, reaches them at the opening right after the system
# drops: a rank between theirs and the other requests'. Ranks lead the dispatch key and sort as text
# ("0#…" < "0.5#…" < "1#…"), so the keys already stored keep their meaning.
OUT_OF_HOURS_RANK = "0.5"


class Status:
    PENDING = "PENDING"  # due (at `due_at`), waiting for the dispatcher or an agent
    DIALING = "DIALING"  # placed with Amazon Connect, waiting for the attempt's outcome
    CLAIMED = "CLAIMED"  # an agent took it and returns the call
    COMPLETED = "COMPLETED"  # the caller was reached
    FAILED = "FAILED"  # not reached after every attempt, or Connect refused the number
    UNREACHABLE = "UNREACHABLE"  # no number we may call: withheld, or not E.164
    CANCELLED = "CANCELLED"  # no longer needed: the caller got through, or it was out of scope after all


OPEN = frozenset({Status.PENDING, Status.DIALING, Status.CLAIMED})
NUMBER_UNKNOWN = "number_unknown"
# How the calls we place start: a contact started so is an attempt (or an agent's own call), never a lost call.
OUTBOUND_METHODS = frozenset({"OUTBOUND", "API", "CALLBACK"})

# Outcomes of one attempt (and of an agent's manual call).
COMPLETED, NO_ANSWER, BUSY, WRONG_NUMBER = "COMPLETED", "NO_ANSWER", "BUSY", "WRONG_NUMBER"
OUTCOMES = (COMPLETED, NO_ANSWER, BUSY, WRONG_NUMBER)
_WRONG_NUMBER_REASONS = {"TELECOM_NUMBER_INVALID", "TELECOM_POTENTIAL_BLOCKING"}


@dataclass(frozen=True)
class CallbackNeed:
    """What a finished (or IVR-requested) inbound call asks of us."""

    reason: str
    number: str | None  # E.164, or None when unreachable
    unreachable_reason: str | None
    preferred_agent_arn: str | None
    out_of_hours: bool = False  # requested in the closed centre's flow: "call me back when you open"


def dispatch_rank(reason: str, out_of_hours: bool = False) -> str:
    """Where a callback stands in the dispatch order: its reason's priority, or the out-of-hours rank."""
    if out_of_hours and reason == REQUESTED:
        return OUT_OF_HOURS_RANK
    return str(PRIORITY.get(reason, 9))


# Every rank a callback can have, in dispatch order.
RANKS = tuple(sorted({*(str(p) for p in PRIORITY.values()), OUT_OF_HOURS_RANK}))


def callback_id_for(contact_id: str) -> str:
    """One callback per source contact, whatever the reason becomes as more inputs arrive."""
    return "cb-" + hashlib.sha256(contact_id.encode()).hexdigest()[:20]


def agent_matches(agent: str, claimed_by: str | None, preferred_agent_arn: str | None) -> bool:
    """Claimed by `agent`, or preferred for them (by full agent ARN, or the ARN's agent id)."""
    if claimed_by == agent:
        return True
    preferred = preferred_agent_arn or ""
    return bool(preferred) and (preferred == agent or preferred.endswith(f"/agent/{agent}"))


def queue_matches(queue: str, queue_name: str | None, queue_arn: str | None) -> bool:
    """The caller's queue, by name, full ARN or the ARN's queue id."""
    return queue in (queue_name, queue_arn) or (queue_arn or "").endswith(f"/queue/{queue}")


def callback_need(record: ContactRecord, short_abandon_seconds: float) -> CallbackNeed | None:
    """Directive 6(6), 8(ç) and 4(a): which inbound calls we return, and why. None: no callback."""
    if not record.is_inbound_call or record.category == OUT_OF_SCOPE:
        return None
    if record.system_dropped:
        reason = SYSTEM_DROP
    elif record.callback_requested:
        reason = REQUESTED
    elif record.abandoned:
        wait = record.queue_seconds
        if wait is not None and wait < short_abandon_seconds:
            return None  # a short abandon: a misdial or an instant change of mind
        reason = ABANDONED
    else:
        return None
    number, unreachable = e164(record.customer_address)
    if record.customer_address is None and not (record.has_ctr or record.has_flow):
        # Only events so far, and events never carry the caller's number: not withheld, just unknown yet.
        unreachable = NUMBER_UNKNOWN
    agent = record.agent_arn if reason == SYSTEM_DROP and record.connected else None
    return CallbackNeed(reason, number, unreachable, agent, reason == REQUESTED and record.callback_out_of_hours)


def sla_due(
    reason: str, since: datetime, calendar: WorkingCalendar, system_drop_hours: float, abandoned_days: float
) -> datetime:
    """When the callback must be done by, counting only opening hours."""
    if reason == SYSTEM_DROP:
        return calendar.add_working_time(since, timedelta(hours=system_drop_hours))
    return calendar.add_working_time(since, calendar.working_day * abandoned_days)


def retry_at(now: datetime, attempt: int, retry_minutes: int) -> datetime:
    """Back-off between attempts: 30 min, 60 min, 120 min…"""
    return now + timedelta(minutes=retry_minutes * 2 ** max(attempt - 1, 0))


def attempt_outcome(record: ContactRecord) -> str | None:
    """What a callback contact (our outbound call) achieved; None while it is still going on."""
    if record.connected:
        return COMPLETED
    if not record.ended:
        return None
    reason = record.disconnect_reason or ""
    if reason == "TELECOM_BUSY":
        return BUSY
    if reason in _WRONG_NUMBER_REASONS:
        return WRONG_NUMBER
    # Unanswered, timed out, never arrived, or answered but gone before an agent took it.
    return NO_ANSWER
