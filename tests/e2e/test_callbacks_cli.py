"""`callcenter callbacks list|dispatch` after a replay, against the embedded AWS and its simulated Connect."""

from __future__ import annotations

import base64
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


def _closed_call(cid: str, at: datetime, number: str | None) -> list[dict]:
    """A call in the closed centre's flow whose caller pressed 1 for "call me back when you open": the flow
    marks the contact, its Lambda block records the request, the call's trace record follows."""
    asked = {"callback_requested": "true", "callback_out_of_hours": "true"}
    flow = shapes.flow_invocation(
        cid, customer_number=number, attributes=asked, parameters={"action": "request_callback"}
    )
    ctr = shapes.ctr(
        cid,
        initiation=at,
        disconnected=at + timedelta(seconds=35),
        disconnect_reason="CONTACT_FLOW_DISCONNECT",
        customer_number=number,
        attributes=asked,
    )
    return [flow, shapes.kinesis_event(ctr)]


def test_a_request_made_out_of_hours_is_rung_at_the_opening_right_after_the_system_drops(operator, tmp_path):
    friday = datetime(2026, 5, 8, 13, 0, tzinfo=UTC)  # Friday 16:00 in Istanbul
    asked_in_queue = _ctr("ooh-asked", friday + timedelta(minutes=20), "CONTACT_FLOW_DISCONNECT", "+905321000022")
    data = json.loads(base64.b64decode(asked_in_queue["Records"][0]["kinesis"]["data"]))
    data["Attributes"]["callback_requested"] = "true"
    lines = [
        _ctr("ooh-drop", friday + timedelta(minutes=40), "TELECOM_PROBLEM", "+905321000020"),
        _ctr("ooh-lost", friday, "CUSTOMER_DISCONNECT", "+905321000021"),
        shapes.kinesis_event(data),
        *_closed_call("ooh-closed", friday + timedelta(hours=4), "+905321000023"),  # Friday 20:00
        *_closed_call("ooh-anon", friday + timedelta(hours=5), None),  # a withheld number
    ]
    done = operator.run("replay", str(write_jsonl(tmp_path / "ooh.jsonl", lines)))
    assert done.returncode == 0, done.stderr

    rows = {r["source_contact_id"]: r for r in json.loads(operator.run("callbacks", "list", "--format", "json").stdout)}
    closed, anon = rows["ooh-closed"], rows["ooh-anon"]
    assert (closed["reason"], closed["status"], closed["out_of_hours"]) == ("requested", "PENDING", True)
    assert (anon["reason"], anon["status"], anon["unreachable_reason"]) == ("requested", "UNREACHABLE", "anonymous")
    assert rows["ooh-asked"]["out_of_hours"] is False and rows["ooh-drop"]["out_of_hours"] is False

    weekend = json.loads(operator.run("callbacks", "dispatch", "--at", "2026-05-09T10:00+03:00").stdout)
    assert weekend["closed_reason"] == "weekend" and weekend["placed"] == 0
    monday = json.loads(operator.run("callbacks", "dispatch", "--at", "2026-05-11T08:30+03:00").stdout)
    ids = {cid: rows[cid]["callback_id"] for cid in ("ooh-drop", "ooh-closed", "ooh-asked", "ooh-lost")}
    assert monday["placed_ids"] == list(ids.values())  # drops, then out of hours, then the other requests, then lost

    report = operator.report("2026-05")["callbacks"]
    assert report["by_reason"] == {"abandoned": 1, "requested": 3, "system_drop": 1}
    assert report["requested_out_of_hours"] == 2  # counted apart, the withheld number among them


def test_dispatch_at_needs_an_offset(operator):
    done = operator.run("callbacks", "dispatch", "--at", "2026-04-07T10:30")
    assert done.returncode == 2 and "UTC offset" in done.stderr
