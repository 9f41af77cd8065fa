"""Each headline figure against last month's: the two values, the change, an arrow, and whether it is
better, worse or neither (a change too small to matter, or a figure that is neither way better)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.reports.formatting import finite, fmt_int, fmt_num, fmt_pct, fmt_secs, share
from chalicelib.reports.labels import METRICS
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.palette import BAD, GOOD, NEUTRAL


def fmt_score(value: Any) -> str:
    """A mean survey score: 4.2 → "4,2"."""
    return fmt_num(value, 1)


def fmt(kind: str, value: Any) -> str:
    """A headline figure by its kind (METRICS): a count, a rate, seconds or a 1–5 score."""
    return {"count": fmt_int, "rate": fmt_pct, "seconds": fmt_secs, "score": fmt_score}[kind](value)


def _noise(kind: str, change: float, previous: Any) -> bool:
    """A change too small to call better or worse: under half a point, 1 s, a tenth of a score point
    (scores are means rounded to one decimal), or 3 % of last month."""
    if kind == "rate":
        return abs(change) < 0.005
    if kind == "score":
        return abs(change) < 0.15
    relative = share(abs(change), previous)
    if kind == "seconds" and abs(change) < 1:
        return True
    return relative is not None and relative < 0.03


def compare(report: MonthlyReport | Mapping[str, Any], key: str) -> dict[str, str]:
    """One headline figure with last month's and the change: text, arrow and tone (good/bad/neutral)."""
    label, kind, better = METRICS[key]
    figure = read(report).headline(key)
    value, previous, change = finite(figure.value), finite(figure.previous), finite(figure.change)
    if change is None and value is not None and previous is not None:
        change = value - previous
    tone, arrow, text = "neutral", "", "karşılaştırma yok"
    if change is not None:
        small = abs(change) < (0.0005 if kind == "rate" else 0.05)
        if small:
            arrow, text = "=", "değişmedi"
        else:
            arrow = "▲" if change > 0 else "▼"
            if kind == "rate":
                text = f"{fmt_num(abs(change) * 100, 1)} puan"
            elif kind == "score":
                text = f"{fmt_score(abs(change))} puan"
            elif kind == "seconds":
                text = fmt_secs(abs(change))
            else:
                text = fmt_int(abs(change))
                relative = share(abs(change), previous)
                if relative is not None and relative >= 0.0005:
                    text += f" ({fmt_pct(relative)})"
            if better and not _noise(kind, change, previous):
                tone = "good" if (change > 0) == (better > 0) else "bad"
    return {
        "key": key,
        "label": label,
        "value": fmt(kind, value),
        "previous": fmt(kind, previous),
        "arrow": arrow,
        "change": text,
        "tone": tone,
        "colour": {"good": GOOD, "bad": BAD}.get(tone, NEUTRAL),
    }
