"""Blueprint: the agents' panel's own routes (JSON). Thin: identity, input, one domain call, the view.

- GET  /contacts/recent?limit=            today's contacts, newest first (to pick one outside the workspace)
- GET  /contacts/{contact_id}             the contact card with the caller's history (an audited read);
                                          404 naming `contact_id` while its first input has not arrived
- POST /contacts/{contact_id}/category    classify it (4(c)): a fact on the contact and its Connect attribute
- GET  /work                              the agent's work: callbacks, answers to return, expired referrals
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from chalice import Blueprint
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from chalicelib.adapters.connect import get_connect
from chalicelib.callbacks.routes import shown_callback
from chalicelib.contacts.categories import CATEGORIES, normalise_category
from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.lazy import lazy
from chalicelib.referrals.routes import summary_view
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.intake import classify
    from chalicelib.workspace import card, work
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    classify = lazy("chalicelib.intake.classify")
    card, work = lazy("chalicelib.workspace.card"), lazy("chalicelib.workspace.work")


workspace_api = Blueprint(__name__)


def _known_category(value: str) -> str:
    category = normalise_category(value)
    if category not in CATEGORIES:
        raise ValueError(f"one of {', '.join(CATEGORIES)}")
    return category


class RecentQuery(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)


class CategoryBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    category: Annotated[str, Field(max_length=64), AfterValidator(_known_category)]


@workspace_api.route("/contacts/recent", methods=["GET"])
@http_errors
def get_recent_contacts() -> dict[str, Any]:
    request = workspace_api.current_request
    current_agent(request)
    query = parse_query(RecentQuery, request)
    found = card.recent_contacts(times.now(), settings().zone, query.limit)
    return {"contacts": found, "count": len(found), "next": None}


@workspace_api.route("/contacts/{contact_id}", methods=["GET"])
@http_errors
def get_contact_card(contact_id: str) -> dict[str, Any]:
    agent = current_agent(workspace_api.current_request)
    return card.contact_card(contact_id, agent, times.now())


@workspace_api.route("/contacts/{contact_id}/category", methods=["POST"])
@http_errors
def post_category(contact_id: str) -> dict[str, Any]:
    request = workspace_api.current_request
    agent = current_agent(request)
    body = parse_body(CategoryBody, request)
    done = classify.classify(contact_id, body.category, agent, times.now(), get_connect())
    return {"contact_id": done.contact_id, "category": done.category, "connect_updated": done.connect_updated}


@workspace_api.route("/work", methods=["GET"])
@http_errors
def get_work() -> dict[str, Any]:
    agent = current_agent(workspace_api.current_request)
    mine = work.work_of(agent)
    return {
        "callbacks": [shown_callback(item, agent, "work list") for item in mine.callbacks],
        "answers": [summary_view(item) for item in mine.answers],
        "expired": [summary_view(item) for item in mine.expired],
        "counts": {"callbacks": len(mine.callbacks), "answers": len(mine.answers), "expired": len(mine.expired)},
    }
