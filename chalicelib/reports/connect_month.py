"""Ask Amazon Connect for its own figures of a month, through the Connect adapter, and turn every way that
can fail into an answer the report states plainly (reconciliation.PROBLEMS): the report builds regardless.

The Lambdas ask Amazon Connect itself; the embedded AWS puts its simulated Connect in place
(`set_connect`), so the local stage asks the twin. A local build without it says so.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.adapters.connect import (
    ConnectNoHistory,
    ConnectNotConfigured,
    ConnectPort,
    ConnectRefused,
    ConnectUnavailable,
    MetricsRequest,
    get_connect,
)
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import logger
from chalicelib.core.times import month_instants
from chalicelib.reports.reconciliation import ConnectAnswer


def ask_connect(
    month: str, now: datetime, port: ConnectPort | None = None, cfg: Settings | None = None
) -> ConnectAnswer:
    """Connect's figures of the Istanbul month (up to `now`), or the problem that kept them away."""
    cfg = cfg or settings()
    start, end = month_instants(month, cfg.zone)
    request = MetricsRequest(start, end, cfg.timezone, cfg.service_level_seconds, now)
    try:
        return ConnectAnswer(figures=(port or get_connect()).historical_figures(request))
    except ConnectNotConfigured:
        return ConnectAnswer(problem="local_without_twin" if cfg.stage == "local" else "not_configured")
    except ConnectNoHistory as exc:
        answer = ConnectAnswer(problem="no_history", detail=str(exc))
    except ConnectUnavailable as exc:
        answer = ConnectAnswer(problem="unavailable", detail=str(exc))
    except ConnectRefused as exc:
        answer = ConnectAnswer(problem="refused", detail=str(exc))
    logger.warning("Connect's figures unavailable for the report", extra={"month": month, "problem": answer.problem})
    return answer
