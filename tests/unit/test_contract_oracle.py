"""The whole pure path — published shapes → facts → merge → figures — against an independent oracle.

`cli.simulator.traffic` knows the truth of every simulated contact and computes docs/figures.md's figures
from it on its own (it shares no code with the parser, the merge or the report). Whatever is
lost, duplicated or reordered on the way, the figures must be the oracle's exactly.
"""

from __future__ import annotations

import base64
import json
import random
from collections import defaultdict
from datetime import date

import pytest

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.inputs import fact_from_contact_event, fact_from_ctr, parse_flow_invocation
from chalicelib.contacts.merge import merge
from chalicelib.reports.figures import contact_month, core_figures
from cli.simulator.traffic import deliver, expected_core_figures, simulate

FIRST_SEEN = "2099-01-01T00:00:00.000Z"  # replay time: flow-only contacts must fall outside the month


def facts_of(lines: list[dict]) -> dict[str, set[str]]:
    """What the store would hold: each contact's set of canonical facts."""
    stored: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if "detail-type" in line:
            facts = [fact_from_contact_event(line)]
        elif "Records" in line:
            facts = [fact_from_ctr(json.loads(base64.b64decode(r["kinesis"]["data"]))) for r in line["Records"]]
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
    sim = simulate(date(2026, 10, 26), 7, seed=1, calls_per_hour=30, agents=2)
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
