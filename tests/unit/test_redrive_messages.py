"""What each dead-letter message stands for (cli.replay.redrive.parse_message), without AWS."""

from __future__ import annotations

import json

import pytest

from cli.replay.redrive import StreamBatch, Unredrivable, parse_message
from cli.simulator import shapes as shapes

EVENT = shapes.contact_event("INITIATED", "c-1")


def test_eventbridge_puts_the_event_itself_in_its_dead_letter_queue():
    assert parse_message(json.dumps(EVENT)) == EVENT


def test_lambdas_on_failure_record_carries_the_event_as_its_request_payload():
    record = {"version": "1.0", "requestContext": {"condition": "RetriesExhausted"}, "requestPayload": EVENT}
    assert parse_message(json.dumps(record)) == EVENT


def test_a_kinesis_on_failure_record_names_where_the_records_are():
    info = {
        "shardId": "shardId-000000000001",
        "startSequenceNumber": "49601189658422359378836298521827638475320189012309704722",
        "endSequenceNumber": "49601189658422359378836298522902373528957594348623495186",
        "batchSize": 500,
        "streamArn": "arn:aws:kinesis:eu-central-1:123456789012:stream/cagri-prod-ctr",
    }
    assert parse_message(json.dumps({"version": "1.0", "KinesisBatchInfo": info})) == StreamBatch(
        stream_arn=info["streamArn"],
        shard_id="shardId-000000000001",
        start=info["startSequenceNumber"],
        end=info["endSequenceNumber"],
        size=500,
    )


def test_a_single_record_batch_may_name_its_start_only():
    info = {"shardId": "s", "startSequenceNumber": "7", "batchSize": 1, "streamArn": "arn:aws:kinesis:r:1:stream/x"}
    batch = parse_message(json.dumps({"KinesisBatchInfo": info}))
    assert (batch.start, batch.end, batch.size) == ("7", "7", 1)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"caller": "+905321234567"}', "neither a contact event"),
        ('{"KinesisBatchInfo": {"shardId": "s"}}', "lacks the stream"),
        (
            '{"KinesisBatchInfo": {"shardId": "s", "startSequenceNumber": "1", "streamArn": "a", "batchSize": "x"}}',
            "lacks",
        ),
    ],
)
def test_what_is_not_a_dead_letter_says_why_and_never_repeats_its_content(body, why):
    with pytest.raises(Unredrivable) as raised:
        parse_message(body)
    assert why in str(raised.value) and "+905321234567" not in str(raised.value)
