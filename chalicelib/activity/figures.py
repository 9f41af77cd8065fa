"""Pure: a month of agents' sessions → the report's agent figures (docs/figures.md, "Agents' time").

- **Logged-in time**: the sessions (intervals.py) clipped to the Istanbul month, per agent and in total,
  in hours with two decimals (`round` of the exact milliseconds).
- **Time by status**: logged-in time by the status the agent was in, contacts included.
- **Occupancy**: time on contacts (after-contact work included) ÷ (that + time available and waiting),
  i.e. logged-in time less breaks; null with neither. Per agent, for the team, and per calendar week.
- **At work**: per Istanbul date and hour, the agent-seconds available or on a contact — divided by
  3600, the agents at work on average in that hour (the staffing table's "at work").

Agents are named by their Connect username (the agent id where no event carried one); two ids with
one username (an account opened again) count as one agent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.activity.facts import AgentFact
from chalicelib.activity.intervals import BREAK, IDLE, ON_CONTACT, Segment, instant, ms, sessions

HOUR_MS = 3_600_000


def hours(milliseconds: int) -> float:
    return round(milliseconds / HOUR_MS, 2)


def occupancy(on_contact: int, idle: int) -> float | None:
    return on_contact / (on_contact + idle) if on_contact + idle else None


@dataclass
class Totals:
    """Milliseconds, exact."""

    logged_in: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # ON_CONTACT, IDLE, BREAK
    by_status: Counter[str] = field(default_factory=Counter)

    def add(self, segment: Segment) -> None:
        self.logged_in += segment.length
        self.by_kind[segment.kind] += segment.length
        self.by_status[segment.status] += segment.length

    @property
    def occupancy(self) -> float | None:
        return occupancy(self.by_kind[ON_CONTACT], self.by_kind[IDLE])


@dataclass
class AgentMonth(Totals):
    sessions: int = 0
    without_logout: int = 0  # sessions closed by the heartbeat rule


@dataclass
class MonthActivity:
    """The month's agent activity; empty (`active` False) when no session touched the month."""

    agents: dict[str, AgentMonth]
    team: Totals
    weeks: dict[date, Totals]  # Monday of the week → the week's days in the month
    at_work: dict[tuple[date, int], int]  # (Istanbul date, hour) → agent-ms available or on a contact
    days: set[date]  # Istanbul dates with any logged-in time

    @property
    def active(self) -> bool:
        return bool(self.team.logged_in)


def month_activity(
    facts_by_agent: Mapping[str, Iterable[AgentFact]], first: date, last: date, zone: ZoneInfo
) -> MonthActivity:
    """The month `first`…`last` (Istanbul dates) of every agent's facts (keyed by agent id)."""
    lo = ms(datetime.combine(first, datetime.min.time(), tzinfo=zone))
    hi = ms(datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone))
    agents: dict[str, AgentMonth] = defaultdict(AgentMonth)
    team = Totals()
    weeks: dict[date, Totals] = defaultdict(Totals)
    at_work: dict[tuple[date, int], int] = defaultdict(int)
    days: set[date] = set()
    for agent, facts in sorted(facts_by_agent.items()):
        facts = list(facts)
        name = _name(agent, facts)
        for session in sessions(facts):
            kept = [c for s in session.segments if (c := s.clipped(lo, hi))]
            if not kept:
                continue
            month = agents[name]
            month.sessions += 1
            month.without_logout += not session.logged_out
            for segment in kept:
                month.add(segment)
                team.add(segment)
                for piece, day, hour in _by_local_hour(segment, zone):
                    days.add(day)
                    weeks[day - timedelta(days=day.weekday())].add(piece)
                    if piece.kind != BREAK:
                        at_work[(day, hour)] += piece.length
    return MonthActivity(dict(agents), team, dict(weeks), dict(at_work), days)


def _name(agent: str, facts: list[AgentFact]) -> str:
    """The username the agent's latest event carried; the agent id when none did."""
    named = [f for f in facts if f.username]
    if not named:
        return agent
    return max(named, key=AgentFact.order).username or agent


def _by_local_hour(segment: Segment, zone: ZoneInfo) -> Iterable[tuple[Segment, date, int]]:
    """The segment cut at the hours of the Istanbul clock."""
    start = segment.start
    while start < segment.end:
        local = instant(start).astimezone(zone)
        into_hour = (local.minute * 60 + local.second) * 1000 + local.microsecond // 1000
        end = min(segment.end, start + HOUR_MS - into_hour)
        yield Segment(start, end, segment.status, segment.kind, segment.free), local.date(), local.hour
        start = end


# -- the report's shapes --------------------------------------------------------------------


def agents_time(activity: MonthActivity) -> dict[str, Any] | None:
    """CONTRACT's `agents_time`, exactly; None when the month has no agent sessions."""
    if not activity.active:
        return None
    return {
        "logged_in_hours": hours(activity.team.logged_in),
        "by_agent": {
            name: {"logged_in_hours": hours(a.logged_in), "occupancy": a.occupancy}
            for name, a in sorted(activity.agents.items())
        },
    }


def _kinds(totals: Totals) -> dict[str, Any]:
    return {
        "on_contact_hours": hours(totals.by_kind[ON_CONTACT]),
        "available_hours": hours(totals.by_kind[IDLE]),
        "break_hours": hours(totals.by_kind[BREAK]),
        "occupancy": totals.occupancy,
        "by_status": {
            status: hours(n) for status, n in sorted(totals.by_status.items(), key=lambda kv: (-kv[1], kv[0]))
        },
    }


def activity_detail(activity: MonthActivity, first: date, last: date) -> dict[str, Any] | None:
    """Beyond the contract: time by kind and status, per agent and in total, and each week's occupancy."""
    if not activity.active:
        return None
    return {
        **_kinds(activity.team),
        "sessions_without_logout": sum(a.without_logout for a in activity.agents.values()),
        "by_agent": {
            name: {**_kinds(a), "sessions": a.sessions, "sessions_without_logout": a.without_logout}
            for name, a in sorted(activity.agents.items())
        },
        "weeks": [
            {
                "first_day": max(monday, first).isoformat(),
                "last_day": min(monday + timedelta(days=6), last).isoformat(),
                "logged_in_hours": hours(week.logged_in),
                "on_contact_hours": hours(week.by_kind[ON_CONTACT]),
                "occupancy": week.occupancy,
            }
            for monday, week in sorted(activity.weeks.items())
        ],
    }
