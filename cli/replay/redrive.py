"""Redrive what AWS gave up delivering, through the same handlers the Lambdas run.

The deployment leaves two kinds of message in its queues (`DEAD_LETTER_QUEUES`, infra/stack.py):
- a contact event: EventBridge's dead-letter message is the event itself; Lambda's asynchronous
  on-failure record carries it as `requestPayload`;
- a batch of trace records: the Kinesis on-failure record names only the shard and the sequence
  numbers (`KinesisBatchInfo`); the records themselves are read back from the stream, which keeps
  them for `CTR_STREAM_RETENTION_HOURS` (7 days, while the queue keeps the message 14).

Every input is an idempotent fact, so a redrive that runs twice, or races the live traffic,
records the same. A message leaves its queue only when everything in it went through (recorded,
or rejected into the rejections table for review); otherwise it stays, and the next redrive or the
daily reminder finds it again. Nothing here logs or prints a message's content: it is personal data.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cli.replay.replayer import Replayer

VISIBILITY_SECONDS = 300  # a kept message is out of sight for the rest of the run, then back
RECEIVE_BATCH = 10  # SQS's maximum per ReceiveMessage


class Unredrivable(ValueError):
    """The message cannot be turned back into the input it stands for (said why, without its content)."""


@dataclass(frozen=True)
class StreamBatch:
    """A Kinesis on-failure record: where the failed trace records are in the stream."""

    stream_arn: str
    shard_id: str
    start: str
    end: str
    size: int


def parse_message(body: str) -> dict[str, Any] | StreamBatch:
    """The input a dead-letter message stands for: a contact event, or where a batch of trace records is."""
    try:
        message = json.loads(body)
    except json.JSONDecodeError as exc:
        raise Unredrivable(f"not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(message, dict):
        raise Unredrivable("not a JSON object")
    info = message.get("KinesisBatchInfo")
    if isinstance(info, dict):
        try:
            return StreamBatch(
                stream_arn=str(info["streamArn"]),
                shard_id=str(info["shardId"]),
                start=str(info["startSequenceNumber"]),
                end=str(info.get("endSequenceNumber") or info["startSequenceNumber"]),
                size=int(info.get("batchSize") or 1),
            )
        except (KeyError, TypeError, ValueError):
            raise Unredrivable("KinesisBatchInfo lacks the stream, shard or sequence numbers") from None
    payload = message.get("requestPayload", message)  # Lambda's on-failure record, or EventBridge's own
    if isinstance(payload, dict) and "detail-type" in payload:
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("Records"), list):
        return payload  # a Kinesis batch invoked asynchronously (a manual test invocation)
    raise Unredrivable("neither a contact event, an invocation record nor a Kinesis on-failure record")


def read_batch(kinesis: Any, batch: StreamBatch) -> dict[str, Any]:
    """The failed trace records, read back from the stream, as the Lambda event that carried them."""
    from botocore.exceptions import ClientError

    try:
        iterator = kinesis.get_shard_iterator(
            StreamName=batch.stream_arn.rpartition("/")[2],  # the deployment's own stream, in its account
            ShardId=batch.shard_id,
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=batch.start,
        )["ShardIterator"]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "ClientError")
        raise Unredrivable(f"the records are no longer in the stream ({code})") from None
    records: list[dict[str, Any]] = []
    region = batch.stream_arn.split(":")[3] if batch.stream_arn.count(":") >= 5 else ""
    while iterator and len(records) < batch.size:
        page = kinesis.get_records(ShardIterator=iterator, Limit=min(batch.size - len(records), 10_000))
        for record in page["Records"]:
            if int(record["SequenceNumber"]) > int(batch.end):
                iterator = None
                break
            records.append(_lambda_record(record, batch, region))
        else:
            iterator = page.get("NextShardIterator") if page["Records"] else None
    if not records:
        raise Unredrivable("the records are no longer in the stream (none at those sequence numbers)")
    return {"Records": records}


def _lambda_record(record: dict[str, Any], batch: StreamBatch, region: str) -> dict[str, Any]:
    """A GetRecords record in the shape the event source mapping hands to the function."""
    arrived = record.get("ApproximateArrivalTimestamp")
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": record["PartitionKey"],
            "sequenceNumber": record["SequenceNumber"],
            "data": base64.b64encode(record["Data"]).decode("ascii"),
            "approximateArrivalTimestamp": arrived.timestamp() if isinstance(arrived, datetime) else arrived,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{batch.shard_id}:{record['SequenceNumber']}",
        "eventName": "aws:kinesis:record",
        "awsRegion": region,
        "eventSourceARN": batch.stream_arn,
    }


@dataclass
class RedriveStats:
    messages: int = 0
    redriven: int = 0  # went through and left the queue
    ready: int = 0  # a dry run: readable, its records still in the stream
    kept: int = 0  # still failing or unreadable: left in the queue
    inputs: int = 0  # events and trace records handed to the handlers
    by_queue: dict[str, int] = field(default_factory=dict)  # messages seen per queue
    problems: list[str] = field(default_factory=list)  # "queue message-id: why", no content

    @property
    def ok(self) -> bool:
        return not self.kept

    def summary(self, dry_run: bool = False) -> str:
        if dry_run:
            return (
                f"{self.ready} of {self.messages} messages ready to redrive ({self.inputs} inputs); "
                f"{self.kept} cannot be; nothing changed"
            )
        return (
            f"redrove {self.redriven} of {self.messages} messages ({self.inputs} inputs); "
            f"{self.kept} kept in their queues"
        )


def redrive(
    queue_urls: list[str],
    sqs: Any,
    kinesis: Any,
    replayer: Any,
    *,
    dry_run: bool = False,
    on_message: Callable[[], None] | None = None,
    visibility_seconds: int = VISIBILITY_SECONDS,
) -> RedriveStats:
    """Each queue's messages back through the handlers; a message is deleted only when all of it went through."""
    stats = RedriveStats()
    for url in queue_urls:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        seen: set[str] = set()
        looked_at: list[str] = []
        while True:
            messages = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=RECEIVE_BATCH,
                VisibilityTimeout=visibility_seconds,
                WaitTimeSeconds=0,
            ).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in seen]
            if not fresh:
                break
            for message in fresh:
                seen.add(message["MessageId"])
                stats.messages += 1
                stats.by_queue[name] = stats.by_queue.get(name, 0) + 1
                done = _redrive_one(message, kinesis, replayer, stats, f"{name} {message['MessageId']}", dry_run)
                if dry_run:
                    looked_at.append(message["ReceiptHandle"])
                elif done:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                if on_message:
                    on_message()
        for receipt in looked_at:  # a dry run leaves the queue as it found it, visible at once
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=0)
    return stats


def _redrive_one(
    message: dict[str, Any], kinesis: Any, replayer: Replayer, stats: RedriveStats, where: str, dry_run: bool
) -> bool:
    try:
        parsed = parse_message(message.get("Body", ""))
        lambda_input = read_batch(kinesis, parsed) if isinstance(parsed, StreamBatch) else parsed
    except Unredrivable as why:
        stats.kept += 1
        stats.problems.append(f"{where}: {why}")
        return False
    if dry_run:
        stats.ready += 1
        stats.inputs += len(lambda_input.get("Records", [])) or 1
        return False
    before = (replayer.stats.inputs, replayer.stats.failed, len(replayer.stats.problems))
    replayer.replay_input(0, lambda_input)
    stats.inputs += replayer.stats.inputs - before[0]
    if replayer.stats.failed > before[1]:
        stats.kept += 1
        stats.problems.append(f"{where}: still failing, kept for the next redrive")
        return False
    stats.redriven += 1
    # Rejections are done with: the handler stored them in the rejections table for review.
    stats.problems.extend(f"{where}: {p.split(': ', 1)[-1]}" for p in replayer.stats.problems[before[2] :])
    return True
