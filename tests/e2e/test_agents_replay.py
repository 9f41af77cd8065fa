"""Agent events through the real CLI (issue 19): simulated days of agents' sessions, delivered twice over and
out of order, some events one by one in shuffled batches, replayed with `callcenter replay` into the embedded
AWS; `callcenter report` gives CONTRACT's `agents_time` exactly as the simulation's truth, the agent who left
without logging out included, and `callcenter live --at` the agents online and available at any instant."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import write_jsonl

pytestmark = pytest.mark.e2e
ISTANBUL = ZoneInfo("Europe/Istanbul")


def test_a_replayed_week_of_agent_events_gives_the_contracts_agents_time(operator, tmp_path):
    from cli.simulator import shapes
    from cli.simulator.agents import Roster, default_roster, expected_agents_now, expected_agents_time
    from cli.simulator.traffic import deliver, simulate

    roster = Roster(default_roster(3).shifts, forgetful=2, p_forget=0.5)
    sim = simulate(date(2026, 10, 26), 3, seed=19, calls_per_hour=12, roster=roster)  # to the 28 Ekim half day
    assert any(d.forgot for d in sim.agent_days)  # one session without a logout
    delivery = deliver(sim, seed=19, duplicate_rate=0.3, shuffle=True)
    singles = [i.payload for i in sim.agent_inputs[::5]]  # a fifth once more, one by one, in any order
    random.Random(19).shuffle(singles)
    extra = [shapes.kinesis_event(*singles[i : i + 9]) for i in range(0, len(singles), 9)]
    done = operator.run("replay", str(write_jsonl(tmp_path / "days.jsonl", delivery.lines + extra)), "--workers", "2")
    assert done.returncode == 0, done.stderr

    report = operator.report("2026-10")
    expected = expected_agents_time(sim.agent_days, "2026-10", ISTANBUL)
    assert report["agents_time"] == expected
    assert list(report["agents_time"]) == ["logged_in_hours", "by_agent"]
    assert report["agent_activity"]["sessions_without_logout"] == sum(d.forgot for d in sim.agent_days)
    assert report["staffing"]["at_work_source"] == "mixed"  # three of the month's working days
    assert operator.report("2026-11")["agents_time"] is None

    for day, clock in (("26", "09:00"), ("26", "12:30"), ("27", "15:10"), ("28", "12:59"), ("28", "13:30")):
        at = datetime.fromisoformat(f"2026-10-{day}T{clock}:00").replace(tzinfo=ISTANBUL)
        shown = operator.run("live", "--at", at.isoformat(), "--format", "json")
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["agents"] == expected_agents_now(sim.agent_days, at), (day, clock)
