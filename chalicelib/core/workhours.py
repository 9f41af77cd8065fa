"""Working hours of the centre: when a caller reaches an agent, and when not.

The contact-flow Lambda asks this per call under an 8 s budget, so the module is
pure (no AWS clients) and the Turkish holiday tables are built once per year and
cached. Holidays come from the `holidays` package in two categories that mean
different things here:

* ``public`` — resmi tatil (Cumhuriyet Bayramı, bayram days, ...): closed all day.
* ``half_day`` — arife and 28 Ekim: public offices close at 13:00, so the centre
  is open only until ``half_day_closing``.

The two categories are built separately rather than as one merged table because
they can fall on the same date (e.g. Kurban arife on 23 Nisan 2029); then the full
holiday wins.

Closures the supervisor declares (idari izin, a snow day) are a third input: a
mapping of day → `Closure`, closed all day or from a time that day. The calendar
takes them as plain data (`with_closures`), so it stays pure; who loads them from
the store, and how fresh, is `chalicelib.adapters.closures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from chalicelib.core import config

# Pinned because with ``language=None`` the package picks the language from the
# process locale (LANG/LC_ALL): names would differ between a laptop and Lambda.
_HOLIDAY_LANGUAGE = "en_US"

# Longest stretch we will search for an opening. Even a 9-day bayram bridge plus
# weekends is far below this; hitting it means the calendar can never open.
_SEARCH_DAYS = 366


# `closure_reason` codes (the contact flow branches on them); a declared closure is its own.
DECLARED = "declared_closure"


@dataclass(frozen=True, slots=True)
class Closure:
    """A day the supervisor closed the centre: all day, or from `from_time` (Istanbul) to the end of it."""

    day: date
    from_time: time | None
    reason: str  # said to callers, Turkish


@dataclass(frozen=True, slots=True)
class _YearHolidays:
    full: Mapping[date, str]
    half: Mapping[date, str]


@lru_cache(maxsize=8)
def _holidays_for(year: int) -> _YearHolidays:
    """Holiday tables for one year, built once per warm Lambda container.

    Copied into read-only plain mappings: a live ``HolidayBase`` grows itself on
    lookups of other years (``expand=True``), which a shared cache must not do.
    """

    def table(category: str) -> Mapping[date, str]:
        found = holidays.country_holidays("TR", years=year, categories=(category,), language=_HOLIDAY_LANGUAGE)
        return MappingProxyType(dict(found))

    full = table("public")
    half = {day: name for day, name in table("half_day").items() if day not in full}
    return _YearHolidays(full=full, half=MappingProxyType(half))


@dataclass(frozen=True)
class WorkingCalendar:
    """Opening hours in one time zone, with Turkish public and half-day holidays.

    Open Monday to Friday from ``opening`` (inclusive) to ``closing`` (exclusive);
    closed on public holidays; on half-day holidays open only until
    ``half_day_closing``; closed on a declared closure's day (from its
    ``from_time`` when it has one). Every method takes an aware datetime and
    reasons in ``zone``, so callers may pass UTC timestamps straight from Amazon Connect.
    """

    opening: time
    closing: time
    half_day_closing: time
    zone: ZoneInfo
    # Not hashed: a mapping is not hashable, and equal calendars still hash equal without it.
    closures: Mapping[date, Closure] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        # A misconfigured stage (e.g. times swapped) would otherwise make the centre
        # silently never open; fail at start-up instead.
        if not self.opening < self.closing:
            raise ValueError(f"opening {self.opening} must be before closing {self.closing}")
        if not self.opening < self.half_day_closing <= self.closing:
            raise ValueError(f"half_day_closing {self.half_day_closing} must lie in ({self.opening}, {self.closing}]")

    @classmethod
    def from_settings(cls, settings: config.Settings) -> WorkingCalendar:
        return cls(
            opening=settings.opening_time,
            closing=settings.closing_time,
            half_day_closing=settings.half_day_closing_time,
            zone=settings.zone,
        )

    def with_closures(self, closures: Mapping[date, Closure]) -> WorkingCalendar:
        """This calendar with the declared closures (day → closure) in force."""
        return replace(self, closures=MappingProxyType(dict(closures)))

    # -- days -------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """English name of the public or half-day holiday on ``day``, else None.

        When a public holiday and a half day coincide, the public one is named,
        since it is the one that decides the closure.
        """
        year = _holidays_for(day.year)
        return year.full.get(day) or year.half.get(day)

    def is_working_day(self, day: date) -> bool:
        """Weekday that is not a full public holiday nor closed all day by the supervisor; a half
        day, or a day closed from some time on, still counts."""
        return day.weekday() < 5 and day not in _holidays_for(day.year).full and not self._closed_all_day(day)

    def declared_closure(self, day: date) -> Closure | None:
        """The closure the supervisor declared for ``day``, if any."""
        return self.closures.get(day)

    def _closed_all_day(self, day: date) -> bool:
        closure = self.closures.get(day)
        return closure is not None and (closure.from_time is None or closure.from_time <= self.opening)

    def closing_on(self, day: date) -> time | None:
        """Closing time on ``day``, or None if the centre does not open at all."""
        if not self.is_working_day(day):
            return None
        closing = self.half_day_closing if day in _holidays_for(day.year).half else self.closing
        closure = self.closures.get(day)
        if closure is not None and closure.from_time is not None:
            closing = min(closing, closure.from_time)
        return closing

    # -- moments ----------------------------------------------------------

    def _local(self, at: datetime) -> datetime:
        # A naive datetime is ambiguous (Lambda runs in UTC, agents think in TRT);
        # refusing it is cheaper than a three-hour bug.
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"timezone-aware datetime required, got naive {at!r}")
        return at.astimezone(self.zone)

    def is_open(self, at: datetime) -> bool:
        """Whether a call arriving at ``at`` is within opening hours."""
        return self.closure_reason(at) is None

    def closure_reason(self, at: datetime) -> str | None:
        """None when open, else a machine code for the contact flow's prompt.

        One of ``"holiday"``, ``"weekend"``, ``"declared_closure"`` (`DECLARED`),
        ``"before_hours"``, ``"half_day_afternoon"``, ``"after_hours"``. A public
        holiday on a weekend (e.g. a bayram Saturday) reports ``"holiday"``: it is
        the more informative message for the caller. On a half day every moment
        from ``half_day_closing`` on is ``"half_day_afternoon"``. A declared
        closure speaks for its whole day when it has no from-time, else from that
        time to midnight (an evening caller hears why the day ended early).
        """
        local = self._local(at)
        day, now = local.date(), local.time()
        year = _holidays_for(day.year)
        if day in year.full:
            return "holiday"
        if day.weekday() >= 5:
            return "weekend"
        closure = self.closures.get(day)
        if closure is not None and (closure.from_time is None or closure.from_time <= max(now, self.opening)):
            return DECLARED  # closed all day, or from a time already reached
        if now < self.opening:
            return "before_hours"
        if day in year.half and now >= self.half_day_closing:
            return "half_day_afternoon"
        if now >= self.closing:
            return "after_hours"
        return None

    def next_opening(self, at: datetime) -> datetime:
        """First moment at or after ``at`` when the centre is open, in ``zone``.

        Returns ``at`` itself (converted) when already open, so callers can use
        ``next_opening(at) == at`` as an open check and otherwise announce the
        returned time. Skips weekends and multi-day bayrams.
        """
        local = self._local(at)
        start = local.date()
        for offset in range(_SEARCH_DAYS):
            day = start + timedelta(days=offset)
            closing = self.closing_on(day)
            if closing is None:
                continue
            if offset == 0:
                now = local.time()
                if now >= closing:
                    continue
                if now >= self.opening:
                    return local
            return datetime.combine(day, self.opening, tzinfo=self.zone)
        raise RuntimeError(f"no opening within {_SEARCH_DAYS} days of {at.isoformat()}")

    def _closing_after(self, opening: datetime) -> datetime:
        """When the opening hours that ``opening`` (a moment from ``next_opening``) lies in end."""
        closing = self.closing_on(opening.date())
        if closing is None:  # next_opening only answers moments of working days
            raise RuntimeError(f"{opening.isoformat()} is not a moment of opening hours")
        return datetime.combine(opening.date(), closing, tzinfo=self.zone)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of opening hours has passed since ``start``.

        Closed time does not count: two working hours from Friday 16:30 end on
        Monday 09:30. Used for service-level deadlines (a callback due "within two
        working hours").
        """
        remaining = duration
        moment = self.next_opening(start)
        for _ in range(_SEARCH_DAYS):
            closing = self._closing_after(moment)
            if moment + remaining <= closing:
                return moment + remaining
            remaining -= closing - moment
            moment = self.next_opening(closing)
        raise RuntimeError(f"{duration} of working time does not fit in {_SEARCH_DAYS} days")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Opening hours that pass from ``start`` to ``end`` (zero when ``end`` is not later).

        The inverse of ``add_working_time``: how long a unit took to answer "in working hours".
        """
        total = timedelta(0)
        end_local = self._local(end)
        moment = self.next_opening(start)
        for _ in range(_SEARCH_DAYS * 8):
            if moment >= end_local:
                return total
            closing = self._closing_after(moment)
            total += min(closing, end_local) - moment
            moment = self.next_opening(closing)
        raise RuntimeError(f"{start.isoformat()} to {end.isoformat()} spans too many days")

    @property
    def working_day(self) -> timedelta:
        """The length of a full working day, e.g. 9 h for 08:30–17:30."""
        today = date(2000, 1, 1)
        return datetime.combine(today, self.closing) - datetime.combine(today, self.opening)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """Calendar from the process settings, built once per container."""
    return WorkingCalendar.from_settings(config.settings())
