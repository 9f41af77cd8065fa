"""The three contact Lambdas, invoked through chalice's test client with AWS's published shapes,
against DynamoDB in moto (real boto3/PynamoDB calls)."""

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from chalicelib.contacts.merge import Status, merge
from chalicelib.contacts.rejections import RejectedInputItem, listening
from chalicelib.contacts.store import ContactItem, get_contact
from chalicelib.core.phones import caller_key
from cli.simulator import shapes as shapes

PUBLISHED = Path(__file__).parents[1] / "fixtures" / "published"
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul


def published(name: str) -> dict:
    return json.loads((PUBLISHED / name).read_text())


@pytest.fixture
def rejections():
    seen = []
    with listening(seen.append):
        yield seen


def record(contact_id: str):
    item = get_contact(contact_id)
    assert item is not None, f"{contact_id} was not recorded"
    return merge(item.contact_id, item.fact_list(), item.first_seen_at)


def call_inputs(cid: str, *, answered: bool = True, reason: str = "AGENT_DISCONNECT") -> list[tuple[str, dict]]:
    """One inbound call's inputs as (lambda name, payload), in the shapes AWS publishes."""
    q, a = shapes.queue_arn(), shapes.agent_arn()
    enq, conn, end = T0 + timedelta(seconds=20), T0 + timedelta(seconds=35), T0 + timedelta(minutes=4)
    agent_kw = {"agent_arn": a, "connected_to_agent": conn} if answered else {}
    ev = [
        shapes.contact_event("INITIATED", cid, initiation=T0, time=T0),
        shapes.contact_event("QUEUED", cid, initiation=T0, time=enq, queue_arn=q, enqueued=enq),
        shapes.contact_event(
            "DISCONNECTED", cid, initiation=T0, time=end, queue_arn=q, enqueued=enq, disconnected=end, **agent_kw
        ),
    ]
    if answered:
        ev.insert(
            2,
            shapes.contact_event(
                "CONNECTED_TO_AGENT", cid, initiation=T0, time=conn, queue_arn=q, enqueued=enq, **agent_kw
            ),
        )
    ctr = shapes.ctr(
        cid,
        initiation=T0,
        disconnected=end,
        disconnect_reason=reason,
        queue={"arn": q, "name": "Genel", "enqueue": enq},
        agent={"arn": a, "username": "ayse", "connected": conn, "interaction": 180, "hold": 10, "acw": 30}
        if answered
        else None,
        attributes={"category": "şikayet"},
    )
    flow = shapes.flow_invocation(cid, attributes={"category": "bilgi"})
    return [("contact_events", e) for e in ev] + [
        ("contact_trace_records", shapes.kinesis_event(ctr)),
        ("contact_flow", flow),
    ]


def test_an_answered_call_from_events_ctr_and_flow(client):
    for name, payload in call_inputs("call-1"):
        client.lambda_.invoke(name, payload)
    r = record("call-1")
    assert r.status == Status.ANSWERED and r.answered
    assert r.queue_seconds == 15 and r.handle_seconds == 220
    assert r.category == "şikayet"  # the CTR's, later than the IVR's choice
    assert r.customer_address == shapes.CUSTOMER_NUMBER
    stored = ContactItem.get("call-1")  # indexed by the number's keyed hash, never the number itself
    assert stored.caller_key == caller_key(shapes.CUSTOMER_NUMBER) and shapes.CUSTOMER_NUMBER not in stored.caller_key


def test_any_order_and_duplication_gives_the_same_item(client):
    inputs = call_inputs("call-2", answered=False, reason="CUSTOMER_DISCONNECT")
    for name, payload in inputs:
        client.lambda_.invoke(name, payload)
    reference = (ContactItem.get("call-2").facts, ContactItem.get("call-2").day, record("call-2"))
    rng = random.Random(3)
    for n in range(4):
        cid = f"call-2-{n}"
        again = call_inputs(cid, answered=False, reason="CUSTOMER_DISCONNECT")
        again = again + rng.sample(again, k=3)
        rng.shuffle(again)
        for name, payload in again:
            client.lambda_.invoke(name, payload)
        item = ContactItem.get(cid)
        assert {f.replace(cid, "call-2") for f in item.facts} == reference[0]
        assert item.day == reference[1]
        assert record(cid).status == Status.ABANDONED == reference[2].status


@pytest.mark.parametrize(
    "sample",
    [
        "event_connected_to_agent.json",
        "event_connected_to_agent_2021.json",
        "event_connected_to_agent_routing_criteria.json",
        "event_contact_data_updated.json",
        "event_disconnected.json",
        "event_routing_step_expired.json",
    ],
)
def test_every_published_event_sample_is_recorded(client, rejections, sample):
    event = published(sample)
    response = client.lambda_.invoke("contact_events", event).payload
    assert response["status"] == "recorded", rejections
    detail = {k.lower(): v for k, v in event["detail"].items()}
    r = record(detail["contactid"])
    assert r.channel == str(detail["channel"]).upper()
    assert r.initiated_at is not None  # an older sample without initiationTimestamp takes the event's time


def test_epoch_sentinel_is_not_an_agent_connection(client):
    client.lambda_.invoke("contact_events", published("event_contact_data_updated.json"))
    r = record("`the contact ID`")
    assert r.connected_to_agent_at is None and r.status == Status.IN_QUEUE


def test_published_kinesis_sample_and_flow_sample_are_accepted(client, rejections):
    response = client.lambda_.invoke("contact_trace_records", published("kinesis_event.json")).payload
    assert response == {"batchItemFailures": []}
    flow = published("flow_invocation_adminguide.json")
    flow["Details"]["ContactData"]["InitiationMethod"] = "INBOUND"  # the sample lists the choices
    answer = client.lambda_.invoke("contact_flow", flow).payload
    assert answer["error"] == "false" and all(isinstance(v, str) for v in answer.values())
    assert record(flow["Details"]["ContactData"]["ContactId"]).customer_type == "TELEPHONE_NUMBER"


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d.pop("contactId"), "contactId: Field required"),
        (lambda d: d.update(initiationTimestamp="yesterday at noon"), "initiationTimestamp"),
        # An unknown channel or initiation method is recorded (issue 13 item 7): test_values_aws_adds.py.
    ],
)
def test_bad_events_are_rejected_with_a_reason_and_kept(client, rejections, mutate, reason):
    event = shapes.contact_event("INITIATED", "bad-1", initiation=T0, time=T0)
    mutate(event["detail"])
    assert client.lambda_.invoke("contact_events", event).payload["status"] == "rejected"
    assert len(rejections) == 1 and reason in rejections[0].reason
    kept = RejectedInputItem.get(rejections[0].input_hash)
    assert kept.source == "contact-event" and json.loads(kept.payload) == event


@pytest.mark.parametrize("method", ["QUEUE_TRANSFER", "DISCONNECT", "MONITOR", "transfer"])
def test_every_documented_initiation_method_is_accepted(client, method):
    event = shapes.contact_event("INITIATED", f"m-{method}", initiation_method=method, initiation=T0, time=T0)
    assert client.lambda_.invoke("contact_events", event).payload["status"] == "recorded"
    assert record(f"m-{method}").initiation_method == method.upper()


def test_a_bad_ctr_never_blocks_the_good_ones_beside_it(client, rejections):
    good = [shapes.ctr(f"k-{i}", initiation=T0) for i in range(4)]
    bad_time = shapes.ctr("k-bad", initiation=T0)
    bad_time["InitiationTimestamp"] = "not a time"
    event = shapes.kinesis_event(*good[:2], good[0], bad_time, *good[2:], good[3], corrupt=(2,))
    response = client.lambda_.invoke("contact_trace_records", event).payload
    assert response == {"batchItemFailures": []}  # rejections are acknowledged, not retried
    assert sorted(r.reason.split(":")[0] for r in rejections) == ["contact trace record"] * 2
    assert any("InitiationTimestamp" in r.reason and r.contact_id == "k-bad" for r in rejections)
    for i in range(4):
        assert record(f"k-{i}").has_ctr


def test_a_transient_failure_is_reported_for_that_record_only(client, monkeypatch):
    from botocore.exceptions import ClientError

    from chalicelib.contacts import store

    real = store.apply_fact

    def flaky(fact, received_at, caller):
        if fact.contact_id == "t-2":
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}, "UpdateItem"
            )
        return real(fact, received_at, caller)

    monkeypatch.setattr(store, "apply_fact", flaky)
    event = shapes.kinesis_event(*(shapes.ctr(f"t-{i}", initiation=T0) for i in range(4)))
    failures = client.lambda_.invoke("contact_trace_records", event).payload["batchItemFailures"]
    assert failures == [{"itemIdentifier": event["Records"][2]["kinesis"]["sequenceNumber"]}]
    assert get_contact("t-2") is None and get_contact("t-3") is not None


@pytest.mark.parametrize(
    ("moment", "open_", "reason"),
    [
        (datetime(2026, 10, 14, 7, 0, tzinfo=UTC), "true", ""),  # Wednesday 10:00
        (datetime(2026, 10, 14, 15, 0, tzinfo=UTC), "false", "after_hours"),  # 18:00
        (datetime(2026, 10, 29, 8, 0, tzinfo=UTC), "false", "holiday"),  # Cumhuriyet Bayramı
        (datetime(2026, 10, 28, 10, 30, tzinfo=UTC), "false", "half_day_afternoon"),  # 28 Ekim 13:30
    ],
)
def test_contact_flow_answers_whether_the_centre_is_open(client, moment, open_, reason):
    with time_machine.travel(moment, tick=False):
        answer = client.lambda_.invoke("contact_flow", shapes.flow_invocation("f-1")).payload
    assert answer["centre_open"] == open_ and answer["closure_reason"] == reason
    assert answer["error"] == "false" and answer["open_callback"] == "false"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items())


def test_contact_flow_never_raises_on_bad_input_or_a_broken_table(client, monkeypatch):
    for bad in ({}, {"Details": "nope"}, [], {"Name": "ContactFlowEvent", "Details": {"ContactData": {}}}):
        answer = client.lambda_.invoke("contact_flow", bad).payload
        assert answer["error"] == "true" and answer["error_reason"] == "invalid_input"
        assert answer["centre_open"] in ("true", "false")
    ContactItem.delete_table()
    answer = client.lambda_.invoke("contact_flow", shapes.flow_invocation("f-2")).payload
    assert answer["error"] == "true" and answer["error_reason"] == "internal"
