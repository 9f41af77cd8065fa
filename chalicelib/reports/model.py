"""The monthly report's shape (docs/figures.md), typed: what `monthly.assemble_report` builds, what is
stored as JSON, and what every rendering reads.

Dataclasses rather than pydantic, because the JSON must stay what it is byte for byte: a dataclass
holds each figure exactly as it was computed (an int stays an int, a float a float, a dict keeps its
order), so `to_json` gives back the very document; pydantic converts on the way in (an int given to
a float field comes out as 12.0, not 12), and the report is the code's own output, never outside
input, so there is nothing to validate. What reading a stored report needs is leniency: `read`
takes a document written by any earlier version, a missing or null section becoming an empty one
(figures None, lists and maps empty) as the `.get(...) or {}` chains it replaces did, and keys the
model does not know being ignored. A key the builders add must be added here too, or it is not
stored: tests/unit/test_report_golden.py shows every byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import cache
from types import NoneType, UnionType
from typing import Any, Self, Union, get_args, get_origin, get_type_hints

from chalicelib.core.config import settings
from chalicelib.reports.staffing import Slot

# The headline figures, by dotted name: each shown beside last month's (month_over_month.figures).
HEADLINE = (
    "contacts.total",
    "calls.inbound",
    "calls.answered",
    "calls.abandoned",
    "calls.system_dropped",
    "calls.abandon_rate",
    "calls.service_level",
    "calls.asa_seconds",
    "calls.aht_seconds",
    "out_of_scope",
    "satisfaction.response_rate",
    "satisfaction.average",
    "satisfaction.resolved_rate",
)


class Document:
    """A part of the report that reads itself from JSON leniently and writes itself back in order."""

    @classmethod
    def read(cls, data: object) -> Self:
        part: Self = _read(cls, data)
        return part

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = asdict(self)  # type: ignore[call-overload]  # every subclass is a dataclass
        return document


@dataclass(frozen=True)
class Contacts(Document):
    total: int | None = None
    by_channel: dict[str, int] = field(default_factory=dict)
    by_initiation_method: dict[str, int] = field(default_factory=dict)
    by_subtype: dict[str, int] = field(default_factory=dict)  # e.g. connect:SMS; only contacts that carry one


@dataclass(frozen=True)
class Calls(Document):
    inbound: int | None = None
    queued: int | None = None
    answered: int | None = None
    abandoned: int | None = None
    short_abandoned: int | None = None
    system_dropped: int | None = None
    queue_exits_other: int | None = None
    abandon_rate: float | None = None
    service_level: float | None = None
    asa_seconds: float | None = None
    avg_abandon_seconds: float | None = None
    aht_seconds: float | None = None


@dataclass(frozen=True)
class Scores(Document):
    """Post-call survey answers of one group (a category, an hour): how many, and their mean score."""

    responses: int | None = None
    average: float | None = None


@dataclass(frozen=True)
class Satisfaction(Document):
    """Directive 5(1)–(3), exactly as CONTRACT.md fixes it: answered inbound calls with a valid score."""

    responses: int | None = None
    response_rate: float | None = None  # responses / answered
    average: float | None = None
    resolved_rate: float | None = None  # survey_resolved yes / (yes + no)
    by_category: dict[str, Scores] = field(default_factory=dict)  # categories with a response


@dataclass(frozen=True)
class AgentScores(Document):
    agent: str | None = None
    responses: int | None = None
    average: float | None = None
    resolved_rate: float | None = None


@dataclass(frozen=True)
class SatisfactionDetail(Document):
    """What the rendered report shows beside `satisfaction` (whose keys the contract fixes): the answers
    that were not a score, the resolution answers, and the scores by agent and by hour of the call."""

    invalid: int | None = None  # answered calls whose final survey_score was not 1…5
    resolved_yes: int | None = None
    resolved_no: int | None = None
    by_agent: list[AgentScores] = field(default_factory=list)  # most responses first
    by_hour: dict[str, Scores] = field(default_factory=dict)  # "09" → calls begun 09:00–10:00, Istanbul


@dataclass(frozen=True)
class Callbacks(Document):
    created: int | None = None
    by_reason: dict[str, int] = field(default_factory=dict)
    requested_out_of_hours: int | None = None  # of by_reason["requested"]: asked while the centre was closed
    completed: int | None = None
    completed_within_sla: int | None = None
    median_seconds_to_callback: float | None = None
    failed: int | None = None
    unreachable: int | None = None
    cancelled: int | None = None
    overdue: int | None = None
    open_at_month_end: int | None = None


@dataclass(frozen=True)
class UnitFigures(Document):
    name: str | None = None
    received: int | None = None
    answered: int | None = None
    late: int | None = None
    forwarded_on: int | None = None
    median_working_hours: float | None = None
    p90_working_hours: float | None = None


@dataclass(frozen=True)
class Referrals(Document):
    created: int | None = None
    forwards: int | None = None
    answered: int | None = None
    answered_on_time: int | None = None
    late: int | None = None
    escalated: int | None = None
    expired: int | None = None
    returned: int | None = None
    closed: int | None = None
    cancelled: int | None = None
    open_at_month_end: int | None = None
    median_unit_working_hours: float | None = None
    p90_unit_working_hours: float | None = None
    median_call_to_return_working_hours: float | None = None
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, UnitFigures] = field(default_factory=dict)  # unit id → its figures, busiest first


@dataclass(frozen=True)
class Incidents(Document):
    reported: int | None = None
    by_category: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    resolved: int | None = None
    median_minutes_to_resolve: float | None = None
    open_at_month_end: int | None = None


@dataclass(frozen=True)
class CallsDetail(Document):
    longest_wait_seconds: float | None = None
    working_days: int | None = None


@dataclass(frozen=True)
class Day(Document):
    date: str = ""  # ISO date, Istanbul
    weekday: str | None = None
    inbound: int | None = None
    queued: int | None = None
    answered: int | None = None
    abandoned: int | None = None
    system_dropped: int | None = None
    service_level: float | None = None
    asa_seconds: float | None = None


@dataclass(frozen=True)
class HeatMap(Document):
    """Inbound calls and abandons by weekday (0 = Pazartesi) × hour of day, Istanbul time."""

    weekdays: list[str] = field(default_factory=list)
    inbound: list[list[int]] = field(default_factory=list)
    abandoned: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True)
class AgentFigures(Document):
    agent: str | None = None
    answered: int | None = None
    aht_seconds: float | None = None
    share: float | None = None


@dataclass(frozen=True)
class AgentTime(Document):
    logged_in_hours: float | None = None
    occupancy: float | None = None


@dataclass(frozen=True)
class AgentsTime(Document):
    """CONTRACT's `agents_time`, exactly: from the agent event stream (chalicelib/activity/figures.py)."""

    logged_in_hours: float | None = None
    by_agent: dict[str, AgentTime] = field(default_factory=dict)  # username → their figures


@dataclass(frozen=True)
class ActivityKinds(Document):
    """Logged-in time by what the agents did (hours, two decimals) and the occupancy it gives."""

    on_contact_hours: float | None = None  # after-contact work included
    available_hours: float | None = None  # routable and waiting for a contact
    break_hours: float | None = None  # any other status (Offline, Mola, Eğitim…) while logged in
    occupancy: float | None = None  # on contact ÷ (on contact + available)
    by_status: dict[str, float] = field(default_factory=dict)  # status name → hours, most first


@dataclass(frozen=True)
class AgentActivityFigures(ActivityKinds):
    sessions: int | None = None
    sessions_without_logout: int | None = None  # closed 120 s after their last event


@dataclass(frozen=True)
class ActivityWeek(Document):
    first_day: str = ""  # the week's days in the month, Monday to Sunday
    last_day: str = ""
    logged_in_hours: float | None = None
    on_contact_hours: float | None = None
    occupancy: float | None = None


@dataclass(frozen=True)
class AgentActivity(ActivityKinds):
    """The agents' time beyond the contract: by kind and status, per agent, and each week's occupancy."""

    sessions_without_logout: int | None = None
    by_agent: dict[str, AgentActivityFigures] = field(default_factory=dict)
    weeks: list[ActivityWeek] = field(default_factory=list)


@dataclass(frozen=True)
class Lines(Document):
    """Sentences in Turkish and the same in English."""

    tr: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Staffing(Document):
    target_service_level: float | None = None
    target_seconds: int | None = None
    aht_seconds: float | None = None
    slots: list[Slot] = field(default_factory=list)
    gaps: Lines = field(default_factory=Lines)
    # Where "at work" came from: "agent_events" (logged in, available or on a contact), "contacts" (the
    # agents who took a contact in the hour: the guess where no agent events exist) or "mixed".
    at_work_source: str | None = None
    days_from_agent_events: int | None = None  # working days whose "at work" the agent events gave
    hours_short: int | None = None  # weekday-hours where the need exceeded those at work
    adherence: float | None = None  # share of the weekday-hours with calls where those at work met the need

    def targets(self) -> tuple[float, int]:
        """The service-level target and its seconds the report was built with; the settings' for a
        report stored without them."""
        cfg = settings()
        target, seconds = self.target_service_level, self.target_seconds
        return (
            cfg.service_level_target if target is None else target,
            cfg.service_level_seconds if seconds is None else seconds,
        )


@dataclass(frozen=True)
class Centre(Document):
    number: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Definition(Document):
    tr: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Change(Document):
    value: float | None = None
    previous: float | None = None
    change: float | None = None


@dataclass(frozen=True)
class MonthOverMonth(Document):
    previous_month: str | None = None
    figures: dict[str, Change] = field(default_factory=dict)  # by HEADLINE name


@dataclass(frozen=True)
class Adjustment(Document):
    """Contacts Connect counts and we do not (+), or the reverse (−), for one reason (reconciliation.REASONS)."""

    reason: str | None = None
    contacts: int | None = None
    within: int | None = None  # service level: of them, out of the queue within its seconds (signed)
    seconds: float | None = None  # handle time: theirs, summed (signed)


@dataclass(frozen=True)
class ReconciledFigure(Document):
    key: str | None = None  # queued, handled, abandoned, service_level, aht_seconds
    metric: str | None = None  # its GetMetricDataV2 name
    ours: float | None = None
    connect: float | None = None
    expected: float | None = None  # ours, counted Connect's way for the known reasons
    unexplained: float | None = None  # connect − expected
    explained: bool | None = None  # None: Connect gave no value to compare
    adjustments: list[Adjustment] = field(default_factory=list)
    tr: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Reconciliation(Document):
    """Amazon Connect's own figures of the month beside ours (chalicelib/reports/reconciliation.py)."""

    status: str | None = None  # compared | unavailable
    source: str | None = None  # amazon_connect | simulated
    problem: str | None = None  # why unavailable (reconciliation.PROBLEMS)
    detail: str | None = None
    start: str | None = None  # the period asked, UTC ISO; [start, end)
    end: str | None = None
    timezone: str | None = None
    threshold_seconds: int | None = None  # the service level's X
    queues: int | None = None
    tr: str | None = None
    en: str | None = None
    figures: list[ReconciledFigure] = field(default_factory=list)


@dataclass(frozen=True)
class MonthlyReport(Document):
    """The whole report; fields in the order of the stored JSON."""

    month: str | None = None
    timezone: str | None = None
    contacts: Contacts = field(default_factory=Contacts)
    calls: Calls = field(default_factory=Calls)
    by_category: dict[str, int] = field(default_factory=dict)
    out_of_scope: int | None = None
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    satisfaction_detail: SatisfactionDetail = field(default_factory=SatisfactionDetail)
    callbacks: Callbacks = field(default_factory=Callbacks)
    referrals: Referrals = field(default_factory=Referrals)
    incidents: Incidents = field(default_factory=Incidents)
    calls_detail: CallsDetail = field(default_factory=CallsDetail)
    by_day: list[Day] = field(default_factory=list)
    by_hour_weekday: HeatMap = field(default_factory=HeatMap)
    by_agent: list[AgentFigures] = field(default_factory=list)
    agents_time: AgentsTime | None = None  # null when the month has no agent events
    agent_activity: AgentActivity | None = None
    staffing: Staffing = field(default_factory=Staffing)
    centre: Centre = field(default_factory=Centre)
    definitions: dict[str, Definition] = field(default_factory=dict)
    month_over_month: MonthOverMonth = field(default_factory=MonthOverMonth)
    findings: Lines = field(default_factory=Lines)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)

    def figure(self, name: str) -> Any:
        """A headline figure by its dotted name ("calls.inbound", "out_of_scope"); None when absent."""
        section, _, key = name.partition(".")
        value = getattr(self, section)
        return getattr(value, key) if key else value

    def headline(self, name: str) -> Change:
        """A headline figure beside last month's, as month_over_month holds it; a report stored
        without it gives this month's value alone."""
        return self.month_over_month.figures.get(name) or Change(value=self.figure(name))


def read(report: MonthlyReport | Mapping[str, Any] | None) -> MonthlyReport:
    """The report as the model, from the model itself or a stored JSON document of any age."""
    return report if isinstance(report, MonthlyReport) else MonthlyReport.read(report)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return get_type_hints(cls)


def _read(cls: Any, data: object) -> Any:
    if not isinstance(data, Mapping):
        data = {}
    hints = _hints(cls)
    return cls(**{f.name: _value(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data})


def _value(kind: Any, value: object) -> Any:
    """`value` as the annotation `kind` says: parts read as parts, lists and maps item by item,
    a figure as it was stored; an optional part (`Part | None`) as the part, or None."""
    if isinstance(kind, type) and is_dataclass(kind):
        return _read(kind, value)
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        parts = [a for a in args if a is not NoneType and isinstance(a, type) and is_dataclass(a)]
        if parts:
            return None if value is None else _value(parts[0], value)
    if origin is list:
        return [_value(args[0], item) for item in value] if isinstance(value, list) else []
    if origin is dict:
        return {key: _value(args[1], item) for key, item in value.items()} if isinstance(value, Mapping) else {}
    return value
