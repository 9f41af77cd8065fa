"""Declaring and withdrawing a closure: the store first (what the flow and every deadline read), then
Amazon Connect's hours of operation, then the audit trail.

Declaring the same closure again is harmless (same record, no second audit entry) and is how a
closure whose Connect override failed is synced: the closure stands meanwhile, since our own flow
asks the store. Withdrawing removes Connect's override first, so Connect never keeps a closed day
we no longer know about; when Connect is unavailable the closure stays and the supervisor retries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalicelib.adapters import audit
from chalicelib.adapters.closures import (
    PARTITION,
    ClosureItem,
    ClosureNotFound,
    centre_calendar,
    closures_page,
    delete_closure,
    get_closure,
    put_closure,
    set_override_id,
)
from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_hours import ConnectHoursPort, HoursOverride, get_connect_hours
from chalicelib.adapters.paging import Page
from chalicelib.closures.rules import check_declaration, check_withdrawal, hours_answer, open_hours
from chalicelib.core.errors import Unavailable
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.core.workhours import Closure, default_calendar


class ConnectHoursUnavailable(Unavailable):
    def __init__(self, day: date) -> None:
        super().__init__(
            f"Amazon Connect'in çalışma saatleri şu an güncellenemiyor; {day} kapanışı yerinde, yeniden deneyin / "
            f"Amazon Connect's hours cannot be updated now; the closure of {day} stays, try again"
        )


def _today(now: datetime) -> date:
    return now.astimezone(default_calendar().zone).date()


def _subject(day: str) -> str:
    return f"closure#{day}"


def declare(
    closure: Closure, actor: str, now: datetime, hours: ConnectHoursPort | None = None
) -> tuple[ClosureItem, bool]:
    """Close the centre on a day (from a time, or all day): the stored closure, synced with Connect if it
    could be, and whether it is new (False: the same closure was already declared)."""
    calendar = default_calendar()  # the day as it would have been: hours and holidays, no closures
    check_declaration(closure, calendar, _today(now))
    item = ClosureItem(
        PARTITION,
        closure.day.isoformat(),
        from_time=closure.from_time.strftime("%H:%M") if closure.from_time else None,
        reason=closure.reason,
        declared_by=actor,
        declared_at=iso(now),
    )
    stored = put_closure(item)
    created = stored is item
    if created:
        audit.record(_subject(item.day), actor, "closure_declared", f"from={item.from_time or 'all_day'}", now)
        logger.info("closure declared", extra={"day": item.day, "from": item.from_time})
    if not stored.connect_override_id:
        _sync(
            stored, HoursOverride(closure.day, closure.reason, *(open_hours(closure, calendar) or (None, None))), hours
        )
    return stored, created


def _sync(item: ClosureItem, override: HoursOverride, hours: ConnectHoursPort | None) -> None:
    port = hours or get_connect_hours()
    try:
        override_id = port.create_override(override)
    except (ConnectUnavailable, ConnectRefused) as error:
        # The closure stands (the flow reads the store); declaring it again retries Connect.
        logger.warning("connect hours override failed", extra={"day": item.day, "error": type(error).__name__})
        count("ClosureOverrideFailures")
        return
    if not set_override_id(item, override_id):  # withdrawn meanwhile: Connect must not keep the day closed
        port.delete_override(override.day, override_id)


def withdraw(day: date, actor: str, now: datetime, hours: ConnectHoursPort | None = None) -> None:
    """Open the day again: Connect's override first, then the closure."""
    check_withdrawal(day, _today(now))
    item = get_closure(day)
    if item is None:
        raise ClosureNotFound(day.isoformat())
    try:
        (hours or get_connect_hours()).delete_override(day, item.connect_override_id)
    except ConnectUnavailable:
        raise ConnectHoursUnavailable(day) from None
    except ConnectRefused as error:
        # Connect will not take the request as configured (its hours id): what it holds is not ours to keep.
        logger.error("connect hours override not withdrawn", extra={"day": item.day, "error": type(error).__name__})
        count("ClosureOverrideFailures")
    delete_closure(day)
    audit.record(_subject(item.day), actor, "closure_withdrawn", None, now)
    logger.info("closure withdrawn", extra={"day": item.day})


def list_closures(first: date | None, limit: int, cursor: str | None) -> Page[ClosureItem]:
    return closures_page(first, limit, cursor)


def hours_at(at: datetime) -> dict[str, Any]:
    """What the contact flow would answer at `at`: open, the reason, the next opening."""
    return hours_answer(centre_calendar(), at)
