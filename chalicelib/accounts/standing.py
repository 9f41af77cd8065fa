"""Whether an identity may use the API now: its account exists here and is not deactivated.

The access middleware asks this on every request (defence in depth behind Cognito: a leaver's
still-valid token, or a Cognito user nobody recorded, is refused). Answers are kept per Lambda
container for at most `TTL_SECONDS`, so the hot path gains one GetItem a minute per identity, not
one per request; a deactivation in this container forgets its entry at once, and any other
container refuses the leaver within the TTL (Cognito's global sign-out has already revoked their
refresh tokens).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.accounts import store

TTL_SECONDS = 60.0
_clock: Callable[[], float] = time.monotonic
_known: dict[str, tuple[float, str | None]] = {}


def account_status(username: str) -> str | None:
    """The account's status (IN_TRAINING, ACTIVE, DEACTIVATED), or None when there is no account."""
    now = _clock()
    cached = _known.get(username)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    item = store.get_agent(username)
    status = item.status if item is not None else None
    _known[username] = (now, status)
    return status


def forget(username: str | None = None) -> None:
    """Drop one identity's cached answer (after a change to it), or every one (tests, new AWS)."""
    if username is None:
        _known.clear()
    else:
        _known.pop(username, None)
