"""Every response that carries a question, an answer, a caller's name or an unmasked number or address
has an audit entry written by that request: who (the route's caller), when (the request's instant),
which record (directive 9(1), KVKK art. 12) — whatever route, and however often it is asked.

Walks `app.routes` (like test_access.py), so a new route cannot ship without a step here. Every step
is sent twice, since a repeated request (an idempotent create, a second click on "claim") must be
audited as the first one is. The tables hold what the centre holds: a caller who asked for a
callback and whose question went to a unit with consent and came back answered, a data-subject
request, a disclosure, an incident, agents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import boto3
import pytest
import time_machine
from botocore.stub import Stubber

from app import app
from chalicelib.accounts.store import AgentItem
from chalicelib.adapters.audit import AuditItem
from chalicelib.adapters.connect import set_connect
from chalicelib.adapters.connect_hours import set_connect_hours
from chalicelib.adapters.connect_users import set_connect_users
from chalicelib.adapters.functions import set_functions
from chalicelib.adapters.mail import set_notifier
from chalicelib.callbacks.rules import callback_id_for
from chalicelib.core.config import settings
from chalicelib.core.phones import caller_key
from chalicelib.health import service as health
from chalicelib.referrals import store as referral_store
from chalicelib.referrals import units
from chalicelib.referrals.mailing import reply_link
from chalicelib.referrals.rules import referral_id_for
from chalicelib.web.access import RULES, Rule
from cli.embedded.connect import SimulatedConnect, SimulatedConnectHours, SimulatedConnectUsers
from cli.embedded.functions import LocalFunctions
from cli.simulator import shapes as shapes

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
T0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
NUMBER = "+905321234567"
EMAIL = "zeynep.kaya@example.com"
CALLER_NAME = "Zeynep Kaya"
QUESTION = "Yatay geçiş başvurusunda transkript aslı mı isteniyor"
ANSWER = "e-Devlet çıktısı yeterlidir"
AGENT, SUPERVISOR = "ayse", "basin"
SECRET_KEYS = ("question", "answer", "caller_name")
E164 = re.compile(r"\+[1-9]\d{7,14}")  # a number in full; masked ones carry '*'
RECORD_KEYS = {"referral_id": "referral", "callback_id": "callback", "contact_id": "contact"}
REFERRAL = {
    "contact_id": "call-2",
    "unit_id": "ogrenci-isleri",
    "question": QUESTION,
    "category": "başvuru",
    "return_channel": "EMAIL",
    "return_address": EMAIL,
    "consent": True,
    "caller_name": CALLER_NAME,
}
ROUTES = sorted((path, method) for path, methods in app.routes.items() for method in methods)


@dataclass
class Step:
    route: tuple[str, str]  # as in app.routes: ("/referrals/{referral_id}", "GET")
    path: Callable[[dict], str]
    body: dict | str | None = None  # a str is a form (the reply page)
    keep: Callable[[dict, Any], None] = lambda ctx, response: None  # remember ids for later steps


@dataclass
class Finding:
    step: str
    what: str
    subjects: set[str] = field(default_factory=set)


def walk() -> list[Step]:
    r1 = referral_id_for("call-2", "ogrenci-isleri")
    r2 = referral_id_for("call-2", "bilgi-islem")
    c1 = callback_id_for("call-1")
    unit = json.loads(SEED.read_text(encoding="utf-8"))[0] | {"target_hours": 20}
    unit.pop("unit_id")

    def keep(name: str, key: str):
        return lambda ctx, response: ctx.setdefault(name, response.json_body[key])

    return [
        Step(
            ("/agents", "POST"),
            lambda c: "/agents",
            {"username": "yeni.temsilci", "first_name": "Can", "last_name": "Er"},
        ),
        Step(("/agents", "GET"), lambda c: "/agents"),
        Step(("/agents/{username}", "GET"), lambda c: "/agents/yeni.temsilci"),
        Step(("/agents/{username}/audit", "GET"), lambda c: "/agents/yeni.temsilci/audit"),
        Step(("/agents/{username}/training", "POST"), lambda c: "/agents/yeni.temsilci/training", {}),
        Step(("/agents/{username}/deactivate", "POST"), lambda c: "/agents/yeni.temsilci/deactivate", {}),
        Step(("/me", "GET"), lambda c: "/me"),
        Step(("/local/accounts", "GET"), lambda c: "/local/accounts"),
        Step(("/contacts/recent", "GET"), lambda c: "/contacts/recent"),
        Step(("/contacts/{contact_id}", "GET"), lambda c: "/contacts/call-2"),
        Step(("/contacts/{contact_id}/category", "POST"), lambda c: "/contacts/call-2/category", {"category": "bilgi"}),
        Step(("/units", "GET"), lambda c: "/units"),
        Step(("/units/{unit_id}", "GET"), lambda c: "/units/ogrenci-isleri"),
        Step(("/units/{unit_id}", "PUT"), lambda c: "/units/ogrenci-isleri", unit),
        Step(
            ("/referrals", "POST"),
            lambda c: "/referrals",
            REFERRAL,
            lambda ctx, response: ctx.setdefault("link", _reply_path(response.json_body["referral_id"])),
        ),
        Step(("/reply/{token}", "GET"), lambda c: c["link"]),
        Step(("/reply/{token}", "POST"), lambda c: c["link"], urlencode({"action": "answer", "answer": ""})),
        Step(("/reply/{token}", "POST"), lambda c: c["link"], urlencode({"action": "answer", "answer": ANSWER})),
        Step(("/referrals", "GET"), lambda c: "/referrals"),
        Step(("/referrals/{referral_id}", "GET"), lambda c: f"/referrals/{r1}"),
        Step(("/referrals/{referral_id}/claim", "POST"), lambda c: f"/referrals/{r1}/claim", {}),
        Step(("/referrals/{referral_id}", "GET"), lambda c: f"/referrals/{r1}"),
        Step(("/referrals/{referral_id}/return", "POST"), lambda c: f"/referrals/{r1}/return", {}),
        Step(("/referrals/{referral_id}/close", "POST"), lambda c: f"/referrals/{r1}/close", {"outcome": "resolved"}),
        Step(("/referrals", "GET"), lambda c: "/referrals?status=CLOSED"),
        Step(
            ("/referrals", "POST"),
            lambda c: "/referrals",
            {
                "contact_id": "call-2",
                "unit_id": "bilgi-islem",
                "question": QUESTION,
                "category": "bilgi",
                "return_channel": "VOICE",
            },
        ),
        Step(("/referrals/{referral_id}/cancel", "POST"), lambda c: f"/referrals/{r2}/cancel", {}),
        Step(("/callbacks", "GET"), lambda c: "/callbacks"),
        Step(("/callbacks/{callback_id}", "GET"), lambda c: f"/callbacks/{c1}"),
        Step(("/callbacks/{callback_id}/claim", "POST"), lambda c: f"/callbacks/{c1}/claim", {}),
        Step(("/callbacks", "GET"), lambda c: "/callbacks"),
        Step(("/callbacks", "GET"), lambda c: f"/callbacks?status=CLAIMED&agent={AGENT}"),
        Step(("/work", "GET"), lambda c: "/work"),
        Step(("/callbacks/{callback_id}", "GET"), lambda c: f"/callbacks/{c1}"),
        Step(
            ("/callbacks/{callback_id}/complete", "POST"),
            lambda c: f"/callbacks/{c1}/complete",
            {"outcome": "COMPLETED"},
        ),
        Step(
            ("/incidents", "POST"),
            lambda c: "/incidents",
            {"category": "headset", "severity": "high", "description": "Kulaklık cızırdıyor"},
            keep("incident", "incident_id"),
        ),
        Step(("/incidents", "GET"), lambda c: "/incidents"),
        Step(("/incidents/{incident_id}", "GET"), lambda c: f"/incidents/{c['incident']}"),
        Step(("/incidents/{incident_id}/acknowledge", "POST"), lambda c: f"/incidents/{c['incident']}/acknowledge", {}),
        Step(
            ("/incidents/{incident_id}/resolve", "POST"),
            lambda c: f"/incidents/{c['incident']}/resolve",
            {"resolution": "Değiştirildi"},
        ),
        Step(("/health", "GET"), lambda c: "/health"),
        Step(("/live", "GET"), lambda c: "/live"),
        Step(("/live/thresholds", "GET"), lambda c: "/live/thresholds"),
        Step(
            ("/live/thresholds", "PUT"),
            lambda c: "/live/thresholds",
            {"longest_wait_seconds": 90, "lost_last_30_minutes": 4, "callbacks_overdue": 2},
        ),
        Step(("/reports/{month}/rebuild", "POST"), lambda c: "/reports/2026-10/rebuild", {}),
        Step(("/reports/{month}/send", "POST"), lambda c: "/reports/2026-09/send", {}),
        Step(("/reports", "GET"), lambda c: "/reports"),
        Step(("/reports/{month}/html", "GET"), lambda c: "/reports/2026-09/html"),
        Step(("/reports/{month}/workbook", "GET"), lambda c: "/reports/2026-09/workbook"),
        Step(("/reports/{month}", "GET"), lambda c: "/reports/2026-10"),
        Step(
            ("/privacy/disclosures", "POST"),
            lambda c: "/privacy/disclosures",
            {"number": NUMBER, "basis": "consent", "consent_reference": "Dilekçe 2026/41"},
        ),
        Step(("/privacy/disclosures", "GET"), lambda c: "/privacy/disclosures?month=2026-10"),
        Step(
            ("/privacy/requests", "POST"),
            lambda c: "/privacy/requests",
            {"kind": "access", "number": NUMBER, "identified_by": "T.C. kimlik kartı, yüz yüze"},
            keep("request", "request_id"),
        ),
        Step(("/privacy/requests", "GET"), lambda c: "/privacy/requests"),
        Step(
            ("/privacy/requests/{request_id}/fulfil", "POST"), lambda c: f"/privacy/requests/{c['request']}/fulfil", {}
        ),
        Step(("/privacy/requests", "GET"), lambda c: "/privacy/requests?state=FULFILLED"),
        Step(("/closures", "POST"), lambda c: "/closures", {"date": "2026-10-16", "reason": "İdari izin"}),
        Step(("/closures", "GET"), lambda c: "/closures"),
        Step(("/hours", "GET"), lambda c: "/hours?at=2026-10-16T10:00:00%2B03:00"),
        Step(("/closures/{day}", "DELETE"), lambda c: "/closures/2026-10-16"),
    ]


@pytest.fixture
def world(client, tmp_path, monkeypatch):
    """The centre's tables with a caller's callback, an answered-to-be referral with consent, and agents."""
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
    units.seed_units(units.parse_seed(SEED.read_text(encoding="utf-8")), by="test")
    set_connect(SimulatedConnect(now=lambda: T0))
    set_connect_users(SimulatedConnectUsers())
    set_connect_hours(SimulatedConnectHours())
    set_notifier(None)
    set_functions(LocalFunctions(wait=True))  # a report sent from the console: the report function, here
    monkeypatch.setattr(health, "ses_client", _ses_for_health)  # moto has no GetAccountSendingEnabled
    for username in (AGENT, SUPERVISOR):
        AgentItem(
            username,
            first_name="Ad",
            last_name="Soyad",
            status="ACTIVE",
            connect_user_id=f"user-{username}",
            connect_user_arn=f"arn:aws:connect:eu-central-1:1:instance/i/agent/user-{username}",
            routing_profile_id="rp",
            security_profile_ids={"sp"},
            created_at="2026-09-01T06:00:00.000Z",
            created_by="test",
        ).save()
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        flow = shapes.flow_invocation("call-1", customer_number=NUMBER, parameters={"action": "request_callback"})
        client.lambda_.invoke("contact_flow", flow)
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-2", customer_number=NUMBER))
        yield client
    set_connect(None)
    set_connect_users(None)
    set_connect_hours(None)
    set_notifier(None)
    set_functions(None)


def _ses_for_health():
    client = boto3.client("ses", region_name=settings().region)
    stub = Stubber(client)
    stub.add_response("get_send_quota", {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 1.0})
    stub.add_response("get_account_sending_enabled", {"Enabled": True})
    stub.activate()
    return client


def _reply_path(referral_id: str) -> str:
    """The path of the link the unit's first address was e-mailed."""
    return urlparse(reply_link(referral_store.get_referral(referral_id), 0, settings())).path


def _entries() -> dict[tuple[str, str], AuditItem]:
    return {(e.subject, e.entry): e for e in AuditItem.scan()}


def _send(client, step: Step, ctx: dict):
    path, method = step.path(ctx), step.route[1]
    if RULES[step.route] == Rule.SIGNED_LINK:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
    else:
        who = SUPERVISOR if RULES[step.route] == Rule.SUPERVISOR else AGENT
        headers = {"Content-Type": "application/json", "X-Agent-Id": who, "X-Groups": "agents,supervisors"}
    if method == "GET":
        return client.http.get(path, headers=headers)
    body = step.body if isinstance(step.body, str) else json.dumps(step.body or {})
    return client.http.request(method, path, headers=headers, body=body.encode())


def _strings(value: Any, record: str | None = None):
    """(string, the record it belongs to, the key it is under) for every string in a JSON body."""
    if isinstance(value, dict):
        here = next((f"{kind}#{value[key]}" for key, kind in RECORD_KEYS.items() if value.get(key)), record)
        for key, item in value.items():
            if isinstance(item, str):
                yield item, here, key
            else:
                yield from _strings(item, here)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, record)


def exposures(response, known: dict[str, set[str]]) -> list[tuple[str, set[str]]]:
    """What the response shows that must be audited, each with the subjects an entry may be filed under."""
    found: list[tuple[str, set[str]]] = []
    body = response.body.decode() if isinstance(response.body, bytes) else str(response.body)
    is_page = body.lstrip().startswith("<")
    strings = [(body, None, None)] if is_page else list(_strings(json.loads(body)))
    for text, record, key in strings:
        here = {record} if record else set()
        if key in SECRET_KEYS:
            found.append((f"{key} of {record}", here))
        if key == "return_address" and "@" in text and "*" not in text:
            found.append((f"return address of {record}", here))
        for secret, subjects in known.items():
            if secret in text:
                found.append((f"'{secret[:20]}…' in {key or 'the page'}", here | subjects))
        for number in set(E164.findall(text)) - {settings().centre_number}:  # the centre's own is public
            owners = {s for secret, subjects in known.items() if secret in number for s in subjects}
            found.append((f"a number in full in {key or 'the page'}", here | owners | {f"caller#{caller_key(number)}"}))
    return found


def _actor_of(step: Step) -> str:
    rule = RULES[step.route]
    return "unit:" if rule == Rule.SIGNED_LINK else f":{SUPERVISOR if rule == Rule.SUPERVISOR else AGENT}"


def _audited(entries: list[AuditItem], actor: str, subjects: set[str], at: datetime) -> bool:
    def by_actor(entry: AuditItem) -> bool:
        return entry.actor.startswith(actor) if actor.endswith(":") else entry.actor.endswith(actor)

    return any(
        entry.subject in subjects and by_actor(entry) and datetime.fromisoformat(entry.at) == at for entry in entries
    )


def test_the_walk_reaches_every_route():
    assert sorted({step.route for step in walk()}) == ROUTES


def test_every_response_carrying_personal_data_is_audited(world):
    client = world
    r1 = referral_id_for("call-2", "ogrenci-isleri")
    c1 = callback_id_for("call-1")
    known = {
        QUESTION: {f"referral#{r1}", f"referral#{referral_id_for('call-2', 'bilgi-islem')}"},
        ANSWER: {f"referral#{r1}"},
        CALLER_NAME: {f"referral#{r1}"},
        EMAIL: {f"referral#{r1}"},
        NUMBER[3:]: {f"callback#{c1}", f"referral#{r1}", f"caller#{caller_key(NUMBER)}"},
    }
    ctx: dict = {}
    findings: list[Finding] = []
    shown = 0
    for number, step in enumerate(walk()):
        for attempt in (1, 2):
            at = T0 + timedelta(minutes=2 * number + attempt)
            before = _entries()
            with time_machine.travel(at, tick=False):
                response = _send(client, step, ctx)
            assert response.status_code != 500, (step.route, response.body)
            if attempt == 1 and response.status_code < 300:
                step.keep(ctx, response)
            new = [entry for key, entry in _entries().items() if key not in before]
            label = f"{step.route[1]} {step.path(ctx)} (#{attempt}, {response.status_code})"
            for what, subjects in exposures(response, known):
                shown += 1
                if not _audited(new, _actor_of(step), subjects, at):
                    findings.append(Finding(label, what, subjects))
    assert shown > 20  # the walk did show personal data: the check below is not vacuous
    assert not findings, "\n".join(f"{f.step}: {f.what} unaudited (subjects {sorted(f.subjects)})" for f in findings)


def test_lists_carry_no_question_or_answer(world):
    client = world
    with time_machine.travel(T0, tick=False):
        headers = {"Content-Type": "application/json", "X-Agent-Id": AGENT}
        assert client.http.post("/referrals", headers=headers, body=json.dumps(REFERRAL)).status_code == 201
        for path in ("/referrals?status=SENT", "/referrals?status=SENT&unit=ogrenci-isleri"):
            listed = client.http.get(path, headers=headers).json_body["referrals"]
            assert listed and all(not set(item) & set(SECRET_KEYS) for item in listed), path
