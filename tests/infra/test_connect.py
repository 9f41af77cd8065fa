"""The university's Amazon Connect instance may invoke the contact-flow function (and only that
instance, of this account), and the function is associated with the instance."""

from __future__ import annotations

from infra import permissions
from tests.infra.conftest import of_type


def _instance_arn(value) -> bool:
    """A `Fn::Join` building arn:<partition>:connect:<region>:<account>:instance/<ConnectInstanceId>."""
    parts = value["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "" for p in parts)
    return ":connect:" in text and ":instance/" in text and {"Ref": "ConnectInstanceId"} in parts


def _is_flow_function(value) -> bool:
    return value in ({"Fn::GetAtt": [permissions.CONTACT_FLOW, "Arn"]}, {"Ref": permissions.CONTACT_FLOW})


def test_connect_may_invoke_the_flow_function_from_the_instance_only(resources):
    grants = [
        p["Properties"]
        for p in of_type(resources, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "connect.amazonaws.com"
    ]
    assert len(grants) == 1
    (grant,) = grants
    assert grant["Action"] == "lambda:InvokeFunction"
    assert _is_flow_function(grant["FunctionName"])
    assert grant["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert _instance_arn(grant["SourceArn"])


def test_no_other_function_is_open_to_connect(resources):
    for p in of_type(resources, "AWS::Lambda::Permission").values():
        if not _is_flow_function(p["Properties"]["FunctionName"]):
            assert p["Properties"]["Principal"] != "connect.amazonaws.com"


def test_flow_function_is_associated_with_the_instance(resources):
    (resource,) = [
        r
        for r in of_type(resources, "AWS::Connect::IntegrationAssociation").values()
        if r["Properties"]["IntegrationType"] == "LAMBDA_FUNCTION"
    ]
    props = resource["Properties"]
    assert _is_flow_function(props["IntegrationArn"])
    assert _instance_arn(props["InstanceId"])
    # Associated only once Connect is allowed to invoke it.
    grant = next(
        n
        for n, p in of_type(resources, "AWS::Lambda::Permission").items()
        if p["Properties"]["Principal"] == "connect.amazonaws.com"
    )
    assert grant in resource.get("DependsOn", [])


def test_the_api_writes_closures_into_the_queues_hours(resources):
    """Declared closures become overrides of the hours the stack creates: the API is told their id (the
    last part of the hours' ARN) and may create, list and delete overrides, on the instance only."""
    (hours,) = of_type(resources, "AWS::Connect::HoursOfOperation")
    variables = resources[permissions.API]["Properties"]["Environment"]["Variables"]
    assert variables["HOURS_OF_OPERATION_ID"] == {
        "Fn::Select": [3, {"Fn::Split": ["/", {"Fn::GetAtt": [hours, "HoursOfOperationArn"]}]}]
    }
    for function, access in permissions.ACCESS.items():
        overrides = {a for a in access.connect if "HoursOfOperationOverride" in a}
        expected = {"CreateHoursOfOperationOverride", "ListHoursOfOperationOverrides", "DeleteHoursOfOperationOverride"}
        assert overrides == (expected if function == permissions.API else set()), function
