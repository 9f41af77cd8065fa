"""Every route has an access rule, and the app enforces it: no identity → 401, wrong group → 403.

Walks `app.routes`, so a route added without a rule fails here. Runs through chalice's test client,
which (like `chalice local`) runs no Cognito authorizer: the app's own check is what is tested.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from app import app
from chalicelib.core.config import Settings
from chalicelib.web import access
from chalicelib.web.access import RULES, Rule, caller_of, decide

ROUTES = sorted((path, method) for path, methods in app.routes.items() for method in methods)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x-1", path)


def test_every_route_has_a_rule_and_every_rule_a_route():
    assert sorted(RULES) == ROUTES


def send(client, path: str, method: str, headers: dict[str, str]):
    form = RULES[(path, method)] == Rule.SIGNED_LINK
    body = (b"action=answer&answer=x" if form else b"{}") if method in ("POST", "PUT") else b""
    if body:
        headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json", **headers}
    return client.http.request(method, concrete(path), headers=headers, body=body)


@pytest.mark.parametrize(("path", "method"), ROUTES)
def test_no_identity_is_401_and_the_wrong_group_403(client, path, method):
    rule = RULES[(path, method)]
    anonymous = send(client, path, method, {})
    if rule == Rule.LOCAL_ONLY:  # the sign-in stand-in: no identity yet, by design (test_local_only_routes…)
        assert anonymous.status_code == 200, (path, anonymous.body)
        return
    if rule == Rule.SIGNED_LINK:
        assert anonymous.status_code == 403 and b"Ge\xc3\xa7ersiz ba\xc4\x9flant\xc4\xb1" in anonymous.body
        return
    assert anonymous.status_code == 401, (method, path)
    assert anonymous.json_body["error"] == "unauthenticated"
    nobody = send(client, path, method, {"X-Agent-Id": "ayse", "X-Groups": "students"})
    assert nobody.status_code == 403 and nobody.json_body["error"] == "forbidden"
    agent = send(client, path, method, {"X-Agent-Id": "ayse", "X-Groups": "agents"})
    supervisor = send(client, path, method, {"X-Agent-Id": "basin", "X-Groups": "supervisors"})
    assert supervisor.status_code not in (401, 403), (method, path, supervisor.body)
    if rule == Rule.SUPERVISOR:
        assert agent.status_code == 403 and agent.json_body["message"] == "this needs the supervisors group"
    else:
        assert agent.status_code not in (401, 403), (method, path, agent.body)


def test_headers_are_no_identity_outside_local_and_test(monkeypatch):
    request = SimpleNamespace(context={}, headers={"X-Agent-Id": "mallory", "X-Groups": "supervisors"})
    assert caller_of(request) is not None
    monkeypatch.setattr(access, "settings", lambda: Settings(stage="prod"))
    assert caller_of(request) is None


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (["agents", "supervisors"], {"agents", "supervisors"}),
        ("[agents, supervisors]", {"agents", "supervisors"}),
        ("supervisors", {"supervisors"}),
        ("agents supervisors", {"agents", "supervisors"}),
        (None, set()),
    ],
)
def test_cognito_groups_in_the_shapes_api_gateway_passes_them(monkeypatch, groups, expected):
    monkeypatch.setattr(access, "settings", lambda: Settings(stage="prod"))
    claims = {"cognito:username": "basin", "cognito:groups": groups}
    caller = caller_of(SimpleNamespace(context={"authorizer": {"claims": claims}}, headers={}))
    assert caller.identity == "basin" and caller.groups == expected


def test_a_route_without_a_rule_is_refused():
    assert decide(None, access.Caller("basin", frozenset({"supervisors"})))[0] == 403


# --- issue 13, item 2: a missing or misplaced stage fails closed ----------------------------------------


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, "STAGE is not set"),
        ({"STAGE": "staging"}, "STAGE=staging is not a known stage"),
        ({"STAGE": "local", "AWS_LAMBDA_FUNCTION_NAME": "cagri-local-api"}, "STAGE=local is for a developer's machine"),
        ({"STAGE": "test", "AWS_LAMBDA_FUNCTION_NAME": "cagri-api"}, "STAGE=test is for a developer's machine"),
    ],
)
def test_a_missing_unknown_or_deployed_local_stage_refuses_every_request(client, monkeypatch, caplog, environ, named):
    from chalicelib.core.config import load_settings

    cfg = load_settings(environ)
    monkeypatch.setattr(access, "settings", lambda: cfg)
    for path, method in [("/callbacks", "GET"), ("/agents", "POST"), ("/reply/{token}", "GET")]:
        response = send(client, path, method, {"X-Agent-Id": "basin", "X-Groups": "supervisors"})
        assert response.status_code == 500, (path, response.body)
        assert response.json_body["error"] == "misconfigured"
    assert named in caplog.text  # the log line names the setting, for the operator
    assert caller_of(SimpleNamespace(context={}, headers={"X-Agent-Id": "basin", "X-Groups": "supervisors"})) is None


def test_stand_ins_and_placeholder_secrets_only_on_local_stages_outside_lambda():
    from chalicelib.core.config import load_settings

    assert load_settings({"STAGE": "local"}).local_stand_ins
    assert load_settings({"STAGE": "test"}).secret("caller_hash_secret")
    for environ in ({}, {"STAGE": "prod"}, {"STAGE": "local", "AWS_LAMBDA_FUNCTION_NAME": "f"}):
        cfg = load_settings(environ)
        assert not cfg.local_stand_ins
        with pytest.raises(RuntimeError, match="CALLER_HASH_SECRET is not configured"):
            cfg.secret("caller_hash_secret")
    deployed = load_settings({"STAGE": "prod", "AWS_LAMBDA_FUNCTION_NAME": "f", "CALLER_HASH_SECRET": "s" * 40})
    assert deployed.misconfiguration() is None and deployed.secret("caller_hash_secret") == b"s" * 40


def test_the_local_stage_cannot_be_deployed_with_chalice():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = json.loads((root / ".chalice" / "config.json").read_text())
    local = config["stages"]["local"]
    assert "api_gateway_stage" not in local and "iam_policy_file" not in local
    assert not (root / ".chalice" / "policy-local.json").exists()
    # Every chalice stage: no role chalice would create or widen; the CDK stack gives each function its own.
    for name, stage in config["stages"].items():
        assert stage.get("manage_iam_role") is False, name
        assert stage.get("iam_role_arn", "").endswith("deploy-with-the-cdk-stack"), name
    assert not list((root / ".chalice").glob("policy-*.json"))


def test_local_only_routes_do_not_exist_outside_local_stages(client, monkeypatch):
    from chalicelib.core.config import load_settings

    for environ in ({"STAGE": "prod"}, {"STAGE": "dev"}):
        cfg = load_settings(environ)
        monkeypatch.setattr(access, "settings", lambda cfg=cfg: cfg)
        for path, method in [r for r, rule in RULES.items() if rule == Rule.LOCAL_ONLY]:
            response = send(client, path, method, {"X-Agent-Id": "basin", "X-Groups": "supervisors"})
            assert response.status_code == 404, (environ, path)
