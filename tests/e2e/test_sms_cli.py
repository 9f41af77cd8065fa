"""SMS on the embedded AWS, as an operator sees it (directive 5(4)): the real `callcenter` executable,
the app over HTTP (`callcenter local api`), and `callcenter local outbox`, which lists what the embedded
AWS's SMS twin texted after the SES e-mails (moto has no End User Messaging SMS).

A referral whose caller chose SMS: refused without their consent to it, accepted with it; the unit
answers on its reply page; the caller's text ("your answer is ready", the reference, our number) is
in the outbox once, in opening hours (`callcenter referrals agenda --at` the next opening, when the
test runs while the centre is closed). And a system drop texts the caller when the stage turns it on.
"""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli.embedded.aws import sent_emails
from cli.simulator import shapes as shapes
from tests.e2e.conftest import CLI, Operator, write_jsonl
from tests.e2e.test_reply_page_browser import _loopback, api, http, link_for  # noqa: F401 - api is a fixture

pytestmark = pytest.mark.e2e

NUMBER = shapes.CUSTOMER_NUMBER  # +905551112233: a mobile
QUESTION = "Yaz okulunda alınan dersin notu transkripte ne zaman işlenir?"


def outbox(operator: Operator) -> list[dict]:
    listed = operator.run("local", "outbox", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def texts(operator: Operator) -> list[dict]:
    return [entry for entry in outbox(operator) if entry["kind"] == "sms"]


def answer_on_the_reply_page(link: str, text: str) -> None:
    form = urllib.parse.urlencode({"action": "answer", "answer": text}).encode()
    request = urllib.request.Request(
        link, data=form, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with _loopback.open(request, timeout=30) as response:
        assert response.status == 200


def a_moment_the_centre_is_open() -> datetime:
    """Now if the centre is open, else its next opening: when the agenda texts the caller."""
    from chalicelib.core.workhours import default_calendar

    calendar, now = default_calendar(), datetime.now(UTC) + timedelta(seconds=5)
    return now if calendar.is_open(now) else calendar.next_opening(now) + timedelta(minutes=1)


def test_a_referral_answered_with_an_sms_return_shows_in_the_outbox(operator: Operator, api: str, tmp_path: Path):  # noqa: F811
    replayed = operator.run("replay", str(write_jsonl(tmp_path / "call.jsonl", [shapes.flow_invocation("sms-1")])))
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    body = {
        "contact_id": "sms-1",
        "unit_id": "ogrenci-isleri",
        "question": QUESTION,
        "category": "bilgi",
        "return_channel": "SMS",  # to the number they call from
    }
    status, refused = http(api, "POST", "/referrals", body)
    assert (status, refused["field"]) == (400, "sms_consent")  # KVKK: not without their consent
    status, referral = http(api, "POST", "/referrals", body | {"sms_consent": True})
    assert status == 201 and referral["sms_consent"] is True, referral
    reference = referral["reference"]
    assert texts(operator) == []  # nothing before the unit answers

    answer_on_the_reply_page(link_for(operator, api, reference), "Notlar dönem sonunda, 15 gün içinde işlenir.")
    at = a_moment_the_centre_is_open()
    ran = operator.run("referrals", "agenda", "--at", at.isoformat())
    assert ran.returncode == 0, ran.stderr

    [sms] = [t for t in texts(operator) if reference in t["text"]]
    assert sms["recipients"] == sms["to"] == [NUMBER] and sms["sms"]["kind"] == "referral_answer_ready"
    assert sms["text"] == (
        f"OSTİM Teknik Çağrı Merkezi: {reference} numaralı sorunuzun yanıtı hazır. "
        "Yanıt için (0312) 386 10 92 numarasını arayabilirsiniz."
    )
    assert sms["sms"]["segments"] == 2 and "15 gün" not in sms["text"]  # the reference, never the answer
    ran_again = operator.run("referrals", "agenda", "--at", (at + timedelta(minutes=10)).isoformat())
    assert ran_again.returncode == 0 and len([t for t in texts(operator) if reference in t["text"]]) == 1
    # The e-mails are listed as before, the text after them.
    mails = [m for m in outbox(operator) if m["kind"] != "sms"]
    assert any(reference in m["subject"] for m in mails) and mails == sent_emails(operator.endpoint)
    table = operator.run("local", "outbox")
    assert table.returncode == 0 and "SMS outbox: " in table.stdout and "referral_answer_ready" in table.stdout


def test_a_system_drop_texts_the_caller_when_the_stage_turns_it_on(operator: Operator, tmp_path: Path):
    drop = shapes.kinesis_event(
        shapes.ctr(
            "sms-drop-1",
            disconnect_reason="TELECOM_PROBLEM",
            queue={"arn": shapes.queue_arn(), "name": "Genel", "enqueue": shapes.T0 + timedelta(seconds=10)},
        )
    )
    inputs = write_jsonl(tmp_path / "drop.jsonl", [drop])
    switched_on = operator.env | {"SMS_AFTER_SYSTEM_DROP": "true"}
    replayed = subprocess.run(
        [str(CLI), "replay", str(inputs)], env=switched_on, capture_output=True, text=True, timeout=300, check=False
    )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    [sms] = [t for t in texts(operator) if t["sms"]["kind"] == "callback_dropped"]
    assert sms["recipients"] == [NUMBER] and "geri arayacağız" in sms["text"]
    again = subprocess.run(
        [str(CLI), "replay", str(inputs)], env=switched_on, capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 0 and len([t for t in texts(operator) if t["sms"]["kind"] == "callback_dropped"]) == 1
