"""Contact records in DynamoDB.

One item per ContactId. The item holds the *set* of the contact's facts
(`facts`, a string set of canonical JSON) plus locator attributes; the record's
fields and status are derived from the facts by `merge.py` wherever they are read.

Why a set and not one attribute per field: DynamoDB cannot keep "the latest value
by the input's own timestamp" for several fields in one UpdateItem, and a read,
merge and conditional write costs two requests and a retry loop. `ADD facts :f`
is one atomic request that two Lambdas can race on safely; a redelivered input
adds a string already in the set and changes nothing.

Access patterns (no Scan anywhere):
1. Apply an input: UpdateItem(contact_id) ADD facts, SET locators, on condition that the contact
   was not anonymised, ReturnValues=ALL_NEW — the merged state comes back without a second read.
   After anonymisation an input is stored without the caller's fields (a second UpdateItem).
2. One contact: GetItem(contact_id).
3. The monthly report: Query GSI `by_day` (hash `day` = Istanbul date of
   initiation, YYYY-MM-DD; range contact_id) once per day of the month and a few
   days after it, then keep the contacts whose derived initiation falls in the
   month. `day` is a locator, not the truth: an input that knows the initiation
   time sets it exactly; one that does not sets it only if no other input did,
   from its own time, which is never before the initiation.
4. A caller's contacts (callbacks, "did they get through later?", data-subject requests): Query
   GSI `by_caller` (hash `caller_key` = HMAC of the E.164 number, never the number, range `day`).
5. Retention: Query the sparse GSI `personal` (hash `personal_month`, range `personal_since`,
   UTC) for what is due; anonymising removes both, so the item leaves the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.contacts.facts import Fact, anonymised_fact
from chalicelib.core.config import settings
from chalicelib.core.errors import NotFound
from chalicelib.core.phones import caller_key
from chalicelib.core.times import iso, utc_month

_cfg = settings()
PAGE_SIZE = 250


class ByDayIndex(GlobalSecondaryIndex["ContactItem"]):
    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day = UnicodeAttribute(hash_key=True)
    contact_id = UnicodeAttribute(range_key=True)


class ByCallerIndex(GlobalSecondaryIndex["ContactItem"]):
    class Meta:
        index_name = "by_caller"
        projection = KeysOnlyProjection()

    caller_key = UnicodeAttribute(hash_key=True)
    day = UnicodeAttribute(range_key=True)


class PersonalIndex(GlobalSecondaryIndex["ContactItem"]):
    """Sparse: contacts still holding personal fields, by when we first heard of them."""

    class Meta:
        index_name = "personal"
        projection = KeysOnlyProjection()

    personal_month = UnicodeAttribute(hash_key=True)
    personal_since = UnicodeAttribute(range_key=True)


class ContactItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.contacts_table

    contact_id = UnicodeAttribute(hash_key=True)
    facts = UnicodeSetAttribute()
    day = UnicodeAttribute(null=True)
    caller_key = UnicodeAttribute(null=True)  # HMAC of the caller's number (privacy.caller_key)
    personal_month = UnicodeAttribute(null=True)  # UTC month of personal_since; removed when anonymised
    personal_since = UnicodeAttribute(null=True)
    anonymised_at = UnicodeAttribute(null=True)
    # When the first input for this contact reached us; the initiation time of
    # last resort for a contact known only from flow invocations.
    first_seen_at = UnicodeAttribute(null=True)
    # The contact's callback: "own|<callback_id>|<reason>|<raised_at>" or "linked|<callback_id>|<reason>|"
    # (the caller already had one). Returned with every fact write, so deciding whether a new
    # input changes the callback needs no extra read.
    callback = UnicodeAttribute(null=True)

    by_day = ByDayIndex()
    by_caller = ByCallerIndex()
    personal = PersonalIndex()

    def fact_list(self) -> list[Fact]:
        return [Fact.from_json(text) for text in sorted(self.facts or ())]


def locator_day(fact: Fact, received_at: datetime) -> tuple[str, bool]:
    """The Istanbul day to file a contact under, and whether it is exact."""
    if fact.initiated_at:
        moment, exact = fact.initiated_at, True
    else:
        moment, exact = fact.earliest_time() or _iso_utc(received_at), False
    local = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(_cfg.zone)
    return local.date().isoformat(), exact


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def apply_fact(fact: Fact, received_at: datetime, caller: str | None) -> ContactItem:
    """Add one fact to its contact in a single UpdateItem; returns the item as stored now.

    An anonymised contact (erased on request, or past retention) never holds a number again: the
    write is conditioned on `anonymised_at` being absent, and an input arriving after it (a late trace
    record, a redelivered event) is stored once more without the caller's fields. One request per
    input as before; two only for an input about an anonymised contact.
    """
    day, exact = locator_day(fact, received_at)
    located = [
        ContactItem.day.set(day if exact else ContactItem.day | day),
        ContactItem.first_seen_at.set(ContactItem.first_seen_at | _iso_utc(received_at)),
    ]
    personal = [
        # Retention clock: from when we first heard of the contact (a late input restarts nothing).
        ContactItem.personal_since.set(ContactItem.personal_since | iso(received_at)),
        ContactItem.personal_month.set(ContactItem.personal_month | utc_month(received_at)),
    ]
    if caller:
        personal.append(ContactItem.caller_key.set(caller_key(caller)))
    item = ContactItem(fact.contact_id)
    try:
        item.update(
            actions=[ContactItem.facts.add({fact.to_json()}), *located, *personal],
            condition=ContactItem.anonymised_at.does_not_exist(),
        )
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise
        item.update(actions=[ContactItem.facts.add({anonymised_fact(fact.to_json())}), *located])
    return item


def set_callback_link(contact_id: str, link: str) -> None:
    """Remember (or, with "", forget) which callback this contact raised or joined."""
    item = ContactItem(contact_id)
    item.update(actions=[ContactItem.callback.set(link) if link else ContactItem.callback.remove()])


def get_contact(contact_id: str) -> ContactItem | None:
    try:
        return ContactItem.get(contact_id)
    except ContactItem.DoesNotExist:
        return None


def contacts_of_caller(number: str, since_day: str = "") -> list[str]:
    """Contact ids of a caller's contacts filed on or after `since_day` (the keyed index: no number in it)."""
    condition = ContactItem.day >= since_day if since_day else None
    return [k.contact_id for k in ContactItem.by_caller.query(caller_key(number), condition)]


class ContactNotFound(NotFound):
    """No input about this contact has reached us yet: on a live call its first events are seconds away."""

    def __init__(self, contact_id: str) -> None:
        message = f"contact {contact_id} is not recorded yet; if the call has just started, retry in a few seconds"
        super().__init__(message, "contact_id")


def latest_of_key(key: str, limit: int) -> list[ContactItem]:
    """A caller's latest `limit` contacts by their Istanbul day (the keyed index, newest day first)."""
    ids = [k.contact_id for k in ContactItem.by_caller.query(key, scan_index_forward=False, limit=limit)]
    return list(ContactItem.batch_get(ids)) if ids else []


def filed_on(day: date) -> Iterator[ContactItem]:
    """Every contact filed under one Istanbul day (a day's partition of `by_day`)."""
    yield from ContactItem.by_day.query(day.isoformat(), page_size=PAGE_SIZE)


def contacts_of_key(key: str) -> Iterator[ContactItem]:
    ids = [k.contact_id for k in ContactItem.by_caller.query(key)]
    yield from ContactItem.batch_get(ids)


def contacts_holding_personal_data(month: str, until: str) -> Iterator[str]:
    for k in ContactItem.personal.query(month, ContactItem.personal_since <= until, page_size=PAGE_SIZE):
        yield k.contact_id


def contacts_initiated_between(first_day: date, last_day: date, margin_days: int = 8) -> Iterator[ContactItem]:
    """Every item filed under first_day … last_day + margin (callers filter on the derived time).

    The margin covers contacts filed by an input without an initiation time, whose
    own time can trail the initiation by the contact's length (chats and tasks run
    for days).
    """
    day = first_day
    end = last_day + timedelta(days=margin_days)
    while day <= end:
        # Pages of a few hundred items keep memory flat however busy a day was (DynamoDB caps a page
        # at 1 MB anyway; the embedded AWS does not).
        yield from ContactItem.by_day.query(day.isoformat(), page_size=PAGE_SIZE)
        day += timedelta(days=1)
