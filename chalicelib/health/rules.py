"""Pure: when the contact stream counts as silent, and what the checks add up to.

No AWS here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core.workhours import WorkingCalendar

OK = "ok"
FAILING = "failing"
STALE = "stale"  # working, but nothing has arrived for too long


@dataclass(frozen=True)
class Silence:
    since: datetime  # the last contact event, or today's opening if that is later
    minutes: float

    @property
    def key(self) -> str:
        """One per silence: a new event (or a new day) starts a new one."""
        return f"silence#{self.since.astimezone(UTC).isoformat()}"


def silence(
    last_event_at: datetime | None, now: datetime, calendar: WorkingCalendar, threshold: timedelta
) -> Silence | None:
    """The current silence if it is an alert: the centre is open, and no contact event arrived for
    `threshold` of its working time today (a quiet night or weekend does not count). Else None."""
    if not calendar.is_open(now):
        return None
    local = now.astimezone(calendar.zone)
    opened = datetime.combine(local.date(), calendar.opening, tzinfo=calendar.zone)
    since = opened if last_event_at is None or last_event_at < opened else last_event_at
    quiet = now - since
    if quiet < threshold:
        return None
    return Silence(since=since, minutes=round(quiet.total_seconds() / 60, 1))


def overall(checks: dict[str, dict[str, Any]]) -> tuple[bool, int]:
    """All checks ok → (True, 200); any other status → (False, 503)."""
    healthy = all(check.get("status") == OK for check in checks.values())
    return healthy, 200 if healthy else 503
