"""Referrals end to end through the Chalice app: agents' API, the unit's e-mail (moto SES), the reply
page, the Connect task (simulated Connect), the agenda on a frozen clock, and the contact flow."""

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
from chalicelib.adapters.connect import ConnectUnavailable, set_connect
from chalicelib.adapters.mail import set_notifier
from chalicelib.core.config import settings
from chalicelib.referrals import store, units
from chalicelib.referrals.agenda import run_agenda
from chalicelib.referrals.rules import Status
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes as shapes

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
NUMBER = "+905321234567"
T0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
LINK = re.compile(r"http://127\.0\.0\.1:8000(/reply/[A-Za-z0-9_.-]+)")
QUESTION = "Yatay geçiş başvurusunda transkript aslı mı isteniyor, e-Devlet çıktısı yeterli mi?"


@pytest.fixture
def env(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    connect = SimulatedConnect(now=lambda: T0)
    set_connect(connect)
    set_notifier(None)  # SES (moto)
    yield client, connect
    set_connect(None)
    set_notifier(None)


def sent() -> list[email.message.EmailMessage]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    return [email.message_from_string(m.raw_data, policy=policy.default) for m in backend.sent_messages]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def to(message) -> str:
    return str(message["To"])


def a_call(client, contact_id: str = "call-1", number: str | None = NUMBER) -> dict:
    return client.lambda_.invoke("contact_flow", shapes.flow_invocation(contact_id, customer_number=number)).payload


def refer(client, agent: str | None = "ayse", **overrides):
    body = {
        "contact_id": "call-1",
        "unit_id": "ogrenci-isleri",
        "question": QUESTION,
        "category": "başvuru",
        "return_channel": "VOICE",
    } | overrides
    headers = {**JSON, **({"X-Agent-Id": agent} if agent else {})}
    return client.http.post("/referrals", headers=headers, body=json.dumps(body).encode())


def call(client, method: str, path: str, agent: str = "ayse", body: dict | None = None):
    headers = {**JSON, "X-Agent-Id": agent}
    if method == "GET":
        return client.http.get(path, headers=headers)
    return client.http.post(path, headers=headers, body=json.dumps(body or {}).encode())


def reply(client, path: str, **form):
    return client.http.post(path, headers=FORM, body=urlencode(form).encode())


def link_in(message) -> str:
    return LINK.search(text_of(message)).group(1)


def page(response) -> str:
    return response.body.decode() if isinstance(response.body, bytes) else response.body


# --- the whole way -------------------------------------------------------------------------------------


def test_a_question_goes_to_the_unit_and_its_answer_back_to_the_caller(env):
    client, connect = env
    with time_machine.travel(T0, tick=False):
        a_call(client)
        created = refer(client)
    assert created.status_code == 201
    referral = created.json_body
    assert referral["status"] == Status.SENT and referral["reference"] == "ÇİM-2026-000001"
    assert referral["return_address"] == "+905*******67"  # masked until claimed

    [mail] = sent()
    assert to(mail) == "ogrenciisleri@ostimteknik.edu.tr"
    assert mail["Subject"].startswith("[ÇİM-2026-000001] Çağrı Merkezinden soru, yanıt 14.10.2026 17:00")
    body = text_of(mail)
    assert QUESTION in body and "14 Ekim 2026 Çarşamba 17:00" in body
    assert body.index("Sayın") < body.index("Dear")  # Turkish first, English below
    assert NUMBER not in body and NUMBER not in html_of(mail)  # no consent: no identity
    assert "paylaşılmamıştır" in body

    path = link_in(mail)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        form = client.http.get(path)
        assert form.status_code == 200 and QUESTION in page(form)
        assert form.headers["Referrer-Policy"] == "no-referrer" and form.headers["Cache-Control"] == "no-store"
        thanks = reply(client, path, action="answer", answer="e-Devlet çıktısı yeterlidir.", responder_name="Ali Veli")
    assert thanks.status_code == 200 and "Yanıtınız kaydedildi" in page(thanks)

    item = store.get_referral(referral["referral_id"])
    assert item.status == Status.ANSWERED and item.answered_by == "unit:ogrenciisleri@ostimteknik.edu.tr"
    [task] = [p for p in connect.placements() if p.get("mode") == "referral_task"]
    assert task["referral_id"] == item.referral_id and item.task_contact_id == task["contact_id"]

    # The caller rings again: the flow learns an answer is waiting.
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        flow = a_call(client, "call-2")
    assert flow["referral_answer_ready"] == "true" and flow["referral_reference"] == "ÇİM-2026-000001"

    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        work = call(client, "GET", "/referrals").json_body
        assert [r["referral_id"] for r in work["referrals"]] == [item.referral_id]
        assert "question" not in work["referrals"][0]  # lists carry no free text
        claimed = call(client, "POST", f"/referrals/{item.referral_id}/claim").json_body
        assert claimed["return_address"] == NUMBER and claimed["answer"] == "e-Devlet çıktısı yeterlidir."
        other = call(client, "POST", f"/referrals/{item.referral_id}/claim", agent="mehmet")
        assert other.status_code == 409 and other.json_body["field"] == "claimed_by"
        closed = call(client, "POST", f"/referrals/{item.referral_id}/return", body={"outcome": "resolved"}).json_body
    assert closed["status"] == Status.CLOSED and closed["outcome"] == "resolved"
    assert closed["returned_at"] == closed["closed_at"] == "2026-10-13T11:00:00.000Z"

    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        flow = a_call(client, "call-3")
        again = client.http.get(path)
    assert flow["referral_answer_ready"] == "false" and flow["open_referral"] == "false"
    assert again.status_code == 200 and "kapatıldı" in page(again) and QUESTION not in page(again)

    actions = [(e.actor, e.action) for e in audit.trail(f"referral#{item.referral_id}")]
    assert actions == [
        ("agent:ayse", "created"),
        ("system:referrals", "disclosed_to_unit"),
        ("unit:ogrenciisleri@ostimteknik.edu.tr", "read_question"),
        ("unit:ogrenciisleri@ostimteknik.edu.tr", "answered"),
        ("agent:ayse", "claimed"),
        ("agent:ayse", "returned_to_caller"),
        ("agent:ayse", "closed"),
    ]  # lists show no question, answer or address; the refused claim showed nothing
    with time_machine.travel(T0 + timedelta(hours=6), tick=False):
        call(client, "GET", f"/referrals/{item.referral_id}", agent="mehmet")
    assert ("agent:mehmet", "read") in [(e.actor, e.action) for e in audit.trail(f"referral#{item.referral_id}")]


def test_the_unit_sees_who_asked_only_with_consent(env):
    client, _ = env
    with time_machine.travel(T0, tick=False):
        a_call(client)
        refer(client, consent=True, caller_name="Zeynep Kaya")
        a_call(client, "call-9", "+905339876543")
        refer(client, contact_id="call-9", caller_name="Deniz Ak")
    with_consent, without = sent()
    assert "Zeynep Kaya, +905321234567" in text_of(with_consent) and "Zeynep Kaya" in html_of(with_consent)
    assert "Deniz Ak" not in text_of(without) + html_of(without) and "+905339876543" not in text_of(without)
    # Without consent the name is not even kept.
    [item] = [i for i in store.with_status(Status.SENT) if i.contact_id == "call-9"]
    assert item.caller_name is None and item.caller_number is None


def test_asking_twice_changes_nothing(env):
    client, _ = env
    with time_machine.travel(T0, tick=False):
        a_call(client)
        first, second = refer(client), refer(client, question="Başka bir ifadeyle aynı soru, yeniden.")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json_body["referral_id"] == second.json_body["referral_id"]
    assert second.json_body["question"] == QUESTION and len(sent()) == 1


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"unit_id": None}, 400, "unit_id"),
        ({"unit_id": "yok-boyle-birim"}, 400, "unit_id"),
        ({"return_channel": "FAX"}, 400, "return_channel"),
        ({"category": "spam"}, 400, "category"),
        ({"question": "?"}, 400, "question"),
        ({"return_channel": "EMAIL"}, 400, "return_address"),
        ({"return_channel": "EMAIL", "return_address": "not-an-address"}, 400, "return_address"),
        ({"return_channel": "SMS", "return_address": "12345", "sms_consent": True}, 400, "return_address"),
        ({"return_channel": "SMS", "return_address": "+903123861092", "sms_consent": True}, 400, "return_address"),
        ({"return_channel": "SMS", "return_address": "+905321234567"}, 400, "sms_consent"),
        ({"return_channel": "SMS", "sms_consent": "maybe"}, 400, "sms_consent"),
        ({"consent": "maybe"}, 400, "consent"),
        ({"contact_id": "never-seen"}, 404, "contact_id"),
        ({"surprise": 1}, 400, "surprise"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(env, overrides, status, field):
    client, _ = env
    a_call(client)
    body = {k: v for k, v in overrides.items() if v is not None}
    drop = [k for k, v in overrides.items() if v is None]
    response = refer(client, **body) if not drop else _refer_without(client, drop)
    assert response.status_code == status and response.json_body["field"] == field
    assert sent() == []


def _refer_without(client, keys):
    body = {"contact_id": "call-1", "question": QUESTION, "category": "bilgi", "return_channel": "VOICE"}
    return client.http.post(
        "/referrals",
        headers={**JSON, "X-Agent-Id": "ayse"},
        body=json.dumps({k: v for k, v in body.items() if k not in keys}).encode(),
    )


def test_a_withheld_number_needs_a_return_address(env):
    client, _ = env
    a_call(client, number="anonymous")
    refused = refer(client)
    assert refused.status_code == 400 and refused.json_body["field"] == "return_address"
    by_sms = refer(client, return_channel="SMS", return_address="+90 532 123 45 67", sms_consent=True)
    assert by_sms.json_body["return_channel"] == "SMS" and by_sms.json_body["sms_consent"] is True


def test_no_identity_no_api(env):
    client, _ = env
    assert refer(client, agent=None).status_code == 401
    assert client.http.get("/referrals").status_code == 401


# --- the reply link --------------------------------------------------------------------------------------


def _referred(client) -> tuple[str, str]:
    with time_machine.travel(T0, tick=False):
        a_call(client)
        referral = refer(client).json_body
    return referral["referral_id"], link_in(sent()[-1])


def test_forged_altered_and_expired_links_get_a_clear_page(env):
    client, _ = env
    referral_id, path = _referred(client)
    token = path.rsplit("/", 1)[1]
    rid, recipient, expires, kid, signature = token.split(".")
    forged = [
        "/reply/nonsense",
        f"/reply/{rid}.{recipient}.{int(expires) + 86400}.{kid}.{signature}",  # later expiry
        f"/reply/{rid}.1.{expires}.{kid}.{signature}",  # another recipient
        f"/reply/{rid}.{recipient}.{expires}.{kid}.{'A' * 32}",
        "/reply/" + "x" * 5000,
    ]
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        for bad in forged:
            response = client.http.get(bad)
            assert response.status_code == 403 and "Geçersiz bağlantı" in page(response), bad
            assert reply(client, bad, action="answer", answer="Yanıt").status_code == 403
    assert store.get_referral(referral_id).status == Status.SENT
    with time_machine.travel(datetime.fromtimestamp(int(expires), UTC), tick=False):
        expired = client.http.get(path)
        late = reply(client, path, action="answer", answer="Geç yanıt")
    assert expired.status_code == late.status_code == 410 and "süresi doldu" in page(expired)
    assert "ÇİM-2026-000001" in page(expired) and QUESTION not in page(expired)
    assert store.get_referral(referral_id).answer is None


def test_a_second_submit_does_not_overwrite_the_answer(env):
    client, _ = env
    referral_id, path = _referred(client)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        first = reply(client, path, action="answer", answer="İlk yanıt")
        second = reply(client, path, action="answer", answer="İkinci yanıt")
    assert first.status_code == 200 and second.status_code == 200 and "yanıtlandı" in page(second)
    assert store.get_referral(referral_id).answer == "İlk yanıt"


def test_an_empty_answer_is_refused_on_the_page_keeping_what_was_typed(env):
    client, _ = env
    referral_id, path = _referred(client)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        empty = reply(client, path, action="answer", answer=" ", responder_name="Ali")
        bogus = reply(client, path, action="delete")
        script = reply(
            client, path, action="forward", forward_unit="ogrenci-isleri", forward_note="<script>x()</script>"
        )
    assert empty.status_code == 400 and "Lütfen arayana iletilecek yanıtı yazın" in page(empty)
    assert 'value="Ali"' in page(empty)
    assert bogus.status_code == 400
    assert script.status_code == 400 and "<script>x()" not in page(script) and "&lt;script&gt;" in page(script)
    assert store.get_referral(referral_id).status == Status.SENT


def test_not_ours_forwards_the_question_to_the_unit_named(env):
    client, _ = env
    referral_id, path = _referred(client)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        done = reply(
            client, path, action="forward", forward_unit="bilgi-islem", forward_note="Şifre sorunu bizde değil"
        )
    assert done.status_code == 200 and "Bilgi İşlem" in page(done)
    original = store.get_referral(referral_id)
    child = store.get_referral(original.forwarded_to)
    assert original.status == Status.FORWARDED and child.status == Status.SENT
    assert child.forwarded_from == referral_id and child.reference == "ÇİM-2026-000002"
    assert child.question == QUESTION and child.caller_key == original.caller_key
    assert child.created_by == "unit:ogrenciisleri@ostimteknik.edu.tr"
    assert sorted(to(m) for m in sent()[1:]) == ["bilgiislem@ostimteknik.edu.tr", "destek@ostimteknik.edu.tr"]
    assert "Şifre sorunu bizde değil" in (child.notes or [""])[0]
    # The new unit's link works; the old one now says where the question went.
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert "aktarıldı" in page(client.http.get(path))
        assert client.http.get(link_in(sent()[1])).status_code == 200


# --- reminders, escalation, expiry (frozen clock) ----------------------------------------------------------

REMIND = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)  # Wed 09:00: 8 of 16 working hours after Tue 10:00
DUE = datetime(2026, 10, 14, 14, 0, tzinfo=UTC)  # Wed 17:00
EXPIRES = datetime(2026, 10, 20, 10, 0, tzinfo=UTC)  # Tue 20 Oct 13:00: 48 working hours


def test_reminder_at_half_time_escalation_when_overdue_expiry_then_back_to_agents(env):
    client, connect = env
    referral_id, _ = _referred(client)
    item = store.get_referral(referral_id)
    assert (item.remind_at, item.due_at, item.expires_at) == (
        "2026-10-14T06:00:00.000Z",
        "2026-10-14T14:00:00.000Z",
        "2026-10-20T10:00:00.000Z",
    )
    assert run_agenda(REMIND - timedelta(minutes=1), connect=connect).done == {}
    assert run_agenda(REMIND, connect=connect).done == {"remind": 1}
    assert run_agenda(REMIND + timedelta(minutes=10), connect=connect).done == {}
    reminder = sent()[-1]
    assert (
        reminder["Subject"].startswith("[ÇİM-2026-000001] Hatırlatma")
        and to(reminder) == "ogrenciisleri@ostimteknik.edu.tr"
    )
    assert "HATIRLATMA" in text_of(reminder) and link_in(reminder) == link_in(sent()[0])

    # The scheduler ran late, after closing: the escalation waits for the morning.
    evening = datetime(2026, 10, 14, 14, 45, tzinfo=UTC)  # Wed 17:45
    summary = run_agenda(evening, connect=connect)
    assert summary.done == {} and summary.waiting_for_hours == 1
    morning = datetime(2026, 10, 15, 5, 35, tzinfo=UTC)  # Thu 08:35
    assert run_agenda(morning, connect=connect).done == {"escalate": 1}
    deputy, supervisor = sent()[-2:]
    assert to(deputy) == "ogrenciisleri.baskan@ostimteknik.edu.tr" and "SÜRESİ GEÇTİ" in text_of(deputy)
    assert link_in(deputy) != link_in(sent()[0])  # the deputy's own link
    assert to(supervisor) == settings().supervisor_address and QUESTION not in text_of(supervisor)
    assert len(sent()) == 4 and run_agenda(morning + timedelta(hours=1), connect=connect).done == {}

    assert run_agenda(EXPIRES, connect=connect).done == {"expire": 1}
    with time_machine.travel(EXPIRES, tick=False):
        work = call(client, "GET", "/referrals").json_body["referrals"]
        assert [r["status"] for r in work] == [Status.EXPIRED]
        call(client, "POST", f"/referrals/{referral_id}/claim")
        wrong = call(client, "POST", f"/referrals/{referral_id}/close", body={"outcome": "resolved"})
        assert wrong.status_code == 400 and wrong.json_body["field"] == "outcome"
        done = call(client, "POST", f"/referrals/{referral_id}/close", body={"outcome": "informed_no_answer"})
    assert done.json_body["status"] == Status.CLOSED


def test_a_deputy_can_answer_an_escalated_referral(env):
    client, connect = env
    referral_id, _ = _referred(client)
    run_agenda(REMIND, connect=connect)
    run_agenda(DUE, connect=connect)
    deputy = next(m for m in sent() if to(m) == "ogrenciisleri.baskan@ostimteknik.edu.tr")
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        reply(client, link_in(deputy), action="answer", answer="Yanıt gecikti, özür dileriz: e-Devlet yeterli.")
    item = store.get_referral(referral_id)
    assert item.status == Status.ANSWERED and item.answered_by == "unit:ogrenciisleri.baskan@ostimteknik.edu.tr"


# --- failures: nothing lost, nothing doubled ------------------------------------------------------------


class FlakyNotifier:
    """Fails the n-th send; records the rest."""

    def __init__(self, fail_on: set[int]) -> None:
        self.calls, self.fail_on, self.sent = 0, fail_on, []

    def send(self, message):
        self.calls += 1
        if self.calls in self.fail_on:
            raise ConnectionError("SES unavailable")
        self.sent.append(message)
        return f"id-{self.calls}"


def test_a_failed_send_is_retried_by_the_agenda_without_mailing_anyone_twice(env):
    client, connect = env
    notifier = FlakyNotifier(fail_on={2})
    set_notifier(notifier)
    with time_machine.travel(T0, tick=False):
        a_call(client)
        response = refer(client, unit_id="bilgi-islem")  # two addresses: the second send fails
    assert response.status_code == 201 and response.json_body["status"] == Status.OPEN
    assert [m.recipients for m in notifier.sent] == [("bilgiislem@ostimteknik.edu.tr",)]
    summary = run_agenda(T0 + timedelta(minutes=10), notifier=notifier, connect=connect)
    assert summary.done == {"send": 1}
    assert [m.recipients[0] for m in notifier.sent] == ["bilgiislem@ostimteknik.edu.tr", "destek@ostimteknik.edu.tr"]
    assert store.get_referral(response.json_body["referral_id"]).status == Status.SENT


def test_a_task_connect_refused_for_now_is_started_later_once(env):
    client, connect = env
    referral_id, path = _referred(client)
    connect.fail_next(1, ConnectUnavailable)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        reply(client, path, action="answer", answer="Yanıt")
    item = store.get_referral(referral_id)
    assert item.status == Status.ANSWERED and item.task_contact_id is None and item.next_action == "task"
    assert run_agenda(T0 + timedelta(hours=1, minutes=10), connect=connect).done == {"task": 1}
    assert run_agenda(T0 + timedelta(hours=2), connect=connect).done == {}
    assert len([p for p in connect.placements() if p.get("mode") == "referral_task"]) == 1


def test_an_email_return_sends_the_answer_to_the_caller(env):
    client, _ = env
    with time_machine.travel(T0, tick=False):
        a_call(client)
        referral = refer(client, return_channel="EMAIL", return_address="Ogrenci@Example.com").json_body
    path = link_in(sent()[0])
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        reply(client, path, action="answer", answer="Transkript aslı gerekmez.")
        call(client, "POST", f"/referrals/{referral['referral_id']}/claim")
        returned = call(client, "POST", f"/referrals/{referral['referral_id']}/return").json_body
        # The agent's second click (their first answer was lost): the same referral, no second e-mail.
        twice = call(client, "POST", f"/referrals/{referral['referral_id']}/return")
        someone_else = call(client, "POST", f"/referrals/{referral['referral_id']}/return", agent="mehmet")
        closed = call(client, "POST", f"/referrals/{referral['referral_id']}/close", body={"outcome": "resolved"})
        closed_again = call(client, "POST", f"/referrals/{referral['referral_id']}/close", body={"outcome": "resolved"})
        other_outcome = call(
            client, "POST", f"/referrals/{referral['referral_id']}/close", body={"outcome": "caller_unreachable"}
        )
    assert returned["status"] == Status.RETURNED
    assert twice.status_code == 200 and twice.json_body["status"] == Status.RETURNED
    assert someone_else.status_code == 409
    assert closed.status_code == 200 and closed_again.status_code == 200
    assert closed_again.json_body["status"] == Status.CLOSED and other_outcome.status_code == 409
    answer_mail = sent()[-1]
    assert to(answer_mail) == "ogrenci@example.com" and "Transkript aslı gerekmez." in text_of(answer_mail)
    assert len(sent()) == 2


def test_cancel_stops_the_agenda(env):
    client, connect = env
    referral_id, path = _referred(client)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        cancelled = call(client, "POST", f"/referrals/{referral_id}/cancel", body={"note": "Arayan vazgeçti"})
        assert cancelled.json_body["status"] == Status.CANCELLED
        assert "iptal" in page(client.http.get(path))
    assert run_agenda(DUE, connect=connect).done == {}


# --- the units directory ---------------------------------------------------------------------------------


def test_the_supervisor_keeps_the_units_directory(env):
    client, _ = env
    unit = {
        "name_tr": "Kariyer Merkezi",
        "name_en": "Career Centre",
        "emails": ["Kariyer@ostimteknik.edu.tr"],
        "deputy_email": "kariyer.mudur@ostimteknik.edu.tr",
        "target_hours": 12,
    }
    headers = {**JSON, "X-Agent-Id": "supervisor", "X-Groups": "supervisors"}
    saved = client.http.put("/units/kariyer", headers=headers, body=json.dumps(unit).encode())
    assert saved.status_code == 200 and saved.json_body["emails"] == ["kariyer@ostimteknik.edu.tr"]
    listed = client.http.get("/units", headers=headers).json_body
    assert listed["count"] == 11 and "kariyer" in [u["unit_id"] for u in listed["units"]]
    bad = client.http.put("/units/kariyer", headers=headers, body=json.dumps(unit | {"emails": ["yok"]}).encode())
    assert bad.status_code == 400 and bad.json_body["field"] == "emails"
    bad_id = client.http.put("/units/Kariyer Merkezi", headers=headers, body=json.dumps(unit).encode())
    assert bad_id.status_code == 400 and bad_id.json_body["field"] == "unit_id"
    assert client.http.get("/units/yok", headers=headers).status_code == 404
