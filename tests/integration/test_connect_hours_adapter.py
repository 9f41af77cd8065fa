"""The hours-of-operation override adapter against botocore's Stubber: every request is validated by
the real Connect service model (moto has no Connect hours APIs), and the simulated twin behaves alike."""

from __future__ import annotations

from datetime import date, time

import boto3
import pytest

from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_hours import AmazonConnectHours, HoursOverride, override_name
from chalicelib.core.config import Settings

INSTANCE = "a1b2c3d4-0000-4000-8000-000000000001"
HOURS = "a1b2c3d4-0000-4000-8000-0000000000b1"
OVERRIDE = "a1b2c3d4-0000-4000-8000-0000000000c1"
SETTINGS = Settings(connect_instance_id=INSTANCE, hours_of_operation_id=HOURS)
FRIDAY = date(2026, 12, 4)
WHERE = {"InstanceId": INSTANCE, "HoursOfOperationId": HOURS}


@pytest.fixture
def client():
    return boto3.client("connect", region_name="eu-central-1")


@pytest.fixture
def adapter(client):
    return AmazonConnectHours(client=client, settings=SETTINGS)


def create_params(config: list, reason: str = "Kar tatili") -> dict:
    return {
        **WHERE,
        "Name": "Cagri kapanis 2026-12-04",
        "Description": reason,
        "Config": config,
        "EffectiveFrom": "2026-12-04",
        "EffectiveTill": "2026-12-04",
    }


def listed(*names: str, token: str | None = None) -> dict:
    page: dict = {
        "HoursOfOperationOverrideList": [
            {"HoursOfOperationOverrideId": f"{OVERRIDE[:-2]}{i:02d}", "Name": name} for i, name in enumerate(names)
        ]
    }
    if token:
        page["NextToken"] = token
    return page


def test_a_day_closed_all_day_is_an_override_with_no_hours(stubber, adapter):
    stubber.add_response(
        "create_hours_of_operation_override", {"HoursOfOperationOverrideId": OVERRIDE}, create_params([])
    )
    assert adapter.create_override(HoursOverride(FRIDAY, "Kar tatili")) == OVERRIDE


def test_a_closure_from_a_time_keeps_the_morning_open(stubber, adapter):
    morning = [{"Day": "FRIDAY", "StartTime": {"Hours": 8, "Minutes": 30}, "EndTime": {"Hours": 14, "Minutes": 0}}]
    stubber.add_response(
        "create_hours_of_operation_override", {"HoursOfOperationOverrideId": OVERRIDE}, create_params(morning)
    )
    assert adapter.create_override(HoursOverride(FRIDAY, "Kar tatili", time(8, 30), time(14, 0))) == OVERRIDE


def test_a_long_reason_is_cut_to_connects_limit(stubber, adapter):
    reason = "ç" * 300
    stubber.add_response(
        "create_hours_of_operation_override",
        {"HoursOfOperationOverrideId": OVERRIDE},
        create_params([], reason="ç" * 250),
    )
    assert adapter.create_override(HoursOverride(FRIDAY, reason)) == OVERRIDE


def test_an_override_already_there_is_found_by_its_name(stubber, adapter):
    """A retry after a timeout where Connect had acted: DuplicateResource, then the list names it."""
    stubber.add_client_error(
        "create_hours_of_operation_override", "DuplicateResourceException", "exists", 409, None, create_params([])
    )
    stubber.add_response("list_hours_of_operation_overrides", listed("Başka", token="t1"), {**WHERE, "MaxResults": 100})
    stubber.add_response(
        "list_hours_of_operation_overrides",
        listed("x", override_name(FRIDAY)),
        {**WHERE, "MaxResults": 100, "NextToken": "t1"},
    )
    assert adapter.create_override(HoursOverride(FRIDAY, "Kar tatili")) == f"{OVERRIDE[:-2]}01"


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("ThrottlingException", 429, ConnectUnavailable),
        ("InternalServiceException", 500, ConnectUnavailable),
        ("LimitExceededException", 429, ConnectUnavailable),  # also the 50 overrides per hours quota
        ("InvalidParameterException", 400, ConnectRefused),
        ("ResourceNotFoundException", 404, ConnectRefused),  # a wrong HOURS_OF_OPERATION_ID
    ],
)
def test_connect_errors_become_the_domains(stubber, adapter, code, status, kind):
    stubber.add_client_error("create_hours_of_operation_override", code, "no", status, None, create_params([]))
    with pytest.raises(kind):
        adapter.create_override(HoursOverride(FRIDAY, "Kar tatili"))


def test_withdrawing_deletes_the_known_override(stubber, adapter):
    stubber.add_response("delete_hours_of_operation_override", {}, {**WHERE, "HoursOfOperationOverrideId": OVERRIDE})
    adapter.delete_override(FRIDAY, OVERRIDE)


def test_withdrawing_without_an_id_finds_the_days_override_by_name(stubber, adapter):
    stubber.add_response(
        "list_hours_of_operation_overrides", listed(override_name(FRIDAY)), {**WHERE, "MaxResults": 100}
    )
    stubber.add_response(
        "delete_hours_of_operation_override", {}, {**WHERE, "HoursOfOperationOverrideId": f"{OVERRIDE[:-2]}00"}
    )
    adapter.delete_override(FRIDAY, None)


def test_an_override_already_gone_is_no_error_but_connect_down_is(stubber, adapter):
    params = {**WHERE, "HoursOfOperationOverrideId": OVERRIDE}
    stubber.add_client_error(
        "delete_hours_of_operation_override", "ResourceNotFoundException", "gone", 404, None, params
    )
    adapter.delete_override(FRIDAY, OVERRIDE)
    stubber.add_client_error("delete_hours_of_operation_override", "ThrottlingException", "slow", 429, None, params)
    with pytest.raises(ConnectUnavailable):
        adapter.delete_override(FRIDAY, OVERRIDE)


def test_the_simulated_twin_keeps_one_override_per_day(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    from cli.embedded.connect import SimulatedConnectHours

    twin = SimulatedConnectHours()
    first = twin.create_override(HoursOverride(FRIDAY, "Kar tatili", time(8, 30), time(14, 0)))
    assert twin.create_override(HoursOverride(FRIDAY, "Kar tatili")) == first  # same name: the one there
    assert twin.overrides() == {
        first: {
            "name": "Cagri kapanis 2026-12-04",
            "day": "2026-12-04",
            "description": "Kar tatili",
            "open": [{"from": "08:30", "until": "14:00"}],
        }
    }
    twin.delete_override(FRIDAY, None)
    assert twin.overrides() == {}
    twin.delete_override(FRIDAY, first)  # already gone: no error, as the adapter
