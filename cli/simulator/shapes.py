"""Pure builders for Amazon Connect inputs, in the shapes AWS documents (no AWS calls).

Sources (tests/fixtures/AWS_SHAPES.md says what was verified; tests/fixtures/published/ holds the
docs' own samples):

* EventBridge contact events -- "Amazon Connect contact events"
  https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html
* Contact records (CTR) -- "Data model for Amazon Connect contact records"
  https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html
* Lambda Kinesis event -- https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
* Flow "Invoke AWS Lambda function" input --
  https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html and
  https://docs.aws.amazon.com/lambda/latest/dg/services-connect.html
* Agent events (Kinesis) -- "Agent event streams data model"
  https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html

Timestamps: contact-event detail fields are ``yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`` (``iso_event``); CTR
fields and the EventBridge envelope ``time`` are ``yyyy-mm-ddThh:mm:ssZ`` (``iso_ctr``), as in every
published sample.
Contact events omit absent keys; contact records render absent values as JSON ``null`` ("In the contact
record it will appear as null").
"""

from __future__ import annotations

import base64
import itertools
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

ACCOUNT_ID = "111122223333"
REGION = "eu-central-1"
INSTANCE_ID = "12345678-1234-1234-1234-123456789012"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT_ID}:instance/{INSTANCE_ID}"
SYSTEM_NUMBER = "+903120000000"
CUSTOMER_NUMBER = "+905551112233"
T0 = datetime(2025, 1, 15, 9, 0, 0, tzinfo=UTC)

# Documented enumerations (AWS says new values may appear; builders do not reject unknown ones,
# except event disconnect reasons, which the events page limits to outbound-campaign codes).
EVENT_TYPES = (
    "AMD_DISABLED",
    "INITIATED",
    "CONNECTED_TO_SYSTEM",
    "CONTACT_DATA_UPDATED",
    "QUEUED",
    "CONNECTED_TO_AGENT",
    "COMPLETED",
    "DISCONNECTED",
    "PAUSED",
    "RESUMED",
)
CHANNELS = ("VOICE", "CHAT", "TASK", "EMAIL")
INITIATION_METHODS = (
    "INBOUND",
    "OUTBOUND",
    "TRANSFER",
    "CALLBACK",
    "API",
    "WEBRTC_API",
    "QUEUE_TRANSFER",
    "EXTERNAL_OUTBOUND",
    "MONITOR",
    "DISCONNECT",
    "AGENT_REPLY",
    "FLOW",
)
EVENT_DISCONNECT_REASONS = (
    "OUTBOUND_DESTINATION_ENDPOINT_ERROR",
    "OUTBOUND_RESOURCE_ERROR",
    "OUTBOUND_ATTEMPT_FAILED",
    "OUTBUND_PREVIEW_DISCARDED",
    "EXPIRED",
    "DISCARDED",
)
CTR_DISCONNECT_REASONS = {
    "VOICE": (
        "TELECOM_BUSY",
        "TELECOM_NUMBER_INVALID",
        "TELECOM_POTENTIAL_BLOCKING",
        "TELECOM_UNANSWERED",
        "TELECOM_TIMEOUT",
        "TELECOM_ORIGINATOR_CANCEL",
        "TELECOM_PROBLEM",
        "CUSTOMER_NEVER_ARRIVED",
        "THIRD_PARTY_DISCONNECT",
        "CUSTOMER_DISCONNECT",
        "AGENT_DISCONNECT",
        "BARGED",
        "CONTACT_FLOW_DISCONNECT",
        "OTHER",
    ),
    "OUTBOUND_CAMPAIGN": (
        "OUTBOUND_DESTINATION_ENDPOINT_ERROR",
        "OUTBOUND_RESOURCE_ERROR",
        "OUTBOUND_ATTEMPT_FAILED",
        "OUTBUND_PREVIEW_DISCARDED",
        "EXPIRED",
    ),
    "CHAT": (
        "AGENT_DISCONNECT",
        "CUSTOMER_DISCONNECT",
        "AGENT_NETWORK_DISCONNECT",
        "CUSTOMER_CONNECTION_NOT_ESTABLISHED",
        "EXPIRED",
        "CONTACT_FLOW_DISCONNECT",
        "API",
        "BARGED",
        "IDLE_DISCONNECT",
        "THIRD_PARTY_DISCONNECT",
        "SYSTEM_ERROR",
    ),
    "TASK": ("AGENT_COMPLETED", "AGENT_DISCONNECT", "EXPIRED", "CONTACT_FLOW_DISCONNECT", "API", "OTHER"),
    "EMAIL": ("TRANSFERRED", "AGENT_DISCONNECT", "EXPIRED", "DISCARDED", "CONTACT_FLOW_DISCONNECT", "API", "OTHER"),
}

_sequence = itertools.count()


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"timestamp must be timezone-aware, got naive {dt!r}")
    return dt.astimezone(UTC)


def iso_event(dt: datetime) -> str:
    """Contact-event detail timestamp: ``2021-08-04T17:17:53.000Z`` (milliseconds, Z)."""
    dt = _utc(dt)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"


def iso_ctr(dt: datetime) -> str:
    """CTR (and EventBridge envelope ``time``) timestamp: ``2022-01-05T17:12:59Z`` (whole seconds)."""
    return f"{_utc(dt):%Y-%m-%dT%H:%M:%SZ}"


def queue_arn(queue_id: str = "aaaaaaaa-bbbb-cccc-dddd-000000000001") -> str:
    return f"{INSTANCE_ARN}/queue/{queue_id}"


def agent_arn(agent_id: str = "aaaaaaaa-bbbb-cccc-dddd-100000000001") -> str:
    return f"{INSTANCE_ARN}/agent/{agent_id}"


def _endpoint(address: str | None) -> dict[str, str] | None:
    return None if address is None else {"Address": address, "Type": "TELEPHONE_NUMBER"}


# --------------------------------------------------------------------------- EventBridge contact events
def contact_event(
    event_type: str,
    contact_id: str,
    *,
    channel: str = "VOICE",
    initiation_method: str = "INBOUND",
    initiation: datetime = T0,
    time: datetime | None = None,
    queue_arn: str | None = None,
    enqueued: datetime | None = None,
    agent_arn: str | None = None,
    connected_to_agent: datetime | None = None,
    disconnected: datetime | None = None,
    connected_to_system: datetime | None = None,
    previous_contact_id: str | None = None,
    initial_contact_id: str | None = None,
    disconnect_reason: str | None = None,
    attributes: dict[str, str] | None = None,
    **extra_detail: Any,
) -> dict[str, Any]:
    """An EventBridge "Amazon Connect Contact Event", camelCase detail as in the current samples.

    * Keys whose value is None are omitted.
    * ``attributes``: contact events carry NO user-defined attribute values (no such field is documented).
      For CONTACT_DATA_UPDATED the only trace is ``updatedProperties: ["UserDefinedAttributes"]``;
      the values themselves are dropped. For other event types the argument is ignored.
    * ``disconnect_reason``: the events page documents "DisconnectReason code" only for outbound-campaign
      contacts whose media connection failed; no sample shows its JSON, so the ``{"code": ...}`` object
      shape is inferred from that heading (and API_DisconnectReason ``Code``). CTR-only reasons such as
      CUSTOMER_DISCONNECT raise ValueError.
    * ``queueInfo`` is refused for OUTBOUND: "queueInfo is not included in events received by EventBridge
      when initiationMethod is OUTBOUND".
    * ``**extra_detail`` is merged last, verbatim (e.g. ``tags=...``, ``routingCriteria=...``).
    """
    if enqueued is not None and queue_arn is None:
        raise ValueError("enqueued needs queue_arn (queueInfo)")
    if connected_to_agent is not None and agent_arn is None:
        raise ValueError("connected_to_agent needs agent_arn (agentInfo)")
    if queue_arn is not None and initiation_method == "OUTBOUND":
        raise ValueError("AWS does not include queueInfo in events when initiationMethod is OUTBOUND")
    if disconnect_reason is not None and disconnect_reason not in EVENT_DISCONNECT_REASONS:
        raise ValueError(
            f"{disconnect_reason!r} is a contact-record reason; contact events document only {EVENT_DISCONNECT_REASONS}"
        )

    detail: dict[str, Any] = {
        "eventType": event_type,
        "contactId": contact_id,
        "initialContactId": initial_contact_id,
        "previousContactId": previous_contact_id,
        "channel": channel,
        "instanceArn": INSTANCE_ARN,
        "initiationMethod": initiation_method,
        "initiationTimestamp": iso_event(initiation),
        "connectedToSystemTimestamp": connected_to_system and iso_event(connected_to_system),
        "disconnectTimestamp": disconnected and iso_event(disconnected),
    }
    if queue_arn is not None:
        detail["queueInfo"] = {"queueArn": queue_arn, "queueType": "STANDARD"}
        if enqueued is not None:
            detail["queueInfo"]["enqueueTimestamp"] = iso_event(enqueued)
    if agent_arn is not None:
        detail["agentInfo"] = {"agentArn": agent_arn}
        if connected_to_agent is not None:
            detail["agentInfo"]["connectedToAgentTimestamp"] = iso_event(connected_to_agent)
    if disconnect_reason is not None:
        detail["disconnectReason"] = {"code": disconnect_reason}
    if attributes is not None and event_type == "CONTACT_DATA_UPDATED":
        detail["updatedProperties"] = ["UserDefinedAttributes"]
    detail["tags"] = {"aws:connect:instanceId": INSTANCE_ID}
    detail.update(extra_detail)
    detail = {k: v for k, v in detail.items() if v is not None}

    stamps = [t for t in (initiation, connected_to_system, enqueued, connected_to_agent, disconnected) if t]
    contact_arn = f"{INSTANCE_ARN}/contact/{contact_id}"
    return {
        "version": "0",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{contact_arn}#{event_type}")),
        "detail-type": "Amazon Connect Contact Event",
        "source": "aws.connect",
        "account": ACCOUNT_ID,
        "time": iso_ctr(time if time is not None else max(stamps, key=_utc)),
        "region": REGION,
        "resources": [contact_arn, INSTANCE_ARN],
        "detail": detail,
    }


# --------------------------------------------------------------------------- contact trace records
class CtrQueue(TypedDict, total=False):
    """``ctr``'s ``queue``: what differs from the defaults (see ``ctr``)."""

    arn: str
    name: str
    enqueue: datetime | None
    dequeue: datetime | None
    duration: int | None


class CtrAgent(TypedDict, total=False):
    """``ctr``'s ``agent``: what differs from the defaults (see ``ctr``)."""

    arn: str
    username: str | None
    connected: datetime | None
    interaction: int | None
    hold: int | None
    longest_hold: int | None
    holds: int
    acw: int | None
    acw_start: datetime | None
    routing_profile: str
    routing_profile_arn: str
    hierarchy_groups: dict[str, Any] | None


_QUEUE_KEYS = set(CtrQueue.__optional_keys__)  # every key of a total=False TypedDict is optional
_AGENT_KEYS = set(CtrAgent.__optional_keys__)


def _check_keys(kind: str, given: Mapping[str, object], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"unknown {kind} keys {sorted(unknown)}; allowed: {sorted(allowed)}")


def ctr(
    contact_id: str,
    *,
    channel: str = "VOICE",
    initiation_method: str = "INBOUND",
    initiation: datetime = T0,
    last_update: datetime | None = None,
    disconnected: datetime | None = None,
    disconnect_reason: str | None = "CUSTOMER_DISCONNECT",
    customer_number: str | None = CUSTOMER_NUMBER,
    system_number: str | None = SYSTEM_NUMBER,
    connected_to_system: datetime | None = None,
    queue: CtrQueue | None = None,
    agent: CtrAgent | None = None,
    attributes: dict[str, str] | None = None,
    previous_contact_id: str | None = None,
    initial_contact_id: str | None = None,
    next_contact_id: str | None = None,
) -> dict[str, Any]:
    """A contact record as streamed to Kinesis (PascalCase keys, format version "2017-03-10").

    ``queue`` keys: arn, name, enqueue (datetime), dequeue (datetime; default = agent connect time, else
    disconnect -- "Either the customer disconnected or the agent started interacting"), duration (whole
    seconds; default dequeue - enqueue).
    ``agent`` keys: arn, username, connected (datetime), interaction / hold / longest_hold / holds (ints),
    acw (seconds or None), acw_start (default = disconnect), routing_profile, routing_profile_arn,
    hierarchy_groups. ``disconnected`` defaults to initiation + 3 min; ``last_update`` to the end of ACW
    (or disconnect) + 60 s. ``ConnectedToSystemTimestamp`` defaults to initiation ("For INBOUND, this
    matches InitiationTimestamp"). Absent values are rendered null, not omitted.
    """
    disconnected = disconnected or initiation + timedelta(minutes=3)
    connected_to_system = connected_to_system or initiation

    agent_obj = None
    acw_end = None
    connected = None
    if agent is not None:
        _check_keys("agent", agent, _AGENT_KEYS)
        connected = agent.get("connected") or initiation + timedelta(seconds=30)
        acw = agent.get("acw")
        acw_start = None
        if acw is not None:
            acw_start = agent.get("acw_start") or disconnected
            acw_end = acw_start + timedelta(seconds=acw)
        rp_name = agent.get("routing_profile", "Basic Routing Profile")
        agent_obj = {
            "ARN": agent.get("arn") or agent_arn(),
            "AfterContactWorkDuration": acw,
            "AfterContactWorkEndTimestamp": acw_end and iso_ctr(acw_end),
            "AfterContactWorkStartTimestamp": acw_start and iso_ctr(acw_start),
            "AgentInteractionDuration": agent.get("interaction", int((disconnected - connected).total_seconds())),
            "ConnectedToAgentTimestamp": iso_ctr(connected),
            "CustomerHoldDuration": agent.get("hold", 0),
            "HierarchyGroups": agent.get("hierarchy_groups"),
            "LongestHoldDuration": agent.get("longest_hold", 0),
            "NumberOfHolds": agent.get("holds", 0),
            "RoutingProfile": {
                "ARN": agent.get("routing_profile_arn")
                or f"{INSTANCE_ARN}/routing-profile/aaaaaaaa-bbbb-cccc-dddd-200000000001",
                "Name": rp_name,
            },
            "Username": agent.get("username", "agent1"),
        }

    queue_obj = None
    if queue is not None:
        _check_keys("queue", queue, _QUEUE_KEYS)
        enqueue = queue.get("enqueue") or initiation + timedelta(seconds=10)
        dequeue = queue.get("dequeue") or connected or disconnected
        queue_obj = {
            "ARN": queue.get("arn") or queue_arn(),
            "DequeueTimestamp": iso_ctr(dequeue),
            "Duration": queue.get("duration", int((dequeue - enqueue).total_seconds())),
            "EnqueueTimestamp": iso_ctr(enqueue),
            "Name": queue.get("name", "BasicQueue"),
        }

    last_update = last_update or max(acw_end or disconnected, disconnected) + timedelta(seconds=60)
    media = {"VOICE": [{"Type": "AUDIO"}], "CHAT": [{"Type": "CHAT"}]}.get(channel, [])
    return {
        "AWSAccountId": ACCOUNT_ID,
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Agent": agent_obj,
        "AgentConnectionAttempts": 1 if agent_obj else 0,
        "Attributes": dict(attributes or {}),
        "Channel": channel,
        "ConnectedToSystemTimestamp": iso_ctr(connected_to_system),
        "ContactId": contact_id,
        "CustomerEndpoint": _endpoint(customer_number),
        "DisconnectReason": disconnect_reason,
        "DisconnectTimestamp": iso_ctr(disconnected),
        "InitialContactId": initial_contact_id,
        "InitiationMethod": initiation_method,
        "InitiationTimestamp": iso_ctr(initiation),
        "InstanceARN": INSTANCE_ARN,
        "LastUpdateTimestamp": iso_ctr(last_update),
        "MediaStreams": media,
        "NextContactId": next_contact_id,
        "PreviousContactId": previous_contact_id,
        "Queue": queue_obj,
        "Recording": None,
        "Recordings": None,
        "SystemEndpoint": _endpoint(system_number),
        "TransferCompletedTimestamp": None,
        "TransferredToEndpoint": None,
    }


# --------------------------------------------------------------------------- Lambda Kinesis event
def kinesis_event(*ctrs: dict[str, Any], corrupt: tuple[int, ...] = ()) -> dict[str, Any]:
    """Lambda event for a Kinesis data stream carrying ``ctrs`` (base64 of the JSON record), or agent events.

    Indexes in ``corrupt`` get bad data: even positions within ``corrupt`` get valid base64 of non-JSON
    bytes, odd positions get a string that is not base64. Sequence numbers (and so eventIDs) are unique
    across every call in the process. partitionKey = ContactId (an agent event's AgentARN) is a fixture
    choice (not documented).
    """
    bad = [i for i in corrupt if not 0 <= i < len(ctrs)]
    if bad:
        raise IndexError(f"corrupt indexes {bad} out of range for {len(ctrs)} records")
    records = []
    for i, record in enumerate(ctrs):
        seq = str(49590338271490256608559692538361571095921575989136588898 + next(_sequence))
        if i in corrupt:
            data = base64.b64encode(b"{not json").decode() if corrupt.index(i) % 2 == 0 else "%%% not base64 %%%"
        else:
            data = base64.b64encode(json.dumps(record).encode("utf-8")).decode("ascii")
        arrived = _published_at(record)
        records.append(
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": str(record.get("ContactId", record.get("AgentARN", i))),
                    "sequenceNumber": seq,
                    "data": data,
                    "approximateArrivalTimestamp": round(arrived.timestamp() + 1 + i / 1000, 3),
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"shardId-000000000000:{seq}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": f"arn:aws:iam::{ACCOUNT_ID}:role/lambda-role",
                "awsRegion": REGION,
                "eventSourceARN": f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/connect-ctr-stream",
            }
        )
    return {"Records": records}


def _published_at(record: dict[str, Any]) -> datetime:
    """When the record reached the stream: a CTR's LastUpdateTimestamp, an agent event's EventTimestamp."""
    for key, layout in (("LastUpdateTimestamp", "%Y-%m-%dT%H:%M:%SZ"), ("EventTimestamp", "%Y-%m-%dT%H:%M:%S.%fZ")):
        try:
            return datetime.strptime(record[key], layout).replace(tzinfo=UTC)
        except (KeyError, TypeError, ValueError):
            continue
    return T0


# --------------------------------------------------------------------------- flow Lambda invocation
def flow_invocation(
    contact_id: str,
    *,
    customer_number: str | None = CUSTOMER_NUMBER,
    channel: str = "VOICE",
    initiation_method: str = "INBOUND",
    attributes: dict[str, str] | None = None,
    parameters: dict[str, Any] | None = None,
    system_number: str | None = SYSTEM_NUMBER,
    queue: dict[str, str] | None = None,
    previous_contact_id: str | None = None,
    initial_contact_id: str | None = None,
    **extra_contact_data: Any,
) -> dict[str, Any]:
    """Input of the flow block "Invoke AWS Lambda function" (Name "ContactFlowEvent").

    Keys follow the Lambda developer guide sample; IDs default to ``contact_id`` as in that sample.
    ``queue`` is ``{"ARN": ..., "Name": ...}`` or None (rendered null). Extra ContactData keys from the
    admin-guide sample (e.g. ``LanguageCode``, ``MediaStreams``, ``CustomerId``) go in
    ``**extra_contact_data``.
    """
    contact_data: dict[str, Any] = {
        "Attributes": dict(attributes or {}),
        "Channel": channel,
        "ContactId": contact_id,
        "CustomerEndpoint": _endpoint(customer_number),
        "InitialContactId": initial_contact_id or contact_id,
        "InitiationMethod": initiation_method,
        "InstanceARN": INSTANCE_ARN,
        "PreviousContactId": previous_contact_id or contact_id,
        "Queue": queue,
        "SystemEndpoint": _endpoint(system_number),
    }
    contact_data.update(extra_contact_data)
    return {"Details": {"ContactData": contact_data, "Parameters": dict(parameters or {})}, "Name": "ContactFlowEvent"}


# --------------------------------------------------------------------------- agent events (Kinesis)
AGENT_EVENT_TYPES = ("LOGIN", "LOGOUT", "STATE_CHANGE", "HEART_BEAT")
AGENT_STATUS_TYPES = ("ROUTABLE", "CUSTOM", "OFFLINE")
AGENT_CONTACT_STATES = (
    "INCOMING",
    "PENDING",
    "CONNECTING",
    "CONNECTED",
    "CONNECTED_ONHOLD",
    "MISSED",
    "ERROR",
    "ENDED",
    "REJECTED",
    "PAUSED",
)
AGENT_EVENT_VERSION = "2019-05-25"
ROUTING_PROFILE_ID = "aaaaaaaa-bbbb-cccc-dddd-0000000007b1"


def agent_status(name: str, kind: str, since: datetime) -> dict[str, Any]:
    """``AgentStatus``: its ARN (the status's, not the agent's), name, type and since when."""
    status_id = uuid.uuid5(uuid.NAMESPACE_URL, f"agent-state:{name}")
    return {
        "ARN": f"{INSTANCE_ARN}/agent-state/{status_id}",
        "Name": name,
        "StartTimestamp": iso_event(since),
        "Type": kind,
    }


def agent_contact(
    contact_id: str,
    state: str,
    since: datetime,
    *,
    channel: str = "VOICE",
    initiation_method: str = "INBOUND",
    connected: datetime | None = None,
    queued: datetime | None = None,
    queue_id: str | None = None,
) -> dict[str, Any]:
    """One entry of a snapshot's ``Contacts``, as "About contact states" prints it."""
    return {
        "Channel": channel,
        "ConnectedToAgentTimestamp": iso_event(connected) if connected else None,
        "ContactId": contact_id,
        "InitialContactId": None,
        "InitiationMethod": initiation_method,
        "Queue": {"ARN": queue_arn(queue_id), "Name": None} if queue_id else None,
        "QueueTimestamp": iso_event(queued) if queued else None,
        "State": state,
        "StateStartTimestamp": iso_event(since),
    }


def agent_snapshot(
    username: str,
    status: dict[str, Any],
    contacts: list[dict[str, Any]] | None = None,
    *,
    first_name: str = "Temsilci",
    last_name: str = "Çağrı",
) -> dict[str, Any]:
    """``AgentSnapshot``: the status, the configuration (names included, as Connect sends them) and contacts.

    The routing profile carries its ARN, name and concurrency; the sample's queue lists are left out (a month
    of events is tens of thousands of them, and nothing reads those lists)."""
    return {
        "AgentStatus": status,
        "NextAgentStatus": None,
        "Configuration": {
            "AgentHierarchyGroups": None,
            "FirstName": first_name,
            "LastName": last_name,
            "RoutingProfile": {
                "ARN": f"{INSTANCE_ARN}/routing-profile/{ROUTING_PROFILE_ID}",
                "Concurrency": [{"AvailableSlots": 0 if contacts else 1, "Channel": "VOICE", "MaximumSlots": 1}],
                "Name": "Cagri canli",
            },
            "Username": username,
        },
        "Contacts": list(contacts or []),
    }


def agent_event(
    event_type: str,
    agent_id: str,
    at: datetime,
    current: dict[str, Any],
    previous: dict[str, Any] | None = None,
    *,
    event_id: str | None = None,
) -> dict[str, Any]:
    """One agent event as the stream carries it (``PreviousAgentSnapshot`` null for LOGIN and LOGOUT)."""
    return {
        "AWSAccountId": ACCOUNT_ID,
        "AgentARN": agent_arn(agent_id),
        "CurrentAgentSnapshot": current,
        "EventId": event_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"agent-event:{agent_id}:{event_type}:{at}")),
        "EventTimestamp": iso_event(at),
        "EventType": event_type,
        "InstanceARN": INSTANCE_ARN,
        "PreviousAgentSnapshot": None if event_type in ("LOGIN", "LOGOUT") else previous,
        "Version": AGENT_EVENT_VERSION,
    }
