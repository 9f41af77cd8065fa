"""Benchmarks (`make bench`): figures printed as a table and written to bench/results.json.

Measured as ratios within one run against a baseline on the same machine, because absolute
times on shared machines drift. Never a timed test.

1. Ingest: inputs/s through the real handlers against the embedded AWS (moto server on
   loopback), beside bare PynamoDB UpdateItems of the same items; DynamoDB requests per input,
   counted with botocore's event hooks.
2. The contact-flow Lambda: median and p99 latency against the embedded AWS (bench/flow_latency.py).
3. Cold start: importing the app beside its dependencies alone, 10 fresh interpreters (bench/cold_start.py).
4. The deployment package from `chalice package`: size and what dominates it (bench/package_size.py).
The monthly report at 10,000 / 100,000 contacts is bench/report_scale.py (`make bench` runs it too).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


WRITES = frozenset({"UpdateItem", "PutItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _inputs(n_contacts: int) -> list[dict]:
    from cli.simulator import shapes as s

    t0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)
    lines = []
    for i in range(n_contacts):
        cid, start = f"bench-{i}", t0 + timedelta(seconds=30 * i)
        enq, conn = start + timedelta(seconds=20), start + timedelta(seconds=35)
        end = conn + timedelta(minutes=3)
        q, a = s.queue_arn(), s.agent_arn()
        lines += [
            s.flow_invocation(cid, attributes={"category": "bilgi"}),
            s.contact_event("INITIATED", cid, initiation=start, time=start),
            s.contact_event("QUEUED", cid, initiation=start, time=enq, queue_arn=q, enqueued=enq),
            s.contact_event(
                "CONNECTED_TO_AGENT",
                cid,
                initiation=start,
                time=conn,
                queue_arn=q,
                enqueued=enq,
                agent_arn=a,
                connected_to_agent=conn,
            ),
            s.contact_event(
                "DISCONNECTED",
                cid,
                initiation=start,
                time=end,
                queue_arn=q,
                enqueued=enq,
                agent_arn=a,
                connected_to_agent=conn,
                disconnected=end,
            ),
            s.kinesis_event(
                s.ctr(
                    cid,
                    initiation=start,
                    disconnected=end,
                    queue={"arn": q, "enqueue": enq},
                    agent={"arn": a, "connected": conn, "interaction": 150, "hold": 0, "acw": 20},
                )
            ),
        ]
    return lines


def bench_ingest(n_contacts: int = 200) -> dict:
    from cli.embedded import aws as embedded

    endpoint = embedded.start(_free_port())
    try:
        os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        from chalicelib.contacts.facts import Fact
        from chalicelib.contacts.store import apply_fact
        from cli.replay.replayer import Replayer, input_kind

        requests = {"n": 0, "writes": 0}

        def count(model=None, **_):
            requests["n"] += 1
            requests["writes"] += model.name in WRITES

        from chalicelib.adapters.dynamo import _thread_session
        from chalicelib.tables import all_models

        # Every DynamoDB request any model makes (one botocore session serves them all).
        _thread_session().register("before-call.dynamodb", count)
        for model in all_models():
            model._connection = None
        replayer = Replayer()
        lines = _inputs(n_contacts)
        started = time.perf_counter()
        by_kind: dict[str, list[int]] = {}
        for no, line in enumerate(lines, 1):
            before = requests["n"]
            replayer.replay_input(no, line)
            by_kind.setdefault(input_kind(line), []).append(requests["n"] - before)
        writes = requests["writes"]
        handler_seconds = time.perf_counter() - started
        handler_requests = requests["n"]

        # Baseline: the same number of bare UpdateItems (one fact each), no parsing, no merge.
        facts = [
            Fact(
                contact_id=f"bare-{i}",
                source="ctr",
                at="2026-10-14T06:00:00.000Z",
                initiated_at="2026-10-14T06:00:00.000Z",
            )
            for i in range(len(lines))
        ]
        now = datetime.now(UTC)
        started = time.perf_counter()
        for fact in facts:
            apply_fact(fact, now, None)
        bare_seconds = time.perf_counter() - started
        assert replayer.stats.ok, replayer.stats.problems[:3]
        return {
            "endpoint": endpoint,
            "inputs": len(lines),
            "handler_inputs_per_s": round(len(lines) / handler_seconds, 1),
            "bare_writes_per_s": round(len(lines) / bare_seconds, 1),
            "ratio_to_bare": round(bare_seconds / handler_seconds, 3),
            "dynamodb_requests_per_input": round(handler_requests / len(lines), 3),
            # Target: one write per input (no read-before-write); plus the heartbeat, once a minute.
            "dynamodb_writes_per_input": round(writes / len(lines), 3),
            # An event or a CTR is one write; a flow invocation also answers the caller (a callback
            # marker read, a referrals-by-caller query) and a contact's first input may write the heartbeat.
            "dynamodb_requests_per_input_by_kind": {
                kind: round(sum(counts) / len(counts), 2) for kind, counts in sorted(by_kind.items())
            },
        }
    finally:
        embedded.stop()


def bench_flow(invocations: int = 300) -> dict:
    from bench.flow_latency import bench_flow_latency
    from cli.embedded import aws as embedded

    endpoint = embedded.start(_free_port())
    try:
        return bench_flow_latency(invocations) | {"endpoint": endpoint}
    finally:
        embedded.stop()


def main() -> None:
    from bench.cold_start import bench_cold_start
    from bench.package_size import bench_package_size

    os.environ.setdefault("CALLCENTER_HOME", tempfile.mkdtemp(prefix="cagri-bench-"))
    results = {
        "ingest": bench_ingest(),
        "contact_flow": bench_flow(),
        "cold_start": bench_cold_start(),
        "package": bench_package_size(),
    }
    for name, figures in results.items():
        print(f"\n{name}")
        for key, value in figures.items():
            print(f"  {key:32} {value}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
