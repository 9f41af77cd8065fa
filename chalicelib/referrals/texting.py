"""The text to a caller who chose SMS as the return channel: their answer is ready, ring the centre.

Sent once (claimed in `mail_claims` before the send, like the e-mails), in opening hours (it asks them to
call, so it goes when someone will answer), after the agents' Connect task: the referral stays ANSWERED,
so when the caller rings the contact flow tells the agent that an answer is waiting, with its reference,
and the agent gives it. The text carries the reference and the centre's number, never the answer.
A text the SMS service refuses (the number opted out, sending disabled) is not tried again: the
referral says so (`caller_sms` = refused) and the agents ring the caller instead.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.adapters import audit
from chalicelib.adapters.sms import SmsRefused, SmsSender, get_sms
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.referrals import messages, store
from chalicelib.referrals.mailing import send_once
from chalicelib.referrals.rules import TEXT, Status
from chalicelib.referrals.store import ReferralConflict, ReferralItem, audit_subject

CALLER_SMS = "sms#caller"
SENT, REFUSED = "sent", "refused"


def text_caller(item: ReferralItem, now: datetime, sender: SmsSender | None = None) -> ReferralItem:
    """Text the caller that the answer is ready (once), and take the step off the agenda. A certain
    failure (throttled, unreachable) raises with the claim given back, for the agenda's next run."""
    cfg = settings()
    outcome = SENT
    if not item.return_address:  # anonymised (retention, erasure) since it was answered
        outcome = REFUSED
    else:
        number = item.return_address
        try:
            # False: an earlier run claimed it, and sent it or lost the answer (never sent twice).
            send_once(
                item.referral_id,
                CALLER_SMS,
                lambda: messages.caller_sms(item.referral_id, item.reference, number, cfg),
                sender or get_sms(),
            )
        except SmsRefused as error:
            logger.warning(
                "caller's text refused; agents will ring", extra={"referral_id": item.referral_id, "error": str(error)}
            )
            count("ReferralSmsRefused")
            outcome = REFUSED
    try:
        item = store.transition(
            item.referral_id,
            {Status.ANSWERED},
            {"caller_sms": outcome, "caller_sms_at": iso(now), "next_action": None, "next_action_at": None},
            next_action=TEXT,
        )
    except ReferralConflict:
        return store.existing_referral(item.referral_id)  # returned or closed meanwhile, or another run
    # A disclosure to the phone's holder (the reference only), on record like every other (9(1)).
    audit.record(audit_subject(item.referral_id), "system:referrals", "caller_texted", f"outcome={outcome}", now)
    count("ReferralSmsSent" if outcome == SENT else "ReferralSmsNotSent")
    return item
