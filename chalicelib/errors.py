"""Domain errors that every API maps the same way (`chalicelib.api.http_errors`).

Messages are written for people (Turkish) and never carry personal data: they name the record
by its id and say what is in the way.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError, LookupError):
    """The record the request names does not exist → 404."""


class Conflict(DomainError):
    """The record is not in a state that allows the change (or the name is taken) → 409."""


class Unavailable(DomainError):
    """A service the change needs (Amazon Connect, SES) is unavailable for now → 503."""
