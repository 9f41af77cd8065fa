"""What the contact flow asks us mid-call, answered within its 8-second limit.

The answer is a flat map of strings (Amazon Connect's requirement for a Lambda
block's output). It never raises into the flow: whatever goes wrong, the flow
still learns whether the centre is open and gets `error=true` with a short code
it can branch on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.callbacks.rules import Status, callback_id_for
from chalicelib.callbacks.store import get_callback, open_callback_of
from chalicelib.contacts.categories import OUT_OF_SCOPE
from chalicelib.contacts.inputs import REQUEST_CALLBACK
from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import e164
from chalicelib.core.workhours import default_calendar
from chalicelib.intake.pipeline import ingest_flow_invocation
from chalicelib.referrals.caller_flags import caller_flags


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _callback_answer(record: ContactRecord, parameters: dict[str, Any]) -> dict[str, str]:
    """Whether this caller already has a callback coming, and the confirmation of one just asked for."""
    answer: dict[str, str] = {}
    if str(parameters.get("action", "")).strip().lower() == REQUEST_CALLBACK:
        item = get_callback(callback_id_for(record.contact_id))
        if item is None and record.category != OUT_OF_SCOPE:  # joined the caller's open callback
            answer["callback_requested"] = "true"
        elif item is not None:
            answer["callback_requested"] = _flag(item.status != Status.UNREACHABLE)
            answer["callback_unreachable"] = _flag(item.status == Status.UNREACHABLE)
    number, _ = e164(record.customer_address)
    if number:
        answer["open_callback"] = _flag(open_callback_of(number) is not None)
        answer.update(caller_flags(number))
    return answer


def answer_flow(event: Any, now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    calendar = default_calendar()
    reason = calendar.closure_reason(now)
    answer = {
        "centre_open": _flag(reason is None),
        "closure_reason": reason or "",
        "next_opening": calendar.next_opening(now).isoformat(timespec="minutes") if reason else "",
        "open_callback": "false",
        "callback_requested": "false",
        "callback_unreachable": "false",
        # A referral to a unit is in progress / its answer waits for an agent (route the caller to one).
        "open_referral": "false",
        "referral_answer_ready": "false",
        "referral_reference": "",
        "error": "false",
        "error_reason": "",
    }
    try:
        outcome, parameters = ingest_flow_invocation(event)
        if outcome.status == "rejected":
            answer.update(error="true", error_reason="invalid_input")
        elif outcome.record is not None:
            answer.update(_callback_answer(outcome.record, parameters))
    except Exception:  # the caller is on the line: log, answer, never raise
        logger.exception("contact flow lookup failed")
        count("FlowLookupFailures")
        answer.update(error="true", error_reason="internal")
    return answer
