"""Benchmarks (`make bench`): figures printed as a table and written to bench/results.json.

Measured as ratios within one run against a baseline on the same machine, because absolute
times on shared machines drift. Never a timed test.

1. Ingest: inputs/s through the real handlers against the embedded AWS (moto server on
   loopback), beside bare PynamoDB UpdateItems of the same items; DynamoDB requests per input,
   counted with botocore's event hooks.
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _inputs(n_contacts: int) -> list[dict]:
    from cli import connect_shapes as s

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
    from cli import embedded

    endpoint = embedded.start(_free_port())
    try:
        os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        from chalicelib.contacts.facts import Fact
        from chalicelib.contacts.store import ContactItem, apply_fact
        from cli.replay import Replayer

        requests = {"n": 0}

        def count(**_):
            requests["n"] += 1

        replayer = Replayer()
        ContactItem._get_connection().connection.client.meta.events.register("before-call.dynamodb.*", count)
        lines = _inputs(n_contacts)
        started = time.perf_counter()
        for no, line in enumerate(lines, 1):
            replayer.replay_input(no, line)
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
        }
    finally:
        embedded.stop()


def main() -> None:
    os.environ.setdefault("CALLCENTER_HOME", tempfile.mkdtemp(prefix="cagri-bench-"))
    results = {"ingest": bench_ingest()}
    for name, figures in results.items():
        print(f"\n{name}")
        for key, value in figures.items():
            print(f"  {key:32} {value}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
