"""Blueprint: the agents' referrals API and the supervisor's units directory (JSON). Thin by design.

Agents:
- POST /referrals                          refer a caller's question to a unit (mails the unit)
- GET  /referrals                          work lists (default: answers to return, expired ones), a page
                                           at a time: work and referrals under way oldest first, finished
                                           ones (RETURNED, CLOSED, FORWARDED, CANCELLED) newest first
- GET  /referrals/{referral_id}            one referral with question and answer (audited read)
- POST /referrals/{referral_id}/claim      take it (conditional: never two agents)
- POST /referrals/{referral_id}/return     the answer reached the caller (optionally closing it)
- POST /referrals/{referral_id}/close      close with an outcome
- POST /referrals/{referral_id}/cancel     the caller no longer needs it
Supervisor:
- GET  /units (a page at a time, by unit id), GET /units/{unit_id}, PUT /units/{unit_id}

Lists carry no question, answer or address; the return address is shown in full only to the agent
holding the claim (masked otherwise), as for callbacks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.adapters.paging import PageQuery
from chalicelib.contacts.categories import CATEGORIES
from chalicelib.core import times
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.lazy import lazy
from chalicelib.core.observability import logger
from chalicelib.core.phones import mask, mask_email
from chalicelib.core.text import MultiLineText, SingleLineText
from chalicelib.referrals import units
from chalicelib.referrals.rules import ALL_STATUSES, OUTCOMES, RETURN_CHANNELS
from chalicelib.referrals.store import ReferralItem
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.referrals import agents_side
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    agents_side = lazy("chalicelib.referrals.agents_side")


referrals_api = Blueprint(__name__)

WORK = "WORK"  # ANSWERED + EXPIRED: what agents must take back to callers
# Literals built from rules' tuples (the values defined once): pydantic checks them; mypy cannot read a
# Literal built at run time (valid-type) and takes the field as Any.
StatusFilter = Literal[(WORK, *ALL_STATUSES)]  # type: ignore[valid-type]
Channel = Literal[RETURN_CHANNELS]  # type: ignore[valid-type]
Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]


class CreateBody(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    contact_id: Annotated[str, SingleLineText(256, min_length=1)]
    unit_id: str = Field(pattern=units.UNIT_ID_PATTERN)
    question: Annotated[str, MultiLineText(4000, min_length=5)]
    category: Category
    return_channel: Channel
    return_address: Annotated[str, SingleLineText(320)] | None = None
    consent: bool = False  # directive 9(2): the caller's name and number go to the unit only with consent
    caller_name: Annotated[str, SingleLineText(200, min_length=1)] | None = None
    # KVKK: the caller agreed to be texted at the return number; a return by SMS is refused without it.
    sms_consent: bool = False


class ListQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StatusFilter = WORK
    unit: str | None = Field(default=None, pattern=units.UNIT_ID_PATTERN)


class ReturnBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    outcome: Outcome | None = None
    note: Annotated[str, MultiLineText(2000)] | None = None


class CloseBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    outcome: Outcome
    note: Annotated[str, MultiLineText(2000)] | None = None


class CancelBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    note: Annotated[str, MultiLineText(2000)] | None = None


# --- views -------------------------------------------------------------------------------------------


def summary_view(item: ReferralItem) -> dict[str, Any]:
    return {
        "referral_id": item.referral_id,
        "reference": item.reference,
        "contact_id": item.contact_id,
        "unit_id": item.unit_id,
        "unit_name": item.unit_name,
        "category": item.category,
        "status": item.status,
        "return_channel": item.return_channel,
        "created_at": item.created_at,
        "due_at": item.due_at,
        "answered_at": item.answered_at,
        "expired_at": item.expired_at,
        "claimed_by": item.claimed_by,
        "forwarded_from": item.forwarded_from,
        "forwarded_to": item.forwarded_to,
    }


def full_view(item: ReferralItem, viewer: str) -> dict[str, Any]:
    holds = item.claimed_by == viewer
    address: str | None = item.return_address
    if address and not holds:
        address = mask(address) if item.return_channel in ("VOICE", "SMS") else mask_email(address)
    return summary_view(item) | {
        "question": item.question,
        "answer": item.answer,
        "responder_name": item.responder_name,
        "answered_by": item.answered_by,
        "return_address": address,
        "consent": bool(item.consent),
        "sms_consent": bool(item.sms_consent),
        "caller_sms": item.caller_sms,  # the "answer is ready" text: sent, refused, or not (yet)
        "caller_sms_at": item.caller_sms_at,
        "caller_name": item.caller_name if holds else None,
        "notes": list(item.notes or []),
        "sent_at": item.sent_at,
        "reminded_at": item.reminded_at,
        "escalated_at": item.escalated_at,
        "expires_at": item.expires_at,
        "task_contact_id": item.task_contact_id,
        "returned_at": item.returned_at,
        "closed_at": item.closed_at,
        "outcome": item.outcome,
        "cancelled_at": item.cancelled_at,
    }


# --- referral routes --------------------------------------------------------------------------------------


@referrals_api.route("/referrals", methods=["POST"])
@http_errors
def create_referral() -> Response:
    request = referrals_api.current_request
    agent = current_agent(request)
    body = parse_body(CreateBody, request)
    item, created = agents_side.create(agents_side.NewReferral(**body.model_dump()), agent, times.now())
    return Response(body=full_view(item, agent), status_code=201 if created else 200)


@referrals_api.route("/referrals", methods=["GET"])
@http_errors
def get_referrals() -> dict[str, Any]:
    request = referrals_api.current_request
    current_agent(request)
    query = parse_query(ListQuery, request)
    page = agents_side.work_list(None if query.status == WORK else query.status, query.unit, query.limit, query.next)
    return page.body("referrals", [summary_view(i) for i in page.items])  # never a question or an answer


@referrals_api.route("/referrals/{referral_id}", methods=["GET"])
@http_errors
def get_referral(referral_id: str) -> dict[str, Any]:
    agent = current_agent(referrals_api.current_request)
    return full_view(agents_side.read(referral_id, agent, times.now()), agent)


@referrals_api.route("/referrals/{referral_id}/claim", methods=["POST"])
@http_errors
def claim_referral(referral_id: str) -> dict[str, Any]:
    agent = current_agent(referrals_api.current_request)
    item = agents_side.claim(referral_id, agent, times.now())
    logger.info("referral claimed", extra={"referral_id": referral_id})
    return full_view(item, agent)


@referrals_api.route("/referrals/{referral_id}/return", methods=["POST"])
@http_errors
def return_referral(referral_id: str) -> dict[str, Any]:
    request = referrals_api.current_request
    agent = current_agent(request)
    body = parse_body(ReturnBody, request)
    item = agents_side.return_answer(referral_id, agent, body.outcome, body.note, times.now())
    logger.info("referral returned", extra={"referral_id": referral_id, "status": item.status})
    return full_view(item, agent)


@referrals_api.route("/referrals/{referral_id}/close", methods=["POST"])
@http_errors
def close_referral(referral_id: str) -> dict[str, Any]:
    request = referrals_api.current_request
    agent = current_agent(request)
    body = parse_body(CloseBody, request)
    item = agents_side.close(referral_id, agent, body.outcome, body.note, times.now())
    logger.info("referral closed", extra={"referral_id": referral_id, "outcome": body.outcome})
    return full_view(item, agent)


@referrals_api.route("/referrals/{referral_id}/cancel", methods=["POST"])
@http_errors
def cancel_referral(referral_id: str) -> dict[str, Any]:
    request = referrals_api.current_request
    agent = current_agent(request)
    body = parse_body(CancelBody, request)
    item = agents_side.cancel(referral_id, agent, body.note, times.now())
    logger.info("referral cancelled", extra={"referral_id": referral_id})
    return full_view(item, agent)


# --- the units directory ---------------------------------------------------------------------------------


@referrals_api.route("/units", methods=["GET"])
@http_errors
def get_units() -> dict[str, Any]:
    request = referrals_api.current_request
    current_agent(request)
    query = parse_query(PageQuery, request)
    page = units.units_page(query.limit, query.next)
    return page.body("units", [u.as_dict() for u in page.items])


@referrals_api.route("/units/{unit_id}", methods=["GET"])
@http_errors
def get_unit(unit_id: str) -> dict[str, Any]:
    current_agent(referrals_api.current_request)
    unit = units.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"unit {unit_id} not found", "unit_id")
    return unit.as_dict()


@referrals_api.route("/units/{unit_id}", methods=["PUT"])
@http_errors
def put_unit(unit_id: str) -> dict[str, Any]:
    request = referrals_api.current_request
    who = current_agent(request)
    if not re.fullmatch(units.UNIT_ID_PATTERN, unit_id):
        raise Invalid("lower-case letters, digits and hyphens, 2 to 63 characters", "unit_id")
    spec = parse_body(units.UnitSpec, request)
    item = units.put_unit(unit_id, spec, who)
    logger.info("unit saved", extra={"unit_id": unit_id})
    return item.as_dict()
