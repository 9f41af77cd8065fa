"""Disclosures and data-subject requests in DynamoDB (directive 9(2), KVKK art. 11-13).

Tables and access patterns (no Scan):
- disclosures (hash `disclosure_id`): one item per export of a caller's records, with its legal
  basis; created once (Put, attribute_not_exists); GSI `by_month` (made_month, made_at) lists a
  month's exports for the supervisor, newest first, a page at a time. No number: the caller's keyed
  hash and a masked number.
- privacy requests (hash `request_id`): a data-subject request (access or erasure); fulfilled once
  (UpdateItem conditioned on `state = OPEN`); GSI `by_due` (state, due_at) lists them a page at a
  time: the open ones by due date, the fulfilled ones newest first. The number is kept only while
  the request is open (it is needed to fulfil it).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict

_cfg = settings()


class DisclosuresByMonth(GlobalSecondaryIndex["DisclosureItem"]):
    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    made_month = UnicodeAttribute(hash_key=True)
    made_at = UnicodeAttribute(range_key=True)


class DisclosureItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.disclosures_table

    disclosure_id = UnicodeAttribute(hash_key=True)
    made_at = UnicodeAttribute()
    made_month = UnicodeAttribute()  # Istanbul month
    made_by = UnicodeAttribute()  # "supervisor:<id>"
    basis = UnicodeAttribute()  # consent | legal_authority | data_subject_request
    consent_reference = UnicodeAttribute(null=True)
    authority = UnicodeAttribute(null=True)
    document_number = UnicodeAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    caller_key = UnicodeAttribute()
    number_masked = UnicodeAttribute()
    contacts = NumberAttribute(default=0)
    callbacks = NumberAttribute(default=0)
    referrals = NumberAttribute(default=0)

    by_month = DisclosuresByMonth()


class RequestsByDue(GlobalSecondaryIndex["PrivacyRequestItem"]):
    class Meta:
        index_name = "by_due"
        projection = AllProjection()

    state = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class PrivacyRequestItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.privacy_requests_table

    request_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # access | erasure
    number = UnicodeAttribute(null=True)  # E.164 while OPEN; removed once fulfilled
    caller_key = UnicodeAttribute()
    number_masked = UnicodeAttribute()
    identified_by = UnicodeAttribute()  # how the person proved who they are (never the document itself)
    received_at = UnicodeAttribute()
    due_at = UnicodeAttribute()
    state = UnicodeAttribute()  # OPEN | FULFILLED
    recorded_at = UnicodeAttribute()
    recorded_by = UnicodeAttribute()
    fulfilled_at = UnicodeAttribute(null=True)
    fulfilled_by = UnicodeAttribute(null=True)
    disclosure_id = UnicodeAttribute(null=True)  # access: the export given
    contacts = NumberAttribute(null=True)  # records found (access) or anonymised (erasure)
    callbacks = NumberAttribute(null=True)
    referrals = NumberAttribute(null=True)

    by_due = RequestsByDue()


def save_disclosure(item: DisclosureItem) -> None:
    item.save(condition=DisclosureItem.disclosure_id.does_not_exist())


def disclosures_page(month: str, limit: int, cursor: str | None) -> Page[DisclosureItem]:
    return read_page(Source(DisclosureItem.by_month, (month,), newest_first=True), limit, cursor)


def save_request(item: PrivacyRequestItem) -> None:
    item.save(condition=PrivacyRequestItem.request_id.does_not_exist())


def get_request(request_id: str) -> PrivacyRequestItem | None:
    try:
        return PrivacyRequestItem.get(request_id)
    except DoesNotExist:
        return None


def requests_page(state: str, newest_first: bool, limit: int, cursor: str | None) -> Page[PrivacyRequestItem]:
    return read_page(Source(PrivacyRequestItem.by_due, (state,), newest_first=newest_first), limit, cursor)


def mark_fulfilled(request_id: str, changes: dict[str, Any]) -> PrivacyRequestItem:
    """Record the fulfilment once (OPEN → FULFILLED) and forget the plain number; Conflict otherwise."""
    actions = [getattr(PrivacyRequestItem, name).set(value) for name, value in changes.items()]
    actions += [PrivacyRequestItem.state.set("FULFILLED"), PrivacyRequestItem.number.remove()]
    item = PrivacyRequestItem(request_id)
    try:
        item.update(actions=actions, condition=PrivacyRequestItem.state == "OPEN")
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise Conflict(f"request {request_id} is already fulfilled") from None
        raise
    return item
