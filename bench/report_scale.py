"""Benchmark: the monthly report at 10,000 and 100,000 contacts (issue 5), against a bare query.

Loads synthetic contacts (a CTR and two events each, the shapes the handlers store) straight into
DynamoDB (moto, in process), then measures, for each size:
- build: `records_of_month` + `assemble_report` (read by Istanbul day, merge, aggregate) — time,
  peak Python memory (tracemalloc; in process this includes moto's own), items and bytes read;
- aggregation_peak_mb: the same merge and aggregation over a stream of records with no AWS at all
  (what the report code itself holds);
- bare: the same paginated GSI queries, counting items and nothing else.
The ratio build/bare is the figure to watch; absolute times drift with the machine.
Run: .venv/bin/python bench/report_scale.py [sizes…]   (prints a table, writes bench/report_scale.json)
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "POWERTOOLS_LOG_LEVEL": "CRITICAL",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
ZONE = ZoneInfo("Europe/Istanbul")


def _facts(i: int, rng: random.Random) -> tuple[str, set[str], str]:
    from chalicelib.contacts.facts import Fact
    from chalicelib.core.times import iso

    start = datetime(2026, 10, 1, 5, 30, tzinfo=UTC) + timedelta(days=rng.randrange(31), seconds=rng.randrange(32400))
    enq, wait = start + timedelta(seconds=15), rng.randrange(1, 90)
    answered = rng.random() < 0.9
    conn = enq + timedelta(seconds=wait) if answered else None
    end = (conn + timedelta(seconds=200)) if conn else enq + timedelta(seconds=wait)
    cid = f"scale-{i:06d}"
    base = {"contact_id": cid, "channel": "VOICE", "initiation_method": "INBOUND", "initiated_at": iso(start)}
    ctr = Fact(
        source="ctr",
        at=iso(end + timedelta(seconds=60)),
        enqueued_at=iso(enq),
        queue_seconds=wait,
        connected_to_agent_at=iso(conn) if conn else None,
        agent_username=f"temsilci{i % 5}" if conn else None,
        interaction_seconds=180 if conn else None,
        hold_seconds=0 if conn else None,
        acw_seconds=20 if conn else None,
        disconnected_at=iso(end),
        disconnect_reason="AGENT_DISCONNECT" if conn else "CUSTOMER_DISCONNECT",
        category=rng.choice(["bilgi", "işlem", "başvuru", "şikayet"]),
        customer_address=f"+9055{rng.randrange(10**8):08d}",
        customer_type="TELEPHONE_NUMBER",
        **base,
    )
    queued = Fact(source="event:QUEUED", at=iso(enq), enqueued_at=iso(enq), **base)
    gone = Fact(source="event:DISCONNECTED", at=iso(end), enqueued_at=iso(enq), disconnected_at=iso(end), **base)
    day = start.astimezone(ZONE).date().isoformat()
    return cid, {f.to_json() for f in (ctr, queued, gone)}, day


def load(n: int) -> None:
    from chalicelib.contacts.store import ContactItem

    rng = random.Random(n)
    with ContactItem.batch_write() as batch:
        for i in range(n):
            cid, facts, day = _facts(i, rng)
            batch.save(ContactItem(cid, facts=facts, day=day, first_seen_at="2026-10-01T00:00:00+00:00"))


def measure(n: int) -> dict:
    from chalicelib.contacts.store import ContactItem
    from chalicelib.core.times import month_bounds
    from chalicelib.reports.monthly import assemble_report, records_of_month

    read = {"items": 0, "bytes": 0}

    def on_response(parsed=None, **_):
        for item in (parsed or {}).get("Items", []):
            read["items"] += 1
            read["bytes"] += sum(len(v) for v in item.get("facts", {}).get("SS", []))

    client = ContactItem._get_connection().connection.client
    client.meta.events.register("after-call.dynamodb.Query", on_response)
    started = time.perf_counter()
    report = assemble_report("2026-10", records_of_month("2026-10"), [], {"month": "2026-09"})
    build_seconds = time.perf_counter() - started
    built = dict(read)
    tracemalloc.start()  # a second build, traced: tracemalloc slows what it watches
    assemble_report("2026-10", records_of_month("2026-10"), [], {"month": "2026-09"})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    read.update(items=0, bytes=0)
    first, last = month_bounds("2026-10")
    started = time.perf_counter()
    day = first
    while day <= last + timedelta(days=8):
        for _ in ContactItem.by_day.query(day.isoformat()):
            pass
        day += timedelta(days=1)
    bare_seconds = time.perf_counter() - started
    client.meta.events.unregister("after-call.dynamodb.Query", on_response)
    assert report["contacts"]["total"] == n, report["contacts"]["total"]
    return {
        "contacts": n,
        "build_seconds": round(build_seconds, 2),
        "bare_query_seconds": round(bare_seconds, 2),
        "ratio_to_bare": round(build_seconds / bare_seconds, 2),
        "peak_memory_mb": round(peak / 2**20, 1),
        "items_read": built["items"],
        "fact_bytes_read": built["bytes"],
    }


def aggregation_memory(n: int) -> float:
    """Peak Python memory (MB) of merging and aggregating `n` contacts streamed without any AWS.

    The in-process moto's own allocations (it scans its table for every query) would otherwise
    swamp the figure; this isolates what the report code itself holds.
    """
    from chalicelib.contacts.facts import Fact
    from chalicelib.contacts.merge import merge
    from chalicelib.reports.monthly import assemble_report

    rng = random.Random(n)

    def records(count: int):
        for i in range(count):
            cid, facts, _day = _facts(i, rng)
            yield merge(cid, [Fact.from_json(text) for text in facts], None)

    assemble_report("2026-10", records(50), [], {"month": "2026-09"})  # warm: caches, holiday tables
    tracemalloc.start()
    assemble_report("2026-10", records(n), [], {"month": "2026-09"})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 2)


def main() -> None:
    from moto import mock_aws

    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    results = []
    for n in sizes:
        with mock_aws():
            from chalicelib.tables import all_models

            for model in all_models():
                model._connection = None
                model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            t = time.perf_counter()
            load(n)
            loaded = time.perf_counter() - t
            row = measure(n)
            row["load_seconds"] = round(loaded, 1)
            row["aggregation_peak_mb"] = aggregation_memory(n)
            results.append(row)
            print(json.dumps(row))
    (ROOT / "bench" / "report_scale.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
