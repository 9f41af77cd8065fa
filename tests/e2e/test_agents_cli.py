"""`callcenter agents create|list|train|deactivate` against the embedded AWS and its simulated Connect."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


def test_an_agents_lifecycle_from_the_terminal(operator):
    created = operator.run(
        "agents", "create", "--username", "zeynep.demir", "--first-name", "Zeynep", "--last-name", "Demir",
        "--by", "supervisor.cli", "--format", "json",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    agent = json.loads(created.stdout)
    assert agent["status"] == "IN_TRAINING" and len(agent["temporary_password"]) == 16
    assert "yalnızca bu kez" in created.stderr

    users = json.loads((operator.home / "connect-users.json").read_text())
    assert [u["username"] for u in users.values()] == ["basin", "zeynep.demir"]  # basin: the local supervisor
    assert agent["temporary_password"] not in json.dumps(users)

    again = operator.run("agents", "create", "--username", "zeynep.demir", "--first-name", "Z", "--last-name", "D")
    assert again.returncode == 1 and "daha önce kullanılmış" in again.stderr

    trained = operator.run("agents", "train", "zeynep.demir", "--by", "supervisor.cli", "--format", "json")
    assert trained.returncode == 0, trained.stderr
    assert json.loads(trained.stdout)["status"] == "ACTIVE"

    listed = operator.run("agents", "list", "--format", "json")
    assert [(a["username"], a["status"], a["role"]) for a in json.loads(listed.stdout)] == [
        ("basin", "ACTIVE", "supervisor"),
        ("zeynep.demir", "ACTIVE", "agent"),
    ]

    gone = operator.run("agents", "deactivate", "zeynep.demir", "--format", "json")
    assert gone.returncode == 0, gone.stderr
    assert json.loads(gone.stdout)["status"] == "DEACTIVATED"
    users = json.loads((operator.home / "connect-users.json").read_text())
    assert [u["username"] for u in users.values()] == ["basin"]
    deactivated = operator.run("agents", "list", "--status", "DEACTIVATED", "--format", "json")
    assert [a["username"] for a in json.loads(deactivated.stdout)] == ["zeynep.demir"]
