"""The merge and the classification of directive 4, on facts (no AWS, no parsing)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import Status, merge
from chalicelib.core.times import iso

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul


def at(seconds: float) -> str:
    return iso(T0 + timedelta(seconds=seconds))


def ev(kind: str, when: float, **fields) -> Fact:
    base = {"channel": "VOICE", "initiation_method": "INBOUND", "initiated_at": at(0)}
    return Fact(contact_id="c", source=f"event:{kind}", at=at(when), **{**base, **fields})


def ctr(last_update: float, **fields) -> Fact:
    base = {"channel": "VOICE", "initiation_method": "INBOUND", "initiated_at": at(0)}
    return Fact(contact_id="c", source="ctr", at=at(last_update), **{**base, **fields})


def answered_call() -> list[Fact]:
    return [
        ev("INITIATED", 0),
        ev("QUEUED", 30, enqueued_at=at(30)),
        ev("CONNECTED_TO_AGENT", 42, enqueued_at=at(30), connected_to_agent_at=at(42), agent_arn="a1"),
        ev("DISCONNECTED", 300, enqueued_at=at(30), connected_to_agent_at=at(42), disconnected_at=at(300)),
        ctr(
            400,
            enqueued_at=at(30),
            queue_seconds=12,
            connected_to_agent_at=at(42),
            agent_arn="a1",
            interaction_seconds=250,
            hold_seconds=8,
            acw_seconds=40,
            disconnected_at=at(300),
            disconnect_reason="AGENT_DISCONNECT",
            category="bilgi",
            customer_address="+905551112233",
        ),
    ]


def test_answered_call_with_ctr():
    r = merge("c", answered_call())
    assert r.status == Status.ANSWERED
    assert r.answered and not r.abandoned and not r.system_dropped
    assert r.queue_seconds == 12  # the CTR's Queue.Duration, not 42 - 30
    assert r.handle_seconds == 298
    assert r.category == "bilgi"
    assert r.customer_address == "+905551112233"


def test_events_only_queued_and_disconnected_is_abandoned_with_event_wait():
    facts = [
        ev("QUEUED", 30, enqueued_at=at(30)),
        ev("DISCONNECTED", 33.5, enqueued_at=at(30), disconnected_at=at(33.5)),
    ]
    r = merge("c", facts)
    assert r.status == Status.ABANDONED and r.abandoned
    assert r.queue_seconds == 3.5
    assert r.handle_seconds is None and not r.has_ctr


def test_queued_without_end_is_still_in_queue_not_lost():
    r = merge("c", [ev("QUEUED", 30, enqueued_at=at(30))])
    assert r.status == Status.IN_QUEUE and not r.abandoned and not r.ended


def test_telecom_problem_in_queue_and_with_agent():
    in_queue = merge(
        "c",
        [ctr(100, enqueued_at=at(30), queue_seconds=20, disconnected_at=at(50), disconnect_reason="TELECOM_PROBLEM")],
    )
    assert in_queue.status == Status.SYSTEM_DROPPED and in_queue.system_dropped and not in_queue.abandoned
    with_agent = merge(
        "c",
        [
            ctr(
                100,
                enqueued_at=at(30),
                queue_seconds=5,
                connected_to_agent_at=at(35),
                interaction_seconds=10,
                disconnected_at=at(45),
                disconnect_reason="TELECOM_PROBLEM",
            )
        ],
    )
    assert with_agent.system_dropped and with_agent.answered  # counted in both, as docs/figures.md defines


def test_telecom_problem_in_ivr_is_not_a_queue_drop():
    r = merge("c", [ctr(100, disconnected_at=at(20), disconnect_reason="TELECOM_PROBLEM")])
    assert not r.system_dropped and r.status == Status.NOT_QUEUED


def test_flow_disconnect_from_queue_is_neither_answered_nor_lost():
    r = merge(
        "c",
        [
            ctr(
                100,
                enqueued_at=at(30),
                queue_seconds=40,
                disconnected_at=at(70),
                disconnect_reason="CONTACT_FLOW_DISCONNECT",
            )
        ],
    )
    assert r.queue_exit_other and not r.abandoned and r.status == Status.QUEUE_EXIT


def test_ivr_only_contact_is_not_queued():
    r = merge("c", [ev("INITIATED", 0), ev("DISCONNECTED", 60, disconnected_at=at(60))])
    assert r.status == Status.NOT_QUEUED and not r.queued


def test_latest_category_wins_by_input_time_not_arrival():
    early_ctr = ctr(100, category="bilgi", disconnected_at=at(90))
    later_ctr = ctr(500, category="şikayet", disconnected_at=at(90))
    update_between = ev("CONTACT_DATA_UPDATED", 300, category="istek")
    for order in ([early_ctr, later_ctr, update_between], [later_ctr, update_between, early_ctr]):
        assert merge("c", order).category == "şikayet"


def test_flow_invocation_category_ranks_below_timed_inputs():
    flow = Fact(contact_id="c", source="flow", category="kapsam_dışı")
    assert merge("c", [flow]).category == "kapsam_dışı"
    assert merge("c", [flow, ev("CONTACT_DATA_UPDATED", 5, category="bilgi")]).category == "bilgi"


def test_initiation_falls_back_to_earliest_event_time_then_first_seen():
    facts = [
        Fact(contact_id="c", source="event:QUEUED", at=at(30), enqueued_at=at(30)),
        Fact(contact_id="c", source="event:INITIATED", at=at(2)),
    ]
    r = merge("c", facts)
    assert r.initiated_at == T0 + timedelta(seconds=2) and not r.initiation_is_exact
    flow_only = merge("c", [Fact(contact_id="c", source="flow")], first_seen_at=at(7))
    assert flow_only.initiated_at == T0 + timedelta(seconds=7)


def test_latest_ctr_wins_per_field_but_keeps_fields_only_an_earlier_one_had():
    first = ctr(
        100,
        queue_seconds=12,
        enqueued_at=at(30),
        connected_to_agent_at=at(42),
        acw_seconds=None,
        interaction_seconds=200,
        disconnected_at=at(300),
        disconnect_reason="AGENT_DISCONNECT",
    )
    updated = ctr(
        900,
        interaction_seconds=200,
        acw_seconds=60,
        disconnected_at=at(300),
        disconnect_reason="AGENT_DISCONNECT",
        connected_to_agent_at=at(42),
    )
    r = merge("c", [updated, first])
    assert r.acw_seconds == 60 and r.queue_seconds == 12 and r.answered


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_permutation_and_duplication_gives_the_same_record(data):
    facts = answered_call() + [
        ev("CONTACT_DATA_UPDATED", 350, category="öneri"),
        Fact(contact_id="c", source="flow", category="istek"),
    ]
    subset = data.draw(st.lists(st.sampled_from(facts), min_size=1, max_size=12))
    shuffled = data.draw(st.permutations(subset + subset[: data.draw(st.integers(0, len(subset)))]))
    assert merge("c", shuffled) == merge("c", sorted(set(subset), key=Fact.to_json))


def test_a_ctr_without_initiation_time_takes_its_earliest_known_time():
    r = merge("c", [Fact(contact_id="c", source="ctr", at=at(900), enqueued_at=at(40), disconnected_at=at(95))])
    assert r.initiated_at == T0 + timedelta(seconds=40) and not r.initiation_is_exact
    epochless = merge("c", [Fact(contact_id="c", source="event:DISCONNECTED", at=at(95), enqueued_at=at(40))])
    assert epochless.initiated_at == T0 + timedelta(seconds=40)


def test_a_first_contact_has_no_previous_or_initial_contact_whichever_input_said_so():
    flow = Fact(contact_id="c", source="flow", previous_contact_id="c", initial_contact_id="c")
    with_flow, without = merge("c", [*answered_call(), flow]), merge("c", answered_call())
    assert with_flow.previous_contact_id is None and with_flow.initial_contact_id is None
    assert (with_flow.previous_contact_id, with_flow.initial_contact_id) == (
        without.previous_contact_id,
        without.initial_contact_id,
    )
    transferred = merge("c", [*answered_call(), Fact(contact_id="c", source="flow", previous_contact_id="p")])
    assert transferred.previous_contact_id == "p"
