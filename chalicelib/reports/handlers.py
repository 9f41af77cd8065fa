"""Blueprint: the monthly report — scheduled send, and the supervisor's request for any month."""

from __future__ import annotations

from chalice import Blueprint, Cron

from chalicelib.core import times

reports_jobs = Blueprint(__name__)


# 08:00 in Istanbul on the 1st = 05:00 UTC (Türkiye keeps UTC+3 all year).
@reports_jobs.schedule(Cron(0, 5, 1, "*", "?", "*"), name="monthly_report")
def handle_monthly_report(event) -> dict:
    # Imported here: every Lambda imports the app, and only this one builds reports.
    from chalicelib.reports.delivery import last_month, send_monthly_report

    now = times.now()
    result = send_monthly_report(last_month(now), now)
    return {"month": result.month, "status": result.status, "message_id": result.message_id}
