"""The agents' panel is a third-party application of the university's Connect instance: loaded from its own
address and origin, opened with each contact, holding the workspace permissions it uses and no more, and
associated with the instance."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from infra import console_site
from tests.infra.conftest import ROOT, of_type
from tests.infra.test_connect import _instance_arn

CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
PANEL_URL = CONFIG["stages"]["dev"]["environment_variables"]["PUBLIC_BASE_URL"].rstrip("/") + "/console/"
WORKSPACE_ADAPTER = ROOT / "console" / "src" / "workspace" / "connect.ts"


@pytest.fixture(scope="module")
def application(resources) -> tuple[str, dict]:
    ((name, resource),) = of_type(resources, "AWS::AppIntegrations::Application").items()
    return name, resource["Properties"]


def test_the_application_loads_the_panel_from_its_own_origin(resources, application):
    _, props = application
    source = props["ApplicationSourceConfig"]["ExternalUrlConfig"]
    assert source["AccessUrl"] == PANEL_URL
    (client,) = [r["Properties"] for r in of_type(resources, "AWS::Cognito::UserPoolClient").values()]
    assert client["CallbackURLs"] == [source["AccessUrl"]]  # signing in comes back to the panel
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(PANEL_URL))
    assert source["ApprovedOrigins"] == [origin]
    assert props["Name"] == "Cagri dev panel" and props["Namespace"] == "cagri-dev-panel"
    assert props["Description"]
    # Opened with each contact: the create event carries it.
    assert props["ApplicationConfig"] == {"ContactHandling": {"Scope": "PER_CONTACT"}}
    assert not props.get("IsService", False)


def test_the_application_has_the_permissions_the_panel_uses_and_no_more(application):
    assert application[1]["Permissions"] == ["Contact.Details.View"]


def test_every_sdk_call_of_the_panel_is_covered_by_a_permission():
    """The workspace adapter calls only ContactClient methods whose permission the application holds: a new
    call (the caller's number, an attribute, the agent) fails here until its permission is decided."""
    source = WORKSPACE_ADAPTER.read_text(encoding="utf-8")
    clients = set(re.findall(r"new (\w+Client)\(", source))
    assert clients == {"ContactClient"}
    assert not re.search(r"\b(AgentClient|VoiceClient|EmailClient|QuickResponsesClient)\b", source)
    calls = set(re.findall(r"\bclient\s*\.\s*(\w+)\s*\(", source))
    assert calls  # the pattern still finds the adapter's calls
    assert calls <= set(console_site.SDK_CALL_PERMISSIONS), calls - set(console_site.SDK_CALL_PERMISSIONS)
    assert set(console_site.APP_PERMISSIONS) == {console_site.SDK_CALL_PERMISSIONS[c] for c in calls}


def test_the_iframe_keeps_the_default_sandbox_and_lets_the_sign_in_popup_out(application):
    iframe = application[1]["IframeConfig"]
    defaults = {"allow-forms", "allow-popups", "allow-same-origin", "allow-scripts"}
    assert set(iframe["Sandbox"]) == defaults | {"allow-popups-to-escape-sandbox"}
    assert iframe["Allow"] == ["clipboard-write"]  # the reference's copy button; no microphone, no camera


def test_the_application_is_associated_with_the_instance(resources, application):
    name, _ = application
    (association,) = [
        r["Properties"]
        for r in of_type(resources, "AWS::Connect::IntegrationAssociation").values()
        if r["Properties"]["IntegrationType"] == "APPLICATION"
    ]
    assert association["IntegrationArn"] == {"Fn::GetAtt": [name, "ApplicationArn"]}
    assert _instance_arn(association["InstanceId"])
    assert not {"SourceApplicationUrl", "SourceApplicationName", "SourceType"} & set(association)  # EVENT only
