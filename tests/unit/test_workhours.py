"""Working hours against the 2026 Turkish calendar, with explicit instants only."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core.config import Settings
from chalicelib.core.workhours import WorkingCalendar, default_calendar

IST = ZoneInfo("Europe/Istanbul")
CAL = WorkingCalendar(opening=time(8, 30), closing=time(17, 30), half_day_closing=time(13, 0), zone=IST)


def ist(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=IST)


# -- construction ---------------------------------------------------------


def test_from_settings_uses_configured_hours_and_zone():
    cal = WorkingCalendar.from_settings(Settings())
    assert cal == CAL


def test_default_calendar_is_cached():
    assert default_calendar() is default_calendar()


def test_calendar_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAL.opening = time(9, 0)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("opening", "closing", "half_day_closing"),
    [
        (time(17, 30), time(8, 30), time(13, 0)),  # swapped
        (time(8, 30), time(17, 30), time(8, 0)),  # half day closes before opening
        (time(8, 30), time(17, 30), time(18, 0)),  # half day longer than a full day
    ],
)
def test_inconsistent_hours_are_rejected(opening, closing, half_day_closing):
    with pytest.raises(ValueError):
        WorkingCalendar(opening=opening, closing=closing, half_day_closing=half_day_closing, zone=IST)


# -- ordinary weekdays ----------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "reason"),
    [
        (8, 29, "before_hours"),
        (8, 30, None),
        (17, 29, None),
        (17, 30, "after_hours"),
    ],
)
def test_weekday_boundaries_in_istanbul(hour, minute, reason):
    at = ist(2026, 10, 14, hour, minute)  # Wednesday
    assert CAL.closure_reason(at) == reason
    assert CAL.is_open(at) is (reason is None)


def test_utc_input_is_judged_in_istanbul():
    # Türkiye is UTC+3 all year: 06:00Z is 09:00 TRT, 05:29Z is 08:29 TRT.
    assert CAL.is_open(datetime(2026, 10, 14, 6, 0, tzinfo=UTC))
    assert CAL.closure_reason(datetime(2026, 10, 14, 5, 29, tzinfo=UTC)) == "before_hours"
    # 21:30Z Sunday is already 00:30 Monday in Istanbul, still before hours.
    assert CAL.closure_reason(datetime(2026, 10, 18, 21, 30, tzinfo=UTC)) == "before_hours"


def test_naive_datetime_is_rejected():
    naive = datetime(2026, 10, 14, 10, 0)
    with pytest.raises(ValueError, match="aware"):
        CAL.is_open(naive)
    with pytest.raises(ValueError, match="aware"):
        CAL.next_opening(naive)


def test_saturday_is_weekend():
    at = ist(2026, 10, 17, 10, 0)
    assert not CAL.is_open(at)
    assert CAL.closure_reason(at) == "weekend"
    assert not CAL.is_working_day(at.date())


# -- holidays -------------------------------------------------------------


def test_republic_day_is_a_holiday():
    at = ist(2026, 10, 29, 10, 0)
    assert CAL.closure_reason(at) == "holiday"
    assert CAL.holiday_name(date(2026, 10, 29)) == "Republic Day"
    assert not CAL.is_working_day(date(2026, 10, 29))


def test_republic_day_eve_closes_at_one():
    assert CAL.is_open(ist(2026, 10, 28, 12, 59))
    assert CAL.closure_reason(ist(2026, 10, 28, 13, 0)) == "half_day_afternoon"
    assert CAL.closure_reason(ist(2026, 10, 28, 8, 0)) == "before_hours"
    assert CAL.is_working_day(date(2026, 10, 28))
    assert CAL.holiday_name(date(2026, 10, 28)) == "Republic Day (from 1pm)"


@pytest.mark.parametrize("day", [20, 21, 22])
def test_ramazan_bayrami_is_closed(day):
    # Friday to Sunday; the holiday reason wins over "weekend".
    at = ist(2026, 3, day, 10, 0)
    assert not CAL.is_open(at)
    assert CAL.closure_reason(at) == "holiday"
    assert CAL.holiday_name(at.date()) == "Eid al-Fitr"


def test_ramazan_arife_afternoon_is_closed():
    assert CAL.is_open(ist(2026, 3, 19, 10, 0))
    assert CAL.closure_reason(ist(2026, 3, 19, 14, 0)) == "half_day_afternoon"


def test_full_holiday_wins_over_coinciding_half_day():
    # 23 Nisan 2029 (Monday) is also Kurban arife in the package's table.
    at = ist(2029, 4, 23, 10, 0)
    assert CAL.closure_reason(at) == "holiday"
    assert not CAL.is_working_day(at.date())
    assert CAL.holiday_name(at.date()) == "National Sovereignty and Children's Day"


def test_ordinary_day_has_no_holiday_name():
    assert CAL.holiday_name(date(2026, 10, 14)) is None
    assert CAL.is_working_day(date(2026, 10, 14))


def test_kurban_bayrami_2026_dates_from_the_package():
    # Arife Tue 26 May (half day), bayram Wed 27 – Sat 30 May, then Sunday 31 May.
    assert CAL.holiday_name(date(2026, 5, 26)) == "Eid al-Adha (from 1pm)"
    assert [CAL.holiday_name(date(2026, 5, d)) for d in range(27, 31)] == ["Eid al-Adha"] * 4
    assert CAL.holiday_name(date(2026, 5, 31)) is None
    assert not any(CAL.is_working_day(date(2026, 5, d)) for d in range(27, 32))


# -- next opening ---------------------------------------------------------


def test_next_opening_when_open_is_now():
    at = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # 10:00 TRT
    opening = CAL.next_opening(at)
    assert opening == at
    assert opening.tzinfo == IST
    assert opening.hour == 10


def test_next_opening_before_hours_is_same_morning():
    assert CAL.next_opening(ist(2026, 10, 14, 7, 0)) == ist(2026, 10, 14, 8, 30)


def test_next_opening_over_the_weekend():
    opening = CAL.next_opening(ist(2026, 10, 16, 18, 0))  # Friday
    assert opening == ist(2026, 10, 19, 8, 30)
    assert opening.weekday() == 0
    assert opening.tzinfo == IST


def test_next_opening_over_republic_day():
    assert CAL.next_opening(ist(2026, 10, 28, 14, 0)) == ist(2026, 10, 30, 8, 30)


def test_next_opening_over_kurban_bayrami():
    assert CAL.next_opening(ist(2026, 5, 26, 15, 0)) == ist(2026, 6, 1, 8, 30)


def test_next_opening_over_new_year():
    # 31 Dec 2026 is a Thursday after hours; 1 Jan 2027 is a holiday (Friday).
    assert CAL.next_opening(ist(2026, 12, 31, 18, 0)) == ist(2027, 1, 4, 8, 30)


# -- properties -----------------------------------------------------------

_ZONES = st.sampled_from([UTC, IST, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")])
_INSTANTS_2026 = st.builds(
    lambda minutes, zone: (datetime(2026, 1, 1, tzinfo=IST) + timedelta(minutes=minutes)).astimezone(zone),
    st.integers(min_value=0, max_value=365 * 24 * 60 - 1),
    _ZONES,
)


@settings(max_examples=500, deadline=None)
@given(_INSTANTS_2026)
def test_next_opening_is_open_and_not_earlier(at):
    opening = CAL.next_opening(at)
    assert opening >= at
    assert CAL.is_open(opening)
    assert opening.tzinfo == IST
    assert CAL.is_open(at) == (opening == at)
    if opening != at:  # a real boundary: closed the minute before
        assert not CAL.is_open(opening - timedelta(minutes=1))
    assert (CAL.closure_reason(at) is None) == CAL.is_open(at)


def test_add_working_time_skips_closed_time():
    cal = WorkingCalendar(time(8, 30), time(17, 30), time(13, 0), IST)
    friday = datetime(2026, 10, 16, 16, 30, tzinfo=IST)
    assert cal.add_working_time(friday, timedelta(hours=2)) == datetime(2026, 10, 19, 9, 30, tzinfo=IST)
    night = datetime(2026, 10, 14, 22, 0, tzinfo=IST)  # after hours: the clock starts at next opening
    assert cal.add_working_time(night, timedelta(hours=1)) == datetime(2026, 10, 15, 9, 30, tzinfo=IST)
    # 28 Ekim closes at 13:00 and 29 Ekim is closed: 2 h from 12:00 on the 28th ends 09:30 on the 30th.
    assert cal.add_working_time(datetime(2026, 10, 28, 12, 0, tzinfo=IST), timedelta(hours=2)) == datetime(
        2026, 10, 30, 9, 30, tzinfo=IST
    )
    assert cal.add_working_time(friday, cal.working_day) == datetime(2026, 10, 19, 16, 30, tzinfo=IST)
