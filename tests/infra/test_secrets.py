"""REFERRAL_LINK_SECRET and CALLER_HASH_SECRET are generated in Secrets Manager (encrypted with the
stack's data key) and resolved into exactly the functions that use them — never the built-in
placeholder `chalicelib.core.config.Settings.secret()` refuses outside local and test."""

from __future__ import annotations

import json

import pytest

from chalicelib.core import config
from infra import permissions
from tests.infra.conftest import of_type


def _secret_ids(resources: dict) -> dict[str, str]:
    """Env var -> the logical id of the secret whose description names it."""
    found = {}
    for name, r in of_type(resources, "AWS::SecretsManager::Secret").items():
        for var in permissions.SECRETS:
            if f": {var} (" in r["Properties"]["Description"]:
                found[var] = name
    return found


def test_the_settings_secrets_are_the_stack_secrets():
    assert set(permissions.SECRETS) == {
        config._ENV["referral_link_secret"],
        config._ENV["referral_link_secret_previous"],
        config._ENV["caller_hash_secret"],
    }


def test_secrets_are_generated_and_encrypted_with_the_data_key(resources):
    ids = _secret_ids(resources)
    assert set(ids) == set(permissions.SECRETS)
    for name in ids.values():
        props = resources[name]["Properties"]
        generated = props["GenerateSecretString"]
        assert generated["PasswordLength"] >= 32
        assert "SecretString" not in props  # nobody typed it into the template
        key = props["KmsKeyId"]["Fn::GetAtt"][0]
        assert resources[key]["Type"] == "AWS::KMS::Key"
        assert resources[key]["Properties"]["EnableKeyRotation"] is True
        assert resources[name]["DeletionPolicy"] == "Retain"  # losing a key orphans every caller_key


@pytest.mark.parametrize("function", permissions.FUNCTIONS)
def test_each_function_resolves_exactly_its_secrets(function, resources):
    ids = _secret_ids(resources)
    env = resources[function]["Properties"]["Environment"]["Variables"]
    present = {var for var in permissions.SECRETS if var in env}
    assert present == set(permissions.ACCESS[function].secrets)
    for var in present:
        value = json.dumps(env[var])
        assert "{{resolve:secretsmanager:" in value
        assert ids[var] in value
        assert config.LOCAL_ONLY_SECRET not in value


def test_who_needs_which_secret():
    """Units' reply links are signed by the agenda (reminders) and the API (referral mails, the reply
    page); callers' numbers are keyed by everything that writes or looks up a caller's records."""
    link = {f for f in permissions.FUNCTIONS if permissions.REFERRAL_LINK_SECRET in permissions.ACCESS[f].secrets}
    assert link == {permissions.API, permissions.REFERRALS_AGENDA}
    # A rotation keeps the links already sent opening: whoever verifies links has the previous secret too.
    previous = {
        f for f in permissions.FUNCTIONS if permissions.REFERRAL_LINK_SECRET_PREVIOUS in permissions.ACCESS[f].secrets
    }
    assert previous == link
    hashing = {f for f in permissions.FUNCTIONS if permissions.CALLER_HASH_SECRET in permissions.ACCESS[f].secrets}
    assert {
        permissions.CONTACT_EVENTS,
        permissions.CONTACT_TRACE_RECORDS,
        permissions.CONTACT_FLOW,
        permissions.API,
    } <= hashing
