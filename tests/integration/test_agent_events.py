"""The `agent_events` Lambda through chalice's test client against DynamoDB in moto: a Kinesis batch of
agent events is stored as each agent's day in one write per agent and day, a redelivered batch changes
nothing, a record that cannot be an agent event is kept for review without blocking the batch, and a
write that fails sends back exactly the records it carried."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pynamodb.exceptions import UpdateError

from chalicelib.activity import store
from chalicelib.activity.store import AgentDayItem, facts_between
from chalicelib.contacts.rejections import RejectedInputItem, listening
from cli.simulator import shapes
from tests.integration.conftest import dynamodb_operations, recording

T0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)  # Wednesday 09:00 in Istanbul
AGENTS = ("aaaaaaaa-bbbb-cccc-dddd-100000000001", "aaaaaaaa-bbbb-cccc-dddd-100000000002")


def agent_event(agent: str, kind: str, at: datetime, status=("Available", "ROUTABLE"), username="temsilci1") -> dict:
    snapshot = shapes.agent_snapshot(username, shapes.agent_status(*status, at), first_name="Ayşe", last_name="Yılmaz")
    return shapes.agent_event(kind, agent, at, snapshot, snapshot)


def day_events() -> list[dict]:
    """Two agents' morning, and one event of the next day (filed under it)."""
    events = []
    for n, agent in enumerate(AGENTS):
        name = f"temsilci{n + 1}"
        events.append(agent_event(agent, "LOGIN", T0, ("Offline", "OFFLINE"), name))
        events += [agent_event(agent, "HEART_BEAT", T0 + timedelta(minutes=2 * k), username=name) for k in range(1, 5)]
    events.append(agent_event(AGENTS[0], "HEART_BEAT", T0 + timedelta(hours=20)))
    return events


def test_a_batch_is_one_write_per_agent_and_day_and_a_redelivery_changes_nothing(client):
    batch = shapes.kinesis_event(*day_events())
    calls: list = []
    with recording(calls):
        response = client.lambda_.invoke("agent_events", batch).payload
    assert response == {"batchItemFailures": []}
    writes = [p for service, op, p in calls if service == "dynamodb" and op == "UpdateItem"]
    assert len(writes) == 3  # two agents on the 14th, one on the 15th
    assert dynamodb_operations(calls) == {"UpdateItem"}
    before = {(item.day, item.agent): set(item.facts) for item in AgentDayItem.scan()}
    assert {day for day, _ in before} == {"2026-10-14", "2026-10-15"}
    assert len(before[("2026-10-14", AGENTS[0])]) == 5
    assert client.lambda_.invoke("agent_events", shapes.kinesis_event(*reversed(day_events()))).payload == {
        "batchItemFailures": []
    }
    assert {(item.day, item.agent): set(item.facts) for item in AgentDayItem.scan()} == before
    stored = " ".join(text for facts in before.values() for text in facts)
    assert "Ayşe" not in stored and "Yılmaz" not in stored and "temsilci1" in stored  # only the username


def test_a_record_that_is_no_agent_event_is_kept_for_review_and_the_others_go_through(client):
    events = day_events()[:3]
    broken = dict(events[1])
    del broken["EventTimestamp"]
    seen = []
    with listening(seen.append):
        response = client.lambda_.invoke("agent_events", shapes.kinesis_event(events[0], broken, events[2])).payload
    assert response == {"batchItemFailures": []}  # acknowledged: retrying would fail the same way
    assert [r.reason for r in seen] == ["agent event: EventTimestamp is missing or not an ISO 8601 time"]
    assert RejectedInputItem.get(seen[0].input_hash).source == "agent-event"
    assert len(AgentDayItem.get("2026-10-14", AGENTS[0]).facts) == 2
    corrupt = shapes.kinesis_event(*events, corrupt=(0, 1))
    assert client.lambda_.invoke("agent_events", corrupt).payload == {"batchItemFailures": []}


def test_a_failed_write_sends_back_the_records_it_carried_and_only_those(client, monkeypatch):
    batch = shapes.kinesis_event(*day_events())
    original = store.add_facts

    def flaky(agent, day, facts):
        if agent == AGENTS[1]:
            raise UpdateError("injected: throttled")
        original(agent, day, facts)

    monkeypatch.setattr(store, "add_facts", flaky)
    response = client.lambda_.invoke("agent_events", batch).payload
    expected = [r["kinesis"]["sequenceNumber"] for r in batch["Records"][5:10]]
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == expected
    monkeypatch.setattr(store, "add_facts", original)
    retried = {**batch, "Records": [r for r in batch["Records"] if r["kinesis"]["sequenceNumber"] in expected]}
    assert client.lambda_.invoke("agent_events", retried).payload == {"batchItemFailures": []}
    assert len(AgentDayItem.get("2026-10-14", AGENTS[1]).facts) == 5


def test_the_days_are_read_back_by_istanbul_date_and_expired_ones_are_skipped(client):
    client.lambda_.invoke("agent_events", shapes.kinesis_event(*day_events()))
    read = facts_between(date(2026, 10, 14), date(2026, 10, 14), T0)
    assert sorted(read) == sorted(AGENTS) and len(read[AGENTS[0]]) == 5
    assert len(facts_between(date(2026, 10, 13), date(2026, 10, 15), T0)[AGENTS[0]]) == 6
    later = T0 + timedelta(days=400)  # past `personal_data_days`: TTL would remove them
    assert facts_between(date(2026, 10, 14), date(2026, 10, 15), later) == {}
