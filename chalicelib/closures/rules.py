"""Pure: which closures may be declared or withdrawn, what Connect keeps open that day, what callers hear.

No AWS here. The calendar passed in is the centre's without the closures (holidays and hours alone),
so a day is judged on what it would have been.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from chalicelib.core.errors import Invalid
from chalicelib.core.turkish import MONTHS_TR, WEEKDAYS_TR
from chalicelib.core.workhours import DECLARED, Closure, WorkingCalendar

REASON_MIN = 3
REASON_MAX = 200  # read out to callers; Connect's override description takes 250
DAYS_AHEAD = 366  # the calendar looks for an opening this far ahead at most


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def check_declaration(closure: Closure, calendar: WorkingCalendar, today: date) -> None:
    """Refuse, naming the field, a closure that is in the past, too far ahead, on a day the centre is
    closed anyway, or with a from-time outside that day's hours."""
    day = closure.day
    if day < today:
        raise Invalid(f"date: geçmiş bir gün kapatılamaz ({day}) / a past day cannot be closed ({day})", "date")
    if day > today + timedelta(days=DAYS_AHEAD):
        raise Invalid(
            f"date: en fazla {DAYS_AHEAD} gün sonrası kapatılabilir / at most {DAYS_AHEAD} days ahead", "date"
        )
    closing = calendar.closing_on(day)
    if closing is None:
        holiday = calendar.holiday_name(day)
        tr, en = ("resmi tatil", f"public holiday: {holiday}") if holiday else (WEEKDAYS_TR[day.weekday()], "weekend")
        raise Invalid(
            f"date: merkez {day} günü zaten kapalı ({tr}) / the centre is closed on {day} anyway ({en})", "date"
        )
    start = closure.from_time
    if start is not None and not calendar.opening < start < closing:
        span = f"{_hm(calendar.opening)}–{_hm(closing)}"
        raise Invalid(
            f"from: o günün çalışma saatleri içinde olmalı ({span}); bütün gün için boş bırakın / "
            f"must fall within that day's hours ({span}); leave it out to close the whole day",
            "from",
        )


def check_withdrawal(day: date, today: date) -> None:
    """A past closure stays on record: the report's working days and the deadlines counted on it."""
    if day < today:
        raise Invalid(
            f"date: geçmiş bir kapanış kayıtta kalır ({day}) / a past closure stays on record ({day})", "date"
        )


def open_hours(closure: Closure, calendar: WorkingCalendar) -> tuple[time, time] | None:
    """What the queue's hours still keep open on the closure's day (Connect's override): from opening to
    the closure's from-time, or nothing (closed all day)."""
    if closure.from_time is None:
        return None
    return calendar.opening, closure.from_time


def _spoken(moment: datetime) -> str:
    """ "7 Aralık Pazartesi günü saat 08.30": how a date and time are read out."""
    return f"{moment.day} {MONTHS_TR[moment.month - 1]} {WEEKDAYS_TR[moment.weekday()]} günü saat {moment:%H.%M}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def closed_message(calendar: WorkingCalendar, at: datetime) -> str:
    """What a caller hears at `at` when the centre is closed (Turkish, read by the flow); "" when open.

    A declared closure says the supervisor's reason; every other closure the centre's usual hours.
    Both end with the next opening, so nobody rings again into a closed centre; the flow goes on (the
    offer to be called back when the centre opens) and says goodbye itself.
    """
    reason = calendar.closure_reason(at)
    if reason is None:
        return ""
    back = f"{_spoken(calendar.next_opening(at))} itibarıyla yeniden hizmetinizdeyiz."
    closure = calendar.declared_closure(at.astimezone(calendar.zone).date())
    if reason == DECLARED and closure is not None:
        since = f"saat {closure.from_time:%H.%M} itibarıyla " if closure.from_time else ""
        return f"Çağrı merkezimiz bugün {since}kapalıdır. {_sentence(closure.reason)} {back}"
    hours = f"{calendar.opening:%H.%M} ile {calendar.closing:%H.%M}"
    return f"Çağrı merkezimiz şu anda kapalıdır. Hafta içi {hours} arasında hizmet veriyoruz. {back}"


def hours_answer(calendar: WorkingCalendar, at: datetime) -> dict[str, Any]:
    """What the contact flow would answer at `at` (docs/figures.md, `callcenter hours at`): open or not;
    the reason, which is the flow's code (`holiday`, `weekend`, `before_hours`, `half_day_afternoon`,
    `after_hours`) or, for a declared closure, the reason the supervisor gave; the next opening."""
    reason = calendar.closure_reason(at)
    if reason is None:
        return {"open": True, "reason": None, "next_opening": None}
    closure = calendar.declared_closure(at.astimezone(calendar.zone).date())
    if reason == DECLARED and closure is not None:
        reason = closure.reason
    return {"open": False, "reason": reason, "next_opening": calendar.next_opening(at).isoformat()}
