"""The caller's texts about a callback, each behind its setting: right after a system drop ("we will call
you back") and after the last attempt failed ("please call us"). Once each whatever is redelivered, only
to a mobile, and never in the way of what they follow: real handlers on moto, a recording SMS port."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.sms import SmsRefused, SmsUnavailable, segments, set_sms
from chalicelib.callbacks import outcomes, store
from chalicelib.callbacks.dispatcher import dispatch
from chalicelib.callbacks.rules import Status, callback_id_for
from chalicelib.callbacks.store import CallbackItem
from chalicelib.core.config import settings
from tests.integration.sms_recorder import RecordingSms
from tests.integration.test_callbacks import CALLER, T0, _attempt_ctr, call, connect, home  # noqa: F401 - fixtures

DROPPED = "OSTİM Teknik Çağrı Merkezi: Görüşmeniz teknik bir sorunla kesildi. Sizi en kısa sürede geri arayacağız."
FAILED = (
    "OSTİM Teknik Çağrı Merkezi: Sizi geri aradık, ulaşamadık. "
    "Lütfen bizi (0312) 386 10 92 numarasından arayın (hafta içi 08:30-17:30)."
)


@pytest.fixture
def texts():
    recorder = RecordingSms()
    set_sms(recorder)
    yield recorder
    set_sms(None)


@pytest.fixture
def switched_on(monkeypatch):
    monkeypatch.setenv("SMS_AFTER_SYSTEM_DROP", "true")
    monkeypatch.setenv("SMS_AFTER_FAILED_CALLBACK", "true")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


def test_a_system_drop_texts_the_caller_once_that_we_will_call_back(client, texts, switched_on):
    call(client, "sd-1", T0, answered=True, reason="TELECOM_PROBLEM")
    call(client, "sd-1", T0, answered=True, reason="TELECOM_PROBLEM")  # every input delivered twice
    [sms] = texts.sent
    assert (sms.destination, sms.body, sms.kind) == (CALLER, DROPPED, "callback_dropped")
    assert sms.ref == callback_id_for("sd-1") and sms.ttl_seconds == 3_600 and segments(sms.body) == 2


def test_without_its_setting_no_text_goes(client, texts):
    assert settings().sms_after_system_drop is False and settings().sms_after_failed_callback is False
    call(client, "sd-off", T0, reason="TELECOM_PROBLEM")
    assert store.get_callback(callback_id_for("sd-off")).status == Status.PENDING and texts.sent == []


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("+903123861092", "TELECOM_PROBLEM"),  # a landline cannot take a text
        ("anonymous", "TELECOM_PROBLEM"),  # withheld: nobody to text
        (CALLER, "CUSTOMER_DISCONNECT"),  # a lost call, not a drop: called back, not texted
    ],
)
def test_only_a_drop_from_a_mobile_is_texted(client, texts, switched_on, number, reason):
    call(client, "other", T0, number=number, reason=reason, wait=40)
    assert len(list(store.all_callbacks())) == 1 and texts.sent == []


def test_a_text_the_service_could_not_take_never_stops_the_callback(client, texts, switched_on, caplog):
    texts.fail_next(SmsUnavailable("ThrottlingException"))
    call(client, "sd-2", T0, reason="TELECOM_PROBLEM")
    item = store.get_callback(callback_id_for("sd-2"))
    assert item.status == Status.PENDING and texts.sent == []  # recorded and due: the call back is the remedy
    assert item.sms_dropped_claim is None  # given back: an input that raises it again may still text
    assert "caller's text not sent" in caplog.text and CALLER not in caplog.text
    call(client, "sd-2b", T0, reason="TELECOM_PROBLEM")  # the next drop is texted as ever
    assert [s.ref for s in texts.sent] == [callback_id_for("sd-2b")]


def test_a_refused_text_is_not_tried_again(client, texts, switched_on):
    texts.fail_next(SmsRefused("ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT)"))
    call(client, "sd-3", T0, reason="TELECOM_PROBLEM", events=False)
    call(client, "sd-3", T0, reason="TELECOM_PROBLEM", events=False)
    assert texts.sent == []


def test_a_failed_callback_asks_the_caller_to_ring_us_once(client, connect, texts, switched_on):  # noqa: F811
    call(client, "fail", T0, reason="TELECOM_PROBLEM")
    cb, moment = callback_id_for("fail"), T0 + timedelta(minutes=10)
    for attempt in range(3):
        dispatch(moment, connect)
        contact = connect.placements()[-1]["contact_id"]
        _attempt_ctr(client, contact, cb, answered=False, reason="TELECOM_UNANSWERED", at=moment)
        if attempt < 2:
            assert [s.kind for s in texts.sent] == ["callback_dropped"]  # nothing while attempts remain
        moment += timedelta(hours=3)
    _attempt_ctr(client, contact, cb, answered=False, reason="TELECOM_UNANSWERED", at=moment - timedelta(hours=3))
    assert store.get_callback(cb).status == Status.FAILED
    assert [(s.kind, s.body) for s in texts.sent] == [("callback_dropped", DROPPED), ("callback_failed", FAILED)]


def _on_its_last_attempt(client, contact_id: str, number: str) -> str:
    call(client, contact_id, T0, reason="CUSTOMER_DISCONNECT", wait=40, number=number)
    cb = callback_id_for(contact_id)
    store.update_where(CallbackItem(cb), [CallbackItem.attempts.set(2)], status_in=frozenset({Status.PENDING}))
    outcomes.claim(cb, "ayse", T0 + timedelta(minutes=10))
    return cb


def test_an_agents_last_unanswered_call_texts_but_a_wrong_number_does_not(client, texts, switched_on):
    unanswered = _on_its_last_attempt(client, "ab-1", CALLER)
    wrong = _on_its_last_attempt(client, "ab-2", "+905339876543")
    outcomes.complete(unanswered, "ayse", "NO_ANSWER", None, T0 + timedelta(minutes=20))
    outcomes.complete(wrong, "ayse", "WRONG_NUMBER", None, T0 + timedelta(minutes=20))
    assert store.get_callback(wrong).status == Status.FAILED  # failed, but the number is not the caller's
    assert [(s.kind, s.ref) for s in texts.sent] == [("callback_failed", unanswered)]
