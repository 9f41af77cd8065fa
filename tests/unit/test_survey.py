"""The post-call survey's answers: read from any of the three inputs, the latest wins as for `category`,
and a score that is not 1…5 is ignored and counted as invalid, never an error."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.inputs import fact_from_contact_event, fact_from_ctr, parse_flow_invocation
from chalicelib.contacts.merge import merge
from chalicelib.contacts.survey import INVALID, survey_resolved, survey_score
from chalicelib.core.times import iso
from cli.simulator import shapes

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("1", "1"),
        ("5", "5"),
        (" 4 ", "4"),
        ("３", "3"),  # a full-width digit is the digit
        (2, "2"),  # a number from a tool that is not Connect
        ("0", INVALID),
        ("6", INVALID),
        ("10", INVALID),
        ("4.0", INVALID),
        ("-3", INVALID),
        ("beş", INVALID),
        ("çok iyi", INVALID),
        (True, INVALID),
        (["4"], INVALID),
        ({"score": 4}, INVALID),
        (4.5, INVALID),
        ("", None),  # set but empty: no answer
        ("   ", None),
        (None, None),
    ],
)
def test_a_score_is_one_to_five_or_invalid(value, read):
    assert survey_score(value) == read


@pytest.mark.parametrize(
    ("value", "read"),
    [("yes", "yes"), ("NO", "no"), (" Yes ", "yes"), ("evet", None), ("1", None), ("", None), (None, None), (1, None)],
)
def test_resolved_is_yes_or_no_else_ignored(value, read):
    assert survey_resolved(value) == read


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), st.booleans()))
def test_no_value_ever_raises_and_none_is_kept_as_written(value):
    score = survey_score(value)
    assert score is None or score == INVALID or score in ("1", "2", "3", "4", "5")
    assert survey_resolved(value) in (None, "yes", "no")


def _kinesis_ctr(attributes: dict) -> dict:
    """A trace record as the CTR handler reads it: out of a Kinesis record's data."""
    record = shapes.ctr("c-1", attributes=attributes)
    return json.loads(base64.b64decode(shapes.kinesis_event(record)["Records"][0]["kinesis"]["data"]))


def test_every_input_shape_carries_the_survey():
    attrs = {"category": "bilgi", "survey_score": "4", "survey_resolved": "yes"}
    ctr = fact_from_ctr(_kinesis_ctr(attrs))
    event = shapes.contact_event("CONNECTED_TO_AGENT", "c-1", time=T0)
    event["detail"]["attributes"] = dict(attrs)  # not documented for events; read when present all the same
    from_event = fact_from_contact_event(event)
    flow, _ = parse_flow_invocation(shapes.flow_invocation("c-1", attributes=attrs))
    for fact in (ctr, from_event, flow):
        assert (fact.survey_score, fact.survey_resolved) == ("4", "yes")


def test_attribute_names_are_read_case_insensitively_and_text_is_never_stored():
    fact = fact_from_ctr(_kinesis_ctr({"Survey_Score": "harika bir hizmetti", "SURVEY_RESOLVED": "No"}))
    assert (fact.survey_score, fact.survey_resolved) == (INVALID, "no")
    assert "harika" not in fact.to_json()


def _ctr(last_update: int, **fields) -> Fact:
    return Fact(contact_id="c", source="ctr", at=iso(T0 + timedelta(seconds=last_update)), **fields)


def test_the_latest_answer_wins_whatever_the_order_of_arrival():
    early, late = _ctr(100, survey_score="2"), _ctr(200, survey_score="5", survey_resolved="yes")
    for facts in ([early, late], [late, early]):
        r = merge("c", facts)
        assert (r.survey_score, r.survey_invalid, r.survey_resolved) == (5, False, "yes")


def test_a_later_input_without_the_attribute_does_not_clear_it_and_flows_rank_lowest():
    flow = Fact(contact_id="c", source="flow", survey_score="1")
    r = merge("c", [_ctr(100, survey_score="4", survey_resolved="no"), _ctr(300), flow])
    assert (r.survey_score, r.survey_resolved) == (4, "no")


def test_a_final_invalid_answer_is_no_score_but_counted():
    r = merge("c", [_ctr(100, survey_score="4"), _ctr(200, survey_score=INVALID)])
    assert (r.survey_score, r.survey_invalid) == (None, True)
    r = merge("c", [_ctr(100, survey_score=INVALID), _ctr(200, survey_score="3")])
    assert (r.survey_score, r.survey_invalid) == (3, False)
    assert merge("c", [_ctr(100)]).survey_invalid is False
