"""Blueprint: GET /health — 200 when every check is ok, 503 with each check's status otherwise.

For supervisors (it calls Connect's DescribeInstance: not for anonymous callers); nothing personal in
the answer: statuses, ages, counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.adapters.connect_users import get_connect_users
from chalicelib.core import times
from chalicelib.core.lazy import lazy

if TYPE_CHECKING:
    from chalicelib import tables
    from chalicelib.adapters import closures
    from chalicelib.health import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service, tables = lazy("chalicelib.health.service"), lazy("chalicelib.tables")
    closures = lazy("chalicelib.adapters.closures")


health_api = Blueprint(__name__)


@health_api.route("/health", methods=["GET"])
def get_health() -> Response:
    code, body = service.run_checks(times.now(), get_connect_users(), closures.centre_calendar(), tables.all_models())
    return Response(body=body, status_code=code, headers={"Cache-Control": "no-store"})
