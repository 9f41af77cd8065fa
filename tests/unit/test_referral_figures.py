"""Pure: the report's referral figures, turnaround in working hours."""

from types import SimpleNamespace

from chalicelib.core.workhours import default_calendar
from chalicelib.referrals.rules import Status
from chalicelib.reports.referral_figures import referral_figures

MONTH_END = "2026-10-31T21:00:00.000Z"  # 1 Nov 00:00 Istanbul


def referral(unit="ogrenci-isleri", status=Status.CLOSED, **fields):
    values = {
        "unit_id": unit,
        "unit_name": {"ogrenci-isleri": "Öğrenci İşleri", "bilgi-islem": "Bilgi İşlem"}[unit],
        "status": status,
        "created_at": "2026-10-13T07:00:00.000Z",  # Tue 10:00
        "contact_initiated_at": "2026-10-13T06:55:00.000Z",
        "forwarded_from": None,
        "sent_at": "2026-10-13T07:00:00.000Z",
        "due_at": "2026-10-14T14:00:00.000Z",  # Wed 17:00
        "answered_at": None,
        "returned_at": None,
        "closed_at": None,
        "outcome": None,
        "escalated_at": None,
    }
    return SimpleNamespace(**(values | fields))


def test_figures_from_a_handful_of_referrals():
    figures = referral_figures(
        [
            # Answered in 2 working hours, returned the next morning, closed.
            referral(
                answered_at="2026-10-13T09:00:00.000Z",
                returned_at="2026-10-14T06:00:00.000Z",  # Wed 09:00
                closed_at="2026-10-14T06:00:00.000Z",
                outcome="resolved",
            ),
            # Answered late: Friday 10:00 is 27 working hours after Tuesday 10:00 (7.5 + 9 + 9 + 1.5).
            referral(
                status=Status.ANSWERED, answered_at="2026-10-16T07:00:00.000Z", escalated_at="2026-10-15T05:35:00Z"
            ),
            # Forwarded on to Bilgi İşlem, which has not answered and is past its deadline.
            referral(status=Status.FORWARDED),
            referral(unit="bilgi-islem", status=Status.SENT, forwarded_from="rf-x", due_at="2026-10-15T14:00:00.000Z"),
            # Cancelled before its deadline passed does not count as late.
            referral(status=Status.CANCELLED, due_at="2026-11-02T14:00:00.000Z"),
        ],
        MONTH_END,
        default_calendar(),
    ).to_json()
    assert figures["created"] == 4 and figures["forwards"] == 1
    assert figures["answered"] == 2 and figures["answered_on_time"] == 1
    assert figures["late"] == 2 and figures["escalated"] == 1
    assert figures["returned"] == 1 and figures["closed"] == 1 and figures["cancelled"] == 1
    assert figures["median_unit_working_hours"] == 14.5  # median of 2 and 27
    assert figures["p90_unit_working_hours"] == 27.0
    assert figures["median_call_to_return_working_hours"] == 8.1  # Tue 09:55 → Wed 09:00
    assert figures["open_at_month_end"] == 2  # the answered one waiting for an agent, Bilgi İşlem's
    assert figures["by_outcome"] == {"resolved": 1}
    assert list(figures["by_unit"]) == ["ogrenci-isleri", "bilgi-islem"]
    assert figures["by_unit"]["ogrenci-isleri"] == {
        "name": "Öğrenci İşleri",
        "received": 4,
        "answered": 2,
        "late": 1,
        "forwarded_on": 1,
        "median_working_hours": 14.5,
        "p90_working_hours": 27.0,
    }
    assert figures["by_unit"]["bilgi-islem"]["late"] == 1


def test_no_referrals_no_averages():
    figures = referral_figures([], MONTH_END, default_calendar()).to_json()
    assert figures["created"] == 0 and figures["median_unit_working_hours"] is None and figures["by_unit"] == {}
