"""Pure confidentiality rules: numbers, legal bases, due dates, anonymised facts, retention months."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.contacts.facts import Fact, anonymised_fact
from chalicelib.core.phones import caller_key, mask, subject_number
from chalicelib.privacy.rules import (
    ANONYMISED,
    BasisMissing,
    legal_basis,
    months_back,
    request_due,
    retention_cutoff,
)


@pytest.mark.parametrize("text", ["+905321234567", "0532 123 45 67", "05321234567", "5321234567", "+90 532 123 4567"])
def test_any_usual_form_of_a_number_is_the_same_caller(text):
    assert subject_number(text) == "+905321234567"


@pytest.mark.parametrize("text", ["", "abc", "0532", "+90000"])
def test_a_non_number_is_refused_without_echoing_it(text):
    with pytest.raises(ValueError) as error:
        subject_number(text)
    assert str(error.value).startswith("number:") and (not text or text not in str(error.value))


def test_the_keyed_hash_is_stable_and_not_the_number():
    key = caller_key("+905321234567")
    assert key == caller_key("+905321234567") != caller_key("+905321234568")
    assert len(key) == 32 and "5321234567" not in key


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({}, "basis"),
        ({"basis": "friendship"}, "basis"),
        ({"basis": "consent"}, "consent_reference"),
        ({"basis": "consent", "consent_reference": "  "}, "consent_reference"),
        ({"basis": "legal_authority"}, "authority"),
        ({"basis": "legal_authority", "authority": "Ankara Cumhuriyet Başsavcılığı"}, "document_number"),
    ],
)
def test_a_disclosure_needs_its_legal_basis_and_names_what_is_missing(given, field):
    with pytest.raises(BasisMissing) as error:
        legal_basis(**given)
    assert error.value.field == field


def test_recorded_bases_say_what_they_rest_on():
    consent = legal_basis("consent", consent_reference="RZ-2026-17")
    assert consent.summary() == "basis=consent; consent_reference=RZ-2026-17"
    authority = legal_basis("legal_authority", authority="Savcılık", document_number="2026/123")
    assert "document_number=2026/123" in authority.summary()


def test_a_request_is_due_thirty_calendar_days_after_receipt():
    assert request_due(datetime(2026, 12, 20, 9, tzinfo=UTC)) == datetime(2027, 1, 19, 9, tzinfo=UTC)


def test_retention_looks_back_over_months_from_the_cutoff():
    cutoff = retention_cutoff(datetime(2027, 3, 1, tzinfo=UTC), 365)
    assert cutoff == datetime(2026, 3, 1, tzinfo=UTC)
    months = months_back(cutoff, 4)
    assert months == ["2025-12", "2026-01", "2026-02", "2026-03"]


facts = st.builds(
    Fact,
    contact_id=st.text(min_size=1, max_size=8),
    source=st.sampled_from(["ctr", "flow", "event:QUEUED"]),
    channel=st.sampled_from(["VOICE", "CHAT", None]),
    category=st.sampled_from(["bilgi", "şikayet", None]),
    customer_address=st.sampled_from(["+905321234567", None]),
    customer_type=st.sampled_from(["TELEPHONE_NUMBER", None]),
    disconnect_reason=st.sampled_from(["TELECOM_PROBLEM", None]),
    queue_seconds=st.one_of(st.none(), st.floats(0, 1000)),
)


@given(facts)
def test_an_anonymised_fact_keeps_every_statistic_and_drops_the_caller(fact):
    text = anonymised_fact(fact.to_json())
    kept = Fact.from_json(text)
    assert kept.customer_address is None
    assert kept == dataclasses.replace(fact, customer_address=None)
    assert text == kept.to_json()  # canonical: equal facts stay one set member
    assert "5321234567" not in text
    assert anonymised_fact(text) == text


def test_mask_keeps_enough_to_recognise_not_to_dial():
    assert mask("+905321234567") == "+905*******67"
    assert ANONYMISED and json.dumps(ANONYMISED)
