"""The code calls nothing its role does not grant: each handler runs on the embedded AWS (moto,
in-process) with every AWS call recorded, and each recorded (service, action, table) must be granted
to that function in infra/permissions.py — the table the stack builds its roles from (test_iam.py).
Likewise every stage secret the code asks `Settings.secret` for must be one the stack gives it.

Covered: the three contact Lambdas on answered, abandoned and dropped calls (facts, rejections,
callback transactions, heartbeat), the agent events (an agent's day, a rejection), the watchdog and the
monthly report. Not yet covered: dispatch,
the referral agenda and the API routes (their paths need the working-hours clock and seeded data).
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

import boto3

from chalicelib.core import config
from infra import permissions
from tests.integration.conftest import aws, client, recording  # noqa: F401 - the embedded AWS and the app on it
from tests.integration.test_contact_handlers import call_inputs

FUNCTION_IDS = {
    "contact_events": permissions.CONTACT_EVENTS,
    "contact_trace_records": permissions.CONTACT_TRACE_RECORDS,
    "contact_flow": permissions.CONTACT_FLOW,
    "agent_events": permissions.AGENT_EVENTS,
    "health_watchdog": permissions.HEALTH_WATCHDOG,
    "monthly_report": permissions.MONTHLY_REPORT,
}


def _table_env_var(table_name: str) -> str:
    current = config.settings()
    (var,) = [v for f, v in config._ENV.items() if getattr(current, f, None) == table_name]
    return var


def _needs(service: str, action: str, params: dict) -> list[tuple[str, str, str | None]]:
    if service != "dynamodb":
        return [(service, action, None)]
    if action in {"TransactWriteItems", "TransactGetItems"}:
        kinds = {
            "ConditionCheck": "ConditionCheckItem",
            "Put": "PutItem",
            "Update": "UpdateItem",
            "Delete": "DeleteItem",
            "Get": "GetItem",
        }
        return [
            ("dynamodb", kinds[kind], _table_env_var(body["TableName"]))
            for item in params["TransactItems"]
            for kind, body in item.items()
        ]
    if "TableName" in params:
        return [("dynamodb", action, _table_env_var(params["TableName"]))]
    if "RequestItems" in params:
        return [("dynamodb", action, _table_env_var(t)) for t in params["RequestItems"]]
    return [("dynamodb", action, None)]


def _granted(function: str, service: str, action: str, table: str | None) -> bool:
    access = permissions.ACCESS[function]
    if service == "dynamodb":
        if action == "DescribeTable":
            return access.describe_tables
        return table is not None and action in access.dynamodb.get(table, ())
    if service == "connect":
        return action in access.connect
    if service in {"email", "ses"}:
        return (action == "SendRawEmail" and access.ses_send) or action in access.ses_account
    if service == "sms-voice":
        return action == "SendTextMessage" and access.sms_send
    return False


@contextmanager
def recording_secrets(used: set):
    """Which stage secrets (by environment variable) the code asks `Settings.secret` for."""
    original = config.Settings.secret

    def record(self, name: str) -> bytes:
        used.add(config._ENV[name])
        return original(self, name)

    config.Settings.secret = record
    try:
        yield
    finally:
        config.Settings.secret = original


def _agent_batch() -> dict:
    """Agent events, one of them no agent event at all (kept for review: the rejections table)."""
    from datetime import UTC, datetime

    from cli.simulator import shapes

    at = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)
    snapshot = shapes.agent_snapshot("ayse", shapes.agent_status("Available", "ROUTABLE", at))
    return shapes.kinesis_event(shapes.agent_event("LOGIN", "agent-1", at, snapshot), {"AgentARN": "x"})


def test_every_call_of_the_covered_handlers_is_granted(client):  # noqa: F811 - the fixture imported above
    calls: dict[str, list] = defaultdict(list)
    secrets: dict[str, set] = defaultdict(set)
    inputs = (
        call_inputs("cov-answered")
        + call_inputs("cov-abandoned", answered=False, reason="CUSTOMER_DISCONNECT")
        + call_inputs("cov-dropped", answered=False, reason="TELECOM_PROBLEM")
    )
    for name, payload in inputs:
        with recording(calls[name]), recording_secrets(secrets[name]):
            client.lambda_.invoke(name, payload)
    with recording(calls["agent_events"]), recording_secrets(secrets["agent_events"]):
        client.lambda_.invoke("agent_events", _agent_batch())
    boto3.client("ses", region_name="eu-central-1").verify_domain_identity(Domain="ostimteknik.edu.tr")
    scheduled = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    for name in ("health_watchdog", "monthly_report"):
        with recording(calls[name]), recording_secrets(secrets[name]):
            client.lambda_.invoke(name, scheduled)

    missing = sorted(
        {
            (FUNCTION_IDS[name], *need)
            for name, recorded in calls.items()
            for service, action, params in recorded
            for need in _needs(service, action, params)
            if not _granted(FUNCTION_IDS[name], *need)
        },
        key=str,
    )
    assert not missing, f"calls the role does not grant (add them to infra/permissions.py): {missing}"
    assert any(c[0] == "dynamodb" for c in calls["contact_trace_records"])  # the recorder saw the calls
    assert {c[1] for c in calls["agent_events"]} == {"UpdateItem", "PutItem"}  # the day and a rejection

    # Every secret the code asks for reaches that function (infra/permissions.py `Access.secrets`).
    unset = sorted(
        (FUNCTION_IDS[name], var)
        for name, used in secrets.items()
        for var in used
        if var not in permissions.ACCESS[FUNCTION_IDS[name]].secrets
    )
    assert not unset, f"secrets the stack does not give these functions: {unset}"
    assert permissions.CALLER_HASH_SECRET in secrets["contact_trace_records"]  # the recorder saw the calls
