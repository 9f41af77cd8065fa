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
from pydantic_core import ErrorDetails

from chalicelib.core.errors import Conflict, DomainError, Invalid, NotFound, Unavailable
from chalicelib.core.observability import logger
from chalicelib.web.access import caller_of

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


def _field_name(error: ErrorDetails) -> str:
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
    """Map the domain's error kinds to JSON responses: not found 404, conflict 409, invalid 400, unavailable 503."""

    @functools.wraps(route)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return route(*args, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.code, error.message, error.field)
        except DomainError as error:
            for kind, (status, code) in _KINDS.items():
                if isinstance(error, kind):
                    if status == 409:  # two people on one record: worth a line (ids only, in the message)
                        logger.info("conflict", extra={"error": type(error).__name__})
                    return error_response(status, code, error.message, error.field)
            raise
        except ValidationError:
            raise  # not the request's input (that is ApiError): a server bug, and str() would echo data

    return wrapper  # type: ignore[return-value]  # wraps() keeps the route's signature; mypy cannot see that


_KINDS: dict[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    Invalid: (400, "invalid_request"),
    Unavailable: (503, "unavailable"),
}
