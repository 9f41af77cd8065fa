"""What one refresh of the supervisor's live screen costs (issue 16): DynamoDB requests and latency at a
400-contact day, against the embedded AWS (moto's server on loopback). The console polls every 15 s.

A day of the simulated centre's traffic (about 400 contacts, the start-of-term peak's rate) is replayed
through the handlers; then `live_figures` runs as GET /live runs it: the first refresh of the day (which
also works out the usual day from the four same weekdays before), then 30 more. Each refresh's requests
are counted with botocore's event hooks; times are wall-clock against moto, which answers a Query far
slower than DynamoDB does, so the request counts are the figure to carry over.

    .venv/bin/python bench/live_refresh.py          # prints the figures, writes bench/live_refresh.json
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DAY = date(2026, 10, 7)  # a Wednesday of the first weeks of term
REFRESHES = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> dict:
    os.environ.setdefault("CALLCENTER_HOME", tempfile.mkdtemp(prefix="cagri-bench-"))
    os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    from cli.embedded import aws as embedded

    embedded.start(_free_port())
    try:
        from chalicelib.adapters.dynamo import _thread_session
        from chalicelib.core.config import settings
        from chalicelib.live.service import live_figures
        from chalicelib.tables import all_models
        from cli.embedded.connect import SimulatedConnect
        from cli.replay.replayer import Replayer
        from cli.simulator.traffic import simulate

        requests: Counter = Counter()
        # Clients copy the session's hooks when they are made: register first, then drop every connection.
        _thread_session().register("before-call.dynamodb", lambda model=None, **_: requests.update([model.name]))
        for model in all_models():
            model._connection = None
        sim = simulate(DAY, 1, seed=5, calls_per_hour=20, agents=4, semester_peak=True)
        replayer = Replayer()
        for no, item in enumerate(sim.inputs, 1):
            replayer.replay_input(no, item.payload)
        contacts = len(sim.contacts)

        at = datetime(2026, 10, 7, 11, 0, tzinfo=UTC)  # 14:00 in Istanbul
        connect, cfg = SimulatedConnect(now=lambda: at), settings()

        def refresh() -> tuple[float, Counter]:
            requests.clear()
            started = time.perf_counter()
            live_figures(at, cfg, connect, at)
            return time.perf_counter() - started, Counter(requests)

        first_seconds, first = refresh()
        timings, counts = [], Counter()
        for _ in range(REFRESHES):
            seconds, made = refresh()
            timings.append(seconds)
            counts = made
        results = {
            "contacts_that_day": contacts,
            "first_refresh_of_the_day": {"dynamodb_requests": dict(first), "seconds": round(first_seconds, 3)},
            "refresh": {
                "dynamodb_requests": sum(counts.values()),
                "by_operation": dict(counts),
                "median_seconds_on_moto": round(statistics.median(timings), 3),
                "p95_seconds_on_moto": round(sorted(timings)[int(0.95 * len(timings)) - 1], 3),
            },
        }
    finally:
        embedded.stop()
    print(json.dumps(results, indent=2))
    (ROOT / "bench" / "live_refresh.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
