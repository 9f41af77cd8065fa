"""Confidentiality, applied (directive 9, KVKK art. 7, 11-13): what is held for a caller, exports with
a recorded legal basis, anonymisation (on schedule and on request) and data-subject requests.

Everything is found through keyed-hash indexes (`by_caller`) and the sparse `personal` indexes,
never a Scan. Anonymising keeps what the monthly report counts (times, statuses, categories,
reasons, units) and removes what identifies or quotes the caller. Every export and every
anonymisation is written to the audit trail; logs carry ids and counts only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypedDict

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from chalicelib.adapters import audit
from chalicelib.adapters.paging import Page
from chalicelib.callbacks import store as callbacks
from chalicelib.callbacks.store import CallbackConflict, CallbackItem
from chalicelib.contacts import store as contacts
from chalicelib.contacts.facts import anonymised_fact
from chalicelib.contacts.merge import merge
from chalicelib.contacts.store import ContactItem
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Conflict, Invalid, NotFound
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import caller_key, mask, subject_number
from chalicelib.core.times import iso, local_month
from chalicelib.privacy import store as privacy
from chalicelib.privacy.rules import (
    ACCESS,
    ANONYMISED,
    DATA_SUBJECT,
    KINDS,
    OPEN,
    LegalBasis,
    months_back,
    request_due,
    retention_cutoff,
)
from chalicelib.referrals import store as referrals
from chalicelib.referrals.rules import ALL_STATUSES, MAY_CANCEL
from chalicelib.referrals.rules import Status as ReferralStatus
from chalicelib.referrals.store import ReferralConflict, ReferralItem

SYSTEM = "system:privacy"


def _caller_subject(key: str) -> str:
    return f"caller#{key}"


# --- what is held for a number ---------------------------------------------------------------------


def _contact_view(item: ContactItem) -> dict[str, Any]:
    record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
    return {
        "contact_id": record.contact_id,
        "channel": record.channel,
        "initiation_method": record.initiation_method,
        "initiated_at": iso(record.initiated_at),
        "disconnected_at": iso(record.disconnected_at),
        "status": record.status,
        "category": record.category,
        "queue_name": record.queue_name,
        "customer_address": record.customer_address,
    }


def _callback_view(item: CallbackItem) -> dict[str, Any]:
    return {
        "callback_id": item.callback_id,
        "source_contact_id": item.source_contact_id,
        "reason": item.reason,
        "status": item.status,
        "caller": item.caller,
        "raised_at": item.raised_at,
        "attempts": int(item.attempts or 0),
        "last_outcome": item.last_outcome,
        "closed_at": item.closed_at,
        "close_reason": item.close_reason,
        "note": item.note,
    }


def _referral_view(item: ReferralItem) -> dict[str, Any]:
    return {
        "referral_id": item.referral_id,
        "reference": item.reference,
        "contact_id": item.contact_id,
        "unit_name": item.unit_name,
        "category": item.category,
        "status": item.status,
        "question": item.question,
        "answer": item.answer,
        "responder_name": item.responder_name,
        "return_channel": item.return_channel,
        "return_address": item.return_address,
        "caller_name": item.caller_name,
        "caller_number": item.caller_number,
        "consent": bool(item.consent),
        "sms_consent": bool(item.sms_consent),  # the consent to be texted the answer's readiness (5(4))
        "caller_sms": item.caller_sms,
        "notes": list(item.notes or []),
        "created_at": item.created_at,
        "answered_at": item.answered_at,
        "returned_at": item.returned_at,
        "closed_at": item.closed_at,
        "outcome": item.outcome,
    }


@dataclass
class Holdings:
    contacts: list[ContactItem] = field(default_factory=list)
    callbacks: list[CallbackItem] = field(default_factory=list)
    referrals: list[ReferralItem] = field(default_factory=list)

    def counts(self) -> HeldCounts:
        return {"contacts": len(self.contacts), "callbacks": len(self.callbacks), "referrals": len(self.referrals)}


class HeldCounts(TypedDict):
    """How many records of each kind are held for a number (a disclosure's and a request's counts)."""

    contacts: int
    callbacks: int
    referrals: int


def holdings(number: str) -> Holdings:
    """Everything held for `number` (E.164), through the keyed-hash indexes."""
    key = caller_key(number)
    return Holdings(
        sorted(contacts.contacts_of_key(key), key=lambda i: i.contact_id),
        sorted(callbacks.callbacks_of_key(key), key=lambda i: i.raised_at),
        sorted(referrals.referrals_of_key(key), key=lambda i: i.created_at),
    )


# --- disclosures (9(2)) -------------------------------------------------------------------------------


def disclose(number: str, basis: LegalBasis, who: str, now: datetime) -> tuple[privacy.DisclosureItem, dict[str, Any]]:
    """Export what is held for `number` under a recorded basis; the export and each record it
    contains are written to the audit trail."""
    number = subject_number(number)
    key, found = caller_key(number), holdings(number)
    item = privacy.DisclosureItem(
        "ds-" + uuid.uuid4().hex[:16],
        made_at=iso(now),
        made_month=local_month(now, settings().zone),
        made_by=who,
        basis=basis.basis,
        consent_reference=basis.consent_reference,
        authority=basis.authority,
        document_number=basis.document_number,
        request_id=basis.request_id,
        caller_key=key,
        number_masked=mask(number),
        **found.counts(),
    )
    privacy.save_disclosure(item)
    why = f"disclosure={item.disclosure_id}; {basis.summary()}"
    counts = found.counts()
    tally = ", ".join(f"{k}={v}" for k, v in counts.items())
    audit.record(_caller_subject(key), who, "disclosed", f"{why}; {tally}", now)
    for contact in found.contacts:
        audit.record(f"contact#{contact.contact_id}", who, "disclosed", why, now)
    for callback in found.callbacks:
        audit.record(f"callback#{callback.callback_id}", who, "disclosed", why, now)
    for referral in found.referrals:
        audit.record(f"referral#{referral.referral_id}", who, "disclosed", why, now)
    count("PrivacyDisclosures")
    logger.info("records disclosed", extra={"disclosure_id": item.disclosure_id, "basis": basis.basis, **counts})
    export = {
        "disclosure_id": item.disclosure_id,
        "made_at": item.made_at,
        "basis": disclosure_view(item)["basis"],
        "number": number,
        "contacts": [_contact_view(c) for c in found.contacts],
        "callbacks": [_callback_view(c) for c in found.callbacks],
        "referrals": [_referral_view(r) for r in found.referrals],
    }
    return item, export


def disclosure_view(item: privacy.DisclosureItem) -> dict[str, Any]:
    basis = {"basis": item.basis}
    for name in ("consent_reference", "authority", "document_number", "request_id"):
        if getattr(item, name):
            basis[name] = getattr(item, name)
    return {
        "disclosure_id": item.disclosure_id,
        "made_at": item.made_at,
        "made_by": item.made_by,
        "basis": basis,
        "number": item.number_masked,
        "contacts": int(item.contacts or 0),
        "callbacks": int(item.callbacks or 0),
        "referrals": int(item.referrals or 0),
    }


def disclosures_page(month: str, limit: int, cursor: str | None) -> Page[privacy.DisclosureItem]:
    """A page of the month's exports, newest first."""
    return privacy.disclosures_page(month, limit, cursor)


# --- anonymisation -----------------------------------------------------------------------------------


# An input or an agent's change landing between our read and our write makes the write's condition
# fail: read again and redo, so an erasure is complete now, not a year later at retention.
ANONYMISE_TRIES = 3


def anonymise_contact(contact_id: str, now: datetime) -> bool:
    """Strip the caller's endpoint from every fact (the statistics stay); False if nothing to do.
    From then on every input for this contact is stored without it (`contacts.store.apply_fact`)."""
    for _ in range(ANONYMISE_TRIES):
        item = contacts.get_contact(contact_id)
        if item is None:
            return False
        old = set(item.facts or ())
        new = {anonymised_fact(text) for text in old}
        actions: list[Action] = [
            ContactItem.caller_key.remove(),
            ContactItem.personal_month.remove(),
            ContactItem.personal_since.remove(),
            ContactItem.anonymised_at.set(iso(now)),
        ]
        if new != old:
            actions.append(ContactItem.facts.set(new))
        try:
            # On the facts as read: an input added meanwhile makes this fail, and we read it again.
            item.update(actions=actions, condition=ContactItem.facts == old)
        except UpdateError as error:
            if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
                continue
            raise
        return True
    return False


def anonymise_callback(callback_id: str, now: datetime, why: str) -> bool:
    """Remove the number, its key and the agent's note; an open callback is cancelled first."""
    for _ in range(ANONYMISE_TRIES):
        item = callbacks.get_callback(callback_id)
        if item is None or (item.anonymised_at and not item.caller):
            return False
        if item.is_open:
            try:
                callbacks.update_where(
                    item,
                    [
                        CallbackItem.status.set("CANCELLED"),
                        CallbackItem.close_reason.set("anonymised"),
                        CallbackItem.closed_at.set(iso(now)),
                    ],
                    status_in=frozenset({item.status}),
                )
            except CallbackConflict:
                continue  # claimed, placed or completed meanwhile: read it again
        callbacks.release_caller(item)  # the marker is keyed by the number's hash: free it while we know it
        item.update(
            actions=[
                CallbackItem.caller.remove(),
                CallbackItem.note.remove(),
                CallbackItem.caller_key.remove(),
                CallbackItem.personal_month.remove(),
                CallbackItem.personal_since.remove(),
                CallbackItem.anonymised_at.set(iso(now)),
            ]
        )
        audit.record(f"callback#{callback_id}", SYSTEM, "anonymised", why, now)
        return True
    return False


def anonymise_referral(referral_id: str, now: datetime, why: str) -> bool:
    """Remove the question, answer, addresses, names and notes; an unfinished referral is cancelled.
    From then on no note can be added to it (`referrals.agents_side`)."""
    for _ in range(ANONYMISE_TRIES):
        item = referrals.get_referral(referral_id)
        if item is None or (item.anonymised_at and item.personal_month is None):
            return False
        if item.status in MAY_CANCEL:
            try:
                referrals.transition(
                    referral_id,
                    {item.status},
                    {
                        "status": ReferralStatus.CANCELLED,
                        "cancelled_at": iso(now),
                        "cancelled_by": SYSTEM,
                        "next_action": None,
                        "next_action_at": None,
                    },
                )
            except ReferralConflict:
                continue  # answered, returned or closed meanwhile: read it again
        referrals.transition(
            referral_id,
            frozenset(ALL_STATUSES),
            {
                "question": ANONYMISED,
                "answer": ANONYMISED if item.answer else None,
                "return_address": None,
                "caller_name": None,
                "caller_number": None,
                "caller_key": None,
                "responder_name": None,
                "notes": None,
                "personal_month": None,
                "personal_since": None,
                "anonymised_at": iso(now),
            },
        )
        audit.record(f"referral#{referral_id}", SYSTEM, "anonymised", why, now)
        return True
    return False


def erase(number: str, now: datetime, why: str) -> dict[str, int]:
    """Anonymise every record held for `number` now (KVKK art. 7, 11(1)(e)); returns what was done."""
    found = holdings(number)
    done = {
        "contacts": sum(anonymise_contact(c.contact_id, now) for c in found.contacts),
        "callbacks": sum(anonymise_callback(c.callback_id, now, why) for c in found.callbacks),
        "referrals": sum(anonymise_referral(r.referral_id, now, why) for r in found.referrals),
    }
    count("PrivacyRecordsErased", sum(done.values()))
    return done


@dataclass
class RetentionSummary:
    cutoff: str
    contacts: int = 0
    callbacks: int = 0
    referrals: int = 0
    skipped: int = 0
    stopped_at_limit: bool = False
    failed: list[str] = field(default_factory=list)  # "<table>#<id>" of each record that kept failing

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "failed": list(self.failed)}


# A record is tried this often in a run; one that still fails is skipped, named, and tried next night.
RECORD_TRIES = 2


def _anonymise_isolated(name: str, record_id: str, anonymise: Callable[[str], bool]) -> bool | None:
    """One record on its own: True anonymised, False nothing to do, None failed (logged by id and error
    class, never the message, which may quote the data; counted as PrivacyRetentionFailures)."""
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            return anonymise(record_id)
        except Exception as error:
            if attempt == RECORD_TRIES:
                logger.error(
                    "retention: record skipped after failing; the next run tries it again",
                    extra={"record": f"{name}#{record_id}", "error": type(error).__name__},
                )
                count("PrivacyRetentionFailures")
    return None


def run_retention(now: datetime, cfg: Settings | None = None, limit: int = 5000) -> RetentionSummary:
    """Anonymise what was recorded more than `personal_data_days` ago. Reads the sparse `personal`
    indexes month by month (a backlog of up to two years is caught up); at most `limit` records per
    run, the rest the next night. Each record on its own: one that keeps failing is named in the
    summary and the log, and the others go on."""
    cfg = cfg or settings()
    cutoff = retention_cutoff(now, cfg.personal_data_days)
    until = iso(cutoff)
    summary = RetentionSummary(cutoff=until)
    why = f"retention: recorded before {until} ({cfg.personal_data_days} days)"
    jobs = (
        ("contacts", contacts.contacts_holding_personal_data, lambda i: anonymise_contact(i, now)),
        ("callbacks", callbacks.callbacks_holding_personal_data, lambda i: anonymise_callback(i, now, why)),
        ("referrals", referrals.holding_personal_data, lambda i: anonymise_referral(i, now, why)),
    )
    done = 0
    for name, due, anonymise in jobs:
        for month in months_back(cutoff):
            for record_id in list(due(month, until)):
                if done >= limit:
                    summary.stopped_at_limit = True
                    break
                outcome = _anonymise_isolated(name, record_id, anonymise)
                if outcome is None:
                    summary.failed.append(f"{name}#{record_id}")
                elif outcome:
                    setattr(summary, name, getattr(summary, name) + 1)
                else:
                    summary.skipped += 1
                done += 1
    count("PrivacyRecordsAnonymised", summary.contacts + summary.callbacks + summary.referrals)
    logger.info("retention run", extra=summary.as_dict())
    return summary


# --- data-subject requests (KVKK art. 11, 13) ------------------------------------------------------------


def record_request(
    kind: str, number: str, identified_by: str, received_at: datetime | None, who: str, now: datetime
) -> privacy.PrivacyRequestItem:
    if kind not in KINDS:
        raise Invalid("kind must be 'access' or 'erasure'", "kind")
    number = subject_number(number)
    received = received_at or now
    if received > now:
        raise Invalid("received_at: cannot be in the future", "received_at")
    key = caller_key(number)
    item = privacy.PrivacyRequestItem(
        "dsr-" + uuid.uuid4().hex[:16],
        kind=kind,
        number=number,
        caller_key=key,
        number_masked=mask(number),
        identified_by=identified_by,
        received_at=iso(received),
        due_at=iso(request_due(received)),
        state=OPEN,
        recorded_at=iso(now),
        recorded_by=who,
    )
    privacy.save_request(item)
    audit.record(_caller_subject(key), who, "request_received", f"request={item.request_id}; kind={kind}", now)
    count("PrivacyRequests")
    logger.info("data-subject request recorded", extra={"request_id": item.request_id, "kind": kind})
    return item


def requests_page(state: str, limit: int, cursor: str | None) -> Page[privacy.PrivacyRequestItem]:
    """A page of the requests in `state`: open ones by due date (the nearest deadline first),
    fulfilled ones newest first."""
    return privacy.requests_page(state, state != OPEN, limit, cursor)


def request_view(item: privacy.PrivacyRequestItem, now: datetime) -> dict[str, Any]:
    due = datetime.fromisoformat(item.due_at.replace("Z", "+00:00"))
    view: dict[str, Any] = {
        "request_id": item.request_id,
        "kind": item.kind,
        "number": item.number_masked,
        "identified_by": item.identified_by,
        "received_at": item.received_at,
        "due_at": item.due_at,
        "state": item.state,
        "recorded_by": item.recorded_by,
        "fulfilled_at": item.fulfilled_at,
        "fulfilled_by": item.fulfilled_by,
        "disclosure_id": item.disclosure_id,
    }
    if item.state == OPEN:
        view["days_left"] = (due - now).days
        view["overdue"] = now > due
    else:
        view["records"] = {k: int(getattr(item, k) or 0) for k in ("contacts", "callbacks", "referrals")}
    return view


def fulfil(request_id: str, who: str, now: datetime) -> tuple[privacy.PrivacyRequestItem, dict[str, Any] | None]:
    """Run a request once: access → the export (a disclosure to the person); erasure → anonymise now."""
    item = privacy.get_request(request_id)
    if item is None:
        raise NotFound(f"request {request_id} not found")
    if item.state != OPEN or not item.number:
        raise Conflict(f"request {request_id} is already fulfilled")
    changes: dict[str, Any] = {"fulfilled_at": iso(now), "fulfilled_by": who}
    export = None
    if item.kind == ACCESS:
        disclosure, export = disclose(item.number, LegalBasis(DATA_SUBJECT, request_id=request_id), who, now)
        changes |= {"disclosure_id": disclosure.disclosure_id} | holdings_counts(disclosure)
    else:
        changes |= erase(item.number, now, f"erasure request {request_id}")
    updated = privacy.mark_fulfilled(request_id, changes)
    audit.record(
        _caller_subject(item.caller_key), who, "request_fulfilled", f"request={request_id}; kind={item.kind}", now
    )
    logger.info("data-subject request fulfilled", extra={"request_id": request_id, "kind": item.kind})
    return updated, export


def holdings_counts(disclosure: privacy.DisclosureItem) -> dict[str, int]:
    return {k: int(getattr(disclosure, k) or 0) for k in ("contacts", "callbacks", "referrals")}


def now_utc() -> datetime:
    return datetime.now(UTC)


def current_month(now: datetime) -> str:
    return local_month(now, settings().zone)
