"""A deployed stage places callbacks and tasks, and opens agent accounts, with real ids: every function whose
code names a Connect resource in its calls (the callback queue and flow, the task flows, the hours, the routing
and security profiles, the instance) is given that resource's id by the stack — the resource the stack creates,
never the settings' zero placeholder — and may start contacts only with what it names.

What a code path needs is read from the code, not restated: the Connect adapter's methods say which settings
each call sends and which API it calls; the table below says which function reaches which method (checked
against the calling module's source), and every function granted one of those APIs must be in it."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from chalicelib.accounts import service as accounts
from chalicelib.adapters.connect import AmazonConnect
from chalicelib.adapters.connect_hours import AmazonConnectHours
from chalicelib.adapters.connect_users import AmazonConnectUsers
from chalicelib.core import config
from infra import permissions
from infra.tables import chalice_config, stage_environment
from tests.infra.conftest import ROOT, of_type
from tests.infra.test_iam import _list, _statements
from tests.infra.test_narrow_grants import text

# Function → (the module its handler reaches the adapter through, what that module calls, the adapter code).
CODE_PATHS = {
    permissions.CALLBACKS_DISPATCH: [
        ("chalicelib/callbacks/dispatcher.py", ".start_outbound_call(", AmazonConnect.start_outbound_call),
        ("chalicelib/callbacks/dispatcher.py", ".start_task(", AmazonConnect.start_task),
    ],
    permissions.REFERRALS_AGENDA: [
        ("chalicelib/referrals/agenda.py", ".start_referral_task(", AmazonConnect.start_referral_task),
    ],
    permissions.API: [
        # A unit's reply starts the answer's task through the agenda's `start_task`.
        ("chalicelib/referrals/unit_side.py", "start_task(item, now)", AmazonConnect.start_referral_task),
        ("chalicelib/closures/service.py", "get_connect_hours()", AmazonConnectHours),
        # Agent accounts: the service picks the profiles, the adapter sends them (7(e), 7(f)).
        ("chalicelib/accounts/routes.py", "service.create_agent(", accounts.create_agent),
        ("chalicelib/accounts/routes.py", "service.record_training(", accounts.record_training),
        ("chalicelib/accounts/routes.py", "get_connect_users()", AmazonConnectUsers),
        # The live screen counts the agents on the live routing profile.
        ("chalicelib/live/service.py", "connect.agents_now(", AmazonConnect.agents_now),
    ],
}
_AGENT_PROFILE = ("AWS::Connect::SecurityProfile", "SecurityProfileArn", ("SecurityProfileName", "Cagri dev temsilci"))
# What each created resource's id must come from, in order (a list setting names several): (resource type,
# attribute, how to recognise it).
CREATED = {
    permissions.CALLBACK_QUEUE_ID: [("AWS::Connect::Queue", "QueueArn", ("Name", "Cagri dev geri arama"))],
    permissions.CALLBACK_FLOW_ID: [
        ("AWS::Connect::ContactFlow", "ContactFlowArn", ("Description", "infra/flows/callback-call.json"))
    ],
    permissions.CALLBACK_TASK_FLOW_ID: [
        ("AWS::Connect::ContactFlow", "ContactFlowArn", ("Description", "infra/flows/callback-task.json"))
    ],
    permissions.REFERRAL_TASK_FLOW_ID: [
        ("AWS::Connect::ContactFlow", "ContactFlowArn", ("Description", "infra/flows/callback-task.json"))
    ],
    permissions.HOURS_OF_OPERATION_ID: [("AWS::Connect::HoursOfOperation", "HoursOfOperationArn", None)],
    permissions.AGENT_TRAINING_ROUTING_PROFILE_ID: [
        ("AWS::Connect::RoutingProfile", "RoutingProfileArn", ("Name", "Cagri dev egitim"))
    ],
    permissions.AGENT_LIVE_ROUTING_PROFILE_ID: [
        ("AWS::Connect::RoutingProfile", "RoutingProfileArn", ("Name", "Cagri dev temsilci"))
    ],
    permissions.AGENT_SECURITY_PROFILE_IDS: [_AGENT_PROFILE],
    # A supervisor takes calls too: the agents' profile, and the supervisor's on top.
    permissions.SUPERVISOR_SECURITY_PROFILE_IDS: [
        _AGENT_PROFILE,
        ("AWS::Connect::SecurityProfile", "SecurityProfileArn", ("SecurityProfileName", "Cagri dev supervizor")),
    ],
}
ZERO_ID = re.compile(r"00000000-0000-0000-0000-0000\w{8}")


def _settings_read(code) -> set[str]:
    """The settings (by environment variable) the adapter code sends: `cfg.x`, `self._settings.x`."""
    source = inspect.getsource(code)
    fields = set(re.findall(r"(?:cfg|_settings)\.(\w+)", source))
    assert fields, code  # the pattern still finds them
    return {config._ENV[f] for f in fields}


def _apis(code) -> set[str]:
    """The Connect APIs the adapter code calls (`client.start_task_contact(` → StartTaskContact)."""
    calls = re.findall(r"client\.(\w+)\(", inspect.getsource(code))
    return {"".join(part.title() for part in call.split("_")) for call in calls}


def _needs(function: str) -> set[str]:
    return set().union(*(_settings_read(code) for _, _, code in CODE_PATHS[function]))


def _env(resources: dict, function: str) -> dict:
    return resources[function]["Properties"]["Environment"]["Variables"]


def _resource_of_id(value) -> tuple[str, str]:
    """The (logical id, attribute) an id is the last ARN part of: Fn::Select 3 of Fn::Split "/" of Fn::GetAtt."""
    index, split = value["Fn::Select"]
    separator, arn = split["Fn::Split"]
    assert (index, separator) == (3, "/")
    logical_id, attribute = arn["Fn::GetAtt"]
    return logical_id, attribute


def _resources_of_ids(value) -> list[tuple[str, str]]:
    """A setting's ids: one, or a list joined with "," (how chalicelib.core.config reads a list)."""
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        assert separator == ","
        return [_resource_of_id(part) for part in parts]
    return [_resource_of_id(value)]


@pytest.mark.parametrize("function", sorted(CODE_PATHS))
def test_the_code_paths_are_the_codes(function):
    for module, call, _ in CODE_PATHS[function]:
        assert call in (ROOT / module).read_text(encoding="utf-8"), (function, module, call)


def test_every_function_granted_a_call_that_names_connect_resources_is_guarded():
    """A new function placing contacts (or writing the hours) must join CODE_PATHS, so its ids are checked."""
    apis = set().union(*(_apis(code) for paths in CODE_PATHS.values() for _, _, code in paths))
    assert {
        "StartOutboundVoiceContact",
        "StartTaskContact",
        "CreateHoursOfOperationOverride",
        "CreateUser",
        "UpdateUserRoutingProfile",
        "GetCurrentUserData",
    } <= apis
    granted = {f for f, access in permissions.ACCESS.items() if apis & set(access.connect)}
    assert granted == set(CODE_PATHS)
    for function, paths in CODE_PATHS.items():
        # …and each is granted the APIs its code calls (the adapter's, not a list kept by hand).
        assert set().union(*(_apis(code) for _, _, code in paths)) <= set(permissions.ACCESS[function].connect)


@pytest.mark.parametrize("function", sorted(CODE_PATHS))
def test_each_function_is_given_every_connect_id_its_code_sends(function, resources):
    needs = _needs(function)
    assert "CONNECT_INSTANCE_ID" in needs
    env = _env(resources, function)
    missing = sorted(needs - set(env))
    assert not missing, f"{function} sends these settings but the stack leaves them at their placeholders: {missing}"
    assert env["CONNECT_INSTANCE_ID"] == {"Ref": "ConnectInstanceId"}
    assert needs - {"CONNECT_INSTANCE_ID"} == set(permissions.ACCESS[function].connect_ids)


def test_the_guard_knows_the_settings_of_each_call():
    """Read from the adapter: what StartOutboundVoiceContact, StartTaskContact and the hours' overrides send."""
    assert _settings_read(AmazonConnect.start_outbound_call) == {
        "CONNECT_INSTANCE_ID",
        "CALLBACK_FLOW_ID",
        "CALLBACK_QUEUE_ID",
    }
    assert _settings_read(AmazonConnect.start_task) == {"CONNECT_INSTANCE_ID", "CALLBACK_TASK_FLOW_ID"}
    assert _settings_read(AmazonConnect.start_referral_task) == {"CONNECT_INSTANCE_ID", "REFERRAL_TASK_FLOW_ID"}
    assert _settings_read(AmazonConnectHours) == {"CONNECT_INSTANCE_ID", "HOURS_OF_OPERATION_ID"}
    assert _settings_read(accounts.create_agent) == {
        "AGENT_TRAINING_ROUTING_PROFILE_ID",
        "AGENT_LIVE_ROUTING_PROFILE_ID",
        "AGENT_SECURITY_PROFILE_IDS",
        "SUPERVISOR_SECURITY_PROFILE_IDS",
    }
    assert _settings_read(accounts.record_training) == {"AGENT_LIVE_ROUTING_PROFILE_ID"}
    assert _settings_read(AmazonConnectUsers) == {"CONNECT_INSTANCE_ID"}
    assert _settings_read(AmazonConnect.agents_now) == {"CONNECT_INSTANCE_ID", "AGENT_LIVE_ROUTING_PROFILE_ID"}
    assert (
        {
            "CALLBACK_QUEUE_ID",
            "CALLBACK_FLOW_ID",
            "CALLBACK_TASK_FLOW_ID",
            "REFERRAL_TASK_FLOW_ID",
            "HOURS_OF_OPERATION_ID",
            "AGENT_TRAINING_ROUTING_PROFILE_ID",
            "AGENT_LIVE_ROUTING_PROFILE_ID",
            "AGENT_SECURITY_PROFILE_IDS",
            "SUPERVISOR_SECURITY_PROFILE_IDS",
        }
        == set(permissions.CONNECT_IDS)
        == set(CREATED)
    )


def _reads(path: Path, fields: set[str]) -> set[str]:
    return set(re.findall(r"\.(\w+)\b", path.read_text(encoding="utf-8"))) & fields


def test_every_module_that_reads_a_connect_id_is_guarded():
    """A new reader of these settings (another module, another function) must join CODE_PATHS, or its function
    would send the setting's zero placeholder."""
    fields = {field for field, var in config._ENV.items() if var in permissions.CONNECT_IDS}
    assert len(fields) == len(permissions.CONNECT_IDS)
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "chalicelib").rglob("*.py")
        if path != ROOT / "chalicelib/core/config.py" and _reads(path, fields)
    }
    guarded = {
        Path(inspect.getsourcefile(code)).relative_to(ROOT).as_posix()
        for paths in CODE_PATHS.values()
        for _, _, code in paths
    }
    assert "chalicelib/accounts/service.py" in readers  # the pattern still finds them
    assert readers <= guarded, sorted(readers - guarded)


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_the_ids_are_the_created_resources_and_only_who_names_them_gets_them(function, resources):
    env = _env(resources, function)
    given = set(permissions.ACCESS[function].connect_ids)
    assert given == set(env) & set(permissions.CONNECT_IDS)
    assert not ZERO_ID.search(json.dumps(env)), f"{function} carries a placeholder Connect id"
    for var in given:
        got = _resources_of_ids(env[var])
        assert len(got) == len(CREATED[var]), var
        for (logical_id, got_attribute), (kind, attribute, named) in zip(got, CREATED[var], strict=True):
            assert resources[logical_id]["Type"] == kind and got_attribute == attribute, var
            if named:
                key, expected = named
                assert resources[logical_id]["Properties"][key] == expected, var


@pytest.mark.parametrize("stage", sorted(set(chalice_config()["stages"]) - config.LOCAL_STAGES))
def test_no_deployed_stage_is_configured_with_a_placeholder_id(stage):
    """.chalice/config.json gives a deployed stage no zero id: the stack sets every Connect id (above); the
    settings' defaults serve the local stage and the tests."""
    environment = stage_environment(stage)
    assert not ZERO_ID.search(json.dumps(environment)), stage
    assert not set(environment) & set(permissions.CONNECT_IDS), stage


def test_lists_of_ids_are_read_as_the_stack_writes_them(resources):
    supervisor = _env(resources, permissions.API)[permissions.SUPERVISOR_SECURITY_PROFILE_IDS]
    separator, parts = supervisor["Fn::Join"]
    assert len(parts) == 2
    read = config.load_settings({"SUPERVISOR_SECURITY_PROFILE_IDS": separator.join(["a1", "b2"])})
    assert read.supervisor_security_profile_ids == ["a1", "b2"]


def test_callback_and_referral_tasks_share_one_flow_into_the_callback_queue(resources):
    dispatch, agenda = _env(resources, permissions.CALLBACKS_DISPATCH), _env(resources, permissions.REFERRALS_AGENDA)
    assert dispatch["CALLBACK_TASK_FLOW_ID"] == agenda["REFERRAL_TASK_FLOW_ID"]
    assert dispatch["CALLBACK_FLOW_ID"] != dispatch["CALLBACK_TASK_FLOW_ID"]
    flows = of_type(resources, "AWS::Connect::ContactFlow")
    queue, _ = _resource_of_id(dispatch["CALLBACK_QUEUE_ID"])
    for var in ("CALLBACK_FLOW_ID", "CALLBACK_TASK_FLOW_ID"):
        flow, _ = _resource_of_id(dispatch[var])
        assert flows[flow]["Properties"]["Type"] == "CONTACT_FLOW"  # what StartOutbound…/StartTaskContact run
        _, values = flows[flow]["Properties"]["Content"]["Fn::Sub"]
        assert values == {"CallbackQueueArn": {"Fn::GetAtt": [queue, "QueueArn"]}}


def test_callers_called_back_see_the_centres_number(template, resources):
    parameter = template["Parameters"]["CallbackCallerIdNumberArn"]
    assert parameter["Type"] == "String" and ":phone-number/" in parameter["AllowedPattern"]
    queue, _ = _resource_of_id(_env(resources, permissions.CALLBACKS_DISPATCH)["CALLBACK_QUEUE_ID"])
    assert resources[queue]["Properties"]["OutboundCallerConfig"] == {
        "OutboundCallerIdNumberArn": {"Ref": "CallbackCallerIdNumberArn"}
    }


INSTANCE = "arn:${AWS::Partition}:connect:eu-central-1:${AWS::AccountId}:instance/${ConnectInstanceId}"


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_contacts_are_started_only_with_what_the_function_names(function, resources):
    """StartTaskContact on the task flows the function is given (its required `contact-flow` resource);
    StartOutboundVoiceContact on the instance's contacts; neither on the whole instance."""
    access = permissions.ACCESS[function]
    by_action: dict[str, list[str]] = {}
    for statement in _statements(resources, function):
        for action in _list(statement["Action"]):
            if action.removeprefix("connect:") in permissions.STARTS_CONTACTS:
                by_action.setdefault(action, []).extend(_text(r) for r in _list(statement["Resource"]))
    expected = {}
    if "StartOutboundVoiceContact" in access.connect:
        expected["connect:StartOutboundVoiceContact"] = [f"{INSTANCE}/contact/*"]
    if "StartTaskContact" in access.connect:
        env = _env(resources, function)
        flows = {_resource_of_id(env[v])[0] for v in access.connect_ids if v in permissions.TASK_FLOW_IDS}
        assert len(flows) == 1  # one flow serves callback and referral tasks
        (flow,) = flows
        expected["connect:StartTaskContact"] = [f"{INSTANCE}/contact-flow/<id of {flow}.ContactFlowArn>"]
    assert by_action == expected


def _text(value) -> str:
    """`text`, with a resource's id (the last part of its ARN) written as `<id of Name.Attribute>`."""
    if isinstance(value, dict) and "Fn::Select" in value:
        return "<id of {}.{}>".format(*_resource_of_id(value))
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_text(p) for p in parts)
    return text(value)
