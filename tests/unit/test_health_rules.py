"""Pure health rules: when the contact stream counts as silent; what the checks add up to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core.config import Settings
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.health.rules import overall, silence

CAL = WorkingCalendar.from_settings(Settings())
THIRTY = timedelta(minutes=30)
TUESDAY_10 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 Istanbul


def test_quiet_for_less_than_the_threshold_is_fine():
    assert silence(TUESDAY_10 - timedelta(minutes=29), TUESDAY_10, CAL, THIRTY) is None


def test_quiet_for_the_threshold_in_working_hours_is_a_silence():
    last = TUESDAY_10 - timedelta(minutes=40)
    quiet = silence(last, TUESDAY_10, CAL, THIRTY)
    assert quiet is not None and quiet.since == last and quiet.minutes == 40.0
    assert quiet.key == "silence#2026-10-13T06:20:00+00:00"


def test_the_night_does_not_count_silence_starts_at_opening():
    yesterday = TUESDAY_10 - timedelta(days=1)
    assert silence(yesterday, TUESDAY_10.replace(hour=5, minute=50), CAL, THIRTY) is None  # 08:50: 20 min open
    quiet = silence(yesterday, TUESDAY_10, CAL, THIRTY)  # 10:00: 90 min since 08:30
    assert quiet is not None and quiet.minutes == 90.0
    assert quiet.since == datetime(2026, 10, 13, 5, 30, tzinfo=UTC)
    assert silence(None, TUESDAY_10, CAL, THIRTY) == quiet  # never any event: the same silence


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 10, 13, 15, 0, tzinfo=UTC),  # 18:00, closed
        datetime(2026, 10, 17, 9, 0, tzinfo=UTC),  # Saturday
        datetime(2026, 10, 29, 9, 0, tzinfo=UTC),  # 29 Ekim, Cumhuriyet Bayramı
    ],
)
def test_no_silence_while_the_centre_is_closed(moment):
    assert silence(moment - timedelta(days=2), moment, CAL, THIRTY) is None


def test_each_silence_has_its_own_key():
    first = silence(TUESDAY_10 - timedelta(minutes=40), TUESDAY_10, CAL, THIRTY)
    later = silence(TUESDAY_10 + timedelta(minutes=5), TUESDAY_10 + timedelta(minutes=45), CAL, THIRTY)
    assert first.key != later.key


def test_overall():
    assert overall({"a": {"status": "ok"}, "b": {"status": "ok"}}) == (True, 200)
    assert overall({"a": {"status": "ok"}, "b": {"status": "stale"}}) == (False, 503)
    assert overall({"a": {"status": "failing"}}) == (False, 503)
