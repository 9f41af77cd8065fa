"""A small discrete-event simulation of the centre: the Lambda inputs Amazon Connect would send, and the truth.

Local tooling, never deployed. ``callcenter demo`` replays what it emits; end-to-end tests use it as an
**independent oracle** for the report: ``expected_core_figures`` recomputes docs/figures.md's core blocks from
the simulated truth, restricted to what the system could know from the inputs that survived delivery.
It deliberately shares no code with what it checks (no ``chalicelib.contacts`` or ``chalicelib.reports``);
the input shapes come from ``cli.simulator.shapes`` and opening hours from ``chalicelib.core.workhours``.

The model, per day (Europe/Istanbul):

* Inbound VOICE calls arrive as a Poisson process whose hourly rate follows ``HOURLY_PROFILE`` (peaks
  10-12 and 14-15, a trickle at night and at weekends). Outside working hours (or on a holiday) the caller
  hears the closed message: one flow invocation, no queue, DisconnectReason CONTACT_FLOW_DISCONNECT. A few
  press 1 to be called back when the centre opens: the flow marks the contact and its Lambda block
  records the request (a second flow invocation); drawn from their own random stream.
* In hours the caller spends 5-40 s in the IVR and picks a category (the flow invocation carries it).
  A few hang up in the IVR; half of the ``kapsam_dışı`` callers are closed politely by the flow.
  Everyone else joins one FCFS queue served by the agents of a roster (``cli.simulator.agents``: shifts,
  breaks, logins and logouts), each contact going to an agent who is logged in, Available and free at
  that moment (Erlang-A style, with exponential patience and a head-count that changes through the day):
  a caller abandons when patience runs out before an agent frees, a few ask for a callback after 30-60 s
  (the flow ends the call), and a few calls are cut by a system fault (TELECOM_PROBLEM) in the queue or
  with the agent. Agents stay busy through after-contact work; their sessions make the agent event stream.
* A few CHAT (INBOUND), TASK (API) and OUTBOUND VOICE contacts per working day share the same agents.
* When the agent ends an answered call, the caller may stay for the post-call survey (the disconnect
  flow): a score from 1 to 5, lower for complaints and after a long wait, and often "was it resolved?";
  a few scores are not 1–5 (what an older flow or a tool might write). The trace record carries them.
  These draws come from their own random stream, so the rest of the simulation is the same with or
  without them.

All simulated instants are whole milliseconds, so the timestamps the events carry are exact.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from chalicelib.contacts.inputs import CALLBACK_OUT_OF_HOURS_ATTRIBUTE, CALLBACK_REQUESTED_ATTRIBUTE, REQUEST_CALLBACK
from chalicelib.core import config
from chalicelib.core.workhours import WorkingCalendar
from cli.simulator import shapes as shapes
from cli.simulator.agents import (
    AGENT_IDS,
    AgentDay,
    AgentInput,
    ContactSpan,
    Roster,
    Staff,
    agent_inputs,
    default_roster,
)

REPORT_ZONE = ZoneInfo("Europe/Istanbul")  # docs/figures.md: months are Europe/Istanbul
SHORT_ABANDON_SECONDS = 5  # docs/figures.md short_abandoned: wait < 5 s
SERVICE_LEVEL_SECONDS = 20  # docs/figures.md service_level: answered with wait <= 20 s
UNCLASSIFIED = "unclassified"
OUT_OF_SCOPE = "kapsam_dışı"

# IVR menu choices and how often callers pick them.
CATEGORY_WEIGHTS = {
    "bilgi": 30,
    "işlem": 20,
    "başvuru": 18,
    "istek": 10,
    "şikayet": 7,
    "öneri": 3,
    "kapsam_dışı": 7,
    "diğer": 5,
}
# Multiplier of calls_per_hour for each local hour 0..23 (working days); weekends/holidays get CLOSED_DAY.
HOURLY_PROFILE = (
    0.02,
    0.02,
    0.02,
    0.02,
    0.02,
    0.02,
    0.03,
    0.1,
    0.5,
    1.0,
    1.5,
    1.5,
    0.9,
    1.0,
    1.4,
    1.1,
    0.9,
    0.5,
    0.2,
    0.12,
    0.08,
    0.05,
    0.03,
    0.03,
)
CLOSED_DAY = 0.15

P_ANONYMOUS = 0.03  # withheld number: no CustomerEndpoint
P_FREQUENT_CALLER = 0.25  # drawn from a small pool, so some numbers ring again and again
P_IVR_HANGUP = 0.03
P_OUT_OF_SCOPE_CLOSED_IN_IVR = 0.5
P_CALLBACK = 0.2  # of queued callers, would press "call me back" when offered after 30-60 s of waiting
P_ASK_WHEN_OPEN = 0.12  # of callers who hear the closed message, press 1 to be called when the centre opens
P_FAULT = 0.03  # queued voice calls struck by a fault between enqueue and the end of the talk: ~2 a busy day
P_RECLASSIFY = 0.15  # answered contacts whose category the agent changes
P_OUTBOUND_UNANSWERED = 0.2
# The post-call survey, heard only by a caller still on the line when the agent hangs up.
P_SURVEY = 0.6  # of those, the caller scores the call
P_SURVEY_RESOLVED = 0.8  # of the scores, the caller also answers "was your matter resolved?"
P_SURVEY_INVALID = 0.03  # of the answers, a value that is not 1–5
INVALID_SCORES = ("0", "6", "9", "10", "iyi")
SURVEY_SCORES = ("1", "2", "3", "4", "5")  # docs/figures.md: anything else is no response
SURVEY_MEAN = {"şikayet": 2.9, "kapsam_dışı": 3.5, "istek": 4.0}  # the mean score by category; else 4.3
SURVEY_MEAN_DEFAULT = 4.3
SURVEY_WAIT_PENALTY = 0.5  # score points per minute waited in the queue, at most 1.5

QUEUES = {
    "VOICE": ("Genel", "aaaaaaaa-bbbb-cccc-dddd-000000000001"),
    "CHAT": ("Sohbet", "aaaaaaaa-bbbb-cccc-dddd-000000000002"),
    "TASK": ("Görevler", "aaaaaaaa-bbbb-cccc-dddd-000000000003"),
}
_MS = timedelta(milliseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _dt(ms: int) -> datetime:
    return _EPOCH + ms * _MS


def _ms(at: datetime) -> int:
    return (at - _EPOCH) // _MS


# --------------------------------------------------------------------------- truth and inputs
@dataclass
class ContactTruth:
    """What really happened to one contact. Times are aware UTC datetimes (whole milliseconds)."""

    contact_id: str
    channel: str
    initiation_method: str
    initiated_at: datetime
    customer_number: str | None
    outcome: str = ""  # closed | ivr_hangup | ivr_closed | answered | abandoned | callback |
    #                    system_dropped_in_queue | outbound | outbound_unanswered
    category_ivr: str | None = None  # what the flow set (and the flow invocation carries)
    category_final: str | None = None  # what the contact record carries (agent re-classification wins)
    flow_at: datetime | None = None  # when the flow invoked the Lambda; None: no flow invocation
    connected_to_system_at: datetime | None = None  # set only where AWS emits CONNECTED_TO_SYSTEM
    queued: bool = False
    enqueued_at: datetime | None = None
    patience_seconds: float | None = None  # None: waits forever (tasks, outbound backlog)
    answered: bool = False  # queued and connected to an agent
    agent: int | None = None  # index of the agent who handled it (answered or outbound)
    agent_username: str | None = None
    connected_at: datetime | None = None  # connected to the agent
    wait_seconds: float | None = None  # exact time in queue (enqueue -> agent or -> leaving the queue)
    abandoned: bool = False
    system_dropped: bool = False  # TELECOM_PROBLEM, in queue or with the agent
    queue_exit_other: bool = False  # left the queue by the flow (callback chosen)
    interaction_seconds: int | None = None
    hold_seconds: int | None = None
    acw_seconds: int | None = None
    disconnected_at: datetime | None = None
    completed_at: datetime | None = None  # end of ACW, else the disconnect
    last_update_at: datetime | None = None  # the CTR's LastUpdateTimestamp
    disconnect_reason: str | None = None
    asked_when_open: bool = False  # closed: pressed 1, "call me back when you open"
    survey_score: str | None = None  # what the survey wrote into the attribute: "1"…"5", or not
    survey_resolved: str | None = None  # "yes" / "no"

    @property
    def queue_duration(self) -> int | None:
        """The CTR's Queue.Duration: whole seconds of the queue wait (truncated)."""
        return None if self.wait_seconds is None else int(self.wait_seconds)

    @property
    def handle_seconds(self) -> int | None:
        if self.interaction_seconds is None:
            return None
        return self.interaction_seconds + (self.hold_seconds or 0) + (self.acw_seconds or 0)

    @property
    def is_inbound_call(self) -> bool:
        return self.channel == "VOICE" and self.initiation_method == "INBOUND"


@dataclass(frozen=True)
class Input:
    """One Lambda input as Connect produces it; ``name`` is "flow", "ctr" or "event:<EVENT_TYPE>"."""

    contact_id: str
    kind: Literal["event", "ctr", "flow"]
    name: str
    at: datetime  # when it happened (event, flow) or was published (CTR: its LastUpdateTimestamp)
    payload: dict[str, Any]


@dataclass
class Simulation:
    start: date
    days: int
    seed: int
    contacts: list[ContactTruth]
    inputs: list[Input]
    agent_days: list[AgentDay] = field(default_factory=list)  # what each agent did, day by day
    agent_inputs: list[AgentInput] = field(default_factory=list)  # the agent event stream, in time order

    def contact(self, contact_id: str) -> ContactTruth:
        return next(c for c in self.contacts if c.contact_id == contact_id)

    def outcomes(self) -> dict[str, int]:
        return dict(sorted(Counter(c.outcome for c in self.contacts).items()))


# --------------------------------------------------------------------------- the simulation
@dataclass
class _Job:
    """A contact waiting for an agent; the random draws are made before the queue is resolved."""

    contact: ContactTruth
    ready: int  # ms: enqueue time (outbound: when the agent may dial)
    talk: int  # seconds with the agent (interaction + hold)
    hold: int
    acw: int
    end_reason: str
    agent_category: str | None = None  # re-classification by the agent
    patience: int | None = None  # ms
    callback_after: int | None = None  # ms after enqueue
    callback_message: int = 0  # ms the flow talks after the caller left the queue
    fault_u: float | None = None  # fault at fault_u * (wait + talk) after enqueue
    outbound_ring: int = 0  # ms
    outbound_answered: bool = True


class _Centre:
    def __init__(
        self,
        rng: random.Random,
        calendar: WorkingCalendar,
        staff: Staff,
        mean_handle: float,
        mean_patience: float,
        seed: int = 0,
    ) -> None:
        self.rng, self.calendar, self.staff = rng, calendar, staff
        # Draws added later have their own streams, so the rest of the simulation draws the same.
        self.survey_rng = random.Random(f"{seed}:survey")
        self.when_open_rng = random.Random(f"{seed}:ask-when-open")
        self.mean_handle, self.mean_patience = mean_handle, mean_patience
        self.contacts: list[ContactTruth] = []
        self.jobs: list[_Job] = []
        self.frequent = [self._number() for _ in range(12)]

    # -- draws ----------------------------------------------------------------------
    def _number(self) -> str:
        operator = self.rng.choice(("05", "30", "32", "33", "35", "36", "42", "43", "44", "45", "52", "53", "54", "55"))
        return f"+905{operator}{self.rng.randrange(10**7):07d}"

    def _caller(self) -> str | None:
        if self.rng.random() < P_ANONYMOUS:
            return None
        return self.rng.choice(self.frequent) if self.rng.random() < P_FREQUENT_CALLER else self._number()

    def _category(self, exclude: str | None = None) -> str:
        names = [n for n in CATEGORY_WEIGHTS if n != exclude]
        return self.rng.choices(names, weights=[CATEGORY_WEIGHTS[n] for n in names])[0]

    def _seconds(self, low: float, high: float) -> int:
        """A uniform duration, in whole milliseconds."""
        return round(self.rng.uniform(low, high) * 1000)

    def _new(self, at_ms: int, channel: str, method: str, number: str | None) -> ContactTruth:
        contact_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        contact = ContactTruth(contact_id, channel, method, _dt(at_ms), number)
        self.contacts.append(contact)
        return contact

    def _job(
        self,
        contact: ContactTruth,
        ready: int,
        scale: float = 1.0,
        reasons: tuple[str, ...] = ("CUSTOMER_DISCONNECT", "AGENT_DISCONNECT"),
    ) -> _Job:
        """Draw the handling now: handle time ~ exp(mean * scale), split into talk, hold and 10-60 s ACW."""
        handle = max(self.rng.expovariate(1 / (self.mean_handle * scale)), 30.0)
        acw = self.rng.randint(10, 60)
        talk = max(round(handle) - acw, 10)
        hold = round(talk * self.rng.uniform(0.05, 0.3)) if self.rng.random() < 0.4 else 0
        job = _Job(contact, ready, talk, hold, acw, self.rng.choice(reasons))
        if self.rng.random() < P_RECLASSIFY:
            job.agent_category = self._category(exclude=contact.category_ivr)
        self.jobs.append(job)
        return job

    def _end(self, c: ContactTruth, outcome: str, disconnect_ms: int, reason: str) -> None:
        c.outcome, c.disconnect_reason = outcome, reason
        c.disconnected_at = c.completed_at = _dt(disconnect_ms)
        c.category_final = c.category_ivr

    # -- arrivals -------------------------------------------------------------------
    def inbound_call(self, at: int) -> None:
        c = self._new(at, "VOICE", "INBOUND", self._caller())
        if not self.calendar.is_open(_dt(at)):
            c.flow_at = _dt(at + 1000)  # the flow asks whether the centre is open
            ends = at + self._seconds(12, 25)
            if self.when_open_rng.random() < P_ASK_WHEN_OPEN:  # the offer, the key press, the confirmation
                c.asked_when_open = True
                ends += round(self.when_open_rng.uniform(8, 15) * 1000)
            self._end(c, "closed", ends, "CONTACT_FLOW_DISCONNECT")
            return
        ivr = self._seconds(5, 40)
        if self.rng.random() < P_IVR_HANGUP:
            self._end(c, "ivr_hangup", at + round(ivr * self.rng.random()), "CUSTOMER_DISCONNECT")
            return
        c.category_ivr, c.flow_at = self._category(), _dt(at + ivr)
        if c.category_ivr == OUT_OF_SCOPE and self.rng.random() < P_OUT_OF_SCOPE_CLOSED_IN_IVR:
            self._end(c, "ivr_closed", at + ivr + self._seconds(8, 15), "CONTACT_FLOW_DISCONNECT")
            return
        job = self._job(c, at + ivr + self._seconds(0.5, 2))
        job.patience = round(self.rng.expovariate(1 / self.mean_patience) * 1000)
        if self.rng.random() < P_CALLBACK:
            job.callback_after, job.callback_message = self._seconds(30, 60), self._seconds(3, 8)
        if self.rng.random() < P_FAULT:
            job.fault_u = self.rng.random()

    def chat(self, at: int) -> None:
        c = self._new(at, "CHAT", "INBOUND", self._caller())
        c.connected_to_system_at = _dt(at + self._seconds(0.5, 1.5))
        flow = at + self._seconds(3, 15)
        c.category_ivr, c.flow_at = self._category(), _dt(flow)
        job = self._job(c, flow + self._seconds(0.5, 2), scale=1.5)
        job.patience = round(self.rng.expovariate(1 / 600) * 1000)

    def task(self, at: int) -> None:
        c = self._new(at, "TASK", "API", None)
        c.connected_to_system_at = _dt(at)
        flow = at + self._seconds(0.5, 2)
        c.category_ivr, c.flow_at = self.rng.choice(("işlem", "başvuru")), _dt(flow)
        self._job(c, flow + self._seconds(0.5, 2), scale=2.0, reasons=("AGENT_COMPLETED",))

    def outbound(self, at: int) -> None:
        c = self._new(at, "VOICE", "OUTBOUND", self._number())  # initiation is set when the agent dials
        job = self._job(c, at, scale=0.75)
        job.outbound_ring, job.outbound_answered = self._seconds(5, 25), self.rng.random() > P_OUTBOUND_UNANSWERED

    # -- the queue ------------------------------------------------------------------
    def serve(self) -> None:
        """FCFS over every job, to the agent who is Available and free first; leaving callers take no agent."""
        for job in sorted(self.jobs, key=lambda j: j.ready):
            start, agent = self.staff.earliest_any(job.ready)
            if not self._leaves_before(job, start - job.ready):
                self._handled(job, start, agent)

    def _leaves_before(self, job: _Job, would_wait: int) -> bool:
        c = job.contact
        if c.initiation_method == "OUTBOUND":
            return False
        c.queued, c.enqueued_at = True, _dt(job.ready)
        c.patience_seconds = None if job.patience is None else job.patience / 1000
        exits = []
        if job.patience is not None:
            exits.append((job.patience, "abandoned", "CUSTOMER_DISCONNECT"))
        if job.callback_after is not None:
            exits.append((job.callback_after, "callback", "CONTACT_FLOW_DISCONNECT"))
        if job.fault_u is not None:
            exits.append(
                (int(job.fault_u * (would_wait + job.talk * 1000)), "system_dropped_in_queue", "TELECOM_PROBLEM")
            )
        left = [e for e in exits if e[0] < would_wait]
        if not left:
            return False
        after, outcome, reason = min(left)
        c.wait_seconds = after / 1000
        c.abandoned, c.queue_exit_other = outcome == "abandoned", outcome == "callback"
        c.system_dropped = outcome == "system_dropped_in_queue"
        message = job.callback_message if outcome == "callback" else 0
        self._end(c, outcome, job.ready + after + message, reason)
        return True

    def _handled(self, job: _Job, start: int, agent: int) -> None:
        """Connect the job to ``agent`` at ``start``; the agent is busy until the end of after-contact work."""
        c = job.contact
        c.agent, c.connected_at = agent, _dt(start)
        c.agent_username = self.staff.roster.shifts[agent].username
        talk, hold, reason = job.talk, job.hold, job.end_reason
        if c.initiation_method == "OUTBOUND":
            c.initiated_at, c.outcome = c.connected_at, "outbound"
            if job.outbound_answered:
                c.connected_to_system_at = _dt(start + job.outbound_ring)
                talk += job.outbound_ring // 1000
            else:
                c.outcome, talk, hold, reason = "outbound_unanswered", 30, 0, "TELECOM_UNANSWERED"
        else:
            c.answered, c.outcome = True, "answered"
            c.wait_seconds = (start - job.ready) / 1000
            if job.fault_u is not None:  # not in the queue (see _leaves_before), so with the agent
                cut = job.fault_u * (start - job.ready + talk * 1000) - (start - job.ready)
                talk, hold, reason, c.system_dropped = max(int(cut // 1000), 1), 0, "TELECOM_PROBLEM", True
        c.interaction_seconds, c.hold_seconds, c.acw_seconds = talk - hold, hold, job.acw
        c.disconnect_reason = reason
        if c.category_ivr is not None:  # the agent may re-classify what the IVR recorded
            c.category_final = job.agent_category or c.category_ivr
        if c.is_inbound_call and reason == "AGENT_DISCONNECT":  # the caller is still there: the survey
            self._survey(c)
        disconnect = start + talk * 1000
        c.disconnected_at, c.completed_at = _dt(disconnect), _dt(disconnect + job.acw * 1000)
        held = None
        if hold and c.channel == "VOICE":  # on hold in the middle of the talk
            held = (start + (talk - hold) * 500, start + (talk - hold) * 500 + hold * 1000)
        span = ContactSpan(
            c.contact_id,
            c.channel,
            c.initiation_method,
            start,
            disconnect,
            disconnect + job.acw * 1000,
            held,
            job.ready if c.queued else None,
        )
        self.staff.commit(agent, span)

    def _survey(self, c: ContactTruth) -> None:
        """The caller's answers to the post-call survey, if they give any."""
        rng = self.survey_rng
        if rng.random() >= P_SURVEY:
            return
        if rng.random() < P_SURVEY_INVALID:
            c.survey_score = rng.choice(INVALID_SCORES)
            return
        mean = SURVEY_MEAN.get(c.category_final or "", SURVEY_MEAN_DEFAULT)
        mean -= min((c.wait_seconds or 0) / 60 * SURVEY_WAIT_PENALTY, 1.5)
        score = min(5, max(1, round(rng.gauss(mean, 0.8))))
        c.survey_score = str(score)
        if rng.random() < P_SURVEY_RESOLVED:
            c.survey_resolved = "yes" if rng.random() < 0.1 + 0.18 * score else "no"


def semester_factor(day: date) -> float:
    """Registration and the first weeks of term ring the phones hardest (autumn: October, spring: February)."""
    if (day.month == 10 and day.day <= 9) or (day.month == 2 and 9 <= day.day <= 20):
        return 1.8
    if day.month == 10 and day.day <= 16:
        return 1.3
    return 1.0


def _voice_arrivals(
    rng: random.Random,
    calendar: WorkingCalendar,
    first: date,
    days: int,
    calls_per_hour: float,
    semester_peak: bool = False,
) -> list[int]:
    """Poisson arrivals, piecewise constant rate per local hour (exact for a non-homogeneous process).

    Callers ring as on any working day when the supervisor has closed one: the closure meets them."""
    calendar = calendar.with_closures({})
    arrivals = []
    midnight = datetime.combine(first, time(0), tzinfo=calendar.zone).astimezone(UTC)
    stop = datetime.combine(first + timedelta(days=days), time(0), tzinfo=calendar.zone).astimezone(UTC)
    for hour in range((stop - midnight) // timedelta(hours=1)):
        begin = midnight + timedelta(hours=hour)
        local = begin.astimezone(calendar.zone)
        factor = HOURLY_PROFILE[local.hour] * (1 if calendar.is_working_day(local.date()) else CLOSED_DAY)
        if semester_peak:
            factor *= semester_factor(local.date())
        rate = calls_per_hour * factor / 3600  # per second
        t, end = _ms(begin), _ms(begin + timedelta(hours=1))
        while rate > 0:
            t += max(round(rng.expovariate(rate) * 1000), 1)
            if t >= end:
                break
            arrivals.append(t)
    return arrivals


def _open_moments(rng: random.Random, calendar: WorkingCalendar, day: date, count: int) -> list[int]:
    """``count`` random in-hours instants on ``day`` (fewer on a half day, none on a closed day)."""
    if not calendar.is_working_day(day):
        return []
    opening = datetime.combine(day, calendar.opening, tzinfo=calendar.zone)
    span = (datetime.combine(day, calendar.closing, tzinfo=calendar.zone) - opening).total_seconds()
    moments = [opening + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)]
    return sorted(_ms(m.replace(microsecond=m.microsecond // 1000 * 1000)) for m in moments if calendar.is_open(m))


def simulate(
    start: date,
    days: int,
    *,
    seed: int = 7,
    calls_per_hour: float = 12.0,
    agents: int = 3,
    mean_handle_seconds: float = 240,
    mean_patience_seconds: float = 90,
    calendar: WorkingCalendar | None = None,
    semester_peak: bool = False,
    roster: Roster | None = None,
) -> Simulation:
    """Simulate ``days`` days from ``start`` (local midnight, Europe/Istanbul by default settings).

    ``semester_peak``: the first weeks of term bring more calls (``semester_factor``). ``roster``: who
    works when (``cli.simulator.agents``); by default ``agents`` on the centre's day.
    """
    rng = random.Random(seed)
    calendar = calendar or WorkingCalendar.from_settings(config.settings())
    staff = Staff(roster or default_roster(agents), calendar, start, days, seed)
    centre = _Centre(rng, calendar, staff, mean_handle_seconds, mean_patience_seconds, seed)
    for at in _voice_arrivals(rng, calendar, start, days, calls_per_hour, semester_peak):
        centre.inbound_call(at)
    for offset in range(days):
        day = start + timedelta(days=offset)
        for make, count in (
            (centre.chat, rng.randint(2, 6)),
            (centre.task, rng.randint(1, 3)),
            (centre.outbound, rng.randint(1, 3)),
        ):
            for at in _open_moments(rng, calendar, day, count):
                make(at)
    centre.serve()
    for c in centre.contacts:
        assert c.completed_at is not None  # serve() ended every contact: in the flow, the queue or with an agent
        c.last_update_at = c.completed_at + timedelta(seconds=rng.randint(5, 90))
    contacts = sorted(centre.contacts, key=lambda c: c.initiated_at)
    inputs = sorted((i for c in contacts for i in _inputs_of(c)), key=lambda i: i.at)
    worked = staff.days_worked()
    stream = sorted((i for d in worked for i in agent_inputs(d)), key=lambda i: (i.at, i.agent))
    return Simulation(start, days, seed, contacts, inputs, worked, stream)


# --------------------------------------------------------------------------- what Connect emits


def _milestones(c: ContactTruth) -> list[tuple[str, datetime]]:
    """Contact events in the order they happen. No CONNECTED_TO_SYSTEM for inbound voice (AWS emits it
    for outbound calls, chats and tasks); COMPLETED follows DISCONNECTED at once when there is no ACW."""
    steps = [("INITIATED", c.initiated_at)]
    if c.connected_to_system_at is not None:
        steps.append(("CONNECTED_TO_SYSTEM", c.connected_to_system_at))
    if c.queued:
        assert c.enqueued_at is not None  # set with ``queued``
        steps.append(("QUEUED", c.enqueued_at))
    if c.answered:
        assert c.connected_at is not None  # set with ``answered``
        steps.append(("CONNECTED_TO_AGENT", c.connected_at))
    assert c.disconnected_at is not None and c.completed_at is not None  # every simulated contact ends
    steps += [("DISCONNECTED", c.disconnected_at), ("COMPLETED", c.completed_at)]
    return steps


def _event(c: ContactTruth, event_type: str, at: datetime) -> dict[str, Any]:
    """Every event carries each timestamp of the contact that has happened by its own time."""

    def known(moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= at else None

    enqueued = known(c.enqueued_at)
    connected = known(c.connected_at)
    return shapes.contact_event(
        event_type,
        c.contact_id,
        channel=c.channel,
        initiation_method=c.initiation_method,
        initiation=c.initiated_at,
        time=at,
        queue_arn=shapes.queue_arn(QUEUES[c.channel][1]) if enqueued else None,
        enqueued=enqueued,
        agent_arn=shapes.agent_arn(AGENT_IDS[c.agent]) if connected and c.agent is not None else None,
        connected_to_agent=connected,
        disconnected=known(c.disconnected_at),
        connected_to_system=known(c.connected_to_system_at),
    )


def _ctr(c: ContactTruth) -> dict[str, Any]:
    queue: shapes.CtrQueue | None = None
    agent: shapes.CtrAgent | None = None
    if c.queued:
        name, queue_id = QUEUES[c.channel]
        assert c.enqueued_at is not None and c.wait_seconds is not None  # set when it joined and left the queue
        dequeue = c.connected_at if c.answered else c.enqueued_at + timedelta(seconds=c.wait_seconds)
        queue = {
            "arn": shapes.queue_arn(queue_id),
            "name": name,
            "enqueue": c.enqueued_at,
            "dequeue": dequeue,
            "duration": c.queue_duration,
        }
    if c.agent is not None:
        agent = {
            "arn": shapes.agent_arn(AGENT_IDS[c.agent]),
            "username": c.agent_username,
            "connected": c.connected_at,
            "interaction": c.interaction_seconds,
            "hold": c.hold_seconds,
            "longest_hold": c.hold_seconds,
            "holds": int(bool(c.hold_seconds)),
            "acw": c.acw_seconds,
            "acw_start": c.disconnected_at,
        }
    return shapes.ctr(
        c.contact_id,
        channel=c.channel,
        initiation_method=c.initiation_method,
        initiation=c.initiated_at,
        last_update=c.last_update_at,
        disconnected=c.disconnected_at,
        disconnect_reason=c.disconnect_reason,
        customer_number=c.customer_number,
        system_number=config.settings().centre_number,
        connected_to_system=c.connected_to_system_at,
        queue=queue,
        agent=agent,
        attributes=_attributes(c, c.category_final, asked=c.outcome == "callback" or c.asked_when_open)
        | _survey_attributes(c),
    )


def _survey_attributes(c: ContactTruth) -> dict[str, str]:
    """What the post-call survey (the disconnect flow) set on the contact: the trace record carries it."""
    answers = {"survey_score": c.survey_score, "survey_resolved": c.survey_resolved}
    return {name: value for name, value in answers.items() if value is not None}


def _attributes(c: ContactTruth, category: str | None, *, asked: bool) -> dict[str, str]:
    """The contact's user-defined attributes: the caller's menu choice, and "call me back", which the
    customer-queue flow (or the closed centre's, with "when you open") sets just before its Lambda block
    records the request."""
    attributes = {"category": category} if category else {}
    if asked and c.flow_at is not None and c.disconnected_at is not None:
        attributes[CALLBACK_REQUESTED_ATTRIBUTE] = "true"
        if c.asked_when_open:
            attributes[CALLBACK_OUT_OF_HOURS_ATTRIBUTE] = "true"
    return attributes


def _flow_invocation(c: ContactTruth, parameters: dict[str, str] | None = None) -> dict[str, Any]:
    queue = {"ARN": shapes.queue_arn(QUEUES[c.channel][1]), "Name": QUEUES[c.channel][0]}
    return shapes.flow_invocation(
        c.contact_id,
        customer_number=c.customer_number,
        channel=c.channel,
        initiation_method=c.initiation_method,
        system_number=config.settings().centre_number,
        attributes=_attributes(c, c.category_ivr, asked=(parameters or {}).get("action") == REQUEST_CALLBACK),
        queue=queue if c.category_ivr else None,
        parameters=parameters,
    )


def _inputs_of(c: ContactTruth) -> list[Input]:
    inputs = []
    if c.flow_at is not None:
        inputs.append(Input(c.contact_id, "flow", "flow", c.flow_at, _flow_invocation(c)))
        if (c.outcome == "callback" or c.asked_when_open) and c.disconnected_at is not None:
            # The caller pressed "call me back": the flow's Lambda block records it, then the flow ends the call
            # (out of hours, after the confirmation).
            asked = _flow_invocation(c, {"action": REQUEST_CALLBACK})
            before_end = timedelta(seconds=6 if c.asked_when_open else 1)
            inputs.append(Input(c.contact_id, "flow", "flow", c.disconnected_at - before_end, asked))
    for event_type, at in _milestones(c):
        inputs.append(Input(c.contact_id, "event", f"event:{event_type}", at, _event(c, event_type, at)))
    assert c.last_update_at is not None  # simulate() dated every record
    inputs.append(Input(c.contact_id, "ctr", "ctr", c.last_update_at, _ctr(c)))
    return inputs


# --------------------------------------------------------------------------- delivery
@dataclass
class Delivery:
    lines: list[dict[str, Any]]  # one Lambda input per line, as AWS delivers it
    survived: dict[str, set[str]]  # contact_id -> names of its inputs delivered at least once


def deliver(
    sim: Simulation,
    *,
    seed: int = 11,
    duplicate_rate: float = 0.0,
    shuffle: bool = False,
    drop_event_rate: float = 0.0,
    drop_ctr_rate: float = 0.0,
    drop_flow_rate: float = 0.0,
    kinesis_batch: int = 25,
    kinesis_window_seconds: float = 60.0,
    agent_batch: int = 100,
) -> Delivery:
    """Deliver the simulation's inputs: some lost, some delivered twice, CTRs batched into Kinesis events.

    In time order, a Kinesis batch is cut when it is full or ``kinesis_window_seconds`` after its first
    record; with ``shuffle`` the order is random and batches are cut only when full.

    Agent events come in batches of their own stream, ``agent_batch`` records in the stream's order (a
    redelivered one in a later batch), never lost; with ``shuffle`` the batches arrive in random order.
    """
    # Separate streams, so that with one seed the same inputs are lost whatever the duplicate rate.
    losses, repeats, order = (random.Random(f"{seed}:{use}") for use in ("loss", "repeat", "order"))
    drop = {"event": drop_event_rate, "ctr": drop_ctr_rate, "flow": drop_flow_rate}
    survived: dict[str, set[str]] = {c.contact_id: set() for c in sim.contacts}
    copies: list[tuple[datetime, Input]] = []
    for item in sim.inputs:
        lost, repeated, later = losses.random() < drop[item.kind], repeats.random(), repeats.uniform(1, 600)
        if lost:
            continue
        survived[item.contact_id].add(item.name)
        copies.append((item.at, item))
        if repeated < duplicate_rate:
            copies.append((item.at + timedelta(seconds=later), item))
    if shuffle:
        order.shuffle(copies)
    else:
        copies.sort(key=lambda pair: pair[0])

    timed: list[tuple[datetime, dict[str, Any]]] = []  # each line with the time it is delivered (unshuffled)
    batch: list[dict[str, Any]] = []
    due = _EPOCH  # when the open batch is cut: set as it opens, read only while it is open
    for when, item in copies:
        if batch and not shuffle and when >= due:
            timed.append((due, shapes.kinesis_event(*batch)))
            batch = []
        if item.kind != "ctr":
            timed.append((when, item.payload))
            continue
        if not batch:
            due = when + timedelta(seconds=kinesis_window_seconds)
        batch.append(item.payload)
        if len(batch) >= kinesis_batch:
            timed.append((when, shapes.kinesis_event(*batch)))
            batch = []
    if batch:
        timed.append((copies[-1][0], shapes.kinesis_event(*batch)))
    lines = [line for _, line in timed]

    agent_lines = _agent_batches(sim, duplicate_rate, agent_batch, random.Random(f"{seed}:agents"))
    if shuffle:
        for _, line in agent_lines:
            lines.insert(order.randrange(len(lines) + 1), line)
    else:
        # A stable merge: the contact inputs keep their order, agent batches go in between by time.
        merged = sorted(timed + agent_lines, key=lambda pair: pair[0])
        lines = [line for _, line in merged]
    return Delivery(lines, survived)


def _agent_batches(
    sim: Simulation, duplicate_rate: float, size: int, rng: random.Random
) -> list[tuple[datetime, dict[str, Any]]]:
    """The agent event stream as the Lambda receives it: batches in the stream's order."""
    copies: list[tuple[datetime, int, dict[str, Any]]] = []
    for n, item in enumerate(sim.agent_inputs):
        copies.append((item.at, n, item.payload))
        if rng.random() < duplicate_rate:
            copies.append((item.at + timedelta(seconds=rng.uniform(1, 600)), n, item.payload))
    copies.sort(key=lambda copy: (copy[0], copy[1]))
    return [
        (copies[min(i + size, len(copies)) - 1][0], shapes.kinesis_event(*(p for _, _, p in copies[i : i + size])))
        for i in range(0, len(copies), size)
    ]


def write_jsonl(lines: list[dict[str, Any]], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- the oracle
@dataclass
class _Known:
    """One contact as the system can know it from its surviving inputs."""

    truth: ContactTruth
    queued: bool
    answered: bool
    ended: bool
    wait: float | None
    reason: str | None
    handle: int | None
    category: str | None
    survey_score: str | None = None  # the survey's answers, known only from the trace record
    survey_resolved: str | None = None


def _known(c: ContactTruth, names: set[str], event_times: dict[str, datetime]) -> _Known | None:
    has_ctr = "ctr" in names
    events = [event_times[n] for n in names if n.startswith("event:")]
    if not has_ctr and not events:
        # Nothing or only the flow invocation survived. A flow invocation carries no initiation time, so
        # the system can date such a contact only by its arrival (wall-clock time under replay): it is
        # left out of the simulated month.
        return None
    # The CTR is the latest word on the category (highest LastUpdateTimestamp); else the flow's choice.
    category = c.category_final if has_ctr else c.category_ivr if "flow" in names else None
    if has_ctr:  # the record knows everything; its Queue.Duration is whole seconds
        return _Known(
            c,
            c.queued,
            c.answered,
            True,
            c.queue_duration,
            c.disconnect_reason,
            c.handle_seconds if c.agent is not None else None,
            category,
            c.survey_score,
            c.survey_resolved,
        )
    # Events only: each carries the timestamps reached by its own time; no reason, no handle time.
    latest = max(events)
    enqueued, connected, disconnected = c.enqueued_at, c.connected_at, c.disconnected_at
    assert disconnected is not None  # every simulated contact ends
    queued = c.queued and enqueued is not None and enqueued <= latest  # a queued contact has its enqueue time
    answered = queued and c.answered and connected is not None and connected <= latest
    ended = disconnected <= latest
    wait = None
    if answered and connected is not None and enqueued is not None:
        wait = (connected - enqueued).total_seconds()
    elif queued and ended and enqueued is not None:
        wait = (disconnected - enqueued).total_seconds()
    return _Known(c, queued, answered, ended, wait, None, None, category)


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _satisfaction(answered: list[_Known]) -> dict[str, Any]:
    """docs/figures.md's ``satisfaction``: the answered calls whose survey score is 1…5."""
    scored = [(k, int(k.survey_score)) for k in answered if k.survey_score in SURVEY_SCORES]
    resolved = Counter(k.survey_resolved for k, _ in scored)
    by_category: dict[str, list[int]] = {}
    for k, score in scored:
        by_category.setdefault(k.category or UNCLASSIFIED, []).append(score)
    return {
        "responses": len(scored),
        "response_rate": _rate(len(scored), len(answered)),
        "average": _mean([score for _, score in scored]),
        "resolved_rate": _rate(resolved["yes"], resolved["yes"] + resolved["no"]),
        "by_category": {
            name: {"responses": len(scores), "average": _mean(scores)} for name, scores in sorted(by_category.items())
        },
    }


def expected_core_figures(sim: Simulation, delivery: Delivery | None, month: str) -> dict[str, Any]:
    """docs/figures.md's ``contacts``, ``calls``, ``by_category``, ``out_of_scope`` and ``satisfaction`` for
    ``month``, as the system can know them from what ``delivery`` let through (``None``: everything arrived)."""
    everything: dict[str, set[str]] = {}
    event_times: dict[str, dict[str, datetime]] = {}
    for item in sim.inputs:
        everything.setdefault(item.contact_id, set()).add(item.name)
        if item.kind == "event":
            event_times.setdefault(item.contact_id, {})[item.name] = item.at
    survived = delivery.survived if delivery is not None else everything
    known = [
        k
        for c in sim.contacts
        if c.initiated_at.astimezone(REPORT_ZONE).strftime("%Y-%m") == month
        and (k := _known(c, survived.get(c.contact_id, set()), event_times.get(c.contact_id, {})))
    ]

    inbound = [k for k in known if k.truth.initiation_method == "INBOUND"]
    calls = [k for k in inbound if k.truth.channel == "VOICE"]
    queued = [k for k in calls if k.queued]
    answered = [k for k in queued if k.answered]
    not_answered = [k for k in queued if not k.answered and k.ended]
    abandoned = [k for k in not_answered if k.reason in (None, "CUSTOMER_DISCONNECT")]
    other = [k for k in not_answered if k.reason not in (None, "CUSTOMER_DISCONNECT", "TELECOM_PROBLEM")]
    dropped = [k for k in queued if k.reason == "TELECOM_PROBLEM"]
    answer_waits = [k.wait for k in answered if k.wait is not None]
    abandon_waits = [k.wait for k in abandoned if k.wait is not None]
    return {
        "month": month,
        "timezone": "Europe/Istanbul",
        "contacts": {
            "total": len(known),
            "by_channel": dict(sorted(Counter(k.truth.channel for k in known).items())),
            "by_initiation_method": dict(sorted(Counter(k.truth.initiation_method for k in known).items())),
            "by_subtype": {},  # the simulated centre's contacts carry no SegmentAttributes subtype
        },
        "calls": {
            "inbound": len(calls),
            "queued": len(queued),
            "answered": len(answered),
            "abandoned": len(abandoned),
            "short_abandoned": sum(1 for w in abandon_waits if w < SHORT_ABANDON_SECONDS),
            "system_dropped": len(dropped),
            "queue_exits_other": len(other),
            "abandon_rate": _rate(len(abandoned), len(queued)),
            "service_level": _rate(sum(1 for w in answer_waits if w <= SERVICE_LEVEL_SECONDS), len(queued)),
            "asa_seconds": _mean(answer_waits),
            "avg_abandon_seconds": _mean(abandon_waits),
            "aht_seconds": _mean([k.handle for k in answered if k.handle is not None]),
        },
        "by_category": dict(sorted(Counter(k.category or UNCLASSIFIED for k in inbound).items())),
        "out_of_scope": sum(1 for k in inbound if k.category == OUT_OF_SCOPE),
        "satisfaction": _satisfaction(answered),
    }


def expected_live(sim: Simulation, at: datetime) -> dict[str, Any]:
    """the live figures (docs/figures.md) from the simulation's truth, as the system can know them at `at`: every
    contact of `at`'s Istanbul day begun by then, known from its inputs published by then (the flow
    invocation, which carries no time, with its call). The oracle `callcenter live --at` is checked with."""
    day = at.astimezone(REPORT_ZONE).date()
    known: list[_Known] = []
    for c in sim.contacts:
        if c.initiated_at > at or c.initiated_at.astimezone(REPORT_ZONE).date() != day:
            continue
        mine = [i for i in sim.inputs if i.contact_id == c.contact_id and (i.kind == "flow" or i.at <= at)]
        times = {i.name: i.at for i in mine if i.kind == "event"}
        k = _known(c, {i.name for i in mine}, times)
        if k is not None and k.truth.channel == "VOICE" and k.truth.initiation_method == "INBOUND":
            known.append(k)
    queued = [k for k in known if k.queued]
    answered = [k for k in queued if k.answered]
    lost = [k for k in queued if not k.answered and k.ended]
    waiting = [k.truth.enqueued_at for k in queued if not k.answered and not k.ended and k.truth.enqueued_at]
    waits = [k.wait for k in answered if k.wait is not None]
    return {
        "in_queue_now": len(waiting),
        "longest_wait_now_seconds": round((at - min(waiting)).total_seconds(), 1) if waiting else None,
        "today": {
            "inbound": len(known),
            "queued": len(queued),
            "answered": len(answered),
            "abandoned": sum(1 for k in lost if k.reason in (None, "CUSTOMER_DISCONNECT")),
            "system_dropped": sum(1 for k in queued if k.reason == "TELECOM_PROBLEM"),
            "service_level": _rate(sum(1 for w in waits if w <= SERVICE_LEVEL_SECONDS), len(queued)),
            "asa_seconds": _mean(waits),
        },
    }
