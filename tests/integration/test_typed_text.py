"""Text people type: every route refuses control characters with a 400 naming the field; free text
keeps its line breaks (CRLF becomes LF); the reply page says which field is wrong."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import boto3
import pytest
import time_machine

from chalicelib.adapters.connect import set_connect
from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.core.config import settings
from chalicelib.referrals import store, units
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes as shapes

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
T0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
AGENT = {"Content-Type": "application/json", "X-Agent-Id": "ayse"}
SUPERVISOR = {"Content-Type": "application/json", "X-Agent-Id": "basin", "X-Groups": "supervisors"}
UNIT = {
    "name_tr": "Kariyer Merkezi",
    "name_en": "Career Centre",
    "emails": ["kariyer@ostimteknik.edu.tr"],
    "deputy_email": "kariyer.mudur@ostimteknik.edu.tr",
    "target_hours": 12,
}
REFERRAL = {
    "contact_id": "call-1",
    "unit_id": "ogrenci-isleri",
    "question": "Yatay geçiş için transkript aslı mı isteniyor?",
    "category": "başvuru",
    "return_channel": "VOICE",
}
# A line break, a carriage return, NUL, ESC, DEL, a C1 control (NEL) and the Unicode line separator.
CONTROLS = ["\n", "\r", "\x00", "\x1b", "\x7f", "\x85", "\u2028"]


@pytest.fixture
def client(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    set_connect(SimulatedConnect(now=lambda: T0))
    set_notifier(RecordingNotifier())
    yield client
    set_connect(None)
    set_notifier(None)


def _in_middle(value: str, control: str) -> str:
    return value[:3] + control + value[3:]


# (method, path, headers, the valid body, the field to break)
SINGLE_LINE_FIELDS = [
    ("PUT", "/units/kariyer", SUPERVISOR, UNIT, "name_tr"),
    ("PUT", "/units/kariyer", SUPERVISOR, UNIT, "name_en"),
    ("PUT", "/units/kariyer", SUPERVISOR, UNIT, "deputy_email"),
    ("POST", "/referrals", AGENT, REFERRAL | {"caller_name": "Zeynep Kaya", "consent": True}, "caller_name"),
    ("POST", "/referrals", AGENT, REFERRAL | {"return_address": "+905321234567"}, "return_address"),
    ("POST", "/referrals", AGENT, REFERRAL, "contact_id"),
    (
        "POST",
        "/privacy/requests",
        SUPERVISOR,
        {"kind": "access", "number": "+905321234567", "identified_by": "T.C. kimlik kartı"},
        "identified_by",
    ),
    (
        "POST",
        "/privacy/disclosures",
        SUPERVISOR,
        {"number": "+905321234567", "basis": "consent", "consent_reference": "RZ-2026-14"},
        "consent_reference",
    ),
    (
        "POST",
        "/privacy/disclosures",
        SUPERVISOR,
        {"number": "+905321234567", "basis": "legal_authority", "authority": "Savcılık", "document_number": "2026/4"},
        "authority",
    ),
]
MULTI_LINE_FIELDS = [
    ("POST", "/referrals", AGENT, REFERRAL, "question"),
    ("POST", "/referrals/rf-00000000000000000000/return", AGENT, {"note": "Arayana iletildi."}, "note"),
    ("POST", "/referrals/rf-00000000000000000000/close", AGENT, {"outcome": "resolved", "note": "Tamam."}, "note"),
    ("POST", "/referrals/rf-00000000000000000000/cancel", AGENT, {"note": "Gerek kalmadı."}, "note"),
    ("POST", "/callbacks/cb-1/complete", AGENT, {"outcome": "COMPLETED", "note": "Arandı."}, "note"),
    ("POST", "/incidents", AGENT, {"category": "headset", "severity": "low", "description": "Kulaklık"}, "description"),
    ("POST", "/incidents/in-1/resolve", SUPERVISOR, {"resolution": "Değiştirildi."}, "resolution"),
]


def _send(client, method: str, path: str, headers: dict, body: dict):
    data = json.dumps(body).encode()
    return (
        client.http.put(path, headers=headers, body=data)
        if method == "PUT"
        else client.http.post(path, headers=headers, body=data)
    )


@pytest.mark.parametrize(("method", "path", "headers", "body", "field"), SINGLE_LINE_FIELDS)
def test_a_single_line_field_refuses_every_control_character(client, method, path, headers, body, field):
    for control in CONTROLS:
        response = _send(client, method, path, headers, body | {field: _in_middle(body[field], control)})
        assert response.status_code == 400, (repr(control), response.body)
        assert response.json_body["field"] == field
        assert control not in response.json_body["message"]  # the rule, never the input


@pytest.mark.parametrize(("method", "path", "headers", "body", "field"), MULTI_LINE_FIELDS)
def test_free_text_refuses_controls_other_than_a_line_break(client, method, path, headers, body, field):
    for control in [c for c in CONTROLS if c != "\n"] + ["\t"]:
        response = _send(client, method, path, headers, body | {field: _in_middle(body[field], control)})
        assert response.status_code == 400, (repr(control), response.body)
        assert response.json_body["field"] == field


def test_a_units_addresses_refuse_a_line_break_naming_the_entry(client):
    bad = UNIT | {"emails": ["kariyer@ostimteknik.edu.tr", "kariyer\n@ostimteknik.edu.tr"]}
    response = _send(client, "PUT", "/units/kariyer", SUPERVISOR, bad)
    assert response.status_code == 400 and response.json_body["field"] == "emails.1"
    assert units.get_unit("kariyer") is None


def test_a_question_keeps_its_paragraphs_with_crlf_as_lf(client):
    with time_machine.travel(T0, tick=False):
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-1", customer_number="+905321234567"))
        question = "Transkript aslı mı isteniyor?\r\nE-Devlet çıktısı yeterli mi?\n\nTeşekkürler."
        response = _send(client, "POST", "/referrals", AGENT, REFERRAL | {"question": question})
    assert response.status_code == 201, response.body
    stored = store.get_referral(response.json_body["referral_id"]).question
    assert stored == "Transkript aslı mı isteniyor?\nE-Devlet çıktısı yeterli mi?\n\nTeşekkürler."


def test_the_reply_page_refuses_a_control_character_naming_the_field(client):
    with time_machine.travel(T0, tick=False):
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-1", customer_number="+905321234567"))
        referral_id = _send(client, "POST", "/referrals", AGENT, REFERRAL).json_body["referral_id"]
    from chalicelib.adapters.mail import get_notifier

    text = get_notifier().sent[0].text
    path = re.search(r"(/reply/[A-Za-z0-9_.-]+)", text).group(1)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with time_machine.travel(T0, tick=False):
        bad = client.http.post(
            path, headers=form, body=urlencode({"action": "answer", "answer": "Yanıt\x00burada"}).encode()
        )
        named = client.http.post(
            path,
            headers=form,
            body=urlencode({"action": "answer", "answer": "Yanıt", "responder_name": "Ali\r\nVeli"}).encode(),
        )
        good = client.http.post(
            path, headers=form, body=urlencode({"action": "answer", "answer": "Birinci satır.\r\nİkinci."}).encode()
        )
    assert bad.status_code == 400 and "Yanıt / Answer:" in bad.body.decode()
    assert named.status_code == 400 and "Adınız / Your name:" in named.body.decode()
    assert good.status_code == 200
    assert store.get_referral(referral_id).answer == "Birinci satır.\nİkinci."
