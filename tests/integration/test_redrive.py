"""`callcenter redrive`'s engine against SQS, Kinesis and DynamoDB in moto: the three kinds of
message the deployment leaves in its queues go back through the handlers; what cannot is kept and
said why, without its content."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import boto3
import pytest

from chalicelib.contacts.store import ContactItem
from cli.replay.redrive import redrive
from cli.replay.replayer import Replayer
from cli.simulator import shapes as shapes

REGION = "eu-central-1"
T0 = shapes.T0
CALLER = "+905321234567"


@pytest.fixture
def queues(aws):
    sqs = boto3.client("sqs", region_name=REGION)
    kinesis = boto3.client("kinesis", region_name=REGION)
    events = sqs.create_queue(QueueName="cagri-test-contact-events-dlq")["QueueUrl"]
    failures = sqs.create_queue(QueueName="cagri-test-ctr-failures")["QueueUrl"]
    kinesis.create_stream(StreamName="cagri-test-ctr", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="cagri-test-ctr")["StreamDescription"]["StreamARN"]
    return SimpleNamespace(sqs=sqs, kinesis=kinesis, events=events, failures=failures, arn=arn)


def _ctr(contact_id: str) -> dict:
    return shapes.ctr(
        contact_id,
        initiation=T0,
        disconnected=T0 + timedelta(seconds=40),
        customer_number=CALLER,
        queue={"arn": shapes.queue_arn(), "name": "Genel", "enqueue": T0 + timedelta(seconds=5), "duration": 35},
        attributes={"category": "bilgi"},
    )


def _put(kinesis, contact_id: str) -> str:
    put = kinesis.put_record(
        StreamName="cagri-test-ctr", Data=json.dumps(_ctr(contact_id)).encode(), PartitionKey=contact_id
    )
    return put["SequenceNumber"]


def _failure_record(arn: str, start: str, end: str, size: int) -> str:
    """The Kinesis event source mapping's on-failure record, as the Lambda guide shows it."""
    return json.dumps(
        {
            "requestContext": {
                "requestId": "c9b8fa9f-5a7f-4b1c-af9c-0c604cde93a5",
                "functionArn": f"arn:aws:lambda:{REGION}:123456789012:function:cagri-test-contact_trace_records",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 6,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": "2026-10-14T07:01:06.021Z",
            "KinesisBatchInfo": {
                "shardId": "shardId-000000000000",
                "startSequenceNumber": start,
                "endSequenceNumber": end,
                "approximateArrivalOfFirstRecord": "2026-10-14T07:01:04.835Z",
                "approximateArrivalOfLastRecord": "2026-10-14T07:01:05.580Z",
                "batchSize": size,
                "streamArn": arn,
            },
        }
    )


def _invocation_record(event: dict) -> str:
    """Lambda's asynchronous on-failure record: the event is its requestPayload."""
    return json.dumps(
        {
            "version": "1.0",
            "timestamp": "2026-10-14T07:01:06.021Z",
            "requestContext": {
                "requestId": "e4b46cbf-b738-4f2b-9a1e-2d5c7f1e9f11",
                "functionArn": f"arn:aws:lambda:{REGION}:123456789012:function:cagri-test-contact_events:$LATEST",
                "condition": "RetriesExhausted",
                "approximateInvokeCount": 3,
            },
            "requestPayload": event,
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": {"errorMessage": "Failed to update item", "errorType": "UpdateError"},
        }
    )


def _waiting(sqs, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return sum(int(v) for v in attributes.values())


def test_every_kind_of_dead_letter_goes_back_through_the_handlers_and_leaves_its_queue(queues):
    sqs, kinesis, events, failures, arn = queues.sqs, queues.kinesis, queues.events, queues.failures, queues.arn
    queued = shapes.contact_event("QUEUED", "ev-1", queue_arn=shapes.queue_arn(), enqueued=T0)
    sqs.send_message(QueueUrl=events, MessageBody=json.dumps(queued))  # EventBridge's own DLQ message
    ended = shapes.contact_event("DISCONNECTED", "ev-1", disconnected=T0 + timedelta(minutes=1))
    sqs.send_message(QueueUrl=events, MessageBody=_invocation_record(ended))
    _put(kinesis, "other")  # in the stream before the batch, and processed long ago
    first, last = _put(kinesis, "ctr-1"), _put(kinesis, "ctr-2")
    _put(kinesis, "after")  # after it: not part of the failed batch
    sqs.send_message(QueueUrl=failures, MessageBody=_failure_record(arn, first, last, 2))

    stats = redrive([events, failures], sqs, kinesis, Replayer())

    assert (stats.messages, stats.redriven, stats.kept, stats.inputs) == (3, 3, 0, 4)
    assert stats.ok and stats.problems == []
    assert {c.contact_id for c in ContactItem.scan()} == {"ev-1", "ctr-1", "ctr-2"}
    assert _waiting(sqs, events) == _waiting(sqs, failures) == 0
    assert [f.source for f in ContactItem.get("ctr-1").fact_list()] == ["ctr"]
    assert sorted(f.source for f in ContactItem.get("ev-1").fact_list()) == ["event:DISCONNECTED", "event:QUEUED"]


def test_a_redrive_twice_records_the_same(queues):
    sqs, kinesis, failures, arn = queues.sqs, queues.kinesis, queues.failures, queues.arn
    seq = _put(kinesis, "twice")
    body = _failure_record(arn, seq, seq, 1)
    sqs.send_message(QueueUrl=failures, MessageBody=body)
    redrive([failures], sqs, kinesis, Replayer())
    once = sorted(ContactItem.get("twice").facts)
    sqs.send_message(QueueUrl=failures, MessageBody=body)  # the same failure record again
    again = redrive([failures], sqs, kinesis, Replayer())
    assert again.redriven == 1 and sorted(ContactItem.get("twice").facts) == once


def test_what_cannot_be_redriven_stays_in_its_queue_and_is_said_why_without_its_content(queues):
    sqs, kinesis, events, failures, arn = queues.sqs, queues.kinesis, queues.events, queues.failures, queues.arn
    sqs.send_message(QueueUrl=events, MessageBody=f"not json {CALLER}")
    sqs.send_message(QueueUrl=events, MessageBody=json.dumps({"caller": CALLER}))
    seq = _put(kinesis, "kept")
    gone = str(int(seq) + 10**6)  # past the stream's end: as if trimmed after 7 days
    sqs.send_message(QueueUrl=failures, MessageBody=_failure_record(arn, gone, gone, 1))

    stats = redrive([events, failures], sqs, kinesis, Replayer())

    assert (stats.messages, stats.redriven, stats.kept) == (3, 0, 3) and not stats.ok
    reasons = " | ".join(stats.problems)
    assert "not JSON" in reasons and "neither a contact event" in reasons and "no longer in the stream" in reasons
    assert CALLER not in reasons
    assert _waiting(sqs, events) == 2 and _waiting(sqs, failures) == 1  # kept, out of sight for a while
    assert list(ContactItem.scan()) == []


def test_a_malformed_event_is_rejected_for_review_and_leaves_the_queue(queues):
    """The handler takes it (into the rejections table): redriving it again would change nothing."""
    sqs, kinesis, events = queues.sqs, queues.kinesis, queues.events
    bad = shapes.contact_event("QUEUED", "bad-1", queue_arn=shapes.queue_arn(), enqueued=T0)
    # Not an unknown channel any more: that is recorded (issue 13 item 7). A time that is no time cannot be.
    bad["detail"]["queueInfo"]["enqueueTimestamp"] = "soon"
    sqs.send_message(QueueUrl=events, MessageBody=json.dumps(bad))
    stats = redrive([events], sqs, kinesis, Replayer())
    assert stats.redriven == 1 and _waiting(sqs, events) == 0
    assert len(stats.problems) == 1 and "detail.queueInfo.enqueueTimestamp" in stats.problems[0]


def test_a_dry_run_reads_everything_and_changes_nothing(queues):
    sqs, kinesis, events, failures, arn = queues.sqs, queues.kinesis, queues.events, queues.failures, queues.arn
    seq = _put(kinesis, "dry")
    sqs.send_message(QueueUrl=failures, MessageBody=_failure_record(arn, seq, seq, 1))
    sqs.send_message(QueueUrl=events, MessageBody=json.dumps(shapes.contact_event("INITIATED", "dry-ev")))

    stats = redrive([events, failures], sqs, kinesis, Replayer(), dry_run=True)

    assert (stats.ready, stats.inputs, stats.redriven, stats.kept) == (2, 2, 0, 0)
    assert list(ContactItem.scan()) == []
    real = redrive([events, failures], sqs, kinesis, Replayer())  # visible again at once
    assert real.redriven == 2 and {c.contact_id for c in ContactItem.scan()} == {"dry", "dry-ev"}
