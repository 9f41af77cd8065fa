"""Grants as narrow as what uses them (issue 13, item 8): only the contact-events rule may dead-letter
into its queue, the stream readers have no enhanced fan-out action they never use, and each stream's
key decrypts for its reader only through Kinesis."""

from __future__ import annotations

import pytest

from tests.infra.conftest import of_type


def text(value) -> str:
    """A template value as one string: `Fn::Join` joined, `Ref` as `${Name}`."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(text(p) for p in parts)
    if "Ref" in value:
        return "${" + value["Ref"] + "}"
    if "Fn::GetAtt" in value:
        return "${" + ".".join(value["Fn::GetAtt"]) + "}"
    return str(value)


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _all_policy_statements(resources: dict) -> list[dict]:
    return [
        s
        for p in of_type(resources, "AWS::IAM::Policy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_only_the_contact_events_rule_may_dead_letter_into_its_queue(resources):
    (event,) = resources["ContactEvents"]["Properties"]["Events"].values()
    assert event["Type"] == "EventBridgeRule"  # SAM's type that takes a RuleName
    rule_name = event["Properties"]["RuleName"]
    assert rule_name == "cagri-dev-contact-events"
    dlq = event["Properties"]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    statements = [
        s
        for p in of_type(resources, "AWS::SQS::QueuePolicy").values()
        if p["Properties"]["Queues"][0]["Ref"] == dlq
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert statements
    for statement in statements:
        source = statement["Condition"]["ArnEquals"]["aws:SourceArn"]
        assert text(source) == (
            "arn:${AWS::Partition}:events:eu-central-1:${AWS::AccountId}:rule/cagri-dev-contact-events"
        )
        assert "*" not in text(statement["Condition"])
        assert set(statement["Condition"]) == {"ArnEquals", "StringEquals"}
        assert text(statement["Condition"]["StringEquals"]["aws:SourceAccount"]) == "${AWS::AccountId}"


def test_no_function_may_subscribe_to_a_shard(resources):
    actions = {a for s in _all_policy_statements(resources) for a in _list(s["Action"])}
    assert "kinesis:GetRecords" in actions  # the trace-record reader is there
    assert "kinesis:SubscribeToShard" not in actions


@pytest.mark.parametrize("prefix", ["CtrStreamKey", "AgentEventsStreamKey"])
def test_the_stream_key_decrypts_only_through_kinesis(resources, prefix):
    (key,) = [k for k, r in of_type(resources, "AWS::KMS::Key").items() if k.startswith(prefix)]
    on_key = [
        s
        for s in _all_policy_statements(resources)
        if any(text(r) == "${" + key + ".Arn}" for r in _list(s["Resource"]))
    ]
    assert [_list(s["Action"]) for s in on_key] == [["kms:Decrypt"]]
    (statement,) = on_key
    assert list(statement["Condition"]) == ["StringEquals"]
    assert list(statement["Condition"]["StringEquals"]) == ["kms:ViaService"]
    assert text(statement["Condition"]["StringEquals"]["kms:ViaService"]) == "kinesis.eu-central-1.amazonaws.com"
