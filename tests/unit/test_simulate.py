"""The traffic simulator (cli/simulate.py): deterministic, AWS-shaped, consistent; its oracle coherent."""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections import Counter
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.contacts.inputs import CALLBACK_OUT_OF_HOURS_ATTRIBUTE, CALLBACK_REQUESTED_ATTRIBUTE, REQUEST_CALLBACK
from cli.simulator import shapes as shapes
from cli.simulator.agents import expected_agents_now
from cli.simulator.traffic import (
    CATEGORY_WEIGHTS,
    ContactTruth,
    Simulation,
    deliver,
    expected_core_figures,
    simulate,
    write_jsonl,
)

PUBLISHED = Path(__file__).parents[1] / "fixtures" / "published"


def _ms(at: datetime) -> int:
    return round(at.timestamp() * 1000)


WEEK = date(2026, 10, 12)  # Monday to Sunday, no holiday
EVENT_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CTR_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _load(name: str) -> dict:
    return json.loads((PUBLISHED / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sim() -> Simulation:
    return simulate(WEEK, 7)


@pytest.fixture(scope="module")
def busy() -> Simulation:
    """An overloaded centre, so that queues, abandons, callbacks and in-queue faults all happen."""
    return simulate(WEEK, 3, seed=3, calls_per_hour=30, agents=2)


@pytest.fixture(scope="module")
def demo() -> Simulation:
    """The demo's roster (training that overlaps a break, an agent who comes at noon), under load."""
    from cli.simulator.demo import DEMO_ROSTER

    return simulate(WEEK, 5, seed=4, calls_per_hour=14, roster=DEMO_ROSTER)


def _calls(sim: Simulation) -> list[ContactTruth]:
    return [c for c in sim.contacts if c.is_inbound_call]


# --------------------------------------------------------------------------- determinism
def test_same_seed_same_traffic_other_seed_other_traffic():
    a, b, c = simulate(WEEK, 1, seed=5), simulate(WEEK, 1, seed=5), simulate(WEEK, 1, seed=6)
    assert [astuple(x) for x in a.contacts] == [astuple(x) for x in b.contacts]
    assert [(i.name, i.at, i.payload) for i in a.inputs] == [(i.name, i.at, i.payload) for i in b.inputs]
    assert [x.contact_id for x in a.contacts] != [x.contact_id for x in c.contacts]
    da, db = (
        deliver(a, duplicate_rate=0.1, shuffle=True, drop_event_rate=0.1),
        deliver(b, duplicate_rate=0.1, shuffle=True, drop_event_rate=0.1),
    )
    assert da.survived == db.survived
    strip = [{k: v for k, v in line.items() if k != "Records"} for line in da.lines]
    assert strip == [{k: v for k, v in line.items() if k != "Records"} for line in db.lines]


# --------------------------------------------------------------------------- shapes
def _union_keys(samples: list[dict], path: tuple[str, ...] = ()) -> set[str]:
    keys: set[str] = set()
    for sample in samples:
        node = sample
        for part in path:
            node = node.get(part, {})
        keys |= set(node)
    return keys


def test_events_have_the_published_shape(sim):
    samples = [
        _load(n)
        for n in ("event_connected_to_agent.json", "event_disconnected.json", "event_contact_data_updated.json")
    ]
    envelope = set(samples[0])
    detail = _union_keys(samples, ("detail",))
    queue_info = _union_keys(samples, ("detail", "queueInfo"))
    agent_info = _union_keys(samples, ("detail", "agentInfo"))
    events = [i for i in sim.inputs if i.kind == "event"]
    assert events
    for item in events:
        e = item.payload
        assert set(e) == envelope and e["detail-type"] == "Amazon Connect Contact Event"
        assert CTR_TS.match(e["time"]) and e["time"] == shapes.iso_ctr(item.at)
        d = e["detail"]
        assert set(d) <= detail, set(d) - detail
        assert set(d.get("queueInfo", {})) <= queue_info
        assert set(d.get("agentInfo", {})) <= agent_info
        assert d["eventType"] in shapes.EVENT_TYPES and item.name == f"event:{d['eventType']}"
        assert d["channel"] in shapes.CHANNELS and d["initiationMethod"] in shapes.INITIATION_METHODS
        assert "disconnectReason" not in d and "attributes" not in {k.lower() for k in d}
        if d["initiationMethod"] == "OUTBOUND":
            assert "queueInfo" not in d
        for value in (
            d.get("initiationTimestamp"),
            d.get("disconnectTimestamp"),
            d.get("queueInfo", {}).get("enqueueTimestamp"),
            d.get("agentInfo", {}).get("connectedToAgentTimestamp"),
        ):
            assert value is None or EVENT_TS.match(value)


def test_flow_invocations_have_the_published_shape(sim):
    sample = _load("flow_invocation.json")
    contact_data = set(sample["Details"]["ContactData"])
    flows = [i for i in sim.inputs if i.kind == "flow"]
    assert flows
    for item in flows:
        f = item.payload
        assert set(f) == set(sample) and set(f["Details"]) == set(sample["Details"])
        data = f["Details"]["ContactData"]
        assert set(data) <= contact_data and data["ContactId"] == item.contact_id
        asks = (f["Details"]["Parameters"] or {}).get("action") == REQUEST_CALLBACK
        assert set(data["Attributes"]) <= {"category", CALLBACK_REQUESTED_ATTRIBUTE, CALLBACK_OUT_OF_HOURS_ATTRIBUTE}
        # The customer-queue flow (or the closed centre's) marks the contact before its Lambda block records it.
        assert (data["Attributes"].get(CALLBACK_REQUESTED_ATTRIBUTE) == "true") == asks
        closed = sim.contact(item.contact_id).outcome == "closed"
        assert (data["Attributes"].get(CALLBACK_OUT_OF_HOURS_ATTRIBUTE) == "true") == (asks and closed)
        assert data["Attributes"].get("category", "bilgi") in CATEGORY_WEIGHTS
        endpoint = data["CustomerEndpoint"]
        assert endpoint is None or re.fullmatch(r"\+905\d{9}", endpoint["Address"])


def test_one_ctr_per_contact_in_the_data_model_shape(sim):
    reference = shapes.ctr("x", queue={}, agent={})
    ctrs = [i for i in sim.inputs if i.kind == "ctr"]
    asked = {
        i.contact_id
        for i in sim.inputs
        if i.kind == "flow" and (i.payload["Details"]["Parameters"] or {}).get("action") == REQUEST_CALLBACK
    }
    assert asked  # the day has callers who asked to be called back
    assert Counter(i.contact_id for i in ctrs) == Counter(c.contact_id for c in sim.contacts)
    for item in ctrs:
        r = item.payload
        assert set(r) == set(reference)
        assert r["Queue"] is None or set(r["Queue"]) == set(reference["Queue"])
        assert r["Agent"] is None or set(r["Agent"]) == set(reference["Agent"])
        assert r["DisconnectReason"] in shapes.CTR_DISCONNECT_REASONS[r["Channel"]]
        assert (r["Attributes"].get(CALLBACK_REQUESTED_ATTRIBUTE) == "true") == (item.contact_id in asked)
        assert all(CTR_TS.match(r[k]) for k in ("InitiationTimestamp", "DisconnectTimestamp", "LastUpdateTimestamp"))
        if r["InitiationMethod"] == "OUTBOUND":
            assert r["Queue"] is None


def test_delivered_lines_are_lambda_inputs(sim):
    record_keys = set(_load("kinesis_event.json")["Records"][0])
    lines = deliver(sim, kinesis_batch=10, agent_batch=50).lines
    kinds = Counter()
    decoded, agent_events = [], []
    for line in lines:
        if "detail-type" in line:
            kinds["event"] += 1
        elif line.get("Name") == "ContactFlowEvent":
            kinds["flow"] += 1
        else:
            records = [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in line["Records"]]
            assert all(set(record) == record_keys for record in line["Records"])
            agents = ["AgentARN" in r for r in records]
            assert all(agents) or not any(agents)  # a batch is of one stream
            assert 1 <= len(records) <= (50 if all(agents) else 10)
            (agent_events if all(agents) else decoded).extend(records)
    assert kinds == Counter(i.kind for i in sim.inputs if i.kind != "ctr")
    assert decoded == [i.payload for i in sorted((i for i in sim.inputs if i.kind == "ctr"), key=lambda i: i.at)]
    assert agent_events == [i.payload for i in sim.agent_inputs]  # in the stream's order
    assert len(lines) < len(sim.inputs)  # some CTRs shared a batch


def test_write_jsonl_round_trips(tmp_path, sim):
    lines = deliver(sim).lines[:50]
    path = tmp_path / "traffic.jsonl"
    write_jsonl(lines, path)
    assert [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()] == lines


# --------------------------------------------------------------------------- the truth
def _idle_available_agents(sim: Simulation, at: datetime) -> int:
    """Agents logged in, Available and holding no contact at `at` (the simulation's truth)."""
    return expected_agents_now(sim.agent_days, at)["available"]


@pytest.mark.parametrize("fixture", ["sim", "busy", "demo"])
def test_truth_is_internally_consistent(fixture, request):
    s: Simulation = request.getfixturevalue(fixture)
    ms = timedelta(milliseconds=1)
    for c in s.contacts:
        assert c.initiated_at.tzinfo == UTC or c.initiated_at.utcoffset() == timedelta(0)
        assert c.initiated_at <= c.disconnected_at <= c.completed_at < c.last_update_at
        assert (c.answered or c.abandoned or c.queue_exit_other or c.system_dropped) <= c.queued
        assert c.abandoned + c.queue_exit_other + (c.system_dropped and not c.answered) + c.answered == c.queued
        assert (c.agent is not None) == (c.answered or c.initiation_method == "OUTBOUND")
        if c.queued:
            assert c.initiated_at < c.enqueued_at and c.wait_seconds >= 0
            left = c.connected_at if c.answered else c.enqueued_at + timedelta(seconds=c.wait_seconds)
            assert left - c.enqueued_at == timedelta(seconds=c.wait_seconds)
            if c.wait_seconds > 0:  # FCFS: nobody waits while an agent is Available and free
                assert _idle_available_agents(s, left - ms) == 0
        if c.answered:
            assert c.patience_seconds is None or c.patience_seconds >= c.wait_seconds
        if c.abandoned:
            assert c.patience_seconds == c.wait_seconds and c.disconnect_reason == "CUSTOMER_DISCONNECT"
        if c.system_dropped:
            assert c.disconnect_reason == "TELECOM_PROBLEM"
        if c.queue_exit_other:
            assert c.disconnect_reason == "CONTACT_FLOW_DISCONNECT" and 30 <= c.wait_seconds <= 60
        if c.outcome == "closed":
            assert not c.queued and c.category_final is None and c.disconnect_reason == "CONTACT_FLOW_DISCONNECT"
    by_agent: dict[int, list[ContactTruth]] = {}
    for c in s.contacts:
        if c.agent is not None:
            by_agent.setdefault(c.agent, []).append(c)
    for handled in by_agent.values():
        handled.sort(key=lambda c: c.connected_at)
        for before, after in itertools.pairwise(handled):
            assert before.completed_at <= after.connected_at  # one contact at a time, ACW included
    # Breaks never overlap; every contact went to an agent logged in and Available at that moment (not on a break).
    for day in s.agent_days:
        spans = sorted(b.actual for b in day.breaks if b.actual)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), day
    for c in s.contacts:
        if c.agent is not None:
            (day,) = [d for d in s.agent_days if d.agent == c.agent and d.login <= _ms(c.connected_at) < d.session_end]
            assert any(a <= _ms(c.connected_at) < z for a, z in day.available_periods()), c.contact_id


def test_the_model_produces_every_outcome(sim, busy):
    outcomes = Counter(sim.outcomes()) + Counter(busy.outcomes())
    for outcome in (
        "closed",
        "ivr_hangup",
        "ivr_closed",
        "answered",
        "abandoned",
        "callback",
        "system_dropped_in_queue",
        "outbound",
    ):
        assert outcomes[outcome] > 0, outcome
    assert any(c.system_dropped and c.answered for c in sim.contacts + busy.contacts)
    assert {(c.channel, c.initiation_method) for c in sim.contacts} == {
        ("VOICE", "INBOUND"),
        ("VOICE", "OUTBOUND"),
        ("CHAT", "INBOUND"),
        ("TASK", "API"),
    }
    numbers = Counter(c.customer_number for c in _calls(sim))
    assert numbers[None] > 0 and max(n for k, n in numbers.items() if k) >= 5  # anonymous and repeat callers
    answered = [c for c in sim.contacts if c.answered]
    changed = sum(c.category_final != c.category_ivr for c in answered) / len(answered)
    assert 0.08 < changed < 0.25


def test_outside_hours_and_holidays_hear_the_closed_message():
    s = simulate(date(2026, 10, 28), 2, seed=2)  # 28 Ekim: half day (closes 13:00); 29 Ekim: holiday
    for c in _calls(s):
        istanbul = c.initiated_at + timedelta(hours=3)  # Türkiye: UTC+3 all year
        if istanbul.day == 29 or istanbul.hour >= 13 or (istanbul.hour, istanbul.minute) < (8, 30):
            assert c.outcome == "closed"
    assert all(c.channel == "VOICE" for c in s.contacts if (c.initiated_at + timedelta(hours=3)).day == 29)


def test_inputs_carry_the_truth(sim):
    truth = {c.contact_id: c for c in sim.contacts}
    for item in sim.inputs:
        c = truth[item.contact_id]
        if item.kind == "flow":
            assert item.payload["Details"]["ContactData"]["Attributes"].get("category") == c.category_ivr
            assert c.initiated_at < item.at < c.last_update_at
        elif item.kind == "ctr":
            r = item.payload
            assert r["Attributes"].get("category") == c.category_final
            assert r["DisconnectReason"] == c.disconnect_reason
            assert r["LastUpdateTimestamp"] == shapes.iso_ctr(c.last_update_at)
            assert (r["Queue"] or {}).get("Duration") == c.queue_duration
            assert c.queue_duration == (int(c.wait_seconds) if c.queued else None)
            if c.answered:
                agent = r["Agent"]
                assert (
                    agent["AgentInteractionDuration"]
                    + agent["CustomerHoldDuration"]
                    + agent["AfterContactWorkDuration"]
                ) == c.handle_seconds
        else:
            d = item.payload["detail"]
            assert d["initiationTimestamp"] == shapes.iso_event(c.initiated_at)
            if d["eventType"] == "QUEUED":
                assert item.at == c.enqueued_at
                assert d["queueInfo"]["enqueueTimestamp"] == shapes.iso_event(c.enqueued_at)
            if d["eventType"] == "CONNECTED_TO_AGENT":
                assert d["agentInfo"]["connectedToAgentTimestamp"] == shapes.iso_event(c.connected_at)
            if d["eventType"] in ("DISCONNECTED", "COMPLETED"):
                assert d["disconnectTimestamp"] == shapes.iso_event(c.disconnected_at)
                assert ("queueInfo" in d) == c.queued and ("agentInfo" in d) == (c.agent is not None)
    names = Counter(i.name for i in sim.inputs)
    assert names["event:INITIATED"] == names["event:DISCONNECTED"] == names["event:COMPLETED"] == len(sim.contacts)
    assert names["event:QUEUED"] == sum(c.queued for c in sim.contacts)


# --------------------------------------------------------------------------- the oracle
def _coherent(figures: dict) -> None:
    calls = figures["calls"]
    assert sum(figures["contacts"]["by_channel"].values()) == figures["contacts"]["total"]
    assert sum(figures["contacts"]["by_initiation_method"].values()) == figures["contacts"]["total"]
    assert calls["short_abandoned"] <= calls["abandoned"] <= calls["queued"] <= calls["inbound"]
    assert figures["out_of_scope"] == figures["by_category"].get("kapsam_dışı", 0)
    assert sum(figures["by_category"].values()) == figures["contacts"]["by_initiation_method"]["INBOUND"]


@pytest.mark.parametrize("fixture", ["sim", "busy"])
def test_figures_without_losses_match_the_truth(fixture, request):
    s: Simulation = request.getfixturevalue(fixture)
    f = expected_core_figures(s, deliver(s), "2026-10")
    assert f == expected_core_figures(s, None, "2026-10")
    _coherent(f)
    c = f["calls"]
    in_queue_drops = sum(1 for x in _calls(s) if x.system_dropped and not x.answered)
    assert c["answered"] + c["abandoned"] + in_queue_drops + c["queue_exits_other"] == c["queued"]
    calls = _calls(s)
    assert f["contacts"]["total"] == len(s.contacts) and c["inbound"] == len(calls)
    assert c["abandoned"] == sum(x.abandoned for x in calls) and c["answered"] == sum(x.answered for x in calls)
    assert c["system_dropped"] == sum(x.system_dropped for x in calls)
    assert c["abandon_rate"] == c["abandoned"] / c["queued"]
    waits = [int(x.wait_seconds) for x in calls if x.answered]
    assert c["asa_seconds"] == round(sum(waits) / len(waits), 1)
    assert c["service_level"] == sum(w <= 20 for w in waits) / c["queued"]
    assert c["aht_seconds"] == round(sum(x.handle_seconds for x in calls if x.answered) / c["answered"], 1)


def test_figures_from_events_alone(busy):
    f = expected_core_figures(busy, deliver(busy, drop_ctr_rate=1.0), "2026-10")
    c = f["calls"]
    calls = _calls(busy)
    # No reason without a record: every queued call that never reached an agent counts as abandoned.
    assert c["abandoned"] == sum(x.queued and not x.answered for x in calls) > 0
    assert c["system_dropped"] == c["queue_exits_other"] == 0 and c["aht_seconds"] is None
    assert c["answered"] == sum(x.answered for x in calls)
    waits = [(x.connected_at - x.enqueued_at).total_seconds() for x in calls if x.answered]
    assert c["asa_seconds"] == round(sum(waits) / len(waits), 1)  # exact, from millisecond timestamps
    assert f["by_category"] == dict(
        sorted(
            Counter(x.category_ivr or "unclassified" for x in busy.contacts if x.initiation_method == "INBOUND").items()
        )
    )


def test_losses_duplicates_and_shuffling(busy):
    lossy = deliver(
        busy, seed=4, duplicate_rate=0.3, shuffle=True, drop_event_rate=0.3, drop_ctr_rate=0.3, drop_flow_rate=0.3
    )
    f = expected_core_figures(busy, lossy, "2026-10")
    _coherent(f)
    assert f["calls"]["queued"] < expected_core_figures(busy, None, "2026-10")["calls"]["queued"]
    again = deliver(busy, seed=4, drop_event_rate=0.3, drop_ctr_rate=0.3, drop_flow_rate=0.3)
    assert len(lossy.lines) > len(again.lines)  # the duplicates (and batch cuts) differ ...
    # ... but drops are drawn first per input, so the same inputs survive and the figures agree.
    assert lossy.survived == again.survived and expected_core_figures(busy, again, "2026-10") == f


def test_contacts_with_no_dated_input_do_not_exist(sim):
    nothing = deliver(sim, drop_event_rate=1.0, drop_ctr_rate=1.0)  # flow invocations carry no time
    f = expected_core_figures(sim, nothing, "2026-10")
    assert f["contacts"]["total"] == 0 and f["calls"]["asa_seconds"] is None and f["by_category"] == {}
    assert any(nothing.survived.values())


def test_month_is_taken_in_istanbul():
    s = simulate(date(2026, 10, 1), 1, seed=1)
    assert any(c.initiated_at.month == 9 for c in s.contacts)  # before 03:00 local = 30 Sep in UTC
    assert expected_core_figures(s, None, "2026-10")["contacts"]["total"] == len(s.contacts)
    assert expected_core_figures(s, None, "2026-09")["contacts"]["total"] == 0


def test_a_few_callers_of_the_closed_centre_ask_to_be_called_when_it_opens():
    week = simulate(WEEK, 7, seed=4, calls_per_hour=12)
    closed = [c for c in week.contacts if c.outcome == "closed"]
    asked = [c for c in closed if c.asked_when_open]
    assert 0 < len(asked) < len(closed) / 4
    assert all(not c.queued and c.disconnect_reason == "CONTACT_FLOW_DISCONNECT" for c in asked)
    assert not [c for c in week.contacts if c.asked_when_open and c.outcome != "closed"]
