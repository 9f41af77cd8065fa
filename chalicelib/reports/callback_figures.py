"""Pure: the monthly report's callback figures (directive 6(6), 8(ç)) from callback records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from statistics import median
from typing import Protocol

from chalicelib.callbacks.rules import OPEN, REQUESTED, Status
from chalicelib.reports.model import Callbacks


class CallbackLike(Protocol):
    reason: str
    status: str
    raised_at: str
    sla_due_at: str
    closed_at: str | None
    overdue: bool
    out_of_hours: bool | None  # requested in the closed centre's flow


def _seconds(start: str, end: str) -> float:
    return (
        datetime.fromisoformat(end.replace("Z", "+00:00")) - datetime.fromisoformat(start.replace("Z", "+00:00"))
    ).total_seconds()


def callback_figures(callbacks: Iterable[CallbackLike], month_end_iso: str) -> Callbacks:
    """Callbacks raised in the month: how many, why (requests asked out of hours counted apart), how
    they ended, how fast, what is still open.

    `month_end_iso` is the first instant after the month (UTC ISO): a callback closed after it
    was still open at month end.
    """
    by_reason: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    waits: list[float] = []
    within_sla = overdue = open_at_end = out_of_hours = 0
    for cb in callbacks:
        by_reason[cb.reason] += 1
        out_of_hours += cb.reason == REQUESTED and bool(cb.out_of_hours)
        by_status[cb.status] += 1
        overdue += bool(cb.overdue)
        if cb.status in OPEN or (cb.closed_at and cb.closed_at >= month_end_iso):
            open_at_end += 1
        if cb.status == Status.COMPLETED and cb.closed_at:
            waits.append(_seconds(cb.raised_at, cb.closed_at))
            within_sla += cb.closed_at <= cb.sla_due_at
    return Callbacks(
        created=sum(by_reason.values()),
        by_reason=dict(sorted(by_reason.items())),
        requested_out_of_hours=out_of_hours,
        completed=by_status[Status.COMPLETED],
        completed_within_sla=within_sla,
        median_seconds_to_callback=round(median(waits), 1) if waits else None,
        failed=by_status[Status.FAILED],
        unreachable=by_status[Status.UNREACHABLE],
        cancelled=by_status[Status.CANCELLED],
        overdue=overdue,
        open_at_month_end=open_at_end,
    )
