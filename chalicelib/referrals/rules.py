"""Pure rules of a referral: its states, its deadlines, its reference and what may change it.

A referral carries a caller's question the agent could not answer at once to the unit that can
(directive 6(7), 8(d)), and the unit's answer back to the caller through the centre.

    OPEN ──mail sent──▶ SENT ──unit answers──▶ ANSWERED ──agent returns it──▶ RETURNED ──▶ CLOSED
      │                  │ ├─"not ours"──▶ FORWARDED (a new referral to the named unit)
      │                  │ └─link expires─▶ EXPIRED ──agent tells the caller──▶ CLOSED
      ├─ never mailed by the expiry ──────▶ EXPIRED
      └──────────────────┴──────────────▶ CANCELLED (the caller no longer needs it)

Deadlines run in working time (Turkish calendar): a unit with a 16-hour target that gets a
question on Friday 16:00 is reminded on Monday at 15:30 (half the target) and is overdue on
Tuesday at 14:30; its link expires after `expiry_factor` times the target.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.core.workhours import WorkingCalendar


class Status:
    OPEN = "OPEN"  # recorded; the e-mail to the unit not yet sent
    SENT = "SENT"  # the unit has the question
    ANSWERED = "ANSWERED"  # the unit answered: agents' work, to return to the caller
    RETURNED = "RETURNED"  # an agent gave the caller the answer
    CLOSED = "CLOSED"  # done, with an outcome
    FORWARDED = "FORWARDED"  # the unit said "not ours"; a new referral went to the unit it named
    EXPIRED = "EXPIRED"  # the unit never answered: agents' work, to tell the caller
    CANCELLED = "CANCELLED"


ALL_STATUSES = (
    Status.OPEN,
    Status.SENT,
    Status.ANSWERED,
    Status.RETURNED,
    Status.CLOSED,
    Status.FORWARDED,
    Status.EXPIRED,
    Status.CANCELLED,
)
WITH_UNIT = frozenset({Status.OPEN, Status.SENT})  # waiting for the unit (the reply link works)
AGENT_WORK = frozenset({Status.ANSWERED, Status.EXPIRED})  # waiting for an agent to reach the caller
FINAL = frozenset({Status.CLOSED, Status.FORWARDED, Status.CANCELLED})
# Lists: work and what is under way come oldest first (who has waited longest); what is done, newest first.
LISTED_NEWEST_FIRST = FINAL | {Status.RETURNED}

# Which states each change may start from: the store makes each one a conditional write.
MAY_CANCEL = frozenset({Status.OPEN, Status.SENT, Status.ANSWERED, Status.EXPIRED})
MAY_CLOSE = frozenset({Status.ANSWERED, Status.EXPIRED, Status.RETURNED})

RETURN_CHANNELS = ("VOICE", "SMS", "EMAIL", "CHAT")
# How an agent closes a referral: the caller has the answer; could not be reached; was told that
# the unit gave no answer; the question went on as a new referral.
OUTCOMES = ("resolved", "caller_unreachable", "informed_no_answer", "new_referral")
CLOSING_OUTCOMES_BY_STATUS = {
    Status.ANSWERED: frozenset({"caller_unreachable"}),
    Status.EXPIRED: frozenset({"caller_unreachable", "informed_no_answer", "new_referral"}),
    Status.RETURNED: frozenset(OUTCOMES),
}

REFERENCE_PREFIX = "ÇİM"


def referral_id_for(source: str, unit_id: str) -> str:
    """One referral per contact (or forwarded referral) and unit: a retried request creates nothing new."""
    return "rf-" + hashlib.sha256(f"{source}|{unit_id}".encode()).hexdigest()[:20]


def reference(year: int, number: int) -> str:
    """The short reference people quote: ÇİM-2026-000123."""
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


@dataclass(frozen=True)
class Deadlines:
    remind_at: datetime  # half the unit's target has passed
    due_at: datetime  # the target: overdue from here on (deputy and supervisor told)
    expires_at: datetime  # reply links stop working; the referral goes back to the agents


def deadlines(sent: datetime, target_hours: float, expiry_factor: float, calendar: WorkingCalendar) -> Deadlines:
    target = timedelta(hours=target_hours)
    return Deadlines(
        remind_at=calendar.add_working_time(sent, target / 2),
        due_at=calendar.add_working_time(sent, target),
        expires_at=calendar.add_working_time(sent, target * max(expiry_factor, 1.0)),
    )


# --- the agenda: the one next thing the scheduler must do for a referral -----------------------------
# Each step's write names the next one and its time (`next_action`, `next_action_at`): send now, remind
# at half the target, escalate at the target, expire at the link's end; an answer starts a Connect task,
# and then, for a caller who chose SMS, texts them that it is ready.

SEND = "send"
REMIND = "remind"
ESCALATE = "escalate"
EXPIRE = "expire"
TASK = "task"
TEXT = "text"


def step_due(status: str, next_action: str | None, expires_at: str | None, now: str) -> str | None:
    """The step to take now for a referral on the agenda. One still with the unit past its expiry goes
    back to the agents whatever it was waiting for: a mail, reminder or escalation that keeps failing (an
    address SES refuses, a unit's data that breaks a message) must never keep the caller waiting for good."""
    if status in WITH_UNIT and expires_at and expires_at <= now and next_action in (SEND, REMIND, ESCALATE, EXPIRE):
        return EXPIRE
    return next_action


def in_working_hours_only(action: str | None) -> bool:
    """Reminders and escalations wait for opening hours (nobody reads them at night); sending does not.
    Nor does the caller's text: it asks them to ring the centre, so it goes when someone will answer."""
    return action in (REMIND, ESCALATE, TEXT)


def after_task(return_channel: str, texted: bool) -> str | None:
    """What follows the agents' task for an answer: the caller's text when they chose SMS (once)."""
    return TEXT if return_channel == "SMS" and not texted else None


def sms_return_refusal(return_channel: str, sms_consent: bool) -> tuple[str, str] | None:
    """(field, why) when a referral may not be returned by SMS as asked: a text goes to a caller's phone
    only with their consent to it, recorded with the referral (KVKK art. 5; directive 9(2))."""
    if return_channel == "SMS" and not sms_consent:
        return (
            "sms_consent",
            "Arayanın SMS iznini kaydedin ya da başka bir yanıt kanalı seçin. / "
            "Record the caller's consent to SMS, or choose another return channel.",
        )
    return None


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (the value at rank ceil(fraction × n)); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))  # round: 0.9 × 10 is 9.000000000000002
    return ordered[min(max(rank, 1), len(ordered)) - 1]
