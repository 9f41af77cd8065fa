"""The agents' side: refer a caller's question to a unit, then read, claim, return, close or cancel it.

Every change is a conditional write on the referral's state (and on the claim), a repeated request is
answered with the referral as it stands, and every read of a question or an answer is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters import audit
from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.mail import Notifier, get_notifier
from chalicelib.adapters.paging import Page
from chalicelib.contacts import store as contacts
from chalicelib.contacts.merge import merge
from chalicelib.contacts.store import ContactNotFound
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, DomainError, Invalid
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import e164, is_mobile
from chalicelib.core.times import iso
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.referrals import messages, store, units
from chalicelib.referrals.mailing import deliver_quietly, mail_facts, send_once
from chalicelib.referrals.opening import new_item
from chalicelib.referrals.rules import (
    AGENT_WORK,
    CLOSING_OUTCOMES_BY_STATUS,
    LISTED_NEWEST_FIRST,
    MAY_CANCEL,
    MAY_CLOSE,
    Status,
    referral_id_for,
    sms_return_refusal,
)
from chalicelib.referrals.store import ReferralConflict, ReferralItem, audit_subject, existing_referral


def refused(field: str, message: str, status: int = 400) -> DomainError:
    """The request cannot be done as asked: invalid input (400), or the referral's state is in the way (409)."""
    return Conflict(message, field) if status == 409 else Invalid(message, field)


@dataclass(frozen=True)
class NewReferral:
    contact_id: str
    unit_id: str
    question: str
    category: str
    return_channel: str
    return_address: str | None = None
    consent: bool = False
    caller_name: str | None = None
    sms_consent: bool = False


# --- creating --------------------------------------------------------------------------------------------


def _return_address(channel: str, given: str | None, caller_number: str | None) -> str | None:
    if channel in ("VOICE", "SMS"):
        if given:
            number, why = e164(given)
            if number is None:
                raise refused("return_address", f"must be a phone number in E.164 form such as +905xxxxxxxxx ({why})")
        elif caller_number is None:
            raise refused("return_address", "the caller's number is unknown (withheld): give the number to return to")
        else:
            number = caller_number
        if channel == "SMS" and not is_mobile(number):
            raise refused("return_address", "an SMS needs a mobile number (+905xxxxxxxxx): this one is a landline")
        return number
    if channel == "EMAIL":
        if not given:
            raise refused("return_address", "an e-mail address is needed to return the answer by e-mail")
        try:
            return units.valid_address(given)
        except ValueError as error:
            raise refused("return_address", str(error)) from None
    return None  # CHAT: the agent answers in the caller's next chat


def create(
    request: NewReferral, agent: str, now: datetime, calendar: WorkingCalendar | None = None
) -> tuple[ReferralItem, bool]:
    """Record the referral and mail the unit. Returns (referral, created); asking twice for the same
    contact and unit returns the first referral, unchanged."""
    cfg, calendar = settings(), calendar or centre_calendar()
    refusal = sms_return_refusal(request.return_channel, request.sms_consent)
    if refusal is not None:
        raise refused(*refusal)
    unit = units.get_unit(request.unit_id)
    if unit is None or not unit.active:
        raise refused("unit_id", f"no active unit '{request.unit_id}' in the units directory")
    referral_id = referral_id_for(request.contact_id, request.unit_id)
    existing = store.get_referral(referral_id)
    if existing is not None:
        return _shown_again(existing, agent, "asked again: the existing referral", now), False
    contact = contacts.get_contact(request.contact_id)
    if contact is None:
        raise ContactNotFound(request.contact_id)
    record = merge(contact.contact_id, contact.fact_list(), contact.first_seen_at)
    number, _ = e164(record.customer_address)
    address = _return_address(request.return_channel, request.return_address, number)
    item = new_item(
        referral_id,
        request.contact_id,
        unit,
        request.question,
        request.category,
        request.return_channel,
        address,
        request.consent,
        request.sms_consent,
        request.caller_name,
        number,
        iso(record.initiated_at),
        f"agent:{agent}",
        now,
        calendar,
        cfg,
    )
    if not store.create(item):  # another request created it meanwhile
        return _shown_again(existing_referral(referral_id), agent, "asked again: the existing referral", now), False
    # Who recorded which consent, and when: the proof KVKK asks of the centre (art. 5).
    consents = f"consent={request.consent}; sms_consent={bool(item.sms_consent)}"
    audit.record(audit_subject(referral_id), f"agent:{agent}", "created", f"unit={unit.unit_id}; {consents}", now)
    count("ReferralsCreated")
    logger.info("referral created", extra={"referral_id": referral_id, "unit_id": unit.unit_id})
    return deliver_quietly(referral_id, now), True


# --- reading and taking ------------------------------------------------------------------------------------


def work_list(status: str | None, unit_id: str | None, limit: int, cursor: str | None) -> Page[ReferralItem]:
    """A page of the agents' list: `status`, or by default their work (answers to return, expired
    referrals). Work and referrals under way come oldest first, finished ones newest first."""
    statuses = tuple(sorted(AGENT_WORK)) if status is None else (status,)
    return store.status_page(statuses, unit_id, status in LISTED_NEWEST_FIRST, limit, cursor)


def _shown_again(item: ReferralItem, agent: str, why: str, now: datetime) -> ReferralItem:
    """A repeated request is answered with the referral as it stands, question and answer included:
    that answer is a read, audited like the first (9(1))."""
    audit.record(audit_subject(item.referral_id), f"agent:{agent}", "read", why, now)
    return item


def read(referral_id: str, agent: str, now: datetime) -> ReferralItem:
    """One referral with its question and answer; the read is audited."""
    item = existing_referral(referral_id)
    audit.record(audit_subject(referral_id), f"agent:{agent}", "read", "question and answer", now)
    return item


def claim(referral_id: str, agent: str, now: datetime) -> ReferralItem:
    item = existing_referral(referral_id)
    if item.status not in AGENT_WORK:
        raise refused("status", f"referral is {item.status}: only ANSWERED or EXPIRED ones are taken", 409)
    if item.claimed_by == agent:
        return _shown_again(item, agent, "claimed again: question, answer and return address", now)
    try:
        item = store.transition(referral_id, AGENT_WORK, {"claimed_by": agent, "claimed_at": iso(now)}, claimed_by=None)
    except ReferralConflict:
        raise refused("claimed_by", "another agent took this referral", 409) from None
    # The claimant sees the question, the answer and the caller's address in full.
    audit.record(audit_subject(referral_id), f"agent:{agent}", "claimed", "question, answer and return address", now)
    return item


# --- returning, closing, cancelling ------------------------------------------------------------------------


def _repeated(item: ReferralItem, by: str, agent: str) -> bool:
    """Whether `agent` already did this step (its `by` attribute names them): a repeat is answered
    with the referral as it stands, not a 409, so a retried request is safe."""
    return item.status in (Status.RETURNED, Status.CLOSED) and getattr(item, by, None) == agent


def _note(item: ReferralItem, agent: str, note: str | None) -> list[str] | None:
    if not note:
        return None
    if item.anonymised_at:  # KVKK: an erased or retired referral never takes free text again
        raise refused(
            "note", "Bu yönlendirme anonimleştirildi; not eklenemez. / This referral was anonymised: no note.", 409
        )
    return [*(item.notes or []), f"{agent}: {note}"]


def _not_anonymised_if(note: str | None) -> dict[str, None]:
    """The write condition that keeps a note off a referral anonymised between our read and our write."""
    return {"anonymised_at": None} if note else {}


def return_answer(
    referral_id: str, agent: str, outcome: str | None, note: str | None, now: datetime, notifier: Notifier | None = None
) -> ReferralItem:
    """The agent has given (or, for EMAIL, the system sends) the answer to the caller; with an outcome
    the referral is closed in the same step."""
    item = existing_referral(referral_id)
    if _repeated(item, "returned_by", agent) and (not outcome or item.outcome == outcome):
        # The agent's second click after a lost answer: the first one landed.
        return _shown_again(item, agent, "returned again", now)
    if item.status != Status.ANSWERED:
        raise refused("status", f"referral is {item.status}: only an ANSWERED referral is returned", 409)
    if item.claimed_by != agent:
        raise refused("claimed_by", "take the referral first (POST …/claim)", 409)
    if item.return_channel == "EMAIL" and item.return_address:
        cfg = settings()
        facts = mail_facts(item)
        send_once(
            referral_id,
            "caller#0",
            lambda: messages.caller_answer(facts, item.answer or "", item.return_address, item.caller_name, cfg),
            notifier or get_notifier(),
        )
    changes: dict[str, Any] = {
        "status": Status.RETURNED,
        "returned_at": iso(now),
        "returned_by": agent,
        "returned_channel": item.return_channel,
    }
    if outcome:
        changes |= {"status": Status.CLOSED, "closed_at": iso(now), "closed_by": agent, "outcome": outcome}
    if note:
        changes["notes"] = _note(item, agent, note)
    item = store.transition(referral_id, {Status.ANSWERED}, changes, claimed_by=agent, **_not_anonymised_if(note))
    audit.record(
        audit_subject(referral_id), f"agent:{agent}", "returned_to_caller", f"channel={item.return_channel}", now
    )
    if outcome:
        audit.record(audit_subject(referral_id), f"agent:{agent}", "closed", f"outcome={outcome}", now)
    count("ReferralsReturned")
    return item


def close(referral_id: str, agent: str, outcome: str, note: str | None, now: datetime) -> ReferralItem:
    item = existing_referral(referral_id)
    if item.status == Status.CLOSED and _repeated(item, "closed_by", agent) and item.outcome == outcome:
        return _shown_again(item, agent, "closed again", now)  # a second click after a lost answer
    if item.status not in MAY_CLOSE:
        raise refused("status", f"referral is {item.status} and cannot be closed", 409)
    if outcome not in CLOSING_OUTCOMES_BY_STATUS[item.status]:
        allowed = ", ".join(sorted(CLOSING_OUTCOMES_BY_STATUS[item.status]))
        raise refused("outcome", f"a {item.status} referral closes with one of: {allowed}")
    if item.claimed_by != agent:
        raise refused("claimed_by", "take the referral first (POST …/claim)", 409)
    changes: dict[str, Any] = {"status": Status.CLOSED, "closed_at": iso(now), "closed_by": agent, "outcome": outcome}
    if note:
        changes["notes"] = _note(item, agent, note)
    item = store.transition(referral_id, {item.status}, changes, claimed_by=agent, **_not_anonymised_if(note))
    audit.record(audit_subject(referral_id), f"agent:{agent}", "closed", f"outcome={outcome}", now)
    return item


def cancel(referral_id: str, agent: str, note: str | None, now: datetime) -> ReferralItem:
    item = existing_referral(referral_id)
    if item.status not in MAY_CANCEL:
        raise refused("status", f"referral is {item.status} and cannot be cancelled", 409)
    changes: dict[str, Any] = {
        "status": Status.CANCELLED,
        "cancelled_at": iso(now),
        "cancelled_by": agent,
        "next_action": None,
        "next_action_at": None,
    }
    if note:
        changes["notes"] = _note(item, agent, note)
    item = store.transition(referral_id, {item.status}, changes, **_not_anonymised_if(note))
    audit.record(audit_subject(referral_id), f"agent:{agent}", "cancelled", None, now)
    return item
