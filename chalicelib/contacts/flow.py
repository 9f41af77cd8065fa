"""What the contact flow asks us mid-call, answered within its 8-second limit.

The answer is a flat map of strings (Amazon Connect's requirement for a Lambda
block's output). It never raises into the flow: whatever goes wrong, the flow
still learns whether the centre is open and gets `error=true` with a short code
it can branch on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.contacts.ingest import ingest_flow_invocation
from chalicelib.observability import count, logger
from chalicelib.workhours import default_calendar


def _flag(value: bool) -> str:
    return "true" if value else "false"


def answer_flow(event: Any, now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    calendar = default_calendar()
    reason = calendar.closure_reason(now)
    answer = {
        "centre_open": _flag(reason is None),
        "closure_reason": reason or "",
        "next_opening": calendar.next_opening(now).isoformat(timespec="minutes") if reason else "",
        # Filled in when callbacks and referrals land (issues 3 and 4).
        "open_callback": "false",
        "open_referral": "false",
        "referral_answer_ready": "false",
        "error": "false",
        "error_reason": "",
    }
    try:
        outcome, _parameters = ingest_flow_invocation(event)
        if outcome.status == "rejected":
            answer.update(error="true", error_reason="invalid_input")
    except Exception:  # the caller is on the line: log, answer, never raise
        logger.exception("contact flow lookup failed")
        count("FlowLookupFailures")
        answer.update(error="true", error_reason="internal")
    return answer
