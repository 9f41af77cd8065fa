"""Replay JSON Lines of Lambda inputs through the same handlers the deployed Lambdas run.

Each line is one Lambda input as AWS delivers it. It goes to the handler AWS would
invoke, and failures are redelivered the way AWS would: Kinesis records reported
in `batchItemFailures` come back (up to `KINESIS_ATTEMPTS`), an EventBridge
invocation that raised is retried (Lambda's async retries). What the handler
*rejects* is reported with its line number and reason and never retried.

A Kinesis batch goes to the stream's consumer its records belong to: agent events (decoded data with
`EventType` and `AgentARN`) to `agent_events`, everything else to the trace records' handler, which
rejects what is no trace record. AWS never mixes the two streams in one batch; a file may.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from infra.retries import ctr_attempts, event_attempts

# As the stack configures them (infra/retries.py): Lambda's first try and its two asynchronous retries
# of a contact event; the event source mapping's first try and five retries of a trace record.
EVENTBRIDGE_ATTEMPTS = event_attempts()
KINESIS_ATTEMPTS = ctr_attempts()
if TYPE_CHECKING:
    from chalice.local import LambdaContext

    from chalicelib.contacts.rejections import Rejection

# A Kinesis batch's handler, as the Lambda runtime calls it: the raw event and the context.
BatchHandler = Callable[[dict[str, Any], "LambdaContext"], dict[str, Any]]
EVENTBRIDGE_ENVELOPE = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


@dataclass
class ReplayStats:
    lines: int = 0
    inputs: int = 0
    recorded: int = 0
    ignored: int = 0
    rejected: int = 0
    failed: int = 0
    redelivered: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.rejected or self.failed)

    def summary(self, seconds: float) -> str:
        rate = self.inputs / seconds if seconds > 0 else 0.0
        return (
            f"replayed {self.inputs} inputs from {self.lines} lines: {self.recorded} recorded, "
            f"{self.ignored} ignored, {self.rejected} rejected, {self.failed} failed, "
            f"{self.redelivered} redelivered; {seconds:.1f} s, {rate:.0f} inputs/s"
        )


def input_kind(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    keys = {str(k).lower(): k for k in obj}
    if "detail-type" in keys:
        return "event"
    records = obj.get(keys.get("records", ""))
    if isinstance(records, list) and records and all(isinstance(r, dict) and "kinesis" in r for r in records):
        return "kinesis"
    if str(obj.get(keys.get("name", ""), "")) == "ContactFlowEvent" or "details" in keys:
        return "flow"
    return None


class Replayer:
    """Feeds parsed lines to the handlers; one instance per replay run."""

    def __init__(
        self,
        event_attempts: int = EVENTBRIDGE_ATTEMPTS,
        kinesis_attempts: int = KINESIS_ATTEMPTS,
        flow_attempts: int = 1,
        caller_retries: int = 0,
    ) -> None:
        """Attempts per input as AWS would make them. Connect itself never retries a flow's Lambda
        block; a flow that loops back on the error branch is `flow_attempts` > 1. A callback request
        that failed is offered again by the flow: `caller_retries` is how often the caller asks again."""
        from chalice.local import LambdaContext  # its home (chalice.test imports it, exports it not)

        import app  # noqa: F401  registers the blueprints, as the Lambda runtime does
        from chalicelib.activity.handlers import handle_agent_events
        from chalicelib.intake import handlers

        self.handlers = handlers
        self.handle_agent_events = handle_agent_events
        self.context = {
            name: LambdaContext(name, memory_size=256)
            for name in ("contact_events", "contact_trace_records", "contact_flow", "agent_events")
        }
        self.stats = ReplayStats()
        # What AWS gives up on after the attempts: the event itself (the events' dead-letter queue)
        # or the batch's unprocessed records (the trace records' failure queue), with its line.
        self.dead_letters: list[tuple[int, dict[str, Any]]] = []
        self.current_file = ""
        self.event_attempts, self.kinesis_attempts, self.flow_attempts = event_attempts, kinesis_attempts, flow_attempts
        self.caller_retries = caller_retries
        self.failed_flows: list[str] = []  # contact ids of flow invocations answered with an internal error

    def _problem(self, line_no: int, reason: str) -> None:
        where = f"{self.current_file}:" if self.current_file else ""
        self.stats.problems.append(f"{where}line {line_no}: {reason}")

    def replay_text(self, line_no: int, text: str) -> None:
        if not text.strip():
            self.stats.lines += 1
            return
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            self.stats.lines += 1
            self.stats.inputs += 1
            self.stats.rejected += 1
            self._problem(line_no, f"not valid JSON ({exc.msg} at column {exc.colno})")
            return
        self.replay_input(line_no, obj)

    def replay_input(self, line_no: int, obj: Any) -> None:
        from chalicelib.contacts.rejections import listening

        self.stats.lines += 1
        kind = input_kind(obj)
        if kind is None:
            self.stats.inputs += 1
            self.stats.rejected += 1
            self._problem(line_no, "not an EventBridge event, a Kinesis event or a contact-flow invocation")
            return

        def on_reject(rejection: Rejection) -> None:
            self.stats.rejected += 1
            where = f" (record {rejection.ref})" if rejection.ref else ""
            self._problem(line_no, f"{rejection.reason}{where}")

        with listening(on_reject):
            {"event": self._event, "kinesis": self._kinesis, "flow": self._flow}[kind](line_no, obj)

    def _with_retries(self, attempts: int, call: Callable[[], Any]) -> Any:
        for attempt in range(1, attempts + 1):
            try:
                return call()
            except Exception:
                if attempt == attempts:
                    raise
                self.stats.redelivered += 1
        return None

    def _event(self, line_no: int, obj: dict[str, Any]) -> None:
        self.stats.inputs += 1
        missing = [key for key in EVENTBRIDGE_ENVELOPE if key not in obj]
        if missing:  # EventBridge never delivers such an event; the Lambda runtime would fail on it
            self.stats.rejected += 1
            self._problem(line_no, f"not an EventBridge event: its envelope lacks {', '.join(missing)}")
            return
        try:
            context = self.context["contact_events"]
            result = self._with_retries(self.event_attempts, lambda: self.handlers.handle_contact_event(obj, context))
        except Exception as exc:
            self.stats.failed += 1
            self.dead_letters.append((line_no, obj))
            self._problem(line_no, f"failed after {self.event_attempts} attempts: {type(exc).__name__}")
            return
        if result["status"] == "recorded":
            self.stats.recorded += 1
        elif result["status"] == "ignored":
            self.stats.ignored += 1

    def _kinesis(self, line_no: int, obj: dict[str, Any]) -> None:
        records = obj[next(k for k in obj if k.lower() == "records")]
        kinds = [_is_agent_event(r) for r in records]
        agent_events = [r for r, agent in zip(records, kinds, strict=True) if agent]
        others = [r for r, agent in zip(records, kinds, strict=True) if not agent]
        if agent_events:
            self._kinesis_batch(line_no, obj, agent_events, self.handle_agent_events, "agent_events")
        if others:
            self._kinesis_batch(line_no, obj, others, self.handlers.handle_ctr_batch, "contact_trace_records")

    def _kinesis_batch(
        self, line_no: int, obj: dict[str, Any], records: list[dict[str, Any]], handler: BatchHandler, function: str
    ) -> None:
        self.stats.inputs += len(records)
        pending = records
        rejected_before = self.stats.rejected
        for attempt in range(1, self.kinesis_attempts + 1):
            try:
                batch = {**obj, "Records": pending}
                response = handler(batch, self.context[function])
            except Exception as exc:  # the whole batch failed: Kinesis redelivers all of it
                failed_ids = {_seq(r) for r in pending}
                reason = type(exc).__name__
            else:
                failed_ids = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
                reason = "reported in batchItemFailures"
            done = [r for r in pending if _seq(r) not in failed_ids]
            self.stats.recorded += len(done)
            pending = [r for r in pending if _seq(r) in failed_ids]
            if not pending:
                break
            if attempt < self.kinesis_attempts:
                self.stats.redelivered += len(pending)
        # Rejected records were acknowledged with the good ones; don't count them as recorded.
        self.stats.recorded -= self.stats.rejected - rejected_before
        if pending:
            self.dead_letters.append((line_no, {**obj, "Records": pending}))
        for record in pending:
            self.stats.failed += 1
            self._problem(line_no, f"record {_seq(record)} failed after {self.kinesis_attempts} attempts: {reason}")

    def _flow(self, line_no: int, obj: dict[str, Any]) -> None:
        self.stats.inputs += 1
        attempts = self.flow_attempts + (self.caller_retries if _asks_for_callback(obj) else 0)
        for attempt in range(1, attempts + 1):
            answer = self.handlers.handle_contact_flow(obj, self.context["contact_flow"])
            if answer.get("error_reason") != "internal":
                break
            if attempt < attempts:
                self.stats.redelivered += 1
        if answer.get("error") != "true":
            self.stats.recorded += 1
        elif answer.get("error_reason") != "invalid_input":  # rejections arrive through the listener
            self.stats.failed += 1
            self.failed_flows.append(str(_details(obj).get("ContactData", {}).get("ContactId", "")))
            self._problem(line_no, f"contact-flow handler error: {answer.get('error_reason')}")


def _details(obj: dict[str, Any]) -> dict[str, Any]:
    details = obj.get("Details") if isinstance(obj, dict) else None
    return details if isinstance(details, dict) else {}


def _asks_for_callback(obj: dict[str, Any]) -> bool:
    from chalicelib.contacts.inputs import REQUEST_CALLBACK

    parameters = _details(obj).get("Parameters")
    return isinstance(parameters, dict) and str(parameters.get("action", "")).strip().lower() == REQUEST_CALLBACK


def _is_agent_event(record: dict[str, Any]) -> bool:
    """Whether a Kinesis record carries an agent event (its decoded data has `EventType` and `AgentARN`)."""
    from chalicelib.activity.inputs import is_agent_event

    try:
        raw = base64.b64decode(str(record.get("kinesis", {}).get("data")), validate=True)
        # Cheap first: a trace record never has these keys (a record naming them is parsed to be sure).
        if b'"agentarn"' not in raw.lower() or b'"eventtype"' not in raw.lower():
            return False
        data = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return False
    return is_agent_event(data)


def _seq(record: dict[str, Any]) -> str:
    return str(record.get("kinesis", {}).get("sequenceNumber"))


def iter_lines(paths: Iterable[str]) -> Iterable[tuple[str, int, str]]:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line_no, text in enumerate(handle, start=1):
                yield path, line_no, text
