"""Time, in one place: instants as ISO text, the centre's calendar months and days, month arguments.

Instants are stored as UTC ISO text with millisecond precision and a `Z` (`iso`), so string order is
time order in every key and index. The centre lives in Europe/Istanbul (settings' `zone`): a contact's
month and day, a report's month, an incident's month are Istanbul ones (`local_month`, `local_day`).
The retention index files records by the UTC month they were recorded (`utc_month`): a bookkeeping
bucket, not a calendar month anyone reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, overload
from zoneinfo import ZoneInfo

from pydantic import StringConstraints

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
# A month argument (a query parameter, a path segment): YYYY-MM, the month of the Istanbul calendar.
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]


def now() -> datetime:
    """The current instant, in UTC (every route and job asks here, so tests freeze one clock)."""
    return datetime.now(UTC)


@overload
def iso(dt: datetime) -> str: ...
@overload
def iso(dt: datetime | None) -> str | None: ...
def iso(dt: datetime | None) -> str | None:
    """UTC, millisecond precision, `Z`: string order is time order."""
    if dt is None:
        return None
    utc = dt.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@overload
def parse_iso(value: str) -> datetime: ...
@overload
def parse_iso(value: str | None) -> datetime | None: ...
def parse_iso(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def local_month(moment: datetime, zone: ZoneInfo) -> str:
    """The calendar month (YYYY-MM) of `moment` in `zone` (the centre's: Europe/Istanbul)."""
    return moment.astimezone(zone).strftime("%Y-%m")


def local_day(moment: datetime, zone: ZoneInfo) -> str:
    """The calendar day (YYYY-MM-DD) of `moment` in `zone`."""
    return moment.astimezone(zone).date().isoformat()


def utc_month(moment: datetime) -> str:
    """The UTC month (YYYY-MM) of `moment`: how the retention index buckets records."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month."""
    year, mon = (int(part) for part in month.split("-"))
    first = date(year, mon, 1)
    following = date(year + (mon == 12), mon % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_instants(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month in `zone` as instants: its first moment and the first moment after it (UTC)."""
    first, last = month_bounds(month)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def previous_month(month: str) -> str:
    return (month_bounds(month)[0] - timedelta(days=1)).strftime("%Y-%m")
