"""Blueprint: the scheduled callback dispatcher. Thin: one cycle per invocation."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate
from chalice.app import CloudWatchEvent

from chalicelib.core import times

callbacks_jobs = Blueprint(__name__)


@callbacks_jobs.schedule(Rate(2, unit=Rate.MINUTES), name="callbacks_dispatch")
def handle_dispatch(event: CloudWatchEvent) -> dict[str, Any]:
    # Imported here: every Lambda imports the app, and only this function needs it (cold start).
    from chalicelib.adapters.connect import get_connect
    from chalicelib.callbacks.dispatcher import dispatch

    return dispatch(times.now(), get_connect()).as_dict()
