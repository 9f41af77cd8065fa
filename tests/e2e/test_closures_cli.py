"""`callcenter hours at` and `callcenter closures add|list|remove` through the real CLI on the embedded AWS.

`hours at` takes its instant as an argument, so its answers are fixed; a closure must be declared for a
day to come, so that part picks the first working day at least a week after today (by the calendar
without closures) and checks what follows from it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest

from chalicelib.core.workhours import default_calendar

pytestmark = pytest.mark.e2e


def hours_at(operator, instant: str) -> dict:
    done = operator.run("hours", "at", instant, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


OPEN = (True, None, None)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-10-14T10:00:00+03:00", OPEN),
        ("2026-10-14T07:00:00Z", OPEN),  # 10:00 in Istanbul
        ("2026-10-14T08:00:00+03:00", (False, "before_hours", "2026-10-14T08:30:00+03:00")),
        ("2026-10-16T17:30:00+03:00", (False, "after_hours", "2026-10-19T08:30:00+03:00")),
        ("2026-10-17T11:00:00+03:00", (False, "weekend", "2026-10-19T08:30:00+03:00")),
        # 28 Ekim: the half day before Cumhuriyet Bayramı (open until 13:00); 29 Ekim: the holiday.
        ("2026-10-28T12:59:00+03:00", OPEN),
        ("2026-10-28T13:00:00+03:00", (False, "half_day_afternoon", "2026-10-30T08:30:00+03:00")),
        ("2026-10-29T10:00:00+03:00", (False, "holiday", "2026-10-30T08:30:00+03:00")),
        # Kurban Bayramı 2026: arife 26 Mayıs afternoon, the bayram 27–30 Mayıs, open again on Monday 1 Haziran.
        ("2026-05-26T14:00:00+03:00", (False, "half_day_afternoon", "2026-06-01T08:30:00+03:00")),
    ],
)
def test_hours_at_answers_as_the_flow_would(operator, instant, expected):
    assert hours_at(operator, instant) == dict(zip(("open", "reason", "next_opening"), expected, strict=True))


@pytest.mark.parametrize("instant", ["2026-10-14T10:00:00", "yarın", "2026-13-01T10:00:00+03:00"])
def test_hours_at_refuses_an_instant_without_an_offset_or_no_instant_at_all(operator, instant):
    done = operator.run("hours", "at", instant, "--format", "json")
    assert done.returncode == 2 and "TIMESTAMP" in done.stderr and done.stdout == ""


def a_day_to_close() -> datetime:
    """10:00 (Istanbul) on the first working day at least a week from today, with the next day a working day too."""
    calendar = default_calendar()
    day = datetime.now(UTC).astimezone(calendar.zone).date() + timedelta(days=7)
    while not (calendar.is_working_day(day) and calendar.is_working_day(day + timedelta(days=1))):
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=calendar.zone)


def test_a_closure_declared_listed_honoured_and_withdrawn_from_the_terminal(operator):
    at = a_day_to_close()
    day = at.date().isoformat()
    reason = "Kar yağışı nedeniyle üniversitemiz bugün tatildir"
    assert hours_at(operator, at.isoformat())["open"] is True

    added = operator.run("closures", "add", day, "--reason", reason, "--by", "basin", "--format", "json")
    assert added.returncode == 0, added.stderr
    declared = json.loads(added.stdout)
    assert (declared["date"], declared["from"], declared["reason"], declared["declared_by"]) == (
        day,
        None,
        reason,
        "basin",
    )
    assert declared["connect_synced"] is True
    [override] = json.loads((operator.home / "connect-hours.json").read_text()).values()
    assert (override["day"], override["open"]) == (day, [])

    closed = hours_at(operator, at.isoformat())
    assert (closed["open"], closed["reason"]) == (False, reason)
    reopening = datetime.fromisoformat(closed["next_opening"])
    assert reopening.date() > at.date() and hours_at(operator, closed["next_opening"])["open"] is True

    again = operator.run("closures", "add", day, "--reason", reason)  # the same closure: nothing new
    assert again.returncode == 0 and "zaten" in again.stderr
    other = operator.run("closures", "add", day, "--reason", "Başka bir neden")
    assert other.returncode == 1 and "date:" in other.stderr

    listed = operator.run("closures", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [declared]

    removed = operator.run("closures", "remove", day)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(operator.run("closures", "list", "--format", "json").stdout) == []
    assert json.loads((operator.home / "connect-hours.json").read_text()) == {}
    assert hours_at(operator, at.isoformat())["open"] is True
    gone = operator.run("closures", "remove", day)
    assert gone.returncode == 1 and "date:" in gone.stderr


def test_a_closure_from_a_time_closes_the_afternoon_only(operator):
    at = a_day_to_close()
    day = at.date().isoformat()
    added = operator.run("closures", "add", day, "--from", "14:00", "--reason", "İdari izin")
    assert added.returncode == 0, added.stderr
    try:
        assert hours_at(operator, f"{day}T13:59:00+03:00")["open"] is True
        afternoon = hours_at(operator, f"{day}T14:00:00+03:00")
        assert (afternoon["open"], afternoon["reason"]) == (False, "İdari izin")
        listed = json.loads(operator.run("closures", "list", "--from", day, "--format", "json").stdout)
        assert [(c["date"], c["from"]) for c in listed] == [(day, "14:00")]
    finally:
        assert operator.run("closures", "remove", day).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["2020-01-06", "--reason", "İdari izin"], 1, "geçmiş"),
        (["06.01.2030", "--reason", "İdari izin"], 2, "date"),
        (["2030-01-07", "--reason", "x"], 2, "reason"),
        (["2030-01-07", "--from", "9", "--reason", "İdari izin"], 2, "from"),
        (["2030-01-07"], 2, "--reason"),
    ],
)
def test_bad_closures_are_refused_naming_what_is_wrong(operator, args, code, says):
    done = operator.run("closures", "add", *args)
    assert done.returncode == code and says in done.stderr, done.stderr
    assert json.loads(operator.run("closures", "list", "--format", "json").stdout) == []
