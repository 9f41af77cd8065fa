"""What the renderings show of the agents' time (HTML, text, workbook), formatted once, in Turkish: logged-in
hours per agent and in total, occupancy, time by status, each week's occupancy, and where the staffing
table's "at work" came from."""

from __future__ import annotations

from typing import Any

from chalicelib.reports.agent_figures import (
    OCCUPANCY_HIGH,
    OCCUPANCY_LOW,
    SOURCE_AGENT_EVENTS,
    SOURCE_CONTACTS,
    week_span,
)
from chalicelib.reports.formatting import fmt_int, fmt_num, fmt_pct, share
from chalicelib.reports.model import MonthlyReport


def _hours(value: float | None) -> str:
    return fmt_num(value, 1) + " sa" if value is not None else "—"


def _tone(occupancy: float | None) -> str:
    if occupancy is None:
        return ""
    return "yüksek" if occupancy > OCCUPANCY_HIGH else "düşük" if occupancy < OCCUPANCY_LOW else ""


def agent_time_view(report: MonthlyReport) -> dict[str, Any] | None:
    """None when the month has no agent events (the section then says so)."""
    contract, activity = report.agents_time, report.agent_activity
    if contract is None:
        return None
    rows = []
    for name, figures in contract.by_agent.items():
        detail = activity.by_agent.get(name) if activity else None
        rows.append(
            {
                "name": name,
                "hours": _hours(figures.logged_in_hours),
                "on_contact": _hours(detail.on_contact_hours if detail else None),
                "available": _hours(detail.available_hours if detail else None),
                "breaks": _hours(detail.break_hours if detail else None),
                "occupancy": fmt_pct(figures.occupancy, 0),
                "tone": _tone(figures.occupancy),
                "without_logout": fmt_int(detail.sessions_without_logout) if detail else "—",
            }
        )
    total = contract.logged_in_hours
    statuses = [
        {"name": name, "hours": _hours(hours), "share": fmt_pct(share(hours, total), 0)}
        for name, hours in (activity.by_status.items() if activity else ())
    ]
    weeks = [
        {
            "span": week_span(week)[0],
            "hours": _hours(week.logged_in_hours),
            "on_contact": _hours(week.on_contact_hours),
            "occupancy": fmt_pct(week.occupancy, 0),
            "tone": _tone(week.occupancy),
        }
        for week in (activity.weeks if activity else ())
    ]
    return {
        "total": _hours(total),
        "on_contact": _hours(activity.on_contact_hours if activity else None),
        "available": _hours(activity.available_hours if activity else None),
        "breaks": _hours(activity.break_hours if activity else None),
        "occupancy": fmt_pct(activity.occupancy if activity else None, 0),
        "rows": rows,
        "statuses": statuses,
        "weeks": weeks,
        "without_logout": activity.sessions_without_logout if activity else 0,
    }


def staffing_source_note(report: MonthlyReport) -> str:
    """Which source the staffing table's "at work" came from, in a sentence."""
    staffing = report.staffing
    measured = (
        "o saatte oturumu açık ve Müsait ya da görüşmede olan temsilci sayısı (temsilci olay akışından; mola, "
        "eğitim ve oturum kapalıyken geçen süre sayılmaz)"
    )
    guessed = "o saatte en az bir temas alan temsilci sayısı (hiç temas almayan temsilci görünmez)"
    if staffing.at_work_source == SOURCE_AGENT_EVENTS:
        what = measured
    elif staffing.at_work_source == SOURCE_CONTACTS or staffing.at_work_source is None:
        what = guessed + "; bu ay temsilci olay akışı yok, bu bir tahmindir"
    else:
        what = f"{staffing.days_from_agent_events} iş gününde {measured}, olay akışının olmadığı günlerde {guessed}"
    short = ""
    if staffing.hours_short is not None and staffing.adherence is not None:
        short = (
            f" Gereken temsilcinin çalışandan fazla olduğu saat dilimi: {staffing.hours_short} "
            f"(çağrı gelen saatlerin {fmt_pct(1 - staffing.adherence, 0)} kadarı)."
        )
    return (
        f"Çalışan: {what}; iş günleri ortalaması, yukarı yuvarlanmış. Gereken: yalnızca telefonda olması "
        f"gereken temsilcidir; mola, eğitim ve izin payı eklenmemiştir.{short}"
    )
