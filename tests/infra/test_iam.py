"""Each function runs as its own role, whose policy is exactly infra/permissions.py's entry for it:
the DynamoDB actions on exactly the tables named there, Connect only on the instance, SES only as the
centre's sender; no wildcard actions, no Scan, no Chalice-generated policy."""

from __future__ import annotations

import pytest

from infra import permissions
from tests.infra.conftest import of_type


def _statements(resources: dict, function: str) -> list[dict]:
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    return [
        s
        for p in of_type(resources, "AWS::IAM::Policy").values()
        if {"Ref": role} in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _table_ids(resources: dict) -> dict[str, str]:
    """Env var (e.g. CONTACTS_TABLE) -> the table's logical id, read from the functions' environment."""
    env = resources[permissions.API]["Properties"]["Environment"]["Variables"]
    refs = {var: value["Ref"] for var, value in env.items() if isinstance(value, dict) and "Ref" in value}
    return {var: ref for var, ref in refs.items() if resources.get(ref, {}).get("Type") == "AWS::DynamoDB::Table"}


def test_no_role_is_generated_by_chalice_and_every_function_has_its_own(resources):
    roles = {resources[f]["Properties"]["Role"]["Fn::GetAtt"][0] for f in permissions.FUNCTIONS}
    assert len(roles) == len(permissions.FUNCTIONS)
    functions = of_type(resources, "AWS::Serverless::Function")
    assert set(functions) == set(permissions.FUNCTIONS)


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_role_grants_exactly_the_table(function, resources):
    tables = _table_ids(resources)
    granted: dict[str, set[str]] = {}
    for s in _statements(resources, function):
        actions = [a for a in _list(s["Action"]) if a.startswith("dynamodb:") and a != "dynamodb:DescribeTable"]
        assert "*" not in "".join(_list(s["Action"])), s
        assert "dynamodb:Scan" not in actions
        for resource in _list(s["Resource"]):
            if "Fn::GetAtt" in resource and actions:
                granted.setdefault(resource["Fn::GetAtt"][0], set()).update(a.split(":")[1] for a in actions)
    expected = {tables[var]: set(actions) for var, actions in permissions.ACCESS[function].dynamodb.items()}
    assert granted == expected


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_connect_and_ses_as_declared_and_scoped(function, resources):
    access = permissions.ACCESS[function]
    statements = _statements(resources, function)
    connect = [a for s in statements for a in _list(s["Action"]) if a.startswith("connect:")]
    assert sorted(connect) == sorted(f"connect:{a}" for a in access.connect)
    for s in statements:
        if any(a.startswith("connect:") for a in _list(s["Action"])):
            assert all("ConnectInstanceId" in str(r) for r in _list(s["Resource"]))
    send = [s for s in statements if "ses:SendRawEmail" in _list(s["Action"])]
    assert bool(send) == access.ses_send
    for s in send:
        assert s["Condition"] == {"StringEquals": {"ses:FromAddress": "cagri@ostimteknik.edu.tr"}}
    for s in statements:
        if s["Resource"] == "*":  # only actions without resource-level permissions
            assert set(_list(s["Action"])) <= {f"ses:{a}" for a in access.ses_account}, s


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_only_health_and_the_watchdog_read_the_dead_letter_depth(function, resources):
    statements = [s for s in _statements(resources, function) if "sqs:GetQueueAttributes" in _list(s["Action"])]
    env = resources[function]["Properties"]["Environment"]["Variables"]
    assert "DEAD_LETTER_QUEUES" in env  # every function knows them; only two may read them
    if not permissions.ACCESS[function].dead_letter_depth:
        assert statements == []
        return
    [statement] = statements
    queues = {r["Fn::GetAtt"][0] for r in _list(statement["Resource"])}
    assert queues == set(of_type(resources, "AWS::SQS::Queue")) and _list(statement["Action"]) == [
        "sqs:GetQueueAttributes"
    ]


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_only_the_api_changes_sign_ins_and_only_on_the_stages_user_pool(function, resources):
    statements = [s for s in _statements(resources, function) if any("cognito" in a for a in _list(s["Action"]))]
    env = resources[function]["Properties"]["Environment"]["Variables"]
    if not permissions.ACCESS[function].cognito:
        assert statements == [] and "COGNITO_USER_POOL_ID" not in env
        return
    [statement] = statements
    assert sorted(_list(statement["Action"])) == sorted(
        f"cognito-idp:{a}"
        for a in ("AdminCreateUser", "AdminAddUserToGroup", "AdminUserGlobalSignOut", "AdminDisableUser")
    )
    [pool] = of_type(resources, "AWS::Cognito::UserPool")
    assert _list(statement["Resource"]) == [{"Fn::GetAtt": [pool, "Arn"]}]
    assert env["COGNITO_USER_POOL_ID"] == {"Ref": pool}


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_only_the_api_starts_the_report_function_and_only_it(function, resources):
    statements = [s for s in _statements(resources, function) if "lambda:InvokeFunction" in _list(s["Action"])]
    env = resources[function]["Properties"]["Environment"]["Variables"]
    if function != permissions.API:
        assert statements == [] and "REPORT_FUNCTION_NAME" not in env
        return
    [statement] = statements
    assert _list(statement["Resource"]) == [{"Fn::GetAtt": [permissions.MONTHLY_REPORT, "Arn"]}]
    assert env["REPORT_FUNCTION_NAME"] == {"Ref": permissions.MONTHLY_REPORT}


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_only_the_report_function_ships_the_rendering_stack(function, resources):
    """Charts and workbook (about 135 MB) come in a layer on `monthly_report` alone; requirements.txt, which
    every function's package is built from, has none of them."""
    layers = resources[function]["Properties"].get("Layers")
    [layer] = [
        name
        for name, r in of_type(resources, "AWS::Lambda::LayerVersion").items()
        if "monthly report" in r["Properties"].get("Description", "")
    ]
    if function == permissions.MONTHLY_REPORT:
        assert layers == [{"Ref": layer}]
        assert resources[layer]["Properties"]["CompatibleRuntimes"] == ["python3.11"]
    else:
        assert layers is None


def test_no_function_package_carries_the_rendering_stack():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    runtime = (root / "requirements.txt").read_text()
    for package in ("matplotlib", "numpy", "pillow", "openpyxl", "contourpy"):
        assert package not in runtime
        assert package in (root / "requirements-charts.txt").read_text()


def test_only_the_report_builders_read_connects_historical_metrics_and_only_on_the_instance(resources):
    """The monthly job and the API's rebuild set Connect's own figures beside ours (reports/connect_month.py);
    no other role may list queues or read metrics."""
    readers = set()
    for function in permissions.FUNCTIONS:
        for s in _statements(resources, function):
            actions = set(_list(s["Action"]))
            if actions & {"connect:GetMetricDataV2", "connect:ListQueues"}:
                readers.add(function)
                assert {"connect:GetMetricDataV2", "connect:ListQueues"} <= actions
                assert all("ConnectInstanceId" in str(r) for r in _list(s["Resource"])), s
    assert readers == {permissions.MONTHLY_REPORT, permissions.API}
