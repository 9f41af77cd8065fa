"""Pure incident rules: transitions and the month's figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.incidents.rules import CATEGORIES, SEVERITIES, Status, incident_figures, minutes_between, refusal

NOVEMBER = datetime(2026, 10, 31, 21, 0, tzinfo=UTC)  # 1 November 00:00 in Istanbul


def incident(category="headset", severity="low", status=Status.OPEN, reported="2026-10-14T07:00:00.000Z", **kw):
    return {"category": category, "severity": severity, "status": status, "reported_at": reported, **kw}


def test_figures_of_an_empty_month():
    figures = incident_figures([], month_end=NOVEMBER)
    assert figures == {
        "reported": 0,
        "by_category": dict.fromkeys(CATEGORIES, 0),
        "by_severity": dict.fromkeys(SEVERITIES, 0),
        "resolved": 0,
        "median_minutes_to_resolve": None,
        "open_at_month_end": 0,
    }


def test_figures_count_resolve_times_and_what_was_open_at_month_end():
    items = [
        incident("headset", "high", Status.RESOLVED, resolved_at="2026-10-14T07:30:00.000Z", minutes_to_resolve=30),
        incident("network", "medium", Status.RESOLVED, resolved_at="2026-10-14T08:00:00.000Z"),  # 60 min, computed
        incident("ccp", "high", Status.RESOLVED, resolved_at="2026-10-14T09:00:00.000Z", minutes_to_resolve=120),
        incident("ccp", "low", Status.ACKNOWLEDGED),  # still open
        # resolved, but only in November: open at the end of October
        incident("software", "low", Status.RESOLVED, resolved_at="2026-11-02T07:00:00.000Z", minutes_to_resolve=9999),
    ]
    figures = incident_figures(items, month_end=NOVEMBER)
    assert figures["reported"] == 5
    assert figures["by_category"] == {"headset": 1, "computer": 0, "network": 1, "ccp": 2, "software": 1, "other": 0}
    assert figures["by_severity"] == {"low": 2, "medium": 1, "high": 2}
    assert figures["resolved"] == 4
    assert figures["median_minutes_to_resolve"] == 90.0  # median of 30, 60, 120, 9999
    assert figures["open_at_month_end"] == 2


def test_without_a_month_end_what_is_not_resolved_is_open():
    items = [incident(status=Status.OPEN), incident(status=Status.RESOLVED, resolved_at="2026-10-14T07:10:00.000Z")]
    assert incident_figures(items)["open_at_month_end"] == 1
    assert incident_figures(items, month_end="2026-10-31T21:00:00.000Z")["open_at_month_end"] == 1


def test_objects_with_attributes_work_too():
    class Item:
        category, severity, status, reported_at = "other", "low", Status.OPEN, "2026-10-01T00:00:00.000Z"
        resolved_at = minutes_to_resolve = None

    assert incident_figures([Item()])["by_category"]["other"] == 1


@pytest.mark.parametrize(
    ("target", "status", "allowed"),
    [
        (Status.ACKNOWLEDGED, Status.OPEN, True),
        (Status.ACKNOWLEDGED, Status.ACKNOWLEDGED, False),
        (Status.ACKNOWLEDGED, Status.RESOLVED, False),
        (Status.RESOLVED, Status.OPEN, True),
        (Status.RESOLVED, Status.ACKNOWLEDGED, True),
        (Status.RESOLVED, Status.RESOLVED, False),
    ],
)
def test_transitions(target, status, allowed):
    assert (refusal(target, status) is None) is allowed


def test_minutes_between():
    assert minutes_between("2026-10-14T07:00:00.000Z", "2026-10-14T08:30:30.000Z") == 90.5
