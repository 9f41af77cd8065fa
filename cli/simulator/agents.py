"""Agent sessions for the simulated centre: shifts, breaks, contacts and logouts, the agent event stream they
make, and the truth the report's `agents_time` and the live screen's agents are checked against.

Local tooling, never deployed. Like `traffic`, it shares no code with what it checks (no `chalicelib.activity`).

The model, per agent and working day (Europe/Istanbul):

* The agent logs in a few minutes before their shift (status Offline), goes Available within a minute,
  takes the breaks of their roster ("Mola", "Öğle arası", training as "Eğitim"), and at the end of the
  shift goes Offline and logs out. Half days, and days the supervisor closed from some time on, end at the
  calendar's closing; nobody works a holiday or a day closed all day.
* The queue (`traffic._Centre.serve`) gives a contact only to an agent who is Available and free at that
  moment: a break or a logout that falls during a contact waits for its end, after-contact work included
  (Connect's "Next status"); an agent on a break or logged out takes nothing.
* One agent of the roster (`forgetful`) sometimes leaves without logging out: their status goes to
  "Mola", no LOGOUT comes, and the heartbeats stop when the computer is shut down some time later.
* Connect publishes a HEART_BEAT every 120 s in which nothing else happened, and goes on doing so (status
  Offline) for up to an hour after a logout; both are emitted.

All instants are whole milliseconds since the epoch (`int`), as the events carry them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.core.workhours import WorkingCalendar
from cli.simulator import shapes

HEARTBEAT_MS = 120_000  # Connect: a HEART_BEAT every 120 s while nothing else is published
POST_LOGOUT_HEARTBEAT_MINUTES = (
    60  # "These events continue to be published up to an hour after an agent has logged off"
)
AVAILABLE = ("Available", "ROUTABLE")
OFFLINE = ("Offline", "OFFLINE")
LEFT_WITHOUT_LOGOUT = "Mola"  # the status the forgetful agent leaves in
SEARCH_DAYS = 21  # how far ahead a waiting contact (a task, an outbound call) looks for an agent
AGENT_IDS = [f"aaaaaaaa-bbbb-cccc-dddd-1000000000{i:02d}" for i in range(100)]
_NAMES = [("Ayşe", "Yılmaz"), ("Mehmet", "Kaya"), ("Zeynep", "Demir"), ("Emre", "Çelik"), ("Elif", "Şahin")]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WEEKDAYS = frozenset(range(5))


def _ms(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(milliseconds=1)


def _dt(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


# --------------------------------------------------------------------------- the roster
@dataclass(frozen=True)
class Break:
    status: str  # the custom status's name in Connect
    start: time  # planned, local time
    minutes: int
    weekdays: frozenset[int] = _WEEKDAYS


@dataclass(frozen=True)
class Shift:
    username: str
    start: time
    end: time
    breaks: tuple[Break, ...] = ()
    weekdays: frozenset[int] = _WEEKDAYS


@dataclass(frozen=True)
class Roster:
    shifts: tuple[Shift, ...]
    forgetful: int | None = None  # index of the agent who sometimes leaves without logging out
    p_forget: float = 0.15

    @property
    def size(self) -> int:
        return len(self.shifts)


def default_roster(agents: int) -> Roster:
    """`agents` on the centre's day, 08:30–17:30, with two short breaks and lunch in turns; the last one
    sometimes forgets to log out."""
    shifts = []
    for i in range(agents):
        lunch = time(12, 0) if i % 2 == 0 else time(13, 0)
        shifts.append(
            Shift(
                f"temsilci{i + 1}",
                time(8, 30),
                time(17, 30),
                (
                    Break("Mola", time(10, 30 + 15 * (i % 2)), 15),
                    Break("Öğle arası", lunch, 60),
                    Break("Mola", time(15, 30), 15),
                ),
            )
        )
    return Roster(tuple(shifts), forgetful=agents - 1 if agents else None)


# --------------------------------------------------------------------------- one agent's day
@dataclass
class _Break:
    status: str
    planned: int
    length: int
    actual: tuple[int, int] | None = None
    skipped: bool = False


@dataclass
class ContactSpan:
    """A contact with the agent: connected, on hold, ended (after-contact work), gone."""

    contact_id: str
    channel: str
    initiation_method: str
    connected: int
    disconnected: int
    completed: int
    hold: tuple[int, int] | None = None
    queued: int | None = None


@dataclass
class AgentDay:
    """One agent's working day: the plan, then what happened."""

    agent: int
    username: str
    day: date
    login: int
    ready: int  # Available from
    planned_logout: int
    breaks: list[_Break]
    forgot: bool  # leaves without logging out
    pc_off_after: int  # ms after leaving that the forgetful agent's computer is shut down
    post_logout_minutes: int
    seed: int
    contacts: list[ContactSpan] = field(default_factory=list)
    leave: int | None = None  # Offline (or, forgetful, "Mola") at the end of the shift
    logout: int | None = None  # the LOGOUT event; None: never logged out
    session_end: int | None = None  # logged out, or the last heartbeat + 120 s

    def after_breaks(self, t: int, busy_until: int) -> int:
        """The first instant ≥ t the agent is not on a break; breaks planned by then are settled."""
        moved = True
        while moved:
            moved = False
            for b in self.breaks:
                if b.actual is None and not b.skipped and b.planned <= t:
                    self._settle(b, busy_until)
                if b.actual and b.actual[0] <= t < b.actual[1]:
                    t, moved = b.actual[1], True
        return t

    def _settle(self, b: _Break, busy_until: int) -> None:
        # A contact in progress finishes first ("Next status"), and so does a break that ran late.
        ended = max((x.actual[1] for x in self.breaks if x.actual), default=0)
        start = max(b.planned, busy_until, ended)
        if start >= self.planned_logout:
            b.skipped = True
        else:
            b.actual = (start, start + b.length)

    def finish(self) -> None:
        """Settle what no contact waited for: the remaining breaks, the end of the shift."""
        for b in self.breaks:
            if b.actual is None and not b.skipped:
                before = [c.completed for c in self.contacts if c.connected < b.planned]
                self._settle(b, max(before, default=0))
        ends = (
            [self.planned_logout]
            + [c.completed for c in self.contacts]
            + [b.actual[1] for b in self.breaks if b.actual]
        )
        self.leave = max(ends)
        rng = random.Random(self.seed)
        if not self.forgot:
            self.logout = self.leave + rng.randint(2_000, 20_000)
            self.session_end = self.logout

    def available_periods(self) -> list[tuple[int, int]]:
        """Status Available: from `ready` to `leave`, but for the breaks."""
        assert self.leave is not None, "finish() settles the end of the shift"
        periods, start = [], self.ready
        for begin, end in sorted(b.actual for b in self.breaks if b.actual):
            periods.append((start, begin))
            start = end
        periods.append((start, self.leave))
        return [(a, z) for a, z in periods if a < z]


class Staff:
    """The roster's agents through the simulated days: who can take a contact, and when."""

    def __init__(self, roster: Roster, calendar: WorkingCalendar, first: date, days: int, seed: int) -> None:
        self.roster, self.calendar, self.first, self.days, self.seed = roster, calendar, first, days, seed
        self.zone: ZoneInfo = calendar.zone
        self.plans: dict[tuple[int, date], AgentDay | None] = {}
        self.busy_until = [0] * roster.size
        for offset in range(days):
            for agent in range(roster.size):
                self.plan(agent, first + timedelta(days=offset))

    # -- plans ------------------------------------------------------------------------
    def _local(self, day: date, at: time) -> int:
        return _ms(datetime.combine(day, at, tzinfo=self.zone))

    def plan(self, agent: int, day: date) -> AgentDay | None:
        key = (agent, day)
        if key not in self.plans:
            self.plans[key] = self._new_plan(agent, day)
        return self.plans[key]

    def _new_plan(self, agent: int, day: date) -> AgentDay | None:
        shift = self.roster.shifts[agent]
        closing = self.calendar.closing_on(day)  # None: a holiday, or a day the supervisor closed
        if closing is None or day.weekday() not in shift.weekdays:
            return None
        end = min(shift.end, closing)
        if shift.start >= end:
            return None
        rng = random.Random(f"{self.seed}:{shift.username}:{day.isoformat()}")  # the same whatever the order
        login = self._local(day, shift.start) - rng.randint(2 * 60_000, 12 * 60_000)
        planned_logout = self._local(day, end) + rng.randint(0, 8 * 60_000)
        breaks = [
            _Break(b.status, self._local(day, b.start) + rng.randint(-5 * 60_000, 5 * 60_000), b.minutes * 60_000)
            for b in shift.breaks
            if day.weekday() in b.weekdays and shift.start <= b.start < end
        ]
        forgot = self.roster.forgetful == agent and rng.random() < self.roster.p_forget
        return AgentDay(
            agent=agent,
            username=shift.username,
            day=day,
            login=login,
            ready=login + rng.randint(20_000, 90_000),
            planned_logout=planned_logout,
            breaks=sorted(breaks, key=lambda b: b.planned),
            forgot=forgot,
            pc_off_after=rng.randint(15 * 60_000, 90 * 60_000),
            post_logout_minutes=rng.randint(0, POST_LOGOUT_HEARTBEAT_MINUTES),
            seed=rng.getrandbits(32),
        )

    # -- the queue's questions -------------------------------------------------------------
    def earliest(self, agent: int, t: int) -> int | None:
        """The first instant ≥ t at which `agent` is Available and free; None within SEARCH_DAYS."""
        t = max(t, self.busy_until[agent])
        for _ in range(SEARCH_DAYS):
            day = _dt(t).astimezone(self.zone).date()
            plan = self.plan(agent, day)
            if plan is not None:
                t = plan.after_breaks(max(t, plan.ready), self.busy_until[agent])
                if t < plan.planned_logout:
                    return t
            t = self._local(day + timedelta(days=1), time(0))
        return None

    def earliest_any(self, t: int) -> tuple[int, int]:
        """(start, agent): the agent who can take a contact ready at `t` first; of several, the one whose last
        contact ended first (Connect routes to the longest-idle agent), then the lowest index."""
        options = [
            (start, self.busy_until[agent], agent)
            for agent in range(self.roster.size)
            if (start := self.earliest(agent, t)) is not None
        ]
        if not options:
            raise RuntimeError("no agent works in the simulated weeks: the roster is empty")
        start, _, agent = min(options)
        return start, agent

    def commit(self, agent: int, span: ContactSpan) -> None:
        self.busy_until[agent] = span.completed
        plan = self.plan(agent, _dt(span.connected).astimezone(self.zone).date())
        if plan is None:
            raise RuntimeError(f"agent {agent} took a contact outside their shift")
        plan.contacts.append(span)

    def days_worked(self) -> list[AgentDay]:
        """Every agent-day of the simulated days, and the later ones in which a waiting contact was taken."""
        last = self.first + timedelta(days=self.days)
        kept = [p for (_, day), p in self.plans.items() if p is not None and (day < last or p.contacts)]
        for plan in kept:
            if plan.leave is None:
                plan.finish()
        return sorted(kept, key=lambda p: (p.login, p.agent))


# --------------------------------------------------------------------------- the agent event stream
@dataclass(frozen=True)
class AgentInput:
    """One agent event as the stream carries it."""

    agent: int
    name: str  # "agent:<EVENT_TYPE>"
    at: datetime
    payload: dict[str, Any]


@dataclass
class _State:
    status: tuple[str, str]
    since: int
    contact: ContactSpan | None = None
    contact_state: str | None = None
    state_since: int = 0


def _snapshot(plan: AgentDay, state: _State) -> dict[str, Any]:
    contacts = []
    if state.contact is not None and state.contact_state is not None:
        c = state.contact
        contacts.append(
            shapes.agent_contact(
                c.contact_id,
                state.contact_state,
                _dt(state.state_since),
                channel=c.channel,
                initiation_method=c.initiation_method,
                connected=_dt(c.connected),
                queued=_dt(c.queued) if c.queued is not None else None,
                queue_id=None,
            )
        )
    first, last = _NAMES[plan.agent % len(_NAMES)]
    name, kind = state.status
    return shapes.agent_snapshot(
        plan.username, shapes.agent_status(name, kind, _dt(state.since)), contacts, first_name=first, last_name=last
    )


# (instant, event type, new status or None, (contact, its state or None for gone) or None)
_Change = tuple[int, str, tuple[str, str] | None, tuple[ContactSpan, str | None] | None]


def _changes(plan: AgentDay) -> list[_Change]:
    """The agent-day's changes, in order."""
    out: list[_Change] = [(plan.login, "LOGIN", OFFLINE, None), (plan.ready, "STATE_CHANGE", AVAILABLE, None)]
    for b in plan.breaks:
        if b.actual:
            out += [(b.actual[0], "STATE_CHANGE", (b.status, "CUSTOM"), None)]
            out += [(b.actual[1], "STATE_CHANGE", AVAILABLE, None)]
    for c in plan.contacts:
        out.append((c.connected, "STATE_CHANGE", None, (c, "CONNECTED")))
        if c.hold:
            out += [
                (c.hold[0], "STATE_CHANGE", None, (c, "CONNECTED_ONHOLD")),
                (c.hold[1], "STATE_CHANGE", None, (c, "CONNECTED")),
            ]
        if c.completed > c.disconnected:
            out.append((c.disconnected, "STATE_CHANGE", None, (c, "ENDED")))
        out.append((c.completed, "STATE_CHANGE", None, (c, None)))
    assert plan.leave is not None
    if plan.forgot:
        out.append((plan.leave, "STATE_CHANGE", (LEFT_WITHOUT_LOGOUT, "CUSTOM"), None))
    else:
        assert plan.logout is not None
        out += [(plan.leave, "STATE_CHANGE", OFFLINE, None), (plan.logout, "LOGOUT", None, None)]
    return sorted(out, key=lambda change: (change[0], change[1] == "LOGOUT"))


def agent_inputs(plan: AgentDay) -> list[AgentInput]:
    """The agent event stream of one agent-day: logins, state changes, heartbeats, the logout and what follows.

    Changes at one instant make one STATE_CHANGE (a contact's after-contact work ending as a break begins).
    Settles `plan.session_end` for an agent who never logged out: their last heartbeat + 120 s."""
    agent_id = AGENT_IDS[plan.agent]
    assert plan.leave is not None, "finish() settles the end of the shift"
    state = _State(OFFLINE, plan.login)
    moments: list[tuple[int, str, dict[str, Any]]] = []  # (instant, event type, snapshot after it)
    changes = _changes(plan)
    for at in sorted({change[0] for change in changes}):
        here = [change for change in changes if change[0] == at]
        for order in ("LOGIN", "STATE_CHANGE", "LOGOUT"):
            mine = [change for change in here if change[1] == order]
            for _, _, status, contact in mine:
                if status is not None and status != state.status:
                    state.status, state.since = status, at
                if contact is not None:
                    span, contact_state = contact
                    state.contact = span if contact_state else None
                    state.contact_state, state.state_since = contact_state, at
            if mine:
                moments.append((at, order, _snapshot(plan, state)))
    # Heartbeats in every silence of more than 120 s while the agent's CCP is connected.
    ccp_end = plan.logout if plan.logout is not None else plan.leave + plan.pc_off_after + 1
    events: list[tuple[int, str, dict[str, Any]]] = []
    for n, (at, kind, snapshot) in enumerate(moments):
        events.append((at, kind, snapshot))
        following = moments[n + 1][0] if n + 1 < len(moments) else ccp_end
        beat = at + HEARTBEAT_MS
        while beat < following:
            events.append((beat, "HEART_BEAT", snapshot))
            beat += HEARTBEAT_MS
    if plan.forgot:
        plan.session_end = events[-1][0] + HEARTBEAT_MS
    else:
        assert plan.logout is not None  # set with ``forgot`` False
        offline = _snapshot(plan, _State(OFFLINE, plan.leave))
        beat = plan.logout + HEARTBEAT_MS
        while beat <= plan.logout + plan.post_logout_minutes * 60_000:
            events.append((beat, "HEART_BEAT", offline))
            beat += HEARTBEAT_MS
    out, previous = [], None
    for at, kind, snapshot in events:
        payload = shapes.agent_event(kind, agent_id, _dt(at), snapshot, previous)
        out.append(AgentInput(plan.agent, f"agent:{kind}", _dt(at), payload))
        previous = snapshot
    return out


# --------------------------------------------------------------------------- the truth
def _overlap(a: int, z: int, lo: int, hi: int) -> int:
    return max(0, min(z, hi) - max(a, lo))


def _month_bounds(month: str, zone: ZoneInfo) -> tuple[int, int]:
    year, mon = (int(part) for part in month.split("-"))
    first = datetime(year, mon, 1, tzinfo=zone)
    following = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    return _ms(first), _ms(following)


def expected_agents_time(days: Iterable[AgentDay], month: str, zone: ZoneInfo) -> dict[str, Any] | None:
    """CONTRACT's `agents_time` for `month`, from what the agents really did."""
    lo, hi = _month_bounds(month, zone)
    logged: dict[str, int] = {}
    on: dict[str, int] = {}
    idle: dict[str, int] = {}
    for d in days:
        assert d.session_end is not None, "agent_inputs() settles when a forgotten session ends"
        a, z = max(d.login, lo), min(d.session_end, hi)
        if a >= z:
            continue
        busy = sum(_overlap(c.connected, c.completed, a, z) for c in d.contacts)
        free = sum(_overlap(p, q, a, z) for p, q in d.available_periods()) - busy
        logged[d.username] = logged.get(d.username, 0) + z - a
        on[d.username] = on.get(d.username, 0) + busy
        idle[d.username] = idle.get(d.username, 0) + free
    if not logged:
        return None
    return {
        "logged_in_hours": round(sum(logged.values()) / 3_600_000, 2),
        "by_agent": {
            name: {
                "logged_in_hours": round(logged[name] / 3_600_000, 2),
                "occupancy": on[name] / (on[name] + idle[name]) if on[name] + idle[name] else None,
            }
            for name in sorted(logged)
        },
    }


def expected_agents_now(days: Iterable[AgentDay], at: datetime) -> dict[str, int]:
    """Agents logged in at `at`, and those of them Available and holding no contact."""
    t = _ms(at)
    online = available = 0
    for d in days:
        assert d.session_end is not None
        if not d.login <= t < d.session_end:
            continue
        online += 1
        free = any(p <= t < q for p, q in d.available_periods())
        available += free and not any(c.connected <= t < c.completed for c in d.contacts)
    return {"online": online, "available": available}
