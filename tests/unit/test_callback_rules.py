"""The callbacks' pure rules for "call me back when you open" (directive 6(4)): which calls ask it, and
where they stand in the dispatch order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.callbacks.rules import (
    ABANDONED,
    PRIORITY,
    RANKS,
    REQUESTED,
    SYSTEM_DROP,
    callback_need,
    dispatch_rank,
)
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import merge
from chalicelib.core.times import iso

FRIDAY_EVENING = datetime(2026, 10, 16, 17, 0, tzinfo=UTC)  # 20:00 in Istanbul


def asked_while_closed(number: str | None = "+905321234567", **facts) -> object:
    """A call in the closed centre's flow whose caller pressed 1, as its trace record says."""
    fields = {
        "channel": "VOICE",
        "initiation_method": "INBOUND",
        "initiated_at": iso(FRIDAY_EVENING),
        "disconnected_at": iso(FRIDAY_EVENING + timedelta(seconds=40)),
        "disconnect_reason": "CONTACT_FLOW_DISCONNECT",
        "customer_address": number,
        "callback_requested": True,
        "callback_out_of_hours": True,
    } | facts
    return merge("c", [Fact(contact_id="c", source="ctr", at=iso(FRIDAY_EVENING + timedelta(minutes=1)), **fields)])


def test_a_request_in_the_closed_flow_is_a_requested_callback_asked_out_of_hours():
    need = callback_need(asked_while_closed(), 5)
    assert (need.reason, need.number, need.out_of_hours) == (REQUESTED, "+905321234567", True)


def test_a_withheld_number_cannot_be_called_back_whenever_it_asked():
    need = callback_need(asked_while_closed(number=None), 5)
    assert (need.reason, need.number, need.unreachable_reason) == (REQUESTED, None, "anonymous")


def test_out_of_hours_marks_only_a_request_and_never_out_of_scope():
    # A drop is a drop, whatever the attributes say; a request in queue is an ordinary one.
    dropped = asked_while_closed(enqueued_at=iso(FRIDAY_EVENING), disconnect_reason="TELECOM_PROBLEM")
    assert (callback_need(dropped, 5).reason, callback_need(dropped, 5).out_of_hours) == (SYSTEM_DROP, False)
    assert callback_need(asked_while_closed(callback_out_of_hours=None), 5).out_of_hours is False
    assert callback_need(asked_while_closed(category="kapsam_dışı"), 5) is None


def test_dispatch_order_puts_out_of_hours_requests_right_after_system_drops():
    ranks = [
        dispatch_rank(SYSTEM_DROP),
        dispatch_rank(REQUESTED, out_of_hours=True),
        dispatch_rank(REQUESTED),
        dispatch_rank(ABANDONED),
    ]
    assert ranks == list(RANKS) == sorted(ranks)  # DynamoDB orders the keys as text
    keys = [f"{rank}#2026-10-19T05:30:00.000Z" for rank in ranks]
    assert keys == sorted(keys)
    assert [dispatch_rank(reason) for reason in PRIORITY] == [str(p) for p in PRIORITY.values()]  # keys kept
    assert dispatch_rank(SYSTEM_DROP, out_of_hours=True) == "0" and dispatch_rank(ABANDONED, True) == "2"
