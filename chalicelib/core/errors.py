"""The domain's errors: a handful of kinds, each with one HTTP meaning (`chalicelib.web.api.http_errors`).

Every domain's own error is a subclass of one of these (`CallbackNotFound(NotFound)`, `ReferralConflict
(Conflict)`, `BasisMissing(Invalid)`…), so the web layer maps the kinds and knows no domain. Stores
translate DynamoDB's condition failures into `Conflict`s at their edge, so no `ClientError` or PynamoDB
exception climbs into a service.

Messages are written for people (Turkish, or English where the API speaks to developers) and never
carry personal data: they name the record by its id, the field by its name, and say what is in the way.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the request's field the error is about, when there is one


class NotFound(DomainError, LookupError):
    """The record the request names does not exist → 404."""


class Conflict(DomainError):
    """The record is not in a state that allows the change (or the name is taken) → 409."""


class Invalid(DomainError, ValueError):
    """The request asks for something the rules refuse (a bad value, a missing basis) → 400."""


class Unavailable(DomainError):
    """A service the change needs (Amazon Connect, Cognito, SES) is unavailable for now → 503."""
