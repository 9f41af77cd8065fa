"""Issue 8: processes replaying at once, as concurrent Lambdas do, end with the records one process makes.

One embedded AWS gets a simulated day from a single `callcenter replay`. Another gets the same
day twice at the same time: from `callcenter replay --workers 2` (two processes splitting the
lines) and from a plain `callcenter replay` of the whole file. Every input thus arrives two or
three times, racing its own copies and its contact's other inputs. The report and the callbacks
must come out the same: conditional writes, not luck.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest

from cli.simulator.traffic import deliver, simulate, write_jsonl
from tests.e2e.conftest import CLI, Operator, start_operator

pytestmark = pytest.mark.e2e

DAY = date(2026, 10, 7)  # a Wednesday of the semester peak


def _records(op: Operator) -> tuple[dict, list[dict]]:
    report = op.report(DAY.strftime("%Y-%m"))
    for volatile in ("generated_at", "built_at"):
        report.pop(volatile, None)
    listed = op.run("callbacks", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    callbacks = json.loads(listed.stdout)
    for callback in callbacks:
        callback.pop("created_at")  # when the record was written: wall-clock time of the replay
    return report, callbacks


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    sim = simulate(DAY, 1, calls_per_hour=5, agents=3, semester_peak=True, seed=8)
    delivery = deliver(sim, duplicate_rate=0.05, shuffle=True, seed=8)
    path = tmp_path_factory.mktemp("concurrent") / "day.jsonl"
    write_jsonl(delivery.lines, path)
    return path, sim


def test_two_processes_racing_on_the_same_day_make_the_records_one_process_makes(tmp_path_factory, inputs):
    path, sim = inputs
    alone, racing = (start_operator(tmp_path_factory.mktemp(name)) for name in ("alone", "racing"))
    try:
        once = alone.run("replay", str(path))
        assert once.returncode == 0, once.stderr

        both = [
            subprocess.Popen(
                [str(CLI), "replay", *args, str(path)],
                env=racing.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in (["--workers", "2"], [])
        ]
        for process in both:
            out, err = process.communicate(timeout=600)
            assert process.returncode == 0, err
            assert "0 rejected, 0 failed" in out

        expected, got = _records(alone), _records(racing)
        assert expected[0]["contacts"]["total"] == len(sim.contacts) > 50
        assert got == expected
        assert expected[1], "the day should raise callbacks, or the comparison proves little"
    finally:
        for op in (alone, racing):
            op.run("local", "stop", timeout=60)
