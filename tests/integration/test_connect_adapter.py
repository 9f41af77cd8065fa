"""The boto3 Connect adapter against botocore's Stubber: every request is validated by the real
service model (moto has no Connect contact APIs), every Connect error lands on a domain exception."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber

from chalicelib.adapters import connect as connect_module
from chalicelib.adapters.connect import (
    AmazonConnect,
    CallbackPlacement,
    ConnectRefused,
    ConnectUnavailable,
    get_connect,
    set_connect,
)
from chalicelib.core.config import Settings

NUMBER = "+905321234567"
INSTANCE = "a1b2c3d4-0000-4000-8000-000000000001"
CALL_FLOW = "a1b2c3d4-0000-4000-8000-0000000000f1"
TASK_FLOW = "a1b2c3d4-0000-4000-8000-0000000000f2"
QUEUE = "a1b2c3d4-0000-4000-8000-0000000000a1"
CONTACT_ID = "c0ffee00-0000-4000-8000-000000000001"
AGENT = f"arn:aws:connect:eu-central-1:123456789012:instance/{INSTANCE}/agent/a1b2c3d4-0000-4000-8000-0000000000a9"
SETTINGS = Settings(
    connect_instance_id=INSTANCE, callback_flow_id=CALL_FLOW, callback_task_flow_id=TASK_FLOW, callback_queue_id=QUEUE
)

OUTBOUND_ERRORS = [
    ("InvalidRequestException", 400, ConnectRefused),
    ("InvalidParameterException", 400, ConnectRefused),
    ("ResourceNotFoundException", 404, ConnectRefused),
    ("InternalServiceException", 500, ConnectUnavailable),
    ("LimitExceededException", 429, ConnectUnavailable),
    ("DestinationNotAllowedException", 403, ConnectRefused),
    ("OutboundContactNotPermittedException", 403, ConnectRefused),
    # Not declared by the model: judged by the HTTP status.
    ("AccessDeniedException", 403, ConnectRefused),
    ("ServiceUnavailableException", 503, ConnectUnavailable),
]
TASK_ERRORS = [
    ("InvalidRequestException", 400, ConnectRefused),
    ("InvalidParameterException", 400, ConnectRefused),
    ("ResourceNotFoundException", 404, ConnectRefused),
    ("ThrottlingException", 429, ConnectUnavailable),
    ("ServiceQuotaExceededException", 402, ConnectUnavailable),
    ("InternalServiceException", 500, ConnectUnavailable),
]


def placement(attempt: int = 1, **overrides) -> CallbackPlacement:
    values = {
        "callback_id": "cb-20261012-0001",
        "attempt": attempt,
        "destination": NUMBER,
        "reason": "system_drop",
        "preferred_agent_arn": AGENT,
        "source_contact_id": "11111111-2222-4333-8444-555555555555",
        "attributes": {"category": "ogrenci_isleri"},
    }
    return CallbackPlacement(**(values | overrides))


@pytest.fixture
def client():
    return boto3.client("connect", region_name="eu-central-1")


@pytest.fixture
def adapter(client):
    return AmazonConnect(client=client, settings=SETTINGS)


def outbound_params(attempt: int = 1) -> dict:
    return {
        "DestinationPhoneNumber": NUMBER,
        "ContactFlowId": CALL_FLOW,
        "InstanceId": INSTANCE,
        "QueueId": QUEUE,
        "ClientToken": f"cb-20261012-0001-{attempt}",
        "Attributes": {
            "category": "ogrenci_isleri",
            "callback_id": "cb-20261012-0001",
            "callback_reason": "system_drop",
            "callback_attempt": str(attempt),
            "source_contact_id": "11111111-2222-4333-8444-555555555555",
            "preferred_agent": AGENT,
        },
        "Name": "Geri arama: sistem kesintisi",
        "Description": f"Geri arama cb-20261012-0001, {attempt}. deneme. Neden: sistem kesintisi.",
    }


def task_params(attempt: int = 1) -> dict:
    return {
        "InstanceId": INSTANCE,
        "ContactFlowId": TASK_FLOW,
        "Name": "Geri arama: sistem kesintisi",
        "Description": f"Geri arama cb-20261012-0001, {attempt}. deneme. Neden: sistem kesintisi.",
        "Attributes": outbound_params(attempt)["Attributes"] | {"callback_number": NUMBER},
        "ClientToken": f"cb-20261012-0001-{attempt}",
    }


# ---------------------------------------------------------------- requests


def test_outbound_call_request(stubber, adapter):
    stubber.add_response("start_outbound_voice_contact", {"ContactId": CONTACT_ID}, outbound_params())
    assert adapter.start_outbound_call(placement()) == CONTACT_ID


def test_outbound_call_leaves_absent_optionals_out(stubber, adapter):
    expected = outbound_params()
    expected["Attributes"] = {
        "callback_id": "cb-20261012-0001",
        "callback_reason": "abandoned",
        "callback_attempt": "1",
    }
    expected["Name"] = "Geri arama: kuyrukta beklerken kapatılan çağrı"
    expected["Description"] = "Geri arama cb-20261012-0001, 1. deneme. Neden: kuyrukta beklerken kapatılan çağrı."
    stubber.add_response("start_outbound_voice_contact", {"ContactId": CONTACT_ID}, expected)
    bare = placement(reason="abandoned", preferred_agent_arn=None, source_contact_id=None, attributes={})
    assert adapter.start_outbound_call(bare) == CONTACT_ID


def test_task_request(stubber, adapter):
    stubber.add_response("start_task_contact", {"ContactId": CONTACT_ID}, task_params())
    assert adapter.start_task(placement()) == CONTACT_ID


@pytest.mark.parametrize("reason", ["system_drop", "abandoned", "requested"])
def test_task_name_and_description_carry_no_number(stubber, adapter, reason):
    request = _sent("start_task", placement(reason=reason))
    stubber.add_response("start_task_contact", {"ContactId": CONTACT_ID}, request)
    assert adapter.start_task(placement(reason=reason)) == CONTACT_ID  # the service model accepts the request
    for text in (request["Name"], request["Description"]):
        assert "5321234567" not in text
        assert text.startswith("Geri arama")
    assert len(request["Name"]) <= 512
    assert request["Attributes"]["callback_number"] == NUMBER


def _sent(method: str, p: CallbackPlacement) -> dict:
    """The parameters the adapter passes to boto3 for `method`, captured by a stand-in client."""
    captured: dict = {}

    class Capture:
        def __getattr__(self, name):
            def call(**params):
                captured.update(params)
                return {"ContactId": CONTACT_ID}

            return call

    getattr(AmazonConnect(client=Capture(), settings=SETTINGS), method)(p)
    return captured


def test_client_token_same_on_retry_and_new_per_attempt(stubber, adapter):
    stubber.add_client_error(
        "start_outbound_voice_contact", "LimitExceededException", "Rate exceeded", 429, None, outbound_params(1)
    )
    stubber.add_response("start_outbound_voice_contact", {"ContactId": CONTACT_ID}, outbound_params(1))
    stubber.add_response("start_outbound_voice_contact", {"ContactId": CONTACT_ID}, outbound_params(2))
    first = placement(1)
    with pytest.raises(ConnectUnavailable):
        adapter.start_outbound_call(first)
    # Each stub expects its token: the retry of attempt 1 sends the same one (Connect would not ring twice).
    assert adapter.start_outbound_call(first) == CONTACT_ID
    assert adapter.start_outbound_call(placement(2)) == CONTACT_ID
    stubber.assert_no_pending_responses()


def test_retried_task_sends_the_same_token(stubber, adapter):
    stubber.add_client_error("start_task_contact", "ThrottlingException", "Rate exceeded", 429, None, task_params(1))
    stubber.add_response("start_task_contact", {"ContactId": CONTACT_ID}, task_params(1))
    with pytest.raises(ConnectUnavailable):
        adapter.start_task(placement(1))
    assert adapter.start_task(placement(1)) == CONTACT_ID


def test_over_long_token_is_hashed_within_the_model_limit(stubber, adapter):
    long_id = "x" * 600
    token = _sent("start_task", placement(callback_id=long_id))["ClientToken"]
    assert len(token) <= 500
    assert token == _sent("start_task", placement(callback_id=long_id))["ClientToken"]
    assert token != _sent("start_task", placement(2, callback_id=long_id))["ClientToken"]
    stubber.add_response(
        "start_task_contact", {"ContactId": CONTACT_ID}, _sent("start_task", placement(callback_id=long_id))
    )
    assert adapter.start_task(placement(callback_id=long_id)) == CONTACT_ID  # the service model accepts it


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(("code", "status", "expected"), OUTBOUND_ERRORS)
def test_outbound_error_mapping(stubber, adapter, code, status, expected):
    stubber.add_client_error(
        "start_outbound_voice_contact", code, f"Destination {NUMBER} rejected", status, None, outbound_params()
    )
    with pytest.raises(expected) as caught:
        adapter.start_outbound_call(placement())
    _assert_no_number(caught.value)
    assert code in str(caught.value)
    assert "cb-20261012-0001" in str(caught.value)


@pytest.mark.parametrize(("code", "status", "expected"), TASK_ERRORS)
def test_task_error_mapping(stubber, adapter, code, status, expected):
    stubber.add_client_error(
        "start_task_contact", code, f"Attribute value {NUMBER} invalid", status, None, task_params()
    )
    with pytest.raises(expected) as caught:
        adapter.start_task(placement())
    _assert_no_number(caught.value)


@pytest.mark.parametrize(
    "error",
    [
        ReadTimeoutError(endpoint_url="https://connect.eu-central-1.amazonaws.com/contact/outbound-voice"),
        ConnectTimeoutError(endpoint_url="https://connect.eu-central-1.amazonaws.com/contact/outbound-voice"),
        EndpointConnectionError(endpoint_url="https://connect.eu-central-1.amazonaws.com/contact/outbound-voice"),
    ],
)
def test_timeouts_are_unavailable(client, adapter, monkeypatch, error):
    def timeout(**params):
        raise error

    monkeypatch.setattr(client, "start_outbound_voice_contact", timeout)
    with pytest.raises(ConnectUnavailable) as caught:
        adapter.start_outbound_call(placement())
    _assert_no_number(caught.value)


def test_client_side_validation_is_refused_without_the_number(adapter):
    # No stub: botocore's own parameter validation fails before any request is sent.
    with pytest.raises(ConnectRefused) as caught:
        adapter.start_outbound_call(placement(destination=905321234567))
    _assert_no_number(caught.value)


def _assert_no_number(exc: BaseException) -> None:
    """Neither the message nor anything a traceback would print (the cause chain) carries the number."""
    link: BaseException | None = exc
    while link is not None:
        assert "5321234567" not in str(link)
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)


# ---------------------------------------------------------------- construction and the factory


def test_default_client_is_lazy_and_tight():
    adapter = AmazonConnect(settings=SETTINGS)
    assert adapter._client is None
    config = adapter.client.meta.config
    assert adapter.client.meta.service_model.service_name == "connect"
    assert adapter.client.meta.region_name == "eu-central-1"
    assert (config.connect_timeout, config.read_timeout) == (2, 5)
    # botocore reads `max_attempts` as retries after the first try: 2 becomes 3 attempts in all.
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}


@pytest.fixture
def fresh_port():
    set_connect(None)
    yield
    set_connect(None)


def test_get_connect_is_a_lazy_singleton(fresh_port):
    port = get_connect()
    assert isinstance(port, AmazonConnect)
    assert port._client is None
    assert get_connect() is port


def test_set_connect_replaces_the_port(fresh_port):
    fake = object()
    set_connect(fake)
    assert get_connect() is fake
    set_connect(None)
    assert connect_module._port is None


# ---------------------------------------------------------------- referral tasks


REFERRAL_FLOW = "a1b2c3d4-0000-4000-8000-0000000000f3"


def test_referral_task_request_carries_no_question_or_answer(client):
    from chalicelib.adapters.connect import ReferralTask

    adapter = AmazonConnect(
        client=client, settings=SETTINGS.model_copy(update={"referral_task_flow_id": REFERRAL_FLOW})
    )
    task = ReferralTask("rf-0123456789abcdef0123", "ÇİM-2026-000123", "Öğrenci İşleri Daire Başkanlığı", "VOICE")
    expected = {
        "InstanceId": INSTANCE,
        "ContactFlowId": REFERRAL_FLOW,
        "Name": "Birim yanıtı hazır: ÇİM-2026-000123",
        "Description": (
            "Öğrenci İşleri Daire Başkanlığı yanıtladı. Yanıtı arayana VOICE kanalından iletin; "
            "soru ve yanıt Çağrı'da, ÇİM-2026-000123 referansıyla."
        ),
        "Attributes": {
            "referral_id": "rf-0123456789abcdef0123",
            "referral_reference": "ÇİM-2026-000123",
            "return_channel": "VOICE",
        },
        "ClientToken": "rf-0123456789abcdef0123-answer",
    }
    with Stubber(client) as stub:
        stub.add_response("start_task_contact", {"ContactId": CONTACT_ID}, expected)
        stub.add_client_error(
            "start_task_contact", "ThrottlingException", http_status_code=429, expected_params=expected
        )
        assert adapter.start_referral_task(task) == CONTACT_ID
        with pytest.raises(ConnectUnavailable, match="referral rf-0123456789abcdef0123"):
            adapter.start_referral_task(task)
        stub.assert_no_pending_responses()


def test_an_agents_classification_is_set_on_the_contact(stubber, adapter):
    stubber.add_response(
        "update_contact_attributes",
        {},
        {"InitialContactId": "c-initial-1", "InstanceId": INSTANCE, "Attributes": {"category": "şikayet"}},
    )
    adapter.update_contact_attributes("c-initial-1", {"category": "şikayet"})
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [("ThrottlingException", 429, ConnectUnavailable), ("ResourceNotFoundException", 404, ConnectRefused)],
)
def test_classification_errors_become_the_domains(stubber, adapter, code, status, expected):
    stubber.add_client_error("update_contact_attributes", code, "contact c-initial-1 not found", status)
    with pytest.raises(expected, match=code):
        adapter.update_contact_attributes("c-initial-1", {"category": "bilgi"})


# ---------------------------------------------------------------- Connect's own historical figures

from datetime import UTC, datetime  # noqa: E402

from chalicelib.adapters.connect import (  # noqa: E402
    ConnectNoHistory,
    ConnectNotConfigured,
    HistoricalFigures,
    MetricsRequest,
)

INSTANCE_ARN = f"arn:aws:connect:eu-central-1:123456789012:instance/{INSTANCE}"
OCTOBER = (datetime(2026, 9, 30, 21, tzinfo=UTC), datetime(2026, 10, 31, 21, tzinfo=UTC))  # the Istanbul month
AFTER_OCTOBER = datetime(2026, 11, 1, 5, tzinfo=UTC)


def month_request(now: datetime = AFTER_OCTOBER, start: datetime = OCTOBER[0], end: datetime = OCTOBER[1]):
    return MetricsRequest(start, end, "Europe/Istanbul", 20, now)


def queues_page(*ids: str, token: str | None = None) -> dict:
    page = {
        "QueueSummaryList": [
            {"Id": q, "Arn": f"{INSTANCE_ARN}/queue/{q}", "Name": q, "QueueType": "STANDARD"} for q in ids
        ]
    }
    return page | ({"NextToken": token} if token else {})


def list_params(token: str | None = None) -> dict:
    params = {"InstanceId": INSTANCE, "QueueTypes": ["STANDARD"], "MaxResults": 1000}
    return params | ({"NextToken": token} if token else {})


def metrics_params(queues: list[str], end: datetime = OCTOBER[1], token: str | None = None) -> dict:
    params = {
        "ResourceArn": INSTANCE_ARN,
        "StartTime": OCTOBER[0],
        "EndTime": end,
        "Interval": {"TimeZone": "Europe/Istanbul", "IntervalPeriod": "TOTAL"},
        "Filters": [
            {"FilterKey": "QUEUE", "FilterValues": queues},
            {"FilterKey": "CHANNEL", "FilterValues": ["VOICE"]},
        ],
        "Metrics": [
            {"Name": "CONTACTS_QUEUED"},
            {"Name": "CONTACTS_HANDLED"},
            {"Name": "CONTACTS_ABANDONED"},
            {"Name": "SERVICE_LEVEL", "Threshold": [{"Comparison": "LTE", "ThresholdValue": 20.0}]},
            {"Name": "AVG_HANDLE_TIME"},
        ],
    }
    return params | ({"NextToken": token} if token else {})


def metric_result(values: dict[str, float | None]) -> dict:
    def metric(name: str) -> dict:
        if name == "SERVICE_LEVEL":
            return {"Name": name, "Threshold": [{"Comparison": "LTE", "ThresholdValue": 20.0}]}
        return {"Name": name}

    return {
        "MetricInterval": {"Interval": "TOTAL", "StartTime": OCTOBER[0], "EndTime": OCTOBER[1]},
        "Dimensions": {},
        "Collections": [
            {"Metric": metric(name)} | ({"Value": value} if value is not None else {}) for name, value in values.items()
        ],
    }


OCTOBER_VALUES = {
    "CONTACTS_QUEUED": 845.0,
    "CONTACTS_HANDLED": 701.0,
    "CONTACTS_ABANDONED": 144.0,
    "SERVICE_LEVEL": 81.25,
    "AVG_HANDLE_TIME": 236.4,
}


def test_connects_month_is_asked_over_every_standard_queue_in_one_total_interval(stubber, adapter):
    stubber.add_response("list_queues", queues_page("q-inbound", token="page-2"), list_params())
    stubber.add_response("list_queues", queues_page("q-callback"), list_params("page-2"))
    stubber.add_response(
        "get_metric_data_v2",
        {"MetricResults": [metric_result(OCTOBER_VALUES)]},
        metrics_params(["q-inbound", "q-callback"]),
    )
    assert adapter.historical_figures(month_request()) == HistoricalFigures(
        queued=845,
        handled=701,
        abandoned=144,
        service_level=0.8125,
        aht_seconds=236.4,
        source="amazon_connect",
        queues=2,
    )


def test_a_month_still_running_is_asked_up_to_now(stubber, adapter):
    now = datetime(2026, 10, 14, 9, 30, tzinfo=UTC)
    stubber.add_response("list_queues", queues_page("q-inbound"), list_params())
    stubber.add_response(
        "get_metric_data_v2",
        {"MetricResults": [metric_result(OCTOBER_VALUES | {"SERVICE_LEVEL": None, "AVG_HANDLE_TIME": None})]},
        metrics_params(["q-inbound"], end=now),
    )
    figures = adapter.historical_figures(month_request(now))
    assert (figures.queued, figures.service_level, figures.aht_seconds) == (845, None, None)  # null: nothing to divide


def test_pages_of_metric_results_are_followed(stubber, adapter):
    stubber.add_response("list_queues", queues_page("q-inbound"), list_params())
    counts = {k: v for k, v in OCTOBER_VALUES.items() if k.startswith("CONTACTS")}
    rates = {k: v for k, v in OCTOBER_VALUES.items() if not k.startswith("CONTACTS")}
    stubber.add_response(
        "get_metric_data_v2",
        {"MetricResults": [metric_result(counts)], "NextToken": "n-2"},
        metrics_params(["q-inbound"]),
    )
    stubber.add_response(
        "get_metric_data_v2", {"MetricResults": [metric_result(rates)]}, metrics_params(["q-inbound"], token="n-2")
    )
    figures = adapter.historical_figures(month_request())
    assert (figures.abandoned, figures.service_level) == (144, 0.8125)


def test_no_result_is_connects_no_data_a_month_without_contacts(stubber, adapter):
    stubber.add_response("list_queues", queues_page("q-inbound"), list_params())
    stubber.add_response("get_metric_data_v2", {"MetricResults": []}, metrics_params(["q-inbound"]))
    figures = adapter.historical_figures(month_request())
    assert (figures.queued, figures.handled, figures.abandoned) == (0, 0, 0)
    assert (figures.service_level, figures.aht_seconds) == (None, None)


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (month_request(now=datetime(2027, 2, 1, 5, tzinfo=UTC)), "keeps 3 months"),  # October is over 3 months back
        (month_request(now=datetime(2026, 9, 20, tzinfo=UTC)), "has not begun"),
    ],
)
def test_what_connect_does_not_keep_is_not_asked(stubber, adapter, request_, says):
    with pytest.raises(ConnectNoHistory, match=says):
        adapter.historical_figures(request_)
    # No stub was added: the stubber would have failed any request sent.


def test_without_an_instance_there_is_nothing_to_ask(stubber, client):
    with pytest.raises(ConnectNotConfigured):
        AmazonConnect(client=client, settings=Settings()).historical_figures(month_request())


def test_an_instance_without_a_standard_queue_is_refused(stubber, adapter):
    stubber.add_response("list_queues", {"QueueSummaryList": []}, list_params())
    with pytest.raises(ConnectRefused, match="no standard queue"):
        adapter.historical_figures(month_request())


@pytest.mark.parametrize(
    ("operation", "code", "status", "expected"),
    [
        ("list_queues", "ThrottlingException", 429, ConnectUnavailable),
        ("list_queues", "AccessDeniedException", 403, ConnectRefused),
        ("get_metric_data_v2", "ThrottlingException", 429, ConnectUnavailable),
        ("get_metric_data_v2", "InternalServiceException", 500, ConnectUnavailable),
        ("get_metric_data_v2", "InvalidParameterException", 400, ConnectRefused),
        ("get_metric_data_v2", "ResourceNotFoundException", 404, ConnectRefused),
    ],
)
def test_metrics_errors_become_the_domains(stubber, adapter, operation, code, status, expected):
    if operation == "get_metric_data_v2":
        stubber.add_response("list_queues", queues_page("q-inbound"), list_params())
    stubber.add_client_error(operation, code, "no", status)
    with pytest.raises(expected, match=code):
        adapter.historical_figures(month_request())
