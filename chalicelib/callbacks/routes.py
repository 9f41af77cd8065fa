"""Blueprint: the agents' callbacks API (JSON). Thin by design: input, identity, domain, view.

- GET  /callbacks                          open work (or one status), filtered, in dispatch order
- GET  /callbacks/{callback_id}            one callback
- POST /callbacks/{callback_id}/claim      take it (a conditional write: never two agents)
- POST /callbacks/{callback_id}/complete   report the call's outcome (and a note)

Caller numbers are masked (rules.mask) for everyone except the agent holding the claim; every
response that shows a number in full is written to the audit trail (who, when, which, why).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.api import current_agent, http_errors, parse_body, parse_query
from chalicelib.callbacks import service, store
from chalicelib.callbacks.rules import OPEN, OUTCOMES, PRIORITY, Status, mask
from chalicelib.callbacks.store import CallbackItem
from chalicelib.observability import logger
from chalicelib.text import MultiLine, SingleLine

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
MAX_LIMIT = 1000

# Literal[tuple] is Literal[*tuple]: the allowed values stay defined once, in rules.
StatusFilter = Literal[(ALL_OPEN, OVERDUE, *STATUSES)]  # type: ignore[valid-type]
ReasonFilter = Literal[tuple(PRIORITY)]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]


class ListQuery(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StatusFilter = ALL_OPEN
    agent: SingleLine(256, min_length=1) | None = None
    queue: SingleLine(256, min_length=1) | None = None
    reason: ReasonFilter | None = None
    limit: int = Field(default=200, ge=1, le=MAX_LIMIT)


class CompleteBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    outcome: Outcome
    note: MultiLine(2000) | None = None


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
        "attempts": int(item.attempts or 0),
        "last_outcome": item.last_outcome,
        "claimed_by": item.claimed_by,
        "preferred_agent_arn": item.preferred_agent_arn,
        "queue_name": item.queue_name,
        "queue_arn": item.queue_arn,
        "linked_contact_ids": sorted(item.linked_contact_ids or ()),
        "created_at": item.created_at,
    }


def _agent_matches(item: CallbackItem, agent: str) -> bool:
    """Claimed by `agent`, or preferred for them (by full agent ARN, or the ARN's agent id)."""
    if item.claimed_by == agent:
        return True
    preferred = item.preferred_agent_arn or ""
    return bool(preferred) and (preferred == agent or preferred.endswith(f"/agent/{agent}"))


def _statuses(wanted: str) -> list[str]:
    return sorted(OPEN) if wanted in (ALL_OPEN, OVERDUE) else [wanted]


def list_callbacks(query: ListQuery) -> tuple[list[CallbackItem], bool]:
    """Matching callbacks in dispatch order (priority, then due time), and whether `limit` cut the list.

    One GSI Query per status (never a Scan). Each Query returns its status in dispatch order, so
    it stops after `limit` matches: the merged first `limit` are then the right ones.
    """
    found: list[CallbackItem] = []
    truncated = False
    for status in _statuses(query.status):
        matched = 0
        for item in store.callbacks_with_status(status):
            if not _wanted(item, query):
                continue
            if matched == query.limit:
                truncated = True
                break
            found.append(item)
            matched += 1
    found.sort(key=lambda i: (i.dispatch_key, i.callback_id))
    if len(found) > query.limit:
        found, truncated = found[: query.limit], True
    return found, truncated


def _wanted(item: CallbackItem, query: ListQuery) -> bool:
    if query.status == OVERDUE and not item.overdue:
        return False
    if query.reason is not None and item.reason != query.reason:
        return False
    if (
        query.queue is not None
        and query.queue not in (item.queue_name, item.queue_arn)
        and not (item.queue_arn or "").endswith(f"/queue/{query.queue}")
    ):
        return False
    return query.agent is None or _agent_matches(item, query.agent)


def _shown(item: CallbackItem, viewer: str, why: str) -> dict[str, Any]:
    """The view, with the read audited when it carries the full number."""
    if item.caller and holds_claim(item, viewer):
        service.number_read(item.callback_id, viewer, _now(), why)
    return callback_view(item, viewer)


def _views(items: Iterable[CallbackItem], viewer: str) -> list[dict[str, Any]]:
    return [_shown(item, viewer, "work list") for item in items]


def _now() -> datetime:
    return datetime.now(UTC)


# --- routes ------------------------------------------------------------------------------------------


@callbacks_api.route("/callbacks", methods=["GET"])
@http_errors
def get_callbacks() -> dict[str, Any]:
    request = callbacks_api.current_request
    agent = current_agent(request)
    query = parse_query(ListQuery, request)
    items, truncated = list_callbacks(query)
    return {"callbacks": _views(items, agent), "count": len(items), "truncated": truncated}


@callbacks_api.route("/callbacks/{callback_id}", methods=["GET"])
@http_errors
def get_one_callback(callback_id: str) -> dict[str, Any]:
    agent = current_agent(callbacks_api.current_request)
    item = store.get_callback(callback_id)
    if item is None:
        raise service.CallbackNotFound(callback_id)
    return _shown(item, agent, "callback read")


@callbacks_api.route("/callbacks/{callback_id}/claim", methods=["POST"])
@http_errors
def claim_callback(callback_id: str) -> dict[str, Any]:
    agent = current_agent(callbacks_api.current_request)
    item = service.claim(callback_id, agent, _now())
    logger.info("callback claimed", extra={"callback_id": callback_id})
    return _shown(item, agent, "claimed to return the call")


@callbacks_api.route("/callbacks/{callback_id}/complete", methods=["POST"])
@http_errors
def complete_callback(callback_id: str) -> dict[str, Any]:
    request = callbacks_api.current_request
    agent = current_agent(request)
    body = parse_body(CompleteBody, request)
    item = service.complete(callback_id, agent, body.outcome, body.note, _now())
    # The note is the agent's free text: stored, never logged.
    logger.info(
        "callback outcome reported",
        extra={"callback_id": callback_id, "outcome": body.outcome, "status": item.status},
    )
    return _shown(item, agent, "outcome reported")
