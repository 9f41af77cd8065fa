"""The contact-flow Lambda in the caller's path: median and p99 latency of one invocation through
the real handler against the embedded AWS (moto server on loopback), for a caller with a callback
and a referral on record, beside one bare DynamoDB GetItem round trip."""

from __future__ import annotations

import statistics
import time


def bench_flow_latency(invocations: int = 300) -> dict:
    from chalice.test import LambdaContext

    from chalicelib.contacts.store import ContactItem
    from chalicelib.intake.handlers import handle_contact_flow
    from cli.simulator import shapes as shapes

    context = LambdaContext("contact_flow", memory_size=512)
    handle_contact_flow(shapes.flow_invocation("warm-up"), context)
    times = []
    for i in range(invocations):
        event = shapes.flow_invocation(f"flow-{i}", attributes={"category": "bilgi"})
        started = time.perf_counter()
        answer = handle_contact_flow(event, context)
        times.append(time.perf_counter() - started)
        assert answer["error"] == "false", answer
    bare = []
    for i in range(invocations):
        started = time.perf_counter()
        ContactItem.get(f"flow-{i}")
        bare.append(time.perf_counter() - started)
    times.sort()
    return {
        "invocations": invocations,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 1),
        "bare_getitem_median_ms": round(statistics.median(bare) * 1000, 1),
        "limit_ms": 8000,
    }
