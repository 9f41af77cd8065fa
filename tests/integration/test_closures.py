"""Closures the supervisor declares, through the routes and the real handlers against DynamoDB in moto,
with the simulated Connect twins, on a frozen clock: declared, honoured by everything that asks "is the
centre open?" (the flow, callbacks' dispatch and deadlines, referrals' deadlines, the watchdog, the
report's working days), written to Connect's hours, withdrawn.

Today is Tuesday 1 Aralık 2026; Friday 4 Aralık is closed (snow); Monday 7 Aralık the centre reopens.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from chalice.test import Client

from app import app
from chalicelib.adapters import audit
from chalicelib.adapters import closures as closures_store
from chalicelib.adapters.closures import PARTITION, ClosureItem, centre_calendar
from chalicelib.adapters.connect import ConnectUnavailable, set_connect
from chalicelib.adapters.connect_hours import set_connect_hours
from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.callbacks import store as callbacks_store
from chalicelib.callbacks.dispatcher import dispatch
from chalicelib.core.workhours import DECLARED
from chalicelib.health import store as health_store
from chalicelib.intake.flow import answer_flow
from chalicelib.referrals import units
from chalicelib.reports.monthly import build_report
from cli.embedded.connect import SimulatedConnect, SimulatedConnectHours
from cli.simulator import shapes as shapes
from tests.integration.conftest import dynamodb_operations, recording
from tests.integration.test_callbacks import call
from tests.integration.test_referrals import SEED, a_call, refer

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
FRIDAY_10 = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
SNOW = {"date": "2026-12-04", "reason": "Kar yağışı nedeniyle üniversitemiz bugün tatildir"}
JSON = {"Content-Type": "application/json"}
SUPERVISOR = {**JSON, "X-Agent-Id": "basin", "X-Groups": "supervisors"}


@pytest.fixture
def hours(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    twin = SimulatedConnectHours()
    set_connect_hours(twin)
    yield twin
    set_connect_hours(None)


def post(client, body: dict, headers: dict = SUPERVISOR, at: datetime = NOW):
    with time_machine.travel(at, tick=False):
        return client.http.post("/closures", headers=headers, body=json.dumps(body).encode())


def delete(client, day: str, at: datetime = NOW):
    with time_machine.travel(at, tick=False):
        return client.http.delete(f"/closures/{day}", headers=SUPERVISOR)


def get(client, path: str, headers: dict = SUPERVISOR):
    with time_machine.travel(NOW, tick=False):
        return client.http.get(path, headers=headers)


def flow_at(at: datetime) -> dict[str, str]:
    return answer_flow(shapes.flow_invocation("flow-1", customer_number="+905321234567"), now=at)


# --- declaring, listing, withdrawing --------------------------------------------------------------------


def test_a_declared_closure_is_stored_written_to_connect_audited_and_listed(client, hours):
    created = post(client, SNOW)
    assert created.status_code == 201
    assert created.json_body == {
        "date": "2026-12-04",
        "from": None,
        "reason": SNOW["reason"],
        "declared_by": "basin",
        "declared_at": "2026-12-01T07:00:00.000Z",
        "connect_synced": True,
    }
    [(override_id, override)] = hours.overrides().items()
    assert override == {
        "name": "Cagri kapanis 2026-12-04",
        "day": "2026-12-04",
        "description": SNOW["reason"],
        "open": [],
    }
    assert ClosureItem.get(PARTITION, "2026-12-04").connect_override_id == override_id
    [entry] = audit.trail("closure#2026-12-04")
    assert (entry.actor, entry.action, entry.detail) == ("basin", "closure_declared", "from=all_day")

    again = post(client, SNOW)  # a retried request: the same closure, no second audit entry
    assert again.status_code == 200 and again.json_body == created.json_body
    assert len(list(audit.trail("closure#2026-12-04"))) == 1

    listed = get(client, "/closures").json_body
    assert listed["closures"] == [created.json_body] and listed["next"] is None


def test_a_closure_from_a_time_keeps_the_morning_open_in_connect(client, hours):
    assert post(client, {"date": "2026-12-03", "from": "14:00", "reason": "İdari izin"}).status_code == 201
    [override] = hours.overrides().values()
    assert override["open"] == [{"from": "08:30", "until": "14:00"}]


def test_the_list_pages_and_starts_from_a_day(client, hours):
    for day in ("2026-12-02", "2026-12-03", "2026-12-04"):
        assert post(client, {"date": day, "reason": "İdari izin"}).status_code == 201
    first = get(client, "/closures?limit=2").json_body
    assert [c["date"] for c in first["closures"]] == ["2026-12-02", "2026-12-03"] and first["truncated"]
    rest = get(client, f"/closures?limit=2&next={first['next']}").json_body
    assert [c["date"] for c in rest["closures"]] == ["2026-12-04"] and rest["next"] is None
    assert [c["date"] for c in get(client, "/closures?from=2026-12-03").json_body["closures"]] == [
        "2026-12-03",
        "2026-12-04",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "İdari izin"}, "date"),
        ({"date": "04.12.2026", "reason": "İdari izin"}, "date"),
        ({"date": "2026-02-30", "reason": "İdari izin"}, "date"),
        ({"date": "2026-11-30", "reason": "İdari izin"}, "date"),  # yesterday
        ({"date": "2026-12-05", "reason": "İdari izin"}, "date"),  # a Saturday: closed anyway
        ({"date": "2027-01-01", "reason": "İdari izin"}, "date"),  # Yılbaşı
        ({"date": "2026-12-04", "from": "25:00", "reason": "İdari izin"}, "from"),
        ({"date": "2026-12-04", "from": "18:00", "reason": "İdari izin"}, "from"),  # after closing
        ({"date": "2026-12-04", "from": "08:00", "reason": "İdari izin"}, "from"),  # before opening: all day
        ({"date": "2026-12-04"}, "reason"),
        ({"date": "2026-12-04", "reason": "x"}, "reason"),
        ({"date": "2026-12-04", "reason": "Kar\ntatili"}, "reason"),
        ({"date": "2026-12-04", "reason": "ç" * 201}, "reason"),
        ({"date": "2026-12-04", "reason": "İdari izin", "until": "15:00"}, "until"),
    ],
)
def test_bad_declarations_are_refused_naming_the_field(client, hours, body, field):
    refused = post(client, body)
    assert refused.status_code == 400 and refused.json_body["field"] == field, refused.json_body
    assert list(ClosureItem.query(PARTITION)) == [] and hours.overrides() == {}


def test_one_closure_per_day_and_only_supervisors_declare(client, hours):
    assert post(client, SNOW).status_code == 201
    taken = post(client, {**SNOW, "reason": "Başka bir neden"})
    assert taken.status_code == 409 and taken.json_body["field"] == "date"
    agent = post(client, {**SNOW, "date": "2026-12-03"}, headers={**JSON, "X-Agent-Id": "ayse"})
    assert agent.status_code == 403
    assert get(client, "/closures", headers={**JSON, "X-Agent-Id": "ayse"}).status_code == 403


def test_withdrawing_removes_connects_override_then_the_closure(client, hours):
    assert post(client, SNOW).status_code == 201
    withdrawn = delete(client, "2026-12-04")
    assert withdrawn.status_code == 200 and withdrawn.json_body == {"date": "2026-12-04", "withdrawn": True}
    assert hours.overrides() == {} and list(ClosureItem.query(PARTITION)) == []
    assert [e.action for e in audit.trail("closure#2026-12-04")] == ["closure_declared", "closure_withdrawn"]
    again = delete(client, "2026-12-04")
    assert again.status_code == 404 and again.json_body["field"] == "date"
    assert delete(client, "2026-13-01").json_body["field"] == "date"


def test_a_past_closure_stays_on_record(client, hours):
    assert post(client, SNOW).status_code == 201
    late = delete(client, "2026-12-04", at=datetime(2026, 12, 5, 7, 0, tzinfo=UTC))
    assert late.status_code == 400 and late.json_body["field"] == "date"
    assert ClosureItem.get(PARTITION, "2026-12-04")


def test_connect_down_the_closure_stands_and_declaring_again_syncs_it(client, hours):
    hours.fail_next(ConnectUnavailable("simulated"))
    first = post(client, SNOW)
    assert first.status_code == 201 and first.json_body["connect_synced"] is False
    assert hours.overrides() == {}
    assert not centre_calendar().is_open(FRIDAY_10)  # our own flow honours it meanwhile
    again = post(client, SNOW)
    assert again.status_code == 200 and again.json_body["connect_synced"] is True
    assert len(hours.overrides()) == 1


def test_connect_down_on_withdrawal_keeps_the_closure_for_a_retry(client, hours):
    assert post(client, SNOW).status_code == 201
    hours.fail_next(ConnectUnavailable("simulated"))
    refused = delete(client, "2026-12-04")
    assert refused.status_code == 503
    assert ClosureItem.get(PARTITION, "2026-12-04") and len(hours.overrides()) == 1
    assert delete(client, "2026-12-04").status_code == 200 and hours.overrides() == {}


# --- honoured by everything that asks whether the centre is open -------------------------------------------


def test_the_flow_and_the_hours_route_answer_with_the_declared_reason(client, hours):
    assert post(client, SNOW).status_code == 201
    answer = flow_at(FRIDAY_10)
    assert (answer["centre_open"], answer["closure_reason"]) == ("false", DECLARED)
    assert answer["closure_message"].startswith(f"Çağrı merkezimiz bugün kapalıdır. {SNOW['reason']}.")
    assert answer["next_opening"] == "2026-12-07T08:30+03:00"
    assert flow_at(NOW)["centre_open"] == "true" and flow_at(NOW)["closure_message"] == ""
    hours_then = get(client, "/hours?at=2026-12-04T10:00:00%2B03:00", headers={**JSON, "X-Agent-Id": "ayse"})
    assert hours_then.json_body == {
        "open": False,
        "reason": SNOW["reason"],
        "next_opening": "2026-12-07T08:30:00+03:00",
    }
    assert get(client, "/hours").json_body == {"open": True, "reason": None, "next_opening": None}


def test_a_closure_declared_in_another_container_takes_effect_within_a_minute(client, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(closures_store, "_clock", lambda: clock[0])
    assert flow_at(FRIDAY_10)["centre_open"] == "true"  # read, and kept
    ClosureItem(PARTITION, "2026-12-04", reason="Kar", declared_by="basin", declared_at="x").save()  # elsewhere
    with recording([]) as calls:
        clock[0] += 59
        assert flow_at(FRIDAY_10)["centre_open"] == "true"  # still the closures read a minute ago…
    assert not any(params.get("TableName") == ClosureItem.Meta.table_name for _, _, params in calls)
    clock[0] += 2
    assert flow_at(FRIDAY_10)["centre_open"] == "false"  # …and after it, the new one


def test_the_flow_still_answers_when_the_closures_cannot_be_read(client, monkeypatch):
    def broken():
        raise RuntimeError("table unavailable")

    monkeypatch.setattr(closures_store, "declared_closures", broken)
    answer = flow_at(NOW)
    assert (answer["centre_open"], answer["error"]) == ("true", "false")
    assert flow_at(datetime(2026, 12, 5, 7, 0, tzinfo=UTC))["closure_reason"] == "weekend"


def test_the_calendar_is_read_with_one_query_never_a_scan(client, hours):
    assert post(client, SNOW).status_code == 201
    closures_store.forget_closures()
    with recording([]) as calls:
        centre_calendar()
        centre_calendar()
    assert dynamodb_operations(calls) == {"Query"} and len(calls) == 1


def test_callbacks_wait_for_the_reopening_and_their_deadline_skips_the_closed_day(client, hours, monkeypatch):
    assert post(client, SNOW).status_code == 201
    # Thursday 16:00 Istanbul, a system drop with the agent at 16:03:40: two working hours, 1 h 26 m 20 s of
    # them that evening, the rest on Monday (Friday is closed) → Monday 09:03:40 (06:03:40 UTC).
    call(client, "drop-1", datetime(2026, 12, 3, 13, 0, tzinfo=UTC), answered=True, reason="TELECOM_PROBLEM")
    [item] = list(callbacks_store.all_callbacks())
    assert item.sla_due_at == "2026-12-07T06:03:40.000Z"
    connect = SimulatedConnect(now=lambda: FRIDAY_10)
    set_connect(connect)
    try:
        friday = dispatch(FRIDAY_10, connect, sleep=lambda _: None)
        assert (friday.closed_reason, friday.placed) == (DECLARED, 0)
        monday = dispatch(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), connect, sleep=lambda _: None)
        assert (monday.closed_reason, monday.placed) == (None, 1)
    finally:
        set_connect(None)


def test_referral_deadlines_count_no_working_hours_on_the_closed_day(client, hours):
    assert post(client, SNOW).status_code == 201
    thursday = datetime(2026, 12, 3, 13, 30, tzinfo=UTC)  # 16:30 in Istanbul
    with time_machine.travel(thursday, tick=False):
        a_call(client)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    set_notifier(RecordingNotifier())
    try:
        with time_machine.travel(thursday, tick=False):
            created = refer(client, unit_id="bilgi-islem")  # 8 working hours
    finally:
        set_notifier(None)
    assert created.status_code == 201, created.json_body
    # 1 h on Thursday, Friday closed, 7 h on Monday: 15:30 (12:30 UTC); without the closure Friday 15:30.
    assert created.json_body["due_at"] == "2026-12-07T12:30:00.000Z"


def test_the_watchdog_is_quiet_on_a_closed_day(client, hours):
    assert post(client, SNOW).status_code == 201
    notifier = RecordingNotifier()
    set_notifier(notifier)
    try:
        health_store.beat(datetime(2026, 12, 3, 14, 0, tzinfo=UTC))  # the last call: Thursday 17:00
        for at in (FRIDAY_10, FRIDAY_10 + timedelta(hours=4)):
            with time_machine.travel(at, tick=False), Client(app, stage_name="local") as scheduler:
                tick = scheduler.events.generate_cw_event(
                    source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
                )
                assert scheduler.lambda_.invoke("health_watchdog", tick).payload["status"] == "ok"
        assert notifier.sent == []
        monday = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 09:00, opened at 08:30, still nothing: 30 minutes
        with time_machine.travel(monday, tick=False), Client(app, stage_name="local") as scheduler:
            tick = scheduler.events.generate_cw_event(
                source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
            )
            assert scheduler.lambda_.invoke("health_watchdog", tick).payload["status"] == "alerted"
    finally:
        set_notifier(None)


def test_the_reports_working_days_leave_the_closed_day_out(client, hours):
    assert build_report("2026-12")["calls_detail"]["working_days"] == 23
    assert post(client, SNOW).status_code == 201
    assert post(client, {"date": "2026-12-03", "from": "14:00", "reason": "İdari izin"}).status_code == 201
    assert build_report("2026-12")["calls_detail"]["working_days"] == 22  # a day closed from 14:00 still counts
