"""Pure: the live figures of one Istanbul day up to an instant, with the monthly report's definitions.

Every figure is the report's (docs/figures.md) restricted to the contacts initiated that day up to `at`,
and each contact is taken *as of `at`*: only the inputs true by then (an event's time, a trace
record's LastUpdateTimestamp; a flow invocation, which carries no time, belongs to the call it is
part of). So `--at` on a replayed day shows what the console showed at that moment, and at `now` the
stored records are exactly that.

- in queue now: VOICE INBOUND contacts enqueued, not connected to an agent, not ended, as of `at`;
  the longest wait is the oldest of them;
- today: inbound, queued, answered, abandoned, system drops, service level and ASA (the report's);
- by hour: the same per Istanbul hour of initiation, for the chart beside the usual day;
- lost in the last 30 minutes: abandoned calls that ended in the half hour before `at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.core.times import iso
from chalicelib.reports.figures import CoreFigures

LOST_WINDOW = timedelta(minutes=30)
TODAY_KEYS = ("inbound", "queued", "answered", "abandoned", "system_dropped", "service_level", "asa_seconds")


def as_of(contact_id: str, facts: Iterable[Fact], first_seen_at: str | None, at: datetime) -> ContactRecord:
    """The contact as its inputs described it by `at`."""
    cutoff = iso(at) or ""
    return merge(contact_id, [f for f in facts if f.at is None or f.at <= cutoff], first_seen_at)


@dataclass
class DayFigures:
    at: datetime
    zone: ZoneInfo
    short_abandon_seconds: float
    service_level_seconds: float
    today: CoreFigures = field(init=False)
    hours: dict[int, CoreFigures] = field(default_factory=dict)
    waiting_since: list[datetime] = field(default_factory=list)
    lost_recently: int = 0

    def __post_init__(self) -> None:
        self.today = self._figures()

    def _figures(self) -> CoreFigures:
        return CoreFigures(self.short_abandon_seconds, self.service_level_seconds)

    def add(self, record: ContactRecord) -> None:
        """A contact as of `at`; one initiated on another day, or after `at`, is not today's."""
        started = record.initiated_at
        if started is None or started > self.at or started.astimezone(self.zone).date() != self.day:
            return
        self.today.add(record)
        hour = started.astimezone(self.zone).hour
        self.hours.setdefault(hour, self._figures()).add(record)
        if not record.is_inbound_call:
            return
        if record.queued and not record.connected and not record.ended and record.enqueued_at is not None:
            self.waiting_since.append(record.enqueued_at)
        ended = record.disconnected_at
        if record.abandoned and ended is not None and self.at - LOST_WINDOW < ended <= self.at:
            self.lost_recently += 1

    @property
    def day(self) -> date:
        return self.at.astimezone(self.zone).date()

    def in_queue_now(self) -> tuple[int, float | None]:
        if not self.waiting_since:
            return 0, None
        return len(self.waiting_since), round((self.at - min(self.waiting_since)).total_seconds(), 1)

    def today_dict(self) -> dict[str, Any]:
        calls = self.today.calls()
        return {key: getattr(calls, key) for key in TODAY_KEYS}

    def by_hour(self, baseline: dict[int, dict[str, float | None]]) -> list[dict[str, Any]]:
        """Every hour of the day up to `at` that had a contact or has a usual figure, in order."""
        last = self.at.astimezone(self.zone).hour
        hours = sorted({h for h in self.hours if h <= last} | {h for h in baseline if h <= last})
        rows = []
        for hour in hours:
            calls = self.hours[hour].calls() if hour in self.hours else None
            rows.append(
                {
                    "hour": hour,
                    "inbound": calls.inbound if calls else 0,
                    "answered": calls.answered if calls else 0,
                    "abandoned": calls.abandoned if calls else 0,
                    "system_dropped": calls.system_dropped if calls else 0,
                    "service_level": calls.service_level if calls else None,
                    "baseline": baseline.get(hour, {"inbound": None, "answered": None, "abandoned": None}),
                }
            )
        return rows


def hourly_counts(records: Iterable[ContactRecord], zone: ZoneInfo) -> dict[int, dict[str, int]]:
    """One past day's inbound, answered and abandoned calls by Istanbul hour (for the usual day)."""
    counts: dict[int, dict[str, int]] = {}
    for record in records:
        if not record.is_inbound_call or record.initiated_at is None:
            continue
        row = counts.setdefault(
            record.initiated_at.astimezone(zone).hour, {"inbound": 0, "answered": 0, "abandoned": 0}
        )
        row["inbound"] += 1
        row["answered"] += record.answered
        row["abandoned"] += record.abandoned
    return counts


def usual_day(days: list[dict[int, dict[str, int]]]) -> dict[int, dict[str, float | None]]:
    """The average by hour over `days` (each day's hours; an hour a day had no call counts as 0)."""
    if not days:
        return {}
    hours = sorted({h for day in days for h in day})
    return {
        hour: {
            key: round(sum(day.get(hour, {}).get(key, 0) for day in days) / len(days), 1)
            for key in ("inbound", "answered", "abandoned")
        }
        for hour in hours
    }
