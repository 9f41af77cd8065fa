"""Build the monthly report (directive 7(c)) from what is stored: read the month by its key, merge, aggregate.

The month's contacts are read once (Query per Istanbul day, see contacts/store.py), merged one at
a time and fed to running aggregates, so memory does not grow with the number of contacts. The
previous month is read for its headline figures only, to show the change beside each one. Amazon
Connect is asked for its own figures of the month (`connect_month`), set beside ours with the reasons
they differ (`reconciliation`); Connect files a contact by its end, so the previous month's last day
is read too, for the contacts that began then and ended in this month.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from chalicelib.activity.facts import AgentFact
from chalicelib.activity.store import facts_between
from chalicelib.adapters.closures import centre_calendar
from chalicelib.callbacks.store import callbacks_raised_in
from chalicelib.contacts.merge import ContactRecord, merge
from chalicelib.contacts.store import contacts_initiated_between
from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.times import iso, month_bounds, month_instants, previous_month
from chalicelib.core.workhours import WorkingCalendar, default_calendar
from chalicelib.incidents.rules import incident_figures
from chalicelib.incidents.store import incidents_reported_in
from chalicelib.referrals.store import created_in as referrals_created_in
from chalicelib.reports.agent_figures import adherence, agent_parts, at_work_source
from chalicelib.reports.callback_figures import callback_figures
from chalicelib.reports.connect_month import ask_connect
from chalicelib.reports.definitions import definitions
from chalicelib.reports.detail import MonthDetail
from chalicelib.reports.figures import CoreFigures, contact_month, core_figures
from chalicelib.reports.findings import findings
from chalicelib.reports.model import (
    HEADLINE,
    CallsDetail,
    Centre,
    Change,
    Incidents,
    Lines,
    MonthlyReport,
    MonthOverMonth,
    Staffing,
    read,
)
from chalicelib.reports.reconciliation import ConnectAnswer, Tally, reconcile
from chalicelib.reports.referral_figures import referral_figures
from chalicelib.reports.satisfaction import SatisfactionFigures
from chalicelib.reports.staffing import gap_sentences, gap_sentences_en, plan


def records_of_month(month: str) -> Iterator[ContactRecord]:
    zone = settings().zone
    first, last = month_bounds(month)
    for item in contacts_initiated_between(first, last):
        record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        if contact_month(record, zone) == month:
            yield record


def records_carried_in(month: str) -> Iterator[ContactRecord]:
    """Contacts begun on the previous month's last Istanbul day that ended in `month` (a voice contact
    lasts minutes, not days): Connect counts them in `month`, the report in the month before."""
    zone = settings().zone
    last_before = month_bounds(month)[0] - timedelta(days=1)
    start = month_instants(month, zone)[0]
    for item in contacts_initiated_between(last_before, last_before, margin_days=0):
        record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
        ended = record.disconnected_at
        if contact_month(record, zone) == previous_month(month) and ended is not None and ended >= start:
            yield record


def _month_end(month: str) -> str:
    """The first instant after the month in Istanbul, as UTC ISO."""
    last = month_bounds(month)[1]
    return str(iso(datetime.combine(last + timedelta(days=1), time(0), tzinfo=settings().zone)))


def _changes(now: MonthlyReport, before: MonthlyReport) -> dict[str, Change]:
    """Each headline figure beside last month's, with the change (None where either is missing)."""
    out = {}
    for name in HEADLINE:
        value, prior = now.figure(name), before.figure(name)
        change = None if value is None or prior is None else round(value - prior, 4)
        out[name] = Change(value=value, previous=prior, change=change)
    return out


def build_report(month: str, previous: dict[str, Any] | None = None, *, now: datetime | None = None) -> dict[str, Any]:
    """The whole report as JSON, from the store and Amazon Connect's own figures (asked as of `now`).
    `previous`: last month's report if already built."""
    month_bounds(month)  # validates the month before any read
    if previous is None:
        prior = previous_month(month)
        figures = core_figures(records_of_month(prior))
        # No record at all means the centre was not recording yet: nothing to compare with, not zeros.
        previous = {"month": prior, **figures} if figures["contacts"]["total"] else {"month": prior}
    first, last = month_bounds(month)
    return assemble_report(
        month,
        records_of_month(month),
        callbacks_raised_in(month),
        previous,
        referrals_created_in(month),
        incidents_reported_in(month),
        connect=ask_connect(month, now or times.now()),
        carried_in=records_carried_in(month),
        # A day either side: a session begun before the 1st, a logout after the last day.
        agent_facts=facts_between(first - timedelta(days=1), last + timedelta(days=1), now or times.now()),
        calendar=centre_calendar(),
    )


def assemble_report(
    month: str,
    records: Iterable[ContactRecord],
    callbacks: Iterable[Any],  # CallbackLike
    previous: Mapping[str, Any],
    referrals: Iterable[Any] = (),  # ReferralLike
    incidents: Iterable[Any] = (),
    *,
    connect: ConnectAnswer | None = None,
    carried_in: Iterable[ContactRecord] = (),
    agent_facts: Mapping[str, Iterable[AgentFact]] | None = None,
    calendar: WorkingCalendar | None = None,
) -> dict[str, Any]:
    """Pure: the report from the month's records, callbacks, referrals, console faults and agent events and
    last month's report (as stored, or its core figures only), built as the model and given as its JSON.
    `connect`: what asking Amazon Connect for the month gave; `carried_in`: contacts begun before the
    month that ended in it (Connect counts those in this month); `agent_facts`: each agent's facts (by
    agent id) of the month and a day either side; `calendar`: the centre's, with the closures declared
    (default: hours and holidays alone)."""
    cfg = settings()
    before = read(previous)
    first, last = month_bounds(month)
    calendar = calendar or default_calendar()
    core = CoreFigures(cfg.short_abandon_seconds, cfg.service_level_seconds)
    detail = MonthDetail(cfg.zone, cfg.service_level_seconds)
    tally = Tally(*month_instants(month, cfg.zone), cfg.service_level_seconds)
    survey = SatisfactionFigures(cfg.zone)
    for record in records:
        core.add(record)
        detail.add(record)
        tally.add(record)
        survey.add(record)
    for record in carried_in:
        tally.add(record, of_the_month=False)
    calls = core.calls()
    working_days = [
        date.fromordinal(o)
        for o in range(first.toordinal(), last.toordinal() + 1)
        if calendar.is_working_day(date.fromordinal(o))
    ]
    aht = calls.aht_seconds
    open_hours = range(cfg.opening_time.hour, cfg.closing_time.hour + (cfg.closing_time.minute > 0))
    agents = agent_parts(agent_facts or {}, first, last, cfg.zone)
    measured = detail.slots(working_days, agents.at_work, agents.days)
    demand = [slot for slot in measured if slot[0] < 5 and slot[1] in open_hours]
    slots = plan(demand, aht, cfg.service_level_target, cfg.service_level_seconds) if aht else []
    source, measured_days = at_work_source(working_days, agents.days)
    hours_short, met = adherence(slots)
    report = MonthlyReport(
        month=month,
        timezone=cfg.timezone,
        contacts=core.contacts(),
        calls=calls,
        by_category=core.categories(),
        out_of_scope=core.out_of_scope,
        satisfaction=survey.satisfaction(),
        satisfaction_detail=survey.detail(),
        callbacks=callback_figures(callbacks, _month_end(month)),
        referrals=referral_figures(referrals, _month_end(month), calendar),
        incidents=Incidents.read(incident_figures(incidents, _month_end(month))),
        calls_detail=CallsDetail(longest_wait_seconds=detail.longest_wait, working_days=len(working_days)),
        by_day=detail.by_day(first, last),
        by_hour_weekday=detail.heat_map(),
        by_agent=detail.by_agent(),
        agents_time=agents.agents_time,
        agent_activity=agents.activity,
        staffing=Staffing(
            target_service_level=cfg.service_level_target,
            target_seconds=cfg.service_level_seconds,
            aht_seconds=aht,
            slots=slots,
            gaps=Lines(tr=gap_sentences(slots), en=gap_sentences_en(slots)),
            at_work_source=source,
            days_from_agent_events=measured_days,
            hours_short=hours_short if slots else None,
            adherence=met,
        ),
        centre=Centre(number=cfg.centre_number, timezone=cfg.timezone),
        definitions=definitions(cfg),
        reconciliation=reconcile(tally, connect, cfg.timezone),
    )
    report = replace(
        report,
        month_over_month=MonthOverMonth(
            previous_month=before.month or previous_month(month),
            figures=_changes(report, before),
        ),
    )
    return replace(report, findings=findings(report, before)).to_json()
