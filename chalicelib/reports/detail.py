"""Pure: the report's figures beyond docs/figures.md's core — by day, by hour × weekday, by agent, staffing inputs.

One pass over the month's contact records, memory bounded by the calendar (31 days, 7 × 24 slots,
the agents), never by the number of contacts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.turkish import WEEKDAYS_TR
from chalicelib.reports.model import AgentFigures, Day, HeatMap


@dataclass
class _Day:
    inbound: int = 0
    queued: int = 0
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0
    system_dropped: int = 0
    wait_total: float = 0.0


@dataclass
class _Agent:
    answered: int = 0
    handle_total: float = 0.0
    handled: int = 0


def agent_name(record: ContactRecord) -> str | None:
    """The agent's Connect username, else the id at the end of their ARN."""
    if record.agent_username:
        return record.agent_username
    if record.agent_arn:
        return record.agent_arn.rsplit("/", 1)[-1]
    return None


@dataclass
class MonthDetail:
    zone: ZoneInfo
    service_level_seconds: float
    days: dict[date, _Day] = field(default_factory=lambda: defaultdict(_Day))
    heat_inbound: Counter[tuple[int, int]] = field(default_factory=Counter)  # (weekday, hour) → inbound calls
    heat_abandoned: Counter[tuple[int, int]] = field(default_factory=Counter)
    agents: dict[str, _Agent] = field(default_factory=lambda: defaultdict(_Agent))
    agents_at_work: dict[tuple[date, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    longest_wait: float | None = None

    def add(self, r: ContactRecord) -> None:
        name = agent_name(r)
        if name and r.connected_to_agent_at is not None:
            at = r.connected_to_agent_at.astimezone(self.zone)
            self.agents_at_work[(at.date(), at.hour)].add(name)
        if not r.is_inbound_call or r.initiated_at is None:
            return
        local = r.initiated_at.astimezone(self.zone)
        day = self.days[local.date()]
        day.inbound += 1
        slot = (local.weekday(), local.hour)
        self.heat_inbound[slot] += 1
        day.system_dropped += r.system_dropped
        if not r.queued:
            return
        day.queued += 1
        wait = r.queue_seconds
        if wait is not None:
            self.longest_wait = wait if self.longest_wait is None else max(self.longest_wait, wait)
        if r.answered:
            day.answered += 1
            day.answered_in_sl += wait is not None and wait <= self.service_level_seconds
            day.wait_total += wait or 0
            agent = self.agents[name or "?"]
            agent.answered += 1
            if r.handle_seconds is not None:
                agent.handle_total += r.handle_seconds
                agent.handled += 1
        elif r.abandoned:
            day.abandoned += 1
            self.heat_abandoned[slot] += 1

    def by_day(self, first: date, last: date) -> list[Day]:
        rows = []
        for ordinal in range(first.toordinal(), last.toordinal() + 1):
            d = date.fromordinal(ordinal)
            day = self.days.get(d, _Day())
            rows.append(
                Day(
                    date=d.isoformat(),
                    weekday=WEEKDAYS_TR[d.weekday()],
                    inbound=day.inbound,
                    queued=day.queued,
                    answered=day.answered,
                    abandoned=day.abandoned,
                    system_dropped=day.system_dropped,
                    service_level=day.answered_in_sl / day.queued if day.queued else None,
                    asa_seconds=round(day.wait_total / day.answered, 1) if day.answered else None,
                )
            )
        return rows

    def heat_map(self) -> HeatMap:
        return HeatMap(
            weekdays=list(WEEKDAYS_TR),
            inbound=[[self.heat_inbound[(w, h)] for h in range(24)] for w in range(7)],
            abandoned=[[self.heat_abandoned[(w, h)] for h in range(24)] for w in range(7)],
        )

    def by_agent(self) -> list[AgentFigures]:
        """Agents by calls answered, most first."""
        total = sum(a.answered for a in self.agents.values())
        return [
            AgentFigures(
                agent=name,
                answered=a.answered,
                aht_seconds=round(a.handle_total / a.handled, 1) if a.handled else None,
                share=a.answered / total if total else None,
            )
            for name, a in sorted(self.agents.items(), key=lambda item: (-item[1].answered, item[0]))
        ]

    def slots(
        self,
        working_days: list[date],
        measured: Mapping[tuple[date, int], float] | None = None,
        measured_days: frozenset[date] = frozenset(),
    ) -> list[tuple[int, int, float, float]]:
        """(weekday, hour, calls per hour, agents at work) averaged over the month's working days.

        "At work" on a day the agent event stream covers (`measured_days`) is `measured`: the agents
        logged in and available or on a contact, on average over the hour. On any other day it is the
        guess from the records: the agents who took a contact in that hour, so an idle agent is not seen.
        """
        per_weekday = Counter(d.weekday() for d in working_days)
        working = set(working_days)
        at_work: defaultdict[tuple[int, int], float] = defaultdict(float)
        for (day, hour), names in self.agents_at_work.items():
            if day in working and day not in measured_days:
                at_work[(day.weekday(), hour)] += len(names)
        for (day, hour), agents in (measured or {}).items():
            if day in working and day in measured_days:
                at_work[(day.weekday(), hour)] += agents
        out = []
        for (weekday, hour), calls in sorted(self.heat_inbound.items()):
            n = per_weekday.get(weekday)
            if n:
                out.append((weekday, hour, calls / n, at_work[(weekday, hour)] / n))
        return out
