"""Mailing: the e-mails a referral sends (the question to its unit, reminders, escalations, the answer
to a caller who asked for it by e-mail), each claimed before it is sent, so a retry never mails twice;
the caller's text (`texting`) is claimed and sent the same way.

Also the signed reply links those e-mails carry, and the delivery that moves a referral from OPEN to
SENT once every unit address has its e-mail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from chalicelib.adapters import audit
from chalicelib.adapters.mail import Notifier, OutgoingEmail, get_notifier
from chalicelib.adapters.sms import SmsOutcomeUnknown
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.referrals import links, messages, store, units
from chalicelib.referrals.rules import REMIND, Status
from chalicelib.referrals.store import ReferralConflict, ReferralItem

# The request reached SES (or the SMS service) and the answer was lost: it may have been sent.
AMBIGUOUS_SEND_ERRORS = (ReadTimeoutError, ConnectionClosedError, SmsOutcomeUnknown)

Message = TypeVar("Message", contravariant=True)


class Sender(Protocol[Message]):
    """An e-mail notifier or an SMS sender: sends one message, returns the provider's id."""

    def send(self, message: Message, /) -> str: ...


class MailNotSent(RuntimeError):
    """SES refused or throttled an e-mail; the claim is given back for the next run."""


def send_once(referral_id: str, key: str, build: Callable[[], Message], notifier: Sender[Message]) -> bool:
    """Send unless `key` was sent before. A send that certainly failed (refused, throttled, never
    connected) gives the claim back for the next run; one whose outcome is unknown (the request went
    out, the answer was lost) keeps it: SES has no idempotency key, and a unit mailed twice is worse
    than the supervisor told that one e-mail may not have gone (metric ReferralMailOutcomeUnknown)."""
    token = uuid.uuid4().hex
    if not store.claim_mail(referral_id, key, token):
        return False
    try:
        message_id = notifier.send(build())
    except AMBIGUOUS_SEND_ERRORS:
        logger.error("referral message outcome unknown; not resent", extra={"referral_id": referral_id, "mail": key})
        count("ReferralMailOutcomeUnknown")
        raise
    except ClientError as error:
        store.release_mail(referral_id, key, token)
        # SES's message may quote the recipient (the caller's address on an EMAIL return): keep the code only.
        code = error.response.get("Error", {}).get("Code", "ClientError")
        raise MailNotSent(f"referral {referral_id} e-mail {key}: SES {code}") from None
    except Exception:
        store.release_mail(referral_id, key, token)
        raise
    logger.info("referral message sent", extra={"referral_id": referral_id, "mail": key, "message_id": message_id})
    return True


def link_keys(cfg: Settings) -> links.LinkKeys:
    """Links are signed with the current secret; the previous one still opens what it signed (rotation)."""
    previous = cfg.secret("referral_link_secret_previous") if cfg.referral_link_secret_previous else None
    return links.LinkKeys(cfg.secret("referral_link_secret"), previous)


def reply_link(item: ReferralItem, recipient: int, cfg: Settings) -> str:
    expires = datetime.fromisoformat(item.expires_at)
    token = links.sign(cfg.secret("referral_link_secret"), item.referral_id, recipient, expires)
    return f"{cfg.public_base_url.rstrip('/')}/reply/{token}"


def mail_facts(item: ReferralItem) -> messages.ReferralMailFacts:
    unit = units.get_unit(item.unit_id)
    identity = None
    if item.consent:
        identity = ", ".join(part for part in (item.caller_name, item.caller_number) if part) or None
    return messages.ReferralMailFacts(
        referral_id=item.referral_id,
        reference=item.reference,
        unit_tr=unit.name_tr if unit else item.unit_name,
        unit_en=unit.name_en if unit else item.unit_name,
        category=item.category,
        question=item.question,
        created_at=item.created_at,
        due_at=item.due_at,
        expires_at=item.expires_at,
        identity=identity,
    )


def mail_unit(item: ReferralItem, kind: str, indexes: list[int], notifier: Notifier, cfg: Settings) -> int:
    """Mail the unit's addresses at `indexes` (each with its own reply link); how many were sent now."""
    facts, sent = mail_facts(item), 0
    for index in indexes:
        address = item.recipients[index]

        def build(address: str = address, index: int = index) -> OutgoingEmail:  # built only once claimed
            return messages.unit_email(facts, kind, address, reply_link(item, index, cfg), cfg)

        sent += send_once(item.referral_id, f"{kind}#{index}", build, notifier)
    return sent


def deliver(referral_id: str, now: datetime, notifier: Notifier | None = None) -> ReferralItem:
    """Mail the question to every unit address (each once), then mark the referral SENT."""
    cfg, notifier = settings(), notifier or get_notifier()
    item = store.existing_referral(referral_id)
    if item.status != Status.OPEN:
        return item
    mail_unit(item, "unit", list(range(len(item.recipients or []))), notifier, cfg)
    try:
        item = store.transition(
            referral_id,
            {Status.OPEN},
            {"status": Status.SENT, "sent_at": iso(now), "next_action": REMIND, "next_action_at": item.remind_at},
        )
    except ReferralConflict:
        return store.existing_referral(referral_id)  # cancelled meanwhile, or another run got there first
    audit.record(
        store.audit_subject(referral_id),
        "system:referrals",
        "disclosed_to_unit",
        f"recipients={len(item.recipients or [])}; identity={'shared' if item.consent else 'withheld'}",
        now,
    )
    return item


def deliver_quietly(referral_id: str, now: datetime) -> ReferralItem:
    """Deliver now if SES answers; otherwise the referral stays OPEN and the agenda retries it."""
    try:
        return deliver(referral_id, now)
    except Exception as error:
        logger.error(
            "referral e-mail failed; the agenda retries it",
            extra={"referral_id": referral_id, "error": type(error).__name__},
        )
        count("ReferralMailFailures")
        return store.existing_referral(referral_id)
