""" "Call me back when you open" (directive 6(4)): a caller in the closed centre's flow presses 1, the
flow's Lambda block raises a requested callback marked as asked out of hours, and the dispatcher rings
it at the next opening right after the system drops — through the real handlers against DynamoDB in
moto, on a frozen clock, with the simulated Connect twin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from chalicelib.callbacks import store
from chalicelib.callbacks.dispatcher import dispatch
from chalicelib.callbacks.rules import Status, callback_id_for
from chalicelib.contacts.inputs import CALLBACK_OUT_OF_HOURS_ATTRIBUTE, CALLBACK_REQUESTED_ATTRIBUTE
from chalicelib.reports.callback_figures import callback_figures
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes
from tests.integration.test_callbacks import call

FRIDAY_EVENING = datetime(2026, 10, 16, 17, 0, tzinfo=UTC)  # Friday 20:00 in Istanbul
MONDAY_OPENING = datetime(2026, 10, 19, 5, 30, tzinfo=UTC)  # Monday 08:30 in Istanbul
CALLER = "+905321234567"
ASKED = {CALLBACK_REQUESTED_ATTRIBUTE: "true", CALLBACK_OUT_OF_HOURS_ATTRIBUTE: "true"}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))


def ask_when_closed(client, cid: str, at: datetime = FRIDAY_EVENING, number: str | None = CALLER) -> dict:
    """What the inbound flow's closed branch does on "1": mark the contact, then invoke the Lambda block."""
    event = shapes.flow_invocation(
        cid, customer_number=number, attributes=ASKED, parameters={"action": "request_callback"}
    )
    with time_machine.travel(at, tick=False):
        return client.lambda_.invoke("contact_flow", event).payload


def closed_call_record(client, cid: str, at: datetime = FRIDAY_EVENING, number: str | None = CALLER) -> None:
    """The closed call's trace record: never queued, ended by the flow, with the flow's marks."""
    client.lambda_.invoke(
        "contact_trace_records",
        shapes.kinesis_event(
            shapes.ctr(
                cid,
                initiation=at - timedelta(seconds=20),
                disconnected=at + timedelta(seconds=15),
                disconnect_reason="CONTACT_FLOW_DISCONNECT",
                customer_number=number,
                attributes=ASKED,
            )
        ),
    )


def test_the_closed_flow_raises_a_request_marked_as_asked_out_of_hours(client):
    answer = ask_when_closed(client, "ooh-1")
    assert (answer["centre_open"], answer["closure_reason"]) == ("false", "after_hours")
    assert answer["next_opening"] == "2026-10-19T08:30+03:00"
    assert (answer["callback_requested"], answer["callback_unreachable"]) == ("true", "false")
    item = store.get_callback(callback_id_for("ooh-1"))
    assert (item.reason, item.status, item.out_of_hours, item.caller) == ("requested", Status.PENDING, True, CALLER)
    assert item.dispatch_key == f"0.5#{item.due_at}"  # after the system drops ("0#"), before other requests ("1#")
    # The call's trace record tells when it ended: the same callback, retimed, still marked.
    closed_call_record(client, "ooh-1")
    closed_call_record(client, "ooh-1")  # redelivered
    [item] = store.all_callbacks()
    assert (item.raised_at, item.due_at, item.out_of_hours) == (
        "2026-10-16T17:00:15.000Z",
        "2026-10-16T17:05:15.000Z",
        True,
    )
    assert item.dispatch_key == "0.5#2026-10-16T17:05:15.000Z"
    # A working day (08:30–17:30) from the opening, as for every request.
    assert item.sla_due_at == "2026-10-19T14:30:00.000Z"
    listed = client.http.get("/callbacks?reason=requested", headers={"X-Agent-Id": "ayse"}).json_body
    assert [(c["callback_id"], c["out_of_hours"]) for c in listed["callbacks"]] == [(item.callback_id, True)]


def test_the_trace_record_alone_raises_it_when_the_lambda_block_failed(client):
    closed_call_record(client, "ooh-ctr")
    [item] = store.all_callbacks()
    assert (item.reason, item.out_of_hours, item.dispatch_key[:4]) == ("requested", True, "0.5#")


def test_a_withheld_number_hears_that_it_cannot_be_called_back(client):
    answer = ask_when_closed(client, "ooh-anon", number=None)
    assert (answer["callback_requested"], answer["callback_unreachable"]) == ("false", "true")
    [item] = store.all_callbacks()
    assert (item.status, item.unreachable_reason, item.caller) == (Status.UNREACHABLE, "anonymous", None)
    assert dispatch(MONDAY_OPENING, SimulatedConnect(now=lambda: MONDAY_OPENING)).placed == 0


def test_a_withheld_callers_record_takes_the_calls_own_time_when_it_arrives(client):
    """Replayed weeks later, the flow's invocation (no time of its own) is dated by its arrival; the
    trace record then dates the unreachable callback by the call, so it counts in the call's month."""
    ask_when_closed(client, "ooh-late", at=FRIDAY_EVENING + timedelta(days=40), number=None)
    assert store.get_callback(callback_id_for("ooh-late")).raised_month == "2026-11"
    closed_call_record(client, "ooh-late", number=None)
    item = store.get_callback(callback_id_for("ooh-late"))
    assert (item.status, item.raised_month, item.raised_at) == (
        Status.UNREACHABLE,
        "2026-10",
        "2026-10-16T17:00:15.000Z",
    )
    assert item.closed_at == item.raised_at


def test_one_open_callback_per_caller_holds_out_of_hours_too(client):
    call(client, "lost-friday", FRIDAY_EVENING - timedelta(hours=4), wait=40)  # Friday 16:00, still waiting
    answer = ask_when_closed(client, "ooh-again")
    assert answer["callback_requested"] == "true" and answer["open_callback"] == "true"
    [item] = [c for c in store.all_callbacks() if c.status in (Status.PENDING,)]
    assert item.callback_id == callback_id_for("lost-friday") and item.linked_contact_ids == {"ooh-again"}


def test_at_the_next_opening_they_are_rung_right_after_the_system_drops(client):
    # Friday afternoon, left for Monday: a lost call, a request made in the queue, a system drop…
    call(client, "lost", FRIDAY_EVENING - timedelta(hours=3), wait=40, number="+905321000001")
    call(client, "asked-in-queue", FRIDAY_EVENING - timedelta(hours=2), wait=3, asked=True, number="+905321000002")
    call(client, "dropped", FRIDAY_EVENING - timedelta(minutes=20), reason="TELECOM_PROBLEM", number="+905321000003")
    # …and two callers who rang after closing time and asked to be called when the centre opens.
    ask_when_closed(client, "closed-1", FRIDAY_EVENING, number="+905321000004")
    ask_when_closed(client, "closed-2", FRIDAY_EVENING + timedelta(days=1), number="+905321000005")  # Saturday
    connect = SimulatedConnect(now=lambda: MONDAY_OPENING)
    assert dispatch(FRIDAY_EVENING + timedelta(days=1), connect).closed_reason == "weekend"
    assert dispatch(MONDAY_OPENING - timedelta(minutes=10), connect).closed_reason == "before_hours"
    assert connect.placements() == []

    summary = dispatch(MONDAY_OPENING, connect, sleep=lambda _s: None)
    assert summary.placed == 5
    assert [p["callback_id"] for p in connect.placements()] == [
        callback_id_for(cid) for cid in ("dropped", "closed-1", "closed-2", "asked-in-queue", "lost")
    ]

    month = list(store.callbacks_raised_in("2026-10"))
    figures = callback_figures(month, "2026-10-31T21:00:00.000Z")
    assert figures.by_reason == {"abandoned": 1, "requested": 3, "system_drop": 1}
    assert figures.requested_out_of_hours == 2  # counted apart in the report
