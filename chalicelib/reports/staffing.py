"""Pure: staffing need per hour of the working week by Erlang C, against who was at work (directive 7(b)).

From the measured arrival rate per hour and the measured average handle time (AHT) we compute how
many agents each hour needs so that `target_level` of calls are answered within `target_seconds`
(the settings' service_level_target and service_level_seconds unless given), set that beside the
agents actually at work, and say the gap in Turkish.

Erlang C models an M/M/n queue: Poisson arrivals, exponential handle times, callers who never hang
up. Real callers abandon, so the model errs on the safe side (it asks for slightly more agents than
strictly needed). It also knows nothing of shrinkage (breaks, training, after-call work outside
AHT): `required` is agents *on the phones*, not agents on the rota.

No AWS, no numpy: this module ships in a Lambda.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.core.config import settings
from chalicelib.core.turkish import WEEKDAYS_EN, WEEKDAYS_TR

# A surplus of one agent is noise (rounding of an average head-count); two or more is worth moving.
SURPLUS_WORTH_MOVING = 2

_HOUR = 3600.0
# `at_work` is an average over the month's working days (k / n); a tolerance keeps a float such as
# 2.0000000000000004 from rounding up to 3.
_CEIL_TOLERANCE = 1e-9


# -- Erlang C -----------------------------------------------------------------


def _traffic(calls: float, period_seconds: float, aht_seconds: float) -> float:
    if calls < 0:
        raise ValueError(f"calls must be >= 0, got {calls}")
    if period_seconds <= 0:
        raise ValueError(f"period_seconds must be > 0, got {period_seconds}")
    if aht_seconds <= 0:
        raise ValueError(f"aht_seconds must be > 0, got {aht_seconds}")
    return calls * aht_seconds / period_seconds


def erlang_c(traffic_erlangs: float, agents: int) -> float:
    """Probability that a call has to wait, for `traffic_erlangs` offered to `agents`.

    1.0 when agents <= traffic (the queue grows without bound). Computed through the Erlang B
    recursion B(k) = A·B(k−1) / (k + A·B(k−1)), which never forms A^n or n! and so stays exact to
    float precision for hundreds of agents, then C = n·B / (n − A·(1 − B)).
    """
    if traffic_erlangs < 0:
        raise ValueError(f"traffic_erlangs must be >= 0, got {traffic_erlangs}")
    if agents < 0:
        raise ValueError(f"agents must be >= 0, got {agents}")
    if agents <= traffic_erlangs:
        return 1.0
    a = traffic_erlangs
    b = 1.0
    for k in range(1, agents + 1):
        b = a * b / (k + a * b)
    return agents * b / (agents - a * (1.0 - b))


def service_level(calls: float, period_seconds: float, aht_seconds: float, agents: int, target_seconds: float) -> float:
    """Share of calls answered within `target_seconds`: 1 − P(wait)·exp(−(n − A)·t / AHT).

    1.0 when there are no calls (nobody waits); 0.0 when agents <= traffic (the formula would go
    negative: the queue is unstable and, in the model, nobody is answered in time for long).
    """
    a = _traffic(calls, period_seconds, aht_seconds)
    if target_seconds < 0:
        raise ValueError(f"target_seconds must be >= 0, got {target_seconds}")
    if calls == 0:
        return 1.0
    if agents <= a:
        return 0.0
    return 1.0 - erlang_c(a, agents) * math.exp(-(agents - a) * target_seconds / aht_seconds)


def asa_seconds(calls: float, period_seconds: float, aht_seconds: float, agents: int) -> float:
    """Average speed of answer over all calls, waiting or not: P(wait)·AHT / (n − A).

    0.0 when there are no calls; infinity when agents <= traffic.
    """
    a = _traffic(calls, period_seconds, aht_seconds)
    if calls == 0:
        return 0.0
    if agents <= a:
        return math.inf
    return erlang_c(a, agents) * aht_seconds / (agents - a)


def agents_needed(
    calls: float,
    period_seconds: float,
    aht_seconds: float,
    target_level: float | None = None,
    target_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> int:
    """Smallest agent count whose service level is >= `target_level` (0 when there are no calls).

    With `max_occupancy` (e.g. 0.85) the count is also raised until traffic / agents <= it.
    """
    target_level, target_seconds = _targets(target_level, target_seconds)
    if not 0 <= target_level < 1:
        # Erlang C reaches 100 % only in the limit: a target of 1 would never be met.
        raise ValueError(f"target_level must be in [0, 1), got {target_level}")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy}")
    a = _traffic(calls, period_seconds, aht_seconds)
    if calls == 0:
        return 0
    agents = math.floor(a) + 1  # the fewest agents with a stable queue (agents > A)
    if max_occupancy is not None:
        agents = max(agents, math.ceil(a / max_occupancy))
    # Terminates: for agents > A the service level rises strictly towards 1 and target_level < 1.
    while service_level(calls, period_seconds, aht_seconds, agents, target_seconds) < target_level:
        agents += 1
    return agents


def _targets(level: float | None, seconds: float | None) -> tuple[float, float]:
    cfg = settings()
    return (
        cfg.service_level_target if level is None else level,
        cfg.service_level_seconds if seconds is None else seconds,
    )


# -- the week's plan ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One hour of one weekday. `at_work` is the (average) head-count seen at work that hour.

    `gap` = required − ceil(at_work) when positive, else 0; `surplus` = ceil(at_work) − required
    when positive, else 0. At most one of the two is non-zero.
    """

    weekday: int  # 0 = Monday (Pazartesi)
    hour: int  # 0..23, local time; the slot covers hour:00–(hour+1):00
    calls_per_hour: float
    required: int
    at_work: float
    gap: int
    surplus: int = 0


def plan(
    slots_in: Iterable[tuple[int, int, float, float]],
    aht_seconds: float,
    target_level: float | None = None,
    target_seconds: float | None = None,
) -> list[Slot]:
    """(weekday, hour, calls per hour, agents at work) → one `Slot` each, sorted by weekday then hour.

    The caller chooses which hours to pass (e.g. only opening hours): an hour with calls and nobody
    at work is reported as a gap like any other.
    """
    out: list[Slot] = []
    seen: set[tuple[int, int]] = set()
    for weekday, hour, calls_per_hour, at_work in slots_in:
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {weekday}")
        if not 0 <= hour <= 23:
            raise ValueError(f"hour must be 0..23, got {hour}")
        if at_work < 0:
            raise ValueError(f"at_work must be >= 0, got {at_work}")
        if (weekday, hour) in seen:
            raise ValueError(f"slot given twice: weekday {weekday}, hour {hour}")
        seen.add((weekday, hour))
        required = agents_needed(calls_per_hour, _HOUR, aht_seconds, target_level, target_seconds)
        present = math.ceil(at_work - _CEIL_TOLERANCE) if at_work > 0 else 0
        out.append(
            Slot(
                weekday=weekday,
                hour=hour,
                calls_per_hour=calls_per_hour,
                required=required,
                at_work=at_work,
                gap=max(required - present, 0),
                surplus=max(present - required, 0),
            )
        )
    out.sort(key=lambda s: (s.weekday, s.hour))
    return out


# -- plain-language summary -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    weekday: int
    start: int  # first hour
    end: int  # hour after the last slot
    short: bool  # True: shortfall; False: surplus
    agents: int


def _runs(slots: Iterable[Slot]) -> list[_Run]:
    """Consecutive hours of one weekday with the same shortfall (or the same surplus >= 2), merged."""
    runs: list[_Run] = []
    for s in sorted(slots, key=lambda s: (s.weekday, s.hour)):
        if s.gap > 0:
            short, n = True, s.gap
        elif s.surplus >= SURPLUS_WORTH_MOVING:
            short, n = False, s.surplus
        else:
            continue
        last = runs[-1] if runs else None
        if last and (last.weekday, last.end, last.short, last.agents) == (s.weekday, s.hour, short, n):
            runs[-1] = _Run(last.weekday, last.start, s.hour + 1, short, n)
        else:
            runs.append(_Run(s.weekday, s.hour, s.hour + 1, short, n))
    return runs


def _span(run: _Run) -> str:
    # The end of a run reaching midnight prints as 24:00 (the end of that weekday, not the next one).
    return f"{run.start:02d}:00–{run.end:02d}:00"


def gap_sentences(slots: Iterable[Slot]) -> list[str]:
    """Turkish, e.g. "Salı 10:00–12:00 arası 2 temsilci eksik"; surpluses of 2+ as "... 2 temsilci fazla"."""
    return [
        f"{WEEKDAYS_TR[r.weekday]} {_span(r)} arası {r.agents} temsilci {'eksik' if r.short else 'fazla'}"
        for r in _runs(slots)
    ]


def gap_sentences_en(slots: Iterable[Slot]) -> list[str]:
    """English, e.g. "Tuesday 10:00–12:00: 2 agents short"; surpluses of 2+ as "...: 2 agents spare"."""
    return [
        f"{WEEKDAYS_EN[r.weekday]} {_span(r)}: {r.agents} agent{'s' if r.agents != 1 else ''} "
        f"{'short' if r.short else 'spare'}"
        for r in _runs(slots)
    ]
