"""Blueprint: the three Lambda entry points fed by Amazon Connect. Thin by design."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamRecord
from chalice import Blueprint
from chalice.app import CloudWatchEvent, KinesisEvent

from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.lazy import lazy
from chalicelib.health.heartbeat import heartbeat

if TYPE_CHECKING:
    from chalicelib.intake import flow, pipeline
else:  # loaded by the three contact functions' first input, never by the API's
    flow, pipeline = lazy("chalicelib.intake.flow"), lazy("chalicelib.intake.pipeline")

contacts = Blueprint(__name__)

CONTACT_EVENT_PATTERN = {"source": ["aws.connect"], "detail-type": ["Amazon Connect Contact Event"]}


@contacts.on_cw_event(CONTACT_EVENT_PATTERN, name="contact_events")
def handle_contact_event(event: CloudWatchEvent) -> dict[str, Any]:
    outcome = pipeline.ingest_contact_event(event.to_dict())
    heartbeat(times.now())  # at most one write a minute: /health and the watchdog read it
    return {"status": outcome.status, "reason": outcome.reason}


def _record_ctr(record: KinesisStreamRecord) -> str:
    return pipeline.ingest_ctr(record.kinesis.data, ref=record.kinesis.sequence_number).status


@contacts.on_kinesis_record(stream=settings().ctr_stream, name="contact_trace_records")
def handle_ctr_batch(event: KinesisEvent) -> PartialItemFailureResponse:
    # A rejected record is acknowledged (kept for redrive); one that failed for a
    # transient reason is reported back so Kinesis retries it alone.
    processor = BatchProcessor(event_type=EventType.KinesisDataStreams, raise_on_entire_batch_failure=False)
    response = process_partial_response(event=event.to_dict(), record_handler=_record_ctr, processor=processor)
    heartbeat(times.now())
    return response


@contacts.lambda_function(name="contact_flow")
def handle_contact_flow(event: dict[str, Any], context: Any) -> dict[str, str]:
    return flow.answer_flow(event)
