"""Built monthly reports, and the record that each was sent exactly once.

Why DynamoDB and not S3: the report is a JSON document of tens of kilobytes, and what was e-mailed —
the page with its charts inlined (about 180 KB, 100 KB gzipped) and the workbook (about 20 KB) — is
kept beside it, far under the 400 KB item limit; a table the app already encrypts and backs up is
enough: no bucket, no second IAM surface. The API serves the e-mailed page and workbook from here, so
it never renders charts itself (only the report function ships the chart stack).

Access patterns:
- reports (hash `month`): UpdateItem the built report (a rebuild replaces the JSON and keeps what was
  e-mailed), UpdateItem what was e-mailed when it is sent, GetItem a month's, BatchGetItem the list.
- report sends (hash `send_key` = "<month>#<hash of the sorted recipients>"): a conditional PutItem
  claims the send before SES is called, so however often the schedule fires the same month goes
  once to the same recipients; `force` re-sends on purpose, and is recorded.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import BinaryAttribute, NumberAttribute, UnicodeAttribute
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
    # What was e-mailed, as a page to open (charts inlined), gzipped; and the workbook attached to it.
    page_gz = BinaryAttribute(null=True, legacy_encoding=False)
    workbook = BinaryAttribute(null=True, legacy_encoding=False)
    rendered_at = UnicodeAttribute(null=True)

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.report)  # written by save_report: always an object
        return document


class ReportSendItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.report_sends_table

    send_key = UnicodeAttribute(hash_key=True)
    month = UnicodeAttribute()
    recipients = UnicodeAttribute()
    status = UnicodeAttribute()  # SENDING | SENT
    claimed_at = UnicodeAttribute()
    message_id = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)
    sends = NumberAttribute(default=1)


def save_report(month: str, report: dict[str, Any], now: datetime) -> None:
    text = json.dumps(report, ensure_ascii=False)
    ReportItem(month).update(actions=[ReportItem.built_at.set(iso(now)), ReportItem.report.set(text)])


def save_rendered(month: str, page: str, workbook: bytes, now: datetime) -> None:
    """Keep what is e-mailed: the page (charts inlined) and the workbook, beside the report."""
    ReportItem(month).update(
        actions=[
            ReportItem.page_gz.set(gzip.compress(page.encode())),
            ReportItem.workbook.set(workbook),
            ReportItem.rendered_at.set(iso(now)),
        ]
    )


def rendered_page(month: str) -> str | None:
    item = _get(month, ReportItem.page_gz)
    return gzip.decompress(item.page_gz).decode() if item is not None and item.page_gz else None


def rendered_workbook(month: str) -> bytes | None:
    item = _get(month, ReportItem.workbook)
    return item.workbook if item is not None and item.workbook else None


def _get(month: str, attribute: Any) -> ReportItem | None:
    try:
        return ReportItem.get(month, attributes_to_get=[attribute.attr_name])
    except DoesNotExist:
        return None


@dataclass(frozen=True)
class Listed:
    month: str
    built_at: str | None
    rendered_at: str | None
    sent_at: str | None
    message_id: str | None


def listed(months: list[str], recipients: list[str]) -> list[Listed]:
    """The stored reports of `months` (two BatchGetItems: the reports, and their sends to `recipients`)."""
    names = [ReportItem.month.attr_name, ReportItem.built_at.attr_name, ReportItem.rendered_at.attr_name]
    built = {i.month: i for i in ReportItem.batch_get(months, attributes_to_get=names)}
    sends = {i.month: i for i in ReportSendItem.batch_get([send_key(m, recipients) for m in built])}
    return [
        Listed(
            month,
            built[month].built_at,
            built[month].rendered_at,
            sends[month].sent_at if month in sends and sends[month].status == "SENT" else None,
            sends[month].message_id if month in sends else None,
        )
        for month in months
        if month in built
    ]


def stored_report(month: str) -> dict[str, Any] | None:
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


def confirm_send(month: str, recipients: list[str], message_id: str, now: datetime) -> None:
    item = ReportSendItem(send_key(month, recipients))
    item.update(
        actions=[
            ReportSendItem.status.set("SENT"),
            ReportSendItem.message_id.set(message_id),
            ReportSendItem.sent_at.set(iso(now)),
        ]
    )


def release_send(month: str, recipients: list[str]) -> None:
    """The send failed: let the next run try again."""
    ReportSendItem(send_key(month, recipients)).delete(condition=ReportSendItem.status == "SENDING")
