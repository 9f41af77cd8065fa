"""The agents' time in the monthly report (issue 19): CONTRACT's `agents_time` from the agent events, the
staffing table's "at work" from logged-in time (the old guess only on days without agent events, and it
says which), the hours short, a week's occupancy above 85 % or below 50 % as a finding, and every rendering
showing it."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.core.config import settings
from chalicelib.core.workhours import default_calendar
from chalicelib.reports.agent_figures import occupancy_findings
from chalicelib.reports.monthly import assemble_report
from chalicelib.reports.render import render_html, render_text, render_xlsx
from chalicelib.reports.view import context
from cli.simulator.agents import expected_agents_time
from cli.simulator.traffic import simulate
from tests.fixtures.reports.months import of_month, simulated_month

MONTH = "2026-10"


@pytest.fixture(scope="module")
def month():
    """Two weeks of a busy centre on three agents, delivered twice over and shuffled."""
    delivery = {"seed": 3, "duplicate_rate": 0.2, "shuffle": True}
    records, agents = simulated_month(date(2026, 10, 5), 14, 3, delivery, calls_per_hour=25, agents=3)
    return of_month(records, MONTH), agents


def _report(records, agents=None) -> dict:
    return assemble_report(MONTH, records, [], {"month": "2026-09"}, agent_facts=agents)


def test_agents_time_is_the_contracts_and_the_simulations_truth(month):
    records, agents = month
    report = _report(records, agents)
    sim = simulate(date(2026, 10, 5), 14, seed=3, calls_per_hour=25, agents=3)
    assert report["agents_time"] == expected_agents_time(sim.agent_days, MONTH, settings().zone)
    assert set(report["agents_time"]["by_agent"]) == {"temsilci1", "temsilci2", "temsilci3"}
    activity = report["agent_activity"]
    assert sum(activity["by_status"].values()) == pytest.approx(report["agents_time"]["logged_in_hours"], abs=0.05)
    assert {"Available", "Mola", "Öğle arası"} <= set(activity["by_status"])
    assert [w["first_day"] for w in activity["weeks"]] == ["2026-10-05", "2026-10-12"]


def test_at_work_comes_from_logged_in_time_and_says_so(month):
    records, agents = month
    measured, guessed = _report(records, agents)["staffing"], _report(records)["staffing"]
    # Two weeks simulated of the month's 21 working days: the other days have neither events nor contacts.
    assert measured["at_work_source"] == "mixed" and measured["days_from_agent_events"] == 10
    assert guessed["at_work_source"] == "contacts" and guessed["days_from_agent_events"] == 0
    # At work, from the simulation's truth: agent-time Available (on a contact or waiting) in the hour, averaged
    # over the month's working days of that weekday (the days not simulated have none).
    sim = simulate(date(2026, 10, 5), 14, seed=3, calls_per_hour=25, agents=3)
    zone, calendar = settings().zone, default_calendar()
    per_weekday = Counter(d.weekday() for d in (date(2026, 10, n) for n in range(1, 32)) if calendar.is_working_day(d))
    for slot in measured["slots"]:
        truth = 0
        for day in sim.agent_days:
            if day.day.weekday() != slot["weekday"]:
                continue
            start = datetime.combine(day.day, time(slot["hour"]), tzinfo=zone).timestamp() * 1000
            truth += sum(max(0, min(z, start + 3_600_000) - max(a, start)) for a, z in day.available_periods())
        assert slot["at_work"] == pytest.approx(truth / 3_600_000 / per_weekday[slot["weekday"]]), slot
    # The guess counts an agent who took one contact in the hour as there all of it, and one waiting as absent.
    assert [s["at_work"] for s in measured["slots"]] != [s["at_work"] for s in guessed["slots"]]
    assert measured["hours_short"] == sum(1 for s in measured["slots"] if s["gap"])
    assert measured["adherence"] == pytest.approx(1 - measured["hours_short"] / len(measured["slots"]))
    assert "10 iş gününde" in context(_report(records, agents))["staffing"]["source_note"]
    assert "bu bir tahmindir" in context(_report(records))["staffing"]["source_note"]


def test_days_without_agent_events_keep_the_guess_and_the_source_is_mixed(month):
    records, agents = month
    first_week = {agent: [f for f in facts if f.at < "2026-10-10"] for agent, facts in agents.items()}
    staffing = _report(records, first_week)["staffing"]
    assert staffing["at_work_source"] == "mixed" and staffing["days_from_agent_events"] == 5
    assert "5 iş gününde" in context(_report(records, first_week))["staffing"]["source_note"]


def _with_weeks(occupancies: list[tuple[float | None, float]]) -> dict:
    weeks = [
        {
            "first_day": f"2026-10-{1 + 7 * n:02d}",
            "last_day": f"2026-10-{7 + 7 * n:02d}",
            "logged_in_hours": hours,
            "on_contact_hours": 1.0,
            "occupancy": occupancy,
        }
        for n, (occupancy, hours) in enumerate(occupancies)
    ]
    return {"month": MONTH, "agent_activity": {"weeks": weeks}}


def test_a_week_above_85_or_below_50_percent_is_a_finding():
    said = occupancy_findings(_with_weeks([(0.91, 60), (0.7, 60), (0.42, 60), (0.2, 3)]))
    assert said.tr == [
        "Temsilci doluluğu 1–7 Ekim haftasında %91 %85'in üzerindeydi: müsait zamanın neredeyse tamamı görüşmede "
        "geçti (%50–85 sağlıklı aralık); bu tempo sürdürülemez, o haftalar için ek temsilci planlayın.",
        "Temsilci doluluğu 15–21 Ekim haftasında %42 %50'nin altında kaldı: temsilciler zamanlarının çoğunu çağrı "
        "bekleyerek geçirdi; bu saatler geri arama, e-posta ve eğitime ayrılabilir.",
    ]  # the week of three hours is too short to judge
    assert said.en[0].startswith("Agent occupancy ran above 85% (91% in the week of 1–7 October)")
    assert occupancy_findings(_with_weeks([(0.6, 60), (0.8, 60), (None, 60)])).tr == []
    every = occupancy_findings(_with_weeks([(0.9, 60), (0.95, 60), (0.88, 60)]))
    assert "ayın her haftasında (%88–95)" in every.tr[0]
    assert occupancy_findings({"month": MONTH}).tr == []  # no agent events: nothing to say


def test_every_rendering_shows_the_agents_time(month):
    records, agents = month
    report = _report(records, agents)
    html, text = render_html(report, None), render_text(report)
    assert "Temsilci zamanı" in html and "TEMSİLCİ ZAMANI" in text
    for name in ("temsilci1", "temsilci2", "temsilci3"):
        assert name in html and name in text
    assert "Doluluk" in html and "Haftalık doluluk" in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render_xlsx(report)))["Temsilci zamanı"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert [r[0] for r in rows] == ["temsilci1", "temsilci2", "temsilci3", "Toplam"]
    assert rows[3][1] == report["agents_time"]["logged_in_hours"]
    empty = _report(records)
    assert empty["agents_time"] is None and empty["agent_activity"] is None
    assert "temsilci olay akışından kayıt gelmedi" in render_text(empty)
