"""Blueprint: the nightly retention job (directive 9, KVKK art. 7). Thin: one run per invocation."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Cron
from chalice.app import CloudWatchEvent

from chalicelib.core import times

privacy_jobs = Blueprint(__name__)


# 01:30 UTC = 04:30 in Istanbul: off hours, after the day's contacts have settled.
@privacy_jobs.schedule(Cron(30, 1, "*", "*", "?", "*"), name="privacy_retention")
def handle_retention(event: CloudWatchEvent) -> dict[str, Any]:
    # Imported here: every Lambda imports the app, and only this function needs it (cold start).
    from chalicelib.privacy.service import run_retention

    return run_retention(times.now()).as_dict()
