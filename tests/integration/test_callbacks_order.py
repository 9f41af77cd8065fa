"""A caller's later lost call folded into their open callback, then an earlier answered call of theirs
arriving late (replays and Kinesis shards interleave): the answered call cancels the first lost call's
callback, but the later lost call still needs one. Whatever the order, the caller is called back once."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from chalicelib.callbacks.raising import GOT_THROUGH
from chalicelib.callbacks.rules import Status
from chalicelib.contacts import store as contact_store
from tests.integration.test_callbacks import T0, call, callbacks


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))


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
