"""Schedules, the API's Cognito authorizer, the user pool's groups, SES."""

from __future__ import annotations

import pytest

from chalicelib.web.access import RULES, Rule
from tests.infra.conftest import of_type

SCHEDULES = {
    "CallbacksDispatch": "rate(2 minutes)",
    "ReferralsAgenda": "rate(10 minutes)",
    "HealthWatchdog": "rate(5 minutes)",
    # 08:00 Europe/Istanbul on the 1st = 05:00 UTC (Türkiye keeps UTC+3 all year).
    "MonthlyReport": "cron(0 5 1 * ? *)",
}


@pytest.mark.parametrize(("function", "expression"), SCHEDULES.items())
def test_schedule(function, expression, resources):
    (event,) = resources[function]["Properties"]["Events"].values()
    assert event == {"Type": "Schedule", "Properties": {"Schedule": expression}}


def test_user_pool_has_agents_and_supervisors_groups(resources):
    groups = {g["Properties"]["GroupName"] for g in of_type(resources, "AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"agents", "supervisors"}
    (pool,) = of_type(resources, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


def test_every_account_route_needs_a_cognito_token_and_reply_links_do_not(resources):
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    (pool_name,) = of_type(resources, "AWS::Cognito::UserPool")
    authorizer = body["securityDefinitions"]["CognitoAgents"]
    assert authorizer["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert authorizer["x-amazon-apigateway-authorizer"]["providerARNs"] == [{"Fn::GetAtt": [pool_name, "Arn"]}]
    operations = {
        (path, method.upper()): op
        for path, methods in body["paths"].items()
        for method, op in methods.items()
        if method != "options"
    }
    assert set(operations) == set(RULES)  # every route of the API has a rule, and only those
    for route, op in operations.items():
        if RULES[route] == Rule.SIGNED_LINK:
            assert "security" not in op, route
        else:
            assert op["security"] == [{"CognitoAgents": []}], route


def test_ses_identity_uses_the_configuration_set(resources):
    (identity,) = of_type(resources, "AWS::SES::EmailIdentity").values()
    (config_set,) = of_type(resources, "AWS::SES::ConfigurationSet").values()
    assert identity["Properties"]["EmailIdentity"] == "ostimteknik.edu.tr"
    assert identity["Properties"]["ConfigurationSetAttributes"]["ConfigurationSetName"] == {
        "Ref": next(name for name, r in resources.items() if r is config_set)
    }
