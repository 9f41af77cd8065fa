"""The live figures, read: today's contacts, the work waiting, and the agents (directive 7(a)).

One refresh reads today's partition of the contacts' `by_day` index (a contact initiated today is
filed under today; one filed by an input without its initiation time is filed no earlier than it
began), the open callbacks', referrals' and incidents' status partitions (the work still to do), the
two `live#…` items, and Connect's real-time agent data (or, where it cannot answer, the agent event
stream's records of the day and the day before) — never an older day, except once a day to compute the
usual day. Cheap enough for the console to poll every 15 s (bench/live_refresh.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.activity.live import agents_at
from chalicelib.adapters.connect import ConnectPort, ConnectRefused, ConnectUnavailable
from chalicelib.callbacks.rules import OPEN as OPEN_CALLBACKS
from chalicelib.callbacks.rules import Status as CallbackStatus
from chalicelib.callbacks.store import CallbackItem
from chalicelib.contacts import store as contacts
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.core.config import Settings
from chalicelib.core.observability import logger
from chalicelib.core.times import iso
from chalicelib.incidents.rules import Status as IncidentStatus
from chalicelib.incidents.store import IncidentItem
from chalicelib.live import store
from chalicelib.live.alerts import alerts
from chalicelib.live.figures import DayFigures, as_of, hourly_counts, usual_day
from chalicelib.referrals.rules import WITH_UNIT
from chalicelib.referrals.rules import Status as ReferralStatus
from chalicelib.referrals.store import ReferralItem

USUAL_WEEKS = 4


def todays_records(at: datetime, cfg: Settings) -> list[ContactRecord]:
    day = at.astimezone(cfg.zone).date()
    return [as_of(item.contact_id, item.fact_list(), item.first_seen_at, at) for item in contacts.filed_on(day)]


def _usual(day: date, cfg: Settings, now: datetime) -> dict[int, dict[str, float | None]]:
    known = store.usual_day(day)
    if known is not None:
        return known
    past = []
    for weeks in range(1, USUAL_WEEKS + 1):
        earlier = day - timedelta(weeks=weeks)
        records = (merge(i.contact_id, i.fact_list(), i.first_seen_at) for i in contacts.filed_on(earlier))
        past.append(hourly_counts((r for r in records if _on(r, earlier, cfg)), cfg.zone))
    usual = usual_day(past)
    store.save_usual_day(day, usual, now)
    return usual


def _on(record: ContactRecord, day: date, cfg: Settings) -> bool:
    return record.initiated_at is not None and record.initiated_at.astimezone(cfg.zone).date() == day


def _count(items: Iterable[Any]) -> int:
    return sum(1 for _ in items)


def callbacks_now(at: datetime) -> dict[str, int]:
    """Due: waiting to be rung by now. Overdue: open and past their deadline."""
    cutoff = iso(at) or ""
    due = overdue = 0
    for status in sorted(OPEN_CALLBACKS):
        for item in CallbackItem.by_status.query(status):
            due += status == CallbackStatus.PENDING and item.due_at <= cutoff
            overdue += item.sla_due_at < cutoff
    return {"due": due, "overdue": overdue}


def referrals_now(at: datetime) -> dict[str, int]:
    cutoff = iso(at) or ""
    waiting = overdue = 0
    for status in sorted(WITH_UNIT):
        for item in ReferralItem.by_status.query(status):
            waiting += 1
            overdue += bool(item.due_at) and item.due_at < cutoff
    answers = _count(ReferralItem.by_status.query(ReferralStatus.ANSWERED))
    return {"waiting_for_units": waiting, "overdue": overdue, "answers_to_return": answers}


def incidents_open() -> int:
    return sum(_count(IncidentItem.by_status.query(s)) for s in (IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED))


def agents_now(at: datetime, connect: ConnectPort, busy: int, cfg: Settings, now: datetime) -> dict[str, int | None]:
    """Connect's real-time data; where it cannot answer (another moment than now, an outage, the local
    stage), the agent event stream's records as of `at`; None when neither can tell."""
    try:
        seen = connect.agents_now(at)
    except (ConnectUnavailable, ConnectRefused) as error:
        logger.warning("real-time agent data unavailable", extra={"error": str(error)})
        seen = None
    if seen is None:
        recorded = agents_at(at, cfg, now)
        if recorded is None:
            return {"online": None, "available": None}
        return {"online": recorded.online, "available": recorded.available}
    available = seen.available if seen.available is not None else max(seen.online - busy, 0)
    return {"online": seen.online, "available": available}


def live_figures(at: datetime, cfg: Settings, connect: ConnectPort, now: datetime) -> dict[str, Any]:
    """Everything the console shows: the live figures (docs/figures.md), then hours, thresholds and alerts."""
    records = todays_records(at, cfg)
    day = DayFigures(at, cfg.zone, cfg.short_abandon_seconds, cfg.service_level_seconds)
    busy = 0
    for record in records:
        day.add(record)
        busy += record.connected and not record.ended and record.initiated_at is not None
    waiting, longest = day.in_queue_now()
    callbacks = callbacks_now(at)
    limits = store.thresholds()
    return {
        "at": at.astimezone(cfg.zone).isoformat(timespec="seconds"),
        "in_queue_now": waiting,
        "longest_wait_now_seconds": longest,
        "today": day.today_dict(),
        "callbacks": callbacks,
        "referrals": referrals_now(at),
        "incidents_open": incidents_open(),
        "agents": agents_now(at, connect, busy, cfg, now),
        "by_hour": day.by_hour(_usual(day.day, cfg, now)),
        "lost_last_30_minutes": day.lost_recently,
        "thresholds": limits.as_dict(),
        "alerts": alerts(longest, day.lost_recently, callbacks["overdue"], limits),
    }


LIVE_KEYS = (
    "at",
    "in_queue_now",
    "longest_wait_now_seconds",
    "today",
    "callbacks",
    "referrals",
    "incidents_open",
    "agents",
)


def contract_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """docs/figures.md's live figures, exactly: what `callcenter live --format json` prints."""
    return {key: figures[key] for key in LIVE_KEYS}
