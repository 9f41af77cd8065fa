"""Alarms e-mail the supervisor through a KMS-encrypted topic: every function's errors and throttles,
each dead-letter queue holding anything, the CTR consumer falling behind; and one dashboard."""

from __future__ import annotations

import json
import re

import pytest

from infra import operations, permissions
from tests.infra.conftest import ROOT, of_type


@pytest.fixture(scope="module")
def alarms(resources) -> list[dict]:
    return [a["Properties"] for a in of_type(resources, "AWS::CloudWatch::Alarm").values()]


@pytest.fixture(scope="module")
def topic(resources) -> str:
    (name,) = of_type(resources, "AWS::SNS::Topic")
    return name


def _dimension(alarm: dict, name: str):
    return next((d["Value"] for d in alarm.get("Dimensions", []) if d["Name"] == name), None)


def test_topic_is_encrypted_and_mails_the_supervisor(resources, topic):
    key = resources[topic]["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    assert resources[key]["Type"] == "AWS::KMS::Key"
    statements = resources[key]["Properties"]["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"} for s in statements)
    (subscription,) = of_type(resources, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["TopicArn"] == {"Ref": topic}
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    assert subscription["Properties"]["Endpoint"] == config["environment_variables"]["SUPERVISOR_ADDRESS"]


def test_every_alarm_notifies_the_topic(alarms, topic):
    assert alarms
    for alarm in alarms:
        assert alarm["AlarmActions"] == [{"Ref": topic}]
        assert alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_alarms_on_errors_and_throttles(alarms, metric):
    watched = {
        _dimension(a, "FunctionName")["Ref"]
        for a in alarms
        if a["Namespace"] == "AWS/Lambda" and a["MetricName"] == metric
    }
    assert watched == set(permissions.FUNCTIONS)
    for a in alarms:
        if a["MetricName"] == metric:
            assert a["Statistic"] == "Sum"
            assert a["Threshold"] == 0 and a["ComparisonOperator"] == "GreaterThanThreshold"


def test_each_dead_letter_queue_alarms_when_not_empty(alarms, resources):
    queues = {
        _dimension(a, "QueueName")["Fn::GetAtt"][0]
        for a in alarms
        if a["Namespace"] == "AWS/SQS" and a["MetricName"] == "ApproximateNumberOfMessagesVisible"
    }
    assert queues == set(of_type(resources, "AWS::SQS::Queue"))
    for a in alarms:
        if a["Namespace"] == "AWS/SQS":
            assert a["Threshold"] == 0 and a["ComparisonOperator"] == "GreaterThanThreshold"


def test_each_stream_consumer_alarms_when_it_falls_behind(alarms):
    ages = [a for a in alarms if a["MetricName"] == "IteratorAge"]
    functions = {_dimension(a, "FunctionName")["Ref"] for a in ages}
    assert functions == {permissions.CONTACT_TRACE_RECORDS, permissions.AGENT_EVENTS}
    for alarm in ages:
        assert alarm["Statistic"] == "Maximum"
        assert 0 < alarm["Threshold"] <= 3600 * 1000


def _counted_metrics() -> set[str]:
    names = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        names |= set(re.findall(r'\bcount\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    return names


def test_dashboard_app_metrics_are_ones_the_code_emits():
    assert set(operations.APP_METRICS) <= _counted_metrics()


def test_an_abandonment_spike_alarms_on_the_metric_the_code_emits(resources):
    assert "AbandonedCallsRecorded" in _counted_metrics()
    [spike] = [
        a["Properties"]
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "AbandonedCallsRecorded"
    ]
    assert spike["Namespace"] == operations.APP_NAMESPACE and spike["Period"] == 1800
    assert spike["Statistic"] == "Sum" and spike["Threshold"] == operations.ABANDONED_PER_30_MINUTES
    assert spike["Dimensions"] == [{"Name": "service", "Value": "cagri"}]
    assert spike["AlarmActions"] and spike["TreatMissingData"] == "notBreaching"


def test_dashboard_shows_the_alarms(resources):
    (dashboard,) = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for metric in ("Errors", "Throttles", "IteratorAge", "ApproximateNumberOfMessagesVisible"):
        assert metric in body
    assert operations.APP_NAMESPACE in body
