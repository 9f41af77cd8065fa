"""The agents' panel's routes (issue 15) through chalice's test client against moto: the contact card
with the caller's history, classifying a contact, the agent's work, who is signed in, and the local
sign-in stand-in. Contacts arrive through the deployed handlers in the shapes AWS publishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from chalice.test import Client

from app import app
from chalicelib.adapters.audit import trail
from chalicelib.adapters.connect import set_connect
from chalicelib.callbacks import store as callback_store
from chalicelib.callbacks.rules import Status as CallbackStatus
from chalicelib.callbacks.rules import callback_id_for
from chalicelib.core.phones import caller_key, mask
from chalicelib.referrals import store as referral_store
from chalicelib.referrals.rules import Status as ReferralStatus
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes
from tests.integration.test_callbacks_api import make_callback

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul
AGENT = {"X-Agent-Id": "ayse", "Content-Type": "application/json"}
OTHER = {"X-Agent-Id": "mehmet", "Content-Type": "application/json"}


@pytest.fixture
def connect(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    sim = SimulatedConnect(now=lambda: T0)
    set_connect(sim)
    yield sim
    set_connect(None)


@pytest.fixture
def client(aws, connect):
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False), Client(app, stage_name="local") as c:
        yield c


def live_call(client, cid: str, start: datetime) -> None:
    """A call with an agent right now: its events so far (the trace record comes when it ends)."""
    q, a = shapes.queue_arn(), shapes.agent_arn()
    enq, conn = start + timedelta(seconds=20), start + timedelta(seconds=35)
    for event in (
        shapes.contact_event("INITIATED", cid, initiation=start, time=start),
        shapes.contact_event("QUEUED", cid, initiation=start, time=enq, queue_arn=q, enqueued=enq),
        shapes.contact_event(
            "CONNECTED_TO_AGENT",
            cid,
            initiation=start,
            time=conn,
            queue_arn=q,
            enqueued=enq,
            agent_arn=a,
            connected_to_agent=conn,
        ),
    ):
        client.lambda_.invoke("contact_events", event)
    # The flow's Lambda block, before the queue: the only input of a live call that carries the number.
    client.lambda_.invoke("contact_flow", shapes.flow_invocation(cid, attributes={"category": "istek"}))


def call(client, cid: str, start: datetime, *, answered: bool, reason: str, category: str | None = None) -> None:
    """One inbound call from shapes.CUSTOMER_NUMBER: its events and its trace record, through the handlers."""
    q, a = shapes.queue_arn(), shapes.agent_arn()
    enq, conn, end = start + timedelta(seconds=20), start + timedelta(seconds=35), start + timedelta(minutes=4)
    agent = {"agent_arn": a, "connected_to_agent": conn} if answered else {}
    for event in (
        shapes.contact_event("INITIATED", cid, initiation=start, time=start),
        shapes.contact_event("QUEUED", cid, initiation=start, time=enq, queue_arn=q, enqueued=enq),
        shapes.contact_event(
            "DISCONNECTED", cid, initiation=start, time=end, queue_arn=q, enqueued=enq, disconnected=end, **agent
        ),
    ):
        client.lambda_.invoke("contact_events", event)
    record = shapes.ctr(
        cid,
        initiation=start,
        disconnected=end,
        disconnect_reason=reason,
        queue={"arn": q, "name": "Genel", "enqueue": enq},
        agent={"arn": a, "username": "ayse", "connected": conn, "interaction": 180} if answered else None,
        attributes={"category": category} if category else None,
    )
    client.lambda_.invoke("contact_trace_records", shapes.kinesis_event(record))


def test_a_contact_not_recorded_yet_is_said_to_be_arriving(client):
    response = client.http.get("/contacts/not-yet", headers=AGENT)
    assert response.status_code == 404
    assert response.json_body["field"] == "contact_id"
    assert "retry in a few seconds" in response.json_body["message"]


def test_the_card_shows_the_call_and_the_callers_history_with_the_waiting_answer_first(client):
    call(client, "earlier", T0 - timedelta(days=1), answered=True, reason="AGENT_DISCONNECT", category="bilgi")
    call(client, "lost", T0 - timedelta(hours=2), answered=False, reason="CUSTOMER_DISCONNECT")
    live_call(client, "now", T0)
    referral = referral_store.ReferralItem(
        "rf-1",
        reference="ÇİM-2026-000007",
        contact_id="earlier",
        unit_id="ogrenci-isleri",
        unit_name="Öğrenci İşleri Daire Başkanlığı",
        category="bilgi",
        status=ReferralStatus.ANSWERED,
        question="Sınav tarihleri ne zaman açıklanır",
        return_channel="VOICE",
        created_at="2026-10-13T07:10:00.000Z",
        answered_at="2026-10-13T12:00:00.000Z",
        due_at="2026-10-14T07:10:00.000Z",
        created_month="2026-10",
        created_by="ayse",
        target_hours=16,
        caller_key=caller_key(shapes.CUSTOMER_NUMBER),
    )
    referral.save()

    card = client.http.get("/contacts/now", headers=AGENT).json_body
    assert card["channel"] == "VOICE" and card["status"] == "WITH_AGENT"
    assert card["wait_seconds"] == 15 and card["category"] == "istek"
    assert card["caller"] == mask(shapes.CUSTOMER_NUMBER) and "*" in card["caller"]
    history = card["history"]
    assert [a["reference"] for a in history["answers_waiting"]] == ["ÇİM-2026-000007"]
    assert [c["contact_id"] for c in history["contacts"]] == ["lost", "earlier"]  # newest first, not itself
    assert history["callback"]["callback_id"] == callback_id_for("lost")  # the lost call's, still open
    assert history["callback"]["reason"] == "abandoned"
    assert [r["status"] for r in history["referrals"]] == ["ANSWERED"]
    text = str(card)
    assert shapes.CUSTOMER_NUMBER not in text and "Sınav" not in text  # no number, no question
    [entry] = [e for e in trail("contact#now") if e.action == "read_card"]
    assert entry.actor == "agent:ayse"


def test_a_contact_with_no_number_has_no_history(client):
    chat = shapes.ctr("chat-1", channel="CHAT", customer_number=None, disconnect_reason="AGENT_DISCONNECT")
    client.lambda_.invoke("contact_trace_records", shapes.kinesis_event(chat))
    card = client.http.get("/contacts/chat-1", headers=AGENT).json_body
    assert card["caller"] is None
    assert card["history"] == {"answers_waiting": [], "contacts": [], "callback": None, "referrals": []}


def test_classifying_records_a_fact_and_sets_the_connect_attribute(client, connect):
    call(client, "c1", T0, answered=True, reason="AGENT_DISCONNECT", category="bilgi")
    response = client.http.post("/contacts/c1/category", headers=AGENT, body='{"category": "Şikayet"}')
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"contact_id": "c1", "category": "şikayet", "connect_updated": True}
    assert client.http.get("/contacts/c1", headers=AGENT).json_body["category"] == "şikayet"
    assert connect.attributes_of("c1") == {"category": "şikayet"}
    assert [e.detail for e in trail("contact#c1") if e.action == "classified"] == ["şikayet"]


def test_classifying_out_of_scope_withdraws_the_callback_nobody_acted_on(client):
    call(client, "lost", T0 - timedelta(minutes=20), answered=False, reason="CUSTOMER_DISCONNECT")
    assert callback_store.get_callback(callback_id_for("lost")).status == CallbackStatus.PENDING
    client.http.post("/contacts/lost/category", headers=AGENT, body='{"category": "kapsam_dışı"}')
    assert callback_store.get_callback(callback_id_for("lost")) is None  # withdrawn: nobody had touched it


def test_a_classification_connect_cannot_take_still_stands(client, connect):
    call(client, "c2", T0, answered=True, reason="AGENT_DISCONNECT")
    connect.fail_next()
    response = client.http.post("/contacts/c2/category", headers=AGENT, body='{"category": "öneri"}')
    assert response.status_code == 200 and response.json_body["connect_updated"] is False
    assert response.json_body["category"] == "öneri"


@pytest.mark.parametrize(
    ("contact", "body", "status", "field"),
    [
        ("c3", '{"category": "dedikodu"}', 400, "category"),
        ("c3", '{"kategori": "bilgi"}', 400, "category"),
        ("nobody", '{"category": "bilgi"}', 404, "contact_id"),
    ],
)
def test_a_bad_classification_names_the_field(client, contact, body, status, field):
    call(client, "c3", T0, answered=True, reason="AGENT_DISCONNECT")
    response = client.http.post(f"/contacts/{contact}/category", headers=AGENT, body=body)
    assert response.status_code == status and response.json_body["field"] == field


def test_recent_contacts_are_todays_newest_first(client):
    call(client, "yesterday", T0 - timedelta(days=1), answered=True, reason="AGENT_DISCONNECT")
    call(client, "morning", T0 - timedelta(hours=1), answered=True, reason="AGENT_DISCONNECT")
    call(client, "now", T0, answered=False, reason="CUSTOMER_DISCONNECT")
    body = client.http.get("/contacts/recent?limit=5", headers=AGENT).json_body
    assert [c["contact_id"] for c in body["contacts"]] == ["now", "morning"]
    assert body["contacts"][0]["caller"] == mask(shapes.CUSTOMER_NUMBER)
    assert client.http.get("/contacts/recent?limit=0", headers=AGENT).json_body["field"] == "limit"


def test_my_work_puts_my_claims_first_then_system_drops_then_the_oldest(client):
    make_callback("cb-abandoned-old", reason="abandoned", due_at="2026-10-14T06:00:00.000Z")
    make_callback("cb-drop", reason="system_drop", due_at="2026-10-14T06:30:00.000Z")
    make_callback("cb-mine", status=CallbackStatus.CLAIMED, claimed_by="ayse", due_at="2026-10-14T06:50:00.000Z")
    make_callback("cb-theirs", status=CallbackStatus.CLAIMED, claimed_by="mehmet")
    work = client.http.get("/work", headers=AGENT).json_body
    assert [c["callback_id"] for c in work["callbacks"]] == ["cb-mine", "cb-drop", "cb-abandoned-old"]
    assert work["callbacks"][0]["caller"] == "+905321234567"  # my claim: in full, and audited
    assert work["callbacks"][1]["caller"] == mask("+905321234567")
    assert [e.action for e in trail("callback#cb-mine")] == ["read_number"]
    assert work["counts"] == {"callbacks": 3, "answers": 0, "expired": 0}
    theirs = client.http.get("/work", headers=OTHER).json_body
    assert [c["callback_id"] for c in theirs["callbacks"]] == ["cb-theirs", "cb-drop", "cb-abandoned-old"]


def test_who_am_i(client):
    me = client.http.get("/me", headers={"X-Agent-Id": "basin", "X-Groups": "supervisors"}).json_body
    assert me == {"username": "basin", "role": "supervisor", "status": "ACTIVE", "groups": ["supervisors"]}


def test_the_local_stand_in_lists_accounts_without_names(client):
    body = client.http.get("/local/accounts?limit=200").json_body
    accounts = {a["username"]: a for a in body["accounts"]}
    assert accounts["ayse"] == {"username": "ayse", "role": "agent", "status": "ACTIVE"}
    assert accounts["basin"]["role"] == "supervisor"
    assert "Test" not in str(body)  # first names stay out


def test_an_agent_sees_their_own_incident_reports(client):
    for headers, text in ((AGENT, "Kulaklık cızırdıyor"), (OTHER, "CCP açılmıyor")):
        body = f'{{"category": "headset", "severity": "low", "description": "{text}"}}'
        assert client.http.post("/incidents", headers=headers, body=body).status_code == 201
    mine = client.http.get("/incidents?mine=true", headers=AGENT).json_body["incidents"]
    assert [i["description"] for i in mine] == ["Kulaklık cızırdıyor"]
