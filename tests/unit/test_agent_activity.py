"""Agent events → facts → sessions → a month's figures, pure (chalicelib/activity): the published shape,
bad input named, order and duplicates irrelevant, a missing LOGOUT closed 120 s after the last event,
heartbeats after a logout ignored, the month clipped in Istanbul, occupancy without breaks."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chalicelib.activity.facts import AgentFact
from chalicelib.activity.figures import activity_detail, agents_time, month_activity
from chalicelib.activity.inputs import is_agent_event, parse_agent_event
from chalicelib.activity.intervals import BREAK, IDLE, ON_CONTACT, ms, sessions, state_at
from chalicelib.contacts.rejections import InputRejected
from cli.simulator import shapes

PUBLISHED = Path(__file__).parents[1] / "fixtures" / "published"
ISTANBUL = ZoneInfo("Europe/Istanbul")
T0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)  # Wednesday 09:00 in Istanbul
AGENT = "aaaaaaaa-bbbb-cccc-dddd-100000000001"


def _published() -> dict:
    return json.loads((PUBLISHED / "agent_event_heart_beat.json").read_text(encoding="utf-8"))


def event(kind: str, minutes: float, status=("Available", "ROUTABLE"), contacts=(), username="temsilci1") -> dict:
    at = T0 + timedelta(minutes=minutes)
    listed = [shapes.agent_contact(f"c-{i}", state, at) for i, state in enumerate(contacts)]
    snapshot = shapes.agent_snapshot(username, shapes.agent_status(*status, at), listed)
    return shapes.agent_event(kind, AGENT, at, snapshot, snapshot)


def facts(*events: dict) -> list[AgentFact]:
    return [parse_agent_event(e)[1] for e in events]


def hours(minutes: float) -> int:
    return round(minutes * 60_000)


# --------------------------------------------------------------------------- inputs
def test_the_published_sample_parses_and_only_the_username_of_the_person_is_kept():
    sample = _published()
    assert is_agent_event(sample)
    agent, fact = parse_agent_event(sample)
    assert agent == "agent-ARN"
    assert fact == AgentFact("HEART_BEAT", "2019-08-13T20:58:44.031Z", "aestest", "Available", None, ())
    stored = fact.to_json()
    assert "AgentEventStreamTest" not in stored and '"Agent"' not in stored  # first and last names
    assert AgentFact.from_json(stored) == fact


def test_a_contact_trace_record_is_no_agent_event():
    assert not is_agent_event(shapes.ctr("c-1"))
    assert not is_agent_event(["EventType", "AgentARN"])


def test_names_are_read_case_insensitively_and_states_as_connect_writes_them():
    contacts = json.loads((PUBLISHED / "agent_contacts_connected.json").read_text(encoding="utf-8"))
    sample = _published()
    sample["CurrentAgentSnapshot"]["Contacts"] = contacts
    lowered = json.loads(json.dumps(sample).replace('"EventType"', '"eventType"').replace('"State"', '"state"'))
    assert parse_agent_event(lowered) == parse_agent_event(sample)
    assert parse_agent_event(sample)[1].contact_states == ("CONNECTED",)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: e.pop("AgentARN"), "AgentARN is missing"),
        (lambda e: e.update(AgentARN=""), "AgentARN is missing"),
        (lambda e: e.pop("EventType"), "EventType is missing"),
        (lambda e: e.update(EventTimestamp="yesterday"), "EventTimestamp is missing or not an ISO 8601 time"),
        (lambda e: e.update(EventTimestamp=None), "EventTimestamp"),
    ],
)
def test_what_cannot_be_an_agent_event_is_rejected_naming_the_field(change, reason):
    raw = _published()
    change(raw)
    with pytest.raises(InputRejected, match=reason):
        parse_agent_event(raw)
    with pytest.raises(InputRejected, match="expected a JSON object"):
        parse_agent_event([raw])


def test_a_status_or_event_type_aws_adds_is_kept_and_a_number_in_a_status_is_not():
    raw = event("SOMETHING_NEW", 0, status=("Eğitim", "CUSTOM"))
    assert parse_agent_event(raw)[1].event_type == "SOMETHING_NEW"
    assert parse_agent_event(raw)[1].status == "Eğitim"
    raw = event("STATE_CHANGE", 0, status=("Ara 05321234567", "CUSTOM"))
    assert parse_agent_event(raw)[1].status == "UNRECOGNISED"


# --------------------------------------------------------------------------- sessions
def _day() -> list[dict]:
    """09:00 login (Offline), 09:01 Available, a call 09:10–09:14 with ACW to 09:15, Mola 10:00–10:15,
    Offline at 12:00, logout 12:00:30, with a heartbeat in every 120 s of silence; then Connect's
    heartbeats after the logout."""
    changes = [
        ("LOGIN", 0, ("Offline", "OFFLINE"), ()),
        ("STATE_CHANGE", 1, ("Available", "ROUTABLE"), ()),
        ("STATE_CHANGE", 10, ("Available", "ROUTABLE"), ("CONNECTED",)),
        ("STATE_CHANGE", 12, ("Available", "ROUTABLE"), ("CONNECTED_ONHOLD",)),
        ("STATE_CHANGE", 13, ("Available", "ROUTABLE"), ("CONNECTED",)),
        ("STATE_CHANGE", 14, ("Available", "ROUTABLE"), ("ENDED",)),
        ("STATE_CHANGE", 15, ("Available", "ROUTABLE"), ()),
        ("STATE_CHANGE", 60, ("Mola", "CUSTOM"), ()),
        ("STATE_CHANGE", 75, ("Available", "ROUTABLE"), ()),
        ("STATE_CHANGE", 180, ("Offline", "OFFLINE"), ()),
    ]
    out = []
    for (kind, minute, status, contacts), following in zip(changes, [*changes[1:], (None, 180.5)], strict=True):
        out.append(event(kind, minute, status=status, contacts=contacts))
        beat = minute + 2
        while beat < following[1]:
            out.append(event("HEART_BEAT", beat, status=status, contacts=contacts))
            beat += 2
    offline = ("Offline", "OFFLINE")
    return [*out, event("LOGOUT", 180.5, status=offline), event("HEART_BEAT", 182.5, status=offline)] + [
        event("HEART_BEAT", 182.5 + 2 * n, status=offline) for n in range(1, 29)
    ]


def test_a_day_becomes_one_session_cut_by_status_and_contact():
    (session,) = sessions(facts(*_day()))
    assert session.logged_out and session.end - session.start == hours(180.5)
    by_kind: dict[str, int] = {}
    for segment in session.segments:
        by_kind[segment.kind] = by_kind.get(segment.kind, 0) + segment.length
    assert by_kind == {BREAK: hours(1 + 15 + 0.5), ON_CONTACT: hours(5), IDLE: hours(180 - 1 - 5 - 15)}


def test_order_and_duplicates_change_nothing():
    events = _day() * 3
    random.Random(7).shuffle(events)
    assert sessions(facts(*events)) == sessions(facts(*_day()))


def test_a_missing_logout_ends_120_s_after_the_last_event_and_never_later_than_the_next_login():
    day = [e for e in _day() if e["EventType"] != "LOGOUT"]
    (session,) = sessions(facts(*day))
    assert not session.logged_out
    assert session.end == ms(T0 + timedelta(minutes=238.5, seconds=120))  # the heartbeats after it count now
    again = [*day, event("LOGIN", 239)]
    first, second = sessions(facts(*again))
    assert first.end == ms(T0 + timedelta(minutes=239)) and second.start == first.end
    (alone,) = sessions(facts(event("LOGIN", 0)))
    assert alone.end - alone.start == 120_000


def test_heartbeats_without_a_login_open_nothing():
    assert sessions(facts(event("HEART_BEAT", 0), event("STATE_CHANGE", 5), event("LOGOUT", 9))) == []


def test_a_ringing_contact_is_not_yet_on_contact_and_a_status_without_type_is_routable_only_if_available():
    offered = event("STATE_CHANGE", 1, contacts=("CONNECTING",))
    untyped = event("STATE_CHANGE", 2)
    del untyped["CurrentAgentSnapshot"]["AgentStatus"]["Type"]
    lunch = event("STATE_CHANGE", 3, status=("Lunch", "CUSTOM"))
    del lunch["CurrentAgentSnapshot"]["AgentStatus"]["Type"]
    (session,) = sessions(facts(event("LOGIN", 0), offered, untyped, lunch, event("LOGOUT", 4)))
    assert [(s.kind, s.free) for s in session.segments] == [(IDLE, True), (IDLE, False), (IDLE, True), (BREAK, False)]


def test_the_state_at_an_instant_knows_only_the_events_by_then():
    day = facts(*_day())
    at = lambda minutes: ms(T0 + timedelta(minutes=minutes))  # noqa: E731
    assert state_at(day, at(0.5)).online and not state_at(day, at(0.5)).available  # logged in, Offline
    assert state_at(day, at(5)).available
    assert not state_at(day, at(11)).available and not state_at(day, at(14.5)).available  # talk, ACW
    assert not state_at(day, at(70)).available  # Mola
    assert not state_at(day, at(181)).online  # logged out; the later heartbeats do not bring them back
    # Before the logout is known (it is late, or lost), an agent silent for 120 s is gone.
    early = [f for f in day if ms(f.at) <= at(180)]
    assert state_at(early, at(181.9)).online and not state_at(early, at(182)).online


# --------------------------------------------------------------------------- a month
def _facts_at(start: datetime, minutes: list[tuple[str, float, tuple[str, str]]]) -> list[AgentFact]:
    out = []
    for kind, offset, status in minutes:
        at = start + timedelta(minutes=offset)
        snapshot = shapes.agent_snapshot("temsilci2", shapes.agent_status(*status, at))
        out.append(parse_agent_event(shapes.agent_event(kind, AGENT, at, snapshot))[1])
    return out


def test_a_session_across_the_month_end_is_clipped_at_istanbul_midnight():
    late = datetime(2026, 10, 31, 23, 0, tzinfo=ISTANBUL)  # 20:00 UTC
    f = _facts_at(late, [("LOGIN", 0, ("Available", "ROUTABLE")), ("LOGOUT", 90, ("Offline", "OFFLINE"))])
    october = month_activity({AGENT: f}, date(2026, 10, 1), date(2026, 10, 31), ISTANBUL)
    november = month_activity({AGENT: f}, date(2026, 11, 1), date(2026, 11, 30), ISTANBUL)
    assert agents_time(october) == {
        "logged_in_hours": 1.0,
        "by_agent": {"temsilci2": {"logged_in_hours": 1.0, "occupancy": 0.0}},
    }
    assert agents_time(november)["logged_in_hours"] == 0.5
    assert october.at_work == {(date(2026, 10, 31), 23): 3_600_000}
    assert agents_time(month_activity({AGENT: f}, date(2026, 9, 1), date(2026, 9, 30), ISTANBUL)) is None


def test_the_months_figures_have_the_contracts_shape_and_occupancy_excludes_breaks():
    f = facts(*_day())
    activity = month_activity({AGENT: f}, date(2026, 10, 1), date(2026, 10, 31), ISTANBUL)
    figures = agents_time(activity)
    assert list(figures) == ["logged_in_hours", "by_agent"]
    assert list(figures["by_agent"]["temsilci1"]) == ["logged_in_hours", "occupancy"]
    assert figures["logged_in_hours"] == round(180.5 / 60, 2)
    assert figures["by_agent"]["temsilci1"]["occupancy"] == 5 / (5 + 159)  # on contact ÷ (on contact + waiting)
    detail = activity_detail(activity, date(2026, 10, 1), date(2026, 10, 31))
    assert detail["by_status"] == {"Available": round(164 / 60, 2), "Mola": 0.25, "Offline": round(1.5 / 60, 2)}
    assert detail["weeks"] == [
        {
            "first_day": "2026-10-12",
            "last_day": "2026-10-18",
            "logged_in_hours": 3.01,
            "on_contact_hours": 0.08,
            "occupancy": 5 / 164,
        }
    ]
    # At work per Istanbul hour: available or on a contact (09:00 is the login hour: one minute Offline).
    assert activity.at_work[(date(2026, 10, 14), 9)] == hours(59)
    assert activity.at_work[(date(2026, 10, 14), 10)] == hours(45)  # the Mola
    assert activity.at_work[(date(2026, 10, 14), 11)] == hours(60)


def test_only_breaks_give_no_occupancy_and_an_agent_without_username_is_named_by_id():
    f = _facts_at(T0, [("LOGIN", 0, ("Eğitim", "CUSTOM")), ("LOGOUT", 60, ("Eğitim", "CUSTOM"))])
    f = [AgentFact(x.event_type, x.at, None, x.status, x.status_type) for x in f]
    figures = agents_time(month_activity({AGENT: f}, date(2026, 10, 1), date(2026, 10, 31), ISTANBUL))
    assert figures == {"logged_in_hours": 1.0, "by_agent": {AGENT: {"logged_in_hours": 1.0, "occupancy": None}}}
