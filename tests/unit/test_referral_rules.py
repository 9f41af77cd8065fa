"""Pure referral rules: deadlines in working time, the agenda's step due, references, percentiles."""

from datetime import UTC, datetime, timedelta

from chalicelib.core.workhours import default_calendar
from chalicelib.referrals.rules import (
    ESCALATE,
    EXPIRE,
    REMIND,
    SEND,
    TASK,
    Status,
    deadlines,
    in_working_hours_only,
    percentile,
    reference,
    referral_id_for,
)

CAL = default_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def local(moment: datetime) -> str:
    return moment.astimezone(CAL.zone).strftime("%a %d %b %H:%M")


def test_a_sixteen_hour_target_from_tuesday_morning():
    due = deadlines(at("2026-10-13T10:00+03:00"), 16, 3, CAL)
    assert local(due.remind_at) == "Wed 14 Oct 09:00"
    assert local(due.due_at) == "Wed 14 Oct 17:00"
    assert local(due.expires_at) == "Tue 20 Oct 13:00"


def test_the_friday_afternoon_question_waits_over_the_weekend():
    due = deadlines(at("2026-10-16T16:00+03:00"), 16, 3, CAL)
    assert local(due.remind_at) == "Mon 19 Oct 15:00"
    assert local(due.due_at) == "Tue 20 Oct 14:00"


def test_republic_day_half_day_and_holiday_do_not_count():
    # 28 Ekim closes at 13:00, 29 Ekim is closed: 8 working hours from 28 Oct 10:00 end on 30 Oct 13:30.
    due = deadlines(at("2026-10-28T10:00+03:00"), 16, 3, CAL)
    assert local(due.remind_at) == "Fri 30 Oct 13:30"


def test_working_time_between_is_the_inverse_of_adding_it():
    start = at("2026-10-27T15:00+03:00")
    for hours in (0.5, 2, 8, 9, 16, 40):
        end = CAL.add_working_time(start, timedelta(hours=hours))
        assert CAL.working_time_between(start, end) == timedelta(hours=hours)
    assert CAL.working_time_between(at("2026-10-17T10:00+03:00"), at("2026-10-18T12:00+03:00")) == timedelta(0)
    assert CAL.working_time_between(at("2026-10-14T10:00+03:00"), at("2026-10-13T10:00+03:00")) == timedelta(0)


def test_only_reminders_and_escalations_wait_for_opening_hours():
    assert [a for a in (SEND, REMIND, ESCALATE, EXPIRE, TASK) if in_working_hours_only(a)] == [REMIND, ESCALATE]


def test_references_and_ids():
    assert reference(2026, 123) == "ÇİM-2026-000123"
    assert referral_id_for("contact-1", "bilgi-islem") == referral_id_for("contact-1", "bilgi-islem")
    assert referral_id_for("contact-1", "bilgi-islem") != referral_id_for("contact-1", "ogrenci-isleri")
    assert len(referral_id_for("c", "u")) == 23


def test_nearest_rank_percentiles():
    assert percentile([], 0.9) is None
    values = list(range(1, 11))
    assert percentile(values, 0.5) == 5 and percentile(values, 0.9) == 9 and percentile(values, 1.0) == 10
    assert percentile([7.0], 0.9) == 7.0


def test_a_sent_referral_past_its_expiry_expires_whatever_step_it_waited_for():
    from chalicelib.referrals.rules import ESCALATE, EXPIRE, REMIND, SEND, TASK, step_due

    expires, before, after = "2026-10-20T10:00:00.000Z", "2026-10-20T09:59:59.000Z", "2026-10-20T10:00:00.000Z"
    for waiting in (REMIND, ESCALATE, EXPIRE):
        assert step_due(Status.SENT, waiting, expires, after) == EXPIRE
        assert step_due(Status.SENT, waiting, expires, before) == waiting
    assert step_due(Status.OPEN, SEND, expires, after) == EXPIRE  # never mailed in time: the agents tell the caller
    assert step_due(Status.OPEN, SEND, expires, before) == SEND
    assert step_due(Status.ANSWERED, TASK, expires, after) == TASK  # answered in time: back to the caller
