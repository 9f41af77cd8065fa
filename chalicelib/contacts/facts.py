"""A fact: what one Amazon Connect input says about one contact, normalised.

Every input (an EventBridge contact event, a contact trace record, a contact-flow
invocation) is parsed once, at the edge, into a `Fact`. The stored contact is the
*set* of its facts; its fields are derived from that set by `merge.py`. A set
union is commutative, associative and idempotent, so any order and any number of
deliveries of the same inputs give the same record — by construction, not by
careful sequencing.

Only the fields the centre needs are kept (KVKK data minimisation): no recordings,
no free-text attributes, just the `category` attribute, the post-call survey's answers (`survey.py`:
a score 1…5 or "invalid", yes/no) and the caller's endpoint.
Connect's enumerations (channel, method, reason, event type, subtype) are kept as
written, whatever value AWS adds (`vocabulary.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cached_property

# Where a fact came from; decides precedence when sources disagree.
SOURCE_CTR = "ctr"
SOURCE_FLOW = "flow"
# An agent's classification from the agents' panel (4(c)): a category at the moment it was chosen.
SOURCE_AGENT = "agent"
EVENT_PREFIX = "event:"


@dataclass(frozen=True)
class Fact:
    contact_id: str
    source: str  # "ctr", "flow", "agent" or "event:<EVENT_TYPE>"
    # When this input was true: CTR LastUpdateTimestamp or the event's `time`.
    # None for flow invocations, which carry no time and rank lowest.
    at: str | None = None
    channel: str | None = None
    initiation_method: str | None = None
    initiated_at: str | None = None
    connected_to_system_at: str | None = None
    queue_arn: str | None = None
    queue_name: str | None = None
    enqueued_at: str | None = None
    dequeued_at: str | None = None
    queue_seconds: float | None = None
    agent_arn: str | None = None
    agent_username: str | None = None
    connected_to_agent_at: str | None = None
    interaction_seconds: float | None = None
    hold_seconds: float | None = None
    acw_seconds: float | None = None
    disconnected_at: str | None = None
    disconnect_reason: str | None = None
    category: str | None = None
    customer_address: str | None = None
    customer_type: str | None = None
    previous_contact_id: str | None = None
    initial_contact_id: str | None = None
    # The callback an outbound contact returns (its `callback_id` attribute), and whether the
    # caller asked for a callback in the IVR (the contact-flow block's `action` parameter).
    callback_id: str | None = None
    callback_requested: bool | None = None
    # …asked in the inbound flow's closed branch, to be called when the centre opens (6(4)).
    callback_out_of_hours: bool | None = None
    # SegmentAttributes `connect:Subtype`: what a channel carries, e.g. `connect:SMS` on CHAT.
    subtype: str | None = None
    # The post-call survey (contacts/survey.py): "1"…"5" or "invalid"; "yes" or "no".
    survey_score: str | None = None
    survey_resolved: str | None = None
    # Flow invocations only: whether the caller had an open callback when the flow looked it up (the
    # flow reads it to answer the caller anyway), so the call's end needs no second look when not.
    open_callback_seen: bool | None = None

    @property
    def is_ctr(self) -> bool:
        return self.source == SOURCE_CTR

    @property
    def is_flow(self) -> bool:
        return self.source == SOURCE_FLOW

    @property
    def is_event(self) -> bool:
        return self.source.startswith(EVENT_PREFIX)

    @property
    def event_type(self) -> str | None:
        return self.source[len(EVENT_PREFIX) :] if self.is_event else None

    def earliest_time(self) -> str | None:
        """The earliest moment this input knows of; stands in for a missing initiation time."""
        times = [
            t
            for t in (
                self.initiated_at,
                self.at,
                self.connected_to_system_at,
                self.enqueued_at,
                self.dequeued_at,
                self.connected_to_agent_at,
                self.disconnected_at,
            )
            if t
        ]
        return min(times) if times else None

    def to_json(self) -> str:
        """Canonical text: equal facts give equal strings, so a set collapses duplicates."""
        return self._canonical

    @cached_property
    def _canonical(self) -> str:
        body = {name: getattr(self, name) for name in _FIELD_NAMES if getattr(self, name) is not None}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Fact:
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in _FIELD_NAMES})


_FIELD_NAMES = tuple(f.name for f in fields(Fact))
# Fields of a fact that identify the caller; everything else is statistics (KVKK art. 7: what
# anonymisation removes, and what an input arriving after it is stored without).
PERSONAL_FIELDS = ("customer_address",)


def anonymised_fact(text: str) -> str:
    """A stored fact (canonical JSON) without the fields that identify the caller; same text otherwise."""
    data = json.loads(text)
    for name in PERSONAL_FIELDS:
        data.pop(name, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
