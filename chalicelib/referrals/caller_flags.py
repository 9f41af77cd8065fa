"""What the contact flow may tell a caller about their referrals, by one read of the caller's index."""

from __future__ import annotations

from chalicelib.core.phones import caller_key
from chalicelib.referrals import store
from chalicelib.referrals.rules import WITH_UNIT, Status


def caller_flags(number: str) -> dict[str, str]:
    """For the flow: whether the caller has a referral in progress and whether an answer is waiting."""
    items = store.of_caller(caller_key(number))
    ready = [i for i in items if i.status == Status.ANSWERED]
    waiting = [i for i in items if i.status in WITH_UNIT]
    return {
        "open_referral": "true" if ready or waiting else "false",
        "referral_answer_ready": "true" if ready else "false",
        "referral_reference": ready[0].reference if ready else "",
    }
