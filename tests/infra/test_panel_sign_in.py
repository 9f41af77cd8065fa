"""The agents' panel signs in through Cognito's hosted UI: authorization code + PKCE from a public client
(no secret), the panel's address as its only callback and logout URL, short ID tokens, revocable refresh
tokens, and a hosted-UI domain per stage."""

from __future__ import annotations

import json
import re

import pytest

from tests.infra.conftest import ROOT, of_type

CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
PANEL_URL = CONFIG["stages"]["dev"]["environment_variables"]["PUBLIC_BASE_URL"].rstrip("/") + "/console/"


@pytest.fixture(scope="module")
def client(resources) -> dict:
    (props,) = [r["Properties"] for r in of_type(resources, "AWS::Cognito::UserPoolClient").values()]
    return props


def test_the_app_client_is_a_public_code_flow_client(client):
    assert client["GenerateSecret"] is False  # a browser cannot keep a secret: PKCE instead
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["AllowedOAuthFlows"] == ["code"]  # no implicit grant, no client credentials
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    # No password ever reaches the client in clear (SRP only), and refresh tokens may renew the session.
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


def test_the_app_client_returns_to_the_panel_only(client):
    assert client["CallbackURLs"] == [PANEL_URL]
    assert client["LogoutURLs"] == [PANEL_URL]


def _minutes(client: dict, token: str) -> int:
    unit = client["TokenValidityUnits"][token.removesuffix("Validity")]
    return client[token] * {"minutes": 1, "hours": 60, "days": 1440}[unit]


def test_short_id_tokens_and_revocable_refresh_tokens(client):
    assert _minutes(client, "IdTokenValidity") <= 60
    assert _minutes(client, "AccessTokenValidity") <= 60
    assert _minutes(client, "IdTokenValidity") < _minutes(client, "RefreshTokenValidity") <= 24 * 60
    assert client["EnableTokenRevocation"] is True
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_the_hosted_ui_has_a_domain_per_stage(resources, client):
    (domain,) = [r["Properties"] for r in of_type(resources, "AWS::Cognito::UserPoolDomain").values()]
    assert domain["UserPoolId"] == client["UserPoolId"]
    assert domain["Domain"].startswith("cagri-dev-")
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", domain["Domain"])
    assert not re.search("aws|amazon|cognito", domain["Domain"])  # words Cognito refuses in a prefix
    assert "CustomDomainConfig" not in domain
