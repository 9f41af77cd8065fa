"""The simulated Connect (cli/sim_connect.py): records placements, idempotent per client token."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from chalicelib.adapters.connect import CallbackPlacement, ConnectPort, ConnectRefused, ConnectUnavailable
from cli.embedded.connect import SimulatedConnect, placements_path

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NOW = datetime(2026, 10, 12, 9, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def callcenter_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def placement(attempt: int = 1, callback_id: str = "cb-1") -> CallbackPlacement:
    return CallbackPlacement(callback_id=callback_id, attempt=attempt, destination="+905321234567", reason="abandoned")


def test_records_a_call_in_memory_and_in_the_file(callcenter_home):
    sim: ConnectPort = SimulatedConnect(now=lambda: NOW)
    contact_id = sim.start_outbound_call(placement())
    assert UUID.match(contact_id)
    record = {
        "callback_id": "cb-1",
        "attempt": 1,
        "mode": "call",
        "reason": "abandoned",
        "destination": "+905321234567",
        "client_token": "cb-1-1",
        "contact_id": contact_id,
        "placed_at": "2026-10-12T09:15:00+00:00",
    }
    assert sim.placements() == [record]
    path = callcenter_home / "connect-placements.jsonl"
    assert path == placements_path()
    assert [json.loads(line) for line in path.read_text().splitlines()] == [record]


def test_same_token_same_contact_and_no_second_record():
    sim = SimulatedConnect()
    first = sim.start_task(placement())
    assert sim.start_task(placement()) == first
    second = sim.start_task(placement(2))
    assert second != first
    assert [(r["mode"], r["attempt"]) for r in sim.placements()] == [("task", 1), ("task", 2)]


def test_idempotent_across_instances_through_the_file():
    contact_id = SimulatedConnect().start_outbound_call(placement())
    other = SimulatedConnect()  # another CLI command, another process
    assert other.start_outbound_call(placement()) == contact_id
    assert len(other.placements()) == 1


def test_contact_id_is_deterministic_across_homes(tmp_path, monkeypatch):
    contact_id = SimulatedConnect().start_outbound_call(placement())
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path / "elsewhere"))
    assert SimulatedConnect().start_outbound_call(placement()) == contact_id


def test_fail_next_injects_failures_then_recovers():
    sim = SimulatedConnect()
    sim.fail_next(2)
    refused = ConnectRefused("numara geçersiz")
    with pytest.raises(ConnectUnavailable):
        sim.start_outbound_call(placement())
    with pytest.raises(ConnectUnavailable):
        sim.start_outbound_call(placement())
    sim.fail_next(1, refused)
    with pytest.raises(ConnectRefused) as caught:
        sim.start_task(placement())
    assert caught.value is refused
    assert sim.placements() == []
    assert UUID.match(sim.start_outbound_call(placement()))
    assert len(sim.placements()) == 1


def test_no_file_until_something_is_placed(callcenter_home):
    assert SimulatedConnect().placements() == []
    assert not (callcenter_home / "connect-placements.jsonl").exists()
