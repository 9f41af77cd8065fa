"""What agent accounts are opened with (directive 7(e), 7(f)), as the stack creates it: a trained agent's
routing profile takes the inbound queue's callers and, from the callback queue, the callers rung back and the
tasks returning something to a caller (without it nobody is ever offered a callback); a new agent's takes no
queue; every account gets the agents' security profile with the panel, a supervisor's the supervisor's too.

The queues are found from what uses them (the inbound flow's queue, the queue the dispatcher rings callers
back from, the queue the task flows place tasks in), not by name."""

from __future__ import annotations

import pytest

from infra import permissions
from infra.contact_centre import AGENT_PERMISSIONS, SUPERVISOR_PERMISSIONS
from tests.infra.conftest import of_type
from tests.infra.test_connect_ids import _env, _resource_of_id, _resources_of_ids

GET_ATT = "Fn::GetAtt"


def _flow_values(resources: dict, name: str) -> dict:
    (flow,) = [
        r
        for r in of_type(resources, "AWS::Connect::ContactFlow").values()
        if r["Properties"]["Description"] == f"infra/flows/{name}.json"
    ]
    _, values = flow["Properties"]["Content"]["Fn::Sub"]
    return values


@pytest.fixture(scope="module")
def queues(resources) -> dict[str, str]:
    """The queues' logical ids: the inbound flow's, and the callback queue (the dispatcher's, the task flows')."""
    inbound = _flow_values(resources, "inbound")["QueueArn"][GET_ATT]
    callback, _ = _resource_of_id(_env(resources, permissions.CALLBACKS_DISPATCH)["CALLBACK_QUEUE_ID"])
    assert _flow_values(resources, "callback-task")["CallbackQueueArn"] == {GET_ATT: [callback, "QueueArn"]}
    assert inbound == [inbound[0], "QueueArn"] and inbound[0] != callback
    return {"inbound": inbound[0], "callback": callback}


def _profile(resources: dict, var: str) -> dict:
    (logical_id, attribute), *more = _resources_of_ids(_env(resources, permissions.API)[var])
    assert attribute == "RoutingProfileArn" and not more
    return resources[logical_id]["Properties"]


def _routed(profile: dict) -> set[tuple[str, str]]:
    """(queue logical id, channel) for each queue the profile takes contacts from."""
    routed = set()
    for config in profile.get("QueueConfigs", []):
        reference = config["QueueReference"]
        queue, attribute = reference["QueueArn"][GET_ATT]
        assert attribute == "QueueArn"
        routed.add((queue, reference["Channel"]))
    return routed


def _concurrency(profile: dict) -> dict[str, int]:
    return {m["Channel"]: m["Concurrency"] for m in profile["MediaConcurrencies"]}


def test_trained_agents_take_callers_callbacks_and_tasks(resources, queues):
    live = _profile(resources, permissions.AGENT_LIVE_ROUTING_PROFILE_ID)
    routed = _routed(live)
    for queue in ("inbound", "callback"):
        assert (queues[queue], "VOICE") in routed, queue
    # Callback tasks and units' answers are placed in the callback queue (the task flows): taken as tasks.
    assert (queues["callback"], "TASK") in routed
    assert {queue for queue, _ in routed} == set(queues.values())
    concurrency = _concurrency(live)
    assert concurrency["VOICE"] == 1 and concurrency["TASK"] >= 1
    # Every channel a queue is routed on is one the agent can handle.
    assert {channel for _, channel in routed} <= set(concurrency)
    # Nobody rung back waits behind a caller who came in later: same priority, no delay.
    assert {(c["Priority"], c["Delay"]) for c in live["QueueConfigs"]} == {(1, 0)}


def test_new_agents_take_no_queue_until_trained(resources, queues):
    training = _profile(resources, permissions.AGENT_TRAINING_ROUTING_PROFILE_ID)
    assert not _routed(training)
    assert training["MediaConcurrencies"]  # required by Connect, routes nothing without a queue
    assert training is not _profile(resources, permissions.AGENT_LIVE_ROUTING_PROFILE_ID)


@pytest.mark.parametrize(
    "var", [permissions.AGENT_TRAINING_ROUTING_PROFILE_ID, permissions.AGENT_LIVE_ROUTING_PROFILE_ID]
)
def test_agents_call_out_with_the_centres_number(resources, queues, var):
    """The callback queue's caller ID is the centre's number (test_connect_ids)."""
    assert _profile(resources, var)["DefaultOutboundQueueArn"] == {GET_ATT: [queues["callback"], "QueueArn"]}


def test_every_account_gets_the_agents_profile_and_a_supervisors_the_supervisors_too(resources):
    api = _env(resources, permissions.API)
    agents = _resources_of_ids(api[permissions.AGENT_SECURITY_PROFILE_IDS])
    supervisors = _resources_of_ids(api[permissions.SUPERVISOR_SECURITY_PROFILE_IDS])
    assert len(agents) == 1 and supervisors[0] == agents[0] and len(supervisors) == 2
    (agent, _), (supervisor, _) = supervisors
    assert set(resources[agent]["Properties"]["Permissions"]) == set(AGENT_PERMISSIONS)
    assert set(resources[supervisor]["Properties"]["Permissions"]) == set(SUPERVISOR_PERMISSIONS)
    # Only what the centre's work needs: the CCP and calling out; the real-time metrics and contact search.
    assert {"BasicAgentAccess", "OutboundCallAccess"} == set(AGENT_PERMISSIONS)
    assert {"AccessMetrics.RealTimeMetrics.Access", "ContactSearch.View"} <= set(SUPERVISOR_PERMISSIONS)
    assert not any(p.endswith((".Create", ".Edit", ".Delete")) for p in (*AGENT_PERMISSIONS, *SUPERVISOR_PERMISSIONS))


def test_the_agents_profile_gives_the_panel_once_the_instance_lists_it(resources):
    (application,) = of_type(resources, "AWS::AppIntegrations::Application").values()
    (association,) = [
        name
        for name, r in of_type(resources, "AWS::Connect::IntegrationAssociation").items()
        if r["Properties"]["IntegrationType"] == "APPLICATION"
    ]
    (agent, _), (supervisor, _) = _resources_of_ids(
        _env(resources, permissions.API)[permissions.SUPERVISOR_SECURITY_PROFILE_IDS]
    )
    assert resources[agent]["Properties"]["Applications"] == [
        {"Namespace": application["Properties"]["Namespace"], "ApplicationPermissions": ["ACCESS"]}
    ]
    assert association in resources[agent]["DependsOn"]
    assert "Applications" not in resources[supervisor]["Properties"]  # supervisors have the agents' profile too
