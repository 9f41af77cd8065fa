"""Declared closures in the working calendar and the closures' rules, with explicit instants only.

4 Aralık 2026 is a Friday, 7 Aralık a Monday; 26 Mayıs 2026 is the Kurban arife (open until 13:00),
27–30 Mayıs the bayram.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.closures.rules import check_declaration, check_withdrawal, closed_message, hours_answer, open_hours
from chalicelib.core.errors import Invalid
from chalicelib.core.workhours import DECLARED, Closure, WorkingCalendar

IST = ZoneInfo("Europe/Istanbul")
BASE = WorkingCalendar(opening=time(8, 30), closing=time(17, 30), half_day_closing=time(13, 0), zone=IST)
FRIDAY, MONDAY, ARIFE = date(2026, 12, 4), date(2026, 12, 7), date(2026, 5, 26)
SNOW = Closure(FRIDAY, None, "Kar yağışı nedeniyle üniversitemiz bugün tatildir")
EARLY = Closure(FRIDAY, time(14, 0), "İdari izin")


def ist(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=IST)


def closed(*closures: Closure) -> WorkingCalendar:
    return BASE.with_closures({c.day: c for c in closures})


# -- the calendar -----------------------------------------------------------------------------------


def test_a_day_closed_all_day_is_closed_from_midnight_to_midnight_and_not_a_working_day():
    cal = closed(SNOW)
    for hour in (0, 7, 9, 12, 17, 23):
        assert cal.closure_reason(ist(FRIDAY, hour)) == DECLARED
    assert not cal.is_working_day(FRIDAY)
    assert cal.closing_on(FRIDAY) is None
    assert cal.next_opening(ist(FRIDAY, 9)) == ist(MONDAY, 8, 30)
    assert BASE.is_open(ist(FRIDAY, 9))  # the calendar without it is untouched


def test_a_closure_from_a_time_closes_the_rest_of_the_day_only():
    cal = closed(EARLY)
    assert cal.closure_reason(ist(FRIDAY, 7)) == "before_hours"
    assert cal.is_open(ist(FRIDAY, 13, 59))
    assert cal.closure_reason(ist(FRIDAY, 14)) == DECLARED
    assert cal.closure_reason(ist(FRIDAY, 20)) == DECLARED  # the evening caller hears why the day ended early
    assert cal.is_working_day(FRIDAY)
    assert cal.closing_on(FRIDAY) == time(14, 0)
    assert cal.next_opening(ist(FRIDAY, 14)) == ist(MONDAY, 8, 30)
    assert cal.next_opening(ist(FRIDAY, 10)) == ist(FRIDAY, 10)


def test_utc_instants_are_judged_in_istanbul():
    cal = closed(EARLY)
    assert cal.is_open(datetime(2026, 12, 4, 10, 59, tzinfo=UTC))  # 13:59 in Istanbul
    assert not cal.is_open(datetime(2026, 12, 4, 11, 0, tzinfo=UTC))
    assert closed(SNOW).closure_reason(datetime(2026, 12, 3, 21, 0, tzinfo=UTC)) == DECLARED  # 00:00 on the 4th


def test_holidays_and_weekends_keep_their_own_reason():
    cal = closed(Closure(date(2026, 10, 29), None, "x"), Closure(date(2026, 12, 5), None, "y"))
    assert cal.closure_reason(ist(date(2026, 10, 29), 10)) == "holiday"  # Cumhuriyet Bayramı
    assert cal.closure_reason(ist(date(2026, 12, 5), 10)) == "weekend"


def test_on_an_arife_a_closure_before_one_o_clock_closes_earlier():
    cal = closed(Closure(ARIFE, time(11, 0), "İdari izin"))
    assert cal.is_open(ist(ARIFE, 10, 59))
    assert cal.closure_reason(ist(ARIFE, 11)) == DECLARED
    assert cal.closing_on(ARIFE) == time(11, 0)
    assert BASE.closing_on(ARIFE) == time(13, 0)


def test_deadlines_in_working_hours_skip_a_closed_day():
    # Two working hours from Thursday 16:30: one on Thursday, then Friday is closed → Monday 09:30.
    thursday = ist(date(2026, 12, 3), 16, 30)
    assert BASE.add_working_time(thursday, timedelta(hours=2)) == ist(FRIDAY, 9, 30)
    assert closed(SNOW).add_working_time(thursday, timedelta(hours=2)) == ist(MONDAY, 9, 30)
    # Closed from 14:00: Friday offers 08:30–14:00.
    assert closed(EARLY).add_working_time(thursday, timedelta(hours=7)) == ist(MONDAY, 9, 0)
    assert closed(SNOW).working_time_between(thursday, ist(MONDAY, 9, 30)) == timedelta(hours=2)


@settings(max_examples=200, deadline=None)
@given(
    offset=st.integers(min_value=0, max_value=14 * 24 * 60),
    closed_day=st.integers(min_value=0, max_value=13),
    from_minutes=st.one_of(st.none(), st.integers(min_value=8 * 60 + 31, max_value=17 * 60 + 29)),
)
def test_a_closure_only_ever_takes_open_time_away(offset, closed_day, from_minutes):
    day = date(2026, 11, 30) + timedelta(days=closed_day)
    start = None if from_minutes is None else time(from_minutes // 60, from_minutes % 60)
    cal = closed(Closure(day, start, "x"))
    at = ist(date(2026, 11, 30)) + timedelta(minutes=offset)
    if cal.is_open(at):
        assert BASE.is_open(at)
        assert cal.next_opening(at) == at
    else:
        opening = cal.next_opening(at)
        assert opening > at and cal.is_open(opening)
        assert opening >= BASE.next_opening(at)
    assert cal.is_open(at) is (cal.closure_reason(at) is None)


# -- what may be declared -----------------------------------------------------------------------------


TODAY = date(2026, 11, 30)


def refusal(closure: Closure, today: date = TODAY) -> Invalid:
    with pytest.raises(Invalid) as caught:
        check_declaration(closure, BASE, today)
    return caught.value


def test_today_and_the_days_ahead_may_be_closed():
    check_declaration(SNOW, BASE, TODAY)
    check_declaration(Closure(TODAY, time(15, 0), "x"), BASE, TODAY)
    check_declaration(Closure(ARIFE, time(12, 59), "x"), BASE, date(2026, 5, 1))


def test_a_past_day_is_refused_naming_the_date():
    error = refusal(Closure(date(2026, 11, 27), None, "x"))
    assert error.field == "date" and "geçmiş" in error.message


def test_more_than_a_year_ahead_is_refused():
    assert refusal(Closure(TODAY + timedelta(days=400), None, "x")).field == "date"


@pytest.mark.parametrize(
    ("day", "word"),
    [(date(2026, 12, 5), "Cumartesi"), (date(2027, 1, 1), "resmi tatil")],  # a Saturday; Yılbaşı
)
def test_a_day_the_centre_is_closed_anyway_is_refused(day, word):
    error = refusal(Closure(day, None, "x"))
    assert error.field == "date" and word in error.message


@pytest.mark.parametrize("start", [time(8, 0), time(8, 30), time(17, 30), time(18, 0)])
def test_a_from_time_outside_the_days_hours_is_refused_naming_from(start):
    error = refusal(Closure(FRIDAY, start, "x"))
    assert error.field == "from" and "08:30–17:30" in error.message


def test_on_an_arife_the_from_time_must_come_before_one_o_clock():
    error = refusal(Closure(ARIFE, time(14, 0), "x"), today=date(2026, 5, 1))
    assert error.field == "from" and "08:30–13:00" in error.message


def test_a_past_closure_cannot_be_withdrawn_but_todays_can():
    check_withdrawal(TODAY, TODAY)
    with pytest.raises(Invalid) as caught:
        check_withdrawal(TODAY - timedelta(days=1), TODAY)
    assert caught.value.field == "date"


def test_what_connect_keeps_open_on_the_day():
    assert open_hours(SNOW, BASE) is None
    assert open_hours(EARLY, BASE) == (time(8, 30), time(14, 0))


# -- what callers hear, what the flow answers --------------------------------------------------------------


def test_a_declared_closure_is_read_out_with_its_reason_and_the_next_opening():
    message = closed_message(closed(SNOW), ist(FRIDAY, 10))
    assert message.startswith("Çağrı merkezimiz bugün kapalıdır. Kar yağışı nedeniyle üniversitemiz bugün tatildir.")
    assert "7 Aralık Pazartesi günü saat 08.30 itibarıyla yeniden hizmetinizdeyiz." in message
    early = closed_message(closed(EARLY), ist(FRIDAY, 15))
    assert early.startswith("Çağrı merkezimiz bugün saat 14.00 itibarıyla kapalıdır. İdari izin.")


def test_other_closures_say_the_usual_hours_and_an_open_centre_says_nothing():
    message = closed_message(BASE, ist(date(2026, 12, 5), 10))
    assert "Hafta içi 08.30 ile 17.30 arasında" in message and "7 Aralık Pazartesi" in message
    assert closed_message(BASE, ist(FRIDAY, 10)) == ""


def test_the_hours_answer_names_the_declared_reason_or_the_flows_code():
    assert hours_answer(closed(SNOW), ist(FRIDAY, 10)) == {
        "open": False,
        "reason": SNOW.reason,
        "next_opening": "2026-12-07T08:30:00+03:00",
    }
    assert hours_answer(closed(SNOW), ist(date(2026, 12, 3), 10)) == {
        "open": True,
        "reason": None,
        "next_opening": None,
    }
    assert hours_answer(BASE, ist(ARIFE, 13, 0)) == {
        "open": False,
        "reason": "half_day_afternoon",
        "next_opening": "2026-06-01T08:30:00+03:00",  # the bayram runs to Saturday 30 Mayıs
    }
