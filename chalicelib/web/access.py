"""Who may call which route: the one place the API's access rules live (directive 9, KVKK art. 12).

Deployed, API Gateway's Cognito user-pool authorizer verifies the token and puts its claims in the
request context; the groups are `agents` and `supervisors`. `chalice local` and the test client do
not run authorizers, so the rule is also checked here, in an HTTP middleware, for every route:
no identity → 401, the wrong group → 403. A route missing from `RULES` is refused (and a test
walking `app.routes` fails), so a new route cannot ship without a decision.

Then the account: an identity with no account in the agents table, or one whose account is
`DEACTIVATED`, is refused (403) whatever its token says, supervisors included (directive 7(e): a
leaver's credentials stop working; `accounts.standing` caches the answer up to 60 s).

The stage fails closed: only `local` and `test` outside AWS Lambda accept `X-Agent-Id` and `X-Groups`
(comma-separated; default `agents`) in place of the token; dev and prod ignore them; a missing,
unknown or misplaced stage (`Settings.misconfiguration`) refuses every request with 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice import Response

from chalicelib.accounts.rules import Status
from chalicelib.accounts.standing import account_status
from chalicelib.core.config import settings
from chalicelib.core.observability import logger

AGENTS = "agents"
SUPERVISORS = "supervisors"
AGENT_HEADER = "X-Agent-Id"
GROUPS_HEADER = "X-Groups"


class Rule:
    AGENT = "agent"  # agents and supervisors
    SUPERVISOR = "supervisor"
    SIGNED_LINK = "signed_link"  # no account: the signed token in the path is the credential
    LOCAL_ONLY = "local_only"  # the local stage's sign-in stand-in; no such route anywhere else


RULES: dict[tuple[str, str], str] = {
    # Agent accounts (7(e), 7(f)) and the units directory: the supervisor's.
    ("/agents", "GET"): Rule.SUPERVISOR,
    ("/agents", "POST"): Rule.SUPERVISOR,
    ("/agents/{username}", "GET"): Rule.SUPERVISOR,
    ("/agents/{username}/audit", "GET"): Rule.SUPERVISOR,
    ("/agents/{username}/deactivate", "POST"): Rule.SUPERVISOR,
    ("/agents/{username}/training", "POST"): Rule.SUPERVISOR,
    # Who is signed in, for the panel; and the local stage's stand-in sign-in (404 elsewhere).
    ("/me", "GET"): Rule.AGENT,
    ("/local/accounts", "GET"): Rule.LOCAL_ONLY,
    ("/units", "GET"): Rule.AGENT,
    ("/units/{unit_id}", "GET"): Rule.AGENT,
    ("/units/{unit_id}", "PUT"): Rule.SUPERVISOR,
    # Agents' work.
    ("/contacts/recent", "GET"): Rule.AGENT,
    ("/contacts/{contact_id}", "GET"): Rule.AGENT,
    ("/contacts/{contact_id}/category", "POST"): Rule.AGENT,
    ("/work", "GET"): Rule.AGENT,
    ("/callbacks", "GET"): Rule.AGENT,
    ("/callbacks/{callback_id}", "GET"): Rule.AGENT,
    ("/callbacks/{callback_id}/claim", "POST"): Rule.AGENT,
    ("/callbacks/{callback_id}/complete", "POST"): Rule.AGENT,
    ("/referrals", "GET"): Rule.AGENT,
    ("/referrals", "POST"): Rule.AGENT,
    ("/referrals/{referral_id}", "GET"): Rule.AGENT,
    ("/referrals/{referral_id}/cancel", "POST"): Rule.AGENT,
    ("/referrals/{referral_id}/claim", "POST"): Rule.AGENT,
    ("/referrals/{referral_id}/close", "POST"): Rule.AGENT,
    ("/referrals/{referral_id}/return", "POST"): Rule.AGENT,
    # Console incidents (8(b)): agents report, the supervisor handles.
    ("/incidents", "GET"): Rule.AGENT,
    ("/incidents", "POST"): Rule.AGENT,
    ("/incidents/{incident_id}", "GET"): Rule.AGENT,
    ("/incidents/{incident_id}/acknowledge", "POST"): Rule.SUPERVISOR,
    ("/incidents/{incident_id}/resolve", "POST"): Rule.SUPERVISOR,
    # Oversight (7(c), 7(d)). Health calls Connect's DescribeInstance: not for anonymous callers.
    ("/health", "GET"): Rule.SUPERVISOR,
    ("/live", "GET"): Rule.SUPERVISOR,
    ("/live/thresholds", "GET"): Rule.SUPERVISOR,
    ("/live/thresholds", "PUT"): Rule.SUPERVISOR,
    ("/reports", "GET"): Rule.SUPERVISOR,
    ("/reports/{month}", "GET"): Rule.SUPERVISOR,
    ("/reports/{month}/html", "GET"): Rule.SUPERVISOR,
    ("/reports/{month}/workbook", "GET"): Rule.SUPERVISOR,
    ("/reports/{month}/send", "POST"): Rule.SUPERVISOR,
    ("/reports/{month}/rebuild", "POST"): Rule.SUPERVISOR,
    # Closures the supervisor declares (idari izin, snow days); whether the centre is open, for anyone signed in.
    ("/closures", "GET"): Rule.SUPERVISOR,
    ("/closures", "POST"): Rule.SUPERVISOR,
    ("/closures/{day}", "DELETE"): Rule.SUPERVISOR,
    ("/hours", "GET"): Rule.AGENT,
    # Confidentiality (9(2), KVKK art. 11): exports and data-subject requests are the supervisor's.
    ("/privacy/disclosures", "GET"): Rule.SUPERVISOR,
    ("/privacy/disclosures", "POST"): Rule.SUPERVISOR,
    ("/privacy/requests", "GET"): Rule.SUPERVISOR,
    ("/privacy/requests", "POST"): Rule.SUPERVISOR,
    ("/privacy/requests/{request_id}/fulfil", "POST"): Rule.SUPERVISOR,
    # Units answer through the link they were e-mailed.
    ("/reply/{token}", "GET"): Rule.SIGNED_LINK,
    ("/reply/{token}", "POST"): Rule.SIGNED_LINK,
}


@dataclass(frozen=True)
class Caller:
    identity: str
    groups: frozenset[str]


def _groups(value: Any) -> frozenset[str]:
    """`cognito:groups` as API Gateway passes it: a list, or a string like "[agents, supervisors]"."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[\s,]+", str(value or "").strip("[] "))
    return frozenset(item.strip() for item in items if item.strip())


def caller_of(request: Any) -> Caller | None:
    context = getattr(request, "context", None) or {}
    claims = (context.get("authorizer") or {}).get("claims") or {}
    for name in ("cognito:username", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return Caller(value.strip(), _groups(claims.get("cognito:groups")))
    if settings().local_stand_ins:
        headers = getattr(request, "headers", None) or {}
        identity = (headers.get(AGENT_HEADER) or "").strip()
        if identity:
            return Caller(identity, _groups(headers.get(GROUPS_HEADER) or AGENTS))
    return None


def decide(rule: str | None, caller: Caller | None) -> tuple[int, str, str] | None:
    """None to let the request through; else (status, code, message)."""
    if rule == Rule.SIGNED_LINK:
        return None
    if rule == Rule.LOCAL_ONLY:
        return None if settings().local_stand_ins else (404, "not_found", "no such route")
    if rule is None:
        return 403, "forbidden", "this route has no access rule"
    if caller is None:
        return 401, "unauthenticated", "sign in: no identity on the request"
    allowed = {SUPERVISORS} if rule == Rule.SUPERVISOR else {AGENTS, SUPERVISORS}
    if not caller.groups & allowed:
        return 403, "forbidden", f"this needs the {'supervisors' if rule == Rule.SUPERVISOR else 'agents'} group"
    return None


def standing_refusal(caller: Caller) -> tuple[int, str, str] | None:
    """None when the caller's account may act; else (status, code, message) in Turkish and English."""
    status = account_status(caller.identity)
    if status is None:
        return 403, "no_account", "Bu kimliğin merkezde bir hesabı yok. / This identity has no account at the centre."
    if status == Status.DEACTIVATED:
        return 403, "account_deactivated", "Hesabınız kapatılmış. / Your account has been deactivated."
    return None


def _refuse(status: int, code: str, message: str) -> Response:
    return Response(body={"error": code, "message": message}, status_code=status, headers=_JSON)


_JSON: dict[str, str | list[str]] = {"Content-Type": "application/json"}


def authorize(request: Any, get_response: Callable[[Any], Response]) -> Response:
    """Chalice HTTP middleware: the stage, the route's rule and the caller's account, before the view runs."""
    problem = settings().misconfiguration()
    if problem is not None:
        logger.error(f"refusing every request: misconfigured ({problem})", extra={"setting": problem})
        return _refuse(500, "misconfigured", "The service is misconfigured; the operators have been told.")
    context = getattr(request, "context", None) or {}
    path = context.get("resourcePath")
    method = (getattr(request, "method", None) or context.get("httpMethod") or "").upper()
    rule = RULES.get((path, method)) if isinstance(path, str) else None
    caller = caller_of(request)
    refusal = decide(rule, caller)
    if refusal is None and rule not in (Rule.SIGNED_LINK, Rule.LOCAL_ONLY) and caller is not None:
        try:
            refusal = standing_refusal(caller)
        except Exception:  # the agents table cannot be read: fail closed, never open
            logger.exception("account lookup failed")
            refusal = 503, "unavailable", "Hesap denetlenemedi; biraz sonra yeniden deneyin. / Try again shortly."
    if refusal is not None:
        return _refuse(*refusal)
    return get_response(request)
