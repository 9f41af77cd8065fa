"""Agent accounts, applied: Amazon Connect first, then our record and its audit entry together.

Directive 7(e): the supervisor gives new agents a username and password and deactivates those of
agents who leave; 7(f): new agents are trained. Every change is audited (who, when, what).

**Deactivation removes the user from Amazon Connect (`DeleteUser`)**, as AWS's own user-management
sample does, rather than parking it on a routing profile with no queues and a security profile with
no permissions. Connect has no disabled state, and a parked user keeps a working username and
password: it can still sign in, and one mistaken profile change (or a later edit of the "empty"
security profile) gives a leaver access again. Directive 7(e) asks for the leaver's credentials to
be deactivated, and KVKK's least privilege (directive 9(1)) asks the same; deletion does that at
once and for good, and frees the seat in Connect's per-instance user quota. What deletion would
lose, we keep: our agent record (name, Connect user id and ARN, dates, status `DEACTIVATED`)
stays, so reports still resolve the leaver's contacts (Connect's contact records keep the agent
ARN), and the audit trail keeps every change. A username is never reused, so that history stays
unambiguous; a returning agent gets a new username.

Sign-in to the API is Cognito's (chalicelib/cognito.py): a new account is invited there, in the
group of its role, with Cognito's own e-mail and temporary password (none of ours).

Ordering. Creating: Cognito first (idempotent: a retry finds the user and keeps it), then Connect,
then our record with its audit entry in one transaction; until the record exists the access
middleware refuses the identity, so a half-created account can do nothing. Deactivating: our record
first (the middleware refuses a DEACTIVATED account at once), then Cognito (signed out everywhere and
disabled), then Connect (user deleted), then a second audit entry saying access is gone. If Cognito
or Connect fails, the supervisor is told to repeat it; a repeated deactivation redoes only what is
left, and every step is idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.accounts import store
from chalicelib.accounts.rules import (
    ALLOWED_FROM,
    GROUP_OF_ROLE,
    RESULT,
    Action,
    Role,
    Status,
    email_problem,
    name_problem,
    refusal,
    temporary_password,
    username_problem,
)
from chalicelib.accounts.standing import forget
from chalicelib.accounts.store import AgentChanged, AgentItem, audit_entry
from chalicelib.adapters.cognito import IdentitiesPort, IdentityRefused, IdentityUnavailable, get_identities
from chalicelib.adapters.connect import ConnectDuplicate, ConnectNotFound, ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_users import ConnectUsersPort, NewConnectUser
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Conflict, Invalid, NotFound, Unavailable
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action as UpdateAction  # not the rules' Action (what was done)


@dataclass(frozen=True)
class NewAgent:
    username: str
    first_name: str
    last_name: str
    email: str | None = None  # where Cognito sends the invitation; default username@AGENT_EMAIL_DOMAIN
    role: str = Role.AGENT

    def __repr__(self) -> str:  # names and the address are personal data
        return f"NewAgent(username={self.username!r}, role={self.role!r})"

    def address(self, cfg: Settings) -> str:
        return self.email or f"{self.username}@{cfg.agent_email_domain}"


@dataclass(frozen=True)
class Created:
    agent: AgentItem
    temporary_password: str  # shown once to the supervisor; never stored, never logged

    def __repr__(self) -> str:
        return f"Created(username={self.agent.username!r})"


def _not_found(username: str) -> NotFound:
    return NotFound(f"{username} adlı temsilci bulunamadı")


def _connect_error(error: Exception, what: str) -> Exception:
    """Connect's failure as the domain's: our message, Connect's code in the log (no personal data)."""
    logger.warning("connect user operation failed", extra={"operation": what, "error": str(error)})
    if isinstance(error, ConnectUnavailable):
        return Unavailable(f"Amazon Connect şu anda yanıt vermiyor ({what}); biraz sonra yeniden deneyin")
    return Invalid(f"Amazon Connect isteği reddetti ({what}); profil kimliklerini ve girdiyi denetleyin")


def _identity_error(error: Exception, what: str) -> Exception:
    logger.warning("cognito user operation failed", extra={"operation": what, "error": str(error)})
    if isinstance(error, IdentityUnavailable):
        return Unavailable(f"Amazon Cognito şu anda yanıt vermiyor ({what}); işlemi yeniden deneyin")
    return Invalid(f"Amazon Cognito isteği reddetti ({what}); kullanıcı havuzunu ve e-posta adresini denetleyin")


def create_agent(
    new: NewAgent,
    actor: str,
    now: datetime,
    connect: ConnectUsersPort,
    cfg: Settings | None = None,
    identities: IdentitiesPort | None = None,
) -> Created:
    """Create the account: invited in Cognito, a Connect user (agents on the training routing profile,
    with a temporary password), and our record. Supervisors start ACTIVE on the live profile."""
    cfg = cfg or settings()
    identities = identities or get_identities()
    if new.role not in GROUP_OF_ROLE:
        raise Invalid(f"role: {' veya '.join(GROUP_OF_ROLE)} olmalı", "role")
    for field, problem in (
        ("username", username_problem(new.username)),
        ("first_name", name_problem(new.first_name)),
        ("last_name", name_problem(new.last_name)),
        ("email", email_problem(new.address(cfg))),
    ):
        if problem:
            raise Invalid(f"{field}: {problem}", field)
    if store.get_agent(new.username) is not None:
        raise Conflict(f"{new.username} kullanıcı adı daha önce kullanılmış; yeni temsilciye başka bir ad verin")
    supervisor = new.role == Role.SUPERVISOR
    try:
        identities.invite(new.username, new.address(cfg), GROUP_OF_ROLE[new.role])
    except (IdentityRefused, IdentityUnavailable) as error:
        raise _identity_error(error, "AdminCreateUser") from None
    password = temporary_password()
    profile = cfg.agent_live_routing_profile_id if supervisor else cfg.agent_training_routing_profile_id
    security = cfg.supervisor_security_profile_ids if supervisor else cfg.agent_security_profile_ids
    status = Status.ACTIVE if supervisor else Status.IN_TRAINING
    try:
        user = connect.create_user(
            NewConnectUser(
                username=new.username,
                first_name=new.first_name,
                last_name=new.last_name,
                password=password,
                routing_profile_id=profile,
                security_profile_ids=tuple(security),
            )
        )
    except ConnectDuplicate:
        raise Conflict(f"{new.username} kullanıcı adı Amazon Connect'te zaten var") from None
    except (ConnectRefused, ConnectUnavailable) as error:
        raise _connect_error(error, "CreateUser") from None
    item = AgentItem(
        new.username,
        first_name=new.first_name,
        last_name=new.last_name,
        status=status,
        role=new.role,
        connect_user_id=user.user_id,
        connect_user_arn=user.user_arn,
        routing_profile_id=profile,
        security_profile_ids=set(security),
        created_at=iso(now),
        created_by=actor,
    )
    changes = {
        "status": f"→ {status}",
        "role": new.role,
        "routing_profile_id": f"→ {profile}",
        "connect_user_id": user.user_id,
        "cognito": f"invited ({GROUP_OF_ROLE[new.role]})",
    }
    try:
        store.create(item, audit_entry(new.username, actor, Action.CREATED, now, changes))
    except AgentChanged:
        raise Conflict(f"{new.username} kullanıcı adı daha önce kullanılmış") from None
    count("AgentsCreated")
    logger.info("agent created", extra={"connect_user_id": user.user_id, "status": item.status})
    return Created(item, password)


def record_training(
    username: str, actor: str, now: datetime, connect: ConnectUsersPort, cfg: Settings | None = None
) -> AgentItem:
    """Directive 7(f): training done; the agent moves to the live routing profile and becomes ACTIVE."""
    cfg = cfg or settings()
    item = _changeable(username, Action.TRAINED)
    profile = cfg.agent_live_routing_profile_id
    try:
        connect.set_routing_profile(item.connect_user_id, profile)
    except (ConnectRefused, ConnectUnavailable) as error:
        raise _connect_error(error, "UpdateUserRoutingProfile") from None
    at = iso(now)
    actions = [
        AgentItem.status.set(Status.ACTIVE),
        AgentItem.routing_profile_id.set(profile),
        AgentItem.trained_at.set(at),
        AgentItem.trained_by.set(actor),
    ]
    changes = {
        "status": f"{item.status} → {Status.ACTIVE}",
        "routing_profile_id": f"{item.routing_profile_id} → {profile}",
    }
    return _apply(item, Action.TRAINED, actions, changes, actor, now)


def deactivate(
    username: str, actor: str, now: datetime, connect: ConnectUsersPort, identities: IdentitiesPort | None = None
) -> AgentItem:
    """Directive 7(e): a leaver's access goes at once — refused by the API, signed out and disabled in
    Cognito, deleted in Connect — and our record stays as DEACTIVATED. Repeating it finishes what is left."""
    identities = identities or get_identities()
    item = get_agent(username)
    if item.status != Status.DEACTIVATED:
        actions = [
            AgentItem.status.set(Status.DEACTIVATED),
            AgentItem.deactivated_at.set(iso(now)),
            AgentItem.deactivated_by.set(actor),
        ]
        item = _apply(
            item, Action.DEACTIVATED, actions, {"status": f"{item.status} → {Status.DEACTIVATED}"}, actor, now
        )
    forget(username)
    try:
        identities.lock_out(username)
    except (IdentityRefused, IdentityUnavailable) as error:
        raise _identity_error(error, "AdminUserGlobalSignOut/AdminDisableUser") from None
    try:
        connect.delete_user(item.connect_user_id)
    except ConnectNotFound:
        pass  # already gone (a repeated deactivation, or removed in the console): the goal holds
    except (ConnectRefused, ConnectUnavailable) as error:
        raise _connect_error(error, "DeleteUser") from None
    changes = {"cognito": "signed out everywhere, disabled", "connect_user": "deleted"}
    store.append_audit(audit_entry(username, actor, Action.ACCESS_REMOVED, now, changes))
    count("AgentsAccessRemoved")
    logger.info("agent access removed", extra={"connect_user_id": item.connect_user_id})
    return item


def _changeable(username: str, action: str) -> AgentItem:
    item = store.get_agent(username)
    if item is None:
        raise _not_found(username)
    problem = refusal(action, item.status)
    if problem:
        raise Conflict(f"{username}: {problem}")
    return item


def _apply(
    item: AgentItem, action: str, actions: Sequence[UpdateAction], changes: dict[str, str], actor: str, now: datetime
) -> AgentItem:
    try:
        store.change(item, actions, ALLOWED_FROM[action], audit_entry(item.username, actor, action, now, changes))
    except AgentChanged:
        raise Conflict(f"{item.username} bu arada değişti; yeniden yükleyip deneyin") from None
    count(f"Agents{action.capitalize()}")
    logger.info(f"agent {action}", extra={"connect_user_id": item.connect_user_id, "status": RESULT[action]})
    fresh = store.get_agent(item.username)
    assert fresh is not None
    return fresh


def list_agents(status: str | None = None) -> list[AgentItem]:
    """Agents by status (one GSI Query each), by username."""
    statuses = [status] if status else [Status.IN_TRAINING, Status.ACTIVE, Status.DEACTIVATED]
    found = [item for s in statuses for item in store.agents_with_status(s)]
    return sorted(found, key=lambda i: i.username)


def get_agent(username: str) -> AgentItem:
    item = store.get_agent(username)
    if item is None:
        raise _not_found(username)
    return item


def audit_trail(username: str) -> list[store.AgentAuditItem]:
    get_agent(username)
    return list(store.audit_of(username))
