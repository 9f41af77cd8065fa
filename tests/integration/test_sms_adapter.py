"""The SMS adapter against botocore's Stubber: every request is validated by the real
`pinpoint-sms-voice-v2` model (moto does not implement the service), every error the operation declares
lands on a domain exception, and nothing the adapter raises carries the number or the text."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import ANY

from chalicelib.adapters.sms import (
    EndUserMessagingSms,
    OutgoingSms,
    SmsOutcomeUnknown,
    SmsRefused,
    SmsUnavailable,
    get_sms,
    set_sms,
)
from chalicelib.core.config import Settings
from tests.integration.sms_recorder import RecordingSms

NUMBER = "+905321234567"
BODY = "OSTİM Teknik Çağrı Merkezi: ÇİM-2026-000123 numaralı sorunuzun yanıtı hazır."
IDENTITY = "arn:aws:sms-voice:eu-central-1:123456789012:sender-id/OSTIMTEKNIK/TR"
SETTINGS = Settings(sms_origination_identity=IDENTITY, sms_configuration_set="cagri-dev")


def message(**overrides) -> OutgoingSms:
    values = {"destination": NUMBER, "body": BODY, "kind": "referral_answer_ready", "ref": "rf-0123456789abcdef0123"}
    return OutgoingSms(**(values | overrides))


@pytest.fixture
def client():
    return boto3.client("pinpoint-sms-voice-v2", region_name="eu-central-1")


def test_moto_has_no_sms_service():
    """Why this adapter is tested with the Stubber and the embedded AWS texts through a twin."""
    from moto.backend_index import backend_url_patterns

    services = {name for name, _ in backend_url_patterns}
    assert "pinpoint" in services  # Pinpoint's own API is there…
    assert not any("sms" in name for name in services)  # …End User Messaging SMS is not


def test_a_text_is_sent_transactional_from_the_configured_identity(client, stubber):
    stubber.add_response(
        "send_text_message",
        {"MessageId": "msg-1"},
        {
            "DestinationPhoneNumber": NUMBER,
            "MessageBody": BODY,
            "MessageType": "TRANSACTIONAL",
            "OriginationIdentity": IDENTITY,
            "ConfigurationSetName": "cagri-dev",
            "TimeToLive": 86_400,
            "Context": {"kind": "referral_answer_ready", "ref": "rf-0123456789abcdef0123"},
        },
    )
    assert EndUserMessagingSms(client, SETTINGS).send(message()) == "msg-1"


def test_without_an_identity_the_account_default_sends(client, stubber):
    stubber.add_response(
        "send_text_message",
        {"MessageId": "msg-2"},
        {
            "DestinationPhoneNumber": NUMBER,
            "MessageBody": "x",
            "MessageType": "TRANSACTIONAL",
            "TimeToLive": 3_600,
            "Context": ANY,
        },
    )
    assert EndUserMessagingSms(client, Settings()).send(message(body="x", ttl_seconds=3_600)) == "msg-2"


@pytest.mark.parametrize(
    ("code", "status", "reason", "expected"),
    [
        ("ConflictException", 409, "DESTINATION_PHONE_NUMBER_OPTED_OUT", SmsRefused),
        ("ValidationException", 400, "INVALID_PARAMETER", SmsRefused),
        ("ResourceNotFoundException", 404, None, SmsRefused),
        ("AccessDeniedException", 403, "ACCOUNT_DISABLED", SmsRefused),
        # The month's spend limit: agents ring the caller instead of the text waiting for next month.
        ("ServiceQuotaExceededException", 402, "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT", SmsRefused),
        ("ThrottlingException", 429, None, SmsUnavailable),
        ("InternalServerException", 500, None, SmsUnavailable),
        ("ServiceUnavailable", 503, None, SmsUnavailable),  # undeclared: judged by its status
    ],
)
def test_every_declared_error_lands_on_a_domain_exception_naming_no_number(
    client, stubber, code, status, reason, expected
):
    modeled = {"Reason": reason} if reason else None
    stubber.add_client_error(
        "send_text_message",
        service_error_code=code,
        service_message=f"Cannot send to {NUMBER}",  # the service may quote the number…
        http_status_code=status,
        modeled_fields=modeled,
    )
    with pytest.raises(expected) as raised:
        EndUserMessagingSms(client, SETTINGS).send(message())
    text = str(raised.value)
    assert code in text and (reason or "") in text
    assert NUMBER not in text and "532" not in text and BODY not in text  # …the error never does
    assert raised.value.__cause__ is None


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (EndpointConnectionError(endpoint_url="https://sms-voice.eu-central-1.amazonaws.com"), SmsUnavailable),
        (ConnectTimeoutError(endpoint_url="https://sms-voice.eu-central-1.amazonaws.com"), SmsUnavailable),
        (ReadTimeoutError(endpoint_url="https://sms-voice.eu-central-1.amazonaws.com"), SmsOutcomeUnknown),
    ],
)
def test_a_connection_that_never_opened_is_unavailable_and_a_lost_answer_is_unknown(error, expected):
    class Failing:
        def send_text_message(self, **_):
            raise error

    with pytest.raises(expected):
        EndUserMessagingSms(Failing(), SETTINGS).send(message())


def test_a_request_the_model_refuses_names_no_value(client):  # refused before anything is sent
    with pytest.raises(SmsRefused) as raised:
        EndUserMessagingSms(client, SETTINGS).send(message(destination=905321234567))  # not a string
    assert "5321234567" not in str(raised.value)


def test_the_port_defaults_to_the_boto3_adapter_and_can_be_replaced():
    set_sms(None)
    try:
        assert isinstance(get_sms(), EndUserMessagingSms)
        replacement = RecordingSms()
        set_sms(replacement)
        assert get_sms() is replacement
    finally:
        set_sms(None)


def test_the_client_is_made_on_first_use_in_the_settings_region():
    adapter = EndUserMessagingSms(settings=Settings(region="eu-west-1"))
    assert adapter.client.meta.region_name == "eu-west-1"
    assert adapter.client.meta.service_model.service_name == "pinpoint-sms-voice-v2"
