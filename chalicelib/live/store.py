"""The live screen's two small documents, in the health table (`live#…` items, no personal data):

- `live#thresholds`: what the supervisor set (one GetItem per refresh; defaults until set);
- `live#usual#<day>`: the day's usual figures by hour (the same weekday's average over the last four
  weeks), computed by the first refresh of the day and read by every later one, so a refresh reads
  today's partition and these two items, never the past weeks again. Expires after two days.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.times import iso
from chalicelib.health.store import HealthItem
from chalicelib.live.alerts import Thresholds

THRESHOLDS = "live#thresholds"
USUAL_LIFETIME = timedelta(days=2)


def thresholds() -> Thresholds:
    try:
        item = HealthItem.get(THRESHOLDS)
    except DoesNotExist:
        return Thresholds()
    return Thresholds(**json.loads(item.value or "{}"))


def save_thresholds(limits: Thresholds, now: datetime) -> None:
    HealthItem(THRESHOLDS, at=iso(now), value=json.dumps(limits.as_dict())).save()


def usual_day(day: date) -> dict[int, dict[str, float | None]] | None:
    try:
        item = HealthItem.get(f"live#usual#{day.isoformat()}")
    except DoesNotExist:
        return None
    return {int(hour): row for hour, row in json.loads(item.value or "{}").items()}


def save_usual_day(day: date, usual: dict[int, dict[str, float | None]], now: datetime) -> None:
    HealthItem(
        f"live#usual#{day.isoformat()}", at=iso(now), value=json.dumps(usual), expires=now + USUAL_LIFETIME
    ).save()
