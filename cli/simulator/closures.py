"""The demo month's declared closure: Friday 30 Ekim 2026, the bridge day after Cumhuriyet Bayramı, given
as administrative leave (idari izin), declared by the supervisor on the Monday of that week.

Declared through the same service as the console (the store, the simulated Connect's hours, the audit
trail), before the month is simulated: the simulation then meets a closed centre that day, and every
handler the replay runs asks the same stored calendar.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.core.workhours import Closure

DAY = date(2026, 10, 30)
REASON = "Cumhuriyet Bayramı nedeniyle bugün idari izin ilan edilmiştir"
DECLARED_BY = "basin"


def declare_demo_closure(first_day: date, days: int) -> Closure | None:
    """Declare the closure when the simulated days include it; the closure, or None."""
    if not first_day <= DAY < first_day + timedelta(days=days):
        return None
    from chalicelib.closures.service import declare
    from chalicelib.core.workhours import Closure, default_calendar
    from cli.embedded.connect import SimulatedConnectHours

    closure = Closure(DAY, None, REASON)
    declared_on = datetime.combine(DAY - timedelta(days=DAY.weekday()), time(9), tzinfo=default_calendar().zone)
    declare(closure, DECLARED_BY, declared_on, SimulatedConnectHours())
    return closure
