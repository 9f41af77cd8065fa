"""Issue 13, item 1: a leaver is locked out everywhere, and an identity without an account is nobody.

Through the API (chalice's test client) against moto: DynamoDB for our records, moto's Cognito for
the user pool (real boto3 calls), the simulated Connect users twin for Connect (moto has no users API).
"""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib.accounts import standing
from chalicelib.accounts.rules import Role, Status
from chalicelib.accounts.store import AgentItem
from chalicelib.adapters.cognito import AmazonCognito, IdentityUnavailable, get_identities, set_identities
from chalicelib.adapters.connect_users import set_connect_users
from cli.embedded.connect import SimulatedConnectUsers
from tests.integration.conftest import seed_account

JSON = {"Content-Type": "application/json"}
SUPERVISOR = {"X-Agent-Id": "supervisor.one", "X-Groups": "supervisors", **JSON}
NEW = {"username": "zeynep.kara", "first_name": "Zeynep", "last_name": "Kara"}


# Every test here runs with the simulated Connect users twin in place: the accounts service calls it.
pytestmark = pytest.mark.usefixtures("connect")


@pytest.fixture
def connect(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    sim = SimulatedConnectUsers()
    set_connect_users(sim)
    yield sim
    set_connect_users(None)


def cognito_user(username: str) -> dict:
    cognito = boto3.client("cognito-idp", region_name="eu-central-1")
    pool = cognito.list_user_pools(MaxResults=1)["UserPools"][0]["Id"]
    user = cognito.admin_get_user(UserPoolId=pool, Username=username)
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=username)["Groups"]
    return {
        "enabled": user["Enabled"],
        "status": user["UserStatus"],
        "email": {a["Name"]: a["Value"] for a in user["UserAttributes"]}.get("email"),
        "groups": [g["GroupName"] for g in groups],
    }


def as_agent(username: str) -> dict[str, str]:
    return {"X-Agent-Id": username, "X-Groups": "agents", **JSON}


def test_creating_an_agent_invites_them_to_sign_in_in_the_agents_group(client):
    response = client.http.post("/agents", headers=SUPERVISOR, body=json.dumps(NEW))
    assert response.status_code == 201, response.json_body
    assert response.json_body["role"] == Role.AGENT
    assert cognito_user("zeynep.kara") == {
        "enabled": True,
        "status": "FORCE_CHANGE_PASSWORD",  # Cognito's own temporary password, e-mailed by Cognito
        "email": "zeynep.kara@ostimteknik.edu.tr",
        "groups": ["agents"],
    }
    # The new agent can use the API at once (in training: their own work only).
    assert client.http.get("/callbacks", headers=as_agent("zeynep.kara")).status_code == 200


def test_a_supervisor_account_joins_the_supervisors_group_and_starts_active(client):
    body = {**NEW, "username": "basin.yardimci", "email": "yardimci@ostimteknik.edu.tr", "role": "supervisor"}
    response = client.http.post("/agents", headers=SUPERVISOR, body=json.dumps(body))
    assert response.status_code == 201, response.json_body
    assert response.json_body["status"] == Status.ACTIVE
    assert cognito_user("basin.yardimci")["groups"] == ["supervisors"]
    assert cognito_user("basin.yardimci")["email"] == "yardimci@ostimteknik.edu.tr"


def test_a_deactivated_agent_is_refused_at_once_and_locked_out_of_cognito(client):
    client.http.post("/agents", headers=SUPERVISOR, body=json.dumps(NEW))
    agent = as_agent("zeynep.kara")
    assert client.http.get("/referrals", headers=agent).status_code == 200
    deactivated = client.http.post("/agents/zeynep.kara/deactivate", headers=SUPERVISOR)
    assert deactivated.status_code == 200
    refused = client.http.get("/callbacks", headers=agent)
    assert refused.status_code == 403
    assert refused.json_body["error"] == "account_deactivated"
    assert refused.json_body["message"].startswith("Hesabınız kapatılmış.")
    assert cognito_user("zeynep.kara")["enabled"] is False


def test_a_deactivated_supervisor_is_refused_too(client):
    seed_account("eski.mudur", Role.SUPERVISOR, Status.DEACTIVATED)
    leaver = {"X-Agent-Id": "eski.mudur", "X-Groups": "supervisors", **JSON}
    assert client.http.get("/agents", headers=leaver).status_code == 403


def test_an_identity_unknown_to_the_agents_table_is_refused_even_as_supervisor(client):
    stranger = {"X-Agent-Id": "mallory", "X-Groups": "supervisors", **JSON}
    response = client.http.get("/privacy/requests", headers=stranger)
    assert response.status_code == 403 and response.json_body["error"] == "no_account"


def test_the_unit_reply_page_needs_no_account(client):
    # A signed link is its own credential: the account check applies to agents' and supervisors' routes.
    assert client.http.get("/reply/not-a-token").status_code == 403  # refused by the link check, not by accounts


def test_when_cognito_fails_the_api_is_already_closed_and_a_repeat_finishes(client):
    client.http.post("/agents", headers=SUPERVISOR, body=json.dumps(NEW))
    real = get_identities()

    class Down:
        def lock_out(self, username: str) -> None:
            raise IdentityUnavailable("AdminUserGlobalSignOut: TooManyRequestsException (HTTP 429)")

    set_identities(Down())  # type: ignore[arg-type]
    first = client.http.post("/agents/zeynep.kara/deactivate", headers=SUPERVISOR)
    assert first.status_code == 503
    assert "yeniden deneyin" in first.json_body["message"]
    assert AgentItem.get("zeynep.kara").status == Status.DEACTIVATED
    assert client.http.get("/callbacks", headers=as_agent("zeynep.kara")).status_code == 403
    assert cognito_user("zeynep.kara")["enabled"] is True  # not yet

    set_identities(real)
    again = client.http.post("/agents/zeynep.kara/deactivate", headers=SUPERVISOR)
    assert again.status_code == 200
    assert cognito_user("zeynep.kara")["enabled"] is False
    actions = [
        e["action"] for e in client.http.get("/agents/zeynep.kara/audit", headers=SUPERVISOR).json_body["entries"]
    ]
    assert actions == ["created", "deactivated", "access_removed"]


def test_the_account_is_read_once_a_minute_per_identity_not_once_per_request(client, monkeypatch):
    reads: list[str] = []
    real_get = standing.store.get_agent
    monkeypatch.setattr(standing.store, "get_agent", lambda name: reads.append(name) or real_get(name))
    clock = [1000.0]
    monkeypatch.setattr(standing, "_clock", lambda: clock[0])
    standing.forget()
    agent = as_agent("ayse")
    for _ in range(5):
        assert client.http.get("/referrals", headers=agent).status_code == 200
    assert reads == ["ayse"]

    # Deactivated in another container: this one still has the answer for up to TTL_SECONDS, then refuses.
    AgentItem("ayse").update(actions=[AgentItem.status.set(Status.DEACTIVATED)])
    clock[0] += standing.TTL_SECONDS - 1
    assert client.http.get("/referrals", headers=agent).status_code == 200
    clock[0] += 2
    assert client.http.get("/referrals", headers=agent).status_code == 403
    assert reads == ["ayse", "ayse"]


def test_a_failing_account_lookup_fails_closed(client, monkeypatch):
    def broken(name: str):
        raise RuntimeError("DynamoDB unavailable")

    monkeypatch.setattr(standing.store, "get_agent", broken)
    standing.forget()
    response = client.http.get("/referrals", headers=as_agent("ayse"))
    assert response.status_code == 503


def test_cognito_adapter_is_idempotent_against_moto(aws):
    identities = get_identities()
    assert isinstance(identities, AmazonCognito)
    identities.invite("tekrar", "tekrar@ostimteknik.edu.tr", "agents")
    identities.invite("tekrar", "tekrar@ostimteknik.edu.tr", "agents")  # a retry keeps the user
    identities.lock_out("tekrar")
    identities.lock_out("tekrar")  # already locked out: done
    identities.lock_out("hic-olmamis")  # never existed: done
    assert cognito_user("tekrar")["enabled"] is False
