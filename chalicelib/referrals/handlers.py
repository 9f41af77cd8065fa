"""Blueprint: the scheduled referral agenda (send, remind, escalate, expire, start tasks). Thin."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate
from chalice.app import CloudWatchEvent

from chalicelib.core import times

referrals_jobs = Blueprint(__name__)


@referrals_jobs.schedule(Rate(10, unit=Rate.MINUTES), name="referrals_agenda")
def handle_agenda(event: CloudWatchEvent) -> dict[str, Any]:
    # Imported here: every Lambda imports the app, and only this function needs it (cold start).
    from chalicelib.referrals.agenda import run_agenda

    return run_agenda(times.now()).as_dict()
