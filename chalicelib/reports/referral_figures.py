"""Pure: the monthly report's referral figures (directive 6(7), 8(d)) from referral records.

Turnaround is counted in working hours (the Turkish calendar, opening hours only), the measure the
units' targets are set in: a question sent on Friday at 17:00 and answered on Monday at 09:30 took
one working hour, not 64 hours.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from statistics import median
from typing import Any, Protocol

from chalicelib.core.workhours import WorkingCalendar
from chalicelib.referrals.rules import WITH_UNIT, Status, percentile
from chalicelib.reports.model import Referrals, UnitFigures


class ReferralLike(Protocol):
    unit_id: str
    unit_name: str
    status: str
    created_at: str
    contact_initiated_at: str | None
    forwarded_from: str | None
    sent_at: str | None
    due_at: str | None
    answered_at: str | None
    returned_at: str | None
    closed_at: str | None
    outcome: str | None
    escalated_at: str | None


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _hours(calendar: WorkingCalendar, start: str, end: str) -> float:
    return calendar.working_time_between(_at(start), _at(end)).total_seconds() / 3600


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _late(r: ReferralLike, month_end_iso: str) -> bool:
    """Answered after its deadline, or still unanswered when the deadline passed within the month."""
    if not r.due_at:
        return False
    if r.answered_at:
        return r.answered_at > r.due_at
    return r.status not in (Status.FORWARDED, Status.CANCELLED) and r.due_at < month_end_iso


def referral_figures(referrals: Iterable[ReferralLike], month_end_iso: str, calendar: WorkingCalendar) -> Referrals:
    """Referrals created in the month: how many, to which units, how fast they answered, how they ended.

    `month_end_iso`: the first instant after the month (UTC ISO); a referral still waiting for the
    unit or an agent then was open at month end.
    """
    units: dict[str, dict[str, Any]] = defaultdict(lambda: {"received": 0, "answered": 0, "late": 0, "forwarded_on": 0})
    turnaround: dict[str, list[float]] = defaultdict(list)
    all_turnaround: list[float] = []
    end_to_end: list[float] = []
    by_status: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    created = forwards = answered = on_time = late = escalated = returned = open_at_end = 0
    for r in referrals:
        by_status[r.status] += 1
        unit = units[r.unit_id]
        unit["name"] = r.unit_name
        unit["received"] += 1
        if r.forwarded_from:
            forwards += 1
        else:
            created += 1
        if r.status == Status.FORWARDED:
            unit["forwarded_on"] += 1
        escalated += bool(r.escalated_at)
        if r.answered_at:
            answered += 1
            unit["answered"] += 1
            on_time += bool(r.due_at and r.answered_at <= r.due_at)
            if r.sent_at:
                hours = _hours(calendar, r.sent_at, r.answered_at)
                turnaround[r.unit_id].append(hours)
                all_turnaround.append(hours)
        if _late(r, month_end_iso):
            late += 1
            unit["late"] += 1
        if r.returned_at:
            returned += 1
            end_to_end.append(_hours(calendar, r.contact_initiated_at or r.created_at, r.returned_at))
        if r.outcome:
            by_outcome[r.outcome] += 1
        waiting = r.status in WITH_UNIT or r.status in (Status.ANSWERED, Status.EXPIRED)
        if waiting or (r.closed_at and r.closed_at >= month_end_iso):
            open_at_end += 1
    by_unit = {
        unit_id: UnitFigures(
            name=figures["name"],
            received=figures["received"],
            answered=figures["answered"],
            late=figures["late"],
            forwarded_on=figures["forwarded_on"],
            median_working_hours=_round(median(turnaround[unit_id])) if turnaround[unit_id] else None,
            p90_working_hours=_round(percentile(turnaround[unit_id], 0.9)),
        )
        for unit_id, figures in sorted(units.items(), key=lambda kv: (-kv[1]["received"], kv[0]))
    }
    return Referrals(
        created=created,
        forwards=forwards,
        answered=answered,
        answered_on_time=on_time,
        late=late,
        escalated=escalated,
        expired=by_status[Status.EXPIRED] + by_outcome["informed_no_answer"],
        returned=returned,
        closed=by_status[Status.CLOSED],
        cancelled=by_status[Status.CANCELLED],
        open_at_month_end=open_at_end,
        median_unit_working_hours=_round(median(all_turnaround)) if all_turnaround else None,
        p90_unit_working_hours=_round(percentile(all_turnaround, 0.9)),
        median_call_to_return_working_hours=_round(median(end_to_end)) if end_to_end else None,
        by_outcome=dict(sorted(by_outcome.items())),
        by_unit=by_unit,
    )
