"""Reports stored by earlier versions still read and render (issue 14, item 4): the model reads a stored
document as leniently as the `.get(...) or {}` chains did (a section missing or null is an empty one)
and writes a current one back byte for byte."""

from __future__ import annotations

import io
import json

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.render import render_charts, render_html, render_text, render_xlsx
from chalicelib.reports.view import context
from tests.fixtures.reports.months import HERE, golden_path, printed
from tests.unit.test_render import SHEETS, check_html

OCTOBER = json.loads(golden_path("2026-10").read_text(encoding="utf-8"))
SECTIONS = [key for key in OCTOBER if key != "month"]
# What a report stored without the section shows instead (in the text alternative), where it shows it.
SHOWN_WITHOUT = {
    "contacts": "Tüm kanallarda 0 temas; birimlere 40 yönlendirme.",
    "findings": "- Bu ay kayıt yok.",
    "by_agent": "Bu ay cevaplanan çağrı yok.",
    "month_over_month": "TEMEL GÖSTERGELER (GEÇEN AY: —)",
    "reconciliation": "Bu rapor Connect karşılaştırmasından önce hazırlandı.",
}


@pytest.mark.parametrize("path", sorted(HERE.glob("report-*.json")), ids=lambda path: path.stem)
def test_a_stored_report_reads_into_the_model_and_back_byte_for_byte(path):
    stored = path.read_text(encoding="utf-8")
    assert printed(read(json.loads(stored)).to_json()) == stored


@pytest.mark.parametrize("section", SECTIONS)
def test_a_report_stored_without_a_section_reads_it_empty_and_renders_every_format(section):
    stored = {key: value for key, value in OCTOBER.items() if key != section}
    model = read(stored)
    assert getattr(model, section) == getattr(MonthlyReport(), section)  # empty, not an error
    assert read({**stored, section: None}) == model  # null reads as missing
    assert all(getattr(model, key) == getattr(read(OCTOBER), key) for key in SECTIONS if key != section)

    html, text = render_html(stored, {}), render_text(stored)
    check_html(html)
    assert "Ekim 2026" in html and "EKİM 2026" in text and "None" not in text
    if section in SHOWN_WITHOUT:
        assert SHOWN_WITHOUT[section] in text and SHOWN_WITHOUT[section] not in render_text(OCTOBER)
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(render_xlsx(stored))).sheetnames == SHEETS
    charts = set(render_charts(stored))
    missing = {"by_day": "daily", "by_hour_weekday": "heatmap", "by_category": "categories"}.get(section)
    assert charts == {"daily", "heatmap", "categories"} - {missing}


def test_a_report_stored_before_subtypes_and_surpluses_were_counted():
    stored = json.loads(json.dumps(OCTOBER))
    del stored["contacts"]["by_subtype"]
    for slot in stored["staffing"]["slots"]:
        del slot["surplus"]
    model = read(stored)
    assert model.contacts.by_subtype == {} and {s.surplus for s in model.staffing.slots} == {0}
    assert context(stored)["staffing"]["grid"] == context(OCTOBER)["staffing"]["grid"]
