"""`callcenter callbacks list|dispatch` after a replay, against the embedded AWS and its simulated Connect."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cli.simulator import shapes as shapes
from tests.e2e.conftest import write_jsonl

pytestmark = pytest.mark.e2e

T0 = datetime(2026, 4, 7, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul


def _ctr(cid: str, start: datetime, reason: str, number: str, *, wait: int = 30, category: str = "bilgi") -> dict:
    enq = start + timedelta(seconds=10)
    return shapes.kinesis_event(
        shapes.ctr(
            cid,
            initiation=start,
            disconnected=enq + timedelta(seconds=wait),
            disconnect_reason=reason,
            customer_number=number,
            queue={"arn": shapes.queue_arn(), "enqueue": enq, "duration": wait},
            attributes={"category": category},
        )
    )


def test_callbacks_are_listed_and_dispatched(operator, tmp_path):
    lines = [
        _ctr("cb-drop", T0, "TELECOM_PROBLEM", "+905321000010"),
        _ctr("cb-lost-1", T0 + timedelta(minutes=1), "CUSTOMER_DISCONNECT", "+905321000011"),
        _ctr("cb-lost-2", T0 + timedelta(minutes=9), "CUSTOMER_DISCONNECT", "+905321000011"),  # same caller
        _ctr("cb-oos", T0 + timedelta(minutes=2), "CUSTOMER_DISCONNECT", "+905321000012", category="kapsam_dışı"),
        _ctr("cb-anon", T0 + timedelta(minutes=3), "TELECOM_PROBLEM", "anonymous"),
    ]
    assert operator.run("replay", str(write_jsonl(tmp_path / "cb.jsonl", lines))).returncode == 0

    listed = operator.run("callbacks", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["source_contact_id"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"cb-drop", "cb-lost-1", "cb-anon"}
    assert (rows["cb-drop"]["reason"], rows["cb-drop"]["status"]) == ("system_drop", "PENDING")
    assert rows["cb-lost-1"]["linked_contact_ids"] == ["cb-lost-2"]
    assert (rows["cb-anon"]["status"], rows["cb-anon"]["unreachable_reason"]) == ("UNREACHABLE", "anonymous")
    assert all(row["created_at"] and row["callback_id"] for row in rows.values())
    assert rows["cb-drop"]["caller"] == "+905*******10"  # masked unless asked for

    at_night = operator.run("callbacks", "dispatch", "--at", "2026-04-07T22:00+03:00")
    assert json.loads(at_night.stdout)["closed_reason"] == "after_hours"
    placed = json.loads(operator.run("callbacks", "dispatch", "--at", "2026-04-07T10:30+03:00").stdout)
    assert placed["placed"] == 2 and placed["placed_ids"][0] == rows["cb-drop"]["callback_id"]  # drops first
    again = json.loads(operator.run("callbacks", "dispatch", "--at", "2026-04-07T10:32+03:00").stdout)
    assert again["placed"] == 0  # nothing is placed twice
    dialing = json.loads(operator.run("callbacks", "list", "--format", "json", "--status", "DIALING").stdout)
    assert len(dialing) == 2 and all(row["attempts"] == 1 for row in dialing)


def test_dispatch_at_needs_an_offset(operator):
    done = operator.run("callbacks", "dispatch", "--at", "2026-04-07T10:30")
    assert done.returncode == 2 and "UTC offset" in done.stderr
