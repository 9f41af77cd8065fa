"""What the contact flow asks us mid-call, answered within its 8-second limit.

The answer is a flat map of strings (Amazon Connect's requirement for a Lambda
block's output). It never raises into the flow: whatever goes wrong, the flow
still learns whether the centre is open and gets `error=true` with a short code
it can branch on. Whether it is open honours the closures the supervisor declared,
read at most once a minute per warm container (`adapters.closures`); if they cannot
be read at all, the holidays and hours alone decide.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.closures import centre_calendar
from chalicelib.callbacks.rules import Status, callback_id_for
from chalicelib.callbacks.store import get_callback, open_callback_of
from chalicelib.closures.rules import closed_message
from chalicelib.contacts.categories import OUT_OF_SCOPE
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.inputs import REQUEST_CALLBACK
from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.observability import count, logger
from chalicelib.core.phones import e164
from chalicelib.core.workhours import WorkingCalendar, default_calendar
from chalicelib.intake.pipeline import ingest_flow_invocation
from chalicelib.referrals.caller_flags import caller_flags


def _flag(value: bool) -> str:
    return "true" if value else "false"


class _CallerLookup:
    """What the flow reads about the caller before the write, to answer them and to store with the fact."""

    def __init__(self) -> None:
        self.open_callback: bool | None = None
        self.referral_flags: dict[str, str] = {}
        self.failed = False

    def __call__(self, fact: Fact) -> Fact:
        number, _ = e164(fact.customer_address)
        if not number:
            return fact
        try:
            self.open_callback = open_callback_of(number) is not None
            self.referral_flags = caller_flags(number)
        except Exception:  # the fact is still written: the flow answers what it can
            logger.exception("contact flow lookup failed")
            self.failed = True
            return fact
        return replace(fact, open_callback_seen=self.open_callback)


def _callback_answer(record: ContactRecord, parameters: dict[str, Any], lookup: _CallerLookup) -> dict[str, str]:
    """Whether this caller already has a callback coming, and the confirmation of one just asked for."""
    answer: dict[str, str] = {}
    if str(parameters.get("action", "")).strip().lower() == REQUEST_CALLBACK:
        item = get_callback(callback_id_for(record.contact_id))
        if item is None and record.category != OUT_OF_SCOPE:  # joined the caller's open callback
            answer["callback_requested"] = "true"
        elif item is not None:
            answer["callback_requested"] = _flag(item.status != Status.UNREACHABLE)
            answer["callback_unreachable"] = _flag(item.status == Status.UNREACHABLE)
    if lookup.open_callback is not None:
        # Seen before the write, or just raised by this very request.
        answer["open_callback"] = _flag(lookup.open_callback or answer.get("callback_requested") == "true")
        answer.update(lookup.referral_flags)
    return answer


def _calendar() -> WorkingCalendar:
    try:
        return centre_calendar()
    except Exception:  # the caller is on the line: the holidays and hours still answer
        logger.exception("closures unavailable to the contact flow")
        count("FlowClosuresUnavailable")
        return default_calendar()


def answer_flow(event: Any, now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    calendar = _calendar()
    reason = calendar.closure_reason(now)
    answer = {
        "centre_open": _flag(reason is None),
        "closure_reason": reason or "",
        # What the flow reads out when closed (Turkish): a declared closure's reason, the next opening.
        "closure_message": closed_message(calendar, now),
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
    lookup = _CallerLookup()
    try:
        outcome, parameters = ingest_flow_invocation(event, lookup)
        if outcome.status == "rejected":
            answer.update(error="true", error_reason="invalid_input")
        elif outcome.record is not None:
            answer.update(_callback_answer(outcome.record, parameters, lookup))
        if lookup.failed:
            count("FlowLookupFailures")
            answer.update(error="true", error_reason="internal")
    except Exception:  # the caller is on the line: log, answer, never raise
        logger.exception("contact flow lookup failed")
        count("FlowLookupFailures")
        answer.update(error="true", error_reason="internal")
    return answer
