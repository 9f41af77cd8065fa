"""Typed text: single lines refuse every control character, free text keeps line feeds only, and
an e-mail's headers never carry a line break whatever was stored."""

from __future__ import annotations

import email
from email import policy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib.adapters.mail import OutgoingEmail
from chalicelib.core.text import MultiLine, SingleLine, has_control, one_line

CONTROL = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x1F), st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
)
PLAIN = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=25)


class Form(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: SingleLine(60, min_length=1)
    note: MultiLine(200) | None = None


@given(PLAIN, CONTROL, PLAIN)
def test_a_single_line_refuses_any_control_character_inside(before, control, after):
    with pytest.raises(ValidationError) as raised:
        Form(name=f"x{before}{control}{after}x")
    [error] = raised.value.errors()
    assert error["loc"] == ("name",) and "control" in error["msg"]


@given(PLAIN.filter(lambda t: t.strip()))
def test_plain_text_passes_as_it_is(text):
    assert Form(name=text).name == text.strip()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_unicode_line_separators_are_line_breaks_too(separator):
    with pytest.raises(ValidationError):
        Form(name=f"Öğrenci{separator}İşleri")
    with pytest.raises(ValidationError):
        Form(name="x", note=f"a{separator}b")


def test_free_text_keeps_line_feeds_turns_crlf_into_lf_and_refuses_the_rest():
    assert Form(name="x", note="Birinci satır.\r\nİkinci satır.\n\nÜçüncü.").note == (
        "Birinci satır.\nİkinci satır.\n\nÜçüncü."
    )
    for control in ("\r", "\t", "\x00", "\x1b", "\x7f", "\x85"):
        with pytest.raises(ValidationError) as raised:
            Form(name="x", note=f"a{control}b")
        assert raised.value.errors()[0]["loc"] == ("note",)


def test_lengths_are_checked_as_strings():
    with pytest.raises(ValidationError) as raised:
        Form(name="x" * 61)
    assert raised.value.errors()[0]["msg"] == "String should have at most 60 characters"


@given(st.text(max_size=60))
def test_one_line_leaves_no_control_character(text):
    assert not has_control(one_line(text))


def _email(**overrides) -> OutgoingEmail:
    fields = {
        "sender": "cagri@ostimteknik.edu.tr",
        "sender_name": "OSTİM Teknik Çağrı Merkezi",
        "recipients": ("basin@ostimteknik.edu.tr",),
        "subject": "[ÇİM-2026-000001] Öğrenci İşleri: yönlendirme süresi geçti",
        "text": "Metin\nikinci satır",
    }
    return OutgoingEmail(**(fields | overrides))


def test_a_line_break_stored_in_a_subject_or_name_never_reaches_the_headers():
    message = _email(
        subject="[ÇİM-2026-000001] Öğrenci\r\nBcc: herkes@example.com\nİşleri",
        sender_name="Çağrı\nMerkezi\x00",
        headers={"X-Cagri-Referral": "ÇİM\r\n2026"},
    ).to_mime()
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None
    assert str(parsed["Subject"]) == "[ÇİM-2026-000001] Öğrenci Bcc: herkes@example.com İşleri"
    assert parsed["From"].addresses[0].display_name == "Çağrı Merkezi"
    assert str(parsed["X-Cagri-Referral"]) == "ÇİM 2026"
    assert parsed.get_body(preferencelist=("plain",)).get_content() == "Metin\nikinci satır\n"


@pytest.mark.parametrize("field", ["sender", "recipients"])
def test_an_address_with_a_control_character_is_refused_before_ses(field):
    bad = "basin@ostimteknik.edu.tr\r\nBcc: herkes@example.com"
    with pytest.raises(ValueError, match="control character") as raised:
        _email(**{field: bad if field == "sender" else (bad,)}).to_mime()
    assert "example.com" not in str(raised.value)
