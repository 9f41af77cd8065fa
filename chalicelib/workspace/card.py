"""A contact as the agent sees it while talking to the caller (directive 4, 6(7)): where it stands, and
the caller's history with the centre — found through the keyed caller hash, never a plain-number lookup.

The answer a unit sent for this caller comes first (`answers_waiting`): it is what the agent must say.
Nothing here carries a question, an answer, a name or a full number: the number is masked, the
answer's text is one audited read away (GET /referrals/{id}). The card itself is a read about a person,
so it is audited too (who opened which contact's card, when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters import audit
from chalicelib.callbacks import store as callbacks
from chalicelib.contacts import store as contacts
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.core.phones import caller_key, e164, mask
from chalicelib.core.times import iso
from chalicelib.referrals import store as referrals
from chalicelib.referrals.rules import Status as ReferralStatus

HISTORY_CONTACTS = 10
HISTORY_REFERRALS = 10


def record_of(item: contacts.ContactItem) -> ContactRecord:
    return merge(item.contact_id, item.fact_list(), item.first_seen_at)


def contact_summary(record: ContactRecord) -> dict[str, Any]:
    """What a list shows of a contact: no personal data but the masked number."""
    number, _ = e164(record.customer_address)
    return {
        "contact_id": record.contact_id,
        "channel": record.channel,
        "initiation_method": record.initiation_method,
        "initiated_at": iso(record.initiated_at),
        "status": record.status,
        "queue_name": record.queue_name,
        "caller": mask(number),
        "category": record.category,
    }


def contact_card(contact_id: str, viewer: str, now: datetime) -> dict[str, Any]:
    item = contacts.get_contact(contact_id)
    if item is None:
        raise contacts.ContactNotFound(contact_id)
    record = record_of(item)
    number, _ = e164(record.customer_address)
    audit.record(f"contact#{contact_id}", f"agent:{viewer}", "read_card", "history" if number else None, now)
    return contact_summary(record) | {
        "subtype": record.subtype,
        "enqueued_at": iso(record.enqueued_at),
        "wait_seconds": record.queue_seconds,
        "agent_username": record.agent_username,
        "history": caller_history(number, contact_id) if number else empty_history(),
    }


def empty_history() -> dict[str, Any]:
    return {"answers_waiting": [], "contacts": [], "callback": None, "referrals": []}


def caller_history(number: str, current: str) -> dict[str, Any]:
    """The caller's earlier contacts (newest first), their open callback and their referrals."""
    key = caller_key(number)
    earlier = [record_of(i) for i in contacts.latest_of_key(key, HISTORY_CONTACTS + 1) if i.contact_id != current]
    earlier.sort(key=lambda r: iso(r.initiated_at) or "", reverse=True)
    their_referrals = referrals.latest_of_key(key, HISTORY_REFERRALS)
    callback = callbacks.open_callback_of(number)
    return {
        "answers_waiting": [
            {
                "referral_id": r.referral_id,
                "reference": r.reference,
                "unit_name": r.unit_name,
                "answered_at": r.answered_at,
                "status": r.status,
            }
            for r in their_referrals
            if r.status == ReferralStatus.ANSWERED
        ],
        "contacts": [
            {
                "contact_id": r.contact_id,
                "initiated_at": iso(r.initiated_at),
                "channel": r.channel,
                "category": r.category,
                "status": r.status,
            }
            for r in earlier[:HISTORY_CONTACTS]
        ],
        "callback": None
        if callback is None
        else {
            "callback_id": callback.callback_id,
            "reason": callback.reason,
            "status": callback.status,
            "due_at": callback.due_at,
            "sla_due_at": callback.sla_due_at,
        },
        "referrals": [
            {
                "referral_id": r.referral_id,
                "reference": r.reference,
                "unit_name": r.unit_name,
                "status": r.status,
                "created_at": r.created_at,
                "due_at": r.due_at,
            }
            for r in their_referrals
        ],
    }


def recent_contacts(day_of: datetime, zone: Any, limit: int) -> list[dict[str, Any]]:
    """The day's contacts (the Istanbul day of `day_of`), newest first: one partition, never more."""
    records = [record_of(item) for item in contacts.filed_on(day_of.astimezone(zone).date())]
    records.sort(key=lambda r: iso(r.initiated_at) or "", reverse=True)
    return [contact_summary(r) for r in records[:limit]]
