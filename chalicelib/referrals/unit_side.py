"""The unit's side: what a unit does through the signed link in its e-mail (open, answer, forward).

The link is the unit's only credential: it names the referral and the address it was sent to, and
stops working when the referral's time is up. Every read of the question is audited under that
address, and an answer or a forward is a conditional write on the referral still being with the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.adapters import audit
from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.referrals import links, store, units
from chalicelib.referrals.agenda import start_task
from chalicelib.referrals.mailing import deliver_quietly, link_keys
from chalicelib.referrals.opening import new_item
from chalicelib.referrals.rules import TASK, TEXT, WITH_UNIT, Status, referral_id_for
from chalicelib.referrals.store import ReferralItem, audit_subject
from chalicelib.referrals.texting import text_caller


@dataclass(frozen=True)
class UnitAccess:
    item: ReferralItem
    recipient: str  # the address the link was sent to

    @property
    def actor(self) -> str:
        return f"unit:{self.recipient}"


def open_link(token: str, now: datetime) -> UnitAccess:
    """The referral a reply link opens; links.LinkInvalid / links.LinkExpired when it opens nothing."""
    link = links.verify(link_keys(settings()), token, now)
    item = store.get_referral(link.referral_id)
    if item is None or link.recipient >= len(item.recipients or []):
        raise links.LinkInvalid("unknown referral")
    return UnitAccess(item, item.recipients[link.recipient])


def read_for_unit(access: UnitAccess, now: datetime, why: str = "reply page") -> None:
    audit.record(audit_subject(access.item.referral_id), access.actor, "read_question", why, now)


def answer(token: str, text: str, responder_name: str | None, now: datetime) -> ReferralItem:
    """Record the unit's answer; the referral becomes the agents' work (and a Connect task), and a caller
    who chose SMS is texted that it is ready (now in opening hours, else by the agenda at the opening)."""
    access = open_link(token, now)
    referral_id = access.item.referral_id
    item = store.transition(
        referral_id,
        WITH_UNIT,
        {
            "status": Status.ANSWERED,
            "answer": text,
            "responder_name": responder_name or None,
            "answered_at": iso(now),
            "answered_by": access.actor,
            "next_action": TASK,
            "next_action_at": iso(now),
        },
    )
    audit.record(audit_subject(referral_id), access.actor, "answered", None, now)
    count("ReferralsAnswered")
    logger.info("referral answered", extra={"referral_id": referral_id})
    try:
        item = start_task(item, now)
    except (ConnectUnavailable, ConnectRefused):
        logger.warning("referral task not started; the agenda retries it", extra={"referral_id": referral_id})
    if item.next_action == TEXT and centre_calendar().is_open(now):
        try:
            item = text_caller(item, now)
        except Exception as error:  # the page answers the unit whatever the SMS service does
            logger.warning(
                "caller's text not sent; the agenda retries it",
                extra={"referral_id": referral_id, "error": type(error).__name__},
            )
    return item


def forward(
    token: str, unit_id: str, note: str | None, now: datetime, calendar: WorkingCalendar | None = None
) -> ReferralItem:
    """ "Not ours": the question goes to `unit_id` as a new referral; this one ends FORWARDED."""
    cfg, calendar = settings(), calendar or centre_calendar()
    access = open_link(token, now)
    original = access.item
    target = units.get_unit(unit_id)
    if target is None or not target.active:
        raise Invalid("Lütfen listeden bir birim seçin. / Please choose a unit from the list.", "forward_unit")
    if target.unit_id == original.unit_id:
        raise Invalid(
            "Soru zaten bu birimde; başka bir birim seçin. / The question is already with this unit.", "forward_unit"
        )
    child = new_item(
        referral_id_for(original.referral_id, target.unit_id),
        original.contact_id,
        target,
        original.question,
        original.category,
        original.return_channel,
        original.return_address,
        bool(original.consent),
        bool(original.sms_consent),
        original.caller_name,
        original.caller_number,
        original.contact_initiated_at,
        access.actor,
        now,
        calendar,
        cfg,
    )
    child.caller_key = original.caller_key
    child.forwarded_from = original.referral_id
    if note:
        child.notes = [f"{access.recipient} ({original.unit_name}): {note}"]
    store.forward(original.referral_id, child, iso(now))
    audit.record(audit_subject(original.referral_id), access.actor, "forwarded", f"to={target.unit_id}", now)
    audit.record(
        audit_subject(child.referral_id), access.actor, "created", f"forwarded_from={original.referral_id}", now
    )
    count("ReferralsForwarded")
    logger.info("referral forwarded", extra={"referral_id": original.referral_id, "to": child.referral_id})
    deliver_quietly(child.referral_id, now)
    return store.existing_referral(original.referral_id)
