"""Blueprint: the scheduled callback dispatcher. Thin: one cycle per invocation."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Rate

from chalicelib.callbacks.service import dispatch
from chalicelib.connect import get_connect

callbacks_jobs = Blueprint(__name__)


@callbacks_jobs.schedule(Rate(2, unit=Rate.MINUTES), name="callbacks_dispatch")
def handle_dispatch(event) -> dict:
    return dispatch(datetime.now(UTC), get_connect()).as_dict()
