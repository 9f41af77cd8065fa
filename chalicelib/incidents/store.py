"""Console incidents in DynamoDB.

Table `incidents` (hash `incident_id`, a random id given when the agent reports). Access patterns
(no Scan):
1. report: Put with attribute_not_exists(incident_id);
2. acknowledge / resolve: Update with a condition on the current status, so two supervisors
   can never resolve one incident twice or move it backwards;
3. GSI `by_status` (hash `status`, range `reported_at`): the list by status, a page at a time;
4. GSI `by_month` (hash `reported_month` = Istanbul YYYY-MM, range `reported_at`): a month's
   incidents, for the list and for the monthly report (`incidents_reported_in`).

`description` and `resolution` are free text (may name people or numbers): stored, sent to the
supervisor, never logged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict

_cfg = settings()


class IncidentChanged(Conflict):
    """The incident is gone or no longer in the status the change started from."""

    def __init__(self, incident_id: str) -> None:
        super().__init__(f"{incident_id} bu arada değişti; yeniden yükleyip deneyin")


class ByStatusIndex(GlobalSecondaryIndex["IncidentItem"]):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    reported_at = UnicodeAttribute(range_key=True)


class ByMonthIndex(GlobalSecondaryIndex["IncidentItem"]):
    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    reported_month = UnicodeAttribute(hash_key=True)
    reported_at = UnicodeAttribute(range_key=True)


class ByReporterIndex(GlobalSecondaryIndex["IncidentItem"]):
    """An agent's own reports, newest first: what the panel shows them with the supervisor's action."""

    class Meta:
        index_name = "by_reporter"
        projection = AllProjection()

    reported_by = UnicodeAttribute(hash_key=True)
    reported_at = UnicodeAttribute(range_key=True)


class IncidentItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.incidents_table

    incident_id = UnicodeAttribute(hash_key=True)
    reported_by = UnicodeAttribute()
    reported_at = UnicodeAttribute()  # UTC ISO
    reported_month = UnicodeAttribute()  # Istanbul YYYY-MM of reported_at
    category = UnicodeAttribute()
    severity = UnicodeAttribute()
    description = UnicodeAttribute()  # free text: never logged
    status = UnicodeAttribute()
    notified = UnicodeAttribute(null=True)  # the notifier's message id once the supervisor was e-mailed
    acknowledged_at = UnicodeAttribute(null=True)
    acknowledged_by = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True)
    resolution = UnicodeAttribute(null=True)  # free text: never logged
    minutes_to_resolve = NumberAttribute(null=True)

    by_status = ByStatusIndex()
    by_month = ByMonthIndex()
    by_reporter = ByReporterIndex()


def create(item: IncidentItem) -> None:
    try:
        item.save(condition=IncidentItem.incident_id.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise IncidentChanged(item.incident_id) from None
        raise


def update_where(item: IncidentItem, actions: Sequence[Action], from_statuses: frozenset[str]) -> IncidentItem:
    """Apply `actions` if the incident is in one of `from_statuses`; returns it as stored now."""
    condition = IncidentItem.incident_id.exists() & IncidentItem.status.is_in(*sorted(from_statuses))
    try:
        item.update(actions=list(actions), condition=condition)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise IncidentChanged(item.incident_id) from None
        raise
    return item


def set_notified(item: IncidentItem, message_id: str) -> None:
    item.update(actions=[IncidentItem.notified.set(message_id)])


def get_incident(incident_id: str) -> IncidentItem | None:
    try:
        return IncidentItem.get(incident_id)
    except DoesNotExist:
        return None


def status_page(status: str, newest_first: bool, limit: int, cursor: str | None) -> Page[IncidentItem]:
    return read_page(Source(IncidentItem.by_status, (status,), newest_first=newest_first), limit, cursor)


def reporter_page(reporter: str, limit: int, cursor: str | None) -> Page[IncidentItem]:
    return read_page(Source(IncidentItem.by_reporter, (reporter,), newest_first=True), limit, cursor)


def month_page(month: str, status: str | None, limit: int, cursor: str | None) -> Page[IncidentItem]:
    """A page of the month's incidents, oldest first; a status is DynamoDB's filter (a month holds few)."""
    only = IncidentItem.status == status if status else None
    return read_page(Source(IncidentItem.by_month, (month,), filter=only), limit, cursor)


def incidents_reported_in(month: str) -> Iterator[IncidentItem]:
    """The incidents reported in `month` (Istanbul YYYY-MM), oldest first: one GSI Query, paged."""
    yield from IncidentItem.by_month.query(month)
