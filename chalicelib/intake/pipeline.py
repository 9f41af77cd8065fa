"""The intake pipeline: one Amazon Connect input in, one contact record out, handed on to what reacts.

The order of the house is the order of the data: parse (contacts.inputs) → fact → one write that adds
it to its contact (contacts.store) → the merged record (contacts.merge) → each reaction in `REACTIONS`,
the one table of who follows a contact up (today: callbacks). `contacts/` knows no other domain; a
domain that must react to a contact registers here instead of being called from contacts.

Permanent problems become rejections (logged, kept for redrive, acknowledged); transient AWS errors
propagate so the event source redelivers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.callbacks.raising import on_contact_recorded
from chalicelib.contacts import store
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.inputs import fact_from_contact_event, fact_from_ctr, parse_flow_invocation
from chalicelib.contacts.kinesis import decode_json
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.rejections import InputRejected, reject
from chalicelib.contacts.store import ContactItem
from chalicelib.contacts.vocabulary import shown, unfamiliar
from chalicelib.core import times
from chalicelib.core.observability import count, logger


class Reaction(Protocol):
    def __call__(self, record: ContactRecord, stored: ContactItem, source: str) -> None:
        """Act on a contact's new state; `stored` is the item as the write returned it, `source` the input's kind."""


# Who follows a contact up, in order. Each is idempotent: the same record twice changes nothing.
REACTIONS: tuple[Reaction, ...] = (on_contact_recorded,)


@dataclass(frozen=True)
class Outcome:
    status: str  # "recorded" or "rejected"
    record: ContactRecord | None = None
    reason: str | None = None


def caller_number(fact: Fact) -> str | None:
    """The caller's phone number, only when the endpoint is one (chats carry none)."""
    address = fact.customer_address
    if address and address.startswith("+") and fact.customer_type in (None, "TELEPHONE_NUMBER"):
        return address
    return None


def _note_unfamiliar(fact: Fact) -> str:
    """Log the values Connect's documentation does not list (recorded all the same); the source as loggable."""
    new = unfamiliar(fact)
    for field, value in new:
        logger.info("unfamiliar value recorded", extra={"field": field, "value": shown(value)})
    if new:
        count("UnfamiliarValuesRecorded", len(new))
    if fact.is_event and any(field == "event_type" for field, _ in new):
        return "event:" + shown(fact.event_type or "")
    return fact.source


def record_fact(fact: Fact) -> ContactRecord:
    """Store one fact, derive the contact's record, and act on what the record now means."""
    logger.set_correlation_id(fact.contact_id)
    source = _note_unfamiliar(fact)
    item = store.apply_fact(fact, times.now(), caller_number(fact))
    record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
    logger.debug("contact recorded", extra={"source": source, "status": record.status})
    count("InputsRecorded")
    for react in REACTIONS:
        react(record, item, fact.source)
    return record


def _rejected(source: str, raw: Any, error: InputRejected, ref: str | None = None) -> Outcome:
    payload = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    reject(source, payload, error, ref)
    return Outcome("rejected", reason=error.reason)


def ingest_contact_event(raw: Any) -> Outcome:
    logger.set_correlation_id(None)
    try:
        fact = fact_from_contact_event(raw)  # an event type AWS adds is recorded like the others
    except InputRejected as error:
        return _rejected("contact-event", raw, error)
    return Outcome("recorded", record_fact(fact))


def ingest_ctr(data: str, ref: str | None = None) -> Outcome:
    logger.set_correlation_id(None)
    try:
        fact = fact_from_ctr(decode_json(data, "contact trace record"))
    except InputRejected as error:
        return _rejected("ctr", data, error, ref)
    return Outcome("recorded", record_fact(fact))


def ingest_flow_invocation(raw: Any, looked_up: Callable[[Fact], Fact] | None = None) -> tuple[Outcome, dict[str, Any]]:
    """`looked_up` runs between parsing and the write: what the flow reads to answer the caller is
    stored with its fact (e.g. whether an open callback was seen), so later inputs need not read it."""
    logger.set_correlation_id(None)
    try:
        fact, parameters = parse_flow_invocation(raw)
    except InputRejected as error:
        return _rejected("contact-flow", raw, error), {}
    if looked_up is not None:
        fact = looked_up(fact)
    return Outcome("recorded", record_fact(fact)), parameters
