"""The supervisor's live screen through the API (issue 16) against moto: the figures move as inputs
arrive, the work waiting is counted, thresholds raise alerts, only supervisors see it, and a refresh
reads today's partition and nothing older once the usual day is known."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import botocore.client
import pytest
import time_machine
from chalice.test import Client

from app import app
from chalicelib.adapters.connect import set_connect
from chalicelib.core.config import settings
from cli.embedded.connect import SimulatedConnect
from tests.integration.test_callbacks_api import make_callback
from tests.integration.test_workspace import call, live_call

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul
SUPERVISOR = {"X-Agent-Id": "basin", "X-Groups": "supervisors", "Content-Type": "application/json"}


@pytest.fixture
def client(aws, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    set_connect(SimulatedConnect(now=lambda: T0))
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False), Client(app, stage_name="local") as c:
        yield c
    set_connect(None)


def live(client, at: datetime | None = None) -> dict:
    path = "/live" + (f"?at={at.isoformat().replace('+', '%2B')}" if at else "")
    response = client.http.get(path, headers=SUPERVISOR)
    assert response.status_code == 200, response.json_body
    return response.json_body


def test_the_centre_now_as_calls_arrive(client):
    call(client, "answered", T0 - timedelta(minutes=40), answered=True, reason="AGENT_DISCONNECT")
    call(client, "lost", T0 - timedelta(minutes=20), answered=False, reason="CUSTOMER_DISCONNECT")
    live_call(client, "talking", T0 - timedelta(minutes=1))
    for cid in ("waiting-1", "waiting-2"):
        start = T0 + timedelta(minutes=6) if cid == "waiting-1" else T0 + timedelta(minutes=8)
        from cli.simulator import shapes

        client.lambda_.invoke("contact_events", shapes.contact_event("INITIATED", cid, initiation=start, time=start))
        enq = start + timedelta(seconds=20)
        client.lambda_.invoke(
            "contact_events",
            shapes.contact_event("QUEUED", cid, initiation=start, time=enq, queue_arn=shapes.queue_arn(), enqueued=enq),
        )
    figures = live(client)
    assert figures["at"] == "2026-10-14T10:10:00+03:00"
    assert figures["in_queue_now"] == 2
    assert figures["longest_wait_now_seconds"] == 220.0  # waiting-1 joined the queue at 10:06:20
    assert figures["today"] == {
        "inbound": 5,
        "queued": 5,
        "answered": 2,  # the finished call and the one with an agent now
        "abandoned": 1,
        "system_dropped": 0,
        "service_level": 0.4,  # both answered in 15 s, of 5 queued
        "asa_seconds": 15.0,
    }
    assert figures["callbacks"] == {"due": 1, "overdue": 0}  # the lost call's, due 5 minutes after it
    assert figures["lost_last_30_minutes"] == 1
    # The simulated Connect has no real-time data, and no agent event was recorded: nobody can tell.
    assert figures["agents"] == {"online": None, "available": None}
    assert [row["hour"] for row in figures["by_hour"]] == [9, 10]


def test_as_of_an_earlier_instant_the_later_calls_are_not_there_yet(client):
    call(client, "answered", T0 - timedelta(minutes=40), answered=True, reason="AGENT_DISCONNECT")
    call(client, "lost", T0 - timedelta(minutes=20), answered=False, reason="CUSTOMER_DISCONNECT")
    earlier = live(client, T0 - timedelta(minutes=30))
    assert earlier["today"]["inbound"] == 1 and earlier["today"]["answered"] == 1
    assert earlier["at"] == "2026-10-14T09:30:00+03:00"


def test_the_work_waiting_is_counted(client):
    make_callback("cb-due", due_at="2026-10-14T06:00:00.000Z")
    make_callback("cb-later", due_at="2026-10-14T09:00:00.000Z")
    make_callback("cb-late", status="CLAIMED", claimed_by="ayse", due_at="2026-10-13T06:00:00.000Z")
    from chalicelib.callbacks.store import CallbackItem

    CallbackItem("cb-late").update(actions=[CallbackItem.sla_due_at.set("2026-10-14T06:30:00.000Z")])
    figures = live(client)
    assert figures["callbacks"] == {"due": 1, "overdue": 1}
    assert [a["figure"] for a in figures["alerts"]] == ["callbacks_overdue"]
    body = '{"category": "headset", "severity": "high", "description": "Kulaklık bozuk"}'
    client.http.post("/incidents", headers={"X-Agent-Id": "ayse", "Content-Type": "application/json"}, body=body)
    assert live(client)["incidents_open"] == 1


def test_thresholds_are_the_supervisors_and_named_when_wrong(client):
    assert client.http.get("/live/thresholds", headers=SUPERVISOR).json_body == {
        "longest_wait_seconds": 120,
        "lost_last_30_minutes": 5,
        "callbacks_overdue": 1,
    }
    body = '{"longest_wait_seconds": 60, "lost_last_30_minutes": 1, "callbacks_overdue": 3}'
    assert client.http.put("/live/thresholds", headers=SUPERVISOR, body=body).status_code == 200
    call(client, "lost", T0 - timedelta(minutes=20), answered=False, reason="CUSTOMER_DISCONNECT")
    figures = live(client)
    assert figures["thresholds"]["lost_last_30_minutes"] == 1
    assert [(a["figure"], a["level"]) for a in figures["alerts"]] == [("lost_last_30_minutes", "warning")]
    bad = client.http.put("/live/thresholds", headers=SUPERVISOR, body='{"longest_wait_seconds": 0}')
    assert bad.status_code == 400 and bad.json_body["field"] == "longest_wait_seconds"
    agent = client.http.get("/live", headers={"X-Agent-Id": "ayse"})
    assert agent.status_code == 403


def test_a_bad_instant_is_named(client):
    response = client.http.get("/live?at=2026-10-14T10:00:00", headers=SUPERVISOR)  # no offset
    assert response.status_code == 400 and response.json_body["field"] == "at"


def test_a_refresh_reads_todays_partition_and_the_usual_day_only_once(client, monkeypatch):
    call(client, "answered", T0 - timedelta(minutes=40), answered=True, reason="AGENT_DISCONNECT")
    queried: list[str] = []
    agent_days: list[str] = []
    operations: Counter = Counter()
    original = botocore.client.BaseClient._make_api_call
    tables = settings()

    def record(self, name, params):
        operations[name] += 1
        if name == "Query" and params.get("IndexName") == "by_day":
            queried.append(params["ExpressionAttributeValues"][":0"]["S"])
        if name == "Query" and params["TableName"] == tables.agent_activity_table:
            agent_days.append(params["ExpressionAttributeValues"][":0"]["S"])
        return original(self, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", record)
    live(client)
    assert queried == ["2026-10-14", "2026-10-07", "2026-09-30", "2026-09-23", "2026-09-16"]  # the usual day, once
    queried.clear()
    agent_days.clear()
    operations.clear()
    live(client)
    assert queried == ["2026-10-14"]
    # The agents, from the agent events' records: the day and the day before, then (none there) whether
    # the stream recorded anyone in the week before, one key-only item a day at most.
    assert agent_days == ["2026-10-13", "2026-10-14", *(f"2026-10-{d:02}" for d in range(7, 13))]
    assert "Scan" not in operations
    assert sum(operations.values()) <= 21, operations


def test_agents_online_and_available_come_from_the_agent_events_when_connect_cannot_tell(client):
    from cli.simulator import shapes

    def event(agent: str, kind: str, minutes: float, status=("Available", "ROUTABLE"), contacts=()) -> dict:
        at = T0 + timedelta(minutes=minutes)
        listed = [shapes.agent_contact("c-1", state, at) for state in contacts]
        snapshot = shapes.agent_snapshot(agent, shapes.agent_status(*status, at), listed)
        return shapes.agent_event(kind, f"id-{agent}", at, snapshot, snapshot)

    beats = [event(a, "HEART_BEAT", m) for a in ("ayse", "mehmet") for m in range(-28, 8, 2)]
    batch = [
        event("ayse", "LOGIN", -30, ("Offline", "OFFLINE")),
        event("mehmet", "LOGIN", -30, ("Offline", "OFFLINE")),
        event("deniz", "LOGIN", -60, ("Offline", "OFFLINE")),
        event("deniz", "LOGOUT", -40, ("Offline", "OFFLINE")),
        *beats,
        event("mehmet", "STATE_CHANGE", 8, contacts=("CONNECTED",)),
        event("ayse", "STATE_CHANGE", 9, ("Mola", "CUSTOM")),
        event("mehmet", "HEART_BEAT", 10, contacts=("CONNECTED",)),
        event("ayse", "HEART_BEAT", 11, ("Mola", "CUSTOM")),
    ]
    assert client.lambda_.invoke("agent_events", shapes.kinesis_event(*batch)).payload == {"batchItemFailures": []}
    assert live(client)["agents"] == {"online": 2, "available": 0}  # one on a call, one on a break
    assert live(client, T0)["agents"] == {"online": 2, "available": 2}  # as the records stood then
    assert live(client, T0 - timedelta(minutes=59))["agents"] == {"online": 1, "available": 0}  # deniz, Offline
    # Known then: deniz's login and nothing for 10 minutes; Connect would have sent heartbeats, so gone.
    assert live(client, T0 - timedelta(minutes=50))["agents"] == {"online": 0, "available": 0}
    # A day with no agent event at all (a closed day, a weekend) after days that had some: nobody is in.
    assert live(client, T0 + timedelta(days=2))["agents"] == {"online": 0, "available": 0}
    # More than a week after the last one, the records can no longer tell.
    assert live(client, T0 + timedelta(days=9))["agents"] == {"online": None, "available": None}
