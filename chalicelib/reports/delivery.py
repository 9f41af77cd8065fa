"""Build, store and send the monthly report: exactly once per month and recipient list.

Directive 7(c): the supervisor sends a monthly report to the General Secretary. The schedule
fires on the 1st at 08:00 Istanbul for the month just ended; it may fire more than once (retries,
a manual run): the send is claimed in DynamoDB before SES is called, so it goes once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters.mail import Attachment, InlineImage, Notifier, OutgoingEmail, get_notifier
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import local_month, previous_month
from chalicelib.reports import store
from chalicelib.reports.monthly import build_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SendResult:
    month: str
    status: str  # "sent" | "already_sent"
    recipients: tuple[str, ...]
    message_id: str | None = None


def last_month(now: datetime, cfg: Settings | None = None) -> str:
    """The month that ended before `now`, in Istanbul."""
    return previous_month(local_month(now, (cfg or settings()).zone))


def recipients_of(cfg: Settings) -> tuple[str, ...]:
    return tuple(dict.fromkeys([cfg.supervisor_address, *cfg.report_recipients]))


def build_and_store(month: str, now: datetime) -> dict[str, Any]:
    """Build the report (reusing last month's stored one for the comparison) and store it."""
    report = build_report(month, previous=store.stored_report(previous_month(month)), now=now)
    store.save_report(month, report, now)
    return report


@dataclass(frozen=True)
class Rendered:
    email: OutgoingEmail
    page: str  # the e-mail's HTML as a page to open, its charts inlined
    workbook: bytes


def compose(document: dict[str, Any], cfg: Settings) -> OutgoingEmail:
    return render(document, cfg).email


def render(document: dict[str, Any], cfg: Settings) -> Rendered:
    """Every rendering of one report at once (the charts drawn once): the e-mail, its page, the workbook."""
    from chalicelib.reports.formatting import month_name
    from chalicelib.reports.model import read
    from chalicelib.reports.render import render_charts, render_html, render_html_file, render_text, render_xlsx

    report = read(document)
    charts = render_charts(report)
    name = month_name(report.month)
    workbook = render_xlsx(report)
    email = OutgoingEmail(
        sender=cfg.sender_address,
        sender_name="OSTİM Teknik Üniversitesi Çağrı ve İletişim Merkezi",
        recipients=recipients_of(cfg),
        subject=f"Çağrı ve İletişim Merkezi — {name} aylık raporu",
        text=render_text(report),
        html=render_html(report, {cid: cid for cid in charts}),
        images=tuple(InlineImage(cid, png) for cid, png in charts.items()),
        attachments=(Attachment(f"cagri-merkezi-{report.month}.xlsx", workbook, XLSX),),
    )
    return Rendered(email, render_html_file(report, charts), workbook)


def send_monthly_report(
    month: str, now: datetime, *, notifier: Notifier | None = None, force: bool = False, cfg: Settings | None = None
) -> SendResult:
    cfg = cfg or settings()
    recipients = recipients_of(cfg)
    if not store.claim_send(month, list(recipients), now, force=force):
        logger.info("monthly report already sent", extra={"month": month})
        return SendResult(month, "already_sent", recipients)
    try:
        report = build_and_store(month, now)
        rendered = render(report, cfg)
        store.save_rendered(month, rendered.page, rendered.workbook, now)
        message_id = (notifier or get_notifier()).send(rendered.email)
    except Exception:
        store.release_send(month, list(recipients))  # let the next run try again
        raise
    store.confirm_send(month, list(recipients), message_id, now)
    count("MonthlyReportsSent")
    logger.info("monthly report sent", extra={"month": month, "message_id": message_id})
    return SendResult(month, "sent", recipients, message_id)
