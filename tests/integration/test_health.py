"""/health and the silence watchdog against DynamoDB in moto, on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
import time_machine
from botocore.stub import Stubber
from chalice.test import Client

from app import app
from chalicelib.adapters.connect import ConnectUnavailable
from chalicelib.adapters.connect_users import set_connect_users
from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.core.workhours import default_calendar
from chalicelib.health import heartbeat, service, store
from cli.embedded.connect import SimulatedConnectUsers
from infra.retries import CTR_STREAM_RETENTION_HOURS

T0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 Istanbul


def ses_stub(enabled: bool = True, sent: float = 10.0) -> object:
    client = boto3.client("ses", region_name="eu-central-1")
    stub = Stubber(client)
    stub.add_response("get_send_quota", {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": sent})
    stub.add_response("get_account_sending_enabled", {"Enabled": enabled})
    stub.activate()
    return client


@pytest.fixture
def connect(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    sim = SimulatedConnectUsers(status="ACTIVE")
    set_connect_users(sim)
    yield sim
    set_connect_users(None)


@pytest.fixture
def notifier(aws):
    recording = RecordingNotifier()
    set_notifier(recording)
    heartbeat.reset()
    yield recording
    set_notifier(None)
    heartbeat.reset()


def health(monkeypatch, at, ses):
    monkeypatch.setattr(service, "ses_client", lambda: ses)
    with time_machine.travel(at, tick=False), Client(app, stage_name="local") as client:
        response = client.http.get("/health", headers={"X-Agent-Id": "basin", "X-Groups": "supervisors"})
    return response.status_code, response.json_body


def test_all_ok_is_200(aws, connect, notifier, monkeypatch):
    store.beat(T0 - timedelta(minutes=3))
    code, body = health(monkeypatch, T0, ses_stub())
    assert code == 200, body
    checks = body["checks"]
    assert {name: check["status"] for name, check in checks.items()} == dict.fromkeys(
        ("tables", "ses", "connect", "contact_events", "dead_letters"), "ok"
    )
    assert set(checks["tables"]["tables"].values()) == {"ACTIVE"}
    assert checks["contact_events"]["age_minutes"] == 3.0
    assert checks["connect"]["instance_status"] == "ACTIVE"


def test_each_failing_check_is_named_in_a_503(aws, connect, notifier, monkeypatch):
    store.beat(T0 - timedelta(minutes=45))
    connect.fail_next(ConnectUnavailable("DescribeInstance: InternalServiceException"))
    code, body = health(monkeypatch, T0, ses_stub(enabled=False))
    assert code == 503 and body["status"] == "degraded"
    checks = body["checks"]
    assert checks["tables"]["status"] == "ok"
    assert checks["ses"] == {"status": "failing", "sending_enabled": False, "sent_24h": 10.0, "max_24h": 200.0}
    assert checks["connect"] == {"status": "failing", "error": "unavailable"}
    assert checks["contact_events"]["status"] == "stale" and checks["contact_events"]["age_minutes"] == 45.0


def test_a_missing_table_fails_the_tables_check(aws, connect, notifier, monkeypatch):
    from chalicelib.incidents.store import IncidentItem

    IncidentItem.delete_table()
    store.beat(T0)
    code, body = health(monkeypatch, T0, ses_stub())
    assert code == 503
    assert body["checks"]["tables"]["tables"][IncidentItem.Meta.table_name] == "TableDoesNotExist"


def test_silence_at_night_is_not_stale(aws, connect, notifier, monkeypatch):
    store.beat(T0 - timedelta(hours=5))
    code, _ = health(monkeypatch, T0.replace(hour=17), ses_stub())  # 20:00 Istanbul
    assert code == 200


def test_heartbeat_writes_at_most_once_a_minute_and_never_backwards(aws, notifier):
    calls = []
    original = store.beat

    def counting(now):
        calls.append(now)
        return original(now)

    store.beat, saved = counting, store.beat
    try:
        heartbeat.heartbeat(T0)
        heartbeat.heartbeat(T0 + timedelta(seconds=30))
        heartbeat.heartbeat(T0 + timedelta(seconds=61))
    finally:
        store.beat = saved
    assert calls == [T0, T0 + timedelta(seconds=61)]
    assert store.last_event_at() == T0 + timedelta(seconds=61)
    assert store.beat(T0) is False  # an older container's beat does not move it back
    assert store.last_event_at() == T0 + timedelta(seconds=61)


def test_contact_events_and_trace_records_beat_the_heart(aws, notifier):
    from tests.integration.test_contact_handlers import published

    with time_machine.travel(T0, tick=False), Client(app, stage_name="local") as client:
        client.lambda_.invoke("contact_events", published("event_disconnected.json"))
    assert store.last_event_at() == T0
    heartbeat.reset()
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False), Client(app, stage_name="local") as client:
        client.lambda_.invoke("contact_trace_records", published("kinesis_event.json"))
    assert store.last_event_at() == T0 + timedelta(minutes=2)


def invoke_watchdog(at):
    with time_machine.travel(at, tick=False), Client(app, stage_name="local") as client:
        tick = client.events.generate_cw_event(
            source="aws.events",
            detail_type="Scheduled Event",
            detail={},
            resources=["arn:aws:events:eu-central-1:1:rule/health_watchdog"],
        )
        return client.lambda_.invoke("health_watchdog", tick).payload


def test_the_watchdog_alerts_once_per_silence(aws, notifier):
    store.beat(T0 - timedelta(minutes=20))
    assert invoke_watchdog(T0)["status"] == "ok"  # 20 minutes: not yet
    first = invoke_watchdog(T0 + timedelta(minutes=10))  # 30 minutes
    assert first["status"] == "alerted" and first["silent_minutes"] == 30.0
    for minutes in (15, 20, 25, 60):  # the schedule keeps firing: the same silence, no new e-mail
        assert invoke_watchdog(T0 + timedelta(minutes=minutes))["status"] == "already_alerted"
    [email] = notifier.sent
    assert email.recipients == ("basin@ostimteknik.edu.tr",)
    assert email.text.index("30 dakikadır") < email.text.index("— English —")

    store.beat(T0 + timedelta(minutes=70))  # calls again…
    assert invoke_watchdog(T0 + timedelta(minutes=90))["status"] == "ok"
    assert invoke_watchdog(T0 + timedelta(minutes=100))["status"] == "alerted"  # …then a new silence
    assert len(notifier.sent) == 2


def test_the_watchdog_is_quiet_out_of_hours_and_counts_from_opening(aws, notifier):
    store.beat(T0 - timedelta(days=1))
    assert invoke_watchdog(T0.replace(hour=17))["status"] == "ok"  # 20:00
    assert invoke_watchdog(T0.replace(hour=5, minute=55))["status"] == "ok"  # 08:55: 25 min since opening
    assert invoke_watchdog(T0.replace(hour=6, minute=0))["status"] == "alerted"  # 09:00


def test_a_failed_alert_email_is_tried_again(aws, notifier):
    class Broken:
        def send(self, email):
            raise ConnectionError("SES down")

    store.beat(T0 - timedelta(hours=1))
    with pytest.raises(ConnectionError):
        service.watchdog(T0, Broken(), default_calendar())
    assert invoke_watchdog(T0 + timedelta(minutes=5))["status"] == "alerted"
    assert len(notifier.sent) == 1


def test_waiting_dead_letters_fail_health_and_alert_the_supervisor_once_a_day(aws, connect, notifier, monkeypatch):
    from chalicelib.core.config import Settings

    sqs = boto3.client("sqs", region_name="eu-central-1")
    events = sqs.create_queue(QueueName="cagri-test-contact-events-dlq")["QueueUrl"]
    ctrs = sqs.create_queue(QueueName="cagri-test-ctr-dlq")["QueueUrl"]
    cfg = Settings(dead_letter_queues=f"{events},{ctrs}")
    monkeypatch.setattr(service, "settings", lambda: cfg)
    monkeypatch.setattr(service, "sqs_client", lambda: sqs)
    store.beat(T0 - timedelta(minutes=3))
    assert service.check_dead_letters(cfg)["status"] == "ok"
    assert service.watchdog(T0, notifier, default_calendar(), cfg) == {"status": "ok"}

    sqs.send_message(QueueUrl=ctrs, MessageBody='{"failed": "batch"}')
    sqs.send_message(QueueUrl=ctrs, MessageBody='{"failed": "batch"}')
    code, body = health(monkeypatch, T0, ses_stub())
    assert code == 503 and body["checks"]["dead_letters"] == {
        "status": "failing",
        "queues": {"cagri-test-contact-events-dlq": 0, "cagri-test-ctr-dlq": 2},
    }
    first = service.watchdog(T0, notifier, default_calendar(), cfg)
    again = service.watchdog(T0 + timedelta(minutes=5), notifier, default_calendar(), cfg)
    next_day = service.watchdog(T0 + timedelta(days=1), notifier, default_calendar(), cfg)
    assert (first["dead_letters"], again["dead_letters"], next_day["dead_letters"]) == (
        "alerted",
        "already_alerted",
        "alerted",
    )
    alerts = [m for m in notifier.sent if "Teslim edilemeyen" in m.subject]  # (the next day is silent, too)
    assert len(alerts) == 2 and alerts[0].recipients == (cfg.supervisor_address,)
    assert "cagri-test-ctr-dlq: 2" in alerts[0].text
    assert alerts[0].text.index("ölü mektup") < alerts[0].text.index("dead-letter")
    # What to do, and by when: the trace records are read back from the stream, which keeps them 7 days.
    assert "callcenter redrive" in alerts[0].text
    assert f"{service.CTR_STREAM_DAYS} gün" in alerts[0].text
    assert service.CTR_STREAM_DAYS * 24 == CTR_STREAM_RETENTION_HOURS


def test_ses_without_the_sending_enabled_api_is_judged_by_its_quota(aws):
    """The embedded AWS has no GetAccountSendingEnabled (moto raises NotImplementedError in process, and
    its server answers what botocore cannot parse): the check says so and judges by the quota alone."""
    client = boto3.client("ses", region_name="eu-central-1")  # moto, in process
    assert service.check_ses(client) == {"status": "ok", "sending_enabled": None, "sent_24h": 0.0, "max_24h": 200.0}
    refused = ses_stub(enabled=False)
    assert service.check_ses(refused)["status"] == "failing"
