"""`callcenter live --at … --format json` gives the live figures (docs/figures.md) exactly (issue 16): a simulated
day, redelivered twice and shuffled, replayed through the real CLI into the embedded AWS, then asked at
several instants of that day and compared with the simulation's truth as the system could know it."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import write_jsonl

pytestmark = pytest.mark.e2e
ISTANBUL = ZoneInfo("Europe/Istanbul")
LIVE_KEYS = [
    "at",
    "in_queue_now",
    "longest_wait_now_seconds",
    "today",
    "callbacks",
    "referrals",
    "incidents_open",
    "agents",
]


def test_the_live_figures_of_a_replayed_day_at_any_instant(operator, tmp_path):
    from cli.simulator.agents import expected_agents_now
    from cli.simulator.traffic import deliver, expected_live, simulate

    day = date(2026, 11, 11)  # a Wednesday
    sim = simulate(day, 1, seed=31, calls_per_hour=10, agents=2)
    delivery = deliver(sim, seed=31, duplicate_rate=0.2, shuffle=True)
    done = operator.run("replay", str(write_jsonl(tmp_path / "day.jsonl", delivery.lines)))
    assert done.returncode == 0, done.stderr
    callbacks = json.loads(operator.run("callbacks", "list", "--format", "json").stdout)

    for clock in ("09:12", "11:00", "12:20", "14:37", "17:45", "23:00"):
        at = datetime.fromisoformat(f"{day.isoformat()}T{clock}:00").replace(tzinfo=ISTANBUL)
        shown = operator.run("live", "--at", at.isoformat(), "--format", "json")
        assert shown.returncode == 0, shown.stderr
        figures = json.loads(shown.stdout)
        assert list(figures) == LIVE_KEYS
        assert figures["at"] == at.isoformat()
        truth = expected_live(sim, at)
        assert figures["in_queue_now"] == truth["in_queue_now"], clock
        assert figures["longest_wait_now_seconds"] == truth["longest_wait_now_seconds"], clock
        assert figures["today"] == truth["today"], clock
        cutoff = at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        due = sum(1 for c in callbacks if c["status"] == "PENDING" and c["due_at"] <= cutoff)
        overdue = sum(
            1 for c in callbacks if c["status"] in ("PENDING", "DIALING", "CLAIMED") and c["sla_due_at"] < cutoff
        )
        assert figures["callbacks"] == {"due": due, "overdue": overdue}, clock
        assert figures["referrals"] == {"waiting_for_units": 0, "overdue": 0, "answers_to_return": 0}
        assert figures["incidents_open"] == 0
        # The simulated Connect has no real-time data: the agents come from the agent events replayed.
        assert figures["agents"] == expected_agents_now(sim.agent_days, at), clock
        if clock >= "14:37":  # the comparison is about a real day's traffic, not an empty one
            assert truth["today"]["answered"] > 0 and truth["today"]["abandoned"] > 0, clock


def test_a_malformed_instant_is_refused_plainly(operator):
    done = operator.run("live", "--at", "2026-11-11T10:00", "--format", "json")
    assert done.returncode == 2 and "--at needs an offset" in done.stderr
