"""HTTP plumbing shared by every API blueprint: who is calling, validated input, errors as JSON.

Routes stay thin: they read the caller with `current_agent`, their input with `parse_body` /
`parse_query`, call the domain, and let `@http_errors` turn domain exceptions into responses.
Chalice has no app-wide exception handler, so each route is wrapped:

    @blueprint.route("/things/{thing_id}", methods=["GET"])
    @http_errors
    def get_thing(thing_id): ...

Error bodies are `{"error": code, "message": text}` (plus `"field"` for invalid input). They never
carry a phone number or an agent's note: messages come from the domain's own wording or from
pydantic's error *description* (never its echo of the input).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import BadRequestError, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.access import caller_of
from chalicelib.callbacks.service import CallbackConflictError, CallbackNotFound
from chalicelib.callbacks.store import CallbackConflict
from chalicelib.errors import Conflict, NotFound, Unavailable
from chalicelib.observability import logger
from chalicelib.paging import BadCursor
from chalicelib.referrals.service import ContactNotFound, ReferralNotFound, ReferralRefused
from chalicelib.referrals.store import ReferralConflict

M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """An HTTP error raised by the plumbing or a route; `@http_errors` renders it."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if field is not None:
        body["field"] = field
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


# --- identity --------------------------------------------------------------------------------------


def current_agent(request: Request) -> str:
    """The caller's identity, or ApiError 401 (see `access`: Cognito claims; headers on local/test)."""
    caller = caller_of(request)
    if caller is None:
        raise ApiError(401, "unauthenticated", "no agent identity on the request")
    return caller.identity


# --- input -----------------------------------------------------------------------------------------


def _field_name(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    return ".".join(loc) or "body"


def _validate(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        field = _field_name(first)
        # `msg` describes the rule ("Input should be 'A' or 'B'"); it never repeats the input.
        raise ApiError(400, "invalid_request", f"{what} {field}: {first['msg']}", field=field) from None


def parse_body(model: type[M], request: Request) -> M:
    """The request's JSON body as `model`, or ApiError 400 naming the first bad field."""
    try:
        data = request.json_body
    except BadRequestError:
        raise ApiError(400, "invalid_request", "request body is not valid JSON", field="body") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_request", "request body must be a JSON object", field="body")
    return _validate(model, data, "body field")


def parse_query(model: type[M], request: Request) -> M:
    """The request's query string as `model`, or ApiError 400 naming the first bad parameter."""
    return _validate(model, dict(request.query_params or {}), "query parameter")


# --- errors ----------------------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def http_errors(route: F) -> F:
    """Map domain exceptions to JSON responses: not found 404, conflict 409, invalid 400, unavailable 503."""

    @functools.wraps(route)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return route(*args, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.code, error.message, error.field)
        except CallbackNotFound as error:
            return error_response(404, "not_found", f"callback {error.args[0]} not found")
        except CallbackConflictError as error:
            logger.info("callback conflict", extra={"callback_id": error.args[0]})
            return error_response(409, "conflict", error.message)
        except CallbackConflict as error:
            logger.info("callback conflict", extra={"callback_id": error.args[0]})
            return error_response(409, "conflict", f"callback {error.args[0]} changed meanwhile; reload and retry")
        except ReferralNotFound as error:
            return error_response(404, "not_found", f"referral {error.args[0]} not found", field="referral_id")
        except ContactNotFound as error:
            return error_response(
                404,
                "not_found",
                f"contact {error.args[0]} is not recorded yet; if the call has just started, retry in a few seconds",
                field="contact_id",
            )
        except ReferralRefused as error:
            code = "conflict" if error.status == 409 else "invalid_request"
            return error_response(error.status, code, error.message, field=error.field)
        except ReferralConflict as error:
            logger.info("referral conflict", extra={"referral_id": error.args[0]})
            return error_response(409, "conflict", f"referral {error.args[0]} changed meanwhile; reload and retry")
        except BadCursor as error:
            return error_response(400, "invalid_request", str(error), field=error.field)
        except NotFound as error:
            return error_response(404, "not_found", error.message)
        except Conflict as error:
            return error_response(409, "conflict", error.message)
        except Unavailable as error:
            return error_response(503, "unavailable", error.message)
        except ValidationError:
            raise  # not the request's input (that is ApiError): a server bug, and str() would echo data
        except ValueError as error:  # domain validation: its messages name rules, never personal data
            return error_response(400, "invalid_request", str(error))

    return wrapper  # type: ignore[return-value]
