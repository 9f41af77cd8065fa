"""Integration tests: real boto3/PynamoDB calls against moto in-process."""

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import botocore.client
import pytest
from botocore.stub import Stubber
from chalice.test import Client
from moto import mock_aws

from app import app
from chalicelib.accounts.rules import Role, Status
from chalicelib.accounts.standing import forget
from chalicelib.accounts.store import AgentItem
from chalicelib.adapters.closures import forget_closures
from chalicelib.adapters.cognito import AmazonCognito, set_identities
from chalicelib.tables import all_models

# The identities the tests act as (X-Agent-Id on the test stage): the access middleware refuses an
# identity with no account, so each has one, as the supervisor would have created it.
AGENTS = ("ayse", "mehmet", "demo-agent")
SUPERVISORS = ("basin", "basin-mudur", "mudur", "supervisor", "supervisor.one", "supervisor.two")


def _reset_connections() -> None:
    # PynamoDB caches one botocore client per model; a new moto context needs a new client.
    for model in all_models():
        model._connection = None


def seed_account(username: str, role: str = Role.AGENT, status: str = Status.ACTIVE) -> AgentItem:
    """An account written as the accounts service leaves it (no Connect or Cognito call)."""
    item = AgentItem(
        username,
        first_name="Test",
        last_name="Hesabı",
        status=status,
        role=role,
        connect_user_id=f"user-{username}",
        connect_user_arn=f"arn:aws:connect:eu-central-1:123456789012:instance/i/agent/user-{username}",
        routing_profile_id="rp",
        security_profile_ids={"sp"},
        created_at="2026-09-01T06:00:00.000Z",
        created_by="system:test",
    )
    item.save()
    forget(username)
    return item


def user_pool() -> str:
    """The stage's Cognito user pool with its two groups, as the stack creates it."""
    cognito = boto3.client("cognito-idp", region_name="eu-central-1")
    pool = cognito.create_user_pool(PoolName="cagri-test")["UserPool"]["Id"]
    for group in ("agents", "supervisors"):
        cognito.create_group(UserPoolId=pool, GroupName=group)
    return pool


@pytest.fixture
def aws():
    with mock_aws():
        _reset_connections()
        forget()
        forget_closures()
        for model in all_models():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        set_identities(AmazonCognito(user_pool_id=user_pool()))
        for username in AGENTS:
            seed_account(username)
        for username in SUPERVISORS:
            seed_account(username, Role.SUPERVISOR)
        yield
        set_identities(None)
    forget()
    forget_closures()
    _reset_connections()


@pytest.fixture
def client(aws):
    """The app through chalice's test client (routes, Lambda handlers, schedules) on the embedded AWS."""
    with Client(app, stage_name="local") as test_client:
        yield test_client


@contextmanager
def recording(calls: list) -> Iterator[list]:
    """Every AWS call made meanwhile, as (service, operation, parameters): what the code really asked."""
    original = botocore.client.BaseClient._make_api_call

    def record(self, operation_name, params):
        calls.append((self.meta.service_model.endpoint_prefix, operation_name, params))
        return original(self, operation_name, params)

    botocore.client.BaseClient._make_api_call = record
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original


def dynamodb_operations(calls: list) -> set[str]:
    """The DynamoDB operations among recorded calls (Query, GetItem, UpdateItem, Scan…)."""
    return {operation for service, operation, _ in calls if service == "dynamodb"}


@pytest.fixture
def stubber(client):
    """botocore's Stubber on the module's own boto3 `client` (an API moto lacks: Connect, Cognito admin, SMS):
    every request is checked against the real service model, and every queued response must be used."""
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()
