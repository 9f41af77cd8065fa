"""The callbacks side of the simulated centre: the dispatcher runs on the simulated clock, the
simulated Connect places the calls, and simulated callers answer (or not) through the same
contact-record handlers. Also the checks the directive asks of the outcome."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from cli.simulator import shapes as shapes

if TYPE_CHECKING:
    from chalicelib.callbacks.store import CallbackItem
    from cli.simulator.traffic import Delivery, Simulation

P_ANSWERS = 0.7
STEP = timedelta(minutes=30)
SCHEDULE = timedelta(minutes=2)  # callbacks_dispatch's Rate (chalicelib/callbacks/handlers.py)


@dataclass
class CallbackRun:
    cycles: int = 0
    placed: int = 0
    answered: int = 0
    placed_months: dict[str, int] = field(default_factory=dict)  # Istanbul month → calls placed


def run_dispatcher(
    replay: Callable[[dict[str, Any]], None],
    first_day: date,
    days: int,
    *,
    seed: int = 3,
    on_cycle: Callable[[], None] | None = None,
    retries: int = 0,
    every: timedelta = STEP,
) -> CallbackRun:
    """A dispatch cycle `every` so often in the simulated days' opening hours (the schedule itself runs
    every 2 minutes; the demo steps by 30 to keep a month quick); each placed call is answered or not.

    A run that fails is left to the next one, as the schedule does; more than `retries` failed runs in
    a row raise, so a fault-free simulation (retries=0) never hides an error.
    """
    from chalicelib.adapters.closures import centre_calendar
    from chalicelib.callbacks.dispatcher import dispatch
    from cli.embedded.connect import SimulatedConnect

    calendar, run = centre_calendar(), CallbackRun()
    clock = [datetime.combine(first_day, time(8, 30), tzinfo=calendar.zone)]
    connect = SimulatedConnect(now=lambda: clock[0])
    seen, failed_in_a_row = len(connect.placements()), 0
    end = datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=calendar.zone)
    while clock[0] < end:
        if calendar.is_open(clock[0]):
            try:
                dispatch(clock[0], connect, sleep=lambda _seconds: None)
                failed_in_a_row = 0
            except Exception:
                failed_in_a_row += 1
                if failed_in_a_row > retries:
                    raise
            run.cycles += 1
            placements = connect.placements()
            for placement in placements[seen:]:  # a failed run may have placed calls before it failed
                if "callback_id" not in placement:  # a referral's task, not a call
                    continue
                run.placed += 1
                month = clock[0].strftime("%Y-%m")
                run.placed_months[month] = run.placed_months.get(month, 0) + 1
                # Each attempt's fate is its own (seeded by the attempt), not the order it was placed in.
                attempt_rng = random.Random(f"{seed}:{placement['client_token']}")
                answered = attempt_rng.random() < P_ANSWERS
                run.answered += answered
                replay(_attempt_ctr(placement, clock[0], answered, attempt_rng))
            seen = len(placements)
            if on_cycle:
                on_cycle()
        clock[0] += every
    return run


def _attempt_ctr(placement: dict[str, Any], at: datetime, answered: bool, rng: random.Random) -> dict[str, Any]:
    from chalicelib.core.config import settings

    start = at + timedelta(seconds=5)
    queue: shapes.CtrQueue | None = None
    agent: shapes.CtrAgent | None = None
    if answered:
        # Customer first, as StartOutboundVoiceContact with the callback queue: once the caller picks up,
        # the flow puts them in that queue for the next agent, so Connect counts the call queued and handled.
        queue = {
            "arn": shapes.queue_arn(settings().callback_queue_id),
            "name": "Geri arama",
            "enqueue": start + timedelta(seconds=8),
            "dequeue": start + timedelta(seconds=12),
        }
        agent = {
            "arn": shapes.agent_arn(),
            "connected": start + timedelta(seconds=12),
            "interaction": 90,
            "hold": 0,
            "acw": 20,
        }
    return shapes.kinesis_event(
        shapes.ctr(
            placement["contact_id"],
            initiation_method="API",
            initiation=start,
            disconnected=start + timedelta(minutes=2 if answered else 1),
            disconnect_reason="CUSTOMER_DISCONNECT" if answered else rng.choice(["TELECOM_UNANSWERED", "TELECOM_BUSY"]),
            customer_number=placement["destination"],
            queue=queue,
            agent=agent,
            attributes={"callback_id": placement["callback_id"], "callback_reason": placement["reason"]},
        )
    )


@dataclass
class Invariants:
    """What issue 3 promises of the callbacks after a replayed month."""

    problems: list[str] = field(default_factory=list)
    system_drops: int = 0
    callbacks: int = 0
    asked_when_open: int = 0  # callers of the closed centre who asked to be called when it opens

    @property
    def ok(self) -> bool:
        return not self.problems


def check_invariants(sim: Simulation, delivery: Delivery | None) -> Invariants:
    """Every in-scope system-dropped call that we could know of has exactly one system_drop callback;
    every caller of the closed centre who asked to be called when it opens has a requested callback
    marked so, or joined their open one; abandoned callers have at most one open callback each;
    nothing out of scope is called back."""
    from chalicelib.callbacks.rules import OPEN, REQUESTED, SYSTEM_DROP
    from chalicelib.callbacks.store import all_callbacks

    result = Invariants()
    items = list(all_callbacks())
    result.callbacks = len(items)
    by_source: defaultdict[str, list[CallbackItem]] = defaultdict(list)
    linked = {cid for item in items for cid in item.linked_contact_ids or ()}
    for item in items:
        by_source[item.source_contact_id].append(item)
    for truth in sim.contacts:
        survived = delivery.survived.get(truth.contact_id, set()) if delivery else {"ctr"}
        # Out of scope is never called back, a system drop included (DIRECTIVE 6(5)); checked below.
        in_scope = truth.category_final != "kapsam_dışı"
        if truth.is_inbound_call and truth.system_dropped and in_scope and "ctr" in survived:
            result.system_drops += 1
            found = [i for i in by_source[truth.contact_id] if i.reason == SYSTEM_DROP]
            if len(found) != 1:
                result.problems.append(f"system drop {truth.contact_id}: {len(found)} system_drop callbacks")
        if truth.category_final == "kapsam_dışı" and by_source[truth.contact_id]:
            result.problems.append(f"out-of-scope {truth.contact_id} has a callback")
        if truth.asked_when_open and "ctr" in survived:  # the trace record carries the request, whatever else was lost
            result.asked_when_open += 1
            own = [i for i in by_source[truth.contact_id] if i.reason == REQUESTED and i.out_of_hours]
            if len(own) != 1 and truth.contact_id not in linked:
                result.problems.append(f"asked when open {truth.contact_id}: {len(own)} callbacks marked so")
    open_by_caller: defaultdict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.status in OPEN and item.reason != SYSTEM_DROP and item.caller:
            open_by_caller[item.caller].append(item.callback_id)
    for caller_callbacks in open_by_caller.values():
        if len(caller_callbacks) > 1:
            result.problems.append(f"a caller has {len(caller_callbacks)} open callbacks")
    return result
