"""The live figures' pure rules (issue 16): a contact as of an instant, the day's figures with the
report's definitions, the usual day, and the alerts the thresholds raise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.contacts.facts import SOURCE_CTR, SOURCE_FLOW, Fact
from chalicelib.core.times import iso
from chalicelib.live.alerts import Thresholds, alerts
from chalicelib.live.figures import DayFigures, as_of, hourly_counts, usual_day

ZONE = ZoneInfo("Europe/Istanbul")
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul
NUMBER = "+905321234567"


def event(cid: str, kind: str, at: datetime, **fields) -> Fact:
    return Fact(
        cid,
        f"event:{kind}",
        at=iso(at),
        channel="VOICE",
        initiation_method="INBOUND",
        initiated_at=iso(T0 if "start" not in fields else fields.pop("start")),
        **fields,
    )


def call(cid: str, start: datetime, *, wait: int, talk: int | None, reason: str | None = None) -> list[Fact]:
    """An inbound call's facts: initiated, queued, (connected), disconnected, and its trace record."""
    enq = start + timedelta(seconds=10)
    facts = [
        event(cid, "INITIATED", start, start=start),
        event(cid, "QUEUED", enq, start=start, enqueued_at=iso(enq)),
        Fact(cid, SOURCE_FLOW, customer_address=NUMBER, customer_type="TELEPHONE_NUMBER"),
    ]
    end = enq + timedelta(seconds=wait + (talk or 0))
    if talk is not None:
        conn = enq + timedelta(seconds=wait)
        facts.append(
            event(cid, "CONNECTED_TO_AGENT", conn, start=start, enqueued_at=iso(enq), connected_to_agent_at=iso(conn))
        )
    facts.append(event(cid, "DISCONNECTED", end, start=start, enqueued_at=iso(enq), disconnected_at=iso(end)))
    facts.append(
        Fact(
            cid,
            SOURCE_CTR,
            at=iso(end + timedelta(seconds=90)),
            channel="VOICE",
            initiation_method="INBOUND",
            initiated_at=iso(start),
            enqueued_at=iso(enq),
            queue_seconds=float(wait),
            connected_to_agent_at=iso(enq + timedelta(seconds=wait)) if talk is not None else None,
            disconnected_at=iso(end),
            disconnect_reason=reason or ("AGENT_DISCONNECT" if talk is not None else "CUSTOMER_DISCONNECT"),
        )
    )
    return facts


def day_at(at: datetime, *calls: list[Fact]) -> DayFigures:
    figures = DayFigures(at, ZONE, 5, 20)
    for facts in calls:
        figures.add(as_of(facts[0].contact_id, facts, None, at))
    return figures


def test_a_call_is_counted_as_it_stood_at_the_instant():
    answered = call("a", T0, wait=30, talk=120)
    # 20 s into the queue: waiting, not yet answered.
    early = day_at(T0 + timedelta(seconds=30), answered)
    assert early.in_queue_now() == (1, 20.0)
    assert early.today_dict()["queued"] == 1 and early.today_dict()["answered"] == 0
    # Once connected: answered, out of the queue, outside the service level (30 s > 20 s).
    later = day_at(T0 + timedelta(minutes=5), answered)
    assert later.in_queue_now() == (0, None)
    assert later.today_dict() == {
        "inbound": 1,
        "queued": 1,
        "answered": 1,
        "abandoned": 0,
        "system_dropped": 0,
        "service_level": 0.0,
        "asa_seconds": 30.0,
    }


def test_a_drop_is_abandoned_until_the_trace_record_says_telecom_problem():
    dropped = call("d", T0, wait=40, talk=None, reason="TELECOM_PROBLEM")
    before = day_at(T0 + timedelta(seconds=60), dropped)  # ended, only events known: the caller hung up
    assert before.today_dict()["abandoned"] == 1 and before.today_dict()["system_dropped"] == 0
    after = day_at(T0 + timedelta(minutes=5), dropped)  # the trace record is in: a system fault
    assert after.today_dict()["abandoned"] == 0 and after.today_dict()["system_dropped"] == 1


def test_only_the_day_of_the_instant_and_only_calls_begun_by_then():
    yesterday = call("y", T0 - timedelta(days=1), wait=5, talk=60)
    later = call("l", T0 + timedelta(hours=1), wait=5, talk=60)
    now = call("n", T0, wait=5, talk=60)
    figures = day_at(T0 + timedelta(minutes=10), yesterday, later, now)
    assert figures.today_dict()["inbound"] == 1


def test_lost_in_the_last_half_hour_counts_abandons_that_ended_in_it():
    old = call("old", T0 - timedelta(minutes=50), wait=60, talk=None)
    recent = call("recent", T0 - timedelta(minutes=10), wait=60, talk=None)
    answered = call("ok", T0 - timedelta(minutes=5), wait=5, talk=30)
    assert day_at(T0, old, recent, answered).lost_recently == 1


def test_the_hours_stand_beside_the_usual_day():
    figures = day_at(T0 + timedelta(minutes=30), call("a", T0, wait=5, talk=60), call("b", T0, wait=90, talk=None))
    usual = {
        9: {"inbound": 2.0, "answered": 2.0, "abandoned": 0.0},
        10: {"inbound": 4.5, "answered": 4.0, "abandoned": 0.5},
    }
    rows = figures.by_hour(usual)
    assert [r["hour"] for r in rows] == [9, 10]
    assert rows[0]["inbound"] == 0 and rows[0]["baseline"]["inbound"] == 2.0
    assert rows[1]["inbound"] == 2 and rows[1]["abandoned"] == 1 and rows[1]["baseline"]["inbound"] == 4.5


def test_the_usual_day_averages_the_same_weekday_counting_a_quiet_hour_as_zero():
    records = [as_of("a", call("a", T0, wait=5, talk=60), None, T0 + timedelta(hours=1))]
    one = hourly_counts(records, ZONE)
    assert one == {10: {"inbound": 1, "answered": 1, "abandoned": 0}}
    assert usual_day([one, {}]) == {10: {"inbound": 0.5, "answered": 0.5, "abandoned": 0.0}}
    assert usual_day([]) == {}


def test_alerts_warn_at_the_threshold_and_turn_critical_at_twice_it():
    limits = Thresholds(longest_wait_seconds=120, lost_last_30_minutes=5, callbacks_overdue=1)
    assert alerts(60.0, 2, 0, limits) == []
    [wait] = alerts(130.0, 0, 0, limits)
    assert wait["level"] == "warning" and wait["message_tr"].startswith("Kuyrukta 2 dk 10 sn bekleyen arayan var")
    levels = {a["figure"]: a["level"] for a in alerts(240.0, 10, 1, limits)}
    assert levels == {
        "longest_wait_now_seconds": "critical",
        "lost_last_30_minutes": "critical",
        "callbacks_overdue": "warning",
    }
    assert alerts(None, 0, 0, limits) == []
