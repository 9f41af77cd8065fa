"""A caller's later lost call folded into their open callback, then an earlier answered call of theirs
arriving late (replays and Kinesis shards interleave): the answered call cancels the first lost call's
callback, but the later lost call still needs one. Whatever the order, the caller is called back once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.callbacks.raising import GOT_THROUGH
from chalicelib.callbacks.rules import Status
from chalicelib.contacts import store as contact_store
from tests.integration.test_callbacks import T0, call, callbacks


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))


FRIDAY_EVENING = datetime(2026, 10, 16, 17, 0, tzinfo=UTC)  # Friday 20:00 in Istanbul: closed
MONDAY = datetime(2026, 10, 19, 7, 0, tzinfo=UTC)  # Monday 10:00

CALLS = {
    "lost-first": dict(start=T0, wait=40),
    "got-through": dict(start=T0 + timedelta(hours=1), answered=True, reason="AGENT_DISCONNECT"),
    "lost-later": dict(start=T0 + timedelta(hours=2), wait=40),
}


@pytest.mark.parametrize("asked", [False, True], ids=["abandoned", "asked"])
@pytest.mark.parametrize("order", list(itertools.permutations(CALLS)), ids="→".join)
def test_a_lost_call_after_the_caller_got_through_is_called_back_whatever_the_order(client, order, asked):
    for cid in order:
        kw = dict(CALLS[cid]) | ({"asked": True} if cid == "lost-later" and asked else {})
        call(client, cid, kw.pop("start"), **kw)
    pending = [c for c in callbacks() if c.status == Status.PENDING]
    assert len(pending) == 1, [(c.source_contact_id, c.status, c.close_reason) for c in callbacks()]
    # It is the later lost call's own, raised at its end; the first one's, if raised, was cancelled.
    assert (pending[0].source_contact_id, pending[0].raised_at) == ("lost-later", "2026-10-14T09:00:50.000Z")
    assert pending[0].reason == ("requested" if asked else "abandoned")
    assert {(c.source_contact_id, c.close_reason) for c in callbacks() if c.status != Status.PENDING} <= {
        ("lost-first", GOT_THROUGH)
    }
    assert contact_store.get_contact("lost-later").callback.startswith(f"own|{pending[0].callback_id}|")


def test_a_cancelled_request_still_takes_its_calls_own_time_from_a_late_trace_record(client):
    """Asked in the closed centre's flow (no time of its own: first heard of at the flow's invocation), the
    caller got through on Monday, and only then the trace record came: the callback, cancelled, is dated by
    the call's end all the same, as it is when the trace record comes first."""
    from tests.integration.test_callbacks_out_of_hours import ask_when_closed, closed_call_record

    ask_when_closed(client, "asked-friday", at=FRIDAY_EVENING)
    call(client, "monday", MONDAY, answered=True, reason="AGENT_DISCONNECT")
    [item] = [c for c in callbacks() if c.source_contact_id == "asked-friday"]
    assert (item.status, item.close_reason) == (Status.CANCELLED, GOT_THROUGH)
    closed_call_record(client, "asked-friday", at=FRIDAY_EVENING + timedelta(minutes=3))  # ended 17:03:15 UTC
    closed_call_record(client, "asked-friday", at=FRIDAY_EVENING + timedelta(minutes=3))  # redelivered
    [item] = [c for c in callbacks() if c.source_contact_id == "asked-friday"]
    assert (item.status, item.raised_at, item.raised_month) == (Status.CANCELLED, "2026-10-16T17:03:15.000Z", "2026-10")
