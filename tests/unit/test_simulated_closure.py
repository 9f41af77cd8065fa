"""A declared closure in the simulated centre (the demo's 30 Ekim): callers ring as on any working day and
meet a closed centre, and the pure path's figures still equal the oracle's exactly."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from chalicelib.core.workhours import Closure, default_calendar
from cli.simulator.traffic import deliver, expected_core_figures, simulate
from tests.unit.test_contract_oracle import core, figures_from

WEEK = date(2026, 10, 12)  # Monday to Sunday, no holiday
FRIDAY = date(2026, 10, 16)
CLOSED = default_calendar().with_closures({FRIDAY: Closure(FRIDAY, None, "İdari izin")})


def istanbul_day(moment) -> date:
    return (moment + timedelta(hours=3)).date()  # Türkiye: UTC+3 all year


def test_callers_ring_as_on_a_working_day_and_meet_a_closed_centre():
    sim = simulate(WEEK, 7, seed=4, calendar=CLOSED)
    that_day = [c for c in sim.contacts if istanbul_day(c.initiated_at) == FRIDAY]
    assert that_day and all(c.channel == "VOICE" and c.initiation_method == "INBOUND" for c in that_day)
    assert {c.outcome for c in that_day} == {"closed"}
    assert not any(c.queued for c in that_day)
    calls = Counter(istanbul_day(c.initiated_at) for c in sim.contacts if c.is_inbound_call)
    weekdays = [calls[WEEK + timedelta(days=d)] for d in range(4)]
    assert calls[FRIDAY] > min(weekdays) / 2  # a working day's calls, not a weekend's trickle
    assert calls[FRIDAY] > 3 * calls[date(2026, 10, 17)]


def test_figures_equal_the_oracle_with_a_closed_day():
    sim = simulate(date(2026, 10, 14), 4, seed=6, calls_per_hour=30, agents=2, calendar=CLOSED)
    delivery = deliver(sim, seed=6, duplicate_rate=0.3, shuffle=True, drop_event_rate=0.3, drop_ctr_rate=0.2)
    expected = expected_core_figures(sim, delivery, "2026-10")
    assert core(figures_from(delivery.lines, "2026-10")) == core(expected)
    assert expected["calls"]["answered"] > 0
