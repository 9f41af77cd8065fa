"""Blueprint: the `agent_events` Lambda, fed by Amazon Connect's agent event stream (Kinesis). Thin by design."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from chalice import Blueprint
from chalice.app import KinesisEvent

from chalicelib.core.config import settings
from chalicelib.core.lazy import lazy

if TYPE_CHECKING:
    from chalicelib.activity import intake
else:  # loaded by the agent_events function's first batch, never by the other functions
    intake = lazy("chalicelib.activity.intake")

agent_activity = Blueprint(__name__)


@agent_activity.on_kinesis_record(stream=settings().agent_events_stream, name="agent_events")
def handle_agent_events(event: KinesisEvent) -> PartialItemFailureResponse:
    # Partial batch failures: only the records whose write failed come back (ReportBatchItemFailures).
    return intake.ingest_agent_events(event.to_dict().get("Records") or [])
