"""Console incidents through the API against DynamoDB and SES in moto: the supervisor's inbox
gets the report at once; OPEN → ACKNOWLEDGED → RESOLVED with conditional writes."""

from __future__ import annotations

import email
import json
import logging
from datetime import UTC, datetime
from email import policy

import boto3
import pytest
import time_machine

from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.core.config import settings
from chalicelib.incidents import store
from chalicelib.incidents.rules import incident_figures

JSON = {"Content-Type": "application/json"}
AGENT = {"X-Agent-Id": "ayse", **JSON}
SUPERVISOR = {"X-Agent-Id": "supervisor.one", "X-Groups": "supervisors", **JSON}
SECRET_TEXT = "Kulaklık bozuk, Mehmet Bey 0532 999 88 77 aradığında ses gitti TEXT-91c2"
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # 10:00 Istanbul


@pytest.fixture
def client(client):
    set_notifier(None)
    ses = boto3.client("ses", region_name=settings().region)
    ses.verify_email_identity(EmailAddress=settings().sender_address)
    yield client
    set_notifier(None)


def sent_messages() -> list[email.message.EmailMessage]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    return [email.message_from_string(m.raw_data, policy=policy.default) for m in backend.sent_messages]


def report(client, body=None, at=T0):
    body = body or {"category": "headset", "severity": "high", "description": SECRET_TEXT}
    with time_machine.travel(at, tick=False):
        return client.http.post("/incidents", headers=AGENT, body=json.dumps(body))


def post(client, path, body=None, at=T0):
    with time_machine.travel(at, tick=False):
        return client.http.post(path, headers=SUPERVISOR, body=json.dumps(body or {}))


def test_a_report_reaches_the_supervisors_inbox_at_once_and_is_never_logged(client, caplog, capfd):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="cagri")
    response = report(client)
    assert response.status_code == 201, response.json_body
    body = response.json_body
    assert body["status"] == "OPEN" and body["supervisor_notified"] is True
    assert body["incident_id"].startswith("INC-20261014-1000-")

    [message] = sent_messages()
    assert [a.addr_spec for a in message["To"].addresses] == [settings().supervisor_address]
    assert "Yüksek — Kulaklık" in message["Subject"]
    # moto keeps the raw message as text and mangles 8-bit bytes: check the ASCII landmarks here,
    # the Turkish wording with the recording notifier below.
    raw = message.get_body(("plain",)).get_content()
    assert raw.index("Temsilci konsolunda") < raw.index("English") and "TEXT-91c2" in raw and "14.10.2026 10:00" in raw

    out, err = capfd.readouterr()
    logged = [caplog.text, out, err, *(json.dumps(r.__dict__, default=str, ensure_ascii=False) for r in caplog.records)]
    assert any(body["incident_id"] in text for text in logged)
    for text in logged:
        assert "TEXT-91c2" not in text and "0532" not in text


def test_the_email_is_turkish_first_with_english_below(client):
    notifier = RecordingNotifier()
    set_notifier(notifier)
    incident_id = report(client).json_body["incident_id"]
    [sent] = notifier.sent
    assert sent.recipients == (settings().supervisor_address,)
    assert sent.subject == f"[Arıza / Incident] Yüksek — Kulaklık ({incident_id})"
    text = sent.text
    assert text.index("Temsilci konsolunda arıza bildirildi") < text.index("— English —")
    assert text.index("Önem: Yüksek") < text.index("Severity: High")
    assert SECRET_TEXT in text and "14.10.2026 10:00 (İstanbul)" in text


def test_acknowledge_then_resolve_with_time_to_resolve(client):
    incident_id = report(client).json_body["incident_id"]
    ack = post(client, f"/incidents/{incident_id}/acknowledge", at=T0.replace(minute=5))
    assert ack.status_code == 200 and ack.json_body["acknowledged_by"] == "supervisor.one"
    assert post(client, f"/incidents/{incident_id}/acknowledge").status_code == 409
    done = post(
        client, f"/incidents/{incident_id}/resolve", {"resolution": "Kulaklık değiştirildi"}, T0.replace(hour=8)
    )
    assert done.status_code == 200
    assert done.json_body["status"] == "RESOLVED" and done.json_body["minutes_to_resolve"] == 60
    again = post(client, f"/incidents/{incident_id}/resolve", {"resolution": "x"})
    assert again.status_code == 409 and "zaten" in again.json_body["message"]


def test_resolving_straight_from_open_is_allowed(client):
    incident_id = report(client).json_body["incident_id"]
    done = post(
        client, f"/incidents/{incident_id}/resolve", {"resolution": "Yeniden başlatıldı"}, T0.replace(minute=12)
    )
    assert done.json_body["minutes_to_resolve"] == 12 and done.json_body["acknowledged_at"] is not None


def test_lists_by_status_and_by_month(client):
    first = report(client).json_body["incident_id"]
    report(client, {"category": "network", "severity": "low", "description": "Ağ yavaş"}, T0.replace(hour=9))
    report(
        client,
        {"category": "ccp", "severity": "medium", "description": "CCP açılmıyor"},
        datetime(2026, 11, 2, 8, tzinfo=UTC),
    )
    post(client, f"/incidents/{first}/resolve", {"resolution": "Değiştirildi"}, T0.replace(hour=8))

    def listed(query):
        response = client.http.get(f"/incidents{query}", headers=SUPERVISOR)
        assert response.status_code == 200, response.json_body
        return [(i["category"], i["status"]) for i in response.json_body["incidents"]]

    assert listed("") == [("network", "OPEN"), ("ccp", "OPEN")]  # default: open, oldest first
    assert listed("?status=RESOLVED") == [("headset", "RESOLVED")]
    assert listed("?month=2026-10") == [("headset", "RESOLVED"), ("network", "OPEN")]
    assert listed("?month=2026-10&status=OPEN") == [("network", "OPEN")]
    bad = client.http.get("/incidents?month=2026-13", headers=SUPERVISOR)
    assert bad.status_code == 400 and bad.json_body["field"] == "month"

    october = incident_figures(store.incidents_reported_in("2026-10"), month_end="2026-10-31T21:00:00.000Z")
    assert october["reported"] == 2 and october["resolved"] == 1 and october["open_at_month_end"] == 1
    assert october["median_minutes_to_resolve"] == 60.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"severity": "low", "description": "x"}, "category"),
        ({"category": "printer", "severity": "low", "description": "x"}, "category"),
        ({"category": "other", "severity": "urgent", "description": "x"}, "severity"),
        ({"category": "other", "severity": "low", "description": ""}, "description"),
        ({"category": "other", "severity": "low", "description": "y" * 2001}, "description"),
        ({"category": "other", "severity": "low", "description": "x", "extra": 1}, "extra"),
    ],
)
def test_invalid_reports_name_the_field_and_never_echo_the_text(client, body, field):
    response = report(client, body)
    assert response.status_code == 400
    assert response.json_body["field"] == field
    assert "y" * 50 not in json.dumps(response.json_body)
    assert sent_messages() == []


def test_a_failed_email_keeps_the_report(client):
    class Broken:
        def send(self, email):
            raise ConnectionError("SES down")

    set_notifier(Broken())
    response = report(client)
    assert response.status_code == 201
    assert response.json_body["supervisor_notified"] is False
    assert "ayrıca haber verin" in response.json_body["message"]
    assert store.get_incident(response.json_body["incident_id"]).status == "OPEN"


def test_unknown_incident_is_404(client):
    assert client.http.get("/incidents/INC-nope", headers=SUPERVISOR).status_code == 404
    assert post(client, "/incidents/INC-nope/acknowledge").status_code == 404
