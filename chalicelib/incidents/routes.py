"""Blueprint: console incidents (JSON). Thin: input, identity, service, view.

- POST /incidents                            an agent reports a problem; the supervisor is e-mailed at once
- GET  /incidents?status=&month=YYYY-MM      the list (default: OPEN), through an index, a page at a
                                             time: oldest first, but RESOLVED newest first
- GET  /incidents/{incident_id}              one incident
- POST /incidents/{incident_id}/acknowledge  the supervisor takes it (OPEN → ACKNOWLEDGED)
- POST /incidents/{incident_id}/resolve      {"resolution": "…"} (→ RESOLVED, with time to resolve)

The description and resolution are free text: returned to the API's users, never logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict

from chalicelib.adapters.mail import get_notifier
from chalicelib.adapters.paging import PageQuery
from chalicelib.core import times
from chalicelib.core.lazy import lazy
from chalicelib.core.text import MultiLineText
from chalicelib.core.times import Month
from chalicelib.incidents.rules import CATEGORIES, DESCRIPTION_MAX, RESOLUTION_MAX, SEVERITIES, STATUSES
from chalicelib.incidents.store import IncidentItem
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.incidents import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service = lazy("chalicelib.incidents.service")


incidents_api = Blueprint(__name__)

# Literals built from rules' tuples (the values defined once): pydantic checks them; mypy cannot read a
# Literal built at run time (valid-type) and takes the field as Any.
Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]
StatusFilter = Literal[STATUSES]  # type: ignore[valid-type]


class ReportBody(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    category: Category
    severity: Severity
    description: Annotated[str, MultiLineText(DESCRIPTION_MAX, min_length=1)]


class ResolveBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    resolution: Annotated[str, MultiLineText(RESOLUTION_MAX, min_length=1)]


class ListQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StatusFilter | None = None
    month: Month | None = None
    mine: bool = False  # the caller's own reports, newest first (the panel's "what became of my reports")


def incident_view(item: IncidentItem) -> dict[str, Any]:
    return {
        "incident_id": item.incident_id,
        "reported_by": item.reported_by,
        "reported_at": item.reported_at,
        "category": item.category,
        "severity": item.severity,
        "description": item.description,
        "status": item.status,
        "supervisor_notified": item.notified is not None,
        "acknowledged_at": item.acknowledged_at,
        "acknowledged_by": item.acknowledged_by,
        "resolved_at": item.resolved_at,
        "resolved_by": item.resolved_by,
        "resolution": item.resolution,
        "minutes_to_resolve": item.minutes_to_resolve,
    }


@incidents_api.route("/incidents", methods=["POST"])
@http_errors
def report_incident() -> Response:
    request = incidents_api.current_request
    agent = current_agent(request)
    body = parse_body(ReportBody, request)
    item = service.report(agent, body.category, body.severity, body.description, times.now(), get_notifier())
    view = incident_view(item) | {
        "message": "Arıza kaydınız alındı; sorumlu bilgilendirildi."
        if item.notified
        else "Arıza kaydınız alındı, ancak e-posta gönderilemedi; lütfen sorumluya ayrıca haber verin."
    }
    return Response(body=view, status_code=201)


@incidents_api.route("/incidents", methods=["GET"])
@http_errors
def list_incidents() -> dict[str, Any]:
    request = incidents_api.current_request
    agent = current_agent(request)
    query = parse_query(ListQuery, request)
    page = service.listing(query.status, query.month, query.limit, query.next, agent if query.mine else None)
    return page.body("incidents", [incident_view(i) for i in page.items])


@incidents_api.route("/incidents/{incident_id}", methods=["GET"])
@http_errors
def get_incident(incident_id: str) -> dict[str, Any]:
    current_agent(incidents_api.current_request)
    return incident_view(service.get(incident_id))


@incidents_api.route("/incidents/{incident_id}/acknowledge", methods=["POST"])
@http_errors
def acknowledge_incident(incident_id: str) -> dict[str, Any]:
    supervisor = current_agent(incidents_api.current_request)
    return incident_view(service.acknowledge(incident_id, supervisor, times.now()))


@incidents_api.route("/incidents/{incident_id}/resolve", methods=["POST"])
@http_errors
def resolve_incident(incident_id: str) -> dict[str, Any]:
    request = incidents_api.current_request
    supervisor = current_agent(request)
    body = parse_body(ResolveBody, request)
    return incident_view(service.resolve(incident_id, supervisor, body.resolution, times.now()))
