"""The monthly report built from the store, sent through SES (moto) exactly once, and served to the supervisor."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime
from email import policy

import boto3
import pytest
import time_machine
from chalice.test import Client

from app import app
from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.core.config import settings
from chalicelib.reports import store
from chalicelib.reports.delivery import last_month, send_monthly_report
from cli.replay.replayer import Replayer
from cli.simulator.traffic import deliver, simulate

FIRST_OF_NOVEMBER = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 08:00 in Istanbul


@pytest.fixture
def october(aws):
    """A simulated October day through the real handlers, and SES ready to send."""
    ses = boto3.client("ses", region_name=settings().region)
    ses.verify_email_identity(EmailAddress=settings().sender_address)
    replayer = Replayer()
    sim = simulate(date(2026, 10, 13), 1, seed=5, calls_per_hour=6, agents=2)
    for number, line in enumerate(deliver(sim, seed=5).lines, 1):
        replayer.replay_input(number, line)
    assert replayer.stats.ok
    yield sim
    set_notifier(None)


def sent_messages() -> list[email.message.EmailMessage]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    return [email.message_from_string(m.raw_data, policy=policy.default) for m in backend.sent_messages]


def test_the_schedule_sends_last_month_once_however_often_it_fires(october):
    assert last_month(FIRST_OF_NOVEMBER) == "2026-10"
    with time_machine.travel(FIRST_OF_NOVEMBER, tick=False), Client(app, stage_name="local") as client:
        tick = client.events.generate_cw_event(
            source="aws.events",
            detail_type="Scheduled Event",
            detail={},
            resources=["arn:aws:events:eu-central-1:1:rule/monthly_report"],
        )
        first = client.lambda_.invoke("monthly_report", tick).payload
        second = client.lambda_.invoke("monthly_report", tick).payload
    assert first["status"] == "sent" and second["status"] == "already_sent"
    [message] = sent_messages()
    assert message["Subject"] == "Çağrı ve İletişim Merkezi — Ekim 2026 aylık raporu"
    assert set(message["To"].addresses[i].addr_spec for i in range(len(message["To"].addresses))) == {
        settings().supervisor_address,
        *settings().report_recipients,
    }
    parts = {part.get_content_type() for part in message.walk()}
    assert {
        "text/plain",
        "text/html",
        "image/png",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    } <= parts
    stored = store.stored_report("2026-10")
    assert stored["contacts"]["total"] == len(october.contacts)


def test_force_resends_on_purpose_and_a_failed_send_can_be_retried(october):
    notifier = RecordingNotifier()
    assert send_monthly_report("2026-10", FIRST_OF_NOVEMBER, notifier=notifier).status == "sent"
    assert send_monthly_report("2026-10", FIRST_OF_NOVEMBER, notifier=notifier).status == "already_sent"
    assert send_monthly_report("2026-10", FIRST_OF_NOVEMBER, notifier=notifier, force=True).status == "sent"
    assert len(notifier.sent) == 2

    class Broken:
        def send(self, _email):
            raise ConnectionError("SES is down")

    with pytest.raises(ConnectionError):
        send_monthly_report("2026-09", FIRST_OF_NOVEMBER, notifier=Broken())
    assert send_monthly_report("2026-09", FIRST_OF_NOVEMBER, notifier=notifier).status == "sent"


SUPERVISOR = {"X-Agent-Id": "mudur", "X-Groups": "supervisors"}


def test_the_supervisor_reads_the_stored_month_and_rebuilds_it_with_a_post(october):
    with time_machine.travel(FIRST_OF_NOVEMBER, tick=False), Client(app, stage_name="local") as client:
        missing = client.http.get("/reports/2026-10", headers=SUPERVISOR)
        assert missing.status_code == 404 and missing.json_body["field"] == "month"
        assert "POST /reports/2026-10/rebuild" in missing.json_body["message"]
        # A GET builds nothing, whatever its query says (it used to rebuild with ?fresh=true).
        assert client.http.get("/reports/2026-10?fresh=true", headers=SUPERVISOR).status_code == 404
        assert store.stored_report("2026-10") is None

        built = client.http.post("/reports/2026-10/rebuild", headers=SUPERVISOR)
        assert built.status_code == 200
        body = built.json_body
        assert body["month"] == "2026-10" and body["contacts"]["total"] == len(october.contacts)
        assert body["findings"]["tr"] and body["staffing"]["target_seconds"] == 20
        assert client.http.get("/reports/2026-10", headers=SUPERVISOR).json_body == body

        store.save_report("2026-10", {**body, "note": "as stored"}, FIRST_OF_NOVEMBER)
        assert client.http.get("/reports/2026-10", headers=SUPERVISOR).json_body["note"] == "as stored"
        rebuilt = client.http.post("/reports/2026-10/rebuild", headers=SUPERVISOR).json_body
        assert "note" not in rebuilt and store.stored_report("2026-10") == rebuilt

        november = client.http.post("/reports/2026-11/rebuild", headers=SUPERVISOR)  # the month so far
        assert november.status_code == 200 and november.json_body["month"] == "2026-11"
        future = client.http.post("/reports/2026-12/rebuild", headers=SUPERVISOR)
        assert future.status_code == 400 and future.json_body["field"] == "month"
        for bad in (
            client.http.get("/reports/2026-13", headers=SUPERVISOR),
            client.http.post("/reports/2026-13/rebuild", headers=SUPERVISOR),
        ):
            assert bad.status_code == 400 and bad.json_body["field"] == "month"
        assert client.http.get("/reports/2026-10").status_code == 401
        agent = {"X-Agent-Id": "ayse", "X-Groups": "agents"}
        assert client.http.post("/reports/2026-10/rebuild", headers=agent).status_code == 403


def test_a_month_before_any_record_is_no_comparison_but_a_recorded_month_is(october):
    from chalicelib.reports.monthly import build_report

    first = build_report("2026-10")  # nothing was recorded in September
    assert first["month_over_month"]["previous_month"] == "2026-09"
    assert all(f["previous"] is None and f["change"] is None for f in first["month_over_month"]["figures"].values())

    following = build_report("2026-11")  # October was recorded and November is empty: a real fall
    inbound = following["month_over_month"]["figures"]["calls.inbound"]
    assert inbound["value"] == 0 and inbound["previous"] == first["calls"]["inbound"] > 0
    assert inbound["change"] == -inbound["previous"]
