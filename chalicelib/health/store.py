"""Health markers in DynamoDB: a small table (hash `name`), no personal data.

- `heartbeat#contacts`: when a contact event last arrived. Written by the contact handlers at
  most once a minute per Lambda container (an in-memory throttle, `heartbeat.py`), with a
  condition that only moves it forward — so the hot path gains at most one write a minute, not
  one per input. Read with one GetItem by /health and the watchdog.
- `silence#<since>`: the watchdog's alert for one silence, created once (conditional Put), so
  a silence is reported once, not every 5 minutes. Expires after 30 days (TTL).
- `live#…`: the live screen's small documents (`value`, JSON): the supervisor's thresholds, and each
  day's usual day (by-hour averages of the same weekday, computed once a day; expires after 2 days).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.core.config import settings
from chalicelib.core.times import iso, parse_iso

_cfg = settings()
HEARTBEAT = "heartbeat#contacts"
ALERT_RETENTION = timedelta(days=30)


class HealthItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.health_table

    name = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute()  # UTC ISO (string order is time order)
    expires = TTLAttribute(null=True)
    value = UnicodeAttribute(null=True)  # a small JSON document (live#…); no personal data


def beat(now: datetime) -> bool:
    """Move the heartbeat forward to `now`; False when a later one is already there."""
    at = iso(now)
    item = HealthItem(HEARTBEAT)
    try:
        item.update(actions=[HealthItem.at.set(at)], condition=HealthItem.at.does_not_exist() | (HealthItem.at < at))
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def last_event_at() -> datetime | None:
    try:
        return parse_iso(HealthItem.get(HEARTBEAT).at)
    except DoesNotExist:
        return None


def claim_alert(key: str, now: datetime) -> bool:
    """Take the alert for this silence; False when it was already taken (already reported)."""
    try:
        HealthItem(key, at=iso(now), expires=now + ALERT_RETENTION).save(condition=HealthItem.name.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_alert(key: str) -> None:
    """Give the alert back (the e-mail failed), so the next run tries again."""
    HealthItem(key).delete()  # deleting an absent item is no error in DynamoDB
