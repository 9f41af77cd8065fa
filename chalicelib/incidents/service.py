"""Console incidents, applied (directive 8(b): agents report console hardware/software problems to
the supervisor at once; 7(d): the supervisor finds and fixes faults).

The incident is stored first, then the supervisor is e-mailed through the notifier (Turkish first,
English below). If the e-mail fails the report is still kept (the agent is told, and `notified`
stays empty so it shows in the list); it is never lost because SES hiccuped.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.adapters.mail import Notifier, OutgoingEmail
from chalicelib.adapters.paging import Page
from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso, local_month
from chalicelib.incidents import store
from chalicelib.incidents.rules import (
    ACKNOWLEDGE_FROM,
    CATEGORY_LABELS,
    RESOLVE_FROM,
    SEVERITY_LABELS,
    Status,
    minutes_between,
    refusal,
)
from chalicelib.incidents.store import IncidentChanged, IncidentItem

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action

SENDER_NAME = "OSTİM Teknik Üniversitesi Çağrı ve İletişim Merkezi"


def new_incident_id(now: datetime) -> str:
    """Sortable by time, unguessable: INC-20261014-0930-<8 hex>."""
    return f"INC-{now.strftime('%Y%m%d-%H%M')}-{secrets.token_hex(4)}"


def compose(item: IncidentItem, cfg: Settings) -> OutgoingEmail:
    """The supervisor's e-mail: Turkish first, English below. Plain text (the description is free text)."""
    category_tr, category_en = CATEGORY_LABELS[item.category]
    severity_tr, severity_en = SEVERITY_LABELS[item.severity]
    local = datetime.fromisoformat(item.reported_at.replace("Z", "+00:00")).astimezone(cfg.zone)
    when = local.strftime("%d.%m.%Y %H:%M")
    text = (
        f"Temsilci konsolunda arıza bildirildi (Yönerge madde 8(b)).\n\n"
        f"Kayıt: {item.incident_id}\n"
        f"Bildiren: {item.reported_by}\n"
        f"Zaman: {when} (İstanbul)\n"
        f"Tür: {category_tr}\n"
        f"Önem: {severity_tr}\n\n"
        f"Açıklama:\n{item.description}\n\n"
        f"Üstlenmek için: POST /incidents/{item.incident_id}/acknowledge\n"
        f"Çözüldüğünde: POST /incidents/{item.incident_id}/resolve\n\n"
        f"— English —\n\n"
        f"An agent reported a console problem (directive article 8(b)).\n\n"
        f"Incident: {item.incident_id}\n"
        f"Reported by: {item.reported_by}\n"
        f"Time: {when} (Istanbul)\n"
        f"Category: {category_en}\n"
        f"Severity: {severity_en}\n\n"
        f"The agent's description is above, in their own words.\n"
    )
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name=SENDER_NAME,
        recipients=(cfg.supervisor_address,),
        subject=f"[Arıza / Incident] {severity_tr} — {category_tr} ({item.incident_id})",
        text=text,
        headers={"X-Cagri-Incident": item.incident_id},
    )


def report(
    agent: str,
    category: str,
    severity: str,
    description: str,
    now: datetime,
    notifier: Notifier,
    cfg: Settings | None = None,
) -> IncidentItem:
    cfg = cfg or settings()
    at = iso(now)
    item = IncidentItem(
        new_incident_id(now.astimezone(cfg.zone)),
        reported_by=agent,
        reported_at=at,
        reported_month=local_month(now, cfg.zone),
        category=category,
        severity=severity,
        description=description,
        status=Status.OPEN,
    )
    store.create(item)
    count("IncidentsReported")
    try:
        message_id = notifier.send(compose(item, cfg))
    except Exception as error:  # the report is kept; the list shows it was not e-mailed
        logger.warning("incident e-mail failed", extra={"incident_id": item.incident_id, "error": type(error).__name__})
        count("IncidentNotificationsFailed")
        return item
    store.set_notified(item, message_id)
    logger.info(
        "incident reported",
        extra={
            "incident_id": item.incident_id,
            "category": category,
            "severity": severity,
            "message_id": message_id,
        },
    )
    return item


def _current(incident_id: str) -> IncidentItem:
    item = store.get_incident(incident_id)
    if item is None:
        raise NotFound(f"{incident_id} numaralı arıza kaydı bulunamadı")
    return item


def _move(item: IncidentItem, target: str, actions: Sequence[Action], from_statuses: frozenset[str]) -> IncidentItem:
    problem = refusal(target, item.status)
    if problem:
        raise Conflict(f"{item.incident_id}: {problem}")
    try:
        store.update_where(item, actions, from_statuses)
    except IncidentChanged:
        raise Conflict(f"{item.incident_id} bu arada değişti; yeniden yükleyip deneyin") from None
    logger.info("incident status changed", extra={"incident_id": item.incident_id, "status": target})
    return item


def acknowledge(incident_id: str, supervisor: str, now: datetime) -> IncidentItem:
    item = _current(incident_id)
    actions = [
        IncidentItem.status.set(Status.ACKNOWLEDGED),
        IncidentItem.acknowledged_at.set(iso(now)),
        IncidentItem.acknowledged_by.set(supervisor),
    ]
    return _move(item, Status.ACKNOWLEDGED, actions, ACKNOWLEDGE_FROM)


def resolve(incident_id: str, supervisor: str, resolution: str, now: datetime) -> IncidentItem:
    item = _current(incident_id)
    at = iso(now)
    actions = [
        IncidentItem.status.set(Status.RESOLVED),
        IncidentItem.resolved_at.set(at),
        IncidentItem.resolved_by.set(supervisor),
        IncidentItem.resolution.set(resolution),
        IncidentItem.minutes_to_resolve.set(round(minutes_between(item.reported_at, at), 1)),
    ]
    # Resolved straight away: acknowledged at the same moment. (`not`: PynamoDB types a null=True attribute as str.)
    if not item.acknowledged_at:
        actions += [IncidentItem.acknowledged_at.set(at), IncidentItem.acknowledged_by.set(supervisor)]
    item = _move(item, Status.RESOLVED, actions, RESOLVE_FROM)
    count("IncidentsResolved")
    return item


def get(incident_id: str) -> IncidentItem:
    return _current(incident_id)


def listing(
    status: str | None, month: str | None, limit: int, cursor: str | None, reporter: str | None = None
) -> Page[IncidentItem]:
    """A page of the list: one reporter's own (newest first); a month's incidents (optionally of one status)
    oldest first; or one status (default OPEN), the open and acknowledged ones oldest first (work), the
    resolved ones newest first."""
    if reporter is not None:
        return store.reporter_page(reporter, limit, cursor)
    if month is not None:
        return store.month_page(month, status, limit, cursor)
    status = status or Status.OPEN
    return store.status_page(status, status == Status.RESOLVED, limit, cursor)
