"""Parsing Amazon Connect's inputs into facts: case-insensitive, strict where it matters, clear when not."""

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.contacts.inputs import fact_from_contact_event, fact_from_ctr, parse_flow_invocation
from chalicelib.contacts.kinesis import decode_json
from chalicelib.contacts.rejections import InputRejected
from chalicelib.contacts.vocabulary import MAX_LENGTH, UNRECOGNISED
from cli.simulator import shapes as shapes

PUBLISHED = Path(__file__).parents[1] / "fixtures" / "published"
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)


def recase(value, flips):
    """Every key re-cased by a drawn pattern (values untouched)."""
    if isinstance(value, dict):
        out = {}
        for i, (key, inner) in enumerate(value.items()):
            pattern = flips[i % len(flips)]
            key = {"upper": key.upper(), "lower": key.lower(), "swap": key.swapcase(), "same": key}[pattern]
            out[key] = recase(inner, flips)
        return out
    return value


def answered_event():
    enq, conn = T0 + timedelta(seconds=20), T0 + timedelta(seconds=31)
    return shapes.contact_event(
        "CONNECTED_TO_AGENT",
        "c-1",
        initiation=T0,
        time=conn,
        queue_arn=shapes.queue_arn(),
        enqueued=enq,
        agent_arn=shapes.agent_arn(),
        connected_to_agent=conn,
    )


def answered_ctr():
    return shapes.ctr(
        "c-1",
        initiation=T0,
        queue={"arn": shapes.queue_arn(), "enqueue": T0 + timedelta(seconds=20)},
        agent={
            "arn": shapes.agent_arn(),
            "connected": T0 + timedelta(seconds=31),
            "interaction": 90,
            "hold": 5,
            "acw": 15,
        },
        attributes={"category": "ŞİKAYET"},
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["upper", "lower", "swap", "same"]), min_size=1, max_size=5))
def test_field_names_are_read_case_insensitively(flips):
    assert fact_from_contact_event(recase(answered_event(), flips)) == fact_from_contact_event(answered_event())
    assert fact_from_ctr(recase(answered_ctr(), flips)) == fact_from_ctr(answered_ctr())


def test_enumeration_values_are_read_case_insensitively():
    event = answered_event()
    event["detail"].update(channel="Voice", initiationMethod="inbound", eventType="connected_to_agent")
    fact = fact_from_contact_event(event)
    assert (fact.channel, fact.initiation_method, fact.source) == ("VOICE", "INBOUND", "event:CONNECTED_TO_AGENT")
    assert fact_from_ctr(answered_ctr()).category == "şikayet"


def test_a_ctr_keeps_only_what_the_centre_needs():
    fact = fact_from_ctr(answered_ctr())
    assert fact.queue_seconds == 11 and fact.interaction_seconds == 90 and fact.acw_seconds == 15
    assert fact.customer_address == shapes.CUSTOMER_NUMBER
    assert "Recording" not in fact.to_json() and "SystemEndpoint" not in fact.to_json()


def test_published_flow_invocation_gives_the_callers_view():
    sample = json.loads((PUBLISHED / "flow_invocation_adminguide.json").read_text())
    # AWS's sample lists the choices ("INBOUND | OUTBOUND | …") where a real invocation has one value:
    # the contact is recorded, the list is no method.
    assert parse_flow_invocation(sample)[0].initiation_method == UNRECOGNISED
    sample["Details"]["ContactData"]["InitiationMethod"] = "INBOUND"
    fact, parameters = parse_flow_invocation(sample)
    assert fact.source == "flow" and fact.at is None and fact.customer_type == "TELEPHONE_NUMBER"
    assert fact.initiation_method == "INBOUND" and isinstance(parameters, dict)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda e: e["detail"]["queueInfo"].update(enqueueTimestamp="soon"), "detail.queueInfo.enqueueTimestamp"),
        (lambda e: e["detail"].update(contactId="  "), "detail.contactId is empty"),
        (lambda e: e.pop("detail"), "detail: Field required"),
        (lambda e: e["detail"].pop("eventType"), "detail.eventType is missing"),
    ],
)
def test_rejections_name_the_field_as_aws_spells_it(mutate, reason):
    event = answered_event()
    mutate(event)
    with pytest.raises(InputRejected) as caught:
        fact_from_contact_event(event)
    assert reason in caught.value.reason


@pytest.mark.parametrize("data", ["%%%", base64.b64encode(b"{nope").decode(), base64.b64encode(b"\xff\xfe").decode()])
def test_undecodable_kinesis_data_is_rejected(data):
    with pytest.raises(InputRejected, match="contact trace record: data is not"):
        decode_json(data, "contact trace record")


def test_a_ctr_with_an_unparseable_timestamp_is_rejected_with_its_contact_id():
    ctr = answered_ctr()
    ctr["LastUpdateTimestamp"] = "2026-13-45T99:00:00Z"
    with pytest.raises(InputRejected) as caught:
        fact_from_ctr(ctr)
    assert "LastUpdateTimestamp" in caught.value.reason and caught.value.contact_id == "c-1"


def test_not_an_object_is_rejected():
    for value in ([], "text", 42, None):
        with pytest.raises(InputRejected, match="expected a JSON object"):
            fact_from_ctr(value)


def test_values_aws_adds_are_recorded_as_they_are():
    """Issue 13 item 7 reverses the foundation's rule: a new channel, method, reason or event type is a contact."""
    event = answered_event()
    event["detail"].update(channel="EMAIL_V2", initiationMethod="customer_first_callback", eventType="Contact_Paused_2")
    event["detail"]["queueInfo"]["queueType"] = "PRIORITY_LANE"
    fact = fact_from_contact_event(event)
    assert (fact.channel, fact.initiation_method, fact.source) == (
        "EMAIL_V2",
        "CUSTOMER_FIRST_CALLBACK",
        "event:CONTACT_PAUSED_2",
    )
    assert fact.connected_to_agent_at is not None  # its times are facts like any event's
    ctr = answered_ctr()
    ctr.update(DisconnectReason="CALLER_HUNG_UP_ON_BOT", Channel="VOICE", InitiationMethod="CAMPAIGN_PREDICTIVE")
    fact = fact_from_ctr(ctr)
    assert (fact.disconnect_reason, fact.initiation_method) == ("CALLER_HUNG_UP_ON_BOT", "CAMPAIGN_PREDICTIVE")


def test_fields_aws_adds_are_harmless():
    ctr = answered_ctr()
    ctr.update(
        NewSection={"Nested": [{"Deep": "x" * 5000}], "ContactId": "not-this-one"},
        QualityMetrics={"Agent": {"Audio": {"QualityScore": 4.5}}},
        Campaign={"CampaignId": None},
    )
    ctr["Agent"]["StateTransitions"] = [{"State": "NEW_STATE"}]
    assert fact_from_ctr(ctr) == fact_from_ctr(answered_ctr())


def test_a_value_is_bounded_and_anything_but_a_word_is_not_kept():
    """Connect's vocabulary is one word; a number, a name or a sentence in its place is a malformed input that
    may carry personal data, and these fields outlive anonymisation: the contact is kept, the value is not."""
    event = shapes.contact_event("QUEUED", "c-1", initiation=shapes.T0, time=shapes.T0)
    for value in ("+905321234567", "Zeynep Kaya", "CALLBACK 05321234567", "A1234567", "<b>x</b>", "\u200b"):
        event["detail"]["channel"] = value
        fact = fact_from_contact_event(event)
        assert fact.channel == UNRECOGNISED and fact.contact_id == "c-1", value
        assert value not in fact.to_json()
    event["detail"]["channel"] = "X" * 500
    assert fact_from_contact_event(event).channel == "X" * MAX_LENGTH


@pytest.mark.parametrize(
    ("field", "written", "meant"),
    [
        ("channel", "ＶＯＩＣＥ", "VOICE"),  # full-width
        ("channel", "voıce", "VOICE"),  # Turkish dotless ı
        ("initiationMethod", "İnbound", "INBOUND"),  # Turkish dotted İ
        ("initiationMethod", "I\u0307NBOUND", "INBOUND"),  # decomposed İ
        ("channel", " chat ", "CHAT"),
    ],
)
def test_enumeration_values_are_compared_after_unicode_normalisation(field, written, meant):
    event = answered_event()
    event["detail"][field] = written
    fact = fact_from_contact_event(event)
    assert {"channel": fact.channel, "initiationMethod": fact.initiation_method}[field] == meant


def _segment(value) -> dict:
    return {"connect:Subtype": {"ValueString": value}}


def test_the_subtype_is_read_from_segment_attributes_in_every_shape():
    event = answered_event()
    event["detail"]["segmentAttributes"] = _segment("connect:SMS")
    ctr = answered_ctr()
    ctr["SegmentAttributes"] = {**_segment("connect:SMS"), "connect:ContactExpiry": {"ValueMap": {}}}
    flow = shapes.flow_invocation("c-1", channel="CHAT")
    flow["Details"]["ContactData"]["SegmentAttributes"] = _segment("connect:SMS")
    facts = [fact_from_contact_event(event), fact_from_ctr(ctr), parse_flow_invocation(flow)[0]]
    assert [f.subtype for f in facts] == ["connect:SMS"] * 3
    for odd in ([], "connect:SMS", {"connect:Subtype": 7}, {"connect:Subtype": {"ValueString": None}}):
        ctr["SegmentAttributes"] = odd
        assert fact_from_ctr(ctr).subtype is None  # never a rejection
    ctr["SegmentAttributes"] = _segment("+905321234567")
    assert fact_from_ctr(ctr).subtype == UNRECOGNISED
