"""Pure account rules: passwords that meet Connect's policy, transitions, input checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.accounts.rules import (
    Action,
    Status,
    meets_password_policy,
    name_problem,
    refusal,
    temporary_password,
    username_problem,
)


def test_temporary_passwords_meet_connects_policy_and_differ():
    passwords = {temporary_password() for _ in range(1000)}
    assert len(passwords) == 1000
    for password in passwords:
        assert meets_password_policy(password)
        assert len(password) == 16 and password.isalnum() and password.isascii()


@given(st.integers(min_value=8, max_value=64))
def test_every_allowed_length_meets_the_policy(length):
    password = temporary_password(length)
    assert len(password) == length and meets_password_policy(password)


@pytest.mark.parametrize("length", [0, 7, 65])
def test_lengths_outside_connects_range_are_refused(length):
    with pytest.raises(ValueError):
        temporary_password(length)


@pytest.mark.parametrize("password", ["short1A", "alllower123", "ALLUPPER123", "NoDigitsHere"])
def test_policy_rejects(password):
    assert not meets_password_policy(password)


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        (Action.TRAINED, Status.IN_TRAINING, True),
        (Action.TRAINED, Status.ACTIVE, False),
        (Action.TRAINED, Status.DEACTIVATED, False),
        (Action.DEACTIVATED, Status.IN_TRAINING, True),
        (Action.DEACTIVATED, Status.ACTIVE, True),
        (Action.DEACTIVATED, Status.DEACTIVATED, False),
    ],
)
def test_transitions(action, status, allowed):
    assert (refusal(action, status) is None) is allowed


@pytest.mark.parametrize("username", ["ayse.yilmaz", "a.b", "agent_07", "mehmet-ali"])
def test_good_usernames(username):
    assert username_problem(username) is None


@pytest.mark.parametrize("username", ["ab", "Ayse", "ayşe", ".ayse", "ayse.", "a b c", "x" * 65])
def test_bad_usernames(username):
    assert username_problem(username)


@pytest.mark.parametrize("name", ["Ayşe", "İsmail Hakkı", "Ali-Rıza", "O'Neil", "Çağla", "Gülşen Öztürk"])
def test_turkish_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "x1", "a  b", "-a", "a-", "<script>", "x" * 101])
def test_bad_names(name):
    assert name_problem(name)
