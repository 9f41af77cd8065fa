"""The month's calls by weekday × hour (the heat map), read one way everywhere: the slot where the
most calls were lost, by one rule and one threshold, for the findings, the next steps, the e-mail, the
text and the charts alike, so that they all name the same hour."""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.reports.model import HeatMap

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
