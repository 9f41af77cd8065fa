"""Blueprint: the supervisor asks for any month's report (JSON), built from the store on request."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from chalice import Blueprint

from chalicelib.api import ApiError, current_agent, http_errors

reports_api = Blueprint(__name__)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@reports_api.route("/reports/{month}", methods=["GET"])
@http_errors
def get_report(month: str) -> dict:
    request = reports_api.current_request
    current_agent(request)  # supervisors only (chalicelib/access.py)
    if not MONTH.match(month):
        raise ApiError(400, "invalid_request", "month must be YYYY-MM, e.g. 2026-10", field="month")
    # Imported here: every Lambda imports the app, and only this route and the monthly job build reports.
    from chalicelib.reports import store
    from chalicelib.reports.delivery import build_and_store

    fresh = (request.query_params or {}).get("fresh") == "true"
    report = None if fresh else store.stored_report(month)
    return report if report is not None else build_and_store(month, datetime.now(UTC))
