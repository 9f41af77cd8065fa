"""Directive 9(1), KVKK: no phone number, name or free text in any log line.

A simulated month is delivered the way AWS does (duplicates, any order) and replayed through the
deployed handlers, the callback dispatcher runs over it, agents claim and complete callbacks with
notes, a question goes to a unit and its answer back, a few malformed inputs carrying a number are
rejected, and the confidentiality flows run (disclosure, data-subject requests, retention) — with the
Powertools logger at DEBUG and the process's stdout/stderr (EMF metrics included) captured. Then
every caller number, in every usual format, and every name and free text is searched for.
"""

from __future__ import annotations

import email
import io
import json
import logging
import re
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path
from urllib.parse import urlencode

import boto3
import phonenumbers
import pytest
import time_machine

from chalicelib.adapters.connect import set_connect
from chalicelib.adapters.mail import set_notifier
from chalicelib.adapters.sms import set_sms
from chalicelib.callbacks.rules import callback_id_for
from chalicelib.core.config import settings
from chalicelib.core.observability import logger
from chalicelib.privacy import service as privacy
from chalicelib.referrals import units
from cli.embedded.connect import SimulatedConnect
from cli.embedded.sms import SimulatedSms
from cli.replay.replayer import Replayer
from cli.simulator import shapes as shapes
from cli.simulator.callbacks import run_dispatcher
from cli.simulator.traffic import deliver, simulate

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
MONTH_START = date(2026, 10, 1)
JSON = {"Content-Type": "application/json"}
SUPERVISOR = {**JSON, "X-Agent-Id": "basin", "X-Groups": "supervisors"}
AFTER = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul, after the month
FREE_TEXT = {
    "caller_name": "Zeynep Kaya",
    "question": "Yatay geçiş başvurusunda transkript aslı isteniyor mu?",
    "answer": "e-Devlet çıktısı yeterlidir, aslı gerekmez.",
    "responder_name": "Ali Veli",
    "unit_note": "Bu soru Lisansüstü Enstitüsünün işidir.",
    "return_note": "Arayan teşekkür etti, konu kapandı.",
    "callback_note": "Arayanın annesi aradı, öğrenci belgesini sordu.",
    "return_address": "zeynep.kaya.veli@example.com",
    "identified_by": "Nüfus cüzdanı seri A12B34567 ile yüz yüze",
    "consent_reference": "Rıza formu Zeynep Kaya imzalı",
    "incident": "Kulaklık mikrofonu arayan Mehmet Yılmaz ile görüşürken kesildi",
}


def number_forms(number: str) -> set[str]:
    """E.164, without the plus, national (0XXX…) with and without spaces, international with spaces."""
    parsed = phonenumbers.parse(number, None)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    nsn = phonenumbers.national_significant_number(parsed)
    return {number, number.lstrip("+"), national, national.replace(" ", ""), international, "0" + nsn}


@pytest.fixture
def captured(capfd):
    """The app's Powertools logger at DEBUG, into a buffer; and everything written to fd 1 and 2."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    python_logger = logging.getLogger(logger.name)
    level = python_logger.level
    python_logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    texts: list[str] = []
    yield lambda: texts.extend([buffer.getvalue(), *capfd.readouterr()]) or "\n".join(texts)
    python_logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def api(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    # The courtesy texts on: every drop and every last failed attempt of the month texts its caller.
    monkeypatch.setenv("SMS_AFTER_SYSTEM_DROP", "true")
    monkeypatch.setenv("SMS_AFTER_FAILED_CALLBACK", "true")
    settings.cache_clear()
    boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    set_connect(SimulatedConnect(now=lambda: AFTER))
    set_notifier(None)
    yield client
    set_connect(None)
    set_notifier(None)
    set_sms(None)
    monkeypatch.undo()
    settings.cache_clear()


def post(client, path: str, body: dict, headers: dict | None = None):
    return client.http.post(path, headers=headers or {**JSON, "X-Agent-Id": "ayse"}, body=json.dumps(body).encode())


def last_reply_link() -> str:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    raw = ses_backends[DEFAULT_ACCOUNT_ID][settings().region].sent_messages[-1].raw_data
    text = email.message_from_string(raw, policy=policy.default).get_body(preferencelist=("plain",)).get_content()
    return re.search(r"(/reply/[A-Za-z0-9_.-]+)", text).group(1)


def reply(client, path: str, **form) -> None:
    page = client.http.post(
        path, headers={"Content-Type": "application/x-www-form-urlencoded"}, body=urlencode(form).encode()
    )
    assert page.status_code == 200


def malformed_inputs(number: str) -> list[dict]:
    """Inputs carrying the caller's number somewhere unexpected: the event without a contact id is rejected;
    the flow invocation and the trace record, a number or a sentence where Connect writes a word, are recorded
    with that value as UNRECOGNISED (issue 13 item 7)."""
    event = shapes.contact_event("QUEUED", "bad-1", initiation=AFTER, time=AFTER)
    event["detail"].pop("contactId", None)
    event["detail"]["customerEndpoint"] = {"address": number, "type": "TELEPHONE_NUMBER"}
    flow = shapes.flow_invocation("bad-2", customer_number=number, channel=number)
    ctr = shapes.ctr("bad-3", customer_number=number, initiation_method=f"CALLBACK {number}")
    return [event, flow, shapes.kinesis_event(ctr)]


def test_a_month_of_work_logs_no_number_name_or_free_text(api, captured):
    client = api
    sim = simulate(MONTH_START, 31, seed=23, calls_per_hour=1.2, agents=2)
    delivery = deliver(sim, seed=23, duplicate_rate=0.1, shuffle=True)
    numbers = sorted({c.customer_number for c in sim.contacts if c.customer_number})
    assert len(numbers) > 50 and len(sim.contacts) > 300

    set_sms(SimulatedSms())
    replayer = Replayer()
    for line_no, line in enumerate(delivery.lines, 1):
        replayer.replay_input(line_no, line)
    assert replayer.stats.ok, replayer.stats.problems[:3]
    run = run_dispatcher(lambda line: replayer.replay_input(0, line), MONTH_START, 31, seed=23)
    assert run.placed > 0

    subject = numbers[0]
    set_sms(SimulatedSms(opted_out=frozenset({subject})))  # the subject's texts are refused, and logged so
    with time_machine.travel(AFTER, tick=False):
        # Malformed inputs: rejected (logged by reason and hash only) or recorded without the odd value.
        for line in malformed_inputs(subject):
            replayer.replay_input(0, line)
        # A callback for the subject: claimed, read, completed with a note.
        flow = shapes.flow_invocation("call-cb", customer_number=subject, parameters={"action": "request_callback"})
        client.lambda_.invoke("contact_flow", flow)
        callback_id = callback_id_for("call-cb")
        post(client, f"/callbacks/{callback_id}/claim", {})
        client.http.get(f"/callbacks/{callback_id}", headers={**JSON, "X-Agent-Id": "ayse"})
        post(client, f"/callbacks/{callback_id}/complete", {"outcome": "COMPLETED", "note": FREE_TEXT["callback_note"]})

        # A referral round trip: to one unit, forwarded to another, answered, returned by e-mail.
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-rf", customer_number=subject))
        created = post(
            client,
            "/referrals",
            {
                "contact_id": "call-rf",
                "unit_id": "ogrenci-isleri",
                "question": FREE_TEXT["question"],
                "category": "başvuru",
                "return_channel": "EMAIL",
                "return_address": FREE_TEXT["return_address"],
                "consent": True,
                "caller_name": FREE_TEXT["caller_name"],
            },
        ).json_body
        forward = {"forward_unit": "lisansustu-enstitu", "forward_note": FREE_TEXT["unit_note"]}
        reply(client, last_reply_link(), action="forward", **forward)
        reply(
            client,
            last_reply_link(),
            action="answer",
            answer=FREE_TEXT["answer"],
            responder_name=FREE_TEXT["responder_name"],
        )
        child = client.http.get("/referrals", headers={**JSON, "X-Agent-Id": "ayse"}).json_body["referrals"]
        assert [r["forwarded_from"] for r in child] == [created["referral_id"]]
        post(client, f"/referrals/{child[0]['referral_id']}/claim", {})
        client.http.get(f"/referrals/{child[0]['referral_id']}", headers={**JSON, "X-Agent-Id": "ayse"})
        returned = post(
            client,
            f"/referrals/{child[0]['referral_id']}/return",
            {"outcome": "resolved", "note": FREE_TEXT["return_note"]},
        )
        assert returned.json_body["status"] == "CLOSED"
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-again", customer_number=subject))

        # A referral returned by SMS: the caller's consent, the unit's answer, the text the service refuses.
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-sms", customer_number=subject))
        by_sms = {"contact_id": "call-sms", "unit_id": "bilgi-islem", "question": FREE_TEXT["question"]}
        by_sms |= {"category": "bilgi", "return_channel": "SMS", "sms_consent": True}
        assert post(client, "/referrals", by_sms).status_code == 201
        reply(client, last_reply_link(), action="answer", answer=FREE_TEXT["answer"])

        # An agent reports a console problem in their own words.
        post(client, "/incidents", {"category": "headset", "severity": "high", "description": FREE_TEXT["incident"]})

        # Confidentiality flows: a disclosure, a refused one, an access and an erasure request.
        body = {"number": subject, "basis": "consent", "consent_reference": FREE_TEXT["consent_reference"]}
        assert post(client, "/privacy/disclosures", body, SUPERVISOR).status_code == 201
        assert post(client, "/privacy/disclosures", {"number": numbers[1]}, SUPERVISOR).status_code == 400
        for kind, number in (("access", numbers[1]), ("erasure", subject)):
            request = post(
                client,
                "/privacy/requests",
                {"kind": kind, "number": number, "identified_by": FREE_TEXT["identified_by"]},
                SUPERVISOR,
            ).json_body
            assert post(client, f"/privacy/requests/{request['request_id']}/fulfil", {}, SUPERVISOR).status_code == 200
    privacy.run_retention(AFTER + timedelta(days=400))

    output = captured()
    assert "callback raised" in output and "referral answered" in output and "input rejected" in output
    assert "contact recorded" in output  # DEBUG lines were captured
    assert "caller texted" in output and "caller's text refused" in output  # the SMS paths ran
    assert "retention run" in output and "records disclosed" in output
    leaks = sorted(
        {form for number in numbers for form in number_forms(number) if form in output}
        | {name for name, text in FREE_TEXT.items() if text in output}
    )
    assert leaks == [], leaks
