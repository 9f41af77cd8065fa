"""Blueprint: the silence watchdog, every 5 minutes. Thin: one check per invocation."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate
from chalice.app import CloudWatchEvent

from chalicelib.adapters.mail import get_notifier
from chalicelib.core import times
from chalicelib.core.workhours import default_calendar
from chalicelib.health.service import watchdog

health_jobs = Blueprint(__name__)


@health_jobs.schedule(Rate(5, unit=Rate.MINUTES), name="health_watchdog")
def handle_watchdog(event: CloudWatchEvent) -> dict[str, Any]:
    return watchdog(times.now(), get_notifier(), default_calendar())
