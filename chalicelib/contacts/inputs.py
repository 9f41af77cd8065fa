"""Parse the three Amazon Connect inputs into facts, once, at the edge.

- EventBridge "Amazon Connect Contact Event" → `fact_from_contact_event`
- a contact trace record (one Kinesis record's data) → `fact_from_ctr`
- a contact-flow Lambda invocation → `fact_from_flow_invocation`

Field names and enumeration values are read case-insensitively (AWS's own samples
write `Voice` and `AgentInfo` beside `VOICE` and `agentInfo`); unknown fields are
ignored. A channel, initiation method, disconnect reason or event type AWS adds is
recorded as it is (`vocabulary.py`). Only an input that cannot be a contact record
raises `InputRejected`, with a reason that names the field: not an object of one of
the three shapes, no contact id, or a time that is not a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from chalicelib.contacts.categories import normalise_category
from chalicelib.contacts.facts import EVENT_PREFIX, SOURCE_CTR, SOURCE_FLOW, Fact
from chalicelib.contacts.rejections import InputRejected
from chalicelib.contacts.survey import RESOLVED_ATTRIBUTE, SCORE_ATTRIBUTE, survey_resolved, survey_score
from chalicelib.contacts.vocabulary import word
from chalicelib.core.times import iso

CATEGORY_ATTRIBUTE = "category"
CALLBACK_ATTRIBUTE = "callback_id"
REQUEST_CALLBACK = "request_callback"  # the contact-flow block's `action` parameter
# Set by the customer-queue flow just before its Lambda block records the request, so the trace
# record carries a caller's "call me back" even when that Lambda call failed.
CALLBACK_REQUESTED_ATTRIBUTE = "callback_requested"
# Set beside it by the inbound flow's closed branch: "call me back when you open" (6(4)).
CALLBACK_OUT_OF_HOURS_ATTRIBUTE = "callback_out_of_hours"


def _f(aws_name: str, default: Any = None) -> Any:
    """A field read case-insensitively (keys are lower-cased first); `title` keeps AWS's spelling for errors."""
    return Field(default, alias=aws_name.lower(), title=aws_name)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    # Connect writes 1970-01-01T00:00:00.001Z for "not yet" (e.g. connectedToAgentTimestamp
    # in a CONTACT_DATA_UPDATED event before any agent): that is no time at all.
    return None if value.year < 2000 else value


Timestamp = Annotated[datetime | None, AfterValidator(_utc)]


Word = Annotated[str | None, AfterValidator(word)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=False, frozen=True)


class _Endpoint(_Lenient):
    address: str | None = _f("Address")
    type: Word = _f("Type")


# --- EventBridge contact events -------------------------------------------------------------


class _QueueInfo(_Lenient):
    queue_arn: str | None = _f("queueArn")
    enqueued: Timestamp = _f("enqueueTimestamp")


class _AgentInfo(_Lenient):
    agent_arn: str | None = _f("agentArn")
    connected: Timestamp = _f("connectedToAgentTimestamp")


class _EventDetail(_Lenient):
    contact_id: str = _f("contactId", ...)
    event_type: Word = _f("eventType")
    channel: Word = _f("channel")
    initiation_method: Word = _f("initiationMethod")
    initiated: Timestamp = _f("initiationTimestamp")
    connected_to_system: Timestamp = _f("connectedToSystemTimestamp")
    disconnected: Timestamp = _f("disconnectTimestamp")
    # No `disconnectReason`: events document it only as an outbound-campaign code object,
    # never CUSTOMER_DISCONNECT / TELECOM_PROBLEM; docs/figures.md classifies event-only contacts without it.
    queue: _QueueInfo | None = _f("queueInfo")
    agent: _AgentInfo | None = _f("agentInfo")
    customer: _Endpoint | None = _f("customerEndpoint")
    previous_contact_id: str | None = _f("previousContactId")
    initial_contact_id: str | None = _f("initialContactId")
    attributes: dict[str, Any] | None = _f("attributes")
    segment_attributes: Any = _f("SegmentAttributes")


class _ContactEvent(_Lenient):
    time: Timestamp = _f("time")
    detail: _EventDetail = _f("detail", ...)


# --- Contact trace records ------------------------------------------------------------------


class _CtrQueue(_Lenient):
    arn: str | None = _f("ARN")
    name: str | None = _f("Name")
    enqueued: Timestamp = _f("EnqueueTimestamp")
    dequeued: Timestamp = _f("DequeueTimestamp")
    duration: float | None = _f("Duration")


class _CtrAgent(_Lenient):
    arn: str | None = _f("ARN")
    username: str | None = _f("Username")
    connected: Timestamp = _f("ConnectedToAgentTimestamp")
    interaction: float | None = _f("AgentInteractionDuration")
    hold: float | None = _f("CustomerHoldDuration")
    acw: float | None = _f("AfterContactWorkDuration")


class _Ctr(_Lenient):
    contact_id: str = _f("ContactId", ...)
    channel: Word = _f("Channel")
    initiation_method: Word = _f("InitiationMethod")
    initiated: Timestamp = _f("InitiationTimestamp")
    connected_to_system: Timestamp = _f("ConnectedToSystemTimestamp")
    disconnected: Timestamp = _f("DisconnectTimestamp")
    disconnect_reason: Word = _f("DisconnectReason")
    last_update: Timestamp = _f("LastUpdateTimestamp")
    queue: _CtrQueue | None = _f("Queue")
    agent: _CtrAgent | None = _f("Agent")
    customer: _Endpoint | None = _f("CustomerEndpoint")
    attributes: dict[str, Any] | None = _f("Attributes")
    segment_attributes: Any = _f("SegmentAttributes")
    previous_contact_id: str | None = _f("PreviousContactId")
    initial_contact_id: str | None = _f("InitialContactId")


# --- Contact-flow invocations ---------------------------------------------------------------


class _FlowContactData(_Lenient):
    contact_id: str = _f("ContactId", ...)
    channel: Word = _f("Channel")
    initiation_method: Word = _f("InitiationMethod")
    customer: _Endpoint | None = _f("CustomerEndpoint")
    attributes: dict[str, Any] | None = _f("Attributes")
    segment_attributes: Any = _f("SegmentAttributes")
    previous_contact_id: str | None = _f("PreviousContactId")
    initial_contact_id: str | None = _f("InitialContactId")


class _FlowDetails(_Lenient):
    contact_data: _FlowContactData = _f("ContactData", ...)
    parameters: dict[str, Any] | None = _f("Parameters")


class _FlowInvocation(_Lenient):
    details: _FlowDetails = _f("Details", ...)
    name: str | None = _f("Name")


# --- parsing ----------------------------------------------------------------------------------


def lower_keys(value: Any) -> Any:
    """Dict keys lower-cased at every level, so `AgentInfo` and `agentInfo` read alike."""
    if isinstance(value, dict):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def _contact_id_of(raw: Any, *path: str) -> str | None:
    node = raw
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node if isinstance(node, str) else None


def _spelled(model: Any, loc: tuple[int | str, ...]) -> str:
    """An error location in AWS's spelling, e.g. `detail.queueInfo.enqueueTimestamp`."""
    names = []
    for part in loc:
        fields_ = getattr(model, "model_fields", {})
        found = next((f for f in fields_.values() if f.alias == part), None)
        if found is None:
            names.append(str(part))
            model = None
            continue
        names.append(found.title or str(part))
        model = next(
            (
                a
                for a in (found.annotation, *get_args(found.annotation))
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
    return ".".join(names)


def _parse(model: type[_Lenient], raw: Any, what: str, id_path: tuple[str, ...]) -> Any:
    if not isinstance(raw, dict):
        raise InputRejected(f"{what}: expected a JSON object, got {type(raw).__name__}")
    lowered = lower_keys(raw)
    try:
        return model.model_validate(lowered)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _spelled(model, tuple(first["loc"]))
        raise InputRejected(f"{what}: {where}: {first['msg']}", _contact_id_of(lowered, *id_path)) from None


def _require_id(contact_id: str, field: str) -> str:
    if not contact_id.strip():
        raise InputRejected(f"{field} is empty")
    return contact_id.strip()


def _category(attributes: dict[str, Any] | None) -> str | None:
    if not attributes:
        return None
    value = attributes.get(CATEGORY_ATTRIBUTE)
    return normalise_category(value) if isinstance(value, str) else None


def _score(attributes: dict[str, Any] | None) -> str | None:
    return survey_score((attributes or {}).get(SCORE_ATTRIBUTE))


def _resolved(attributes: dict[str, Any] | None) -> str | None:
    return survey_resolved((attributes or {}).get(RESOLVED_ATTRIBUTE))


def _subtype(segment_attributes: Any) -> str | None:
    """`SegmentAttributes` `connect:Subtype`, e.g. `{"ValueString": "connect:SMS"}` on a CHAT contact."""
    value = segment_attributes.get("connect:subtype") if isinstance(segment_attributes, dict) else None
    if isinstance(value, dict):
        value = value.get("valuestring")
    return word(value, upper=False)


def _callback_id(attributes: dict[str, Any] | None) -> str | None:
    value = (attributes or {}).get(CALLBACK_ATTRIBUTE)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _flag(attributes: dict[str, Any] | None, name: str) -> bool | None:
    """True when the flow set the attribute to "true"; else None (nothing said)."""
    value = (attributes or {}).get(name)
    return True if isinstance(value, str) and value.strip().lower() == "true" else None


def _asked_callback(attributes: dict[str, Any] | None) -> bool | None:
    return _flag(attributes, CALLBACK_REQUESTED_ATTRIBUTE)


def _asked_out_of_hours(attributes: dict[str, Any] | None) -> bool | None:
    return _flag(attributes, CALLBACK_OUT_OF_HOURS_ATTRIBUTE)


def _endpoint(ep: _Endpoint | None) -> tuple[str | None, str | None]:
    if ep is None or not ep.address:
        return None, ep.type if ep else None
    return ep.address.strip(), ep.type


def fact_from_contact_event(raw: Any) -> Fact:
    event = _parse(_ContactEvent, raw, "contact event", ("detail", "contactid"))
    d = event.detail
    contact_id = _require_id(d.contact_id, "detail.contactId")
    if not d.event_type:
        raise InputRejected("contact event: detail.eventType is missing", contact_id)
    address, kind = _endpoint(d.customer)
    return Fact(
        contact_id=contact_id,
        source=EVENT_PREFIX + d.event_type,
        at=iso(event.time),
        channel=d.channel,
        subtype=_subtype(d.segment_attributes),
        initiation_method=d.initiation_method,
        initiated_at=iso(d.initiated),
        connected_to_system_at=iso(d.connected_to_system),
        queue_arn=d.queue.queue_arn if d.queue else None,
        enqueued_at=iso(d.queue.enqueued) if d.queue else None,
        agent_arn=d.agent.agent_arn if d.agent else None,
        connected_to_agent_at=iso(d.agent.connected) if d.agent else None,
        disconnected_at=iso(d.disconnected),
        category=_category(d.attributes),
        survey_score=_score(d.attributes),
        survey_resolved=_resolved(d.attributes),
        customer_address=address,
        customer_type=kind,
        previous_contact_id=d.previous_contact_id,
        initial_contact_id=d.initial_contact_id,
    )


def fact_from_ctr(raw: Any) -> Fact:
    ctr = _parse(_Ctr, raw, "contact trace record", ("contactid",))
    contact_id = _require_id(ctr.contact_id, "ContactId")
    q, a = ctr.queue, ctr.agent
    address, kind = _endpoint(ctr.customer)
    return Fact(
        contact_id=contact_id,
        source=SOURCE_CTR,
        at=iso(ctr.last_update),
        channel=ctr.channel,
        subtype=_subtype(ctr.segment_attributes),
        initiation_method=ctr.initiation_method,
        initiated_at=iso(ctr.initiated),
        connected_to_system_at=iso(ctr.connected_to_system),
        queue_arn=q.arn if q else None,
        queue_name=q.name if q else None,
        enqueued_at=iso(q.enqueued) if q else None,
        dequeued_at=iso(q.dequeued) if q else None,
        queue_seconds=q.duration if q else None,
        agent_arn=a.arn if a else None,
        agent_username=a.username if a else None,
        connected_to_agent_at=iso(a.connected) if a else None,
        interaction_seconds=a.interaction if a else None,
        hold_seconds=a.hold if a else None,
        acw_seconds=a.acw if a else None,
        disconnected_at=iso(ctr.disconnected),
        disconnect_reason=ctr.disconnect_reason,
        category=_category(ctr.attributes),
        callback_id=_callback_id(ctr.attributes),
        callback_requested=_asked_callback(ctr.attributes),
        callback_out_of_hours=_asked_out_of_hours(ctr.attributes),
        survey_score=_score(ctr.attributes),
        survey_resolved=_resolved(ctr.attributes),
        customer_address=address,
        customer_type=kind,
        previous_contact_id=ctr.previous_contact_id,
        initial_contact_id=ctr.initial_contact_id,
    )


def parse_flow_invocation(raw: Any) -> tuple[Fact, dict[str, Any]]:
    """The contact as the flow sees it now, and the block's parameters."""
    invocation = _parse(_FlowInvocation, raw, "contact-flow invocation", ("details", "contactdata", "contactid"))
    data = invocation.details.contact_data
    contact_id = _require_id(data.contact_id, "Details.ContactData.ContactId")
    address, kind = _endpoint(data.customer)
    parameters = dict(invocation.details.parameters or {})
    action = str(parameters.get("action", "")).strip().lower()
    fact = Fact(
        contact_id=contact_id,
        source=SOURCE_FLOW,
        channel=data.channel,
        subtype=_subtype(data.segment_attributes),
        initiation_method=data.initiation_method,
        category=_category(data.attributes),
        callback_id=_callback_id(data.attributes),
        callback_requested=True if action == REQUEST_CALLBACK else _asked_callback(data.attributes),
        callback_out_of_hours=_asked_out_of_hours(data.attributes),
        survey_score=_score(data.attributes),
        survey_resolved=_resolved(data.attributes),
        customer_address=address,
        customer_type=kind,
        previous_contact_id=data.previous_contact_id,
        initial_contact_id=data.initial_contact_id,
    )
    return fact, parameters
