"""Failure handling on the event sources Chalice generates (its decorators cannot set any of it),
the encrypted CTR and agent-event streams Amazon Connect can write to, and the dead-letter queues."""

from __future__ import annotations

import pytest

from chalicelib.intake.handlers import CONTACT_EVENT_PATTERN
from infra import permissions
from infra.retries import CTR_MAX_RETRY_ATTEMPTS, CTR_STREAM_RETENTION_HOURS, EVENT_FUNCTION_RETRY_ATTEMPTS
from tests.infra.conftest import of_type


def _ref(value) -> str:
    """The logical id a `Fn::GetAtt` or `Ref` points at."""
    return value["Fn::GetAtt"][0] if "Fn::GetAtt" in value else value["Ref"]


@pytest.fixture(scope="module")
def contact_events(resources) -> dict:
    return resources["ContactEvents"]["Properties"]


@pytest.fixture(scope="module", params=[permissions.CONTACT_TRACE_RECORDS, permissions.AGENT_EVENTS])
def ctr_source(resources, request) -> dict:
    """Each Kinesis consumer's event source: the trace records', then the agent events'."""
    (event,) = resources[request.param]["Properties"]["Events"].values()
    assert event["Type"] == "Kinesis"
    return event["Properties"]


def test_contact_events_rule_matches_connect_contact_events(contact_events):
    (event,) = contact_events["Events"].values()
    assert event["Type"] in {"CloudWatchEvent", "EventBridgeRule"}
    assert event["Properties"]["Pattern"] == CONTACT_EVENT_PATTERN
    assert CONTACT_EVENT_PATTERN == {"source": ["aws.connect"], "detail-type": ["Amazon Connect Contact Event"]}


def test_contact_events_delivery_is_retried_then_dead_lettered(contact_events, resources):
    (event,) = contact_events["Events"].values()
    retry = event["Properties"]["RetryPolicy"]
    assert 0 < retry["MaximumRetryAttempts"] <= 185
    assert 60 <= retry["MaximumEventAgeInSeconds"] <= 86400
    dlq = _ref(event["Properties"]["DeadLetterConfig"]["Arn"])
    assert resources[dlq]["Type"] == "AWS::SQS::Queue"


def test_contact_events_function_errors_go_to_the_same_queue(contact_events, resources):
    (event,) = contact_events["Events"].values()
    invoke = contact_events["EventInvokeConfig"]
    # The fault-injection tests replay with these very numbers (infra/retries.py).
    assert invoke["MaximumRetryAttempts"] == EVENT_FUNCTION_RETRY_ATTEMPTS == 2
    on_failure = invoke["DestinationConfig"]["OnFailure"]
    assert on_failure["Type"] == "SQS"
    assert _ref(on_failure["Destination"]) == _ref(event["Properties"]["DeadLetterConfig"]["Arn"])


def test_eventbridge_may_write_the_dead_letter_queue(contact_events, resources):
    (event,) = contact_events["Events"].values()
    dlq = _ref(event["Properties"]["DeadLetterConfig"]["Arn"])
    policies = [
        p for p in of_type(resources, "AWS::SQS::QueuePolicy").values() if _ref(p["Properties"]["Queues"][0]) == dlq
    ]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    assert any(
        s["Effect"] == "Allow"
        and s.get("Principal") == {"Service": "events.amazonaws.com"}
        and s["Action"] == "sqs:SendMessage"
        for s in statements
    )


def test_ctr_mapping_reports_partial_failures_bisects_and_bounds_retries(ctr_source):
    assert ctr_source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert ctr_source["BisectBatchOnFunctionError"] is True
    assert 0 <= ctr_source["MaximumRetryAttempts"] <= 10
    assert ctr_source["MaximumRetryAttempts"] == CTR_MAX_RETRY_ATTEMPTS  # what the fault tests replay with
    assert ctr_source["MaximumRecordAgeInSeconds"] <= CTR_STREAM_RETENTION_HOURS * 3600
    assert ctr_source["StartingPosition"] == "TRIM_HORIZON"


def test_ctr_failures_go_to_an_sqs_queue(ctr_source, resources):
    on_failure = ctr_source["DestinationConfig"]["OnFailure"]
    assert on_failure["Type"] == "SQS"
    assert resources[_ref(on_failure["Destination"])]["Type"] == "AWS::SQS::Queue"


def test_ctr_mapping_reads_the_stacks_stream(ctr_source, resources):
    assert resources[_ref(ctr_source["Stream"])]["Type"] == "AWS::Kinesis::Stream"


def test_ctr_stream_is_encrypted_with_a_key_connect_may_use(ctr_source, resources):
    stream = resources[_ref(ctr_source["Stream"])]["Properties"]
    assert stream["Name"] in ("cagri-dev-ctr", "cagri-dev-agent-events")
    encryption = stream["StreamEncryption"]
    assert encryption["EncryptionType"] == "KMS"
    key = resources[_ref(encryption["KeyId"])]
    assert key["Type"] == "AWS::KMS::Key"
    # A customer-managed key needs Connect's service-linked role allowed to GenerateDataKey,
    # limited to this stream by the encryption context.
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    sid = "AmazonConnectWritesTraceRecords" if stream["Name"].endswith("-ctr") else "AmazonConnectWritesAgentEvents"
    (grant,) = [s for s in statements if s.get("Sid") == sid]
    assert grant["Action"] == "kms:GenerateDataKey"
    principal_arn = grant["Condition"]["ArnLike"]["aws:PrincipalArn"]
    assert "AWSServiceRoleForAmazonConnect" in str(principal_arn)
    assert "kms:EncryptionContext:aws:kinesis:arn" in grant["Condition"]["StringEquals"]
    assert stream["Name"] in str(grant["Condition"]["StringEquals"]["kms:EncryptionContext:aws:kinesis:arn"])
    # ... and the only keys Connect's role gets are the streams', not the tables'.
    streams_keys = {
        _ref(r["Properties"]["StreamEncryption"]["KeyId"]) for r in of_type(resources, "AWS::Kinesis::Stream").values()
    }
    others = [
        s
        for name, k in of_type(resources, "AWS::KMS::Key").items()
        if name not in streams_keys
        for s in k["Properties"]["KeyPolicy"]["Statement"]
    ]
    assert not any("AWSServiceRoleForAmazonConnect" in str(s) for s in others)


def test_every_queue_is_encrypted_with_our_key_and_keeps_messages_14_days(resources):
    queues = of_type(resources, "AWS::SQS::Queue")
    assert len(queues) == 3  # contact events' dead letters, trace records' and agent events' failures
    for queue in queues.values():
        props = queue["Properties"]
        assert resources[_ref(props["KmsMasterKeyId"])]["Type"] == "AWS::KMS::Key"
        assert props["MessageRetentionPeriod"] == 14 * 24 * 3600


@pytest.mark.parametrize(
    ("function", "what"),
    [(permissions.CONTACT_TRACE_RECORDS, "TraceRecords"), (permissions.AGENT_EVENTS, "AgentEvents")],
)
def test_ctr_consumer_may_decrypt_the_stream_and_write_its_failure_queue(resources, function, what):
    (event,) = resources[function]["Properties"]["Events"].values()
    ctr_source = event["Properties"]
    policy = resources[function]["DependsOn"]
    statements = [
        s
        for name in (policy if isinstance(policy, list) else [policy])
        if resources[name]["Type"] == "AWS::IAM::Policy"
        for s in resources[name]["Properties"]["PolicyDocument"]["Statement"]
    ]
    by_sid = {s["Sid"]: s for s in statements}
    assert "kms:Decrypt" in str(by_sid[f"Decrypt{what}"]["Action"])
    assert _ref(by_sid[f"Read{what}"]["Resource"]) == _ref(ctr_source["Stream"])
    stream_key = resources[_ref(ctr_source["Stream"])]["Properties"]["StreamEncryption"]["KeyId"]
    assert _ref(by_sid[f"Decrypt{what}"]["Resource"]) == _ref(stream_key)
    assert by_sid["FailureDestination"]["Action"] == "sqs:SendMessage"
    assert _ref(by_sid["FailureDestination"]["Resource"]) == _ref(
        ctr_source["DestinationConfig"]["OnFailure"]["Destination"]
    )


def test_the_two_consumers_fail_into_queues_of_their_own(resources):
    destinations = {
        function: _ref(
            next(iter(resources[function]["Properties"]["Events"].values()))["Properties"]["DestinationConfig"][
                "OnFailure"
            ]["Destination"]
        )
        for function in (permissions.CONTACT_TRACE_RECORDS, permissions.AGENT_EVENTS)
    }
    assert len(set(destinations.values())) == 2
