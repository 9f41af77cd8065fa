"""Soak (issue 8): the demo's month — October 2026, its start-of-term peak, the 28 Ekim half day and
the 29 Ekim holiday — replayed through failing DynamoDB, SES and Amazon Connect ends as it does
without faults.

The harness and the comparison are tests/integration/test_faults.py's (`run_through`,
`assert_same_outcome`), which CI runs over one day; a month is about twenty minutes of in-process
moto, too long for every push, so it is this script. Prints the figures, writes
bench/faults_month.json, exits 1 on any difference the test does not name.
Run: .venv/bin/python bench/faults_month.py [rate]   (default 0.12 of DynamoDB and SES calls, 0.4 of Connect's)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tests.conftest  # noqa: E402, F401  the test-wide environment, set before chalicelib is imported

os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"  # no EMF lines on stdout: the figures are the output

MONTH_START, DAYS = date(2026, 10, 1), 31
DISPATCH_DAYS = DAYS + 3  # as the demo: callbacks raised on the last day are still made


def main(rate: float) -> int:
    import pytest

    from cli.simulator.demo import AGENTS, CALLS_PER_HOUR
    from cli.simulator.traffic import deliver, simulate
    from tests.integration.faults import Faults
    from tests.integration.test_faults import assert_same_outcome, run_through

    sim = simulate(MONTH_START, DAYS, calls_per_hour=CALLS_PER_HOUR, agents=AGENTS, semester_peak=True)
    lines = deliver(sim, duplicate_rate=0.05, shuffle=True).lines
    faults = Faults(rate=rate, seed=int(rate * 100), service_rates={"connect": 0.4})
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as patch:
        runs = {}
        for name, injected in (("clean", None), ("faulty", faults)):
            started = time.perf_counter()
            runs[name] = run_through(lines, Path(home) / name, patch, injected, MONTH_START, DISPATCH_DAYS)
            seconds[name] = round(time.perf_counter() - started, 1)
            print(f"{name} run: {seconds[name]} s", file=sys.stderr)
    try:
        assert_same_outcome(runs["clean"], runs["faulty"], faults)
        difference = None
    except AssertionError as error:
        difference = str(error)[:4000] or repr(error)
    figures = {
        "contacts": len(sim.contacts),
        "lambda_inputs": len(lines),
        "faults_injected": dict(sorted(faults.injected.items())),
        "dead_letters_redriven": runs["faulty"]["dead_letters"],
        "flow_invocations_failed": len(runs["faulty"]["failed_flows"]),
        "callbacks": len(runs["clean"]["callbacks"]),
        "calls_placed": runs["clean"]["placed"],
        "seconds": seconds,
        "same_outcome": difference is None,
        "difference": difference,
    }
    (ROOT / "bench" / "faults_month.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    return 0 if difference is None else 1


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.12))
