"""Who is online and who is available at an instant, from the agent event stream's records: what the live
screen shows when Connect's real-time API cannot answer (another moment than now, the local stage, an
outage). Reads the day of `at` and the day before (a session begun before midnight), and only what the
events said by `at`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.activity import store
from chalicelib.activity.intervals import ms, state_at
from chalicelib.core.config import Settings


@dataclass(frozen=True)
class AgentsSeen:
    online: int
    available: int


# How far back an agent's day shows the stream is recording: a long holiday weekend and a closed day.
LOOK_BACK_DAYS = 7


def agents_at(at: datetime, cfg: Settings, now: datetime) -> AgentsSeen | None:
    """Nobody recorded that day or the day before: nobody is logged in (a weekend, a closed day) if the
    stream recorded agents in the week before; None when it did not, for then the records cannot tell."""
    day = at.astimezone(cfg.zone).date()
    by_agent = store.facts_between(day - timedelta(days=1), day, now)
    if not by_agent:
        recording = store.recorded_between(day - timedelta(days=LOOK_BACK_DAYS), day - timedelta(days=2))
        return AgentsSeen(0, 0) if recording else None
    states = [state_at(facts, ms(at)) for facts in by_agent.values()]
    return AgentsSeen(sum(s.online for s in states), sum(s.available for s in states))
