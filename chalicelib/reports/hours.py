"""The month's calls by weekday × hour (the heat map), read one way everywhere: the slot where the
most calls were lost, by one rule and one threshold, for the findings, the next steps, the e-mail, the
text and the charts alike, so that they all name the same hour; the busiest slot; the calls that came
at the weekend or outside the day."""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.reports.model import HeatMap

HEAT_HOURS = range(8, 19)  # 08:00–19:00: opening hours (08:30–17:30) and the hour either side
MIN_CALLS_FOR_A_SLOT = 10  # a slot's share of lost calls counts only over at least this many calls
MIN_LOST_FOR_A_SLOT = 1  # and only when at least this many were lost


class SlotLosses(NamedTuple):
    weekday: int  # 0 = Pazartesi
    hour: int
    lost: int
    offered: int


def worst_slots(heat: HeatMap, n: int = 3) -> list[SlotLosses]:
    """Up to `n` slots, the highest share of lost calls first; of two with the same share, the
    earlier in the week."""
    slots = [
        SlotLosses(weekday, hour, lost, offered)
        for weekday, (row_in, row_lost) in enumerate(zip(heat.inbound, heat.abandoned, strict=False))
        for hour, (offered, lost) in enumerate(zip(row_in, row_lost, strict=False))
        if offered >= MIN_CALLS_FOR_A_SLOT and lost >= MIN_LOST_FOR_A_SLOT
    ]
    return sorted(slots, key=lambda s: (-s.lost / s.offered, s.weekday, s.hour))[:n]


def worst_slot(heat: HeatMap) -> SlotLosses | None:
    worst = worst_slots(heat, 1)
    return worst[0] if worst else None


class HeatFacts(NamedTuple):
    total: int  # calls in the month
    weekend: int  # on Saturdays and Sundays
    outside: int  # on weekdays outside HEAT_HOURS
    busiest: tuple[int, int, int] | None  # (weekday, hour, calls) of the busiest slot


def heat_facts(heat: HeatMap) -> HeatFacts:
    inbound = heat.inbound
    busiest = None
    for weekday, row in enumerate(inbound):
        for hour, value in enumerate(row):
            if value and (busiest is None or value > busiest[2]):
                busiest = (weekday, hour, value)
    return HeatFacts(
        total=sum(sum(row) for row in inbound),
        weekend=sum(sum(row) for row in inbound[5:7]),
        outside=sum(sum(v for h, v in enumerate(row) if h not in HEAT_HOURS) for row in inbound[:5]),
        busiest=busiest,
    )
