"""Referrals: a question goes from a call to the unit that can answer it, and the answer comes back
to the caller through the centre (directive 6(7), 8(d)); units see only what they need (9(2)).

Every change is a conditional write on the referral's state, every e-mail is claimed before it is
sent, and every read of a question or an answer is written to the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters import audit
from chalicelib.adapters.connect import ConnectPort, ConnectRefused, ConnectUnavailable, ReferralTask, get_connect
from chalicelib.adapters.mail import Notifier, OutgoingEmail, get_notifier
from chalicelib.adapters.paging import Page
from chalicelib.contacts import store as contacts
from chalicelib.contacts.merge import merge
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Conflict, DomainError, Invalid, NotFound
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import caller_key, e164
from chalicelib.core.times import iso, utc_month
from chalicelib.core.workhours import WorkingCalendar, default_calendar
from chalicelib.referrals import links, messages, store, units
from chalicelib.referrals.rules import (
    AGENT_WORK,
    CLOSING_OUTCOMES_BY_STATUS,
    ESCALATE,
    EXPIRE,
    LISTED_NEWEST_FIRST,
    MAY_CANCEL,
    MAY_CLOSE,
    REMIND,
    SEND,
    TASK,
    WITH_UNIT,
    Status,
    deadlines,
    in_working_hours_only,
    reference,
    referral_id_for,
    step_due,
)
from chalicelib.referrals.store import ReferralConflict, ReferralItem

# The request reached SES and the answer was lost: it may have been sent.
AMBIGUOUS_SEND_ERRORS = (ReadTimeoutError, ConnectionClosedError)


class MailNotSent(RuntimeError):
    """SES refused or throttled an e-mail; the claim is given back for the next run."""


class ReferralNotFound(NotFound):
    def __init__(self, referral_id: str) -> None:
        super().__init__(f"referral {referral_id} not found", "referral_id")


class ContactNotFound(NotFound):
    def __init__(self, contact_id: str) -> None:
        message = f"contact {contact_id} is not recorded yet; if the call has just started, retry in a few seconds"
        super().__init__(message, "contact_id")


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


def _subject(referral_id: str) -> str:
    return f"referral#{referral_id}"


def _get(referral_id: str) -> ReferralItem:
    item = store.get_referral(referral_id)
    if item is None:
        raise ReferralNotFound(referral_id)
    return item


# --- creating --------------------------------------------------------------------------------------------


def _return_address(channel: str, given: str | None, caller_number: str | None) -> str | None:
    if channel in ("VOICE", "SMS"):
        if given:
            number, why = e164(given)
            if number is None:
                raise refused("return_address", f"must be a phone number in E.164 form such as +905xxxxxxxxx ({why})")
            return number
        if caller_number is None:
            raise refused("return_address", "the caller's number is unknown (withheld): give the number to return to")
        return caller_number
    if channel == "EMAIL":
        if not given:
            raise refused("return_address", "an e-mail address is needed to return the answer by e-mail")
        try:
            return units.valid_address(given)
        except ValueError as error:
            raise refused("return_address", str(error)) from None
    return None  # CHAT: the agent answers in the caller's next chat


def _new_item(
    referral_id: str,
    contact_id: str,
    unit: units.UnitItem,
    question: str,
    category: str,
    channel: str,
    address: str | None,
    consent: bool,
    name: str | None,
    number: str | None,
    initiated_at: str | None,
    created_by: str,
    now: datetime,
    calendar: WorkingCalendar,
    cfg: Settings,
) -> ReferralItem:
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


def create(
    request: NewReferral, agent: str, now: datetime, calendar: WorkingCalendar | None = None
) -> tuple[ReferralItem, bool]:
    """Record the referral and mail the unit. Returns (referral, created); asking twice for the same
    contact and unit returns the first referral, unchanged."""
    cfg, calendar = settings(), calendar or default_calendar()
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
    item = _new_item(
        referral_id,
        request.contact_id,
        unit,
        request.question,
        request.category,
        request.return_channel,
        address,
        request.consent,
        request.caller_name,
        number,
        iso(record.initiated_at),
        f"agent:{agent}",
        now,
        calendar,
        cfg,
    )
    if not store.create(item):  # another request created it meanwhile
        return _shown_again(_get(referral_id), agent, "asked again: the existing referral", now), False
    audit.record(
        _subject(referral_id), f"agent:{agent}", "created", f"unit={unit.unit_id}; consent={request.consent}", now
    )
    count("ReferralsCreated")
    logger.info("referral created", extra={"referral_id": referral_id, "unit_id": unit.unit_id})
    return _deliver_quietly(referral_id, now), True


# --- e-mail ------------------------------------------------------------------------------------------


def _send_once(referral_id: str, key: str, build: Callable[[], OutgoingEmail], notifier: Notifier) -> bool:
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
        logger.error("referral e-mail outcome unknown; not resent", extra={"referral_id": referral_id, "mail": key})
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
    logger.info("referral e-mail sent", extra={"referral_id": referral_id, "mail": key, "message_id": message_id})
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


def _mail_unit(item: ReferralItem, kind: str, indexes: list[int], notifier: Notifier, cfg: Settings) -> int:
    facts, sent = mail_facts(item), 0
    for index in indexes:
        address = item.recipients[index]
        sent += _send_once(
            item.referral_id,
            f"{kind}#{index}",
            lambda a=address, i=index: messages.unit_email(facts, kind, a, reply_link(item, i, cfg), cfg),
            notifier,
        )
    return sent


def deliver(referral_id: str, now: datetime, notifier: Notifier | None = None) -> ReferralItem:
    """Mail the question to every unit address (each once), then mark the referral SENT."""
    cfg, notifier = settings(), notifier or get_notifier()
    item = _get(referral_id)
    if item.status != Status.OPEN:
        return item
    _mail_unit(item, "unit", list(range(len(item.recipients or []))), notifier, cfg)
    try:
        item = store.transition(
            referral_id,
            {Status.OPEN},
            {"status": Status.SENT, "sent_at": iso(now), "next_action": REMIND, "next_action_at": item.remind_at},
        )
    except ReferralConflict:
        return _get(referral_id)  # cancelled meanwhile, or another run got there first
    audit.record(
        _subject(referral_id),
        "system:referrals",
        "disclosed_to_unit",
        f"recipients={len(item.recipients or [])}; identity={'shared' if item.consent else 'withheld'}",
        now,
    )
    return item


def _deliver_quietly(referral_id: str, now: datetime) -> ReferralItem:
    """Deliver now if SES answers; otherwise the referral stays OPEN and the agenda retries it."""
    try:
        return deliver(referral_id, now)
    except Exception as error:
        logger.error(
            "referral e-mail failed; the agenda retries it",
            extra={"referral_id": referral_id, "error": type(error).__name__},
        )
        count("ReferralMailFailures")
        return _get(referral_id)


# --- the unit's side (through a signed link) -----------------------------------------------------------


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
    audit.record(_subject(access.item.referral_id), access.actor, "read_question", why, now)


def answer(token: str, text: str, responder_name: str | None, now: datetime) -> ReferralItem:
    """Record the unit's answer; the referral becomes the agents' work (and a Connect task)."""
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
    audit.record(_subject(referral_id), access.actor, "answered", None, now)
    count("ReferralsAnswered")
    logger.info("referral answered", extra={"referral_id": referral_id})
    try:
        item = start_task(item, now)
    except (ConnectUnavailable, ConnectRefused):
        logger.warning("referral task not started; the agenda retries it", extra={"referral_id": referral_id})
    return item


def forward(
    token: str, unit_id: str, note: str | None, now: datetime, calendar: WorkingCalendar | None = None
) -> ReferralItem:
    """ "Not ours": the question goes to `unit_id` as a new referral; this one ends FORWARDED."""
    cfg, calendar = settings(), calendar or default_calendar()
    access = open_link(token, now)
    original = access.item
    target = units.get_unit(unit_id)
    if target is None or not target.active:
        raise refused("forward_unit", "Lütfen listeden bir birim seçin. / Please choose a unit from the list.")
    if target.unit_id == original.unit_id:
        raise refused(
            "forward_unit", "Soru zaten bu birimde; başka bir birim seçin. / The question is already with this unit."
        )
    child = _new_item(
        referral_id_for(original.referral_id, target.unit_id),
        original.contact_id,
        target,
        original.question,
        original.category,
        original.return_channel,
        original.return_address,
        bool(original.consent),
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
    try:
        with TransactWrite(connection=ReferralItem._get_connection().connection) as tx:
            tx.update(
                ReferralItem(original.referral_id),
                actions=[
                    ReferralItem.status.set(Status.FORWARDED),
                    ReferralItem.forwarded_to.set(child.referral_id),
                    ReferralItem.forwarded_at.set(iso(now)),
                    ReferralItem.next_action.remove(),
                    ReferralItem.next_action_at.remove(),
                ],
                condition=ReferralItem.status.is_in(*sorted(WITH_UNIT)),
            )
            tx.save(child, condition=ReferralItem.referral_id.does_not_exist())
    except TransactWriteError as error:
        if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            raise ReferralConflict(original.referral_id) from None
        raise
    audit.record(_subject(original.referral_id), access.actor, "forwarded", f"to={target.unit_id}", now)
    audit.record(_subject(child.referral_id), access.actor, "created", f"forwarded_from={original.referral_id}", now)
    count("ReferralsForwarded")
    logger.info("referral forwarded", extra={"referral_id": original.referral_id, "to": child.referral_id})
    _deliver_quietly(child.referral_id, now)
    return _get(original.referral_id)


# --- the agents' side ------------------------------------------------------------------------------------


def work_list(status: str | None, unit_id: str | None, limit: int, cursor: str | None) -> Page[ReferralItem]:
    """A page of the agents' list: `status`, or by default their work (answers to return, expired
    referrals). Work and referrals under way come oldest first, finished ones newest first."""
    statuses = tuple(sorted(AGENT_WORK)) if status is None else (status,)
    return store.status_page(statuses, unit_id, status in LISTED_NEWEST_FIRST, limit, cursor)


def _shown_again(item: ReferralItem, agent: str, why: str, now: datetime) -> ReferralItem:
    """A repeated request is answered with the referral as it stands, question and answer included:
    that answer is a read, audited like the first (9(1))."""
    audit.record(_subject(item.referral_id), f"agent:{agent}", "read", why, now)
    return item


def read(referral_id: str, agent: str, now: datetime) -> ReferralItem:
    """One referral with its question and answer; the read is audited."""
    item = _get(referral_id)
    audit.record(_subject(referral_id), f"agent:{agent}", "read", "question and answer", now)
    return item


def claim(referral_id: str, agent: str, now: datetime) -> ReferralItem:
    item = _get(referral_id)
    if item.status not in AGENT_WORK:
        raise refused("status", f"referral is {item.status}: only ANSWERED or EXPIRED ones are taken", 409)
    if item.claimed_by == agent:
        return _shown_again(item, agent, "claimed again: question, answer and return address", now)
    try:
        item = store.transition(referral_id, AGENT_WORK, {"claimed_by": agent, "claimed_at": iso(now)}, claimed_by=None)
    except ReferralConflict:
        raise refused("claimed_by", "another agent took this referral", 409) from None
    # The claimant sees the question, the answer and the caller's address in full.
    audit.record(_subject(referral_id), f"agent:{agent}", "claimed", "question, answer and return address", now)
    return item


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
    item = _get(referral_id)
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
        _send_once(
            referral_id,
            "caller#0",
            lambda: messages.caller_answer(facts, item.answer or "", item.return_address, item.caller_name, cfg),
            notifier or get_notifier(),
        )
    changes = {
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
    audit.record(_subject(referral_id), f"agent:{agent}", "returned_to_caller", f"channel={item.return_channel}", now)
    if outcome:
        audit.record(_subject(referral_id), f"agent:{agent}", "closed", f"outcome={outcome}", now)
    count("ReferralsReturned")
    return item


def close(referral_id: str, agent: str, outcome: str, note: str | None, now: datetime) -> ReferralItem:
    item = _get(referral_id)
    if item.status == Status.CLOSED and _repeated(item, "closed_by", agent) and item.outcome == outcome:
        return _shown_again(item, agent, "closed again", now)  # a second click after a lost answer
    if item.status not in MAY_CLOSE:
        raise refused("status", f"referral is {item.status} and cannot be closed", 409)
    if outcome not in CLOSING_OUTCOMES_BY_STATUS[item.status]:
        allowed = ", ".join(sorted(CLOSING_OUTCOMES_BY_STATUS[item.status]))
        raise refused("outcome", f"a {item.status} referral closes with one of: {allowed}")
    if item.claimed_by != agent:
        raise refused("claimed_by", "take the referral first (POST …/claim)", 409)
    changes = {"status": Status.CLOSED, "closed_at": iso(now), "closed_by": agent, "outcome": outcome}
    if note:
        changes["notes"] = _note(item, agent, note)
    item = store.transition(referral_id, {item.status}, changes, claimed_by=agent, **_not_anonymised_if(note))
    audit.record(_subject(referral_id), f"agent:{agent}", "closed", f"outcome={outcome}", now)
    return item


def cancel(referral_id: str, agent: str, note: str | None, now: datetime) -> ReferralItem:
    item = _get(referral_id)
    if item.status not in MAY_CANCEL:
        raise refused("status", f"referral is {item.status} and cannot be cancelled", 409)
    changes = {
        "status": Status.CANCELLED,
        "cancelled_at": iso(now),
        "cancelled_by": agent,
        "next_action": None,
        "next_action_at": None,
    }
    if note:
        changes["notes"] = _note(item, agent, note)
    item = store.transition(referral_id, {item.status}, changes, **_not_anonymised_if(note))
    audit.record(_subject(referral_id), f"agent:{agent}", "cancelled", None, now)
    return item


# --- the agenda: what the scheduler does ---------------------------------------------------------------


def start_task(item: ReferralItem, now: datetime, connect: ConnectPort | None = None) -> ReferralItem:
    task = ReferralTask(item.referral_id, item.reference, item.unit_name, item.return_channel)
    contact_id = (connect or get_connect()).start_referral_task(task)
    try:
        return store.transition(
            item.referral_id,
            {Status.ANSWERED},
            {"task_contact_id": contact_id, "next_action": None, "next_action_at": None},
            task_contact_id=None,
        )
    except ReferralConflict:
        return _get(item.referral_id)  # already recorded (same ClientToken, same task) or moved on


def _remind(item: ReferralItem, now: datetime, notifier: Notifier, cfg: Settings) -> None:
    _mail_unit(item, "reminder", list(range(len(item.recipients or []))), notifier, cfg)
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
        item = _get(item.referral_id)
        _mail_unit(item, "escalation", [index], notifier, cfg)
        facts = mail_facts(item)
        _send_once(
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

    def as_dict(self) -> dict:
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
) -> AgendaSummary:
    """Everything due by `now`: send, remind (half the target), escalate (overdue), expire, start tasks.
    Reminders and escalations wait for opening hours. Each referral is on its own: one that fails is
    logged by id and error class (never the message: it may quote an address), counted, and left to
    the next run, and the others go on; one past its expiry goes back to the agents whatever failed before."""
    cfg, calendar, notifier = settings(), calendar or default_calendar(), notifier or get_notifier()
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


# --- the contact flow ------------------------------------------------------------------------------------


def caller_flags(number: str) -> dict[str, str]:
    """For the flow: whether the caller has a referral in progress and whether an answer is waiting."""
    items = store.of_caller(caller_key(number))
    ready = [i for i in items if i.status == Status.ANSWERED]
    waiting = [i for i in items if i.status in WITH_UNIT]
    return {
        "open_referral": "true" if ready or waiting else "false",
        "referral_answer_ready": "true" if ready else "false",
        "referral_reference": ready[0].reference if ready else "",
    }


def now_utc() -> datetime:
    return datetime.now(UTC)
