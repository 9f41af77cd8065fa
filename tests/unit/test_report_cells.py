"""What the report shows of values it does not control (issue 13, item 5): no workbook cell is ever a
formula, text that a spreadsheet could read as one is neutralised, numbers stay numbers, and a
category nobody knows is shown as written but bounded, in the workbook, the HTML and the text."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.contacts.categories import CATEGORIES, CATEGORY_LABELS
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import merge
from chalicelib.core.times import iso
from chalicelib.reports.cells import FORMULA_LEADS, bounded, category_label, cell_value, neutralise
from chalicelib.reports.findings import findings
from chalicelib.reports.monthly import assemble_report
from chalicelib.reports.render import render_html, render_text, render_xlsx

HYPERLINK = '=HYPERLINK("http://x","y")'
LONG = "Bu kategori adı kırk karakterden çok daha uzun, akış yanlış yazmış"


def call(i: int, category: str | None, day: int = 14, answered: bool = True):
    """One answered (or abandoned) inbound call of October 2026 as a merged record."""
    start = datetime(2026, 10, day, 7, 0, tzinfo=UTC) + timedelta(minutes=7 * i)
    enq, conn = start + timedelta(seconds=10), start + timedelta(seconds=25)
    end = conn + timedelta(minutes=3) if answered else enq + timedelta(seconds=40)
    ctr = Fact(
        contact_id=f"cells-{i}",
        source="ctr",
        at=iso(end + timedelta(seconds=30)),
        channel="VOICE",
        initiation_method="INBOUND",
        initiated_at=iso(start),
        enqueued_at=iso(enq),
        queue_seconds=15 if answered else 40,
        connected_to_agent_at=iso(conn) if answered else None,
        agent_username="temsilci1" if answered else None,
        interaction_seconds=180 if answered else None,
        hold_seconds=0 if answered else None,
        acw_seconds=20 if answered else None,
        disconnected_at=iso(end),
        disconnect_reason="AGENT_DISCONNECT" if answered else "CUSTOMER_DISCONNECT",
        category=category,
    )
    return merge(ctr.contact_id, [ctr], None)


def report_with(categories: list[str | None]) -> dict:
    records = [call(i, c, answered=i % 4 != 3) for i, c in enumerate(categories)]
    report = assemble_report("2026-10", records, [], {"month": "2026-09"})
    return json.loads(json.dumps(report))  # as read back from the reports table


def reopened(report: dict):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(render_xlsx(report)))


def cells_of(workbook):
    return [cell for ws in workbook for row in ws.iter_rows() for cell in row if cell.value is not None]


# -- the one function ------------------------------------------------------------------------


@given(st.text())
def test_neutralised_text_never_starts_like_a_formula_and_keeps_what_was_written(text):
    shown = neutralise(text)
    assert not shown.startswith(FORMULA_LEADS)
    assert shown == (f"'{text}" if text.startswith(FORMULA_LEADS) else text)


@pytest.mark.parametrize("lead", FORMULA_LEADS)
def test_every_dangerous_leading_character_is_neutralised(lead):
    assert neutralise(f"{lead}1+1") == f"'{lead}1+1"
    assert neutralise(f"a{lead}1") == f"a{lead}1"  # only the first character makes a formula


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none()))
def test_numbers_and_nothing_stay_as_they_are(value):
    assert cell_value(value) == value and type(cell_value(value)) is type(value)


def test_control_characters_become_a_replacement_mark_not_a_refusal():
    assert cell_value("a\x00b\x1fc\td\ne\r") == "a\ufffdb\ufffdc\td\ne\r"


def test_an_unknown_category_is_shown_as_written_but_bounded():
    assert category_label("bilgi") == "Bilgi" and category_label("unclassified") == "Konu seçilmemiş"
    assert category_label("kısa_ad") == "kısa_ad"
    assert len(category_label(LONG)) == 40 and category_label(LONG) == LONG[:39] + "…"
    assert bounded("x" * 40) == "x" * 40
    assert all(len(category_label(c)) <= 40 for c in CATEGORIES)


# -- the workbook ----------------------------------------------------------------------------


def test_a_hyperlink_category_is_text_in_the_reopened_workbook():
    report = report_with([HYPERLINK] * 3 + ["bilgi"] * 5)
    assert report["by_category"][HYPERLINK] == 3
    workbook = reopened(report)
    cells = cells_of(workbook)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    shown = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert shown and all(c.value == "'" + HYPERLINK and c.data_type == "s" for c in shown)
    categories = {row[1]: row[2] for row in workbook["Kategoriler"].iter_rows(min_row=2, values_only=True)}
    assert categories["'" + HYPERLINK] == 3


def test_negative_numbers_stay_numbers():
    report = report_with(["bilgi"] * 6)
    report["month_over_month"]["figures"]["calls.inbound"].update(previous=10, change=-4)
    summary = reopened(report)["Özet"]
    row = next(r for r in summary.iter_rows(min_row=2) if r[0].value == "Gelen çağrı")
    assert row[3].value == -4 and row[3].data_type == "n"


hostile = st.one_of(
    st.sampled_from([HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "=1", "a\x00b", LONG]),
    st.text(min_size=1, max_size=60),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(category=hostile, agent=hostile, unit=hostile, line=hostile)
def test_no_cell_of_the_workbook_is_ever_a_formula(category, agent, unit, line):
    report = report_with(["bilgi"] * 4)
    report["by_category"][category] = 7
    report["by_agent"].append({"agent": agent, "answered": 1, "share": 0.1, "aht_seconds": -3.5})
    report["referrals"]["by_unit"] = {"u1": {"name": unit, "received": 2, "answered": 1, "late": -1}}
    report["findings"]["tr"].append(line)
    report["staffing"]["gaps"] = {"tr": [line], "en": [line]}
    cells = cells_of(reopened(report))
    assert not [c for c in cells if c.data_type == "f"]
    for cell in cells:
        if isinstance(cell.value, str):
            assert cell.data_type == "s" and not cell.value.startswith(FORMULA_LEADS), repr(cell.value)
        else:
            assert cell.data_type in ("n", "d"), (cell.coordinate, cell.value)
    assert -3.5 in [c.value for c in cells]


# -- the same bound in every rendering --------------------------------------------------------


def test_a_long_unknown_category_is_bounded_in_the_workbook_html_and_text():
    report = report_with([LONG] * 3 + ["bilgi"] * 5)
    shown = LONG[:39] + "…"
    html, text = render_html(report, {}), render_text(report)
    assert LONG not in html and shown in html
    assert LONG not in text and shown in text
    values = [c.value for c in cells_of(reopened(report))]
    assert LONG not in values and shown in values


def test_a_finding_names_an_unknown_category_bounded():
    previous = {"month": "2026-09", "by_category": {LONG: 10}}
    report = report_with([LONG] * 14 + ["bilgi"] * 2)
    said = findings(report, previous)
    grown = [line for line in said.tr + said.en if "…" in line]
    assert len(grown) == 2 and all(LONG not in line and LONG[:39] + "…" in line for line in grown)


def test_known_categories_keep_their_labels():
    report = report_with(list(CATEGORIES))
    names = {row[0] for row in reopened(report)["Kategoriler"].iter_rows(min_row=2, values_only=True)}
    assert names == {CATEGORY_LABELS[c] for c in CATEGORIES}
