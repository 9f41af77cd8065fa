"""One rule names the hour where most calls were lost (issue 14, item 5): the findings stored with the
report, the next steps, the e-mail, the text and the charts' frames. They used to disagree: the
findings counted a slot with one lost call and kept the first of equal shares, the e-mail needed two
and preferred more lost calls."""

from __future__ import annotations

import json

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.reports.advice import next_steps
from chalicelib.reports.findings import findings
from chalicelib.reports.hours import MIN_CALLS_FOR_A_SLOT, SlotLosses, worst_slot, worst_slots
from chalicelib.reports.model import HeatMap
from chalicelib.reports.text import render_text
from chalicelib.reports.view import context
from tests.fixtures.reports.months import golden_path

MONDAY_10, TUESDAY_11 = "Pazartesi 10:00–11:00", "Salı 11:00–12:00"


def heat(*slots: tuple[int, int, int, int]) -> HeatMap:
    """(weekday, hour, calls, lost) each; every other slot empty."""
    inbound, abandoned = [[0] * 24 for _ in range(7)], [[0] * 24 for _ in range(7)]
    for weekday, hour, calls, lost in slots:
        inbound[weekday][hour], abandoned[weekday][hour] = calls, lost
    return HeatMap(weekdays=[], inbound=inbound, abandoned=abandoned)


@pytest.mark.parametrize(
    "slots",
    [
        pytest.param([(0, 10, 10, 1), (1, 11, 40, 2)], id="one lost call in ten, against two in forty"),
        pytest.param([(0, 10, 20, 2), (1, 11, 30, 3)], id="the same share, fewer lost calls first in the week"),
    ],
)
def test_the_findings_and_the_next_steps_name_the_same_worst_hour(slots):
    report = json.loads(golden_path("2027-02").read_text(encoding="utf-8"))  # below target: a step names the hour
    report["by_hour_weekday"] = heat(*slots).to_json()
    said = findings(report, {"month": "2027-01"})
    steps = [s for s in next_steps(report) if "En çok kayıp" in s]
    shown = context(report)["heat"]["worst"]
    text = " ".join(render_text(report).split())
    assert [line for line in said.tr if MONDAY_10 in line] and not [line for line in said.tr if TUESDAY_11 in line]
    assert len(steps) == 1 and MONDAY_10 in steps[0] and TUESDAY_11 not in steps[0]
    assert shown.startswith(MONDAY_10)
    assert f"En çok kayıp: {MONDAY_10}" in text


def test_a_slot_needs_enough_calls_and_the_chart_frames_the_worst_first():
    few = heat((2, 9, MIN_CALLS_FOR_A_SLOT - 1, 9), (3, 14, 50, 5), (4, 15, 10, 1), (0, 8, 12, 0))
    assert worst_slots(few) == [SlotLosses(3, 14, 5, 50), SlotLosses(4, 15, 1, 10)]
    assert worst_slot(heat((0, 8, 12, 0))) is None


@pytest.mark.parametrize(
    ("level", "tr", "en"),
    [
        (0.801, "oranı %80,1, %80 hedefin üzerinde", "80.1% were answered within 20 s, above target (80%)"),
        (0.796, "oranı %79,6, %80 hedefin altında", "79.6% were answered within 20 s, below target (80%)"),
        (0.8, "oranı %80, %80 hedefte", "80% were answered within 20 s, on target (80%)"),
        (0.873, "oranı %87, %80 hedefin üzerinde", "87% were answered within 20 s, above target (80%)"),
    ],
)
def test_the_headline_never_reads_a_level_beside_the_target_as_the_target_itself(level, tr, en):
    report = json.loads(golden_path("2027-02").read_text(encoding="utf-8"))
    report["calls"]["service_level"] = level
    said = findings(report, {"month": "2027-01"})
    assert tr in said.tr[0] and en in said.en[0]


@pytest.mark.parametrize(("asked", "said"), [(25, " 25 arayan açılışta geri aranmayı istedi. "), (0, "). Kapalı")])
def test_calls_outside_hours_bring_a_step_with_the_opening_hours_and_the_callbacks_asked_when_closed(asked, said):
    report = json.loads(golden_path("2027-02").read_text(encoding="utf-8"))
    report["by_hour_weekday"] = heat((0, 10, 80, 0), (0, 20, 15, 0), (5, 11, 10, 0)).to_json()  # 25 of 105 outside
    report["callbacks"]["requested_out_of_hours"] = asked
    [step] = [s for s in next_steps(report) if "08:00–19:00" in s]
    opening = "Çağrıların %23,8 kadarı (25) hafta sonu ya da 08:00–19:00 dışında geldi (mesai 08:30–17:30)."
    assert step.startswith(opening)
    assert said in step and "geri arama teklifinin duyulduğundan" in step
