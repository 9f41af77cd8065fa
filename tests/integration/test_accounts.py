"""Agent accounts through the API (chalice's test client) against DynamoDB in moto, with the
simulated Connect users twin as the fake: create, train, deactivate, every change audited."""

from __future__ import annotations

import json
import logging

import pytest

from chalicelib.accounts import store
from chalicelib.accounts.rules import Status, meets_password_policy
from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_users import NewConnectUser, set_connect_users
from chalicelib.core.config import settings
from cli.embedded.connect import SimulatedConnectUsers

JSON = {"Content-Type": "application/json"}
SUPERVISOR = {"X-Agent-Id": "supervisor.one", "X-Groups": "supervisors", **JSON}
NEW = {"username": "ayse.yilmaz", "first_name": "Ayşe", "last_name": "Yılmaz"}


# Every test here runs with the simulated Connect users twin in place: the accounts service calls it.
pytestmark = pytest.mark.usefixtures("connect")


@pytest.fixture
def connect(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    sim = SimulatedConnectUsers()
    set_connect_users(sim)
    yield sim
    set_connect_users(None)


def post(client, path, body=None, headers=SUPERVISOR):
    return client.http.post(path, headers=headers, body=json.dumps(body or {}))


def get(client, path):
    return client.http.get(path, headers=SUPERVISOR)


def test_create_gives_a_password_once_and_puts_the_agent_in_training(client, connect, caplog, capfd):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="cagri")
    response = post(client, "/agents", NEW)
    assert response.status_code == 201, response.json_body
    body = response.json_body
    password = body["temporary_password"]
    assert meets_password_policy(password)
    assert response.headers["Cache-Control"] == "no-store"
    assert body["status"] == Status.IN_TRAINING and body["trained"] is False
    assert body["routing_profile_id"] == settings().agent_training_routing_profile_id

    (user,) = connect.users().values()
    assert user["username"] == "ayse.yilmaz"
    assert user["routing_profile_id"] == settings().agent_training_routing_profile_id
    assert user["phone_type"] == "SOFT_PHONE"

    again = get(client, "/agents/ayse.yilmaz").json_body
    assert "temporary_password" not in again
    stored = store.get_agent("ayse.yilmaz").attribute_values
    assert password not in json.dumps(stored, default=str)
    assert password not in (connect_file := json.dumps(connect.users(), ensure_ascii=False))
    assert "Ayşe" not in connect_file
    out, err = capfd.readouterr()
    logged = [caplog.text, out, err, *(json.dumps(r.__dict__, default=str, ensure_ascii=False) for r in caplog.records)]
    assert any("agent created" in text for text in logged)  # the logs did capture the request
    for text in logged:
        assert password not in text and "Ayşe" not in text and "Yılmaz" not in text


def test_training_moves_the_agent_to_the_live_profile(client, connect):
    post(client, "/agents", NEW)
    response = post(client, "/agents/ayse.yilmaz/training")
    assert response.status_code == 200
    assert response.json_body["status"] == Status.ACTIVE
    assert response.json_body["trained_by"] == "supervisor.one"
    (user,) = connect.users().values()
    assert user["routing_profile_id"] == settings().agent_live_routing_profile_id

    twice = post(client, "/agents/ayse.yilmaz/training")
    assert twice.status_code == 409
    assert "eğitimi zaten kaydedilmiş" in twice.json_body["message"]


def test_deactivation_deletes_the_connect_user_and_keeps_our_record(client, connect):
    post(client, "/agents", NEW)
    post(client, "/agents/ayse.yilmaz/training")
    response = post(client, "/agents/ayse.yilmaz/deactivate")
    assert response.status_code == 200
    body = response.json_body
    assert body["status"] == Status.DEACTIVATED and body["deactivated_by"] == "supervisor.one"
    assert body["connect_user_arn"]  # kept: reports still name the leaver's calls
    assert connect.users() == {}
    # Repeating it is harmless: it finishes whatever a failed first try left (issue 13) and changes nothing else.
    again = post(client, "/agents/ayse.yilmaz/deactivate")
    assert again.status_code == 200
    assert again.json_body["deactivated_at"] == body["deactivated_at"]
    # A username is never reused.
    assert post(client, "/agents", NEW).status_code == 409


def test_every_change_is_audited_in_order(client):
    post(client, "/agents", NEW)
    post(client, "/agents/ayse.yilmaz/training")
    post(
        client,
        "/agents/ayse.yilmaz/deactivate",
        headers={"X-Agent-Id": "supervisor.two", "X-Groups": "supervisors", **JSON},
    )
    entries = get(client, "/agents/ayse.yilmaz/audit").json_body["entries"]
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("created", "supervisor.one"),
        ("trained", "supervisor.one"),
        ("deactivated", "supervisor.two"),
        ("access_removed", "supervisor.two"),
    ]
    assert entries[3]["changes"] == {"cognito": "signed out everywhere, disabled", "connect_user": "deleted"}
    assert entries[1]["changes"]["status"] == "IN_TRAINING → ACTIVE"
    assert all(e["at"].endswith("Z") for e in entries)
    assert "Ayşe" not in json.dumps(entries, ensure_ascii=False)


def test_list_by_status(client):
    post(client, "/agents", NEW)
    post(client, "/agents", {"username": "mehmet.kaya", "first_name": "Mehmet", "last_name": "Kaya"})
    post(client, "/agents/mehmet.kaya/training")
    everyone = get(client, "/agents").json_body
    created = [
        (a["username"], a["status"]) for a in everyone["agents"] if a["username"] in ("ayse.yilmaz", "mehmet.kaya")
    ]
    assert created == [("ayse.yilmaz", "IN_TRAINING"), ("mehmet.kaya", "ACTIVE")]
    training = get(client, "/agents?status=IN_TRAINING").json_body
    assert [a["username"] for a in training["agents"]] == ["ayse.yilmaz"]
    bad = get(client, "/agents?status=GONE")
    assert bad.status_code == 400 and bad.json_body["field"] == "status"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": "Ayşe", "last_name": "Yılmaz"}, "username"),
        ({**NEW, "username": "Ayşe Y"}, None),
        ({**NEW, "first_name": "<b>"}, None),
        ({**NEW, "password": "mine"}, "password"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(client, connect, body, field):
    response = post(client, "/agents", body)
    assert response.status_code == 400
    if field:
        assert response.json_body["field"] == field
    else:
        assert response.json_body["message"].split(":")[0] in ("username", "first_name")
    assert connect.users() == {}


def test_a_username_taken_in_connect_is_a_conflict_and_nothing_is_written(client, connect):
    connect.create_user(NewConnectUser("ayse.yilmaz", "Ayşe", "Yılmaz", "Abcdefg1", "rp", ("sp",)))
    response = post(client, "/agents", NEW)
    assert response.status_code == 409
    assert store.get_agent("ayse.yilmaz") is None


def test_connect_unavailable_is_503_and_refused_is_400(client, connect):
    connect.fail_next(ConnectUnavailable("CreateUser: ThrottlingException"))
    assert post(client, "/agents", NEW).status_code == 503
    connect.fail_next(ConnectRefused("CreateUser: InvalidParameterException"))
    assert post(client, "/agents", NEW).status_code == 400
    assert store.get_agent("ayse.yilmaz") is None
    assert list(store.audit_of("ayse.yilmaz")) == []


def test_deactivation_completes_when_the_connect_user_is_already_gone(client, connect):
    post(client, "/agents", NEW)
    connect.delete_user(store.get_agent("ayse.yilmaz").connect_user_id)
    response = post(client, "/agents/ayse.yilmaz/deactivate")
    assert response.status_code == 200 and response.json_body["status"] == Status.DEACTIVATED


def test_unknown_agent_is_404(client):
    assert get(client, "/agents/nobody").status_code == 404
    assert post(client, "/agents/nobody/training").status_code == 404
    assert get(client, "/agents/nobody/audit").status_code == 404


def test_a_caller_without_identity_is_401(client):
    assert client.http.post("/agents", headers=JSON, body=json.dumps(NEW)).status_code == 401
