"""Built monthly reports, and the record that each was sent exactly once.

Why DynamoDB and not S3: the report is a JSON document of tens of kilobytes (far under the
400 KB item limit) and the charts and workbook are rendered from it again at will, so a table
the app already encrypts and backs up is enough; no bucket, no second IAM surface.

Access patterns:
- reports (hash `month`): PutItem the built report (a rebuild overwrites it), GetItem a month's.
- report sends (hash `send_key` = "<month>#<hash of the sorted recipients>"): a conditional PutItem
  claims the send before SES is called, so however often the schedule fires the same month goes
  once to the same recipients; `force` re-sends on purpose, and is recorded.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta
from chalicelib.core.config import settings
from chalicelib.core.times import iso

_cfg = settings()
SEND_LEASE = timedelta(minutes=15)  # a send claimed but never confirmed may be tried again after this


class ReportItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.reports_table

    month = UnicodeAttribute(hash_key=True)
    built_at = UnicodeAttribute()
    report = UnicodeAttribute()  # the JSON document

    def document(self) -> dict:
        return json.loads(self.report)


class ReportSendItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.report_sends_table

    send_key = UnicodeAttribute(hash_key=True)
    month = UnicodeAttribute()
    recipients = UnicodeAttribute()
    status = UnicodeAttribute()  # SENDING | SENT
    claimed_at = UnicodeAttribute()
    message_id = UnicodeAttribute(null=True)
    sends = NumberAttribute(default=1)


def save_report(month: str, report: dict, now: datetime) -> None:
    ReportItem(month, built_at=iso(now), report=json.dumps(report, ensure_ascii=False)).save()


def stored_report(month: str) -> dict | None:
    try:
        return ReportItem.get(month).document()
    except DoesNotExist:
        return None


def send_key(month: str, recipients: list[str]) -> str:
    digest = hashlib.sha256(",".join(sorted(r.lower() for r in recipients)).encode()).hexdigest()[:16]
    return f"{month}#{digest}"


def claim_send(month: str, recipients: list[str], now: datetime, force: bool = False) -> bool:
    """True when this caller may send now: nobody sent it, a stale claim lapsed, or `force`."""
    key = send_key(month, recipients)
    item = ReportSendItem(
        key, month=month, recipients=",".join(sorted(recipients)), status="SENDING", claimed_at=iso(now)
    )
    if force:
        item.save()
        return True
    stale = iso(now - SEND_LEASE)
    condition = ReportSendItem.send_key.does_not_exist() | (
        (ReportSendItem.status == "SENDING") & (ReportSendItem.claimed_at < stale)
    )
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def confirm_send(month: str, recipients: list[str], message_id: str) -> None:
    item = ReportSendItem(send_key(month, recipients))
    item.update(actions=[ReportSendItem.status.set("SENT"), ReportSendItem.message_id.set(message_id)])


def release_send(month: str, recipients: list[str]) -> None:
    """The send failed: let the next run try again."""
    ReportSendItem(send_key(month, recipients)).delete(condition=ReportSendItem.status == "SENDING")
