"""An agent classifies a contact in the panel (directive 4(c), 6(5)): one more input to the contact.

The choice is a fact like any other — source `agent`, true at the moment it was made — so it goes
through the intake pipeline: the record's category follows the latest input (docs/figures.md), the report
counts it before the trace record arrives, and the reactions run (out of scope withdraws a callback
nobody acted on). It is also written to the contact in Amazon Connect as the `category` attribute, so
the trace record carries the same value; if Connect cannot take it now, the fact still stands, the
answer says so, and the agent may choose again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.adapters import audit
from chalicelib.adapters.connect import ConnectPort, ConnectRefused, ConnectUnavailable
from chalicelib.contacts import store
from chalicelib.contacts.facts import SOURCE_AGENT, Fact
from chalicelib.contacts.inputs import CATEGORY_ATTRIBUTE
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.intake.pipeline import record_fact


@dataclass(frozen=True)
class Classified:
    contact_id: str
    category: str | None  # the record's category now (the latest input's)
    connect_updated: bool


def classify(contact_id: str, category: str, agent: str, now: datetime, connect: ConnectPort) -> Classified:
    item = store.get_contact(contact_id)
    if item is None:
        raise store.ContactNotFound(contact_id)
    record = record_fact(Fact(contact_id=contact_id, source=SOURCE_AGENT, at=iso(now), category=category))
    audit.record(f"contact#{contact_id}", f"agent:{agent}", "classified", category, now)
    count("ContactsClassified")
    try:
        connect.update_contact_attributes(record.initial_contact_id or contact_id, {CATEGORY_ATTRIBUTE: category})
        updated = True
    except (ConnectUnavailable, ConnectRefused) as error:
        logger.warning("classification not written to Connect", extra={"error": str(error)})
        count("ClassificationsNotInConnect")
        updated = False
    return Classified(contact_id, record.category, updated)
