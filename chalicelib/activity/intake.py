"""A Kinesis batch of agent events in: parsed record by record, written once per agent and day.

A record that can never be an agent event (not base64, not JSON, no agent ARN, no time) is rejected:
kept for review in the rejections table with its reason, logged by hash, and acknowledged, so it
does not block the shard. A write that fails (throttled, timed out) fails the records it carried:
they are reported in `batchItemFailures` and Kinesis delivers them again — harmless, since a fact
already in its day's set adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse

from chalicelib.activity import store
from chalicelib.activity.facts import AgentFact
from chalicelib.activity.inputs import parse_agent_event
from chalicelib.contacts.kinesis import decode_json
from chalicelib.contacts.rejections import InputRejected, reject
from chalicelib.core.observability import count, logger

SOURCE = "agent-event"


@dataclass
class _Day:
    facts: set[AgentFact] = field(default_factory=set)
    records: list[str] = field(default_factory=list)  # sequence numbers that brought them


def ingest_agent_events(records: Iterable[dict[str, Any]]) -> PartialItemFailureResponse:
    """The Lambda's answer for a batch: the records to deliver again (`batchItemFailures`)."""
    days: dict[tuple[str, str], _Day] = defaultdict(_Day)
    failed: list[str] = []
    recorded = rejected = 0
    for record in records:
        kinesis = record.get("kinesis") or {}
        seq = str(kinesis.get("sequenceNumber"))
        try:
            agent, fact = parse_agent_event(decode_json(kinesis.get("data"), "agent event"))
        except InputRejected as error:
            try:
                reject(SOURCE, str(kinesis.get("data")), error, seq)
                rejected += 1
            except Exception:  # the rejection could not be kept: try the record again
                logger.exception("agent event rejection not stored", extra={"ref": seq})
                failed.append(seq)
            continue
        group = days[(agent, store.day_of(fact))]
        group.facts.add(fact)
        group.records.append(seq)
    for (agent, day), group in days.items():
        try:
            store.add_facts(agent, day, group.facts)
            recorded += len(group.records)
        except Exception:
            logger.exception("agent events not stored, to be delivered again", extra={"records": len(group.records)})
            failed += group.records
    count("AgentEventsRecorded", recorded)
    if failed:
        count("AgentEventsRetried", len(failed))
    return {"batchItemFailures": [{"itemIdentifier": seq} for seq in dict.fromkeys(failed)]}
