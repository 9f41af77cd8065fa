"""A referral returned by SMS (directive 5(4)): the consent recorded where the channel is chosen, the
text once the unit has answered (in opening hours, once, with the reference and nothing else), and
what happens when the SMS service throttles, refuses or loses the answer. Real boto3/PynamoDB on moto;
the SMS port is a recording fake (its boto3 side is tests/integration/test_sms_adapter.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from chalicelib.adapters import audit
from chalicelib.adapters.sms import SmsOutcomeUnknown, SmsRefused, SmsUnavailable, segments, set_sms
from chalicelib.referrals import store
from chalicelib.referrals.agenda import run_agenda
from chalicelib.referrals.rules import TEXT, Status
from tests.integration.sms_recorder import RecordingSms
from tests.integration.test_referrals import (  # noqa: F401 - env is the fixture
    NUMBER,
    QUESTION,
    T0,
    a_call,
    call,
    env,
    link_in,
    reply,
    sent,
)
from tests.integration.test_referrals import refer as refer_by

ANSWER = "Transkript aslı gerekmez; e-Devlet çıktısı yeterlidir. TC kimlik no 12345678901 ile başvurunuz kayıtlı."


@pytest.fixture
def texts(env):  # noqa: F811 - the fixture imported above
    recorder = RecordingSms()
    set_sms(recorder)
    yield recorder
    set_sms(None)


def refer(client, **overrides):
    return refer_by(client, **({"return_channel": "SMS", "sms_consent": True} | overrides))


def referred(client, contact_id: str = "call-1") -> tuple[str, str]:
    """Referred with an SMS return at T0 (Tuesday 10:00); the referral id and the unit's reply path."""
    with time_machine.travel(T0, tick=False):
        a_call(client, contact_id)
        referral = refer(client, contact_id=contact_id).json_body
    return referral["referral_id"], link_in(sent()[-1])


def answer(client, path: str, at) -> None:
    with time_machine.travel(at, tick=False):
        assert reply(client, path, action="answer", answer=ANSWER).status_code == 200


def test_an_answer_by_sms_texts_the_caller_once_with_the_reference_and_nothing_else(env, texts):  # noqa: F811
    client, connect = env
    referral_id, path = referred(client)
    item = store.get_referral(referral_id)
    assert item.sms_consent is True and item.return_address == NUMBER  # the number they called from
    [created] = [e for e in audit.trail(f"referral#{referral_id}") if e.action == "created"]
    assert "sms_consent=True" in created.detail  # who recorded the consent, and when
    assert texts.sent == []  # nothing before the unit answers

    answer(client, path, T0 + timedelta(hours=3))  # Tuesday 13:00: open
    [sms] = texts.sent
    assert sms.destination == NUMBER and sms.kind == "referral_answer_ready" and sms.ref == referral_id
    assert sms.body == (
        "OSTİM Teknik Çağrı Merkezi: ÇİM-2026-000001 numaralı sorunuzun yanıtı hazır. "
        "Yanıt için (0312) 386 10 92 numarasını arayabilirsiniz."
    )
    assert segments(sms.body) <= 2
    assert "12345678901" not in sms.body and "e-Devlet" not in sms.body and QUESTION[:20] not in sms.body

    item = store.get_referral(referral_id)
    # Still the agents' work: the caller rings, the flow says an answer waits, an agent gives it.
    assert item.status == Status.ANSWERED and item.caller_sms == "sent" and item.next_action is None
    assert [p["referral_id"] for p in connect.placements() if p.get("mode") == "referral_task"] == [referral_id]
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        flow = a_call(client, "call-2")
        shown = call(client, "GET", f"/referrals/{referral_id}").json_body
        assert run_agenda(T0 + timedelta(hours=4), sms=texts).failed == 0
    assert flow["referral_answer_ready"] == "true" and flow["referral_reference"] == "ÇİM-2026-000001"
    assert shown["caller_sms"] == "sent" and shown["sms_consent"] is True and shown["caller_sms_at"]
    assert len(texts.sent) == 1  # once, whatever runs after
    trail = [(e.actor, e.action) for e in audit.trail(f"referral#{referral_id}")]
    assert ("system:referrals", "caller_texted") in trail


def test_an_answer_after_hours_is_texted_when_the_centre_opens(env, texts):  # noqa: F811
    client, _ = env
    referral_id, path = referred(client)
    answer(client, path, T0 + timedelta(hours=10))  # Tuesday 20:00: closed
    assert texts.sent == [] and store.get_referral(referral_id).next_action == TEXT
    night = T0 + timedelta(hours=11)
    with time_machine.travel(night, tick=False):
        summary = run_agenda(night, sms=texts)
    assert summary.waiting_for_hours == 1 and texts.sent == []
    opening = T0 + timedelta(hours=22, minutes=40)  # Wednesday 08:40
    with time_machine.travel(opening, tick=False):
        assert run_agenda(opening, sms=texts).done == {"text": 1}
    assert [s.ref for s in texts.sent] == [referral_id]


def test_a_throttled_text_is_sent_by_the_next_run_a_refused_one_never_again(env, texts):  # noqa: F811
    client, _ = env
    throttled, throttled_path = referred(client, "call-1")
    refused, refused_path = referred(client, "call-2")
    texts.fail_next(SmsUnavailable("ThrottlingException"))
    answer(client, throttled_path, T0 + timedelta(hours=3))
    texts.fail_next(SmsRefused("ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT)"))
    answer(client, refused_path, T0 + timedelta(hours=3))
    assert texts.sent == []
    assert store.get_referral(throttled).next_action == TEXT  # the claim was given back
    after_refusal = store.get_referral(refused)
    assert after_refusal.caller_sms == "refused" and after_refusal.next_action is None  # agents ring instead

    later = T0 + timedelta(hours=3, minutes=10)
    with time_machine.travel(later, tick=False):
        run_agenda(later, sms=texts)
        run_agenda(later + timedelta(minutes=10), sms=texts)
    assert [s.ref for s in texts.sent] == [throttled]
    assert store.get_referral(throttled).caller_sms == "sent"


def test_a_text_whose_answer_was_lost_is_never_sent_again(env, texts):  # noqa: F811
    client, _ = env
    referral_id, path = referred(client)
    texts.fail_next(SmsOutcomeUnknown("ReadTimeoutError"))
    answer(client, path, T0 + timedelta(hours=3))
    later = T0 + timedelta(hours=3, minutes=10)
    with time_machine.travel(later, tick=False):
        run_agenda(later, sms=texts)
    assert texts.sent == []  # it may have gone: a caller texted twice is worse than once unsure
    assert store.get_referral(referral_id).caller_sms == "sent"


def test_a_forwarded_referral_keeps_the_consent_and_texts_once_the_new_unit_answers(env, texts):  # noqa: F811
    client, _ = env
    referral_id, path = referred(client)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        reply(client, path, action="forward", forward_unit="bilgi-islem", forward_note="Bizim değil.")
    child = store.get_referral(store.get_referral(referral_id).forwarded_to)
    assert child.return_channel == "SMS" and child.sms_consent is True and texts.sent == []
    answer(client, link_in(sent()[-1]), T0 + timedelta(hours=2))
    assert [s.ref for s in texts.sent] == [child.referral_id]


def test_consent_to_sms_is_kept_only_with_the_sms_channel(env, texts):  # noqa: F811
    client, _ = env
    with time_machine.travel(T0, tick=False):
        a_call(client)
        by_voice = refer(client, return_channel="VOICE").json_body
    assert by_voice["sms_consent"] is False and store.get_referral(by_voice["referral_id"]).sms_consent is False
    path = link_in(sent()[-1])
    answer(client, path, T0 + timedelta(hours=3))
    assert texts.sent == []  # a voice return texts nobody
