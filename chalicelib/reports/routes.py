"""Blueprint: the supervisor's reports (directive 7(c)): the stored months, each as JSON, as the page
that was e-mailed and its workbook; a rebuild, and a send, on purpose. Supervisors only.

- GET  /reports?months=12         the last months' stored reports: built, rendered, sent (when, id)
- GET  /reports/{month}           the stored report (JSON)
- GET  /reports/{month}/html      the e-mailed page (charts inlined), as sent
- GET  /reports/{month}/workbook  the workbook attached to it (.xlsx)
- POST /reports/{month}/rebuild   build the month from the records now and store it
- POST /reports/{month}/send      ask the report function to send it (202 queued); a month already sent is
                                  said at once (200 already_sent) unless {"force": true} sends it again

`GET /reports/{month}` is a read and nothing else: the report the monthly job built and sent (or
the last rebuild), fast and the same every time; a month with none stored is a 404 that says how
to build it. `POST /reports/{month}/rebuild` builds the month from the records and stores it (a
month still running, to see it so far; a past one, after late records or a fix): a heavy write,
so never a side effect of a GET that a prefetch or a refresh could trigger.
"""

from __future__ import annotations

import re
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.core.times import MONTH_PATTERN, local_month, previous_month
from chalicelib.web.api import ApiError, current_agent, http_errors, parse_body, parse_query

reports_api = Blueprint(__name__)
MONTH = re.compile(MONTH_PATTERN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListQuery(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid")

    months: int = Field(default=12, ge=1, le=36)


class SendBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    force: bool = False


def _month(month: str) -> str:
    if not MONTH.match(month):
        raise ApiError(400, "invalid_request", "month must be YYYY-MM, e.g. 2026-10", field="month")
    return month


@reports_api.route("/reports/{month}", methods=["GET"])
@http_errors
def get_report(month: str) -> dict[str, Any]:
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
def rebuild_report(month: str) -> dict[str, Any]:
    current_agent(reports_api.current_request)  # supervisors only (chalicelib/access.py)
    now = times.now()
    if _month(month) > local_month(now, settings().zone):
        raise ApiError(400, "invalid_request", "month has not begun yet: nothing to build", field="month")
    from chalicelib.reports.delivery import build_and_store

    return build_and_store(month, now)


def _not_rendered(month: str) -> NotFound:
    return NotFound(
        f"{month} raporu henüz gönderilmedi; gönderildiğinde e-postası burada açılır "
        f"(the {month} report has not been sent yet: once sent, its e-mail opens here)",
        "month",
    )


@reports_api.route("/reports", methods=["GET"])
@http_errors
def list_reports() -> dict[str, Any]:
    request = reports_api.current_request
    current_agent(request)
    from chalicelib.reports import store
    from chalicelib.reports.delivery import recipients_of

    query = parse_query(ListQuery, request)
    month = local_month(times.now(), settings().zone)
    months = [month]
    while len(months) < query.months:
        months.append(previous_month(months[-1]))
    recipients = list(recipients_of(settings()))
    found = [
        {
            "month": item.month,
            "built_at": item.built_at,
            "rendered_at": item.rendered_at,
            "sent_at": item.sent_at,
            "message_id": item.message_id,
            "recipients": recipients,
        }
        for item in store.listed(months, recipients)
    ]
    return {"reports": found, "count": len(found), "next": None}


@reports_api.route("/reports/{month}/html", methods=["GET"])
@http_errors
def get_report_page(month: str) -> Response:
    current_agent(reports_api.current_request)
    from chalicelib.reports import store

    page = store.rendered_page(_month(month))
    if page is None:
        raise _not_rendered(month)
    headers: dict[str, str | list[str]] = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    return Response(body=page, status_code=200, headers=headers)


@reports_api.route("/reports/{month}/workbook", methods=["GET"])
@http_errors
def get_report_workbook(month: str) -> Response:
    current_agent(reports_api.current_request)
    from chalicelib.reports import store

    workbook = store.rendered_workbook(_month(month))
    if workbook is None:
        raise _not_rendered(month)
    headers: dict[str, str | list[str]] = {
        "Content-Type": XLSX,
        "Content-Disposition": f'attachment; filename="cagri-merkezi-{month}.xlsx"',
        "Cache-Control": "no-store",
    }
    return Response(body=workbook, status_code=200, headers=headers)


@reports_api.route("/reports/{month}/send", methods=["POST"])
@http_errors
def send_report(month: str) -> Response:
    request = reports_api.current_request
    current_agent(request)
    body = parse_body(SendBody, request)
    if _month(month) >= local_month(times.now(), settings().zone):
        raise ApiError(400, "invalid_request", "only a month that has ended is sent", field="month")
    from chalicelib.adapters.functions import get_functions
    from chalicelib.reports import store
    from chalicelib.reports.delivery import recipients_of
    from chalicelib.reports.handlers import request_event

    recipients = list(recipients_of(settings()))
    answer = {"month": month, "force": body.force, "recipients": recipients}
    if not body.force and any(item.sent_at for item in store.listed([month], recipients)):
        # Said at once, so the supervisor decides on a second e-mail on purpose (force).
        return Response(body=answer | {"status": "already_sent"}, status_code=200)
    get_functions().start(settings().report_function_name, request_event(month, body.force, times.now()))
    logger.info("monthly report send requested", extra={"month": month, "force": body.force})
    return Response(body=answer | {"status": "queued"}, status_code=202)
