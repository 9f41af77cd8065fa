"""Pure: console incidents (directive 8(b)) — categories, statuses, transitions and the month's figures.

No AWS here. `incident_figures` takes the month's incidents (store items, or any objects or dicts
with the fields below) and returns the figures for the monthly report.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

CATEGORIES = ("headset", "computer", "network", "ccp", "software", "other")
SEVERITIES = ("low", "medium", "high")
DESCRIPTION_MAX = 2000
RESOLUTION_MAX = 2000

CATEGORY_LABELS = {
    "headset": ("Kulaklık", "Headset"),
    "computer": ("Bilgisayar", "Computer"),
    "network": ("Ağ / İnternet", "Network"),
    "ccp": ("Temsilci paneli (CCP)", "Contact Control Panel"),
    "software": ("Yazılım", "Software"),
    "other": ("Diğer", "Other"),
}
SEVERITY_LABELS = {"low": ("Düşük", "Low"), "medium": ("Orta", "Medium"), "high": ("Yüksek", "High")}


class Status:
    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    RESOLVED = "RESOLVED"


STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.RESOLVED)
# Which statuses each step may start from: acknowledging is optional before resolving.
ACKNOWLEDGE_FROM = frozenset({Status.OPEN})
RESOLVE_FROM = frozenset({Status.OPEN, Status.ACKNOWLEDGED})


def refusal(target: str, status: str) -> str | None:
    """None when an incident in `status` may move to `target`, else why not (Turkish)."""
    allowed = ACKNOWLEDGE_FROM if target == Status.ACKNOWLEDGED else RESOLVE_FROM
    if status in allowed:
        return None
    if status == Status.RESOLVED:
        return "arıza kaydı zaten çözüldü olarak kapatılmış"
    return "arıza kaydı zaten üstlenilmiş"


def minutes_between(start: str, end: str) -> float:
    """Minutes from one UTC ISO time to another (both as the store writes them)."""
    return (_parse(end) - _parse(start)).total_seconds() / 60


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _get(item: Any, name: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def incident_figures(items: Iterable[Any], month_end: datetime | str | None = None) -> dict[str, Any]:
    """The month's incident figures from the incidents reported in it.

    `month_end` (the first instant of the next month) decides "open at month end": reported before
    it and not resolved before it. Without it, what is not resolved now counts as open. Every
    category and severity appears, with 0 when none was reported; the median is None when nothing
    was resolved.
    """
    end = _parse(month_end) if isinstance(month_end, str) else month_end
    by_category: Counter[str] = Counter({name: 0 for name in CATEGORIES})
    by_severity: Counter[str] = Counter({name: 0 for name in SEVERITIES})
    minutes: list[float] = []
    reported = resolved = open_at_end = 0
    for item in items:
        reported += 1
        by_category[_get(item, "category") or "other"] += 1
        by_severity[_get(item, "severity") or "low"] += 1
        resolved_at = _get(item, "resolved_at")
        if _get(item, "status") == Status.RESOLVED and resolved_at:
            resolved += 1
            taken = _get(item, "minutes_to_resolve")
            minutes.append(
                float(taken) if taken is not None else minutes_between(_get(item, "reported_at"), resolved_at)
            )
        if end is None:
            open_at_end += _get(item, "status") != Status.RESOLVED
        else:
            open_at_end += not resolved_at or _parse(resolved_at) >= end
    return {
        "reported": reported,
        "by_category": dict(by_category),
        "by_severity": dict(by_severity),
        "resolved": resolved,
        "median_minutes_to_resolve": round(statistics.median(minutes), 1) if minutes else None,
        "open_at_month_end": open_at_end,
    }
