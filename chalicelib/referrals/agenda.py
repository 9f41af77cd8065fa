"""The agenda: what the scheduler does every 10 minutes for the referrals whose next step is due.

Send the question, remind the unit at half its target, escalate to the deputy and the supervisor at
the target, expire the link and hand the referral back to the agents, start the Connect task that
tells an agent an answer is ready, and text a caller who chose SMS that it is (in opening hours).
Each referral is on its own: one that fails is left to the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.connect import ConnectPort, ReferralTask, get_connect
from chalicelib.adapters.mail import Notifier, get_notifier
from chalicelib.adapters.sms import SmsSender
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.referrals import messages, store, units
from chalicelib.referrals.mailing import deliver, mail_facts, mail_unit, send_once
from chalicelib.referrals.rules import (
    ESCALATE,
    EXPIRE,
    REMIND,
    SEND,
    TASK,
    TEXT,
    WITH_UNIT,
    Status,
    after_task,
    in_working_hours_only,
    step_due,
)
from chalicelib.referrals.store import ReferralConflict, ReferralItem
from chalicelib.referrals.texting import text_caller


def start_task(item: ReferralItem, now: datetime, connect: ConnectPort | None = None) -> ReferralItem:
    """An answered referral becomes a Connect task for the agents (once: the same ClientToken); then,
    if the caller chose SMS, their text is the next step."""
    task = ReferralTask(item.referral_id, item.reference, item.unit_name, item.return_channel)
    contact_id = (connect or get_connect()).start_referral_task(task)
    following = after_task(item.return_channel, bool(item.caller_sms))
    when = iso(now) if following else None
    changes = {"task_contact_id": contact_id, "next_action": following, "next_action_at": when}
    try:
        return store.transition(item.referral_id, {Status.ANSWERED}, changes, task_contact_id=None)
    except ReferralConflict:
        return store.existing_referral(item.referral_id)  # already recorded (same ClientToken, same task) or moved on


def _remind(item: ReferralItem, now: datetime, notifier: Notifier, cfg: Settings) -> None:
    mail_unit(item, "reminder", list(range(len(item.recipients or []))), notifier, cfg)
    store.transition(
        item.referral_id,
        {Status.SENT},
        {"reminded_at": iso(now), "next_action": ESCALATE, "next_action_at": item.due_at},
        next_action=REMIND,
    )


def _escalate(item: ReferralItem, now: datetime, notifier: Notifier, cfg: Settings) -> None:
    unit = units.get_unit(item.unit_id)
    deputy = unit.deputy_email if unit else None
    if deputy:
        index = store.add_recipient(item.referral_id, deputy)
        item = store.existing_referral(item.referral_id)
        mail_unit(item, "escalation", [index], notifier, cfg)
        facts = mail_facts(item)
        send_once(
            item.referral_id, "supervisor#0", lambda: messages.supervisor_escalation(facts, deputy, cfg), notifier
        )
    store.transition(
        item.referral_id,
        {Status.SENT},
        {"escalated_at": iso(now), "next_action": EXPIRE, "next_action_at": item.expires_at},
        next_action=ESCALATE,
    )
    count("ReferralsEscalated")


def _expire(item: ReferralItem, now: datetime) -> None:
    # Only on the status: the step it was waiting for (a mail, a reminder, an escalation) may never have succeeded.
    store.transition(
        item.referral_id,
        WITH_UNIT,
        {"status": Status.EXPIRED, "expired_at": iso(now), "next_action": None, "next_action_at": None},
    )
    if not item.escalated_at:
        logger.warning(
            "referral expired without its escalation", extra={"referral_id": item.referral_id, "status": item.status}
        )
    count("ReferralsExpired")


@dataclass
class AgendaSummary:
    done: dict[str, int] = field(default_factory=dict)
    waiting_for_hours: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "done": dict(sorted(self.done.items())),
            "waiting_for_hours": self.waiting_for_hours,
            "failed": self.failed,
        }


def run_agenda(
    now: datetime,
    notifier: Notifier | None = None,
    connect: ConnectPort | None = None,
    calendar: WorkingCalendar | None = None,
    sms: SmsSender | None = None,
) -> AgendaSummary:
    """Everything due by `now`: send, remind (half the target), escalate (overdue), expire, start tasks,
    text callers. Reminders, escalations and texts wait for opening hours. Each referral is on its own:
    one that fails is logged by id and error class (never the message: it may quote an address), counted, and left to
    the next run, and the others go on; one past its expiry goes back to the agents whatever failed before."""
    cfg, calendar, notifier = settings(), calendar or centre_calendar(), notifier or get_notifier()
    summary, open_now = AgendaSummary(), calendar.is_open(now)
    for status in (Status.OPEN, Status.SENT, Status.ANSWERED):
        for item in store.due_on_agenda(status, iso(now)):
            action = step_due(item.status, item.next_action, item.expires_at, iso(now))
            if in_working_hours_only(action) and not open_now:
                summary.waiting_for_hours += 1
                continue
            try:
                if action == SEND:
                    deliver(item.referral_id, now, notifier)
                elif action == REMIND:
                    _remind(item, now, notifier, cfg)
                elif action == ESCALATE:
                    _escalate(item, now, notifier, cfg)
                elif action == EXPIRE:
                    _expire(item, now)
                elif action == TASK:
                    start_task(item, now, connect)
                elif action == TEXT:
                    text_caller(item, now, sms)
                else:
                    continue
            except ReferralConflict:
                continue  # changed meanwhile (answered, cancelled, another run): nothing to do
            except Exception as error:
                logger.error(
                    "referral agenda step failed; the next run tries again",
                    extra={"referral_id": item.referral_id, "step": action, "error": type(error).__name__},
                )
                count("ReferralAgendaFailures")
                summary.failed += 1
                continue
            summary.done[action] = summary.done.get(action, 0) + 1
    return summary
