"""Figures written the Turkish way: "1.234", "%94,3", "4 dk 5 sn", "Ekim 2026"; a missing figure
(None, NaN) as a dash. The e-mail template uses these as its filters."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from chalicelib.core.turkish import MONTHS_TR, WEEKDAYS_TR

MISSING = "—"

_DECIMAL = str.maketrans({",": ".", ".": ","})

# The possessive + accusative ending of a number ("çağrıların %80'ini"), which follows the sound of the
# last word it is read with: seksen → 80'ini, doksan → 90'ını, yirmi → 20'sini, yüz → 100'ünü.
_ONES_ENDING = ("ını", "ini", "sini", "ünü", "ünü", "ini", "sını", "sini", "ini", "unu")  # sıfır, bir … dokuz
_TENS_ENDING = ("", "unu", "sini", "unu", "ını", "sini", "ını", "ini", "ini", "ını")  # —, on … doksan


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def finite(value: float | None) -> float | None:
    """The value, or None when it is missing (None, NaN or infinite)."""
    return None if missing(value) else value


def share(part: Any, whole: Any) -> float | None:
    """part / whole, or None when either is missing or the whole is zero."""
    return None if missing(part) or missing(whole) or not whole else part / whole


def fmt_int(value: Any) -> str:
    """1234 → "1.234"."""
    return MISSING if missing(value) else f"{round(value):,}".translate(_DECIMAL)


def fmt_num(value: Any, digits: int = 1) -> str:
    """1234.56 → "1.234,6"."""
    return MISSING if missing(value) else f"{value:,.{digits}f}".translate(_DECIMAL)


def fmt_pct(value: Any, digits: int = 1) -> str:
    """A fraction as a Turkish percentage: 0.943 → "%94,3"."""
    return MISSING if missing(value) else "%" + fmt_num(value * 100, digits)


def fmt_pct_object(fraction: float) -> str:
    """A whole percentage as the object of a sentence: 0.8 → "%80'ini" ("çağrıların %80'ini")."""
    percent = round(fraction * 100)
    if percent == 100:
        ending = "ünü"
    elif percent % 10 or not percent:
        ending = _ONES_ENDING[percent % 10]
    else:
        ending = _TENS_ENDING[percent // 10]
    return f"%{percent}'{ending}"


def fmt_secs(value: Any) -> str:
    """Seconds for people: "12,5 sn", "4 dk 5 sn", "2 sa 15 dk", "3 gün 4 sa"."""
    if missing(value):
        return MISSING
    if value < 60:
        return f"{fmt_num(value, 1)} sn"
    whole = round(value)
    if whole < 3600:
        return f"{whole // 60} dk {whole % 60} sn" if whole % 60 else f"{whole // 60} dk"
    minutes = round(value / 60)
    if minutes < 24 * 60:
        return f"{minutes // 60} sa {minutes % 60} dk" if minutes % 60 else f"{minutes // 60} sa"
    hours = round(value / 3600)
    return f"{hours // 24} gün {hours % 24} sa" if hours % 24 else f"{hours // 24} gün"


def month_name(month: str | None) -> str:
    """ "2026-10" → "Ekim 2026"."""
    try:
        year, mon = (int(part) for part in str(month).split("-"))
        return f"{MONTHS_TR[mon - 1]} {year}"
    except (ValueError, IndexError):
        return str(month or MISSING)


def day_name(iso_date: str) -> str:
    """ "2026-10-14" → "14 Ekim Çarşamba"."""
    d = date.fromisoformat(iso_date)
    return f"{d.day} {MONTHS_TR[d.month - 1]} {WEEKDAYS_TR[d.weekday()]}"


def hour_span(hour: int) -> str:
    """13 → "13:00–14:00"."""
    return f"{hour:02d}:00–{(hour + 1):02d}:00"


def upper_tr(text: str) -> str:
    """Turkish capitals: i → İ, ı → I (str.upper gives I for both)."""
    return text.replace("i", "İ").replace("ı", "I").upper()
