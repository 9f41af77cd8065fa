"""Closures the supervisor declares, in DynamoDB, and the calendar every "is the centre open?" asks.

One item per closed day (hash `partition` = "closures", one partition for all: a university closes a
few days a year; range `day` = YYYY-MM-DD, Istanbul), so every access is a key:

- declare: a conditional Put (one closure per day), read back when the day is taken;
- withdraw: a conditional Delete;
- the calendar: one Query of the partition (all pages), kept per warm container for at most
  `TTL_SECONDS`, so the contact flow (8 s budget) and the contact handlers pay one Query a minute,
  not one per call; a closure declared elsewhere is honoured everywhere within that minute, and at
  once in the container that declared it (`forget_closures`);
- the list: a page of the partition from a day on (`adapters.paging`).

A shared store, below the domains, because every one of them asks the calendar (callbacks' deadlines
and dispatch, referrals' deadlines, the watchdog, the report, the flow). Reasons are administrative
text, never personal data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date
from datetime import time as clock_time
from types import MappingProxyType

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.observability import count, logger
from chalicelib.core.workhours import Closure, WorkingCalendar, default_calendar

_cfg = settings()
PARTITION = "closures"
TTL_SECONDS = 60.0
_FAILED = "ConditionalCheckFailedException"


class ClosureItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.closures_table

    partition = UnicodeAttribute(hash_key=True, default=PARTITION)
    day = UnicodeAttribute(range_key=True)  # YYYY-MM-DD, the Istanbul calendar day
    from_time = UnicodeAttribute(null=True)  # HH:MM: closed from then to the end of the day; absent: all day
    reason = UnicodeAttribute()  # said to callers (Turkish), shown in Connect's override
    declared_by = UnicodeAttribute()  # "supervisor:<username>", "cli:<user>"
    declared_at = UnicodeAttribute()  # UTC ISO
    connect_override_id = UnicodeAttribute(null=True)  # the hours-of-operation override, once Connect has it

    def closure(self) -> Closure:
        return Closure(
            day=date.fromisoformat(self.day),
            from_time=clock_time.fromisoformat(self.from_time) if self.from_time else None,
            reason=self.reason,
        )


class ClosureTaken(Conflict):
    def __init__(self, day: str) -> None:
        super().__init__(
            f"date: {day} için başka bir kapanış bildirilmiş; önce onu kaldırın / "
            f"another closure is declared for {day}; remove it first",
            "date",
        )


class ClosureNotFound(NotFound):
    def __init__(self, day: str) -> None:
        super().__init__(f"date: {day} için bildirilmiş kapanış yok / no closure is declared for {day}", "date")


def get_closure(day: date) -> ClosureItem | None:
    try:
        return ClosureItem.get(PARTITION, day.isoformat(), consistent_read=True)
    except DoesNotExist:
        return None


def put_closure(item: ClosureItem) -> ClosureItem:
    """Store a new closure, or return the one already there when it says the same (a retried request);
    `ClosureTaken` when the day holds another."""
    try:
        item.save(condition=ClosureItem.day.does_not_exist())
    except PutError as error:
        if error.cause_response_code != _FAILED:
            raise
        held = get_closure(date.fromisoformat(item.day))
        if held is None or (held.from_time, held.reason) != (item.from_time, item.reason):
            raise ClosureTaken(item.day) from None
        return held
    forget_closures()
    return item


def set_override_id(item: ClosureItem, override_id: str) -> bool:
    """Remember Connect's override on the closure; False when the closure was withdrawn meanwhile."""
    try:
        item.update(actions=[ClosureItem.connect_override_id.set(override_id)], condition=ClosureItem.day.exists())
    except UpdateError as error:
        if error.cause_response_code == _FAILED:
            return False
        raise
    return True


def delete_closure(day: date) -> None:
    try:
        ClosureItem(PARTITION, day.isoformat()).delete(condition=ClosureItem.day.exists())
    except DeleteError as error:
        if error.cause_response_code == _FAILED:
            raise ClosureNotFound(day.isoformat()) from None
        raise
    forget_closures()


def closures_page(first: date | None, limit: int, cursor: str | None) -> Page[ClosureItem]:
    """Declared closures by day, from `first` on (all of them without it), a page at a time."""
    condition = ClosureItem.day >= first.isoformat() if first else None
    return read_page(Source(ClosureItem, (PARTITION,), range_condition=condition), limit, cursor)


def declared_closures() -> dict[date, Closure]:
    """Every declared closure, by day: one Query of the partition, all pages."""
    return {closure.day: closure for closure in (item.closure() for item in ClosureItem.query(PARTITION))}


# --- the calendar, per warm container --------------------------------------------------------------------

_clock: Callable[[], float] = time.monotonic
_cached: tuple[float, Mapping[date, Closure]] | None = None


def current_closures() -> Mapping[date, Closure]:
    """The declared closures, read at most once per `TTL_SECONDS` in this container.

    When the read fails, the closures last read are used (and the failure counted); with none read
    yet, the error goes up to the caller (the flow then answers from the holidays alone).
    """
    global _cached
    now = _clock()
    if _cached is not None and now - _cached[0] < TTL_SECONDS:
        return _cached[1]
    try:
        loaded: Mapping[date, Closure] = MappingProxyType(declared_closures())
    except Exception as error:
        if _cached is None:
            raise
        logger.warning("closures read failed; using the last read", extra={"error": type(error).__name__})
        count("ClosuresReadFailures")
        return _cached[1]
    _cached = (now, loaded)
    return loaded


def forget_closures() -> None:
    """Read the closures again on the next question (after a change here; tests, a new AWS)."""
    global _cached
    _cached = None


def centre_calendar() -> WorkingCalendar:
    """The centre's calendar: working hours, Turkish holidays and the declared closures."""
    return default_calendar().with_closures(current_closures())
