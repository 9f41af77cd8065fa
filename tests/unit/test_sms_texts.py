"""The texts the centre sends (directive 5(4)): Turkish, short (what the network carries in two parts at
most), the reference and our number and nothing personal; the rules that decide who may be texted;
and the embedded AWS's SMS twin that `callcenter local outbox` lists."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.adapters.sms import OutgoingSms, SmsRefused, SmsSender, segments
from chalicelib.callbacks.texts import dropped_notice_due, dropped_text, failed_notice_due, failed_text
from chalicelib.core.config import Settings
from chalicelib.core.phones import is_mobile
from chalicelib.referrals.messages import caller_sms, caller_sms_text
from chalicelib.referrals.rules import TEXT, after_task, in_working_hours_only, sms_return_refusal
from cli.embedded import sms as twin

CFG = Settings()
LONGEST_REFERENCE = "ÇİM-2026-999999"
SMS_PARTS = 2  # what a text may cost: two parts (134 UCS-2 characters)


def test_segments_count_as_the_network_does():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("{" * 80) == 1 and segments("{" * 81) == 2  # extension characters take two septets
    assert segments("ı" * 70) == 1 and segments("ı" * 71) == 2 and segments("ı" * 134) == 2
    assert segments("Çağrı") == 1 and segments("a" * 159 + "ş") == 3  # one Turkish letter: UCS-2 for all


@given(st.text(max_size=400), st.characters())
def test_a_longer_text_never_costs_less_and_never_more_than_in_ucs2(text, more):
    assert segments(text + more) >= segments(text)
    units = len(text.encode("utf-16-le")) // 2
    assert segments(text) <= max(1, -(-units // 67))


def test_the_referral_text_carries_the_reference_and_our_number_only():
    text = caller_sms_text("ÇİM-2026-000123", CFG)
    assert text == (
        "OSTİM Teknik Çağrı Merkezi: ÇİM-2026-000123 numaralı sorunuzun yanıtı hazır. "
        "Yanıt için (0312) 386 10 92 numarasını arayabilirsiniz."
    )
    sms = caller_sms("rf-0123456789abcdef0123", "ÇİM-2026-000123", "+905321234567", CFG)
    assert (sms.destination, sms.kind, sms.ref, sms.body) == (
        "+905321234567",
        "referral_answer_ready",
        "rf-0123456789abcdef0123",
        text,
    )


def test_the_callback_texts_say_what_happened_and_what_to_do():
    assert "kesildi" in dropped_text() and "geri arayacağız" in dropped_text()
    failed = failed_text(CFG)
    assert "ulaşamadık" in failed and "Lütfen bizi (0312) 386 10 92" in failed and "08:30-17:30" in failed
    later = Settings(opening_time=time(9, 0), closing_time=time(18, 0), centre_number="+903123861093")
    assert "(0312) 386 10 93" in failed_text(later) and "09:00-18:00" in failed_text(later)


@pytest.mark.parametrize(
    "text",
    [caller_sms_text(LONGEST_REFERENCE, CFG), dropped_text(), failed_text(CFG)],
    ids=["referral", "dropped", "failed"],
)
def test_every_text_fits_two_parts_and_names_nobody(text):
    assert segments(text) <= SMS_PARTS
    assert text.startswith("OSTİM Teknik Çağrı Merkezi: ")
    assert "+90" not in text  # our own number, as people read it; never the caller's


def test_a_return_by_sms_needs_the_callers_consent():
    assert sms_return_refusal("SMS", sms_consent=True) is None
    field, why = sms_return_refusal("SMS", sms_consent=False)
    assert field == "sms_consent" and why.index("SMS iznini") < why.index("consent to SMS")  # Turkish first
    assert sms_return_refusal("VOICE", sms_consent=False) is None
    assert sms_return_refusal("EMAIL", sms_consent=False) is None


def test_the_text_follows_the_task_once_and_waits_for_opening_hours():
    assert after_task("SMS", texted=False) == TEXT
    assert after_task("SMS", texted=True) is None
    assert after_task("VOICE", texted=False) is None and after_task("EMAIL", texted=False) is None
    assert in_working_hours_only(TEXT)


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("+905321234567", True),  # Turkcell
        ("+905051234567", True),  # Türk Telekom
        ("+903123861092", False),  # the centre itself: a landline in Ankara
        ("+902161234567", False),
        ("+447911123456", True),
        (None, False),
        ("anonymous", False),
    ],
)
def test_only_a_mobile_can_be_texted(number, mobile):
    assert is_mobile(number) is mobile


def test_the_callback_notices_follow_their_settings_and_outcomes():
    on = Settings(sms_after_system_drop=True, sms_after_failed_callback=True)
    assert dropped_notice_due("system_drop", on) and not dropped_notice_due("system_drop", CFG)
    assert not dropped_notice_due("abandoned", on) and not dropped_notice_due("requested", on)
    assert failed_notice_due("NO_ANSWER", on) and failed_notice_due("BUSY", on)
    assert not failed_notice_due("WRONG_NUMBER", on)  # that number is not the caller's
    assert not failed_notice_due("NO_ANSWER", CFG)


# --- the twin ----------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    return tmp_path


def text(**overrides) -> OutgoingSms:
    values = {"destination": "+905321234567", "body": dropped_text(), "kind": "callback_dropped", "ref": "cb-1"}
    return OutgoingSms(**(values | overrides))


def test_the_twin_keeps_what_it_sent_for_the_outbox(home):
    sender: SmsSender = twin.SimulatedSms()
    first, second = sender.send(text()), sender.send(text(ref="cb-2"))
    assert first != second
    assert [(r["ref"], r["destination"], r["segments"]) for r in twin.sent_sms()] == [
        ("cb-1", "+905321234567", 2),
        ("cb-2", "+905321234567", 2),
    ]
    [entry, _] = twin.outbox_entries()
    # Shaped like the outbox's e-mails, so a reader of those reads past it.
    assert entry["kind"] == "sms" and entry["recipients"] == ["+905321234567"] and entry["subject"] == ""
    assert entry["text"] == dropped_text() and entry["html"] is None and entry["attachments"] == []
    assert entry["sms"]["kind"] == "callback_dropped" and entry["source"] == "OSTIMTEKNIK"


@pytest.mark.parametrize(
    "bad",
    [text(destination="05321234567"), text(body=" "), text(body="x" * 1601)],
    ids=["not E.164", "empty", "too long"],
)
def test_the_twin_refuses_what_the_service_would(home, bad):
    with pytest.raises(SmsRefused):
        twin.SimulatedSms().send(bad)
    assert twin.sent_sms() == []


def test_the_twin_honours_opt_outs_and_injected_failures(home):
    sender = twin.SimulatedSms(opted_out=frozenset({"+905321234567"}))
    with pytest.raises(SmsRefused, match="OPTED_OUT"):
        sender.send(text())
    sender.fail_next(RuntimeError("down"))
    with pytest.raises(RuntimeError):
        sender.send(text(destination="+905339876543"))
    sender.send(text(destination="+905339876543"))
    assert len(twin.sent_sms()) == 1
