"""Blueprint: the agents' callbacks API (JSON). Thin by design: input, identity, domain, view.

- GET  /callbacks                          open work (or one status), filtered, a page at a time in
                                           dispatch order: system drops first, then by due time
- GET  /callbacks/{callback_id}            one callback
- POST /callbacks/{callback_id}/claim      take it (a conditional write: never two agents)
- POST /callbacks/{callback_id}/complete   report the call's outcome (and a note)

Caller numbers are masked (rules.mask) for everyone except the agent holding the claim; every
response that shows a number in full is written to the audit trail (who, when, which, why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict

from chalicelib.adapters.paging import Page, PageQuery
from chalicelib.callbacks import store
from chalicelib.callbacks.rules import OPEN, OUTCOMES, PRIORITY, Status
from chalicelib.callbacks.store import CallbackItem
from chalicelib.core import times
from chalicelib.core.lazy import lazy
from chalicelib.core.observability import logger
from chalicelib.core.phones import mask
from chalicelib.core.text import MultiLineText, SingleLineText
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.callbacks import outcomes
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    outcomes = lazy("chalicelib.callbacks.outcomes")


callbacks_api = Blueprint(__name__)

ALL_OPEN = "OPEN"  # PENDING + DIALING + CLAIMED
OVERDUE = "OVERDUE"  # open, and past its SLA (flagged by the dispatcher)
STATUSES = (
    Status.PENDING,
    Status.DIALING,
    Status.CLAIMED,
    Status.COMPLETED,
    Status.FAILED,
    Status.UNREACHABLE,
    Status.CANCELLED,
)

# Literal[tuple] is Literal[*tuple]: the allowed values stay defined once, in rules. Pydantic checks them;
# mypy cannot read a Literal built at run time (valid-type) and takes the field as Any.
StatusFilter = Literal[(ALL_OPEN, OVERDUE, *STATUSES)]  # type: ignore[valid-type]
ReasonFilter = Literal[(*PRIORITY,)]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]


class ListQuery(PageQuery):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StatusFilter = ALL_OPEN
    agent: Annotated[str, SingleLineText(256, min_length=1)] | None = None
    queue: Annotated[str, SingleLineText(256, min_length=1)] | None = None
    reason: ReasonFilter | None = None


class CompleteBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    outcome: Outcome
    note: Annotated[str, MultiLineText(2000)] | None = None


# --- view --------------------------------------------------------------------------------------------


def holds_claim(item: CallbackItem, viewer: str | None) -> bool:
    return viewer is not None and item.status == Status.CLAIMED and item.claimed_by == viewer


def callback_view(item: CallbackItem, viewer: str | None) -> dict[str, Any]:
    """One callback as JSON; the caller's number in full only for the agent holding the claim."""
    return {
        "callback_id": item.callback_id,
        "source_contact_id": item.source_contact_id,
        "reason": item.reason,
        "status": item.status,
        "caller": item.caller if holds_claim(item, viewer) else mask(item.caller),
        "raised_at": item.raised_at,
        "due_at": item.due_at,
        "sla_due_at": item.sla_due_at,
        "overdue": bool(item.overdue),
        "out_of_hours": bool(item.out_of_hours),
        "attempts": int(item.attempts or 0),
        "last_outcome": item.last_outcome,
        "claimed_by": item.claimed_by,
        "preferred_agent_arn": item.preferred_agent_arn,
        "queue_name": item.queue_name,
        "queue_arn": item.queue_arn,
        "linked_contact_ids": sorted(item.linked_contact_ids or ()),
        "created_at": item.created_at,
    }


def list_callbacks(query: ListQuery) -> Page[CallbackItem]:
    """One page of the list: the open statuses (or the one asked for), from one GSI Query each, merged."""
    statuses = tuple(sorted(OPEN)) if query.status in (ALL_OPEN, OVERDUE) else (query.status,)
    return store.work_page(
        statuses,
        reason=query.reason,
        overdue_only=query.status == OVERDUE,
        agent=query.agent,
        queue=query.queue,
        limit=query.limit,
        cursor=query.next,
    )


def shown_callback(item: CallbackItem, viewer: str, why: str) -> dict[str, Any]:
    """The view, with the read audited when it carries the full number."""
    if item.caller and holds_claim(item, viewer):
        outcomes.number_read(item.callback_id, viewer, times.now(), why)
    return callback_view(item, viewer)


# --- routes ------------------------------------------------------------------------------------------


@callbacks_api.route("/callbacks", methods=["GET"])
@http_errors
def get_callbacks() -> dict[str, Any]:
    request = callbacks_api.current_request
    agent = current_agent(request)
    page = list_callbacks(parse_query(ListQuery, request))
    return page.body("callbacks", [shown_callback(item, agent, "work list") for item in page.items])


@callbacks_api.route("/callbacks/{callback_id}", methods=["GET"])
@http_errors
def get_one_callback(callback_id: str) -> dict[str, Any]:
    agent = current_agent(callbacks_api.current_request)
    item = store.get_callback(callback_id)
    if item is None:
        raise outcomes.CallbackNotFound(callback_id)
    return shown_callback(item, agent, "callback read")


@callbacks_api.route("/callbacks/{callback_id}/claim", methods=["POST"])
@http_errors
def claim_callback(callback_id: str) -> dict[str, Any]:
    agent = current_agent(callbacks_api.current_request)
    item = outcomes.claim(callback_id, agent, times.now())
    logger.info("callback claimed", extra={"callback_id": callback_id})
    return shown_callback(item, agent, "claimed to return the call")


@callbacks_api.route("/callbacks/{callback_id}/complete", methods=["POST"])
@http_errors
def complete_callback(callback_id: str) -> dict[str, Any]:
    request = callbacks_api.current_request
    agent = current_agent(request)
    body = parse_body(CompleteBody, request)
    item = outcomes.complete(callback_id, agent, body.outcome, body.note, times.now())
    # The note is the agent's free text: stored, never logged.
    logger.info(
        "callback outcome reported",
        extra={"callback_id": callback_id, "outcome": body.outcome, "status": item.status},
    )
    return shown_callback(item, agent, "outcome reported")
