"""Blueprint: closures the supervisor declares, and what the flow answers at a moment. Thin by design.

Supervisor:
- GET    /closures?from=YYYY-MM-DD   declared closures by day (all, or from a day on), a page at a time
- POST   /closures                   declare one: {"date", "from" (HH:MM, optional), "reason"}; 201, or
                                     200 when the same closure was already declared (a retried request)
- DELETE /closures/{day}             withdraw one (not a past one)
Agents and supervisors:
- GET    /hours?at=ISO               open or not at `at` (default now), the reason, the next opening

Dates and times are the Istanbul calendar's. The caller is recorded in the audit trail of every change.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, Any

from chalice import Blueprint, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.adapters.paging import PageQuery
from chalicelib.closures.rules import REASON_MAX, REASON_MIN
from chalicelib.core import times
from chalicelib.core.errors import Invalid
from chalicelib.core.lazy import lazy
from chalicelib.core.text import SingleLineText
from chalicelib.core.workhours import Closure
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.adapters.closures import ClosureItem
    from chalicelib.closures import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service = lazy("chalicelib.closures.service")

closures_api = Blueprint(__name__)

DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
Day = Annotated[str, StringConstraints(pattern=DAY_PATTERN)]


def parse_day(value: str, field: str) -> date:
    """A YYYY-MM-DD day of the calendar, or `Invalid` naming `field`."""
    if not re.match(DAY_PATTERN, value):
        raise Invalid(f"{field}: YYYY-MM-DD biçiminde bir gün olmalı / must be a day as YYYY-MM-DD", field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{field}: takvimde böyle bir gün yok / no such day in the calendar", field) from None


class DeclareBody(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    date: Day
    from_time: Annotated[str, StringConstraints(pattern=CLOCK_PATTERN)] | None = Field(default=None, alias="from")
    reason: Annotated[str, SingleLineText(REASON_MAX, REASON_MIN)]


class ListQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    from_day: Day | None = Field(default=None, alias="from")


class HoursQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    at: AwareDatetime | None = None


def closure_view(item: ClosureItem) -> dict[str, Any]:
    return {
        "date": item.day,
        "from": item.from_time,
        "reason": item.reason,
        "declared_by": item.declared_by,
        "declared_at": item.declared_at,
        "connect_synced": item.connect_override_id is not None,
    }


def closure_of(body: DeclareBody) -> Closure:
    return Closure(
        day=parse_day(body.date, "date"),
        from_time=time.fromisoformat(body.from_time) if body.from_time else None,
        reason=body.reason,
    )


@closures_api.route("/closures", methods=["GET"])
@http_errors
def list_closures() -> dict[str, Any]:
    request = closures_api.current_request
    current_agent(request)
    query = parse_query(ListQuery, request)
    first = parse_day(query.from_day, "from") if query.from_day else None
    page = service.list_closures(first, query.limit, query.next)
    return page.body("closures", [closure_view(item) for item in page.items])


@closures_api.route("/closures", methods=["POST"])
@http_errors
def declare_closure() -> Response:
    request = closures_api.current_request
    actor = current_agent(request)
    item, created = service.declare(closure_of(parse_body(DeclareBody, request)), actor, times.now())
    return Response(body=closure_view(item), status_code=201 if created else 200)


@closures_api.route("/closures/{day}", methods=["DELETE"])
@http_errors
def withdraw_closure(day: str) -> dict[str, Any]:
    actor = current_agent(closures_api.current_request)
    service.withdraw(parse_day(day, "date"), actor, times.now())
    return {"date": day, "withdrawn": True}


@closures_api.route("/hours", methods=["GET"])
@http_errors
def hours() -> dict[str, Any]:
    request = closures_api.current_request
    current_agent(request)
    at: datetime = parse_query(HoursQuery, request).at or times.now()
    return service.hours_at(at)
