"""Satisfaction and quality in the monthly report (directive 5(1)–(3)): the figures from contact records,
what scores low, and the section in the HTML e-mail, the text and the workbook."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import merge
from chalicelib.core.times import iso
from chalicelib.reports.comparison import compare
from chalicelib.reports.findings import findings
from chalicelib.reports.model import Satisfaction, SatisfactionDetail, Scores, read
from chalicelib.reports.render import render_html, render_text, render_xlsx
from chalicelib.reports.satisfaction import LOW_AVERAGE, MIN_RESPONSES, SatisfactionFigures, low_scores
from tests.unit.test_render import build_simulated_report, check_html

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul


def call(cid: str, *, score: str | None = None, resolved: str | None = None, answered: bool = True, **over):
    """One call's merged record as its trace record says, with the survey's answers."""
    fields = {
        "channel": "VOICE",
        "initiation_method": "INBOUND",
        "initiated_at": iso(T0),
        "enqueued_at": iso(T0 + timedelta(seconds=20)),
        "disconnected_at": iso(T0 + timedelta(minutes=5)),
        "disconnect_reason": "AGENT_DISCONNECT" if answered else "CUSTOMER_DISCONNECT",
        "category": "bilgi",
        "survey_score": score,
        "survey_resolved": resolved,
    }
    if answered:
        fields |= {"connected_to_agent_at": iso(T0 + timedelta(seconds=30)), "agent_username": "ayse"}
    fields |= over
    return merge(cid, [Fact(contact_id=cid, source="ctr", at=iso(T0 + timedelta(minutes=6)), **fields)])


def figures(records) -> SatisfactionFigures:
    from chalicelib.core.config import settings

    survey = SatisfactionFigures(settings().zone)
    for record in records:
        survey.add(record)
    return survey


def test_only_answered_inbound_calls_with_a_score_respond():
    survey = figures(
        [
            call("a", score="5", resolved="yes"),
            call("b", score="2", resolved="no", category="şikayet"),
            call("c", score="4"),  # no answer to the second question
            call("d"),  # answered, no survey
            call("e", score="invalid"),  # an answer that is not a score: counted apart
            call("f", score="5", answered=False),  # a lost call cannot have been surveyed: not counted
            call("g", score="5", channel="CHAT"),  # not a call
            call("h", score="5", initiation_method="OUTBOUND"),
            call("i", score="3", category=None, agent_username="mehmet"),
        ]
    )
    s = survey.satisfaction()
    assert (s.responses, s.response_rate, s.average, s.resolved_rate) == (4, 4 / 6, 3.5, 0.5)
    assert {k: v.to_json() for k, v in s.by_category.items()} == {
        "bilgi": {"responses": 2, "average": 4.5},
        "unclassified": {"responses": 1, "average": 3.0},
        "şikayet": {"responses": 1, "average": 2.0},
    }
    d = survey.detail()
    assert (d.invalid, d.resolved_yes, d.resolved_no) == (1, 1, 1)
    assert [(a.agent, a.responses, a.average, a.resolved_rate) for a in d.by_agent] == [
        ("ayse", 3, 3.7, 0.5),
        ("mehmet", 1, 3.0, None),
    ]
    assert list(d.by_hour) == ["10"]  # 07:00 UTC is 10:00 in Istanbul


def test_a_month_without_answers_is_zero_responses_and_null_means():
    s = figures([call("x")]).satisfaction()
    assert s.to_json() == {
        "responses": 0,
        "response_rate": 0.0,
        "average": None,
        "resolved_rate": None,
        "by_category": {},
    }
    assert figures([]).satisfaction().response_rate is None


def _scores(**groups: tuple[int, float]) -> dict[str, Scores]:
    return {name: Scores(responses=n, average=avg) for name, (n, avg) in groups.items()}


def test_low_means_below_the_threshold_over_enough_answers():
    just = MIN_RESPONSES
    block = Satisfaction(by_category=_scores(bilgi=(just, LOW_AVERAGE), şikayet=(just, 3.4), öneri=(just - 1, 1.0)))
    detail = SatisfactionDetail(by_hour=_scores(**{"14": (40, 3.4), "09": (12, 2.9)}))
    lows = low_scores(block, detail)
    # At the threshold is not low; too few answers are not judged; the lowest first, a category before an hour.
    assert [(low.kind, low.key, low.average) for low in lows] == [
        ("hour", "09", 2.9),
        ("category", "şikayet", 3.4),
        ("hour", "14", 3.4),
    ]


def test_the_finding_names_the_lowest_category_and_hour_and_nothing_when_none_is_low():
    report = json.loads(json.dumps(build_simulated_report()))
    report["satisfaction_detail"]["by_hour"]["15"] = {"responses": 30, "average": 3.1}
    tr = findings(report, {}).tr
    (line,) = [s for s in tr if s.startswith("Arayanların memnuniyeti")]
    assert "“Şikayet” çağrıları 2,8" in line and "15:00–16:00 arasındaki çağrılar 3,1 (30 yanıt)" in line
    report["satisfaction"]["by_category"]["şikayet"]["average"] = 3.5
    report["satisfaction_detail"]["by_hour"] = {}
    assert not [s for s in findings(report, {}).tr if "memnuniyet" in s]


def test_the_mean_score_beside_last_month_is_a_score_not_a_count():
    report = {"month_over_month": {"figures": {"satisfaction.average": {"value": 4.1, "previous": 3.8}}}}
    up = compare(report, "satisfaction.average")
    assert (up["value"], up["previous"], up["arrow"], up["change"], up["tone"]) == (
        "4,1",
        "3,8",
        "▲",
        "0,3 puan",
        "good",
    )
    report["month_over_month"]["figures"]["satisfaction.average"] = {"value": 4.1, "previous": 4.0}
    assert compare(report, "satisfaction.average")["tone"] == "neutral"  # a tenth of a point is noise


@pytest.fixture(scope="module")
def report() -> dict:
    return build_simulated_report()


def test_every_format_shows_the_survey(report):
    html = render_html(report, None)
    check_html(html)
    assert "Memnuniyet ve kalite" in html and "5(1)–(3)" in html
    assert "Düşük puanlı" in html and "Şikayet" in html and "temsilci1" in html
    text = render_text(report)
    assert "MEMNUNİYET VE KALİTE" in text and "Geçersiz yanıt (1–5 dışında)" in text
    assert f"{report['satisfaction_detail']['invalid']}" in text

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    rows = list(wb["Memnuniyet"].iter_rows(min_row=2, values_only=True))
    kinds = {row[0] for row in rows}
    assert kinds == {"Konu", "Temsilci", "Saat"}
    assert all(isinstance(row[2], int) and isinstance(row[3], int | float) for row in rows)  # numbers, not text
    summary = {row[0]: row[1] for row in wb["Özet"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert summary["Memnuniyet puanı (1–5)"] == report["satisfaction"]["average"]
    assert summary["Ankete yanıt veren çağrı"] == report["satisfaction"]["responses"]


def test_a_month_without_a_survey_says_so():
    empty = read({"month": "2026-03"}).to_json()
    assert "Bu ay anket yanıtı yok." in render_text(empty)
    assert "Bu ay anket yanıtı yok." in render_html(empty, None)
