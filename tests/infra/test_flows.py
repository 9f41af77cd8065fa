"""The contact flows kept as Flow-language JSON in infra/flows/ and the Connect resources built from
them: the JSON parses and is well formed, every block keeps to what AWS's Flow-language reference
allows of it, every Lambda block targets the contact-flow function, the flow branches only on answers
the function gives, every contact attribute the backend reads is set somewhere, the post-call survey
is the inbound call's disconnect flow, and the hours are the centre's."""

from __future__ import annotations

import json
import re

import pytest

from chalicelib.contacts.categories import CATEGORIES, OUT_OF_SCOPE, normalise_category
from chalicelib.contacts.inputs import (
    CALLBACK_ATTRIBUTE,
    CALLBACK_OUT_OF_HOURS_ATTRIBUTE,
    CALLBACK_REQUESTED_ATTRIBUTE,
    CATEGORY_ATTRIBUTE,
    REQUEST_CALLBACK,
)
from chalicelib.contacts.survey import RESOLVED_ATTRIBUTE, SCORE_ATTRIBUTE, SCORES, survey_resolved, survey_score
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
    "closure_message",
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


def test_the_flows_are_there():
    assert FLOW_NAMES == [
        "callback-call",
        "callback-task",
        "customer-queue",
        "inbound",
        "out-of-scope-closing",
        "post-call-survey",
    ]


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
    # Waiting in the queue, and in the closed centre's flow ("call me back when you open", 6(4)).
    assert sorted(name for name, a in _all_actions() if a in requests) == ["customer-queue", "inbound"]


MARKS = {
    "customer-queue": {CALLBACK_REQUESTED_ATTRIBUTE: "true"},
    "inbound": {CALLBACK_REQUESTED_ATTRIBUTE: "true", CALLBACK_OUT_OF_HOURS_ATTRIBUTE: "true"},
}


@pytest.mark.parametrize("flow", sorted(MARKS))
def test_a_callback_request_is_on_the_contact_before_the_lambda_records_it(flow):
    """The trace record carries the request even when the Lambda block failed (Connect never retries it)."""
    actions = {a["Identifier"]: a for a in _actions(flow)}
    request = next(i for i, a in actions.items() if a["Parameters"].get("LambdaInvocationAttributes"))
    into_request = {i for i, a in actions.items() if request in _targets(a)}
    assert into_request, "nothing leads to the request"
    for identifier in into_request:
        marker = actions[identifier]
        assert marker["Type"] == "UpdateContactAttributes", identifier
        assert marker["Parameters"]["Attributes"] == MARKS[flow]
        assert set(_targets(marker)) == {request}  # its error branch still records the request


def test_the_out_of_hours_offer_is_made_only_when_the_centre_is_closed():
    """Every way to the out-of-hours mark passes the closed message, which only `centre_open` ≠ true
    reaches; and each answer the request can give (or its failure) is told to the caller, then goodbye."""
    actions = {a["Identifier"]: a for a in _actions("inbound")}
    (mark,) = [i for i, a in actions.items() if a["Parameters"].get("Attributes") == MARKS["inbound"]]
    paths = _paths_to("inbound", mark)
    assert paths and all("closed" in path and "referral-ready" not in path for path in paths)
    is_open = actions["is-open"]["Transitions"]
    assert is_open["NextAction"] == "closed" and [c["NextAction"] for c in is_open["Conditions"]] == ["referral-ready"]
    request = next(i for i, a in actions.items() if a["Parameters"].get("LambdaInvocationAttributes"))
    spoken = [
        actions[p[-2]]["Parameters"]["Text"] for p in _paths_to("inbound", "hang-up") if request in p and len(p) > 1
    ]
    assert any("Merkezimiz açıldığında sizi bu numaradan arayacağız" in text for text in spoken)
    assert any("Numaranız gizli" in text for text in spoken)
    assert any("alamadık" in text for text in spoken)


def test_flows_branch_only_on_answers_the_function_gives():
    compared = {
        a["Parameters"]["ComparisonValue"].removeprefix("$.External.")
        for _, a in _all_actions()
        if a["Type"] == "Compare" and a["Parameters"]["ComparisonValue"].startswith("$.External.")
    }
    assert compared <= ANSWER_KEYS
    assert {"centre_open", "referral_answer_ready", "callback_requested", "callback_unreachable"} <= compared


def test_every_attribute_the_backend_reads_is_set_somewhere():
    set_in_flows = {
        key: value
        for _, a in _all_actions()
        if a["Type"] == "UpdateContactAttributes"
        for key, value in a["Parameters"]["Attributes"].items()
    }
    assert CATEGORY_ATTRIBUTE in set_in_flows
    assert {SCORE_ATTRIBUTE, RESOLVED_ATTRIBUTE} <= set(set_in_flows)
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


def test_the_closed_branch_reads_out_what_the_function_says():
    """A declared closure's reason and the next opening are the function's answer (chalicelib/closures/rules.py)."""
    actions = {a["Identifier"]: a for a in _actions("inbound")}
    is_open = actions["is-open"]
    closed = actions[is_open["Transitions"]["NextAction"]]
    assert closed["Type"] == "MessageParticipant"
    assert closed["Parameters"]["Text"] == "$.External.closure_message"


# From the Flow-language reference (docs.aws.amazon.com/connect/latest/APIReference/
# participant-actions-getparticipantinput.html, contact-actions-updatecontacteventhooks.html).
EVENT_HOOKS = {
    "AgentHold",
    "AgentWhisper",
    "CustomerHold",
    "CustomerQueue",
    "CustomerRemaining",
    "CustomerWhisper",
    "DefaultAgentUI",
    "DisconnectAgentUI",
    "PauseContact",
    "ResumeContact",
}
DTMF_KEYS = set("0123456789*#")


def test_menus_keep_to_get_participant_input_rules():
    """A menu (StoreInput False) branches with Equals on one static key each, waits 1–180 s, and always
    handles NoMatchingError (and, as a menu, NoMatchingCondition)."""
    menus = [a for _, a in _all_actions() if a["Type"] == "GetParticipantInput"]
    assert menus
    for menu in menus:
        params, transitions = menu["Parameters"], menu["Transitions"]
        assert params["StoreInput"] == "False" and 1 <= int(params["InputTimeLimitSeconds"]) <= 180
        assert sum(key in params for key in ("Text", "SSML", "PromptId")) == 1
        keys = [c["Condition"]["Operands"] for c in transitions["Conditions"]]
        assert all(c["Condition"]["Operator"] == "Equals" for c in transitions["Conditions"])
        assert all(len(k) == 1 and k[0] in DTMF_KEYS for k in keys) and len(keys) == len({k[0] for k in keys})
        errors = {e["ErrorType"] for e in transitions["Errors"]}
        assert (
            {"NoMatchingError", "NoMatchingCondition"}
            <= errors
            <= {
                "NoMatchingError",
                "NoMatchingCondition",
                "InputTimeLimitExceeded",
            }
        )


def test_event_hooks_set_one_known_hook_each():
    for _, action in _all_actions():
        if action["Type"] == "UpdateContactEventHooks":
            (hook,) = action["Parameters"]["EventHooks"]  # "Only one entry may be present in this map."
            assert hook in EVENT_HOOKS


def _paths_to(flow: str, target: str) -> list[list[str]]:
    """Every path from the flow's start to `target` (none revisits an action)."""
    document = json.loads(flow_text(flow))
    by_id = {a["Identifier"]: a for a in document["Actions"]}
    paths, todo = [], [[document["StartAction"]]]
    while todo:
        path = todo.pop()
        if path[-1] == target:
            paths.append(path)
            continue
        todo += [path + [n] for n in dict.fromkeys(_targets(by_id[path[-1]])) if n not in path]
    return paths


def test_every_call_an_agent_may_take_has_the_survey_as_its_disconnect_flow():
    """Set before the transfer on every path to the queue, so Connect runs the survey for a caller still
    on the line when the agent hangs up (the documented place for a post-call survey)."""
    actions = {a["Identifier"]: a for a in _actions("inbound")}
    hooks = [i for i, a in actions.items() if a["Type"] == "UpdateContactEventHooks"]
    survey = [i for i in hooks if actions[i]["Parameters"]["EventHooks"] == {"CustomerRemaining": "${SurveyFlowArn}"}]
    assert len(survey) == 1
    (transfer,) = [i for i, a in actions.items() if a["Type"] == "TransferContactToQueue"]
    paths = _paths_to("inbound", transfer)
    assert paths and all(survey[0] in path for path in paths)


def test_the_survey_writes_only_what_the_backend_reads_as_an_answer():
    """Each key 1–5 sets that score, 1 and 2 set yes and no, and every value reads back as itself."""
    actions = {a["Identifier"]: a for a in _actions("post-call-survey")}
    written = {}
    for menu in (a for a in actions.values() if a["Type"] == "GetParticipantInput"):
        for condition in menu["Transitions"]["Conditions"]:
            (key,) = condition["Condition"]["Operands"]
            target = actions[condition["NextAction"]]
            assert target["Type"] == "UpdateContactAttributes" and target["Parameters"]["TargetContact"] == "Current"
            written.setdefault(key, set()).update(target["Parameters"]["Attributes"].items())
    scores = {v for pairs in written.values() for k, v in pairs if k == SCORE_ATTRIBUTE}
    assert scores == set(SCORES) and all((SCORE_ATTRIBUTE, key) in written[key] for key in SCORES)
    assert all(survey_score(v) == v for v in scores)
    assert {(RESOLVED_ATTRIBUTE, "yes")} <= written["1"] and {(RESOLVED_ATTRIBUTE, "no")} <= written["2"]
    assert all(survey_resolved(v) == v for k, v in set().union(*written.values()) if k == RESOLVED_ATTRIBUTE)
    assert not [a for a in actions.values() if a["Type"] == "InvokeLambdaFunction"]  # the trace record carries it


def test_the_survey_flow_is_an_inbound_type_flow_the_inbound_flow_points_to(resources):
    flows = of_type(resources, "AWS::Connect::ContactFlow")
    (survey_id,) = [
        i for i, r in flows.items() if r["Properties"]["Description"] == "infra/flows/post-call-survey.json"
    ]
    assert flows[survey_id]["Properties"]["Type"] == "CONTACT_FLOW"  # Connect's sample disconnect flow: inbound
    (inbound,) = [r for r in flows.values() if r["Properties"]["Description"] == "infra/flows/inbound.json"]
    _, values = inbound["Properties"]["Content"]["Fn::Sub"]
    assert values["SurveyFlowArn"] == {"Fn::GetAtt": [survey_id, "ContactFlowArn"]}


def test_flows_speak_turkish():
    for _, a in _all_actions():
        if a["Type"] == "UpdateContactTextToSpeechVoice":
            assert a["Parameters"]["TextToSpeechVoice"] == "Filiz"  # Amazon Polly's Turkish voice
    assert {"set-voice"} <= {a["Identifier"] for a in _actions("inbound")}
    assert _actions("post-call-survey")[0]["Type"] == "UpdateContactTextToSpeechVoice"


def test_hours_and_queue(resources):
    env = stage_environment(STAGE)
    (hours,) = of_type(resources, "AWS::Connect::HoursOfOperation").values()
    props = hours["Properties"]
    assert props["TimeZone"] == "Europe/Istanbul" == env["CENTRE_TIMEZONE"]
    assert [c["Day"] for c in props["Config"]] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    for c in props["Config"]:
        assert (c["StartTime"], c["EndTime"]) == ({"Hours": 8, "Minutes": 30}, {"Hours": 17, "Minutes": 30})
    assert env["OPENING_TIME"] == "08:30" and env["CLOSING_TIME"] == "17:30"
    # The inbound queue and the callback queue keep the same hours (a declared closure closes both).
    queues = of_type(resources, "AWS::Connect::Queue").values()
    assert sorted(q["Properties"]["Name"] for q in queues) == ["Cagri dev cagri merkezi", "Cagri dev geri arama"]
    hours_id = next(iter(of_type(resources, "AWS::Connect::HoursOfOperation")))
    for queue in queues:
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


CALLBACK_GREETING = "Merhaba, OSTİM Teknik Üniversitesi Çağrı Merkezi'nden arıyoruz; sizi bir temsilciye bağlıyoruz."


def _reachable(flow: str, start: str) -> set[str]:
    by_id = {a["Identifier"]: a for a in _actions(flow)}
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += _targets(by_id[current])
    return seen


@pytest.mark.parametrize("flow", ["callback-call", "callback-task"])
def test_a_callback_goes_into_the_callback_queue_and_a_failure_hangs_up(flow):
    """What StartOutboundVoiceContact (the caller answered) and StartTaskContact run: the callback queue as
    the working queue on every way to the transfer; if either fails, the contact ends (the attempt's record
    tells the dispatcher, which tries again) and never reaches another queue."""
    actions = {a["Identifier"]: a for a in _actions(flow)}
    (target,) = [i for i, a in actions.items() if a["Type"] == "UpdateContactTargetQueue"]
    (transfer,) = [i for i, a in actions.items() if a["Type"] == "TransferContactToQueue"]
    assert actions[target]["Parameters"] == {"QueueId": "${CallbackQueueArn}"}
    paths = _paths_to(flow, transfer)
    assert paths and all(target in path for path in paths)
    assert {e["ErrorType"] for e in actions[transfer]["Transitions"]["Errors"]} == {
        "QueueAtCapacity",
        "NoMatchingError",
    }
    for step in (target, transfer):
        for error in actions[step]["Transitions"]["Errors"]:
            after = _reachable(flow, error["NextAction"])
            assert transfer not in after, (step, error)
            assert any(actions[i]["Type"] == "DisconnectParticipant" for i in after), (step, error)


def test_the_caller_called_back_hears_who_calls_in_turkish_first():
    actions = {a["Identifier"]: a for a in _actions("callback-call")}
    start = actions[json.loads(flow_text("callback-call"))["StartAction"]]
    assert start["Type"] == "UpdateContactTextToSpeechVoice" and start["Parameters"]["TextToSpeechVoice"] == "Filiz"
    (transfer,) = [i for i, a in actions.items() if a["Type"] == "TransferContactToQueue"]
    for path in _paths_to("callback-call", transfer):
        assert [actions[i]["Parameters"].get("Text") for i in path if actions[i]["Type"] == "MessageParticipant"] == [
            CALLBACK_GREETING
        ]
    apologies = [a["Parameters"]["Text"] for a in actions.values() if a["Type"] == "MessageParticipant"]
    assert any("bağlayamıyoruz" in text for text in apologies)  # the failure branch says so before hanging up


def test_a_task_flow_speaks_to_nobody():
    """A task has no caller on a line: no voice, no prompt, no menu (nobody would hear them)."""
    kinds = {a["Type"] for a in _actions("callback-task")}
    assert kinds == {"UpdateContactTargetQueue", "TransferContactToQueue", "DisconnectParticipant"}
