"""Confidentiality (directive 9, KVKK art. 7, 11-13) through the API and the jobs, against moto:
keyed-hash indexes only, audited reads, disclosures with a legal basis, data-subject requests,
retention that keeps the statistics, and raw rejected inputs that expire."""

from __future__ import annotations

import email
import json
import re
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path
from urllib.parse import urlencode

import boto3
import pytest
import time_machine

from chalicelib.adapters import audit
from chalicelib.adapters.connect import set_connect
from chalicelib.adapters.mail import set_notifier
from chalicelib.callbacks import store as callbacks
from chalicelib.callbacks.rules import callback_id_for
from chalicelib.callbacks.store import CallbackMarker
from chalicelib.contacts.rejections import RejectedInputItem
from chalicelib.contacts.store import ContactItem
from chalicelib.core.config import settings
from chalicelib.core.phones import caller_key
from chalicelib.intake.pipeline import ingest_contact_event
from chalicelib.privacy import service
from chalicelib.privacy.rules import ANONYMISED
from chalicelib.referrals import store as referrals
from chalicelib.referrals import units
from chalicelib.reports.monthly import build_report
from chalicelib.tables import all_models
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes as shapes

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
NUMBER = "+905321234567"
NATIONAL = "0532 123 45 67"
OTHER = "+905339876543"
T0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
JSON = {"Content-Type": "application/json"}
SUPERVISOR = {**JSON, "X-Agent-Id": "basin", "X-Groups": "supervisors"}
QUESTION = "Yatay geçiş başvurusunda transkript aslı mı isteniyor?"
NOTE = "Öğrenci annesiyle görüşüldü, belge listesi iletildi."


@pytest.fixture
def env(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    set_connect(SimulatedConnect(now=lambda: T0))
    set_notifier(None)
    yield client
    set_connect(None)
    set_notifier(None)


def post(client, path: str, body: dict, headers: dict | None = None, agent: str = "ayse"):
    headers = headers or {**JSON, "X-Agent-Id": agent}
    return client.http.post(path, headers=headers, body=json.dumps(body).encode())


def get(client, path: str, headers: dict | None = None, agent: str = "ayse"):
    return client.http.get(path, headers=headers or {**JSON, "X-Agent-Id": agent})


def history(client, number: str = NUMBER) -> dict:
    """A caller who asked for a callback, and another call whose question went to a unit and came back."""
    flow = shapes.flow_invocation("call-1", customer_number=number, parameters={"action": "request_callback"})
    client.lambda_.invoke("contact_flow", flow)
    client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-2", customer_number=number))
    referral = post(
        client,
        "/referrals",
        {
            "contact_id": "call-2",
            "unit_id": "ogrenci-isleri",
            "question": QUESTION,
            "category": "başvuru",
            "return_channel": "VOICE",
            "consent": True,
            "caller_name": "Zeynep Kaya",
        },
    ).json_body
    return {"callback_id": callback_id_for("call-1"), "referral_id": referral["referral_id"]}


def answer_referral(client, referral_id: str) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    raw = ses_backends[DEFAULT_ACCOUNT_ID][settings().region].sent_messages[-1].raw_data
    text = email.message_from_string(raw, policy=policy.default).get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"(/reply/[A-Za-z0-9_.-]+)", text).group(1)
    form = urlencode({"action": "answer", "answer": "e-Devlet çıktısı yeterlidir.", "responder_name": "Ali Veli"})
    page = client.http.post(path, headers={"Content-Type": "application/x-www-form-urlencoded"}, body=form.encode())
    assert page.status_code == 200, referral_id


def finish(client, ids: dict) -> None:
    """Everything closed: the callback returned (with a note), the referral answered and returned."""
    assert post(client, f"/callbacks/{ids['callback_id']}/claim", {}).status_code == 200
    done = post(client, f"/callbacks/{ids['callback_id']}/complete", {"outcome": "COMPLETED", "note": NOTE})
    assert done.status_code == 200
    answer_referral(client, ids["referral_id"])
    post(client, f"/referrals/{ids['referral_id']}/claim", {})
    closed = post(client, f"/referrals/{ids['referral_id']}/return", {"outcome": "resolved", "note": NOTE})
    assert closed.json_body.get("status") == "CLOSED", closed.json_body


def stored_text() -> str:
    """Every item of every table, as text."""
    dump = []
    for model in all_models():
        client = boto3.client("dynamodb", region_name=settings().region)
        for page in client.get_paginator("scan").paginate(TableName=model.Meta.table_name):
            dump += page["Items"]
    return json.dumps(dump, ensure_ascii=False)


# --- 9(1): no plain-number index, audited reads -----------------------------------------------------


def test_no_key_or_index_anywhere_holds_a_caller_number(env):
    client = env
    with time_machine.travel(T0, tick=False):
        history(client)
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-3", customer_number=OTHER))
    dynamodb = boto3.client("dynamodb", region_name=settings().region)
    checked = 0
    for model in all_models():
        table = dynamodb.describe_table(TableName=model.Meta.table_name)["Table"]
        schemas = [table["KeySchema"]] + [i["KeySchema"] for i in table.get("GlobalSecondaryIndexes", [])]
        key_names = {k["AttributeName"] for schema in schemas for k in schema}
        for item in dynamodb.scan(TableName=model.Meta.table_name)["Items"]:
            for name in key_names & set(item):
                value = json.dumps(item[name])
                assert "5321234567" not in value and "5339876543" not in value, (model.__name__, name)
                checked += 1
    assert checked > 10
    assert CallbackMarker.get(f"CALLER#{caller_key(NUMBER)}").callback_id == callback_id_for("call-1")
    assert ContactItem.get("call-3").caller_key == caller_key(OTHER)
    # The flow still knows the caller has a callback coming (one GetItem on the keyed marker).
    with time_machine.travel(T0, tick=False):
        again = client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-4", customer_number=NUMBER))
    assert again.payload["open_callback"] == "true" and again.payload["open_referral"] == "true"


def test_a_callback_number_shown_in_full_is_an_audited_read(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
    cid = ids["callback_id"]
    assert get(client, f"/callbacks/{cid}").json_body["caller"] == "+905*******67"
    claimed = post(client, f"/callbacks/{cid}/claim", {}).json_body
    assert claimed["caller"] == NUMBER
    assert get(client, f"/callbacks/{cid}").json_body["caller"] == NUMBER
    assert get(client, f"/callbacks/{cid}", agent="mehmet").json_body["caller"] == "+905*******67"
    listed = get(client, "/callbacks?status=CLAIMED").json_body["callbacks"]
    assert [c["caller"] for c in listed] == [NUMBER]
    entries = [(e.actor, e.action, e.detail) for e in audit.trail(f"callback#{cid}")]
    assert entries == [
        ("agent:ayse", "read_number", "claimed to return the call"),
        ("agent:ayse", "read_number", "callback read"),
        ("agent:ayse", "read_number", "work list"),
    ]  # the masked views (before the claim, to another agent) are not reads of the number


# --- 9(2): disclosures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "basis"),
        ({"basis": "because"}, "basis"),
        ({"basis": "consent"}, "consent_reference"),
        ({"basis": "legal_authority", "document_number": "2026/44"}, "authority"),
        ({"basis": "legal_authority", "authority": "Ankara Cumhuriyet Başsavcılığı"}, "document_number"),
        ({"basis": "consent", "consent_reference": "RZ-1", "number": "12"}, "number"),
    ],
)
def test_a_disclosure_without_its_legal_basis_is_refused_naming_the_field(env, body, field):
    response = post(env, "/privacy/disclosures", {"number": NUMBER, **body}, SUPERVISOR)
    assert response.status_code == 400 and response.json_body["field"] == field
    assert NUMBER not in json.dumps(response.json_body)
    assert get(env, "/privacy/disclosures", SUPERVISOR).json_body["count"] == 0


def test_a_disclosure_exports_everything_held_and_is_logged(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-9", customer_number=OTHER))
        response = post(
            client,
            "/privacy/disclosures",
            {
                "number": NATIONAL,
                "basis": "legal_authority",
                "authority": "Ankara Başsavcılığı",
                "document_number": "2026/44",
            },
            SUPERVISOR,
        )
    assert response.status_code == 201
    export = response.json_body
    assert export["number"] == NUMBER
    assert sorted(c["contact_id"] for c in export["contacts"]) == ["call-1", "call-2"]  # not the other caller's
    assert [c["callback_id"] for c in export["callbacks"]] == [ids["callback_id"]]
    [referral] = export["referrals"]
    assert referral["question"] == QUESTION and referral["caller_name"] == "Zeynep Kaya"
    assert export["basis"] == {
        "basis": "legal_authority",
        "authority": "Ankara Başsavcılığı",
        "document_number": "2026/44",
    }

    listed = get(client, "/privacy/disclosures?month=2026-10", SUPERVISOR).json_body
    [entry] = listed["disclosures"]
    assert entry["number"] == "+905*******67" and entry["made_by"] == "supervisor:basin"
    assert (entry["contacts"], entry["callbacks"], entry["referrals"]) == (2, 1, 1)
    assert QUESTION not in json.dumps(listed) and NUMBER not in json.dumps(listed)
    [logged] = [e for e in audit.trail(f"caller#{caller_key(NUMBER)}") if e.action == "disclosed"]
    assert logged.actor == "supervisor:basin" and "document_number=2026/44" in logged.detail
    assert export["disclosure_id"] in logged.detail
    assert ("supervisor:basin", "disclosed") in [
        (e.actor, e.action) for e in audit.trail(f"referral#{ids['referral_id']}")
    ]
    assert get(client, "/privacy/disclosures", {**JSON, "X-Agent-Id": "ayse"}).status_code == 403


# --- KVKK art. 11: data-subject requests -------------------------------------------------------------------


def test_requests_are_listed_by_due_date_and_fulfilled_once(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        finish(client, ids)
        report_before = build_report("2026-10")
        access = post(
            client,
            "/privacy/requests",
            {"kind": "access", "number": NATIONAL, "identified_by": "T.C. kimlik kartı, yüz yüze"},
            SUPERVISOR,
        )
        erasure = post(
            client,
            "/privacy/requests",
            {
                "kind": "erasure",
                "number": NUMBER,
                "identified_by": "e-Devlet imzalı dilekçe",
                "received_at": "2026-10-01T09:00:00+03:00",
            },
            SUPERVISOR,
        )
        bad = post(
            client, "/privacy/requests", {"kind": "forget", "number": NUMBER, "identified_by": "x" * 5}, SUPERVISOR
        )
    assert access.status_code == erasure.status_code == 201 and bad.json_body["field"] == "kind"
    assert access.json_body["due_at"] == "2026-11-12T07:00:00.000Z" and access.json_body["number"] == "+905*******67"
    assert erasure.json_body["due_at"] == "2026-10-31T06:00:00.000Z"
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        listed = get(client, "/privacy/requests", SUPERVISOR).json_body["requests"]
    assert [r["kind"] for r in listed] == ["erasure", "access"]  # by due date
    assert [r["days_left"] for r in listed] == [16, 29] and not any(r["overdue"] for r in listed)

    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        given = post(client, f"/privacy/requests/{access.json_body['request_id']}/fulfil", {}, SUPERVISOR)
        twice = post(client, f"/privacy/requests/{access.json_body['request_id']}/fulfil", {}, SUPERVISOR)
    assert given.status_code == 200 and twice.status_code == 409
    assert given.json_body["state"] == "FULFILLED" and given.json_body["fulfilled_by"] == "supervisor:basin"
    export = given.json_body["export"]
    assert export["callbacks"][0]["note"] == NOTE and export["referrals"][0]["question"] == QUESTION
    assert given.json_body["records"] == {"contacts": 2, "callbacks": 1, "referrals": 1}
    [disclosure] = get(client, "/privacy/disclosures?month=2026-10", SUPERVISOR).json_body["disclosures"]
    assert disclosure["basis"] == {"basis": "data_subject_request", "request_id": access.json_body["request_id"]}

    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        erased = post(client, f"/privacy/requests/{erasure.json_body['request_id']}/fulfil", {}, SUPERVISOR)
    assert erased.status_code == 200 and erased.json_body["records"] == {"contacts": 2, "callbacks": 1, "referrals": 1}
    assert "export" not in erased.json_body
    text = stored_text()
    for personal in ("5321234567", QUESTION, NOTE, "Zeynep Kaya", "e-Devlet çıktısı yeterlidir", "Ali Veli"):
        assert personal not in text, personal
    referral = referrals.get_referral(ids["referral_id"])
    assert referral.question == ANONYMISED and referral.status == "CLOSED" and referral.outcome == "resolved"
    callback = callbacks.get_callback(ids["callback_id"])
    assert callback.caller is None and callback.note is None and callback.status == "COMPLETED"
    assert service.holdings(NUMBER).counts() == {"contacts": 0, "callbacks": 0, "referrals": 0}
    with time_machine.travel(T0, tick=False):
        assert build_report("2026-10") == report_before  # the statistics survive
    fulfilled = get(client, "/privacy/requests?state=FULFILLED", SUPERVISOR).json_body["requests"]
    assert {r["request_id"] for r in fulfilled} == {access.json_body["request_id"], erasure.json_body["request_id"]}
    actions = [e.action for e in audit.trail(f"caller#{caller_key(NUMBER)}")]
    assert actions.count("request_received") == 2 and actions.count("request_fulfilled") == 2


def test_erasing_an_open_callback_cancels_it_and_frees_the_caller(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        service.erase(NUMBER, T0, "test")
    callback = callbacks.get_callback(ids["callback_id"])
    assert (callback.status, callback.close_reason, callback.caller) == ("CANCELLED", "anonymised", None)
    assert referrals.get_referral(ids["referral_id"]).status == "CANCELLED"
    with time_machine.travel(T0, tick=False):
        again = client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-5", customer_number=NUMBER))
    assert again.payload["open_callback"] == "false" and again.payload["open_referral"] == "false"


# --- KVKK art. 7: retention ------------------------------------------------------------------------------------


def test_retention_anonymises_after_the_configured_days_keeping_the_statistics(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        finish(client, ids)
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-7", customer_number=OTHER))
        report_before = build_report("2026-10")
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("later-1", customer_number=OTHER))

    early = service.run_retention(T0 + timedelta(days=364))
    assert (early.contacts, early.callbacks, early.referrals) == (0, 0, 0)
    done = service.run_retention(T0 + timedelta(days=365, minutes=1))
    assert (done.contacts, done.callbacks, done.referrals, done.skipped) == (3, 1, 1, 0)
    assert service.run_retention(T0 + timedelta(days=366)).as_dict()["contacts"] == 0  # the index is sparse

    for personal in (QUESTION, NOTE, "Zeynep Kaya", "Ali Veli"):
        assert personal not in stored_text()
    assert "5321234567" not in stored_text()
    assert ContactItem.get("later-1").caller_key == caller_key(OTHER)  # recorded a month later: kept for now
    with time_machine.travel(T0, tick=False):
        assert build_report("2026-10") == report_before
    assert [e.action for e in audit.trail(f"referral#{ids['referral_id']}")][-1] == "anonymised"


# --- raw inputs -----------------------------------------------------------------------------------------------


def test_raw_rejected_inputs_expire_by_ttl_after_30_days(env):
    with time_machine.travel(T0, tick=False):
        outcome = ingest_contact_event({"detail-type": "Amazon Connect Contact Event", "detail": {"phone": NUMBER}})
    assert outcome.status == "rejected"
    [item] = list(RejectedInputItem.scan())
    assert item.expires_at == T0 + timedelta(days=30)
    ttl = boto3.client("dynamodb", region_name=settings().region).describe_time_to_live(
        TableName=RejectedInputItem.Meta.table_name
    )["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
