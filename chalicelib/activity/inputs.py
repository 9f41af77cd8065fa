"""Parse one agent event (a Kinesis record's decoded data) into an agent fact, once, at the edge.

The shape is Amazon Connect's "Agent event streams data model" (tests/fixtures/AWS_SHAPES.md §4):
`AgentARN`, `EventType`, `EventTimestamp`, `CurrentAgentSnapshot` {`AgentStatus` {`Name`, `Type`,
`StartTimestamp`}, `Configuration` {`Username`, `FirstName`, `LastName`, …}, `Contacts` [{`State`, …}]},
`PreviousAgentSnapshot`, `Version`. Names are read case-insensitively and unknown fields ignored, as for
contact inputs; an event type or contact state AWS adds is kept as written. Only an input that cannot be
an agent event is rejected, naming the field: not an object, no agent ARN, no event type, no usable time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from chalicelib.activity.facts import AgentFact
from chalicelib.contacts.rejections import InputRejected
from chalicelib.contacts.vocabulary import UNRECOGNISED, word
from chalicelib.core.times import iso

STATUS_MAX_LENGTH = 64
USERNAME_MAX_LENGTH = 100  # Connect's own limit for a username
_DIGIT_RUN = re.compile(r"[0-9]{5}")  # a number typed where a status name belongs: never stored


def _get(node: Any, name: str) -> Any:
    """`node[name]`, the name compared case-insensitively (`name` in lower case); None when absent."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.lower() == name:
                return value
    return None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def is_agent_event(data: Any) -> bool:
    """Whether decoded Kinesis data is an agent event (it has `EventType` and `AgentARN`), not a trace record."""
    if not isinstance(data, dict):
        return False
    keys = {str(k).lower() for k in data}
    return {"eventtype", "agentarn"} <= keys


def agent_id(arn: str) -> str:
    """The agent's id: the ARN's last segment (`…/agent/<id>`)."""
    return arn.rstrip("/").rsplit("/", 1)[-1]


def status_name(value: Any) -> str | None:
    """A status as the supervisor named it in Connect ("Available", "Mola", "Eğitim"), normalised and bounded."""
    if not isinstance(value, str):
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text:
        return None
    return UNRECOGNISED if _DIGIT_RUN.search(text) else text[:STATUS_MAX_LENGTH]


def _username(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", value).strip()[:USERNAME_MAX_LENGTH] or None


def parse_agent_event(raw: Any) -> tuple[str, AgentFact]:
    """(agent id, fact) of one agent event; `InputRejected` naming the field when it cannot be one.

    Only the fields kept are read (the snapshot's names, routing profile and the previous snapshot are
    never looked at), which also keeps a batch of a hundred events cheap to parse."""
    if not isinstance(raw, dict):
        raise InputRejected(f"agent event: expected a JSON object, got {type(raw).__name__}")
    arn = _get(raw, "agentarn")
    if not isinstance(arn, str) or not agent_id(arn).strip():
        raise InputRejected("agent event: AgentARN is missing or empty")
    event_type = word(_get(raw, "eventtype"))
    if event_type is None:
        raise InputRejected("agent event: EventType is missing")
    stamp = _instant(_get(raw, "eventtimestamp"))
    if stamp is None:
        raise InputRejected("agent event: EventTimestamp is missing or not an ISO 8601 time")
    snapshot = _get(raw, "currentagentsnapshot")
    status = _get(snapshot, "agentstatus")
    contacts = _get(snapshot, "contacts")
    states = sorted(s for c in (contacts if isinstance(contacts, list) else ()) if (s := word(_get(c, "state"))))
    fact = AgentFact(
        event_type=event_type,
        at=str(iso(stamp)),
        username=_username(_get(_get(snapshot, "configuration"), "username")),
        status=status_name(_get(status, "name")),
        status_type=word(_get(status, "type")),
        contact_states=tuple(states),
    )
    return agent_id(arn).strip(), fact
