"""Blueprint: the supervisor's confidentiality API (directive 9(2), KVKK art. 11). Thin by design.

- POST /privacy/disclosures                  export a caller's records under a recorded legal basis
- GET  /privacy/disclosures?month=YYYY-MM    the exports made (newest first), without the data
- POST /privacy/requests                     record a data-subject request (due in 30 days)
- GET  /privacy/requests?state=OPEN          open requests by due date; FULFILLED ones newest first
Lists come a page at a time (`limit`, `next`).
- POST /privacy/requests/{request_id}/fulfil run it: access → the export; erasure → anonymise now
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict

from chalicelib.adapters.paging import PageQuery
from chalicelib.core.lazy import lazy
from chalicelib.core.phones import subject_number
from chalicelib.core.text import SingleLineText
from chalicelib.core.times import Month
from chalicelib.privacy.rules import FULFILLED, KINDS, OPEN, legal_basis
from chalicelib.web.api import ApiError, current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.privacy import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service = lazy("chalicelib.privacy.service")


privacy_api = Blueprint(__name__)

# Literals built from rules' tuples (the values defined once): pydantic checks them; mypy cannot read a
# Literal built at run time (valid-type) and takes the field as Any.
Kind = Literal[KINDS]  # type: ignore[valid-type]


class DisclosureBody(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    number: Annotated[str, SingleLineText(32, min_length=4)]
    basis: Annotated[str, SingleLineText(40)] | None = None
    consent_reference: Annotated[str, SingleLineText(200)] | None = None
    authority: Annotated[str, SingleLineText(200)] | None = None
    document_number: Annotated[str, SingleLineText(100)] | None = None


class DisclosureQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    month: Month | None = None


class RequestBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    kind: Kind
    number: Annotated[str, SingleLineText(32, min_length=4)]
    identified_by: Annotated[str, SingleLineText(200, min_length=3)]  # e.g. "T.C. kimlik kartı, yüz yüze"
    received_at: datetime | None = None


class RequestQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    state: Literal[OPEN, FULFILLED] = OPEN  # type: ignore[valid-type]  # rules' constants, as above


def _supervisor() -> str:
    return f"supervisor:{current_agent(privacy_api.current_request)}"


@privacy_api.route("/privacy/disclosures", methods=["POST"])
@http_errors
def post_disclosure() -> Response:
    who = _supervisor()
    body = parse_body(DisclosureBody, privacy_api.current_request)
    basis = legal_basis(body.basis, body.consent_reference, body.authority, body.document_number)
    _, export = service.disclose(subject_number(body.number), basis, who, service.now_utc())
    return Response(body=export, status_code=201)


@privacy_api.route("/privacy/disclosures", methods=["GET"])
@http_errors
def get_disclosures() -> dict[str, Any]:
    _supervisor()
    query = parse_query(DisclosureQuery, privacy_api.current_request)
    month = query.month or service.current_month(service.now_utc())
    page = service.disclosures_page(month, query.limit, query.next)
    return {"month": month} | page.body("disclosures", [service.disclosure_view(i) for i in page.items])


@privacy_api.route("/privacy/requests", methods=["POST"])
@http_errors
def post_request() -> Response:
    who = _supervisor()
    body = parse_body(RequestBody, privacy_api.current_request)
    now = service.now_utc()
    received = body.received_at
    if received is not None and received.tzinfo is None:
        raise ApiError(400, "invalid_request", "received_at: give a time zone (e.g. +03:00)", field="received_at")
    item = service.record_request(body.kind, subject_number(body.number), body.identified_by, received, who, now)
    return Response(body=service.request_view(item, now), status_code=201)


@privacy_api.route("/privacy/requests", methods=["GET"])
@http_errors
def get_requests() -> dict[str, Any]:
    _supervisor()
    query = parse_query(RequestQuery, privacy_api.current_request)
    now = service.now_utc()
    page = service.requests_page(query.state, query.limit, query.next)
    return page.body("requests", [service.request_view(i, now) for i in page.items])


@privacy_api.route("/privacy/requests/{request_id}/fulfil", methods=["POST"])
@http_errors
def fulfil_request(request_id: str) -> dict[str, Any]:
    who = _supervisor()
    now = service.now_utc()
    item, export = service.fulfil(request_id, who, now)
    view = service.request_view(item, now)
    if export is not None:
        view["export"] = export
    return view
