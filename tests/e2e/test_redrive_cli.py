"""`callcenter redrive` against the embedded AWS, which has the deployment's dead-letter queues and
trace-record and agent-event streams: what AWS gave up on reaches the records, the queues empty, and a
second run finds nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.core.config import settings
from cli.embedded.aws import LOCAL_QUEUES, local_queue_urls
from cli.simulator import shapes as shapes
from tests.e2e.conftest import start_operator

pytestmark = pytest.mark.e2e
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Istanbul


def _client(op, service: str):
    return boto3.client(
        service,
        region_name=settings().region,
        endpoint_url=op.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_the_operator_redrives_what_aws_gave_up_on(tmp_path):
    op = start_operator(tmp_path / "home")
    try:
        sqs, kinesis = _client(op, "sqs"), _client(op, "kinesis")
        events_dlq, ctr_failures, agent_events_failures = local_queue_urls(op.endpoint)
        ended = T0 + timedelta(minutes=1)
        event = shapes.contact_event("DISCONNECTED", "lost-1", initiation=T0, time=ended, disconnected=ended)
        sqs.send_message(QueueUrl=events_dlq, MessageBody=json.dumps(event))
        record = shapes.ctr("lost-1", initiation=T0, disconnected=ended, attributes={"category": "bilgi"})
        stream = settings().ctr_stream
        seq = kinesis.put_record(StreamName=stream, Data=json.dumps(record).encode(), PartitionKey="lost-1")
        arn = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["StreamARN"]
        info = {"shardId": seq["ShardId"], "startSequenceNumber": seq["SequenceNumber"], "batchSize": 1}
        failure = {"version": "1.0", "KinesisBatchInfo": {**info, "streamArn": arn}}
        sqs.send_message(QueueUrl=ctr_failures, MessageBody=json.dumps(failure))
        # An agent's login and logout the agent_events function gave up on, read back from their stream.
        agents = settings().agent_events_stream
        puts = []
        for kind, at in (("LOGIN", T0), ("LOGOUT", T0 + timedelta(hours=2))):
            snapshot = shapes.agent_snapshot("temsilci1", shapes.agent_status("Available", "ROUTABLE", at))
            event = shapes.agent_event(kind, "agent-1", at, snapshot)
            puts.append(kinesis.put_record(StreamName=agents, Data=json.dumps(event).encode(), PartitionKey="agent-1"))
        arn = kinesis.describe_stream(StreamName=agents)["StreamDescription"]["StreamARN"]
        info = {
            "shardId": puts[0]["ShardId"],
            "startSequenceNumber": puts[0]["SequenceNumber"],
            "endSequenceNumber": puts[-1]["SequenceNumber"],
            "batchSize": 2,
        }
        failure = {"version": "1.0", "KinesisBatchInfo": {**info, "streamArn": arn}}
        sqs.send_message(QueueUrl=agent_events_failures, MessageBody=json.dumps(failure))

        dry = op.run("redrive", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "3 of 3 messages ready to redrive (4 inputs)" in dry.stdout
        assert op.report("2026-10")["contacts"]["total"] == 0  # a dry run records nothing

        done = op.run("redrive")
        assert done.returncode == 0, done.stderr
        assert "redrove 3 of 3 messages (4 inputs); 0 kept" in done.stdout
        assert all(f"{name}: 1 messages" in done.stdout for name in LOCAL_QUEUES)
        report = op.report("2026-10")
        assert report["contacts"]["total"] == 1
        assert report["agents_time"] == {
            "logged_in_hours": 2.0,
            "by_agent": {"temsilci1": {"logged_in_hours": 2.0, "occupancy": 0.0}},
        }

        again = op.run("redrive")
        assert again.returncode == 0 and "redrove 0 of 0 messages" in again.stdout

        sqs.send_message(QueueUrl=events_dlq, MessageBody="{not json")
        kept = op.run("redrive")
        assert kept.returncode == 1 and "not JSON" in kept.stderr and "1 kept in their queues" in kept.stdout
    finally:
        op.run("local", "stop", timeout=60)
