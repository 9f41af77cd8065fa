"""Pure: how a contact's facts combine into one record, and what the record means.

The rules (docs/figures.md, directive 4):
- A contact trace record (CTR) is Amazon Connect's own final account: a field a
  CTR carries comes from the latest CTR (by LastUpdateTimestamp) that carries it.
  Events fill what no CTR says, first-seen for times (initiation, enqueue, agent
  connection) and latest for the rest.
- `category` is the value of the input with the highest time (CTR
  LastUpdateTimestamp, event time, the moment an agent classified it in the
  panel); a flow invocation carries no time and ranks below them all. The
  post-call survey's `survey_score` and `survey_resolved` follow the same rule;
  a final score that is not 1…5 is no score, only counted as invalid.
- Initiation is the explicit initiation time of any input; failing that the
  earliest time any input knows (an event's own time, an enqueue time, …);
  failing that when we first heard of the contact.
- An event type AWS adds is an event like any other: its times and values are
  facts, but only DISCONNECTED and COMPLETED end a contact by their type alone.
  A disconnect reason AWS adds, on a queued call no agent took, is neither
  answered nor lost: a queue exit like CONTACT_FLOW_DISCONNECT.
Ties are broken on the fact's canonical text, so the result depends only on the
*set* of facts, never on their order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.survey import INVALID
from chalicelib.core.times import parse_iso

TELECOM_PROBLEM = "TELECOM_PROBLEM"
CUSTOMER_DISCONNECT = "CUSTOMER_DISCONNECT"
_ENDING_EVENTS = frozenset({"DISCONNECTED", "COMPLETED"})


class Status:
    IN_IVR = "IN_IVR"
    IN_QUEUE = "IN_QUEUE"
    WITH_AGENT = "WITH_AGENT"
    ANSWERED = "ANSWERED"
    ABANDONED = "ABANDONED"
    SYSTEM_DROPPED = "SYSTEM_DROPPED"
    QUEUE_EXIT = "QUEUE_EXIT"  # left the queue otherwise, e.g. chose a callback
    NOT_QUEUED = "NOT_QUEUED"  # ended without reaching an agent queue (IVR only, out of hours)


@dataclass(frozen=True)
class ContactRecord:
    contact_id: str
    channel: str | None
    initiation_method: str | None
    initiated_at: datetime | None
    initiation_is_exact: bool
    queue_arn: str | None
    queue_name: str | None
    enqueued_at: datetime | None
    dequeued_at: datetime | None
    queue_seconds_reported: float | None
    agent_arn: str | None
    agent_username: str | None
    connected_to_agent_at: datetime | None
    interaction_seconds: float | None
    hold_seconds: float | None
    acw_seconds: float | None
    disconnected_at: datetime | None
    disconnect_reason: str | None
    category: str | None
    customer_address: str | None
    customer_type: str | None
    previous_contact_id: str | None
    initial_contact_id: str | None
    has_ctr: bool
    ended: bool
    callback_id: str | None = None
    callback_requested: bool = False
    callback_out_of_hours: bool = False  # asked out of hours, to be called when the centre opens
    has_flow: bool = False
    subtype: str | None = None  # e.g. connect:SMS on a CHAT contact
    survey_score: int | None = None  # 1…5, the post-call survey's final valid answer
    survey_invalid: bool = False  # its final answer was something else (counted, never a score)
    survey_resolved: str | None = None  # "yes" or "no"
    # What the contact flow saw when it looked the caller up: True when any look found an open
    # callback, False when every look found none, None when no look is recorded.
    open_callback_seen: bool | None = None

    # --- directive 4 -------------------------------------------------------------------------
    @property
    def is_inbound_call(self) -> bool:
        return self.channel == "VOICE" and self.initiation_method == "INBOUND"

    @property
    def queued(self) -> bool:
        return self.enqueued_at is not None

    @property
    def connected(self) -> bool:
        return self.connected_to_agent_at is not None

    @property
    def answered(self) -> bool:
        return self.queued and self.connected

    @property
    def system_dropped(self) -> bool:
        return self.ended and self.disconnect_reason == TELECOM_PROBLEM and (self.queued or self.connected)

    @property
    def abandoned(self) -> bool:
        # With no disconnect reason known (events only), a queued contact that ended
        # without an agent was ended by the caller: the directive's lost call.
        return (
            self.ended and self.queued and not self.connected and self.disconnect_reason in (None, CUSTOMER_DISCONNECT)
        )

    @property
    def queue_exit_other(self) -> bool:
        return (
            self.ended
            and self.queued
            and not self.connected
            and self.disconnect_reason not in (None, CUSTOMER_DISCONNECT, TELECOM_PROBLEM)
        )

    @property
    def queue_seconds(self) -> float | None:
        """Queue.Duration of the CTR; else enqueue → agent (answered) or → disconnect."""
        if self.queue_seconds_reported is not None:
            return self.queue_seconds_reported
        if self.enqueued_at is None:
            return None
        end = self.connected_to_agent_at or self.disconnected_at
        return (end - self.enqueued_at).total_seconds() if end else None

    @property
    def handle_seconds(self) -> float | None:
        """AHT term; only a CTR carries it."""
        if self.interaction_seconds is None:
            return None
        return self.interaction_seconds + (self.hold_seconds or 0) + (self.acw_seconds or 0)

    @property
    def status(self) -> str:
        if not self.ended:
            if self.connected:
                return Status.WITH_AGENT
            return Status.IN_QUEUE if self.queued else Status.IN_IVR
        if self.system_dropped:
            return Status.SYSTEM_DROPPED
        if self.connected:
            return Status.ANSWERED
        if self.abandoned:
            return Status.ABANDONED
        if self.queue_exit_other:
            return Status.QUEUE_EXIT
        return Status.NOT_QUEUED


def _key(fact: Fact) -> tuple[str, str]:
    return (fact.at or "", fact.to_json())


def _latest(facts: list[Fact], field: str) -> Any:  # Any: the named field's own type
    """Value of `field` from the latest fact that has it (facts already sorted oldest first)."""
    for fact in reversed(facts):
        value = getattr(fact, field)
        if value is not None:
            return value
    return None


def _attribute(ordered: list[Fact], field: str) -> str | None:
    """A contact attribute's final value: that of the input with the highest time; inputs without a
    time (flow invocations) rank below every timed one. Connect keeps an attribute once set, so an
    input that does not carry it changes nothing."""
    carrying = sorted((f for f in ordered if getattr(f, field) is not None), key=lambda f: (f.at is not None, *_key(f)))
    value: str | None = getattr(carrying[-1], field) if carrying else None
    return value


def _earliest_time(facts: list[Fact], field: str) -> str | None:
    values = [v for v in (getattr(f, field) for f in facts) if v is not None]
    return min(values) if values else None


def _ctr_then_events(ctrs: list[Fact], events: list[Fact], field: str, first_seen: bool = False) -> Any:
    value = _latest(ctrs, field)
    if value is not None:
        return value
    return _earliest_time(events, field) if first_seen else _latest(events, field)


def _other(contact_id: str, linked: str | None) -> str | None:
    """Another contact this one follows, or None: a flow invocation names a first contact as its own
    previous and initial contact where the trace record says null, and both mean "none"."""
    return None if linked == contact_id else linked


def merge(contact_id: str, facts: Iterable[Fact], first_seen_at: str | None = None) -> ContactRecord:
    ordered = sorted(facts, key=_key)
    ctrs = [f for f in ordered if f.is_ctr]
    events = [f for f in ordered if f.is_event]
    others = [f for f in ordered if not f.is_ctr and not f.is_event]  # flow invocations, agents' classifications
    everything = others + events + ctrs  # ascending precedence for "latest" lookups

    explicit = _earliest_time(ordered, "initiated_at")
    observed = [t for t in (f.earliest_time() for f in ordered) if t]
    initiated = explicit or (min(observed) if observed else None) or first_seen_at

    score = _attribute(ordered, "survey_score")

    def pick(field: str, first_seen: bool = False) -> Any:
        value = _ctr_then_events(ctrs, events, field, first_seen)
        return value if value is not None else _latest(others, field)

    reason = pick("disconnect_reason")
    disconnected = pick("disconnected_at")
    ended = (
        bool(ctrs)
        or disconnected is not None
        or reason is not None
        or any(f.event_type in _ENDING_EVENTS for f in events)
    )

    return ContactRecord(
        contact_id=contact_id,
        channel=pick("channel"),
        initiation_method=pick("initiation_method"),
        initiated_at=parse_iso(initiated),
        initiation_is_exact=explicit is not None,
        queue_arn=pick("queue_arn"),
        queue_name=pick("queue_name"),
        enqueued_at=parse_iso(pick("enqueued_at", first_seen=True)),
        dequeued_at=parse_iso(pick("dequeued_at")),
        queue_seconds_reported=_latest(ctrs, "queue_seconds"),
        agent_arn=pick("agent_arn"),
        agent_username=pick("agent_username"),
        connected_to_agent_at=parse_iso(pick("connected_to_agent_at", first_seen=True)),
        interaction_seconds=_latest(ctrs, "interaction_seconds"),
        hold_seconds=_latest(ctrs, "hold_seconds"),
        acw_seconds=_latest(ctrs, "acw_seconds"),
        disconnected_at=parse_iso(disconnected),
        disconnect_reason=reason,
        category=_attribute(ordered, "category"),
        customer_address=_latest(everything, "customer_address"),
        customer_type=_latest(everything, "customer_type"),
        previous_contact_id=_other(contact_id, _latest(everything, "previous_contact_id")),
        initial_contact_id=_other(contact_id, _latest(everything, "initial_contact_id")),
        has_ctr=bool(ctrs),
        ended=ended,
        callback_id=_latest(everything, "callback_id"),
        callback_requested=any(f.callback_requested for f in ordered),
        callback_out_of_hours=any(f.callback_out_of_hours for f in ordered),
        has_flow=any(f.is_flow for f in others),
        subtype=pick("subtype"),
        survey_score=None if score in (None, INVALID) else int(score),
        survey_invalid=score == INVALID,
        survey_resolved=_attribute(ordered, "survey_resolved"),
        open_callback_seen=_seen([f.open_callback_seen for f in others if f.is_flow]),
    )


def _seen(looks: list[bool | None]) -> bool | None:
    known = [look for look in looks if look is not None]
    return any(known) if known else None
