"""The whole pure path — published shapes → facts → merge → figures — against an independent oracle.

`cli.simulator.traffic` knows the truth of every simulated contact and computes docs/figures.md's figures
from it on its own (it shares no code with the parser, the merge or the report). Whatever is
lost, duplicated or reordered on the way, the figures must be the oracle's exactly. Likewise the agent
event stream: `cli.simulator.agents` knows what every agent did, and CONTRACT's `agents_time` must be its
truth whatever is duplicated or reordered, and with the agent who forgets to log out.
"""

from __future__ import annotations

import base64
import json
import random
from collections import defaultdict
from datetime import date

import pytest

from chalicelib.activity.facts import AgentFact
from chalicelib.activity.figures import agents_time, month_activity
from chalicelib.activity.inputs import is_agent_event, parse_agent_event
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.inputs import fact_from_contact_event, fact_from_ctr, parse_flow_invocation
from chalicelib.contacts.merge import merge
from chalicelib.core.times import month_bounds
from chalicelib.reports.figures import contact_month, core_figures
from cli.simulator import shapes
from cli.simulator.agents import Roster, default_roster, expected_agents_time
from cli.simulator.traffic import deliver, expected_core_figures, simulate

FIRST_SEEN = "2099-01-01T00:00:00.000Z"  # replay time: flow-only contacts must fall outside the month


def _records(line: dict) -> list[dict]:
    return [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in line["Records"]]


def facts_of(lines: list[dict]) -> dict[str, set[str]]:
    """What the store would hold: each contact's set of canonical facts (agent events go elsewhere)."""
    stored: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if "detail-type" in line:
            facts = [fact_from_contact_event(line)]
        elif "Records" in line:
            facts = [fact_from_ctr(data) for data in _records(line) if not is_agent_event(data)]
        else:
            facts = [parse_flow_invocation(line)[0]]
        for fact in facts:
            stored[fact.contact_id].add(fact.to_json())
    return stored


def figures_from(lines: list[dict], month: str) -> dict:
    from chalicelib.core.config import settings

    zone = settings().zone
    records = (merge(cid, [Fact.from_json(t) for t in texts], FIRST_SEEN) for cid, texts in facts_of(lines).items())
    return core_figures(r for r in records if contact_month(r, zone) == month)


def core(figures: dict) -> dict:
    return {key: figures[key] for key in ("contacts", "calls", "by_category", "out_of_scope", "satisfaction")}


@pytest.mark.parametrize(
    ("seed", "losses"),
    [
        (1, {}),
        (2, {"drop_ctr_rate": 1.0}),
        (3, {"drop_event_rate": 1.0}),
        (4, {"drop_event_rate": 0.5, "drop_ctr_rate": 0.5, "drop_flow_rate": 0.5}),
        (5, {"drop_event_rate": 0.9, "drop_ctr_rate": 0.3}),
    ],
)
def test_figures_equal_the_oracle_whatever_is_lost_duplicated_or_reordered(seed, losses):
    # 26–30 Ekim 2026: the 28 Ekim half day and the 29 Ekim holiday, and a month boundary on Saturday.
    sim = simulate(date(2026, 10, 26), 7, seed=seed, calls_per_hour=30, agents=2)
    delivery = deliver(sim, seed=seed, duplicate_rate=0.3, shuffle=True, **losses)
    for month in ("2026-10", "2026-11"):
        assert core(figures_from(delivery.lines, month)) == core(expected_core_figures(sim, delivery, month))


def test_the_busy_simulation_exercises_every_outcome():
    sim = simulate(date(2026, 10, 26), 7, seed=1, calls_per_hour=30, agents=2)
    expected = expected_core_figures(sim, None, "2026-10")["calls"]
    for key in ("answered", "abandoned", "short_abandoned", "system_dropped", "queue_exits_other"):
        assert expected[key] > 0, key


def test_the_simulated_survey_exercises_every_answer():
    """Scores, yes and no, and values that are not a score, in more than one category."""
    sim = simulate(date(2026, 10, 26), 7, seed=5, calls_per_hour=30, agents=2)  # a week with every answer
    satisfaction = expected_core_figures(sim, None, "2026-10")["satisfaction"]
    assert satisfaction["responses"] > 0 and 0 < satisfaction["response_rate"] < 1
    assert 0 < satisfaction["resolved_rate"] < 1 and len(satisfaction["by_category"]) > 3
    answers = {c.survey_score for c in sim.contacts if c.survey_score}
    assert {"1", "5"} <= answers and answers - {"1", "2", "3", "4", "5"}, "some answers are not a score"


def test_delivery_order_does_not_matter():
    sim = simulate(date(2026, 10, 12), 2, seed=9, calls_per_hour=20)
    lines = deliver(sim, seed=9, duplicate_rate=0.2).lines
    shuffled = lines[:]
    random.Random(1).shuffle(shuffled)
    assert facts_of(lines) == facts_of(shuffled)


# --------------------------------------------------------------------------- agents' time
def agent_facts_of(lines: list[dict]) -> dict[str, set[AgentFact]]:
    """What the store would hold of the agent event stream: each agent's set of facts."""
    stored: dict[str, set[AgentFact]] = defaultdict(set)
    for line in lines:
        for data in _records(line) if "Records" in line else ():
            if is_agent_event(data):
                agent, fact = parse_agent_event(data)
                stored[agent].add(fact)
    return stored


def agents_time_from(lines: list[dict], month: str) -> dict | None:
    from chalicelib.core.config import settings

    first, last = month_bounds(month)
    return agents_time(month_activity(agent_facts_of(lines), first, last, settings().zone))


def _zone():
    from chalicelib.core.config import settings

    return settings().zone


@pytest.mark.parametrize("seed", [1, 2, 6])
def test_agents_time_equals_the_oracle_whatever_is_duplicated_or_reordered(seed):
    # 26 Ekim – 1 Kasım 2026: a half day, a holiday, the month's end; agents who take breaks and contacts.
    sim = simulate(date(2026, 10, 26), 7, seed=seed, calls_per_hour=30, agents=2)
    delivery = deliver(sim, seed=seed, duplicate_rate=0.3, shuffle=True, agent_batch=37)
    for month in ("2026-10", "2026-11"):
        assert agents_time_from(delivery.lines, month) == expected_agents_time(sim.agent_days, month, _zone())
    assert expected_agents_time(sim.agent_days, "2026-10", _zone())["logged_in_hours"] > 20


def test_agents_time_with_the_demos_roster_of_late_breaks_and_an_afternoon_shift():
    from cli.simulator.demo import DEMO_ROSTER

    sim = simulate(date(2026, 10, 5), 5, seed=8, calls_per_hour=14, roster=DEMO_ROSTER)
    lines = deliver(sim, seed=8, duplicate_rate=0.2, shuffle=True).lines
    assert agents_time_from(lines, "2026-10") == expected_agents_time(sim.agent_days, "2026-10", _zone())


def test_agents_time_whatever_the_order_of_single_events():
    sim = simulate(date(2026, 10, 12), 3, seed=4, calls_per_hour=20, agents=3)
    events = [i.payload for i in sim.agent_inputs] * 2  # every event twice
    random.Random(4).shuffle(events)
    lines = [shapes.kinesis_event(*events[i : i + 7]) for i in range(0, len(events), 7)]
    assert agents_time_from(lines, "2026-10") == expected_agents_time(sim.agent_days, "2026-10", _zone())


def test_the_agent_who_forgets_to_log_out_is_closed_by_the_last_heartbeat():
    roster = Roster(default_roster(3).shifts, forgetful=2, p_forget=0.5)
    sim = simulate(date(2026, 10, 12), 5, seed=3, calls_per_hour=20, roster=roster)
    forgotten = [d for d in sim.agent_days if d.forgot]
    assert forgotten and len(forgotten) < 5  # days with and without the logout
    for day in forgotten:
        mine = [i for i in sim.agent_inputs if i.agent == day.agent and day.login <= _ms(i.at) < day.session_end]
        assert not any(i.name == "agent:LOGOUT" for i in mine)
        assert mine[-1].name == "agent:HEART_BEAT" and _ms(mine[-1].at) + 120_000 == day.session_end
    lines = deliver(sim, duplicate_rate=0.2, shuffle=True).lines
    assert agents_time_from(lines, "2026-10") == expected_agents_time(sim.agent_days, "2026-10", _zone())


def test_a_lost_logout_is_closed_by_the_last_event_seen_and_never_left_open():
    sim = simulate(date(2026, 10, 13), 1, seed=5, calls_per_hour=10, roster=Roster(default_roster(1).shifts))
    (day,) = sim.agent_days
    assert not day.forgot and day.post_logout_minutes >= 2  # Connect goes on with heartbeats after a logout
    kept = [i.payload for i in sim.agent_inputs if i.name != "agent:LOGOUT"]
    after = [_ms(i.at) for i in sim.agent_inputs if _ms(i.at) > day.logout]
    expected_ms = max(after) + 120_000 - day.login  # the heartbeats after it now close the session
    got = agents_time_from([shapes.kinesis_event(*kept)], "2026-10")
    assert got["logged_in_hours"] == round(expected_ms / 3_600_000, 2)
    assert got["logged_in_hours"] <= round((day.logout - day.login) / 3_600_000 + 1.04, 2)  # an hour at most


def _ms(at) -> int:
    return round(at.timestamp() * 1000)
