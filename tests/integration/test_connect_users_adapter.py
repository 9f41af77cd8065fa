"""The Connect user adapter against botocore's Stubber: every request is validated by the real
service model (moto has no Connect user APIs); errors land on domain exceptions without echoing
names or passwords."""

from __future__ import annotations

import re

import boto3
import pytest

from chalicelib.adapters.connect import ConnectDuplicate, ConnectNotFound, ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_users import AmazonConnectUsers, NewConnectUser
from chalicelib.core.config import Settings

INSTANCE = "a1b2c3d4-0000-4000-8000-000000000001"
TRAINING = "a1b2c3d4-0000-4000-8000-0000000007a1"
LIVE = "a1b2c3d4-0000-4000-8000-0000000007b1"
SECURITY = "a1b2c3d4-0000-4000-8000-0000000005a1"
USER_ID = "a1b2c3d4-0000-4000-8000-00000000u001"
USER_ARN = f"arn:aws:connect:eu-central-1:123456789012:instance/{INSTANCE}/agent/{USER_ID}"
PASSWORD = "Gq7rTz2mWx9kLp4v"
SETTINGS = Settings(connect_instance_id=INSTANCE)


def new_user(**overrides) -> NewConnectUser:
    values = {
        "username": "ayse.yilmaz",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "password": PASSWORD,
        "routing_profile_id": TRAINING,
        "security_profile_ids": (SECURITY,),
    }
    return NewConnectUser(**(values | overrides))


@pytest.fixture
def client():
    return boto3.client("connect", region_name="eu-central-1")


@pytest.fixture
def adapter(client):
    return AmazonConnectUsers(client=client, settings=SETTINGS)


def create_params() -> dict:
    return {
        "Username": "ayse.yilmaz",
        "Password": PASSWORD,
        "IdentityInfo": {"FirstName": "Ayşe", "LastName": "Yılmaz"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
        "SecurityProfileIds": [SECURITY],
        "RoutingProfileId": TRAINING,
        "InstanceId": INSTANCE,
    }


def test_create_user_request(stubber, adapter):
    stubber.add_response("create_user", {"UserId": USER_ID, "UserArn": USER_ARN}, create_params())
    created = adapter.create_user(new_user())
    assert (created.user_id, created.user_arn) == (USER_ID, USER_ARN)


def test_generated_passwords_meet_the_models_password_pattern(client):
    # botocore does not check patterns client-side: check ours against the service model's own.
    from chalicelib.accounts.rules import temporary_password

    raw = client.meta.service_model.shape_for("Password").metadata["pattern"]
    pattern = re.compile(raw.strip("/"))
    for _ in range(500):
        assert pattern.fullmatch(temporary_password())


def test_set_routing_profile_request(stubber, adapter):
    stubber.add_response(
        "update_user_routing_profile", {}, {"RoutingProfileId": LIVE, "UserId": USER_ID, "InstanceId": INSTANCE}
    )
    adapter.set_routing_profile(USER_ID, LIVE)
    stubber.assert_no_pending_responses()  # the one request, with exactly these parameters


def test_delete_user_request(stubber, adapter):
    stubber.add_response("delete_user", {}, {"InstanceId": INSTANCE, "UserId": USER_ID})
    adapter.delete_user(USER_ID)
    stubber.assert_no_pending_responses()  # the one request, with exactly these parameters


def test_instance_status(stubber, adapter):
    stubber.add_response(
        "describe_instance",
        {"Instance": {"Id": INSTANCE, "InstanceStatus": "ACTIVE", "InboundCallsEnabled": True}},
        {"InstanceId": INSTANCE},
    )
    assert adapter.instance_status() == "ACTIVE"


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("DuplicateResourceException", 409, ConnectDuplicate),
        ("ResourceNotFoundException", 404, ConnectNotFound),
        ("InvalidParameterException", 400, ConnectRefused),
        ("InvalidRequestException", 400, ConnectRefused),
        ("LimitExceededException", 429, ConnectUnavailable),
        ("ThrottlingException", 429, ConnectUnavailable),
        ("InternalServiceException", 500, ConnectUnavailable),
        ("AccessDeniedException", 403, ConnectRefused),
    ],
)
def test_create_user_errors_are_translated_without_echo(stubber, adapter, code, status, expected):
    stubber.add_client_error(
        "create_user",
        service_error_code=code,
        service_message="User Ayşe Yılmaz with password Gq7rTz2mWx9kLp4v rejected",
        http_status_code=status,
        expected_params=create_params(),
    )
    with pytest.raises(expected) as caught:
        adapter.create_user(new_user())
    text = str(caught.value)
    assert code in text
    assert PASSWORD not in text and "Ayşe" not in text and "Yılmaz" not in text
    assert caught.value.__cause__ is None


def test_delete_of_a_missing_user_is_not_found(stubber, adapter):
    stubber.add_client_error("delete_user", service_error_code="ResourceNotFoundException", http_status_code=404)
    with pytest.raises(ConnectNotFound):
        adapter.delete_user(USER_ID)


def test_the_repr_of_a_new_user_hides_name_and_password():
    text = repr(new_user())
    assert PASSWORD not in text and "Ayşe" not in text and "Yılmaz" not in text
