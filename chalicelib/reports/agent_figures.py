"""The report's agents' time (docs/figures.md, "Agents' time"): the month's agent-event records made into
CONTRACT's `agents_time`, the detail beside it, the staffing table's "at work" and where it came from, and
the finding a week's occupancy gives when it runs above 85 % or below 50 %. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.activity.facts import AgentFact
from chalicelib.activity.figures import HOUR_MS, activity_detail, agents_time, month_activity
from chalicelib.core.turkish import MONTHS_TR
from chalicelib.reports.model import ActivityWeek, AgentActivity, AgentsTime, Lines, MonthlyReport, read
from chalicelib.reports.staffing import Slot

OCCUPANCY_HIGH = 0.85  # above it for a week, agents have no breath between contacts
OCCUPANCY_LOW = 0.50  # below it, most of their available time was spent waiting
MIN_WEEK_HOURS = 8.0  # a week's occupancy is judged only over at least this many logged-in hours

SOURCE_AGENT_EVENTS = "agent_events"
SOURCE_CONTACTS = "contacts"
SOURCE_MIXED = "mixed"


@dataclass(frozen=True)
class AgentParts:
    agents_time: AgentsTime | None
    activity: AgentActivity | None
    at_work: dict[tuple[date, int], float] = field(default_factory=dict)  # (date, hour) → agents on average
    days: frozenset[date] = frozenset()  # Istanbul dates the agent events cover


def agent_parts(
    facts_by_agent: Mapping[str, Iterable[AgentFact]], first: date, last: date, zone: ZoneInfo
) -> AgentParts:
    activity = month_activity(facts_by_agent, first, last, zone)
    contract, detail = agents_time(activity), activity_detail(activity, first, last)
    return AgentParts(
        agents_time=AgentsTime.read(contract) if contract else None,
        activity=AgentActivity.read(detail) if detail else None,
        at_work={key: n / HOUR_MS for key, n in activity.at_work.items()},
        days=frozenset(activity.days),
    )


def at_work_source(working_days: Iterable[date], measured: frozenset[date]) -> tuple[str, int]:
    """Where the staffing table's "at work" came from, and on how many working days the agent events gave it."""
    days = set(working_days)
    covered = len(days & measured)
    if covered and covered == len(days):
        return SOURCE_AGENT_EVENTS, covered
    return (SOURCE_MIXED if covered else SOURCE_CONTACTS), covered


def adherence(slots: list[Slot]) -> tuple[int, float | None]:
    """(weekday-hours where the need exceeded those at work, share of the hours with calls where it did not)."""
    short = sum(1 for s in slots if s.gap)
    return short, (len(slots) - short) / len(slots) if slots else None


# -- findings ----------------------------------------------------------------------------------


def week_span(week: ActivityWeek) -> tuple[str, str]:
    a, z = date.fromisoformat(week.first_day), date.fromisoformat(week.last_day)
    days = f"{a.day}–{z.day}" if a != z else f"{a.day}"
    return f"{days} {MONTHS_TR[a.month - 1]}", f"{days} {a:%B}"


def judged_weeks(report: MonthlyReport, high: bool) -> list[ActivityWeek]:
    """The weeks whose occupancy ran above `OCCUPANCY_HIGH` (`high`) or below `OCCUPANCY_LOW`."""
    activity = report.agent_activity
    if activity is None:
        return []
    out = []
    for week in activity.weeks:
        occupancy = week.occupancy
        if occupancy is None or (week.logged_in_hours or 0) < MIN_WEEK_HOURS:
            continue
        if occupancy > OCCUPANCY_HIGH if high else occupancy < OCCUPANCY_LOW:
            out.append(week)
    return out


def _when(weeks: list[ActivityWeek], every: bool) -> tuple[str, str]:
    """ "5–11 Ekim haftasında %91, …", or for every week of the month its range: "ayın her haftasında (%15–26)"."""
    values = [round((w.occupancy or 0) * 100) for w in weeks]
    if every and len(weeks) > 2:
        return (
            f"ayın her haftasında (%{min(values)}–{max(values)})",
            f"every week of the month, {min(values)}–{max(values)}%",
        )
    spans = [week_span(w) for w in weeks]
    return (
        ", ".join(f"{t} haftasında %{v}" for (t, _), v in zip(spans, values, strict=True)),
        ", ".join(f"{v}% in the week of {e}" for (_, e), v in zip(spans, values, strict=True)),
    )


def occupancy_findings(report: MonthlyReport | Mapping[str, Any]) -> Lines:
    """A sentence for the weeks above 85 % and one for those below 50 %, Turkish and English."""
    report = read(report)
    tr: list[str] = []
    en: list[str] = []
    weeks = [w for w in (report.agent_activity.weeks if report.agent_activity else []) if w.occupancy is not None]
    busy, idle = judged_weeks(report, True), judged_weeks(report, False)
    if busy:
        when_tr, when_en = _when(busy, len(busy) == len(weeks))
        tr.append(
            f"Temsilci doluluğu {when_tr} %85'in üzerindeydi: müsait zamanın neredeyse tamamı görüşmede geçti "
            "(%50–85 sağlıklı aralık); bu tempo sürdürülemez, o haftalar için ek temsilci planlayın."
        )
        en.append(
            f"Agent occupancy ran above 85% ({when_en}): almost all available time was spent on contacts "
            "(50–85% is healthy); plan more agents then."
        )
    if idle:
        when_tr, when_en = _when(idle, len(idle) == len(weeks))
        tr.append(
            f"Temsilci doluluğu {when_tr} %50'nin altında kaldı: temsilciler zamanlarının çoğunu çağrı "
            "bekleyerek geçirdi; bu saatler geri arama, e-posta ve eğitime ayrılabilir."
        )
        en.append(
            f"Agent occupancy stayed below 50% ({when_en}): agents spent most of their available time waiting; "
            "give it to callbacks, e-mail and training."
        )
    return Lines(tr=tr, en=en)
