"""The contact flows kept as Flow-language JSON in infra/flows/ and the Connect resources built from
them: the JSON parses and is well formed, every Lambda block targets the contact-flow function, the
flow branches only on answers the function gives, every contact attribute the backend reads is set
somewhere, and the hours are the centre's."""

from __future__ import annotations

import json
import re

import pytest

from chalicelib.contacts.categories import CATEGORIES, OUT_OF_SCOPE, normalise_category
from chalicelib.contacts.inputs import (
    CALLBACK_ATTRIBUTE,
    CALLBACK_REQUESTED_ATTRIBUTE,
    CATEGORY_ATTRIBUTE,
    REQUEST_CALLBACK,
)
from chalicelib.intake import flow as flow_module
from infra import permissions
from infra.contact_centre import FLOWS, flow_text
from infra.tables import stage_environment
from tests.infra.conftest import ROOT, STAGE, of_type

FLOW_NAMES = sorted(p.stem for p in FLOWS.glob("*.json"))
# What `chalicelib.intake.flow.answer_flow` returns (a flat string map: Connect's STRING_MAP).
ANSWER_KEYS = {
    "centre_open",
    "closure_reason",
    "next_opening",
    "open_callback",
    "callback_requested",
    "callback_unreachable",
    "open_referral",
    "referral_answer_ready",
    "referral_reference",
    "error",
    "error_reason",
}
FORBIDDEN_ID_CHARS = set("%:(\\/)=$,;[]{}")


def _actions(name: str) -> list[dict]:
    return json.loads(flow_text(name))["Actions"]


def _all_actions() -> list[tuple[str, dict]]:
    return [(name, a) for name in FLOW_NAMES for a in _actions(name)]


def _targets(action: dict) -> list[str]:
    t = action.get("Transitions", {})
    nxt = [t["NextAction"]] if "NextAction" in t else []
    return nxt + [c["NextAction"] for c in t.get("Conditions", [])] + [e["NextAction"] for e in t.get("Errors", [])]


def test_the_three_flows_are_there():
    assert FLOW_NAMES == ["customer-queue", "inbound", "out-of-scope-closing"]


def test_answer_keys_are_the_functions():
    source = (ROOT / "chalicelib/intake/flow.py").read_text(encoding="utf-8")
    assert set(re.findall(r'^\s+"(\w+)": ', source, re.M)) == ANSWER_KEYS
    assert flow_module.answer_flow  # the module the keys are read from


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_flow_parses_and_every_transition_lands(name):
    document = json.loads(flow_text(name))
    assert document["Version"] == "2019-10-30"
    ids = [a["Identifier"] for a in document["Actions"]]
    assert len(ids) == len(set(ids))
    assert document["StartAction"] in ids
    for action in document["Actions"]:
        assert len(action["Identifier"]) <= 50 and not FORBIDDEN_ID_CHARS & set(action["Identifier"])
        for target in _targets(action):
            assert target in ids, (action["Identifier"], target)
        if action["Type"] != "DisconnectParticipant":
            assert _targets(action), action["Identifier"]  # no dead end but hanging up
    reachable, todo = set(), [document["StartAction"]]
    by_id = {a["Identifier"]: a for a in document["Actions"]}
    while todo:
        current = todo.pop()
        if current not in reachable:
            reachable.add(current)
            todo += _targets(by_id[current])
    assert reachable == set(ids)


def test_every_lambda_block_targets_the_flow_function():
    blocks = [a for _, a in _all_actions() if a["Type"] == "InvokeLambdaFunction"]
    assert blocks
    for block in blocks:
        params = block["Parameters"]
        assert params["LambdaFunctionARN"] == "${ContactFlowFunctionArn}"
        assert 0 < int(params["InvocationTimeLimitSeconds"]) <= 8
        assert params["ResponseValidation"] == {"ResponseType": "STRING_MAP"}
        assert params["InvocationType"] == "SYNCHRONOUS"


def test_the_placeholder_is_the_flow_function_in_the_template(resources):
    flows = of_type(resources, "AWS::Connect::ContactFlow")
    assert len(flows) == len(FLOW_NAMES)
    for resource in flows.values():
        content = resource["Properties"]["Content"]
        if "Fn::Sub" not in content:
            assert "InvokeLambdaFunction" not in content and "${" not in content
            continue
        text, values = content["Fn::Sub"]
        assert set(re.findall(r"\$\{(\w+)\}", text)) == set(values)
        if "${ContactFlowFunctionArn}" in text:
            assert values["ContactFlowFunctionArn"] == {"Fn::GetAtt": [permissions.CONTACT_FLOW, "Arn"]}


def test_callback_is_requested_with_the_action_the_function_knows():
    requests = [
        a
        for _, a in _all_actions()
        if a["Type"] == "InvokeLambdaFunction"
        and a["Parameters"].get("LambdaInvocationAttributes", {}).get("action") == REQUEST_CALLBACK
    ]
    assert requests, "no 'call me back' block"
    assert all(name == "customer-queue" for name, a in _all_actions() if a in requests)


def test_a_callback_request_is_on_the_contact_before_the_lambda_records_it():
    """The trace record carries the request even when the Lambda block failed (Connect never retries it)."""
    actions = {a["Identifier"]: a for a in _actions("customer-queue")}
    request = next(i for i, a in actions.items() if a["Parameters"].get("LambdaInvocationAttributes"))
    into_request = {i for i, a in actions.items() if request in _targets(a)}
    assert into_request, "nothing leads to the request"
    for identifier in into_request:
        marker = actions[identifier]
        assert marker["Type"] == "UpdateContactAttributes", identifier
        assert marker["Parameters"]["Attributes"] == {CALLBACK_REQUESTED_ATTRIBUTE: "true"}
        assert set(_targets(marker)) == {request}  # its error branch still records the request


def test_flows_branch_only_on_answers_the_function_gives():
    compared = {
        a["Parameters"]["ComparisonValue"].removeprefix("$.External.")
        for _, a in _all_actions()
        if a["Type"] == "Compare" and a["Parameters"]["ComparisonValue"].startswith("$.External.")
    }
    assert compared <= ANSWER_KEYS
    assert {"centre_open", "referral_answer_ready", "callback_requested"} <= compared


def test_every_attribute_the_backend_reads_is_set_somewhere():
    set_in_flows = {
        key: value
        for _, a in _all_actions()
        if a["Type"] == "UpdateContactAttributes"
        for key, value in a["Parameters"]["Attributes"].items()
    }
    assert CATEGORY_ATTRIBUTE in set_in_flows
    # callback_id is put on the outbound callback contact by chalicelib.adapters.connect (StartOutboundVoiceContact).
    assert f'"{CALLBACK_ATTRIBUTE}": placement.callback_id' in (ROOT / "chalicelib/adapters/connect.py").read_text(
        encoding="utf-8"
    )


def test_category_values_are_the_backends_and_all_are_offered():
    values = [
        a["Parameters"]["Attributes"][CATEGORY_ATTRIBUTE]
        for _, a in _all_actions()
        if a["Type"] == "UpdateContactAttributes" and CATEGORY_ATTRIBUTE in a["Parameters"]["Attributes"]
    ]
    assert all(normalise_category(v) == v and v in CATEGORIES for v in values)
    assert set(values) == set(CATEGORIES)
    closing = [a for a in _actions("out-of-scope-closing") if a["Type"] == "UpdateContactAttributes"]
    assert closing[0]["Parameters"]["Attributes"][CATEGORY_ATTRIBUTE] == OUT_OF_SCOPE


def test_flows_speak_turkish():
    for _, a in _all_actions():
        if a["Type"] == "UpdateContactTextToSpeechVoice":
            assert a["Parameters"]["TextToSpeechVoice"] == "Filiz"  # Amazon Polly's Turkish voice
    assert {"set-voice"} <= {a["Identifier"] for a in _actions("inbound")}


def test_hours_and_queue(resources):
    env = stage_environment(STAGE)
    (hours,) = of_type(resources, "AWS::Connect::HoursOfOperation").values()
    props = hours["Properties"]
    assert props["TimeZone"] == "Europe/Istanbul" == env["CENTRE_TIMEZONE"]
    assert [c["Day"] for c in props["Config"]] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    for c in props["Config"]:
        assert (c["StartTime"], c["EndTime"]) == ({"Hours": 8, "Minutes": 30}, {"Hours": 17, "Minutes": 30})
    assert env["OPENING_TIME"] == "08:30" and env["CLOSING_TIME"] == "17:30"
    (queue,) = of_type(resources, "AWS::Connect::Queue").values()
    hours_id = next(iter(of_type(resources, "AWS::Connect::HoursOfOperation")))
    assert queue["Properties"]["HoursOfOperationArn"] == {"Fn::GetAtt": [hours_id, "HoursOfOperationArn"]}


def test_flows_are_created_after_the_function_is_associated(resources):
    (association,) = [
        name
        for name, r in of_type(resources, "AWS::Connect::IntegrationAssociation").items()
        if r["Properties"]["IntegrationType"] == "LAMBDA_FUNCTION"
    ]
    types = {r["Properties"]["Type"] for r in of_type(resources, "AWS::Connect::ContactFlow").values()}
    assert types == {"CONTACT_FLOW", "CUSTOMER_QUEUE", "QUEUE_TRANSFER"}
    for resource in of_type(resources, "AWS::Connect::ContactFlow").values():
        assert association in resource.get("DependsOn", [])


@pytest.mark.parametrize(
    ("resource_type", "function"),
    [("CONTACT_TRACE_RECORDS", permissions.CONTACT_TRACE_RECORDS), ("AGENT_EVENTS", permissions.AGENT_EVENTS)],
)
def test_trace_records_and_agent_events_stream_into_the_stacks_streams(resources, resource_type, function):
    configs = of_type(resources, "AWS::Connect::InstanceStorageConfig").values()
    assert sorted(c["Properties"]["ResourceType"] for c in configs) == ["AGENT_EVENTS", "CONTACT_TRACE_RECORDS"]
    (config,) = [c for c in configs if c["Properties"]["ResourceType"] == resource_type]
    props = config["Properties"]
    assert props["StorageType"] == "KINESIS_STREAM"
    stream = props["KinesisStreamConfig"]["StreamArn"]["Fn::GetAtt"][0]
    assert resources[stream]["Type"] == "AWS::Kinesis::Stream"
    (event,) = resources[function]["Properties"]["Events"].values()
    assert event["Properties"]["Stream"] == {"Fn::GetAtt": [stream, "Arn"]}
