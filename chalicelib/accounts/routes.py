"""Blueprint: the supervisor's agent-account API (JSON). Thin: input, identity, service, view.

- POST /agents                         create: invited to sign in to Çağrı by Cognito's e-mail, and a
                                       Connect user (agents on the training profile) whose temporary
                                       password is in this response only — never stored, never logged
- GET  /agents?status=                 list, with training status, by username a page at a time
- GET  /agents/{username}              one agent
- GET  /agents/{username}/audit        the agent's audit trail (who, when, what)
- POST /agents/{username}/training     record the training: ACTIVE, on the live routing profile
- POST /agents/{username}/deactivate   a leaver: deleted in Connect, kept here as DEACTIVATED
- GET  /me                             any account: who am I (the panel's sign-in)
- GET  /local/accounts                 local stage only: the accounts the sign-in stand-in offers

Supervisors only (chalicelib.web.access); the caller is recorded in the audit trail of every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict

from chalicelib.accounts import store
from chalicelib.accounts.rules import NAME_MAX, ROLES, STATUSES, Role
from chalicelib.accounts.store import AgentAuditItem, AgentItem
from chalicelib.adapters.connect_users import get_connect_users
from chalicelib.adapters.paging import PageQuery
from chalicelib.core import times
from chalicelib.core.lazy import lazy
from chalicelib.core.text import SingleLineText
from chalicelib.web.access import caller_of
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.accounts import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service = lazy("chalicelib.accounts.service")


accounts_api = Blueprint(__name__)

# Literals built from rules' tuples (the values defined once): pydantic checks them; mypy cannot read a
# Literal built at run time (valid-type) and takes the field as Any.
StatusFilter = Literal[STATUSES]  # type: ignore[valid-type]
RoleName = Literal[ROLES]  # type: ignore[valid-type]


class CreateBody(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    username: Annotated[str, SingleLineText(64, min_length=3)]
    first_name: Annotated[str, SingleLineText(NAME_MAX, min_length=1)]
    last_name: Annotated[str, SingleLineText(NAME_MAX, min_length=1)]
    email: Annotated[str, SingleLineText(320, min_length=3)] | None = None
    role: RoleName = Role.AGENT


class ListQuery(PageQuery):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StatusFilter | None = None


CREATED_MESSAGE = (
    "Çağrı'ya giriş daveti e-postayla gönderildi. Amazon Connect'in geçici parolası yalnızca bu kez "
    "gösterilir; temsilci ilk girişte değiştirmelidir. / The Çağrı sign-in invitation has been e-mailed; "
    "the Amazon Connect temporary password is shown this once only."
)


def agent_view(item: AgentItem) -> dict[str, Any]:
    return {
        "username": item.username,
        "first_name": item.first_name,
        "last_name": item.last_name,
        "status": item.status,
        "role": item.role_name,
        "trained": item.trained_at is not None,
        "connect_user_id": item.connect_user_id,
        "connect_user_arn": item.connect_user_arn,
        "routing_profile_id": item.routing_profile_id,
        "created_at": item.created_at,
        "created_by": item.created_by,
        "trained_at": item.trained_at,
        "trained_by": item.trained_by,
        "deactivated_at": item.deactivated_at,
        "deactivated_by": item.deactivated_by,
    }


def audit_view(entry: AgentAuditItem) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "changes": entry.changes.as_dict() if entry.changes else {},
    }


@accounts_api.route("/agents", methods=["POST"])
@http_errors
def create_agent() -> Response:
    request = accounts_api.current_request
    actor = current_agent(request)
    body = parse_body(CreateBody, request)
    new = service.NewAgent(body.username, body.first_name, body.last_name, body.email, body.role)
    created = service.create_agent(new, actor, times.now(), get_connect_users())
    view = agent_view(created.agent) | {
        "temporary_password": created.temporary_password,
        "message": CREATED_MESSAGE,
    }
    # no-store: the password must not linger in a proxy or browser cache.
    return Response(body=view, status_code=201, headers={"Cache-Control": "no-store"})


@accounts_api.route("/agents", methods=["GET"])
@http_errors
def list_agents() -> dict[str, Any]:
    request = accounts_api.current_request
    current_agent(request)
    query = parse_query(ListQuery, request)
    page = store.agents_page((query.status,) if query.status else STATUSES, query.limit, query.next)
    return page.body("agents", [agent_view(item) for item in page.items])


@accounts_api.route("/agents/{username}", methods=["GET"])
@http_errors
def get_agent(username: str) -> dict[str, Any]:
    current_agent(accounts_api.current_request)
    return agent_view(service.get_agent(username))


@accounts_api.route("/agents/{username}/audit", methods=["GET"])
@http_errors
def get_audit(username: str) -> dict[str, Any]:
    current_agent(accounts_api.current_request)
    entries = [audit_view(entry) for entry in service.audit_trail(username)]
    return {"username": username, "entries": entries}


@accounts_api.route("/agents/{username}/training", methods=["POST"])
@http_errors
def record_training(username: str) -> dict[str, Any]:
    actor = current_agent(accounts_api.current_request)
    return agent_view(service.record_training(username, actor, times.now(), get_connect_users()))


@accounts_api.route("/agents/{username}/deactivate", methods=["POST"])
@http_errors
def deactivate(username: str) -> dict[str, Any]:
    actor = current_agent(accounts_api.current_request)
    return agent_view(service.deactivate(username, actor, times.now(), get_connect_users()))


@accounts_api.route("/me", methods=["GET"])
@http_errors
def get_me() -> dict[str, Any]:
    """The signed-in account as the panel needs it: who, which role, which groups the request carries."""
    request = accounts_api.current_request
    caller = caller_of(request)
    item = service.get_agent(current_agent(request))
    groups = sorted(caller.groups) if caller else []
    return {"username": item.username, "role": item.role_name, "status": item.status, "groups": groups}


@accounts_api.route("/local/accounts", methods=["GET"])
@http_errors
def get_local_accounts() -> dict[str, Any]:
    """Local stage only (chalicelib.web.access refuses it elsewhere): who the sign-in stand-in may be.
    Usernames, roles and statuses only: no names."""
    query = parse_query(ListQuery, accounts_api.current_request)
    page = store.agents_page((query.status,) if query.status else STATUSES, query.limit, query.next)
    return page.body(
        "accounts", [{"username": i.username, "role": i.role_name, "status": i.status} for i in page.items]
    )
