"""Blueprint: the silence watchdog, every 5 minutes. Thin: one check per invocation."""

from __future__ import annotations

from chalice import Blueprint, Rate

from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.mail import get_notifier
from chalicelib.core import times
from chalicelib.health.service import watchdog

health_jobs = Blueprint(__name__)


@health_jobs.schedule(Rate(5, unit=Rate.MINUTES), name="health_watchdog")
def handle_watchdog(event) -> dict:
    return watchdog(times.now(), get_notifier(), centre_calendar())
