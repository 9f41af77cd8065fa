"""The centre's thresholds are settings, read by every part of the report (issue 14, item 5): the
service-level target (SERVICE_LEVEL_TARGET), its seconds (SERVICE_LEVEL_SECONDS) and the short abandon
(SHORT_ABANDON_SECONDS), in the figures, the staffing plan, the sentences, the definitions and every
rendering; a stored report keeps the target it was built with."""

from __future__ import annotations

import io
import json

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.core.config import settings
from chalicelib.reports.advice import next_steps
from chalicelib.reports.render import render_charts, render_html, render_text, render_xlsx
from chalicelib.reports.view import context
from tests.fixtures.reports.months import golden_path, lossy_february


@pytest.fixture
def stricter(monkeypatch):
    monkeypatch.setenv("SERVICE_LEVEL_TARGET", "0.9")
    monkeypatch.setenv("SERVICE_LEVEL_SECONDS", "30")
    monkeypatch.setenv("SHORT_ABANDON_SECONDS", "3")
    settings.cache_clear()
    yield settings()
    settings.cache_clear()  # before monkeypatch puts the environment back: the next read is the usual one


def golden(month: str) -> dict:
    return json.loads(golden_path(month).read_text(encoding="utf-8"))


def test_a_stricter_centre_gets_a_report_held_to_its_own_thresholds(stricter):
    usual = golden("2027-02")  # the same month, built with 80 % in 20 s and 5 s
    report = json.loads(json.dumps(lossy_february()["2027-02"]))
    staffing = report["staffing"]
    assert (staffing["target_service_level"], staffing["target_seconds"]) == (0.9, 30)
    assert report["calls"]["service_level"] > usual["calls"]["service_level"]  # 30 s lets more calls in
    assert report["calls"]["short_abandoned"] < usual["calls"]["short_abandoned"]  # 3 s lets fewer
    required = [(s["weekday"], s["hour"], s["required"]) for s in staffing["slots"]]
    usual_required = [(s["weekday"], s["hour"], s["required"]) for s in usual["staffing"]["slots"]]
    assert sum(r[2] for r in required) > sum(r[2] for r in usual_required)  # 90 % needs more agents

    assert "30 saniyede cevaplama oranı" in report["findings"]["tr"][0] and "%90 hedefin" in report["findings"]["tr"][0]
    assert "within 30 s" in report["findings"]["en"][0] and "(90%)" in report["findings"]["en"][0]
    definitions = report["definitions"]
    assert definitions["calls.service_level"]["tr"] == "Hizmet düzeyi: 30 saniye içinde cevaplanan / kuyruğa giren."
    assert "çağrıların %90'ını 30 saniyede" in definitions["staffing"]["tr"]
    assert "for 90 % of calls answered within 30 s" in definitions["staffing"]["en"]
    assert "3 saniyeden az" in definitions["calls.short_abandoned"]["tr"]

    assert any("%90 hedefinin altında kaldı: 30 saniyede" in step for step in next_steps(report))
    html, text = render_html(report, None), " ".join(render_text(report).split())
    assert "(30 sn içinde cevaplanan)" in html and "(30 sn içinde cevaplanan)" in text
    assert "3 sn&#39;den kısa bekleyen" in html and "3 sn'den kısa bekleyen" in text
    assert "(hedef %90)" in html

    from openpyxl import load_workbook

    summary = load_workbook(io.BytesIO(render_xlsx(report)))["Özet"]
    labels = [row[0] for row in summary.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert "Kısa süreli kaybedilen (< 3 sn)" in labels
    assert set(render_charts(report)) == {"daily", "heatmap", "categories"}


def test_a_stored_report_keeps_the_target_it_was_built_with(stricter):
    stored = golden("2027-02")  # 80 % in 20 s
    shown = context(stored)
    assert (shown["sl_target"], shown["staffing"]["seconds"]) == ("%80", 20)
    assert any("%80 hedefinin altında kaldı: 20 saniyede" in step for step in next_steps(stored))
    del stored["staffing"]  # a report stored before it had one: the settings' target is the one shown
    assert context(stored)["sl_target"] == "%90"
