"""The scheduled jobs take each item on its own: one referral or callback that keeps failing never
blocks the others, is logged by id and error class only, and a referral past its expiry goes back
to the agents whatever failed before it (directive 6(7): the caller is always answered)."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
import time_machine

from chalicelib.callbacks import store as callbacks
from chalicelib.callbacks.dispatcher import dispatch
from chalicelib.callbacks.rules import Status as CallbackStatus
from chalicelib.callbacks.rules import callback_id_for
from chalicelib.core.config import settings
from chalicelib.core.observability import logger
from chalicelib.referrals import store, units
from chalicelib.referrals.agenda import run_agenda
from chalicelib.referrals.rules import Status
from cli.embedded.connect import SimulatedConnect
from tests.integration import test_callbacks as calls
from tests.integration import test_referrals as referrals
from tests.integration.test_referrals import DUE, EXPIRES, REMIND, T0, a_call, call, refer, sent, to

env = referrals.env  # the referrals' app, units directory, moto SES and simulated Connect


@pytest.fixture
def logged():
    """What the app's logger writes from here on (its own formatter: the JSON lines CloudWatch gets)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    python_logger = logging.getLogger(logger.name)
    python_logger.addHandler(handler)
    yield buffer
    python_logger.removeHandler(handler)


BROKEN_DEPUTY = "ogrenciisleri.baskan@ostimteknik.edu.tr\n"


def _break_the_unit_as_old_data_would(referral_id: str, deputy: str | None = None) -> None:
    """What a unit edited before names were checked looks like: a line break inside the stored name
    (and, for `deputy`, a stray one after the address). Written directly, past every validation."""
    unit = units.get_unit("ogrenci-isleri")
    unit.name_tr = "Öğrenci\nİşleri"
    if deputy is not None:
        unit.deputy_email = deputy
    unit.save()
    store.transition(referral_id, {Status.SENT}, {"unit_name": "Öğrenci\nİşleri"})


def _two_referrals(client) -> tuple[str, str]:
    """One to Öğrenci İşleri and one to Mali İşler, both 16-hour units, sent at T0."""
    with time_machine.travel(T0, tick=False):
        a_call(client, "call-1")
        a_call(client, "call-2", number="+905339876543")
        broken = refer(client, contact_id="call-1").json_body["referral_id"]
        normal = refer(client, contact_id="call-2", unit_id="mali-isler").json_body["referral_id"]
    return broken, normal


def test_a_unit_name_with_a_line_break_stored_before_still_escalates_on_one_line(env):
    client, connect = env
    broken, _ = _two_referrals(client)
    _break_the_unit_as_old_data_would(broken)
    run_agenda(REMIND, connect=connect)
    summary = run_agenda(DUE, connect=connect)
    assert summary.done == {"escalate": 2} and summary.failed == 0
    notices = [m for m in sent() if to(m) == settings().supervisor_address]
    assert sorted(str(m["Subject"]) for m in notices) == [
        "[ÇİM-2026-000001] Öğrenci İşleri: yönlendirme süresi geçti / Referral overdue",
        "[ÇİM-2026-000002] Strateji Geliştirme ve Mali İşler: yönlendirme süresi geçti / Referral overdue",
    ]


def test_one_referral_failing_every_run_blocks_no_other_and_still_expires_to_the_agents(env, logged):
    client, connect = env
    broken, normal = _two_referrals(client)
    # Its escalation can never be mailed (the deputy's stored address is refused before SES).
    _break_the_unit_as_old_data_would(broken, deputy=BROKEN_DEPUTY)
    assert run_agenda(REMIND, connect=connect).done == {"remind": 2}

    at_due = run_agenda(DUE, connect=connect)
    assert at_due.done == {"escalate": 1} and at_due.failed == 1
    assert store.get_referral(normal).escalated_at is not None
    assert store.get_referral(broken).escalated_at is None
    text = logged.getvalue()
    [line] = [line for line in text.splitlines() if "referral agenda step failed" in line]
    assert broken in line and '"error":"ValueError"' in line
    assert "baskan@" not in text and "Traceback" not in text  # the id and the class, never the message

    later = run_agenda(DUE + timedelta(hours=15, minutes=30), connect=connect)  # Thursday 08:30
    assert later.done == {} and later.failed == 1  # tried again each run, on its own

    at_expiry = run_agenda(EXPIRES, connect=connect)
    assert at_expiry.done == {"expire": 2} and at_expiry.failed == 0
    assert store.get_referral(broken).status == store.get_referral(normal).status == Status.EXPIRED
    with time_machine.travel(EXPIRES, tick=False):
        work = call(client, "GET", "/referrals").json_body["referrals"]
    assert {r["referral_id"]: r["status"] for r in work} == {broken: Status.EXPIRED, normal: Status.EXPIRED}
    assert run_agenda(EXPIRES + timedelta(hours=1), connect=connect).done == {}


def test_a_referral_that_could_never_be_mailed_goes_back_to_the_agents_at_its_expiry(env):
    client, connect = env
    unit = units.get_unit("ogrenci-isleri")
    unit.emails = ["ogrenciisleri@ostimteknik.edu.tr\r\n"]  # stored before addresses were checked
    unit.save()
    with time_machine.travel(T0, tick=False):
        a_call(client, "call-1")
        referral = refer(client, contact_id="call-1").json_body
    assert referral["status"] == Status.OPEN and sent() == []
    assert run_agenda(REMIND, connect=connect).failed == 1  # tried again, on its own
    assert run_agenda(EXPIRES, connect=connect).done == {"expire": 1}
    assert store.get_referral(referral["referral_id"]).status == Status.EXPIRED and sent() == []


def test_a_callback_whose_dispatch_raises_does_not_stop_the_next_one(client, logged, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))  # the simulated Connect's files
    start = calls.T0
    calls.call(client, "first", start, reason="TELECOM_PROBLEM", number="+905321000001")
    calls.call(client, "second", start + timedelta(minutes=1), wait=40, number="+905321000002")
    calls.call(client, "third", start + timedelta(minutes=2), wait=40, number="+905321000003")
    connect = SimulatedConnect(now=lambda: start)
    # Not Connect's throttling or refusal: an error nobody planned for, quoting the number.
    connect.fail_next(1, RuntimeError("unexpected answer for +905321000001"))

    summary = dispatch(start + timedelta(minutes=30), connect, sleep=lambda _: None)
    assert summary.errors == 1 and summary.placed == 2
    assert [p["callback_id"] for p in connect.placements()] == [callback_id_for("second"), callback_id_for("third")]
    text = logged.getvalue()
    [line] = [line for line in text.splitlines() if "callback dispatch failed" in line]
    assert callback_id_for("first") in line and '"error":"RuntimeError"' in line and "+905321000001" not in text

    # It stays DIALING; its recheck resumes it with the same ClientToken (Connect rings once per token).
    assert callbacks.get_callback(callback_id_for("first")).status == CallbackStatus.DIALING
    resumed = dispatch(start + timedelta(minutes=41), connect, sleep=lambda _: None)
    assert resumed.errors == 0 and callbacks.get_callback(callback_id_for("first")).attempt_contact_id
    tokens = {p["client_token"] for p in connect.placements() if p["callback_id"] == callback_id_for("first")}
    assert tokens == {f"{callback_id_for('first')}-1"}
