"""A new referral's record, as an agent's referral and a unit's forward both open one.

Its deadlines run from the unit's target in working time, its reference is the year's next number,
the caller's name and number are kept only when the caller consented to the unit seeing them, and
their consent to a text is recorded with the SMS return channel it allows.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.core.config import Settings
from chalicelib.core.phones import caller_key
from chalicelib.core.times import iso, utc_month
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.referrals import store, units
from chalicelib.referrals.rules import SEND, Status, deadlines, reference
from chalicelib.referrals.store import ReferralItem


def new_item(
    referral_id: str,
    contact_id: str,
    unit: units.UnitItem,
    question: str,
    category: str,
    channel: str,
    address: str | None,
    consent: bool,
    sms_consent: bool,
    name: str | None,
    number: str | None,
    initiated_at: str | None,
    created_by: str,
    now: datetime,
    calendar: WorkingCalendar,
    cfg: Settings,
) -> ReferralItem:
    """The referral as first written: OPEN, its e-mail to the unit due now."""
    local = now.astimezone(cfg.zone)
    due = deadlines(now, float(unit.target_hours), cfg.referral_expiry_factor, calendar)
    return ReferralItem(
        referral_id,
        reference=reference(local.year, store.next_reference_number(local.year)),
        contact_id=contact_id,
        contact_initiated_at=initiated_at,
        unit_id=unit.unit_id,
        unit_name=unit.name_tr,
        category=category,
        question=question,
        return_channel=channel,
        return_address=address,
        consent=consent,
        # Consent to a text is about the SMS return channel alone: recorded only where one will be sent.
        sms_consent=sms_consent and channel == "SMS",
        # Without consent the unit never sees who asked, so there is no reason to keep the name.
        caller_name=name if consent else None,
        caller_number=number if consent else None,
        caller_key=caller_key(number) if number else None,
        status=Status.OPEN,
        created_at=iso(now),
        created_month=f"{local:%Y-%m}",
        unit_created=store.unit_created(unit.unit_id, iso(now)),
        created_by=created_by,
        target_hours=float(unit.target_hours),
        remind_at=iso(due.remind_at),
        due_at=iso(due.due_at),
        expires_at=iso(due.expires_at),
        recipients=list(unit.emails),
        next_action=SEND,
        next_action_at=iso(now),
        personal_month=utc_month(now),
        personal_since=iso(now),
    )
