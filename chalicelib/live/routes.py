"""Blueprint: the supervisor's live screen (directive 7(a)). Supervisors only (chalicelib.web.access).

- GET /live?at=ISO          the centre now (or as of `at`, an instant with its offset): docs/figures.md's live
                            figures, the hours beside the usual day, the thresholds and the alerts
- GET /live/thresholds      what the supervisor set (defaults until then)
- PUT /live/thresholds      set them: longest wait (s), lost calls in 30 minutes, callbacks overdue
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.adapters.connect import get_connect
from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.lazy import lazy
from chalicelib.live import store
from chalicelib.live.alerts import Thresholds
from chalicelib.web.api import current_agent, http_errors, parse_body, parse_query

if TYPE_CHECKING:
    from chalicelib.live import service
else:  # loaded on the first request that needs it (every Lambda imports this blueprint)
    service = lazy("chalicelib.live.service")


live_api = Blueprint(__name__)


class LiveQuery(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid")

    at: AwareDatetime | None = None


class ThresholdsBody(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    longest_wait_seconds: int = Field(ge=10, le=3600)
    lost_last_30_minutes: int = Field(ge=1, le=500)
    callbacks_overdue: int = Field(ge=1, le=500)


@live_api.route("/live", methods=["GET"])
@http_errors
def get_live() -> dict[str, Any]:
    request = live_api.current_request
    current_agent(request)
    query = parse_query(LiveQuery, request)
    now = times.now()
    at: datetime = query.at or now
    return service.live_figures(at, settings(), get_connect(), now)


@live_api.route("/live/thresholds", methods=["GET"])
@http_errors
def get_thresholds() -> dict[str, int]:
    current_agent(live_api.current_request)
    return store.thresholds().as_dict()


@live_api.route("/live/thresholds", methods=["PUT"])
@http_errors
def put_thresholds() -> dict[str, int]:
    request = live_api.current_request
    current_agent(request)
    limits = Thresholds(**parse_body(ThresholdsBody, request).model_dump())
    store.save_thresholds(limits, times.now())
    return limits.as_dict()
