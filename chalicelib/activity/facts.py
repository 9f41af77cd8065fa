"""An agent fact: what one agent event says about one agent at one instant, normalised and minimised.

The stored day of an agent is the *set* of its facts (store.py); intervals are derived from that set
when read (intervals.py), so duplicates and any order of arrival give the same day by construction.

Kept (KVKK data minimisation): the event type, its time, the agent's username, their status (name and
type) and the states of the contacts they hold. Not kept: first and last names, hierarchy, routing
profile, queues, contact ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

LOGIN = "LOGIN"
LOGOUT = "LOGOUT"
STATE_CHANGE = "STATE_CHANGE"
HEART_BEAT = "HEART_BEAT"
# Of two events at the same millisecond, a login comes first and a logout last, whatever the arrival.
_RANK = {LOGIN: 0, STATE_CHANGE: 1, HEART_BEAT: 2, LOGOUT: 4}


@dataclass(frozen=True)
class AgentFact:
    event_type: str  # LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT, or a type AWS adds, as written
    at: str  # EventTimestamp: UTC ISO, milliseconds, Z (string order is time order)
    username: str | None = None
    status: str | None = None  # AgentStatus.Name: "Available", "Mola", "Eğitim", "Offline", …
    status_type: str | None = None  # AgentStatus.Type: ROUTABLE, CUSTOM, OFFLINE (older events: absent)
    contact_states: tuple[str, ...] = ()  # Contacts[].State, sorted

    def to_json(self) -> str:
        """Canonical and compact: the same event always gives the same string (the set's member)."""
        body: dict[str, str | list[str] | None] = {
            "t": self.event_type,
            "at": self.at,
            "u": self.username,
            "s": self.status,
            "k": self.status_type,
        }
        if self.contact_states:
            body["c"] = list(self.contact_states)
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AgentFact:
        body = json.loads(text)
        return cls(
            event_type=body["t"],
            at=body["at"],
            username=body.get("u"),
            status=body.get("s"),
            status_type=body.get("k"),
            contact_states=tuple(body.get("c") or ()),
        )

    def order(self) -> tuple[str, int, str]:
        """Sort key: time, then login first and logout last, then the fact itself (a total order)."""
        return (self.at, _RANK.get(self.event_type, 3), self.to_json())
