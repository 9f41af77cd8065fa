"""Issue 3's promises over simulated traffic, delivered the way AWS does (duplicates, any order, losses)."""

from __future__ import annotations

from datetime import date

import pytest

from cli.replay.replayer import Replayer
from cli.simulator.callbacks import check_invariants, run_dispatcher
from cli.simulator.traffic import deliver, simulate


@pytest.mark.parametrize(("seed", "losses"), [(31, {}), (35, {"drop_event_rate": 0.3, "drop_flow_rate": 0.3})])
def test_callbacks_keep_the_directives_promises(aws, tmp_path, monkeypatch, seed, losses):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    # A busy day with faults (these seeds have some), callers who give up and callers who ring again.
    sim = simulate(date(2026, 10, 14), 1, seed=seed, calls_per_hour=15, agents=2)
    delivery = deliver(sim, seed=seed, duplicate_rate=0.2, shuffle=True, **losses)
    replayer = Replayer()
    for number, line in enumerate(delivery.lines, 1):
        replayer.replay_input(number, line)
    assert replayer.stats.ok, replayer.stats.problems[:3]
    before = check_invariants(sim, delivery)
    assert before.ok, before.problems
    assert before.system_drops > 0 and before.callbacks > before.system_drops
    assert before.asked_when_open > 0  # callers of the closed centre who asked to be called when it opens

    run = run_dispatcher(lambda line: replayer.replay_input(0, line), date(2026, 10, 14), 2, seed=seed)
    after = check_invariants(sim, delivery)
    assert after.ok, after.problems
    assert run.placed >= after.callbacks // 2 and run.answered > 0
