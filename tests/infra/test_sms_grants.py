"""Texting callers (directive 5(4)) is granted as narrowly as it is used: only the functions that may send
a text (infra/permissions.py `sms_send`) have `sms-voice:SendTextMessage`, only from the centre's own
origination identity (the `SmsOriginationIdentity` parameter) and its opt-out lists, and only they are
told that identity."""

from __future__ import annotations

import pytest

from infra import permissions
from tests.infra.test_iam import _list, _statements
from tests.infra.test_narrow_grants import text


def test_the_identity_is_a_parameter_that_takes_only_an_sms_arn(template):
    parameter = template["Parameters"]["SmsOriginationIdentity"]
    assert parameter["Type"] == "String"
    assert parameter["AllowedPattern"].startswith("^arn:aws[-a-z]*:sms-voice:")
    assert "(sender-id|pool|phone-number)/" in parameter["AllowedPattern"]


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_only_the_functions_that_text_may_and_only_from_the_centres_identity(function, resources):
    statements = [s for s in _statements(resources, function) if any("sms-voice" in a for a in _list(s["Action"]))]
    env = resources[function]["Properties"]["Environment"]["Variables"]
    if not permissions.ACCESS[function].sms_send:
        assert statements == [] and "SMS_ORIGINATION_IDENTITY" not in env
        return
    [statement] = statements
    assert _list(statement["Action"]) == ["sms-voice:SendTextMessage"] and "Condition" not in statement
    identity, opt_outs = _list(statement["Resource"])
    assert identity == {"Ref": "SmsOriginationIdentity"}
    assert text(opt_outs) == "arn:${AWS::Partition}:sms-voice:eu-central-1:${AWS::AccountId}:opt-out-list/*"
    assert env["SMS_ORIGINATION_IDENTITY"] == {"Ref": "SmsOriginationIdentity"}


def test_the_senders_are_those_the_code_texts_from():
    texting = {f for f, access in permissions.ACCESS.items() if access.sms_send}
    assert texting == {
        permissions.API,  # a unit's answer on the reply page; an agent's report of a last failed attempt
        permissions.REFERRALS_AGENDA,  # the caller's text at the opening
        permissions.CONTACT_EVENTS,  # a system drop's callback, an attempt's outcome
        permissions.CONTACT_TRACE_RECORDS,
        permissions.CONTACT_FLOW,
        permissions.CALLBACKS_DISPATCH,  # an attempt's record applied when its placement is recorded
    }
