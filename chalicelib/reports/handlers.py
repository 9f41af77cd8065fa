"""Blueprint: the monthly report function — the schedule's send, and a send the supervisor asked for.

The schedule fires on the 1st at 08:00 Istanbul for the month just ended. The API (POST
/reports/{month}/send) asks this function, not itself, to send a month: only this function ships the
chart stack that renders the e-mail. That request is an event in the schedule's own shape (so Chalice's
handler takes it alike), its `detail` being `{"month": "YYYY-MM", "force": bool}`: `request_event`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from chalice import Blueprint, Cron

from chalicelib.core import times
from chalicelib.core.times import MONTH_PATTERN

reports_jobs = Blueprint(__name__)
MONTH = re.compile(MONTH_PATTERN)


# 08:00 in Istanbul on the 1st = 05:00 UTC (Türkiye keeps UTC+3 all year).
@reports_jobs.schedule(Cron(0, 5, 1, "*", "?", "*"), name="monthly_report")
def handle_monthly_report(event: Any) -> dict[str, Any]:
    # Imported here: every Lambda imports the app, and only this one builds reports.
    from chalicelib.reports.delivery import last_month, send_monthly_report

    asked = event.detail if isinstance(event.detail, dict) else {}
    now = times.now()
    month = asked.get("month")
    if not (isinstance(month, str) and MONTH.match(month)):
        month = last_month(now)  # the schedule's event, or a request without a usable month
    result = send_monthly_report(month, now, force=asked.get("force") is True)
    return {"month": result.month, "status": result.status, "message_id": result.message_id}


def request_event(month: str, force: bool, now: datetime) -> dict[str, Any]:
    """A send the supervisor asked for, as an event the scheduled handler takes (a CloudWatch event's keys)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Monthly report requested",
        "source": "cagri.api",
        "account": "",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "",
        "resources": [],
        "detail": {"month": month, "force": force},
    }
