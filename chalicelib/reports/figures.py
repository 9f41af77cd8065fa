"""Pure: the report's core figures from contact records, exactly as docs/figures.md defines them.

Aggregation is one pass with constant memory per key (counters and running sums),
so a month of 100,000 contacts streams through without being held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.contacts.categories import OUT_OF_SCOPE, UNCLASSIFIED
from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.config import Settings, settings
from chalicelib.core.times import local_month
from chalicelib.reports.model import Calls, Contacts
from chalicelib.reports.satisfaction import SatisfactionFigures


def contact_month(record: ContactRecord, zone: ZoneInfo) -> str | None:
    """The Istanbul month a contact belongs to: that of its initiation (docs/figures.md)."""
    if record.initiated_at is None:
        return None
    return local_month(record.initiated_at, zone)


@dataclass
class _Mean:
    total: float = 0.0
    count: int = 0

    def add(self, value: float | None) -> None:
        if value is not None:
            self.total += value
            self.count += 1

    def value(self) -> float | None:
        return round(self.total / self.count, 1) if self.count else None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class CoreFigures:
    """Running totals for one month; feed records with `add`, read with `contacts` and `calls`."""

    short_abandon_seconds: float
    service_level_seconds: float
    total: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_subtype: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    out_of_scope: int = 0
    inbound: int = 0
    queued: int = 0
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    system_dropped: int = 0
    queue_exits_other: int = 0
    asa: _Mean = field(default_factory=_Mean)
    abandon_wait: _Mean = field(default_factory=_Mean)
    aht: _Mean = field(default_factory=_Mean)

    def add(self, r: ContactRecord) -> None:
        self.total += 1
        self.by_channel[r.channel or "UNKNOWN"] += 1
        self.by_method[r.initiation_method or "UNKNOWN"] += 1
        if r.subtype:
            self.by_subtype[r.subtype] += 1
        if r.initiation_method == "INBOUND":
            self.by_category[r.category or UNCLASSIFIED] += 1
            self.out_of_scope += r.category == OUT_OF_SCOPE
        if not r.is_inbound_call:
            return
        self.inbound += 1
        if r.system_dropped:
            self.system_dropped += 1
        if not r.queued:
            return
        self.queued += 1
        wait = r.queue_seconds
        if r.answered:
            self.answered += 1
            self.answered_in_sl += wait is not None and wait <= self.service_level_seconds
            self.asa.add(wait)
            self.aht.add(r.handle_seconds)
        elif r.abandoned:
            self.abandoned += 1
            self.short_abandoned += wait is not None and wait < self.short_abandon_seconds
            self.abandon_wait.add(wait)
        elif r.queue_exit_other:
            self.queue_exits_other += 1

    def contacts(self) -> Contacts:
        return Contacts(
            total=self.total,
            by_channel=dict(sorted(self.by_channel.items())),
            by_initiation_method=dict(sorted(self.by_method.items())),
            by_subtype=dict(sorted(self.by_subtype.items())),
        )

    def calls(self) -> Calls:
        return Calls(
            inbound=self.inbound,
            queued=self.queued,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short_abandoned,
            system_dropped=self.system_dropped,
            queue_exits_other=self.queue_exits_other,
            abandon_rate=_rate(self.abandoned, self.queued),
            service_level=_rate(self.answered_in_sl, self.queued),
            asa_seconds=self.asa.value(),
            avg_abandon_seconds=self.abandon_wait.value(),
            aht_seconds=self.aht.value(),
        )

    def categories(self) -> dict[str, int]:
        return dict(sorted(self.by_category.items()))


def core_figures(records: Iterable[ContactRecord], cfg: Settings | None = None) -> dict[str, Any]:
    """docs/figures.md's core blocks as JSON (contacts, calls, by_category, out_of_scope, satisfaction):
    what a month needs of the one before it, and what the oracle tests check."""
    cfg = cfg or settings()
    figures = CoreFigures(cfg.short_abandon_seconds, cfg.service_level_seconds)
    survey = SatisfactionFigures(cfg.zone)
    for record in records:
        figures.add(record)
        survey.add(record)
    return {
        "contacts": figures.contacts().to_json(),
        "calls": figures.calls().to_json(),
        "by_category": figures.categories(),
        "out_of_scope": figures.out_of_scope,
        "satisfaction": survey.satisfaction().to_json(),
    }
