"""Build the monthly report (directive 7(c)) from what is stored: read the month by its key, merge, aggregate.

The month's contacts are read once (Query per Istanbul day, see contacts/store.py), merged one at
a time and fed to running aggregates, so memory does not grow with the number of contacts. The
previous month is read for its headline figures only, to show the change beside each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date, datetime, time, timedelta

from chalicelib.callbacks.store import callbacks_raised_in
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.store import contacts_initiated_between
from chalicelib.core.config import settings
from chalicelib.core.times import iso, month_bounds, previous_month
from chalicelib.core.workhours import default_calendar
from chalicelib.incidents.rules import incident_figures
from chalicelib.incidents.store import incidents_reported_in
from chalicelib.referrals.store import created_in as referrals_created_in
from chalicelib.reports.callback_figures import callback_figures
from chalicelib.reports.definitions import DEFINITIONS
from chalicelib.reports.detail import MonthDetail
from chalicelib.reports.figures import CoreFigures, contact_month
from chalicelib.reports.findings import findings
from chalicelib.reports.referral_figures import referral_figures
from chalicelib.reports.staffing import gap_sentences, gap_sentences_en, plan

HEADLINE = (
    ("contacts", "total"),
    ("calls", "inbound"),
    ("calls", "answered"),
    ("calls", "abandoned"),
    ("calls", "system_dropped"),
    ("calls", "abandon_rate"),
    ("calls", "service_level"),
    ("calls", "asa_seconds"),
    ("calls", "aht_seconds"),
    ("out_of_scope", None),
)


def records_of_month(month: str) -> Iterator[ContactRecord]:
    zone = settings().zone
    first, last = month_bounds(month)
    for item in contacts_initiated_between(first, last):
        record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        if contact_month(record, zone) == month:
            yield record


def _month_end(month: str) -> str:
    """The first instant after the month in Istanbul, as UTC ISO."""
    last = month_bounds(month)[1]
    return iso(datetime.combine(last + timedelta(days=1), time(0), tzinfo=settings().zone))


def _headline(report: dict) -> dict:
    """The headline figures by dotted name; None where the report has no such figure."""
    return {
        f"{section}.{key}" if key else section: (report.get(section, {}).get(key) if key else report.get(section))
        for section, key in HEADLINE
    }


def _changes(now: dict, before: dict) -> dict:
    """Each headline figure beside last month's, with the change (None where either is missing)."""
    out = {}
    for name, value in now.items():
        prior = before.get(name)
        change = None if value is None or prior is None else round(value - prior, 4)
        out[name] = {"value": value, "previous": prior, "change": change}
    return out


def core_report(month: str) -> dict:
    """CONTRACT's core figures only (the previous month's headline needs no more)."""
    cfg = settings()
    core = CoreFigures(cfg.short_abandon_seconds, cfg.service_level_seconds)
    for record in records_of_month(month):
        core.add(record)
    return core.as_dict()


def build_report(month: str, previous: dict | None = None) -> dict:
    """The whole report as JSON, from the store. `previous`: last month's report if already built."""
    month_bounds(month)  # validates the month before any read
    if previous is None:
        prior = previous_month(month)
        figures = core_report(prior)
        # No record at all means the centre was not recording yet: nothing to compare with, not zeros.
        previous = {"month": prior, **figures} if figures["contacts"]["total"] else {"month": prior}
    return assemble_report(
        month,
        records_of_month(month),
        callbacks_raised_in(month),
        previous,
        referrals_created_in(month),
        incidents_reported_in(month),
    )


def assemble_report(
    month: str,
    records: Iterable[ContactRecord],
    callbacks: Iterable,
    previous: dict,
    referrals: Iterable = (),
    incidents: Iterable = (),
) -> dict:
    """Pure: the report from the month's records, callbacks and referrals and last month's headline figures."""
    cfg = settings()
    first, last = month_bounds(month)
    calendar = default_calendar()
    core = CoreFigures(cfg.short_abandon_seconds, cfg.service_level_seconds)
    detail = MonthDetail(cfg.zone, cfg.service_level_seconds)
    for record in records:
        core.add(record)
        detail.add(record)
    figures = core.as_dict()
    working_days = [
        date.fromordinal(o)
        for o in range(first.toordinal(), last.toordinal() + 1)
        if calendar.is_working_day(date.fromordinal(o))
    ]
    aht = figures["calls"]["aht_seconds"]
    open_hours = range(cfg.opening_time.hour, cfg.closing_time.hour + (cfg.closing_time.minute > 0))
    demand = [slot for slot in detail.slots(working_days) if slot[0] < 5 and slot[1] in open_hours]
    slots = plan(demand, aht, target_seconds=cfg.service_level_seconds) if aht else []
    report = {
        "month": month,
        "timezone": cfg.timezone,
        **figures,
        "callbacks": callback_figures(callbacks, _month_end(month)),
        "referrals": referral_figures(referrals, _month_end(month), calendar),
        "incidents": incident_figures(incidents, _month_end(month)),
        "calls_detail": {"longest_wait_seconds": detail.longest_wait, "working_days": len(working_days)},
        "by_day": detail.by_day(first, last),
        "by_hour_weekday": detail.heat_map(),
        "by_agent": detail.by_agent(),
        "staffing": {
            "target_service_level": 0.8,
            "target_seconds": cfg.service_level_seconds,
            "aht_seconds": aht,
            "slots": [asdict(slot) for slot in slots],
            "gaps": {"tr": gap_sentences(slots), "en": gap_sentences_en(slots)},
        },
        "centre": {"number": cfg.centre_number, "timezone": cfg.timezone},
        "definitions": DEFINITIONS,
    }
    report["month_over_month"] = {
        "previous_month": previous.get("month", previous_month(month)),
        "figures": _changes(_headline(report), _headline(previous)),
    }
    report["findings"] = findings(report, previous)
    return report
