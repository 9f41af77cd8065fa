"""The Cognito adapter against botocore's Stubber: every request is validated by the real
cognito-idp service model, the calls come in the order that locks a leaver out, and errors land on
domain exceptions without echoing the username or e-mail Cognito may quote back."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.cognito import AmazonCognito, IdentityRefused, IdentityUnavailable
from chalicelib.core.config import Settings

POOL = "eu-central-1_AbCdEf123"
SETTINGS = Settings(stage="test", cognito_user_pool_id=POOL)
QUOTING = "User ayse.yilmaz (ayse@ostimteknik.edu.tr) says no"


@pytest.fixture
def client():
    return boto3.client("cognito-idp", region_name="eu-central-1")


@pytest.fixture
def adapter(client):
    return AmazonCognito(client=client, settings=SETTINGS)


def test_invite_creates_the_user_with_cognitos_invitation_and_puts_them_in_the_group(adapter, stubber):
    stubber.add_response(
        "admin_create_user",
        {"User": {"Username": "ayse.yilmaz", "Enabled": True, "UserStatus": "FORCE_CHANGE_PASSWORD"}},
        {
            "UserPoolId": POOL,
            "Username": "ayse.yilmaz",
            "UserAttributes": [
                {"Name": "email", "Value": "ayse.yilmaz@ostimteknik.edu.tr"},
                {"Name": "email_verified", "Value": "true"},
            ],
            "DesiredDeliveryMediums": ["EMAIL"],  # Cognito's own invitation; no TemporaryPassword of ours
        },
    )
    stubber.add_response(
        "admin_add_user_to_group", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz", "GroupName": "agents"}
    )
    adapter.invite("ayse.yilmaz", "ayse.yilmaz@ostimteknik.edu.tr", "agents")
    stubber.assert_no_pending_responses()  # both requests, in this order, with exactly these parameters


def test_an_existing_user_is_kept_and_still_put_in_the_group(adapter, stubber):
    stubber.add_client_error("admin_create_user", "UsernameExistsException", QUOTING, 400)
    stubber.add_response(
        "admin_add_user_to_group", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz", "GroupName": "agents"}
    )
    adapter.invite("ayse.yilmaz", "ayse.yilmaz@ostimteknik.edu.tr", "agents")  # no error raised
    stubber.assert_no_pending_responses()  # and the user was still put in the group


def test_lock_out_signs_out_everywhere_then_disables(adapter, stubber):
    stubber.add_response("admin_user_global_sign_out", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz"})
    stubber.add_response("admin_disable_user", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz"})
    adapter.lock_out("ayse.yilmaz")
    stubber.assert_no_pending_responses()  # both requests, sign-out first


def test_lock_out_of_a_missing_or_already_disabled_user_is_done(adapter, stubber):
    stubber.add_client_error("admin_user_global_sign_out", "UserNotFoundException", QUOTING, 400)
    stubber.add_client_error("admin_disable_user", "UserNotFoundException", QUOTING, 400)
    adapter.lock_out("ayse.yilmaz")  # no error raised: a missing user is locked out already
    stubber.assert_no_pending_responses()
    stubber.add_client_error("admin_user_global_sign_out", "NotAuthorizedException", "User is disabled.", 400)
    stubber.add_response("admin_disable_user", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz"})
    adapter.lock_out("ayse.yilmaz")  # a disabled user cannot be signed out, and is disabled again
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("TooManyRequestsException", 429, IdentityUnavailable),
        ("InternalErrorException", 500, IdentityUnavailable),
        ("InvalidParameterException", 400, IdentityRefused),
        ("ResourceNotFoundException", 400, IdentityRefused),  # no such pool or group
    ],
)
def test_errors_become_the_domains_without_quoting_cognito(adapter, stubber, code, status, expected):
    stubber.add_response("admin_user_global_sign_out", {}, {"UserPoolId": POOL, "Username": "ayse.yilmaz"})
    stubber.add_client_error("admin_disable_user", code, QUOTING, status)
    with pytest.raises(expected) as raised:
        adapter.lock_out("ayse.yilmaz")
    assert code in str(raised.value)
    assert "ayse" not in str(raised.value) and raised.value.__cause__ is None


def test_a_request_the_model_refuses_is_refused_without_quoting_it(client):
    # botocore validates against the model before anything is sent: no stub needed, nothing leaves.
    adapter = AmazonCognito(client=client, settings=SETTINGS)
    with pytest.raises(IdentityRefused) as raised:
        adapter.invite("ayse.yilmaz", 42, "agents")  # type: ignore[arg-type]
    assert str(raised.value) == "AdminCreateUser: parameter validation failed"


def test_no_pool_configured_is_refused_before_any_call(client):
    adapter = AmazonCognito(client=client, settings=Settings(stage="test"))
    with Stubber(client) as stub, pytest.raises(IdentityRefused, match="COGNITO_USER_POOL_ID"):
        adapter.lock_out("ayse.yilmaz")
    stub.assert_no_pending_responses()
