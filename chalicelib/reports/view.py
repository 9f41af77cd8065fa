"""The view model: everything the HTML e-mail (templates/report.html.j2, as `c`) and the plain text
show of a report, computed and formatted once, in Turkish."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.phones import display
from chalicelib.core.turkish import WEEKDAYS_SHORT_TR, WEEKDAYS_TR
from chalicelib.reports.advice import next_steps
from chalicelib.reports.agent_view import agent_time_view, staffing_source_note
from chalicelib.reports.cells import category_label
from chalicelib.reports.comparison import compare, fmt_score
from chalicelib.reports.formatting import (
    MISSING,
    day_name,
    finite,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_secs,
    hour_span,
    missing,
    month_name,
    share,
)
from chalicelib.reports.hours import heat_facts, worst_slot
from chalicelib.reports.labels import (
    CALLBACK_REASONS,
    CHANNEL_LABELS,
    DEFINITION_LABELS,
    INCIDENT_CATEGORIES,
    METHOD_LABELS,
    METRICS,
    TILES,
)
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.palette import AMBER, BAD, BLUE, GOOD, GREY, NEUTRAL
from chalicelib.reports.reconciliation import view as reconciliation_view
from chalicelib.reports.satisfaction import LOW_AVERAGE, MIN_RESPONSES, low_scores

Row = dict[str, Any]  # one line of a table the template and the text lay out

MIN_QUEUED_FOR_A_DAY = 20  # a day's service level is compared with others' only over this many queued calls


def _calls_rows(report: MonthlyReport) -> list[Row]:
    calls = report.calls

    def previous(key: str) -> str:
        return fmt_int(report.headline(key).previous)

    inbound, queued = calls.inbound, calls.queued
    not_queued = None if inbound is None or queued is None else inbound - queued

    def row(label: str, short: str, value: int | None, share: str, prior: str, article: str, level: int) -> Row:
        return {
            "label": label,
            "short": short,
            "value": fmt_int(value),
            "share": share,
            "previous": prior,
            "article": article,
            "level": level,
        }

    answered, abandoned = calls.answered, calls.abandoned
    short, exits, dropped = calls.short_abandoned, calls.queue_exits_other, calls.system_dropped
    short_seconds = settings().short_abandon_seconds  # the report does not hold it
    return [
        row("Gelen çağrı", "Gelen çağrı", inbound, "", previous("calls.inbound"), "4", 0),
        row("Kuyruğa giren", "Kuyruğa giren", queued, fmt_pct(share(queued, inbound)), MISSING, "", 1),
        row(
            "Cevaplanan",
            "Cevaplanan",
            answered,
            fmt_pct(share(answered, queued)),
            previous("calls.answered"),
            "4(b)",
            2,
        ),
        row(
            "Kaybedilen (arayan kapattı)",
            "Kaybedilen",
            abandoned,
            fmt_pct(calls.abandon_rate),
            previous("calls.abandoned"),
            "4(a)",
            2,
        ),
        row(
            f"bunlardan {short_seconds} sn'den kısa bekleyen",
            f"{short_seconds} sn'den kısa bekleyen",
            short,
            fmt_pct(share(short, queued)),
            MISSING,
            "",
            3,
        ),
        row(
            "Kuyruktan başka çıkış (geri arama isteği vb.)",
            "Kuyruktan başka çıkış",
            exits,
            fmt_pct(share(exits, queued)),
            MISSING,
            "",
            2,
        ),
        row(
            "Kuyruğa girmeyen (mesai dışı, menüde kapanan, kapsam dışı)",
            "Kuyruğa girmeyen",
            not_queued,
            fmt_pct(share(not_queued, inbound)),
            MISSING,
            "6(5)",
            1,
        ),
        row(
            "Sistem kesintisi (kuyrukta ya da görüşmede)",
            "Sistem kesintisi",
            dropped,
            fmt_pct(share(dropped, inbound)),
            previous("calls.system_dropped"),
            "6(6), 8(ç)",
            0,
        ),
    ]


def _time_rows(report: MonthlyReport) -> list[Row]:
    calls = report.calls
    seconds = report.staffing.targets()[1]
    return [
        {"label": f"Hizmet düzeyi ({seconds} sn içinde cevaplanan)", "value": fmt_pct(calls.service_level)},
        {"label": "Ortalama cevaplama süresi", "value": fmt_secs(calls.asa_seconds)},
        {"label": "En uzun bekleme", "value": fmt_secs(report.calls_detail.longest_wait_seconds)},
        {"label": "Kaybedilenlerin ortalama bekleme süresi", "value": fmt_secs(calls.avg_abandon_seconds)},
        {"label": "Ortalama işlem süresi (görüşme + bekletme + sonrası)", "value": fmt_secs(calls.aht_seconds)},
    ]


def _counted(counts: dict[str, int], name: Callable[[str], str]) -> str:
    """ "12 sohbet, 3 görev": most first, each under its name."""
    return ", ".join(f"{fmt_int(n)} {name(k)}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _contacts_line(report: MonthlyReport) -> str:
    contacts = report.contacts
    channels = _counted(contacts.by_channel, lambda k: CHANNEL_LABELS.get(k, k))
    methods = _counted(contacts.by_initiation_method, lambda k: METHOD_LABELS.get(k, k))
    # Beside the channels, what they carried (connect:SMS on CHAT): "… 99 sohbet — alt tür: 12 SMS; …".
    subtypes = _counted(contacts.by_subtype, lambda k: k.removeprefix("connect:"))
    line = f"Tüm kanallarda {fmt_int(contacts.total or 0)} temas"
    if channels:
        line += f" ({channels}{f' — alt tür: {subtypes}' if subtypes else ''}; {methods})"
    if report.referrals.created:
        line += f"; birimlere {fmt_int(report.referrals.created)} yönlendirme"
    return line + "."


def _categories(report: MonthlyReport) -> list[Row]:
    categories = report.by_category
    total = sum(categories.values())
    top = max(categories.values(), default=0)
    rows = sorted(categories.items(), key=lambda kv: (kv[0] == "unclassified", -kv[1], kv[0]))
    return [
        {
            "name": category_label(name),
            "count": fmt_int(n),
            "share": fmt_pct(share(n, total)),
            "bar": round(100 * n / top) if top else 0,
            "colour": AMBER if name == "kapsam_dışı" else GREY if name == "unclassified" else BLUE,
            "note": (
                "madde 6(5)"
                if name == "kapsam_dışı"
                else "mesai dışı ve menüde kapatılan çağrılar dahil"
                if name == "unclassified"
                else ""
            ),
        }
        for name, n in rows
    ]


def _rows(rows: list[Row]) -> list[Row]:
    """Table rows; those that say nothing of an alert are not one."""
    return [{"alert": False, **row} for row in rows]


def _callback_rows(report: MonthlyReport) -> list[Row]:
    cb = report.callbacks
    reasons = ", ".join(f"{CALLBACK_REASONS.get(k, k)} {fmt_int(v)}" for k, v in cb.by_reason.items())
    within = share(cb.completed_within_sla, cb.completed)
    return _rows(
        [
            {"label": "Ay içinde doğan geri arama", "value": fmt_int(cb.created), "note": reasons},
            {
                "label": "Mesai dışında “açılınca arayın” diyen",
                "value": fmt_int(cb.requested_out_of_hours),
                "note": "arayanın isteklerinden; açılışta sistem kesintilerinden sonra ilk aranır",
            },
            {"label": "Tamamlanan (arayana ulaşıldı)", "value": fmt_int(cb.completed), "note": ""},
            {
                "label": "Süresi içinde tamamlanan",
                "value": fmt_int(cb.completed_within_sla),
                "note": f"tamamlananların {fmt_pct(within)}" if within is not None else "",
            },
            {
                "label": "Geri aramaya kadar geçen süre (ortanca)",
                "value": fmt_secs(cb.median_seconds_to_callback),
                "note": "",
            },
            {"label": "Tüm denemelere rağmen ulaşılamayan", "value": fmt_int(cb.failed), "note": ""},
            {"label": "Numarası gizli ya da geçersiz", "value": fmt_int(cb.unreachable), "note": ""},
            {"label": "İptal edilen (arayan zaten ulaştı vb.)", "value": fmt_int(cb.cancelled), "note": ""},
            {"label": "Süresini aşan", "value": fmt_int(cb.overdue), "note": "", "alert": bool(cb.overdue)},
            {
                "label": "Ay sonunda açık",
                "value": fmt_int(cb.open_at_month_end),
                "note": "",
                "alert": bool(cb.open_at_month_end),
            },
        ]
    )


def _satisfaction(report: MonthlyReport) -> dict[str, Any]:
    """The survey (5(1)–(3)): the month beside the last, by category, agent and hour, and what scores low."""
    s, d = report.satisfaction, report.satisfaction_detail
    lows = low_scores(s, d)

    def scored(responses: int | None, average: float | None) -> dict[str, Any]:
        judged = (responses or 0) >= MIN_RESPONSES and average is not None
        return {
            "responses": fmt_int(responses),
            "average": fmt_score(average),
            "low": judged and average is not None and average < LOW_AVERAGE,
        }

    plain = {"previous": MISSING, "arrow": "", "change": "", "colour": NEUTRAL}
    summary = [
        {"label": "Ankete yanıt veren çağrı", "value": fmt_int(s.responses), **plain},
        *(compare(report, f"satisfaction.{key}") for key in ("response_rate", "average", "resolved_rate")),
        {"label": "Geçersiz yanıt (1–5 dışında)", "value": fmt_int(d.invalid), **plain},
    ]
    yes, no = d.resolved_yes or 0, d.resolved_no or 0
    return {
        "any": bool(s.responses or d.invalid),
        "summary": summary,
        "resolved_note": f"“Sorununuz çözüldü mü?” sorusuna {fmt_int(yes)} evet, {fmt_int(no)} hayır"
        if yes or no
        else None,
        "categories": [
            {"name": category_label(name), **scored(g.responses, g.average)}
            for name, g in sorted(s.by_category.items(), key=lambda kv: (-(kv[1].responses or 0), kv[0]))
        ],
        "agents": [
            {
                "name": "Bilinmeyen" if a.agent in (None, "?") else a.agent,
                **scored(a.responses, a.average),
                "resolved": fmt_pct(a.resolved_rate),
            }
            for a in d.by_agent
        ],
        "hours": [
            {"hour": hour, "span": hour_span(int(hour)), **scored(g.responses, g.average)}
            for hour, g in d.by_hour.items()
        ],
        "low": [
            (
                f"“{category_label(item.key)}” çağrıları"
                if item.kind == "category"
                else f"{hour_span(int(item.key))} arasındaki çağrılar"
            )
            + f": {fmt_score(item.average)} ({fmt_int(item.responses)} yanıt)"
            for item in lows
        ],
        "threshold": f"en az {MIN_RESPONSES} yanıtla ortalaması {fmt_score(LOW_AVERAGE)} altında kalan",
    }


def _hours_text(value: Any) -> str:
    return MISSING if missing(value) else f"{fmt_num(value)} mesai saati"


def _referral_rows(report: MonthlyReport) -> list[Row]:
    rf = report.referrals
    on_time = share(rf.answered_on_time, rf.answered)
    return _rows(
        [
            {
                "label": "Birimlere yönlendirilen soru",
                "value": fmt_int(rf.created),
                "note": f"ayrıca birimlerin birbirine aktardığı {fmt_int(rf.forwards)}" if rf.forwards else "",
            },
            {
                "label": "Birimin yanıtladığı",
                "value": fmt_int(rf.answered),
                "note": f"{fmt_pct(on_time)} süresi içinde" if on_time is not None else "",
            },
            {
                "label": "Birim yanıt süresi (ortanca / %90)",
                "value": _hours_text(rf.median_unit_working_hours),
                "note": f"%90'ı {_hours_text(rf.p90_unit_working_hours)} içinde"
                if not missing(rf.p90_unit_working_hours)
                else "",
            },
            {"label": "Geciken", "value": fmt_int(rf.late), "note": "", "alert": bool(rf.late)},
            {"label": "Yanıtı arayana iletilen", "value": fmt_int(rf.returned), "note": ""},
            {
                "label": "Aramadan arayana dönüşe (ortanca)",
                "value": _hours_text(rf.median_call_to_return_working_hours),
                "note": "",
            },
            {"label": "Birim yanıtlamadan süresi dolan", "value": fmt_int(rf.expired), "note": ""},
            {
                "label": "Ay sonunda açık",
                "value": fmt_int(rf.open_at_month_end),
                "note": "",
                "alert": bool(rf.open_at_month_end),
            },
        ]
    )


def _incident_rows(report: MonthlyReport) -> list[Row]:
    inc = report.incidents
    kinds = ", ".join(f"{INCIDENT_CATEGORIES.get(k, k)} {fmt_int(v)}" for k, v in inc.by_category.items() if v)
    minutes = inc.median_minutes_to_resolve
    return _rows(
        [
            {"label": "Temsilcilerin bildirdiği konsol arızası", "value": fmt_int(inc.reported), "note": kinds},
            {"label": "Giderilen", "value": fmt_int(inc.resolved), "note": ""},
            {
                "label": "Giderme süresi (ortanca)",
                "value": MISSING if missing(minutes) else f"{fmt_num(minutes)} dk",
                "note": "",
            },
            {
                "label": "Ay sonunda açık",
                "value": fmt_int(inc.open_at_month_end),
                "note": "",
                "alert": bool(inc.open_at_month_end),
            },
        ]
    )


def _referral_units(report: MonthlyReport) -> list[Row]:
    return [
        {
            "name": u.name or unit_id,
            "received": fmt_int(u.received),
            "answered": fmt_int(u.answered),
            "median": MISSING if missing(u.median_working_hours) else fmt_num(u.median_working_hours),
            "late": fmt_int(u.late),
            "alert": bool(u.late),
        }
        for unit_id, u in report.referrals.by_unit.items()
    ]


def _staffing_grid(report: MonthlyReport) -> dict[str, Any]:
    """Weekday × hour: "çalışan/gereken" per slot, coloured by gap or surplus."""
    slots = report.staffing.slots
    by_key = {(s.weekday, s.hour): s for s in slots}
    hours = sorted({s.hour for s in slots})
    weekdays = sorted({s.weekday for s in slots})
    rows = []
    for weekday in weekdays:
        cells = []
        for hour in hours:
            s = by_key.get((weekday, hour))
            if s is None:
                cells.append({"text": "", "bg": "#ffffff", "fg": NEUTRAL, "bold": False})
                continue
            at_work = math.ceil(s.at_work - 1e-9) if s.at_work > 0 else 0
            gap, surplus = s.gap or 0, s.surplus or 0
            bg, fg = ("#f8d7d3", BAD) if gap else ("#e3f1e6", GOOD) if surplus >= 2 else ("#ffffff", "#1d2733")
            cells.append({"text": f"{at_work}/{s.required}", "bg": bg, "fg": fg, "bold": bool(gap)})
        rows.append({"weekday": WEEKDAYS_SHORT_TR[weekday], "cells": cells})
    return {"hours": [f"{h:02d}" for h in hours], "rows": rows}


def _agents(report: MonthlyReport) -> list[Row]:
    return [
        {
            "name": "Bilinmeyen" if row.agent in (None, "?") else row.agent,
            "answered": fmt_int(row.answered),
            "share": fmt_pct(row.share),
            "bar": 0 if (part := finite(row.share)) is None else round(100 * part),
            "aht": fmt_secs(row.aht_seconds),
        }
        for row in report.by_agent
    ]


def _daily_facts(report: MonthlyReport) -> dict[str, Any]:
    days = report.by_day
    busiest = max(days, key=lambda d: d.inbound or 0, default=None)
    open_days = [d for d in days if d.service_level is not None and (d.queued or 0) >= MIN_QUEUED_FOR_A_DAY]
    worst = min(open_days, key=lambda d: d.service_level or 0, default=None)
    return {
        "busiest": (
            f"{day_name(busiest.date)}, {fmt_int(busiest.inbound)} çağrı" if busiest and busiest.inbound else None
        ),
        "worst": f"{day_name(worst.date)}, {fmt_pct(worst.service_level)}" if worst else None,
        "closed": sum(1 for d in days if not d.queued),
    }


def _alt_texts(report: MonthlyReport) -> dict[str, str]:
    busiest, daily = heat_facts(report.by_hour_weekday).busiest, _daily_facts(report)
    top = max(report.by_category.items(), key=lambda kv: kv[1], default=None)
    return {
        "daily": "Günlük çağrılar grafiği: her gün cevaplanan, kaybedilen ve kuyruğa girmeyen çağrılar ile "
        "hizmet düzeyi." + (f" En yoğun gün {daily['busiest']}." if daily["busiest"] else ""),
        "heatmap": "Saat ve güne göre gelen çağrı yoğunluğu haritası."
        + (
            f" En yoğun dilim {WEEKDAYS_TR[busiest[0]]} {hour_span(busiest[1])}, ay boyunca "
            f"{fmt_int(busiest[2])} çağrı."
            if busiest
            else ""
        ),
        "categories": "Konulara göre temas sayıları grafiği."
        + (f" En çok temas: {category_label(top[0])}, {fmt_int(top[1])}." if top else ""),
    }


def _definition(label: str, text: str) -> dict[str, Any]:
    """Bold term and the rest; a text that already opens with its term is not given it twice."""
    rest = text[len(label) :]
    if text.casefold().startswith(label.casefold()) and rest[:1] in (":", " ", "("):
        return {"label": text[: len(label)], "text": text[len(label) :]}
    return {"label": label, "text": ": " + text}


def context(report: MonthlyReport | Mapping[str, Any]) -> dict[str, Any]:
    """Everything the HTML and text renderings show, formatted once."""
    report = read(report)
    calls, staffing = report.calls, report.staffing
    heat = heat_facts(report.by_hour_weekday)
    busiest = heat.busiest
    worst = worst_slot(report.by_hour_weekday)
    target, seconds = staffing.targets()
    sl = finite(calls.service_level)
    callbacks_note = report.definitions.get("callbacks")
    return {
        "month": month_name(report.month),
        "previous_month": month_name(report.month_over_month.previous_month),
        "number": display(report.centre.number),
        "timezone": report.timezone or "Europe/Istanbul",
        "working_days": report.calls_detail.working_days,
        "findings_tr": report.findings.tr,
        "findings_en": report.findings.en,
        "steps": next_steps(report),
        "tiles": [compare(report, key) for key in TILES],
        "comparison": [compare(report, key) for key in METRICS],
        "sl_target": fmt_pct(target, 0),
        "sl_tone": NEUTRAL if sl is None else GOOD if sl >= target else BAD,
        "contacts_line": _contacts_line(report),
        "calls_rows": _calls_rows(report),
        "time_rows": _time_rows(report),
        "daily": _daily_facts(report),
        "heat": {
            "busiest": f"{WEEKDAYS_TR[busiest[0]]} {hour_span(busiest[1])} ({fmt_int(busiest[2])} çağrı)"
            if busiest
            else None,
            "worst": (
                f"{WEEKDAYS_TR[worst.weekday]} {hour_span(worst.hour)}: {worst.offered} çağrının {worst.lost} "
                f"tanesi kaybedildi ({fmt_pct(worst.lost / worst.offered, 0)})"
            )
            if worst
            else None,
            "weekend": fmt_int(heat.weekend),
            "outside": fmt_int(heat.outside),
        },
        "categories": _categories(report),
        "categories_total": fmt_int(sum(report.by_category.values())),
        "out_of_scope": fmt_int(report.out_of_scope),
        "satisfaction": _satisfaction(report),
        "callbacks": _callback_rows(report),
        "callbacks_note": callbacks_note.tr if callbacks_note else None,
        "referrals": _referral_rows(report),
        "referral_units": _referral_units(report),
        "incidents": _incident_rows(report),
        "staffing": {
            "grid": _staffing_grid(report),
            "aht": fmt_secs(staffing.aht_seconds),
            "target": fmt_pct(target, 0),
            "seconds": seconds,
            "short": [s for s in staffing.gaps.tr if "eksik" in s],
            "spare": [s for s in staffing.gaps.tr if "fazla" in s],
            "source_note": staffing_source_note(report),
        },
        "agents": _agents(report),
        "agent_time": agent_time_view(report),
        "reconciliation": reconciliation_view(report.reconciliation),
        "definitions": [_definition(DEFINITION_LABELS.get(k, k), v.tr or "") for k, v in report.definitions.items()],
        "alts": _alt_texts(report),
    }
