"""The caller's texts about their callback, each behind its setting: right after a system drop raised
it ("we will call you back", SMS_AFTER_SYSTEM_DROP) and when it failed after its last attempt ("please
call us", SMS_AFTER_FAILED_CALLBACK).

Only to a mobile number; each once (claimed on the callback before the send); the number never logged.
A text must never stop what it follows (the intake of a contact record, an agent's report): every
failure is logged by callback id and error class and counted (CallbackSmsFailures), and not retried:
the callback itself is the remedy, and a late "we will call you back" is worse than none. A send that
certainly did not go gives its claim back (an input that raises the callback again, after an earlier
try died before recording it, texts then); one whose outcome is unknown, or that the service refused
(the number opted out), keeps it: never twice.
"""

from __future__ import annotations

import uuid

from chalicelib.adapters.sms import OutgoingSms, SmsOutcomeUnknown, SmsRefused, SmsSender, get_sms
from chalicelib.callbacks import store
from chalicelib.callbacks.rules import OPEN, Status
from chalicelib.callbacks.store import CallbackItem
from chalicelib.callbacks.texts import (
    DROPPED,
    FAILED,
    TTL_SECONDS,
    dropped_notice_due,
    dropped_text,
    failed_notice_due,
    failed_text,
)
from chalicelib.core.config import Settings
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import is_mobile

_CLAIMS = {DROPPED: "sms_dropped_claim", FAILED: "sms_failed_claim"}
_WHILE = {DROPPED: OPEN, FAILED: frozenset({Status.FAILED})}  # the callback's states the text still fits


def text_after_drop(item: CallbackItem, cfg: Settings, sender: SmsSender | None = None) -> bool:
    """A system drop just raised `item`: tell the caller we will ring them (when the setting is on)."""
    if not dropped_notice_due(item.reason, cfg):
        return False
    return _text(item, DROPPED, dropped_text(), sender)


def text_after_failure(item: CallbackItem, outcome: str, cfg: Settings, sender: SmsSender | None = None) -> bool:
    """`item` failed after its last attempt with `outcome`: ask the caller to ring us (when the setting is on)."""
    if item.status != Status.FAILED or not failed_notice_due(outcome, cfg):
        return False
    return _text(item, FAILED, failed_text(cfg), sender)


def _text(item: CallbackItem, kind: str, body: str, sender: SmsSender | None) -> bool:
    """Send `kind` to the callback's caller once; True when sent now. Never raises."""
    if not is_mobile(item.caller):
        return False  # withheld, anonymised, or a landline: nothing can take the text
    attribute, token = _CLAIMS[kind], uuid.uuid4().hex
    try:
        if not store.claim_sms(item, attribute, token, _WHILE[kind]):
            return False
        sms = OutgoingSms(item.caller, body, kind, item.callback_id, ttl_seconds=TTL_SECONDS[kind])
        message_id = (sender or get_sms()).send(sms)
    except (SmsRefused, SmsOutcomeUnknown) as error:  # the claim stays: never tried (or sent) again
        _failed(item, kind, error)
        return False
    except Exception as error:
        _failed(item, kind, error)
        try:
            store.release_sms(item, attribute, token)
        except Exception as release_error:
            _failed(item, kind, release_error)
        return False
    logger.info("caller texted", extra={"callback_id": item.callback_id, "sms": kind, "message_id": message_id})
    count("CallbackSmsSent")
    return True


def _failed(item: CallbackItem, kind: str, error: Exception) -> None:
    logger.warning(
        "caller's text not sent",
        extra={"callback_id": item.callback_id, "sms": kind, "error": type(error).__name__},
    )
    count("CallbackSmsFailures")
