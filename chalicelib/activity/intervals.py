"""Pure: one agent's facts → sessions, and each session → segments by status and contact.

Derived at read time from the set of facts, in a total order (time, then login first and logout
last), so late, duplicated and reordered events give the same intervals:

- A **session** runs from a LOGIN to the next LOGOUT. Without a LOGOUT (lost, or the agent closed the
  browser without logging out) it ends `HEARTBEAT_SECONDS` after its last event — Connect publishes a
  HEART_BEAT every 120 s while nothing else happens, so silence that long means the agent is gone —
  and never after the agent's next LOGIN. Events outside a session open none: Connect goes on publishing
  heartbeats for up to an hour after a logout.
- Within a session each event's snapshot holds until the next event: a **segment** with the agent's
  status and whether they were on a contact. On contact: a contact CONNECTED, on hold, or ENDED (Connect's
  state for after-contact work). Routable: a status of type ROUTABLE (an event without a type: the status
  named Available); every other status (Offline, breaks such as "Mola", training such as "Eğitim") is a
  break unless the agent is on a contact in it.

Times are integer milliseconds since the epoch, so sums and the oracle agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.activity.facts import LOGIN, LOGOUT, AgentFact

HEARTBEAT_SECONDS = 120
HEARTBEAT_MS = HEARTBEAT_SECONDS * 1000
ON_CONTACT_STATES = frozenset({"CONNECTED", "CONNECTED_ONHOLD", "ENDED"})
ROUTABLE = "ROUTABLE"
AVAILABLE = "available"  # the status name Connect gives its routable status, compared case-folded

ON_CONTACT = "on_contact"
IDLE = "available"  # routable and not on a contact: waiting for one
BREAK = "break"


def ms(stamp: str | datetime) -> int:
    """Milliseconds since the epoch of an ISO instant (or an aware datetime)."""
    moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return round(moment.timestamp() * 1000)


def instant(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    status: str  # the status name; "?" when the events carried none
    kind: str  # ON_CONTACT, IDLE or BREAK
    free: bool  # routable and holding no contact at all (Connect's real-time "available")

    @property
    def length(self) -> int:
        return self.end - self.start

    def clipped(self, lo: int, hi: int) -> Segment | None:
        start, end = max(self.start, lo), min(self.end, hi)
        return Segment(start, end, self.status, self.kind, self.free) if start < end else None


@dataclass(frozen=True, slots=True)
class Session:
    start: int
    end: int
    logged_out: bool  # False: closed by the heartbeat rule
    segments: tuple[Segment, ...]


def _routable(fact: AgentFact) -> bool:
    if fact.status_type:
        return fact.status_type == ROUTABLE
    return (fact.status or "").casefold() == AVAILABLE


def _segment(fact: AgentFact, start: int, end: int) -> Segment:
    routable = _routable(fact)
    on_contact = any(state in ON_CONTACT_STATES for state in fact.contact_states)
    kind = ON_CONTACT if on_contact else IDLE if routable else BREAK
    return Segment(start, end, fact.status or "?", kind, routable and not fact.contact_states)


def _close(points: list[tuple[int, AgentFact]], end: int, logged_out: bool) -> Session:
    segments = []
    for (at, fact), (following, _) in zip(points, [*points[1:], (end, points[-1][1])], strict=True):
        stop = min(following, end)
        if at < stop:
            segments.append(_segment(fact, at, stop))
    return Session(points[0][0], end, logged_out, tuple(segments))


def sessions(facts: Iterable[AgentFact]) -> list[Session]:
    """The agent's sessions, earliest first (any order and any repetition of `facts`)."""
    out: list[Session] = []
    points: list[tuple[int, AgentFact]] = []  # the open session's events
    for fact in sorted(set(facts), key=AgentFact.order):
        at = ms(fact.at)
        if fact.event_type == LOGIN:
            if points:  # a LOGIN while logged in: the earlier session lost its LOGOUT
                out.append(_close(points, min(points[-1][0] + HEARTBEAT_MS, at), False))
            points = [(at, fact)]
        elif not points:
            continue  # no session open: a heartbeat after a logout, or before the first login seen
        elif fact.event_type == LOGOUT:
            out.append(_close([*points, (at, fact)], at, True))
            points = []
        else:
            points.append((at, fact))
    if points:
        out.append(_close(points, points[-1][0] + HEARTBEAT_MS, False))
    return out


@dataclass(frozen=True)
class AgentNow:
    online: bool
    available: bool


def state_at(facts: Iterable[AgentFact], at: int) -> AgentNow:
    """The agent as their events described them by `at` (events after it are not known yet)."""
    for session in sessions(f for f in facts if ms(f.at) <= at):
        if session.start <= at < session.end:
            current = next((s for s in session.segments if s.start <= at < s.end), None)
            return AgentNow(True, bool(current and current.free))
    return AgentNow(False, False)
