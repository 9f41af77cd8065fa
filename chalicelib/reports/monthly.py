"""Build the monthly report from what is stored: read the month by its key, merge, aggregate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from chalicelib.callbacks.store import callbacks_raised_in
from chalicelib.config import settings
from chalicelib.contacts.facts import iso
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.store import contacts_initiated_between
from chalicelib.reports.callback_figures import callback_figures
from chalicelib.reports.figures import core_figures, month_bounds, month_of


def records_of_month(month: str) -> Iterator[ContactRecord]:
    zone = settings().zone
    first, last = month_bounds(month)
    for item in contacts_initiated_between(first, last):
        record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        if month_of(record, zone) == month:
            yield record


def _month_end(month: str) -> str:
    """The first instant after the month in Istanbul, as UTC ISO."""
    last = month_bounds(month)[1]
    return iso(datetime.combine(last + timedelta(days=1), time(0), tzinfo=settings().zone))


def build_report(month: str) -> dict:
    cfg = settings()
    month_bounds(month)  # validates the month before any read
    figures = core_figures(records_of_month(month), cfg.short_abandon_seconds, cfg.service_level_seconds)
    return {
        "month": month,
        "timezone": cfg.timezone,
        **figures,
        "callbacks": callback_figures(callbacks_raised_in(month), _month_end(month)),
        # Filled in by the referrals issue.
        "referrals": {"created": 0},
        "centre": {"number": cfg.centre_number},
    }
