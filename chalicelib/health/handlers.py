"""Blueprint: the silence watchdog, every 5 minutes. Thin: one check per invocation."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate
from chalice.app import CloudWatchEvent

from chalicelib.core import times

health_jobs = Blueprint(__name__)


@health_jobs.schedule(Rate(5, unit=Rate.MINUTES), name="health_watchdog")
def handle_watchdog(event: CloudWatchEvent) -> dict[str, Any]:
    # Imported here: every Lambda imports the app, and only this function needs it (cold start).
    from chalicelib.adapters.closures import centre_calendar
    from chalicelib.adapters.mail import get_notifier
    from chalicelib.health.service import watchdog

    return watchdog(times.now(), get_notifier(), centre_calendar())
