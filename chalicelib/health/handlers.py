"""Blueprint: the silence watchdog, every 5 minutes. Thin: one check per invocation."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Rate

from chalicelib.health.service import watchdog
from chalicelib.mail import get_notifier
from chalicelib.workhours import default_calendar

health_jobs = Blueprint(__name__)


@health_jobs.schedule(Rate(5, unit=Rate.MINUTES), name="health_watchdog")
def handle_watchdog(event) -> dict:
    return watchdog(datetime.now(UTC), get_notifier(), default_calendar())
