"""Blueprint: GET /health — 200 when every check is ok, 503 with each check's status otherwise.

For supervisors (it calls Connect's DescribeInstance: not for anonymous callers); nothing personal in
the answer: statuses, ages, counts.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.adapters.closures import centre_calendar
from chalicelib.adapters.connect_users import get_connect_users
from chalicelib.core import times
from chalicelib.health.service import run_checks
from chalicelib.tables import all_models

health_api = Blueprint(__name__)


@health_api.route("/health", methods=["GET"])
def get_health() -> Response:
    code, body = run_checks(times.now(), get_connect_users(), centre_calendar(), all_models())
    return Response(body=body, status_code=code, headers={"Cache-Control": "no-store"})
