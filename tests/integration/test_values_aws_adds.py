"""Issue 13 item 7 (docs/figures.md, "Values AWS adds"): a channel, initiation method, disconnect reason, event type,
queue type or field AWS adds tomorrow is recorded as it is and counted under its own name; only VOICE +
INBOUND is a call. Through the three real handlers (chalice's test client, DynamoDB in moto) and the report."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.contacts.merge import Status, merge
from chalicelib.contacts.rejections import listening
from chalicelib.contacts.store import ContactItem, get_contact
from chalicelib.contacts.vocabulary import UNRECOGNISED
from chalicelib.core.observability import logger
from chalicelib.reports.monthly import build_report
from cli.simulator import shapes as shapes

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul
MONTH = "2026-10"
Q, A = shapes.queue_arn(), shapes.agent_arn()
SMS = {"connect:Subtype": {"ValueString": "connect:SMS"}}


@pytest.fixture
def rejections():
    seen = []
    with listening(seen.append):
        yield seen


@pytest.fixture
def log_lines():
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    python_logger = logging.getLogger(logger.name)
    python_logger.addHandler(handler)
    level = python_logger.level
    logger.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    python_logger.removeHandler(handler)
    logger.setLevel(level)


def record(contact_id: str):
    item = get_contact(contact_id)
    assert item is not None, f"{contact_id} was not recorded"
    return merge(item.contact_id, item.fact_list(), item.first_seen_at)


def send_ctr(client, ctr: dict) -> None:
    assert client.lambda_.invoke("contact_trace_records", shapes.kinesis_event(ctr)).payload == {
        "batchItemFailures": []
    }


def send_event(client, event: dict) -> None:
    assert client.lambda_.invoke("contact_events", event).payload["status"] == "recorded"


def test_a_new_channel_is_a_contact_under_its_own_name_not_a_call(client, rejections):
    send_ctr(client, shapes.ctr("new-channel", channel="EMAIL_V2", initiation=T0, disconnect_reason="TRANSFERRED"))
    send_event(client, shapes.contact_event("INITIATED", "new-channel", channel="email_v2", initiation=T0))
    assert rejections == [] and record("new-channel").channel == "EMAIL_V2"
    report = build_report(MONTH)
    assert report["contacts"]["by_channel"] == {"EMAIL_V2": 1}
    assert report["contacts"]["by_initiation_method"] == {"INBOUND": 1}
    assert report["calls"]["inbound"] == 0 and report["by_category"] == {"unclassified": 1}


def test_a_new_method_on_a_voice_contact_is_a_contact_not_a_call(client, rejections):
    method = "CUSTOMER_FIRST_CALLBACK"
    end = T0 + timedelta(minutes=3)
    queue = {"arn": Q, "enqueue": T0 + timedelta(seconds=5)}
    agent = {"arn": A, "connected": T0 + timedelta(seconds=20)}
    send_ctr(client, shapes.ctr("new-method", initiation_method=method, initiation=T0, queue=queue, agent=agent))
    send_event(
        client,
        shapes.contact_event("DISCONNECTED", "new-method", initiation_method=method, initiation=T0, disconnected=end),
    )
    flow = shapes.flow_invocation("new-method", initiation_method=method)
    assert client.lambda_.invoke("contact_flow", flow).payload["error"] == "false"
    assert rejections == []
    report = build_report(MONTH)
    assert report["contacts"]["by_initiation_method"] == {method: 1}
    assert report["contacts"]["by_channel"] == {"VOICE": 1}
    assert (report["calls"]["inbound"], report["calls"]["answered"]) == (0, 0)
    assert report["by_category"] == {}  # categories are counted over INBOUND contacts


def test_a_new_disconnect_reason_on_a_queued_call_no_agent_took_is_another_queue_exit(client):
    enq, end = T0 + timedelta(seconds=10), T0 + timedelta(seconds=70)
    ctr = shapes.ctr(
        "new-reason",
        initiation=T0,
        disconnected=end,
        disconnect_reason="CALLER_LEFT_FOR_BOT",
        queue={"arn": Q, "enqueue": enq},
    )
    send_ctr(client, ctr)
    r = record("new-reason")
    assert (r.disconnect_reason, r.status) == ("CALLER_LEFT_FOR_BOT", Status.QUEUE_EXIT)
    calls = build_report(MONTH)["calls"]
    assert (calls["queued"], calls["abandoned"], calls["system_dropped"], calls["queue_exits_other"]) == (1, 0, 0, 1)
    assert calls["abandon_rate"] == 0.0


def test_a_new_event_type_is_recorded_and_its_facts_count(client):
    """Not an ending event: its times are still facts, so the caller waiting in queue is seen."""
    enq = T0 + timedelta(seconds=12)
    snoozed = shapes.contact_event(
        "CONTACT_SNOOZED", "new-event", initiation=T0, time=enq, queue_arn=Q, enqueued=enq, snoozeReason={"code": "X"}
    )
    response = client.lambda_.invoke("contact_events", snoozed).payload
    assert response == {"status": "recorded", "reason": None}
    r = record("new-event")
    assert (r.status, r.enqueued_at, r.ended) == (Status.IN_QUEUE, enq, False)
    assert [f.source for f in ContactItem.get("new-event").fact_list()] == ["event:CONTACT_SNOOZED"]
    report = build_report(MONTH)
    assert (report["contacts"]["total"], report["calls"]["inbound"], report["calls"]["queued"]) == (1, 1, 1)
    # The trace record still ends it as Connect says, whatever came before.
    send_ctr(client, shapes.ctr("new-event", initiation=T0, queue={"arn": Q, "enqueue": enq}))
    assert record("new-event").status == Status.ABANDONED


def test_new_fields_and_queue_types_are_harmless(client, rejections):
    event = shapes.contact_event(
        "QUEUED",
        "new-fields",
        initiation=T0,
        queue_arn=Q,
        enqueued=T0 + timedelta(seconds=3),
        aiAgentInfo={"sessionArn": "arn:x", "nested": [{"deep": ["+905559998877"]}]},
        contactId2="other",
    )
    event["detail"]["queueInfo"]["queueType"] = "PRIORITY_LANE"
    event["newEnvelopeField"] = {"any": "thing"}
    send_event(client, event)
    ctr = shapes.ctr("new-fields", initiation=T0, queue={"arn": Q})
    ctr.update(NewSection={"Deep": [{"Deeper": "x" * 10_000}]}, QualityMetrics={"Agent": {"Audio": {"Score": 4}}})
    send_ctr(client, ctr)
    assert rejections == []
    stored = " ".join(ContactItem.get("new-fields").facts)
    assert "+905559998877" not in stored and "xxxxxxxx" not in stored and "PRIORITY_LANE" not in stored
    assert build_report(MONTH)["contacts"]["total"] == 1


def test_an_sms_chat_is_counted_by_subtype_beside_its_channel(client):
    chat = shapes.ctr("sms-1", channel="CHAT", initiation=T0, disconnect_reason="CUSTOMER_DISCONNECT")
    chat["SegmentAttributes"] = SMS
    send_ctr(client, chat)
    event = shapes.contact_event("INITIATED", "sms-2", channel="CHAT", initiation=T0, segmentAttributes=SMS)
    send_event(client, event)
    send_ctr(client, shapes.ctr("web-chat", channel="CHAT", initiation=T0))  # no subtype
    assert record("sms-1").subtype == record("sms-2").subtype == "connect:SMS"
    contacts = build_report(MONTH)["contacts"]
    assert contacts["by_channel"] == {"CHAT": 3} and contacts["by_subtype"] == {"connect:SMS": 2}


def test_what_cannot_be_a_contact_is_still_rejected(client, rejections):
    no_id = shapes.contact_event("INITIATED", "x", initiation=T0)
    no_id["detail"].pop("contactId")
    bad_time = shapes.contact_event("INITIATED", "bad-time", initiation=T0)
    bad_time["detail"]["initiationTimestamp"] = "yesterday at noon"
    for event in (no_id, bad_time):
        assert client.lambda_.invoke("contact_events", event).payload["status"] == "rejected"
    event = shapes.kinesis_event(shapes.ctr("k", initiation=T0), corrupt=(0,))
    client.lambda_.invoke("contact_trace_records", event)
    assert [r.reason.split(":")[0] for r in rejections] == ["contact event"] * 2 + ["contact trace record"]
    assert get_contact("bad-time") is None


def test_a_number_or_a_name_where_a_word_belongs_is_counted_never_kept_or_logged(client, rejections, log_lines):
    number = "+905559998877"
    flow = shapes.flow_invocation("odd-flow", channel=number, initiation_method="Zeynep Kaya")
    assert client.lambda_.invoke("contact_flow", flow).payload["error"] == "false"
    send_event(client, shapes.contact_event(f"CALLBACK {number}", "odd-event", initiation=T0))
    send_event(client, shapes.contact_event("BRAND_NEW_EVENT", "new-event", channel="SOCIAL", initiation=T0))
    assert rejections == []
    assert (record("odd-flow").channel, record("odd-flow").initiation_method) == (UNRECOGNISED, UNRECOGNISED)
    assert [f.source for f in ContactItem.get("odd-event").fact_list()] == [f"event:{UNRECOGNISED}"]
    logged = log_lines()
    noted = {(line["field"], line["value"]) for line in logged if line["message"] == "unfamiliar value recorded"}
    assert noted == {
        ("channel", repr(UNRECOGNISED)),
        ("initiation_method", repr(UNRECOGNISED)),
        ("event_type", repr(UNRECOGNISED)),
        ("event_type", "'BRAND_NEW_EVENT'"),
        ("channel", "'SOCIAL'"),
    }
    everything = json.dumps(logged, ensure_ascii=False)
    assert "Zeynep" not in everything and "9998877" not in everything
