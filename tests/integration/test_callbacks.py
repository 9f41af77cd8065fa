"""Callbacks raised from contact records, dispatched on a frozen clock, closed by outcomes —
through the real handlers against DynamoDB in moto, with the simulated Connect twin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.callbacks import store
from chalicelib.callbacks.dispatcher import dispatch
from chalicelib.callbacks.rules import Status, callback_id_for
from chalicelib.callbacks.store import CallbackItem
from chalicelib.contacts.inputs import CALLBACK_REQUESTED_ATTRIBUTE
from chalicelib.contacts.store import ContactItem
from cli.embedded.connect import SimulatedConnect
from cli.simulator import shapes as shapes
from tests.integration.conftest import dynamodb_operations, recording

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # Wednesday 10:00 in Istanbul
CALLER = "+905321234567"
Q, A = shapes.queue_arn(), shapes.agent_arn()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """The simulated Connect keeps its files in the test's own folder."""
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))


@pytest.fixture
def connect():
    return SimulatedConnect(now=lambda: T0)


def call(
    client,
    cid: str,
    start: datetime,
    *,
    wait: int = 30,
    answered: bool = False,
    reason: str = "CUSTOMER_DISCONNECT",
    number: str | None = CALLER,
    category: str = "bilgi",
    ctr: bool = True,
    events: bool = True,
    flow: bool = False,
    asked: bool = False,
) -> None:
    """One inbound call's inputs, through the Lambda handlers. `asked`: the caller pressed "call me back"
    (the flow marks the contact before its Lambda block, so the trace record says so)."""
    if flow:  # the IVR's Lambda block: the first input that carries the caller's number
        client.lambda_.invoke("contact_flow", shapes.flow_invocation(cid, customer_number=number))
    enq = start + timedelta(seconds=10)
    conn = enq + timedelta(seconds=wait) if answered else None
    end = conn + timedelta(minutes=3) if answered else enq + timedelta(seconds=wait)
    agent_kw = {"agent_arn": A, "connected_to_agent": conn} if answered else {}
    if events:
        for kind, when in (("QUEUED", enq), ("DISCONNECTED", end)):
            client.lambda_.invoke(
                "contact_events",
                shapes.contact_event(
                    kind,
                    cid,
                    initiation=start,
                    time=when,
                    queue_arn=Q,
                    enqueued=enq,
                    disconnected=end if kind == "DISCONNECTED" else None,
                    **agent_kw,
                ),
            )
    if ctr:
        client.lambda_.invoke(
            "contact_trace_records",
            shapes.kinesis_event(
                shapes.ctr(
                    cid,
                    initiation=start,
                    disconnected=end,
                    disconnect_reason=reason,
                    customer_number=number,
                    queue={"arn": Q, "name": "Genel", "enqueue": enq, "duration": wait},
                    agent={"arn": A, "connected": conn, "interaction": 100, "hold": 0, "acw": 10} if answered else None,
                    attributes={"category": category} | ({CALLBACK_REQUESTED_ATTRIBUTE: "true"} if asked else {}),
                )
            ),
        )


def callbacks() -> list[CallbackItem]:
    return list(store.all_callbacks())


def test_a_system_drop_with_an_agent_gets_one_callback_for_that_agent(client):
    call(client, "sd-1", T0, answered=True, reason="TELECOM_PROBLEM")
    call(client, "sd-1", T0, answered=True, reason="TELECOM_PROBLEM")  # redelivered
    [item] = callbacks()
    assert (item.callback_id, item.reason, item.status) == (callback_id_for("sd-1"), "system_drop", Status.PENDING)
    assert item.preferred_agent_arn == A and item.caller == CALLER
    # 2 working hours from the drop (10:03:40 Istanbul) → 12:03:40.
    assert item.sla_due_at == "2026-10-14T09:03:40.000Z"


def test_every_system_drop_gets_its_own_callback_even_for_one_caller(client):
    call(client, "sd-a", T0, reason="TELECOM_PROBLEM")
    call(client, "sd-b", T0 + timedelta(minutes=5), reason="TELECOM_PROBLEM")
    assert sorted(c.source_contact_id for c in callbacks() if c.reason == "system_drop") == ["sd-a", "sd-b"]


def test_a_caller_who_rang_five_times_has_one_open_callback(client):
    for n in range(5):
        call(client, f"ab-{n}", T0 + timedelta(minutes=10 * n), wait=40)
    [item] = callbacks()
    assert item.reason == "abandoned" and item.status == Status.PENDING
    assert len(item.linked_contact_ids or ()) == 4
    assert ContactItem.get("ab-3").callback.startswith(f"linked|{item.callback_id}|")


def test_short_abandons_out_of_scope_and_answered_calls_get_none(client):
    call(client, "short", T0, wait=3)
    call(client, "oos", T0, wait=60, category="kapsam_dışı", number="+905321111111")
    call(client, "ok", T0, answered=True, reason="AGENT_DISCONNECT", number="+905322222222")
    call(client, "flow-exit", T0, wait=40, reason="CONTACT_FLOW_DISCONNECT", number="+905323333333")
    assert callbacks() == []


@pytest.mark.parametrize(
    ("number", "why"),
    [(None, "anonymous"), ("anonymous", "anonymous"), ("05321234567", "not_e164"), ("+90123", "not_e164")],
)
def test_withheld_or_non_e164_numbers_are_recorded_unreachable(client, number, why):
    call(client, "anon", T0, reason="TELECOM_PROBLEM", number=number)
    [item] = callbacks()
    assert (item.status, item.unreachable_reason, item.caller) == (Status.UNREACHABLE, why, None)


def test_events_first_then_a_ctr_that_tells_more_corrects_the_callback(client):
    # Events alone cannot say who called: nothing to return yet.
    call(client, "unknown", T0, wait=30, ctr=False, number="+905326666666")
    assert callbacks() == []
    # The flow told us the number, the events that the caller left the queue: abandoned.
    call(client, "late", T0, wait=30, ctr=False, flow=True)
    assert [c.reason for c in callbacks()] == ["abandoned"]
    # The trace record says the line dropped: the same callback becomes a system drop.
    call(client, "late", T0, wait=30, reason="TELECOM_PROBLEM", events=False)
    [item] = callbacks()
    assert item.reason == "system_drop" and item.dispatch_key.startswith("0#")
    # Another: its trace record says it was out of scope after all → the untouched callback goes.
    call(client, "late-oos", T0, wait=30, ctr=False, flow=True, number="+905324444444")
    assert len(callbacks()) == 2
    call(client, "late-oos", T0, wait=30, category="kapsam_dışı", events=False, number="+905324444444")
    assert [c.source_contact_id for c in callbacks()] == ["late"]
    assert store.open_callback_of("+905324444444") is None


def test_a_caller_who_got_through_later_is_not_called_back(client):
    call(client, "lost", T0, wait=50)
    call(client, "reached", T0 + timedelta(minutes=20), answered=True, reason="AGENT_DISCONNECT")
    [item] = callbacks()
    assert item.status == Status.CANCELLED and item.close_reason == "caller_got_through"
    # …in whichever order the inputs arrive.
    call(
        client,
        "reached-2",
        T0 + timedelta(minutes=20),
        answered=True,
        reason="AGENT_DISCONNECT",
        number="+905325555555",
    )
    call(client, "lost-2", T0, wait=50, number="+905325555555")
    assert not [c for c in callbacks() if c.source_contact_id == "lost-2"]


def test_an_answered_call_whose_flow_saw_no_callback_ends_without_reading_the_callbacks(client):
    """The flow looked the caller up to answer them; the call's end trusts that look (no second read)."""
    with recording([]) as calls:
        call(client, "quiet", T0, answered=True, reason="AGENT_DISCONNECT", flow=True)
    marker_reads = [p for svc, op, p in calls if op == "GetItem" and "marker" in p["TableName"]]
    assert len(marker_reads) == 1  # the flow's own look, not the DISCONNECTED event's nor the trace record's
    record = ContactItem.get("quiet")
    assert any('"open_callback_seen":false' in f for f in record.facts)


def test_a_callback_raised_while_the_callers_next_call_waited_is_not_placed(client, connect):
    """The flow of the caller's second call looked before the first call's lost-call callback existed,
    so that call's end does not look again: the dispatcher checks before it rings (4(a))."""
    start2 = T0 + timedelta(minutes=2)
    client.lambda_.invoke("contact_flow", shapes.flow_invocation("second", customer_number=CALLER))
    call(client, "first", T0, wait=50)  # its inputs arrive late: the callback is raised now
    call(client, "second", start2, answered=True, reason="AGENT_DISCONNECT")
    [item] = callbacks()
    assert item.status == Status.PENDING  # the second call's end trusted its flow's look
    summary = dispatch(T0 + timedelta(minutes=30), connect)
    assert (summary.placed, summary.cancelled) == (0, 1) and connect.placements() == []
    [item] = callbacks()
    assert (item.status, item.close_reason) == (Status.CANCELLED, "caller_got_through")
    assert store.open_callback_of(CALLER) is None


def test_flow_request_creates_a_requested_callback_and_confirms_it(client):
    event = shapes.flow_invocation("req-1", customer_number=CALLER, parameters={"action": "request_callback"})
    with time_machine.travel(T0, tick=False):
        answer = client.lambda_.invoke("contact_flow", event).payload
    assert answer["callback_requested"] == "true" and answer["open_callback"] == "true"
    [item] = callbacks()
    assert item.reason == "requested" and item.status == Status.PENDING
    with time_machine.travel(T0, tick=False):
        again = client.lambda_.invoke("contact_flow", shapes.flow_invocation("other", customer_number=CALLER)).payload
    assert again["open_callback"] == "true" and again["callback_requested"] == "false"


def test_a_request_whose_lambda_block_failed_is_called_back_from_the_trace_record(client):
    """Connect never retries a flow's Lambda block. When it failed, the caller heard "we could not take
    your request" and hung up a few seconds later: too short a wait to count as an abandon, so without
    the flow's own mark on the contact they would never be called."""
    call(client, "asked-lost", T0, wait=3, events=False, asked=True)
    [item] = callbacks()
    assert (item.reason, item.status, item.caller) == ("requested", Status.PENDING, CALLER)
    call(client, "not-asked", T0, wait=3, events=False, number="+905321000009")
    assert [c.source_contact_id for c in callbacks()] == ["asked-lost"]  # a short abandon alone: none


def test_a_callback_whose_link_was_lost_is_brought_up_to_date_by_the_next_input(client):
    """The events raised it as an abandon, and the try's answer was lost before the contact stored
    its link. The trace record then says a line fault cut the call: the callback must become a
    system drop (6(6)), not stay an abandon while the contact believes otherwise."""
    call(client, "lost-link", T0, wait=40, ctr=False, flow=True)  # the flow told us the number
    [item] = callbacks()
    assert item.reason == "abandoned"
    ContactItem.get("lost-link").update(actions=[ContactItem.callback.remove()])  # the lost answer
    call(client, "lost-link", T0, wait=40, events=False, reason="TELECOM_PROBLEM")
    [item] = callbacks()
    assert item.reason == "system_drop"
    assert ContactItem.get("lost-link").callback.split("|")[2] == "system_drop"


def test_dispatch_waits_for_opening_hours_and_holidays(client, connect):
    call(client, "sd-n", T0, reason="TELECOM_PROBLEM")
    evening = datetime(2026, 10, 14, 16, 0, tzinfo=UTC)  # 19:00 in Istanbul
    assert dispatch(evening, connect).closed_reason == "after_hours" and connect.placements() == []
    holiday = datetime(2026, 10, 29, 8, 0, tzinfo=UTC)
    assert dispatch(holiday, connect).closed_reason == "holiday" and connect.placements() == []
    assert dispatch(T0 + timedelta(minutes=1), connect).placed == 0  # not due yet: the settle time
    summary = dispatch(T0 + timedelta(minutes=15), connect)
    assert summary.placed == 1 and connect.placements()[0]["destination"] == CALLER


def test_dispatch_orders_system_drops_first_then_oldest_within_the_rate(client, connect):
    call(client, "ab-old", T0, wait=40, number="+905321000001")
    call(client, "ab-new", T0 + timedelta(minutes=2), wait=40, number="+905321000002")
    call(client, "sd-late", T0 + timedelta(minutes=3), reason="TELECOM_PROBLEM", number="+905321000003")
    pauses: list[float] = []
    summary = dispatch(T0 + timedelta(minutes=30), connect, sleep=pauses.append)
    assert [p["callback_id"] for p in connect.placements()] == [
        callback_id_for("sd-late"),
        callback_id_for("ab-old"),
        callback_id_for("ab-new"),
    ]
    assert summary.placed == 3 and pauses == [0.5, 0.5]  # Connect's 2 requests/s


def test_throttled_placement_stays_due_and_reuses_its_token(client, connect):
    call(client, "thr", T0, reason="TELECOM_PROBLEM")
    connect.fail_next(1, ConnectUnavailable)
    assert dispatch(T0 + timedelta(minutes=10), connect).deferred == 1
    item = store.get_callback(callback_id_for("thr"))
    assert (item.status, item.attempts) == (Status.PENDING, 0)
    dispatch(T0 + timedelta(minutes=12), connect)
    dispatch(T0 + timedelta(minutes=14), connect)  # already placed: nothing twice
    [placed] = connect.placements()
    assert placed["client_token"] == f"{callback_id_for('thr')}-1"


def test_a_whole_dispatcher_run_reads_by_index_never_a_scan(client, connect):
    call(client, "scan-sd", T0, reason="TELECOM_PROBLEM", number="+905321000001")
    call(client, "scan-ab", T0, wait=40, number="+905321000002")
    with recording([]) as calls:
        summary = dispatch(T0 + timedelta(hours=3), connect, sleep=lambda _s: None)
    assert (summary.overdue_marked, summary.placed) == (1, 2)  # every step of a cycle ran
    operations = dynamodb_operations(calls)
    assert "Scan" not in operations
    assert {"Query", "UpdateItem", "PutItem", "GetItem"} <= operations


def test_a_refused_number_fails_the_callback(client, connect):
    call(client, "ref", T0, reason="TELECOM_PROBLEM")
    connect.fail_next(1, ConnectRefused)
    assert dispatch(T0 + timedelta(minutes=10), connect).refused == 1
    assert store.get_callback(callback_id_for("ref")).status == Status.FAILED


def _attempt_ctr(client, contact_id: str, callback_id: str, *, answered: bool, reason: str, at: datetime):
    agent = {"arn": A, "connected": at + timedelta(seconds=20), "interaction": 60, "hold": 0, "acw": 5}
    client.lambda_.invoke(
        "contact_trace_records",
        shapes.kinesis_event(
            shapes.ctr(
                contact_id,
                initiation_method="API",
                initiation=at,
                disconnected=at + timedelta(minutes=2),
                disconnect_reason=reason,
                customer_number=CALLER,
                agent=agent if answered else None,
                attributes={"callback_id": callback_id},
            )
        ),
    )


def test_attempt_outcomes_retry_then_complete(client, connect):
    call(client, "out", T0, reason="TELECOM_PROBLEM")
    cb = callback_id_for("out")
    dispatch(T0 + timedelta(minutes=10), connect)
    first = connect.placements()[-1]["contact_id"]
    _attempt_ctr(client, first, cb, answered=False, reason="TELECOM_UNANSWERED", at=T0 + timedelta(minutes=10))
    item = store.get_callback(cb)
    assert (item.status, item.last_outcome, item.attempts) == (Status.PENDING, "NO_ANSWER", 1)
    assert item.due_at == "2026-10-14T07:42:00.000Z"  # 30 min after the attempt ended
    _attempt_ctr(client, first, cb, answered=False, reason="TELECOM_UNANSWERED", at=T0 + timedelta(minutes=10))
    assert store.get_callback(cb).attempts == 1  # a redelivered outcome changes nothing
    dispatch(T0 + timedelta(minutes=45), connect)
    second = connect.placements()[-1]["contact_id"]
    assert second != first
    _attempt_ctr(client, second, cb, answered=True, reason="CUSTOMER_DISCONNECT", at=T0 + timedelta(minutes=45))
    item = store.get_callback(cb)
    assert item.status == Status.COMPLETED and store.open_callback_of(CALLER) is None


def test_three_unanswered_attempts_fail_the_callback(client, connect):
    call(client, "fail", T0, reason="TELECOM_PROBLEM")
    cb, moment = callback_id_for("fail"), T0 + timedelta(minutes=10)
    for _ in range(3):
        dispatch(moment, connect)
        _attempt_ctr(
            client, connect.placements()[-1]["contact_id"], cb, answered=False, reason="TELECOM_BUSY", at=moment
        )
        moment += timedelta(hours=3)
    item = store.get_callback(cb)
    assert (item.status, item.attempts, item.last_outcome) == (Status.FAILED, 3, "BUSY")


def test_overdue_callbacks_are_marked_for_the_supervisor(client, connect):
    call(client, "slow", T0, reason="TELECOM_PROBLEM")
    dispatch(T0 + timedelta(hours=1), SimulatedConnect(), limit=0)
    assert not store.get_callback(callback_id_for("slow")).overdue
    summary = dispatch(T0 + timedelta(hours=3), SimulatedConnect(), limit=0)
    assert summary.overdue_marked == 1 and store.get_callback(callback_id_for("slow")).overdue
    assert dispatch(T0 + timedelta(hours=4), SimulatedConnect(), limit=0).overdue_marked == 0  # once


def test_a_request_heard_first_from_the_flow_takes_the_calls_own_time_when_it_arrives(client):
    # Replayed a month later: the flow's invocation carries no time, so "now" stands in…
    event = shapes.flow_invocation("req-late", customer_number=CALLER, parameters={"action": "request_callback"})
    with time_machine.travel(T0 + timedelta(days=40), tick=False):
        client.lambda_.invoke("contact_flow", event)
    assert store.get_callback(callback_id_for("req-late")).raised_month == "2026-11"
    # …until the call's own inputs say when it ended.
    call(client, "req-late", T0, wait=45, reason="CONTACT_FLOW_DISCONNECT")
    item = store.get_callback(callback_id_for("req-late"))
    assert (item.reason, item.raised_month, item.raised_at) == ("requested", "2026-10", "2026-10-14T07:00:55.000Z")
    assert ContactItem.get("req-late").callback == f"own|{item.callback_id}|requested|{item.raised_at}"
