"""Blueprint: the supervisor reads a month's stored report (JSON), and rebuilds it on purpose.

`GET /reports/{month}` is a read and nothing else: the report the monthly job built and sent (or
the last rebuild), fast and the same every time; a month with none stored is a 404 that says how
to build it. `POST /reports/{month}/rebuild` builds the month from the records and stores it (a
month still running, to see it so far; a past one, after late records or a fix): a heavy write,
so never a side effect of a GET that a prefetch or a refresh could trigger.
"""

from __future__ import annotations

import re

from chalice import Blueprint

from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.errors import NotFound
from chalicelib.core.times import MONTH_PATTERN, local_month
from chalicelib.web.api import ApiError, current_agent, http_errors

reports_api = Blueprint(__name__)
MONTH = re.compile(MONTH_PATTERN)


def _month(month: str) -> str:
    if not MONTH.match(month):
        raise ApiError(400, "invalid_request", "month must be YYYY-MM, e.g. 2026-10", field="month")
    return month


@reports_api.route("/reports/{month}", methods=["GET"])
@http_errors
def get_report(month: str) -> dict:
    current_agent(reports_api.current_request)  # supervisors only (chalicelib/access.py)
    # Imported here: every Lambda imports the app, and only the report routes and job need it.
    from chalicelib.reports import store

    report = store.stored_report(_month(month))
    if report is None:
        raise NotFound(
            f"{month} için kayıtlı rapor yok; POST /reports/{month}/rebuild oluşturur "
            f"(no stored report for {month}: POST /reports/{month}/rebuild builds it)",
            "month",
        )
    return report


@reports_api.route("/reports/{month}/rebuild", methods=["POST"])
@http_errors
def rebuild_report(month: str) -> dict:
    current_agent(reports_api.current_request)  # supervisors only (chalicelib/access.py)
    now = times.now()
    if _month(month) > local_month(now, settings().zone):
        raise ApiError(400, "invalid_request", "month has not begun yet: nothing to build", field="month")
    from chalicelib.reports.delivery import build_and_store

    return build_and_store(month, now)
