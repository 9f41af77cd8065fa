"""The contact handlers' heartbeat: at most one DynamoDB write a minute per Lambda container.

Called after each contact event / trace record batch. It never raises into the handler: a
heartbeat that could not be written only makes /health look staler than it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.core.observability import logger

INTERVAL = timedelta(minutes=1)
_last: datetime | None = None


def heartbeat(now: datetime) -> None:
    global _last
    if _last is not None and timedelta(0) <= now - _last < INTERVAL:
        return
    _last = now
    try:
        from chalicelib.health import store

        store.beat(now)
    except Exception as error:  # never fail an input for the heartbeat's sake
        logger.warning("heartbeat not written", extra={"error": type(error).__name__})


def reset() -> None:
    """Forget the throttle (tests; a new container starts like this)."""
    global _last
    _last = None
