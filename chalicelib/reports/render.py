"""Render the monthly report (directive 7(c)): HTML e-mail, its plain-text twin, inline charts, a workbook.

Every function is pure: the report JSON built by `monthly.assemble_report` (or read back from the
reports table) in, text or bytes out. Turkish first; times are Europe/Istanbul as in the report.

matplotlib and openpyxl are heavy and are imported inside `render_charts` and `render_xlsx` only:
the event Lambdas import this package and must stay fast. Jinja2 is loaded on first use too.

Beyond what the figures say, `next_steps` turns them into what the office should do next (staffing
gaps, overdue callbacks, faults, avoidable demand), each only when the figures support it.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from functools import lru_cache
from typing import Any

from chalicelib.core import templating
from chalicelib.core.phones import display
from chalicelib.core.turkish import WEEKDAYS_SHORT_TR, WEEKDAYS_TR
from chalicelib.reports.cells import bounded, category_label, write_cell
from chalicelib.reports.formatting import (
    MISSING,
    day_name,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_secs,
    hour_span,
    month_name,
    upper_tr,
)
from chalicelib.reports.formatting import missing as _missing
from chalicelib.reports.formatting import share as _share

HEAT_HOURS = range(8, 19)  # 08:00–19:00: opening hours (08:30–17:30) and the hour either side
MIN_CALLS_FOR_A_SLOT = 10  # a slot's abandon share is shown only over at least this many calls

CHANNEL_LABELS = {
    "VOICE": "sesli çağrı",
    "CHAT": "sohbet",
    "TASK": "görev",
    "EMAIL": "e-posta",
    "UNKNOWN": "bilinmeyen",
    "UNRECOGNISED": "okunamayan",
}
METHOD_LABELS = {
    "INBOUND": "gelen",
    "OUTBOUND": "giden",
    "API": "API ile açılan",
    "CALLBACK": "geri arama",
    "TRANSFER": "aktarma",
    "QUEUE_TRANSFER": "kuyruk aktarması",
    "UNKNOWN": "bilinmeyen",
    "UNRECOGNISED": "okunamayan",
}
CALLBACK_REASONS = {"system_drop": "Sistem kesintisi", "requested": "Arayanın isteği", "abandoned": "Kaybedilen çağrı"}
DEFINITION_LABELS = {
    "contacts.total": "Toplam temas",
    "calls.inbound": "Gelen çağrı",
    "calls.queued": "Kuyruğa giren",
    "calls.answered": "Cevaplanan çağrı",
    "calls.abandoned": "Kaybedilen çağrı",
    "calls.short_abandoned": "Kısa süreli kaybedilen",
    "calls.system_dropped": "Sistem kesintisi",
    "calls.queue_exits_other": "Kuyruktan başka çıkış",
    "calls.abandon_rate": "Kaybedilen oranı",
    "calls.service_level": "Hizmet düzeyi",
    "calls.asa_seconds": "Ortalama cevaplama süresi",
    "calls.avg_abandon_seconds": "Ortalama vazgeçme süresi",
    "calls.aht_seconds": "Ortalama işlem süresi",
    "queue_wait": "Kuyrukta bekleme",
    "out_of_scope": "Kapsam dışı temas",
    "staffing": "Personel hesabı",
    "callbacks": "Geri arama",
    "referrals": "Yönlendirme",
}
DEFINITION_LABELS_EN = {
    "contacts.total": "Total contacts",
    "calls.inbound": "Inbound calls",
    "calls.queued": "Queued",
    "calls.answered": "Answered",
    "calls.abandoned": "Abandoned",
    "calls.short_abandoned": "Short abandoned",
    "calls.system_dropped": "System dropped",
    "calls.queue_exits_other": "Other queue exits",
    "calls.abandon_rate": "Abandon rate",
    "calls.service_level": "Service level",
    "calls.asa_seconds": "Average speed of answer",
    "calls.avg_abandon_seconds": "Average time to abandon",
    "calls.aht_seconds": "Average handle time",
    "queue_wait": "Queue wait",
    "out_of_scope": "Out of scope",
    "staffing": "Agents needed / at work",
    "callbacks": "Callbacks",
}

# Headline figures (month_over_month keys): label, kind, which way is better (+1 up, -1 down, 0 neither).
METRICS: dict[str, tuple[str, str, int]] = {
    "contacts.total": ("Toplam temas", "count", 0),
    "calls.inbound": ("Gelen çağrı", "count", 0),
    "calls.answered": ("Cevaplanan çağrı", "count", 0),
    "calls.abandoned": ("Kaybedilen çağrı", "count", -1),
    "calls.system_dropped": ("Sistem kesintisi", "count", -1),
    "calls.abandon_rate": ("Kaybedilen oranı", "rate", -1),
    "calls.service_level": ("Hizmet düzeyi", "rate", 1),
    "calls.asa_seconds": ("Ort. cevaplama süresi", "seconds", -1),
    "calls.aht_seconds": ("Ort. işlem süresi", "seconds", 0),
    "out_of_scope": ("Kapsam dışı temas", "count", 0),
}
TILES = (
    "calls.inbound",
    "calls.service_level",
    "calls.abandon_rate",
    "calls.asa_seconds",
    "calls.aht_seconds",
    "calls.system_dropped",
)

# Colours: one palette for the e-mail, the charts and the workbook.
NAVY = "#1f3a5f"
BLUE = "#3d6fa6"
RED = "#c0392b"
AMBER = "#d68910"
GREY = "#aab4c0"
GOOD = "#1a7f37"
BAD = "#b42318"
NEUTRAL = "#5b6472"

# -- what the template and the text need, computed once ------------------------


def _get(report: dict, dotted: str) -> Any:
    value: Any = report
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _fmt(kind: str, value: Any) -> str:
    return {"count": fmt_int, "rate": fmt_pct, "seconds": fmt_secs}[kind](value)


def _noise(kind: str, change: float, previous: Any) -> bool:
    """A change too small to call better or worse: under half a point, 1 s, or 3 % of last month."""
    if kind == "rate":
        return abs(change) < 0.005
    relative = _share(abs(change), previous)
    if kind == "seconds" and abs(change) < 1:
        return True
    return relative is not None and relative < 0.03


def compare(report: dict, key: str) -> dict:
    """One headline figure with last month's and the change: text, arrow and tone (good/bad/neutral)."""
    label, kind, better = METRICS[key]
    figure = (_get(report, "month_over_month.figures") or {}).get(key) or {}
    value = figure.get("value", _get(report, key))
    previous = figure.get("previous")
    change = figure.get("change")
    if change is None and not _missing(value) and not _missing(previous):
        change = value - previous
    tone, arrow, text = "neutral", "", "karşılaştırma yok"
    if not _missing(change):
        small = abs(change) < (0.0005 if kind == "rate" else 0.05)
        if small:
            arrow, text = "=", "değişmedi"
        else:
            arrow = "▲" if change > 0 else "▼"
            if kind == "rate":
                text = f"{fmt_num(abs(change) * 100, 1)} puan"
            elif kind == "seconds":
                text = fmt_secs(abs(change))
            else:
                text = fmt_int(abs(change))
                relative = _share(abs(change), previous)
                if relative is not None and relative >= 0.0005:
                    text += f" ({fmt_pct(relative)})"
            if better and not _noise(kind, change, previous):
                tone = "good" if (change > 0) == (better > 0) else "bad"
    return {
        "key": key,
        "label": label,
        "value": _fmt(kind, value),
        "previous": _fmt(kind, previous),
        "arrow": arrow,
        "change": text,
        "tone": tone,
        "colour": {"good": GOOD, "bad": BAD}.get(tone, NEUTRAL),
    }


def worst_slots(heat: dict, n: int = 3) -> list[tuple[int, int, int, int]]:
    """Up to `n` (weekday, hour, lost, offered), highest abandon share first, over enough calls."""
    slots = [
        (weekday, hour, lost, offered)
        for weekday, (row_in, row_lost) in enumerate(
            zip(heat.get("inbound") or [], heat.get("abandoned") or [], strict=False)
        )
        for hour, (offered, lost) in enumerate(zip(row_in, row_lost, strict=False))
        if offered >= MIN_CALLS_FOR_A_SLOT and lost >= 2
    ]
    return sorted(slots, key=lambda s: (-s[2] / s[3], -s[2], s[0], s[1]))[:n]


def _worst_slot(report: dict) -> tuple[int, int, int, int] | None:
    worst = worst_slots(report.get("by_hour_weekday") or {}, 1)
    return worst[0] if worst else None


def _heat(report: dict) -> dict:
    """The heat map's facts: busiest slot, weekend and out-of-hours calls."""
    heat = report.get("by_hour_weekday") or {}
    inbound = heat.get("inbound") or []
    total = sum(sum(row) for row in inbound)
    weekend = sum(sum(row) for row in inbound[5:7])
    outside = sum(sum(v for h, v in enumerate(row) if h not in HEAT_HOURS) for row in inbound[:5])
    busiest = None
    for weekday, row in enumerate(inbound):
        for hour, value in enumerate(row):
            if value and (busiest is None or value > busiest[2]):
                busiest = (weekday, hour, value)
    return {"total": total, "weekend": weekend, "outside": outside, "busiest": busiest}


def next_steps(report: dict) -> list[str]:
    """What the office should do next, in Turkish, most pressing first; only what the figures support."""
    steps: list[str] = []
    calls = report.get("calls") or {}
    staffing = report.get("staffing") or {}
    callbacks = report.get("callbacks") or {}
    target = staffing.get("target_service_level") or 0.8
    target_seconds = staffing.get("target_seconds") or 20
    gaps = (staffing.get("gaps") or {}).get("tr") or []
    short = [s for s in gaps if "eksik" in s]
    spare = [s for s in gaps if "fazla" in s]

    sl = calls.get("service_level")
    if not _missing(sl) and sl < target:
        worst = _worst_slot(report)
        where = (
            f" En çok kayıp {WEEKDAYS_TR[worst[0]]} {hour_span(worst[1])} diliminde ({worst[3]} çağrının "
            f"{worst[2]} tanesi)."
            if worst
            else ""
        )
        steps.append(
            f"Hizmet düzeyi {fmt_pct(sl)} ile %{target * 100:.0f} hedefinin altında kaldı: "
            f"{target_seconds} saniyede cevaplanamayan çağrılar için aşağıdaki eksik saatlere "
            f"öncelik verin.{where}"
        )
    if short:
        listed = "; ".join(short[:3]) + (f" ve {len(short) - 3} dilim daha" if len(short) > 3 else "")
        steps.append(
            f"Vardiya planına temsilci ekleyin ya da mola ve öğle arasını bu saatlerin dışına kaydırın: {listed}."
        )
    overdue, still_open = callbacks.get("overdue") or 0, callbacks.get("open_at_month_end") or 0
    if still_open:
        late = f", {fmt_int(overdue)} tanesi süresini aştı" if overdue else ""
        steps.append(
            f"Ay sonunda {fmt_int(still_open)} geri arama açık kaldı{late}: bu hafta kapatılmalı (madde 6(6), 8(ç))."
        )
    elif overdue:  # all done, but some only after their deadline
        steps.append(
            f"{fmt_int(overdue)} geri arama süresi geçtikten sonra yapıldı: hangi gün ve saatte biriktiğini "
            "Geri aramalar bölümünden inceleyin (madde 6(6), 8(ç))."
        )
    within = _share(callbacks.get("completed_within_sla"), callbacks.get("completed"))
    if within is not None and within < 0.9 and (callbacks.get("completed") or 0) >= 10:
        steps.append(
            f"Tamamlanan geri aramaların yalnızca {fmt_pct(within)} kadarı süresi içinde yapıldı: "
            f"geri arama listesine mesai başında ve öğleden sonra ayrı zaman ayırın."
        )
    dropped = calls.get("system_dropped") or 0
    if dropped:
        worst_day = max(report.get("by_day") or [], key=lambda d: d.get("system_dropped") or 0, default=None)
        peak = ""
        if worst_day and (worst_day.get("system_dropped") or 0) >= 2:
            peak = f"; en çok {day_name(worst_day['date'])} ({worst_day['system_dropped']})"
        steps.append(
            f"{fmt_int(dropped)} çağrı sistem ya da hat arızasıyla kesildi{peak}. Kesinti kayıtlarını "
            f"Bilgi İşlem ve hat sağlayıcısıyla inceleyin; arayanların geri arandığını Geri aramalar "
            f"bölümünden doğrulayın."
        )
    categories = report.get("by_category") or {}
    contacts = sum(categories.values())
    oos = report.get("out_of_scope") or 0
    oos_share = _share(oos, contacts)
    if oos_share is not None and oos_share >= 0.05:
        steps.append(
            f"Temasların {fmt_pct(oos_share)} kadarı ({fmt_int(oos)}) üniversitenin görev alanı dışındaydı "
            f"(madde 6(5)): sık gelen bu konular için karşılama anonsuna ve web sitesine yönlendirme "
            f"eklemek hattı rahatlatır."
        )
    heat = _heat(report)
    off_hours = heat["weekend"] + heat["outside"]
    off_share = _share(off_hours, heat["total"])
    if off_share is not None and off_share >= 0.10:
        steps.append(
            f"Çağrıların {fmt_pct(off_share)} kadarı ({fmt_int(off_hours)}) hafta sonu ya da 08:00–19:00 "
            f"dışında geldi: kapalı saat anonsunun arayanı web sitesine ve e-posta adresine "
            f"yönlendirdiğinden emin olun."
        )
    if spare:
        listed = "; ".join(spare[:3]) + (f" ve {len(spare) - 3} dilim daha" if len(spare) > 3 else "")
        steps.append(
            f"Fazla temsilci görülen saatlerde ({listed}) temsilcileri geri arama, sohbet ve "
            f"e-posta işlerine yönlendirin."
        )
    if not (report.get("contacts") or {}).get("total"):
        steps.append(
            "Bu ay hiç temas kaydı yok. Merkez bu ay kapalı değilse Amazon Connect'ten gelen kayıtların "
            "(temas olayları, çağrı kayıtları) akışını Bilgi İşlem ile kontrol edin."
        )
    elif not steps and (calls.get("inbound") or 0):
        steps.append(
            "Bu ay ek bir önlem gerekmiyor: hizmet düzeyi hedefte, açık geri arama ve personel eksiği "
            "yok. Mevcut plan sürdürülebilir."
        )
    return steps


def _calls_rows(report: dict) -> list[dict]:
    calls = report.get("calls") or {}
    figures = _get(report, "month_over_month.figures") or {}

    def previous(key: str) -> str:
        figure = figures.get(key) or {}
        return fmt_int(figure.get("previous"))

    inbound, queued = calls.get("inbound"), calls.get("queued")
    not_queued = None if _missing(inbound) or _missing(queued) else inbound - queued

    def row(label, short, value, share, prior, article, level):
        return {
            "label": label,
            "short": short,
            "value": fmt_int(value),
            "share": share,
            "previous": prior,
            "article": article,
            "level": level,
        }

    answered, abandoned = calls.get("answered"), calls.get("abandoned")
    short, exits, dropped = calls.get("short_abandoned"), calls.get("queue_exits_other"), calls.get("system_dropped")
    return [
        row("Gelen çağrı", "Gelen çağrı", inbound, "", previous("calls.inbound"), "4", 0),
        row("Kuyruğa giren", "Kuyruğa giren", queued, fmt_pct(_share(queued, inbound)), MISSING, "", 1),
        row(
            "Cevaplanan",
            "Cevaplanan",
            answered,
            fmt_pct(_share(answered, queued)),
            previous("calls.answered"),
            "4(b)",
            2,
        ),
        row(
            "Kaybedilen (arayan kapattı)",
            "Kaybedilen",
            abandoned,
            fmt_pct(calls.get("abandon_rate")),
            previous("calls.abandoned"),
            "4(a)",
            2,
        ),
        row(
            "bunlardan 5 sn'den kısa bekleyen",
            "5 sn'den kısa bekleyen",
            short,
            fmt_pct(_share(short, queued)),
            MISSING,
            "",
            3,
        ),
        row(
            "Kuyruktan başka çıkış (geri arama isteği vb.)",
            "Kuyruktan başka çıkış",
            exits,
            fmt_pct(_share(exits, queued)),
            MISSING,
            "",
            2,
        ),
        row(
            "Kuyruğa girmeyen (mesai dışı, menüde kapanan, kapsam dışı)",
            "Kuyruğa girmeyen",
            not_queued,
            fmt_pct(_share(not_queued, inbound)),
            MISSING,
            "6(5)",
            1,
        ),
        row(
            "Sistem kesintisi (kuyrukta ya da görüşmede)",
            "Sistem kesintisi",
            dropped,
            fmt_pct(_share(dropped, inbound)),
            previous("calls.system_dropped"),
            "6(6), 8(ç)",
            0,
        ),
    ]


def _time_rows(report: dict) -> list[dict]:
    calls = report.get("calls") or {}
    staffing = report.get("staffing") or {}
    seconds = staffing.get("target_seconds") or 20
    return [
        {"label": f"Hizmet düzeyi ({seconds} sn içinde cevaplanan)", "value": fmt_pct(calls.get("service_level"))},
        {"label": "Ortalama cevaplama süresi", "value": fmt_secs(calls.get("asa_seconds"))},
        {"label": "En uzun bekleme", "value": fmt_secs(_get(report, "calls_detail.longest_wait_seconds"))},
        {"label": "Kaybedilenlerin ortalama bekleme süresi", "value": fmt_secs(calls.get("avg_abandon_seconds"))},
        {"label": "Ortalama işlem süresi (görüşme + bekletme + sonrası)", "value": fmt_secs(calls.get("aht_seconds"))},
    ]


def _contacts_line(report: dict) -> str:
    contacts = report.get("contacts") or {}
    channels = ", ".join(
        f"{fmt_int(n)} {CHANNEL_LABELS.get(k, k)}"
        for k, n in sorted((contacts.get("by_channel") or {}).items(), key=lambda kv: -kv[1])
    )
    methods = ", ".join(
        f"{fmt_int(n)} {METHOD_LABELS.get(k, k)}"
        for k, n in sorted((contacts.get("by_initiation_method") or {}).items(), key=lambda kv: -kv[1])
    )
    # Beside the channels, what they carried (connect:SMS on CHAT): "… 99 sohbet — alt tür: 12 SMS; …".
    subtypes = ", ".join(
        f"{fmt_int(n)} {k.removeprefix('connect:')}"
        for k, n in sorted((contacts.get("by_subtype") or {}).items(), key=lambda kv: -kv[1])
    )
    line = f"Tüm kanallarda {fmt_int(contacts.get('total') or 0)} temas"
    if channels:
        line += f" ({channels}{f' — alt tür: {subtypes}' if subtypes else ''}; {methods})"
    referrals = _get(report, "referrals.created")
    if referrals:
        line += f"; birimlere {fmt_int(referrals)} yönlendirme"
    return line + "."


def _categories(report: dict) -> list[dict]:
    categories = report.get("by_category") or {}
    total = sum(categories.values())
    top = max(categories.values(), default=0)
    rows = sorted(categories.items(), key=lambda kv: (kv[0] == "unclassified", -kv[1], kv[0]))
    return [
        {
            "name": category_label(name),
            "count": fmt_int(n),
            "share": fmt_pct(_share(n, total)),
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


def _callback_rows(report: dict) -> list[dict]:
    cb = report.get("callbacks") or {}
    reasons = ", ".join(f"{CALLBACK_REASONS.get(k, k)} {fmt_int(v)}" for k, v in (cb.get("by_reason") or {}).items())
    within = _share(cb.get("completed_within_sla"), cb.get("completed"))
    rows = [
        {"label": "Ay içinde doğan geri arama", "value": fmt_int(cb.get("created")), "note": reasons},
        {"label": "Tamamlanan (arayana ulaşıldı)", "value": fmt_int(cb.get("completed")), "note": ""},
        {
            "label": "Süresi içinde tamamlanan",
            "value": fmt_int(cb.get("completed_within_sla")),
            "note": f"tamamlananların {fmt_pct(within)}" if within is not None else "",
        },
        {
            "label": "Geri aramaya kadar geçen süre (ortanca)",
            "value": fmt_secs(cb.get("median_seconds_to_callback")),
            "note": "",
        },
        {"label": "Tüm denemelere rağmen ulaşılamayan", "value": fmt_int(cb.get("failed")), "note": ""},
        {"label": "Numarası gizli ya da geçersiz", "value": fmt_int(cb.get("unreachable")), "note": ""},
        {"label": "İptal edilen (arayan zaten ulaştı vb.)", "value": fmt_int(cb.get("cancelled")), "note": ""},
        {"label": "Süresini aşan", "value": fmt_int(cb.get("overdue")), "note": "", "alert": bool(cb.get("overdue"))},
        {
            "label": "Ay sonunda açık",
            "value": fmt_int(cb.get("open_at_month_end")),
            "note": "",
            "alert": bool(cb.get("open_at_month_end")),
        },
    ]
    return [{"alert": False, **row} for row in rows]


def _hours_text(value: Any) -> str:
    return MISSING if _missing(value) else f"{fmt_num(value)} mesai saati"


def _referral_rows(report: dict) -> list[dict]:
    rf = report.get("referrals") or {}
    on_time = _share(rf.get("answered_on_time"), rf.get("answered"))
    rows = [
        {
            "label": "Birimlere yönlendirilen soru",
            "value": fmt_int(rf.get("created")),
            "note": f"ayrıca birimlerin birbirine aktardığı {fmt_int(rf.get('forwards'))}"
            if rf.get("forwards")
            else "",
        },
        {
            "label": "Birimin yanıtladığı",
            "value": fmt_int(rf.get("answered")),
            "note": f"{fmt_pct(on_time)} süresi içinde" if on_time is not None else "",
        },
        {
            "label": "Birim yanıt süresi (ortanca / %90)",
            "value": _hours_text(rf.get("median_unit_working_hours")),
            "note": f"%90'ı {_hours_text(rf.get('p90_unit_working_hours'))} içinde"
            if not _missing(rf.get("p90_unit_working_hours"))
            else "",
        },
        {"label": "Geciken", "value": fmt_int(rf.get("late")), "note": "", "alert": bool(rf.get("late"))},
        {"label": "Yanıtı arayana iletilen", "value": fmt_int(rf.get("returned")), "note": ""},
        {
            "label": "Aramadan arayana dönüşe (ortanca)",
            "value": _hours_text(rf.get("median_call_to_return_working_hours")),
            "note": "",
        },
        {"label": "Birim yanıtlamadan süresi dolan", "value": fmt_int(rf.get("expired")), "note": ""},
        {
            "label": "Ay sonunda açık",
            "value": fmt_int(rf.get("open_at_month_end")),
            "note": "",
            "alert": bool(rf.get("open_at_month_end")),
        },
    ]
    return [{"alert": False, **row} for row in rows]


INCIDENT_CATEGORIES = {
    "headset": "kulaklık",
    "computer": "bilgisayar",
    "network": "ağ",
    "ccp": "CCP",
    "software": "yazılım",
    "other": "diğer",
}


def _incident_rows(report: dict) -> list[dict]:
    inc = report.get("incidents") or {}
    kinds = ", ".join(
        f"{INCIDENT_CATEGORIES.get(k, k)} {fmt_int(v)}" for k, v in (inc.get("by_category") or {}).items() if v
    )
    minutes = inc.get("median_minutes_to_resolve")
    rows = [
        {"label": "Temsilcilerin bildirdiği konsol arızası", "value": fmt_int(inc.get("reported")), "note": kinds},
        {"label": "Giderilen", "value": fmt_int(inc.get("resolved")), "note": ""},
        {
            "label": "Giderme süresi (ortanca)",
            "value": MISSING if _missing(minutes) else f"{fmt_num(minutes)} dk",
            "note": "",
        },
        {
            "label": "Ay sonunda açık",
            "value": fmt_int(inc.get("open_at_month_end")),
            "note": "",
            "alert": bool(inc.get("open_at_month_end")),
        },
    ]
    return [{"alert": False, **row} for row in rows]


def _referral_units(report: dict) -> list[dict]:
    units = (report.get("referrals") or {}).get("by_unit") or {}
    return [
        {
            "name": u.get("name") or unit_id,
            "received": fmt_int(u.get("received")),
            "answered": fmt_int(u.get("answered")),
            "median": MISSING if _missing(u.get("median_working_hours")) else fmt_num(u.get("median_working_hours")),
            "late": fmt_int(u.get("late")),
            "alert": bool(u.get("late")),
        }
        for unit_id, u in units.items()
    ]


def _staffing_grid(report: dict) -> dict:
    """Weekday × hour: "çalışan/gereken" per slot, coloured by gap or surplus."""
    slots = (report.get("staffing") or {}).get("slots") or []
    by_key = {(s["weekday"], s["hour"]): s for s in slots}
    hours = sorted({s["hour"] for s in slots})
    weekdays = sorted({s["weekday"] for s in slots})
    rows = []
    for weekday in weekdays:
        cells = []
        for hour in hours:
            s = by_key.get((weekday, hour))
            if s is None:
                cells.append({"text": "", "bg": "#ffffff", "fg": NEUTRAL, "bold": False})
                continue
            at_work = math.ceil(s["at_work"] - 1e-9) if s["at_work"] > 0 else 0
            gap, surplus = s.get("gap") or 0, s.get("surplus") or 0
            bg, fg = ("#f8d7d3", BAD) if gap else ("#e3f1e6", GOOD) if surplus >= 2 else ("#ffffff", "#1d2733")
            cells.append({"text": f"{at_work}/{s['required']}", "bg": bg, "fg": fg, "bold": bool(gap)})
        rows.append({"weekday": WEEKDAYS_SHORT_TR[weekday], "cells": cells})
    return {"hours": [f"{h:02d}" for h in hours], "rows": rows}


def _agents(report: dict) -> list[dict]:
    return [
        {
            "name": "Bilinmeyen" if row.get("agent") in (None, "?") else row["agent"],
            "answered": fmt_int(row.get("answered")),
            "share": fmt_pct(row.get("share")),
            "bar": round(100 * row["share"]) if not _missing(row.get("share")) else 0,
            "aht": fmt_secs(row.get("aht_seconds")),
        }
        for row in report.get("by_agent") or []
    ]


def _daily_facts(report: dict) -> dict:
    days = report.get("by_day") or []
    busiest = max(days, key=lambda d: d.get("inbound") or 0, default=None)
    open_days = [d for d in days if d.get("service_level") is not None and (d.get("queued") or 0) >= 20]
    worst = min(open_days, key=lambda d: d["service_level"], default=None)
    return {
        "busiest": (
            f"{day_name(busiest['date'])}, {fmt_int(busiest['inbound'])} çağrı"
            if busiest and busiest.get("inbound")
            else None
        ),
        "worst": f"{day_name(worst['date'])}, {fmt_pct(worst['service_level'])}" if worst else None,
        "closed": sum(1 for d in days if not d.get("queued")),
    }


def _alt_texts(report: dict) -> dict[str, str]:
    heat, daily = _heat(report), _daily_facts(report)
    busiest = heat["busiest"]
    categories = report.get("by_category") or {}
    top = max(categories.items(), key=lambda kv: kv[1], default=None)
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


def _definition(label: str, text: str) -> dict:
    """Bold term and the rest; a text that already opens with its term is not given it twice."""
    rest = text[len(label) :]
    if text.casefold().startswith(label.casefold()) and rest[:1] in (":", " ", "("):
        return {"label": text[: len(label)], "text": text[len(label) :]}
    return {"label": label, "text": ": " + text}


def context(report: dict) -> dict:
    """Everything the HTML and text renderings show, formatted once."""
    calls = report.get("calls") or {}
    staffing = report.get("staffing") or {}
    findings = report.get("findings") or {}
    definitions = report.get("definitions") or {}
    heat = _heat(report)
    busiest = heat["busiest"]
    worst = _worst_slot(report)
    target = staffing.get("target_service_level") or 0.8
    sl = calls.get("service_level")
    return {
        "month": month_name(report.get("month")),
        "previous_month": month_name(_get(report, "month_over_month.previous_month")),
        "number": display(_get(report, "centre.number")),
        "timezone": report.get("timezone") or "Europe/Istanbul",
        "working_days": _get(report, "calls_detail.working_days"),
        "findings_tr": findings.get("tr") or [],
        "findings_en": findings.get("en") or [],
        "steps": next_steps(report),
        "tiles": [compare(report, key) for key in TILES],
        "comparison": [compare(report, key) for key in METRICS],
        "sl_target": fmt_pct(target, 0),
        "sl_tone": GOOD if not _missing(sl) and sl >= target else BAD if not _missing(sl) else NEUTRAL,
        "contacts_line": _contacts_line(report),
        "calls_rows": _calls_rows(report),
        "time_rows": _time_rows(report),
        "daily": _daily_facts(report),
        "heat": {
            "busiest": f"{WEEKDAYS_TR[busiest[0]]} {hour_span(busiest[1])} ({fmt_int(busiest[2])} çağrı)"
            if busiest
            else None,
            "worst": (
                f"{WEEKDAYS_TR[worst[0]]} {hour_span(worst[1])}: {worst[3]} çağrının {worst[2]} tanesi "
                f"kaybedildi ({fmt_pct(worst[2] / worst[3], 0)})"
            )
            if worst
            else None,
            "weekend": fmt_int(heat["weekend"]),
            "outside": fmt_int(heat["outside"]),
        },
        "categories": _categories(report),
        "categories_total": fmt_int(sum((report.get("by_category") or {}).values())),
        "out_of_scope": fmt_int(report.get("out_of_scope")),
        "callbacks": _callback_rows(report),
        "callbacks_note": (definitions.get("callbacks") or {}).get("tr"),
        "referrals": _referral_rows(report),
        "referral_units": _referral_units(report),
        "incidents": _incident_rows(report),
        "staffing": {
            "grid": _staffing_grid(report),
            "aht": fmt_secs(staffing.get("aht_seconds")),
            "target": fmt_pct(target, 0),
            "seconds": staffing.get("target_seconds") or 20,
            "short": [s for s in (staffing.get("gaps") or {}).get("tr") or [] if "eksik" in s],
            "spare": [s for s in (staffing.get("gaps") or {}).get("tr") or [] if "fazla" in s],
        },
        "agents": _agents(report),
        "definitions": [_definition(DEFINITION_LABELS.get(k, k), v.get("tr") or "") for k, v in definitions.items()],
        "alts": _alt_texts(report),
    }


# -- HTML and text ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment():
    env = templating.environment().overlay()
    env.filters.update(int=fmt_int, num=fmt_num, pct=fmt_pct, secs=fmt_secs, month=month_name)
    return env


def render_html(report: dict, charts: dict[str, str] | None) -> str:
    """The e-mail body. `charts`: chart name → Content-ID of its inline PNG (e.g. {"daily": "daily"});
    a chart missing from it is left out (its caption stays)."""
    return _environment().get_template("report.html.j2").render(c=context(report), charts=charts or {})


def _table(rows: list[list[str]], align: str) -> list[str]:
    """Plain-text columns: `align` has one "<" or ">" per column."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(align))]
    return [
        "  ".join(
            cell.ljust(w) if a == "<" else cell.rjust(w) for cell, w, a in zip(row, widths, align, strict=True)
        ).rstrip()
        for row in rows
    ]


def render_text(report: dict) -> str:
    """The plain-text alternative: the same content, no charts, Turkish."""
    c = context(report)
    out: list[str] = []

    def heading(title: str, english: bool = False) -> None:
        out.extend(["", title.upper() if english else upper_tr(title), "=" * len(title)])

    out.append(f"ÇAĞRI VE İLETİŞİM MERKEZİ — AYLIK RAPOR: {upper_tr(c['month'])}")
    out.append(f"OSTİM Teknik Üniversitesi · {c['number']} · saatler İstanbul saatiyle")
    if c["working_days"] is not None:
        out.append(f"{c['working_days']} iş günü · Yönerge madde 7(c) gereği Genel Sekreterliğe sunulur.")

    heading("Öne çıkanlar")
    out.extend(f"- {s}" for s in c["findings_tr"]) if c["findings_tr"] else out.append("- Bu ay kayıt yok.")
    heading("Önerilen adımlar")
    out.extend(f"{i}. {s}" for i, s in enumerate(c["steps"], 1)) if c["steps"] else out.append("- Öneri yok.")

    heading(f"Temel göstergeler (geçen ay: {c['previous_month']})")
    rows = [["Gösterge", "Bu ay", "Geçen ay", "Değişim"]]
    verdict = {"good": "  (iyileşme)", "bad": "  (kötüleşme)"}
    rows += [
        [m["label"], m["value"], m["previous"], f"{m['arrow']} {m['change']}".strip() + verdict.get(m["tone"], "")]
        for m in c["comparison"]
    ]
    out.extend(_table(rows, "<>><"))

    heading("Çağrılar (madde 4(a), 4(b), 6(6))")
    out.append(c["contacts_line"])
    rows = [["", "Sayı", "Oran", "Geçen ay", "Madde"]]
    rows += [
        ["  " * r["level"] + r["short"], r["value"], r["share"], r["previous"], r["article"]] for r in c["calls_rows"]
    ]
    out.extend(_table(rows, "<>>><"))
    out.append(
        "Kaybedilen: arayan, temsilciye ulaşmadan kapattı. Kuyruğa girmeyen: mesai dışı, menüde kapanan ve "
        "kapsam dışı çağrılar. Oranlar kuyruğa giren çağrıya göre (kuyruğa giren ve girmeyen: gelen çağrıya "
        "göre)."
    )
    out.append("")
    out.extend(_table([[r["label"], r["value"]] for r in c["time_rows"]], "<>"))

    heading("Günlük")
    if c["daily"]["busiest"]:
        out.append(f"En yoğun gün: {c['daily']['busiest']}.")
    if c["daily"]["worst"]:
        out.append(f"Hizmet düzeyinin en düşük olduğu gün: {c['daily']['worst']}.")
    rows = [["Tarih", "Gün", "Gelen", "Cevap.", "Kayıp", "Kesinti", "H.düzeyi", "Ort.cevap"]]
    for d in report.get("by_day") or []:
        rows.append(
            [
                d["date"][8:10] + "." + d["date"][5:7],
                str(d.get("weekday") or ""),
                fmt_int(d.get("inbound")),
                fmt_int(d.get("answered")),
                fmt_int(d.get("abandoned")),
                fmt_int(d.get("system_dropped")),
                fmt_pct(d.get("service_level")),
                fmt_secs(d.get("asa_seconds")),
            ]
        )
    out.extend(_table(rows, "<<>>>>>>"))

    heading("Saat ve güne göre gelen çağrılar (ay boyunca toplam)")
    if c["heat"]["busiest"]:
        out.append(f"En yoğun dilim: {c['heat']['busiest']}.")
    if c["heat"]["worst"]:
        out.append(f"En çok kayıp: {c['heat']['worst']}.")
    out.append(
        f"Hafta sonu: {c['heat']['weekend']} çağrı; hafta içi 08:00 öncesi ve 19:00 sonrası: "
        f"{c['heat']['outside']} çağrı."
    )
    heat = report.get("by_hour_weekday") or {}
    inbound = heat.get("inbound") or []
    if inbound:
        rows = [["", *(f"{h:02d}" for h in HEAT_HOURS)]]
        rows += [[WEEKDAYS_SHORT_TR[w], *(str(row[h]) for h in HEAT_HOURS)] for w, row in enumerate(inbound)]
        out.extend(_table(rows, "<" + ">" * len(HEAT_HOURS)))

    heading("Konular (madde 4(c)) ve kapsam dışı (madde 6(5))")
    rows = [["Konu", "Temas", "Pay"]] + [[r["name"], r["count"], r["share"]] for r in c["categories"]]
    out.extend(_table(rows, "<>>"))
    out.append(f"Toplam {c['categories_total']} gelen temas; kapsam dışı: {c['out_of_scope']}.")

    heading("Geri aramalar (madde 6(6), 8(ç))")
    first, *rest = c["callbacks"]
    out.extend(_table([[r["label"], r["value"], r["note"]] for r in [{**first, "note": ""}, *rest]], "<><"))
    if first["note"]:
        out.append(f"Nedenler: {first['note']}.")
    if c["callbacks_note"]:
        out.append(c["callbacks_note"])

    heading("Birimlere yönlendirmeler (madde 6(7), 8(d))")
    out.extend(_table([[r["label"], r["value"], r["note"]] for r in c["referrals"]], "<><"))
    if c["referral_units"]:
        rows = [["Birim", "Gelen", "Yanıt", "Ortanca (mesai sa.)", "Geciken"]]
        rows += [[u["name"], u["received"], u["answered"], u["median"], u["late"]] for u in c["referral_units"]]
        out.extend(_table(rows, "<>>>>"))

    heading("Konsol arızaları (madde 8(b), 7(d))")
    out.extend(_table([[r["label"], r["value"], r["note"]] for r in c["incidents"]], "<><"))

    heading("Personel planı (madde 7(b))")
    st = c["staffing"]
    out.append(
        f"Ortalama işlem süresi {st['aht']} ile çağrıların {st['target']} kadarını {st['seconds']} saniyede "
        f"cevaplamak için gereken temsilci, o saatte çalışan temsilciyle karşılaştırıldı "
        f"(hücre: çalışan/gereken)."
    )
    grid = st["grid"]
    if grid["rows"]:
        rows = [["", *grid["hours"]]] + [[r["weekday"], *(cell["text"] for cell in r["cells"])] for r in grid["rows"]]
        out.extend(_table(rows, "<" + ">" * len(grid["hours"])))
    out.extend(f"- {s}." for s in st["short"] + st["spare"]) if st["short"] or st["spare"] else out.append(
        "- Hiçbir saat diliminde temsilci eksiği görülmedi."
    )

    heading("Temsilciler")
    if c["agents"]:
        rows = [["Temsilci", "Cevaplanan", "Pay", "Ort. işlem"]]
        rows += [[a["name"], a["answered"], a["share"], a["aht"]] for a in c["agents"]]
        out.extend(_table(rows, "<>>>"))
    else:
        out.append("Bu ay cevaplanan çağrı yok.")

    if c["findings_en"]:
        heading("Highlights (English)", english=True)
        out.extend(f"- {s}" for s in c["findings_en"])

    heading("Ek: tanımlar")
    for d in c["definitions"]:
        out.append(f"- {d['label']}{d['text']}")
    out.extend(
        [
            "",
            "Bu rapor Çağrı sistemi tarafından Amazon Connect kayıtlarından otomatik hazırlanmıştır. "
            "Ayrıntılı tablolar ekteki Excel dosyasındadır.",
        ]
    )
    return "\n".join(_wrap(line) for line in out).strip() + "\n"


def _wrap(line: str, width: int = 76) -> str:
    """Prose wrapped at `width` with a hanging indent under its list marker; table rows left as they are."""
    if len(line) <= width or "  " in line.lstrip():
        return line
    marker = re.match(r"(\s*(?:- |\d+\. )?)", line).group(1)
    return textwrap.fill(line, width, subsequent_indent=" " * len(marker), break_on_hyphens=False)


# -- charts ------------------------------------------------------------------------


def render_charts(report: dict) -> dict[str, bytes]:
    """PNG charts by name ("daily", "heatmap", "categories"); a chart with nothing to show is left out."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    style = {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.edgecolor": "#8a94a3",
        "axes.labelcolor": "#333d4a",
        "xtick.color": "#333d4a",
        "ytick.color": "#333d4a",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    dpi, width = 110, 6.2  # 682 px wide
    charts: dict[str, bytes] = {}

    def png(fig) -> bytes:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    with matplotlib.rc_context(style):
        days = report.get("by_day") or []
        if any(d.get("inbound") for d in days):
            charts["daily"] = png(_daily_chart(Figure(figsize=(width, 3.1), layout="constrained"), days))
        heat = report.get("by_hour_weekday") or {}
        if any(any(row) for row in heat.get("inbound") or []):
            charts["heatmap"] = png(_heatmap_chart(Figure(figsize=(width, 2.9), layout="constrained"), heat))
        categories = report.get("by_category") or {}
        if any(categories.values()):
            height = 0.6 + 0.28 * len(categories)
            charts["categories"] = png(
                _categories_chart(Figure(figsize=(width, height), layout="constrained"), categories)
            )
    return charts


def _daily_chart(fig, days: list[dict]):
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.subplots()
    x = list(range(1, len(days) + 1))
    answered = [d.get("answered") or 0 for d in days]
    abandoned = [d.get("abandoned") or 0 for d in days]
    other = [max((d.get("inbound") or 0) - a - b, 0) for d, a, b in zip(days, answered, abandoned, strict=True)]
    for i, d in enumerate(days, 1):
        if not d.get("queued"):  # closed: weekend or holiday
            ax.axvspan(i - 0.5, i + 0.5, color="#eef1f5", zorder=0, lw=0)
    ax.bar(x, answered, color=NAVY, width=0.75, label="Cevaplanan", zorder=2)
    ax.bar(x, abandoned, bottom=answered, color=RED, width=0.75, label="Kaybedilen", zorder=2)
    ax.bar(
        x,
        other,
        bottom=[a + b for a, b in zip(answered, abandoned, strict=True)],
        color=GREY,
        width=0.75,
        label="Kuyruğa girmeyen",
        zorder=2,
    )
    ax.set_xlim(0.4, len(days) + 0.6)
    ax.set_xticks(x, [str(i) for i in x], fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v)))
    ax.set_ylabel("Çağrı")
    ax.grid(axis="y", color="#e3e7ec", lw=0.6, zorder=1)
    ax.set_axisbelow(True)

    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    levels = [math.nan if d.get("service_level") is None else d["service_level"] * 100 for d in days]
    if any(not math.isnan(v) for v in levels):  # closed days break the line
        ax2.plot(x, levels, color=AMBER, lw=1.6, marker="o", ms=3, label="Hizmet düzeyi", zorder=3)
    ax2.axhline(80, color=AMBER, lw=0.8, ls=(0, (4, 3)), zorder=1)
    ax2.text(len(days) + 0.5, 81, "hedef %80", color=AMBER, fontsize=7, ha="right", va="bottom")
    ax2.set_ylim(0, 105)
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"%{v:.0f}"))
    ax2.set_ylabel("Hizmet düzeyi")

    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside upper center", ncols=4, frameon=False, fontsize=8)
    ax.set_xlabel("Ayın günü (gri zemin: kapalı gün)")
    return fig


def _heatmap_chart(fig, heat: dict):
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    inbound = heat.get("inbound") or []
    abandoned = heat.get("abandoned") or [[0] * 24 for _ in inbound]
    hours = list(HEAT_HOURS)
    grid = [[row[h] for h in hours] for row in inbound]
    top = max((v for row in grid for v in row), default=0) or 1
    ax = fig.subplots()
    cmap = LinearSegmentedColormap.from_list("calls", ["#ffffff", "#c9d9ea", BLUE, NAVY])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=top, aspect="auto")
    for w, row in enumerate(grid):
        for i, value in enumerate(row):
            ax.text(
                i,
                w,
                fmt_int(value) if value else "·",
                ha="center",
                va="center",
                fontsize=7.5,
                color="white" if value > 0.55 * top else "#1d2733",
            )
    framed = [s for s in worst_slots({"inbound": inbound, "abandoned": abandoned}) if s[1] in hours]
    for weekday, hour, _, _ in framed:
        ax.add_patch(Rectangle((hours.index(hour) - 0.46, weekday - 0.44), 0.92, 0.88, fill=False, ec=RED, lw=1.8))
    ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours])
    ax.set_yticks(range(len(grid)), list(WEEKDAYS_TR[: len(grid)]))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks([i - 0.5 for i in range(1, len(hours))], minor=True)
    ax.set_yticks([w - 0.5 for w in range(1, len(grid))], minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel(
        "Saat (İstanbul)"
        + (" · kırmızı çerçeve: kaybedilen çağrı oranının en yüksek olduğu dilimler" if framed else "")
    )
    return fig


def _categories_chart(fig, categories: dict):
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    rows = sorted(categories.items(), key=lambda kv: (kv[0] != "unclassified", kv[1]))
    total = sum(categories.values()) or 1
    ax = fig.subplots()
    colours = [AMBER if k == "kapsam_dışı" else GREY if k == "unclassified" else BLUE for k, _ in rows]
    y = range(len(rows))
    ax.barh(y, [n for _, n in rows], color=colours, height=0.68)
    ax.set_yticks(y, [category_label(k) for k, _ in rows])
    top = max(n for _, n in rows) or 1
    for i, (_, n) in enumerate(rows):
        ax.text(n + top * 0.01, i, f"{fmt_int(n)}  ({fmt_pct(n / total)})", va="center", fontsize=7.5, color="#333d4a")
    ax.set_xlim(0, top * 1.22)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v)))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e3e7ec", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("Temas")
    return fig


# -- workbook ---------------------------------------------------------------------


def render_xlsx(report: dict) -> bytes:
    """The month as an Excel workbook: numbers as numbers, rates as percentages, header rows frozen;
    every cell written through `cells.write_cell`, so no text is ever a formula."""
    from datetime import date

    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    pct, secs, integer, decimal = "0.0%", "#,##0.0", "#,##0", "#,##0.00"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=NAVY.lstrip("#"))
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"Çağrı ve İletişim Merkezi — Aylık Rapor, {month_name(report.get('month'))}"
    wb.properties.creator = "Çağrı"

    def sheet(
        title: str,
        header: list[str],
        rows: list[list[Any]],
        formats: dict[int, str] | None = None,
        widths: list[int] | None = None,
    ):
        ws = wb.create_sheet(title)
        for c, value in enumerate(header, 1):
            cell = write_cell(ws, 1, c, value)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row, 1):
                write_cell(ws, r, c, None if _missing(value) else value)
        for col, number_format in (formats or {}).items():
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = number_format
        for i, width in enumerate(widths or [], 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        return ws

    calls = report.get("calls") or {}
    figures = _get(report, "month_over_month.figures") or {}
    kinds = {"count": integer, "rate": pct, "seconds": secs}
    rows: list[list[Any]] = []
    row_formats: list[str] = []
    for key, (label, kind, _) in METRICS.items():
        figure = figures.get(key) or {}
        rows.append(
            [
                label,
                figure.get("value", _get(report, key)),
                figure.get("previous"),
                figure.get("change"),
                {"count": "temas/çağrı", "rate": "oran", "seconds": "saniye"}[kind],
            ]
        )
        row_formats.append(kinds[kind])
    for label, value, number_format, unit in (
        ("Kuyruğa giren", calls.get("queued"), integer, "çağrı"),
        ("Kısa süreli kaybedilen (< 5 sn)", calls.get("short_abandoned"), integer, "çağrı"),
        ("Kuyruktan başka çıkış", calls.get("queue_exits_other"), integer, "çağrı"),
        ("Kaybedilenlerin ort. bekleme süresi", calls.get("avg_abandon_seconds"), secs, "saniye"),
        ("En uzun bekleme", _get(report, "calls_detail.longest_wait_seconds"), secs, "saniye"),
        ("İş günü", _get(report, "calls_detail.working_days"), integer, "gün"),
        ("Birimlere yönlendirme", _get(report, "referrals.created"), integer, "talep"),
    ):
        rows.append([label, value, None, None, unit])
        row_formats.append(number_format)
    ws = sheet(
        "Özet",
        [
            "Gösterge",
            month_name(report.get("month")),
            month_name(_get(report, "month_over_month.previous_month")),
            "Değişim",
            "Birim",
        ],
        rows,
        widths=[38, 14, 14, 12, 14],
    )
    for r, number_format in enumerate(row_formats, 2):
        for col in (2, 3, 4):
            ws.cell(r, col).number_format = number_format
        signed = {pct: "+0.0%;-0.0%;0.0%", secs: "+#,##0.0;-#,##0.0;0.0", integer: "+#,##0;-#,##0;0"}
        ws.cell(r, 4).number_format = signed.get(number_format, number_format)
    r = len(rows) + 3
    for title, lines in (
        ("Öne çıkanlar", (report.get("findings") or {}).get("tr") or []),
        ("Önerilen adımlar", next_steps(report)),
    ):
        write_cell(ws, r, 1, title).font = Font(bold=True)
        for line in lines:
            r += 1
            write_cell(ws, r, 1, line).alignment = Alignment(wrap_text=False)
        r += 2

    days = report.get("by_day") or []
    sheet(
        "Günlük",
        [
            "Tarih",
            "Gün",
            "Gelen",
            "Kuyruğa giren",
            "Cevaplanan",
            "Kaybedilen",
            "Sistem kesintisi",
            "Hizmet düzeyi",
            "Ort. cevaplama (sn)",
        ],
        [
            [
                date.fromisoformat(d["date"]),
                d.get("weekday"),
                d.get("inbound"),
                d.get("queued"),
                d.get("answered"),
                d.get("abandoned"),
                d.get("system_dropped"),
                d.get("service_level"),
                d.get("asa_seconds"),
            ]
            for d in days
        ],
        {1: "dd.mm.yyyy", 3: integer, 4: integer, 5: integer, 6: integer, 7: integer, 8: pct, 9: secs},
        [12, 12, 9, 13, 12, 12, 15, 13, 18],
    )

    heat = report.get("by_hour_weekday") or {}
    inbound = heat.get("inbound") or [[0] * 24 for _ in range(7)]
    abandoned = heat.get("abandoned") or [[0] * 24 for _ in range(7)]
    names = heat.get("weekdays") or list(WEEKDAYS_TR)
    ws = sheet(
        "Saatlik",
        [
            "Saat",
            *(f"Gelen — {n}" for n in names),
            "Gelen — toplam",
            *(f"Kaybedilen — {n}" for n in names),
            "Kaybedilen — toplam",
        ],
        [
            [
                hour_span(h),
                *(row[h] for row in inbound),
                sum(row[h] for row in inbound),
                *(row[h] for row in abandoned),
                sum(row[h] for row in abandoned),
            ]
            for h in range(24)
        ],
        widths=[13] + [11] * (2 * len(names) + 2),
    )
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "B2"
    last = get_column_letter(1 + len(names))
    ws.conditional_formatting.add(
        f"B2:{last}25", ColorScaleRule(start_type="min", start_color="FFFFFF", end_type="max", end_color="7FA7D1")
    )
    first_lost, last_lost = get_column_letter(3 + len(names)), get_column_letter(2 + 2 * len(names))
    ws.conditional_formatting.add(
        f"{first_lost}2:{last_lost}25",
        ColorScaleRule(start_type="min", start_color="FFFFFF", end_type="max", end_color="E8A39B"),
    )

    categories = report.get("by_category") or {}
    total = sum(categories.values())
    sheet(
        "Kategoriler",
        ["Konu", "Kod", "Temas", "Pay", "Not"],
        [
            [
                category_label(k),
                bounded(k),
                n,
                _share(n, total),
                "kapsam dışı (madde 6(5))" if k == "kapsam_dışı" else "",
            ]
            for k, n in sorted(categories.items(), key=lambda kv: (kv[0] == "unclassified", -kv[1]))
        ],
        {3: integer, 4: pct},
        [20, 16, 10, 9, 26],
    )

    sheet(
        "Temsilciler",
        ["Temsilci", "Cevaplanan", "Pay", "Ort. işlem süresi (sn)"],
        [
            [a.get("agent"), a.get("answered"), a.get("share"), a.get("aht_seconds")]
            for a in report.get("by_agent") or []
        ],
        {2: integer, 3: pct, 4: secs},
        [24, 12, 9, 20],
    )

    staffing = report.get("staffing") or {}
    ws = sheet(
        "Personel",
        ["Gün", "Saat", "Saatlik çağrı (ort.)", "Gereken temsilci", "Çalışan temsilci (ort.)", "Eksik", "Fazla"],
        [
            [
                WEEKDAYS_TR[s["weekday"]],
                hour_span(s["hour"]),
                s.get("calls_per_hour"),
                s.get("required"),
                s.get("at_work"),
                s.get("gap"),
                s.get("surplus"),
            ]
            for s in staffing.get("slots") or []
        ],
        {3: decimal, 4: integer, 5: decimal, 6: integer, 7: integer},
        [12, 13, 18, 16, 20, 8, 8],
    )
    r = ws.max_row + 2
    write_cell(ws, r, 1, "Hedef: çağrıların").font = Font(bold=True)
    write_cell(ws, r, 3, staffing.get("target_service_level")).number_format = pct
    write_cell(ws, r, 4, f"{staffing.get('target_seconds') or 20} saniyede")
    write_cell(ws, r + 1, 1, "Ort. işlem süresi (sn)").font = Font(bold=True)
    write_cell(ws, r + 1, 3, staffing.get("aht_seconds")).number_format = secs
    for i, line in enumerate((staffing.get("gaps") or {}).get("tr") or [], r + 3):
        write_cell(ws, i, 1, line)

    cb = report.get("callbacks") or {}
    rows = [["Ay içinde doğan", cb.get("created")]]
    rows += [[f"  neden: {CALLBACK_REASONS.get(k, k)}", v] for k, v in (cb.get("by_reason") or {}).items()]
    rows += [
        ["Tamamlanan", cb.get("completed")],
        ["Süresi içinde tamamlanan", cb.get("completed_within_sla")],
        ["Ortanca geri arama süresi (sn)", cb.get("median_seconds_to_callback")],
        ["Ulaşılamayan", cb.get("failed")],
        ["Numarası gizli ya da geçersiz", cb.get("unreachable")],
        ["İptal edilen", cb.get("cancelled")],
        ["Süresini aşan", cb.get("overdue")],
        ["Ay sonunda açık", cb.get("open_at_month_end")],
    ]
    ws = sheet("Geri aramalar", ["Gösterge", "Değer"], rows, {2: integer}, [34, 12])
    for label, value in ws.iter_rows(min_row=2, max_col=2):
        if str(label.value).startswith("Ortanca"):
            value.number_format = secs

    rf = report.get("referrals") or {}
    rows = [
        ["Yönlendirilen soru", rf.get("created")],
        ["Birimler arası aktarma", rf.get("forwards")],
        ["Birimin yanıtladığı", rf.get("answered")],
        ["Süresi içinde yanıtlanan", rf.get("answered_on_time")],
        ["Geciken", rf.get("late")],
        ["Birim yöneticisine iletilen", rf.get("escalated")],
        ["Ortanca birim yanıt süresi (mesai saati)", rf.get("median_unit_working_hours")],
        ["%90 birim yanıt süresi (mesai saati)", rf.get("p90_unit_working_hours")],
        ["Yanıtı arayana iletilen", rf.get("returned")],
        ["Ortanca aramadan dönüşe (mesai saati)", rf.get("median_call_to_return_working_hours")],
        ["Süresi dolan", rf.get("expired")],
        ["İptal edilen", rf.get("cancelled")],
        ["Ay sonunda açık", rf.get("open_at_month_end")],
    ]
    sheet("Yönlendirmeler", ["Gösterge", "Değer"], rows, widths=[40, 12])
    sheet(
        "Birimler",
        ["Birim", "Gelen", "Yanıtlanan", "Geciken", "Aktarılan", "Ortanca (mesai sa.)", "%90 (mesai sa.)"],
        [
            [
                u.get("name"),
                u.get("received"),
                u.get("answered"),
                u.get("late"),
                u.get("forwarded_on"),
                u.get("median_working_hours"),
                u.get("p90_working_hours"),
            ]
            for u in (rf.get("by_unit") or {}).values()
        ],
        widths=[44, 10, 12, 10, 10, 18, 16],
    )

    ws = sheet(
        "Tanımlar",
        ["Anahtar", "Gösterge", "Tanım", "Definition"],
        [
            [k, DEFINITION_LABELS.get(k, k), v.get("tr"), v.get("en")]
            for k, v in (report.get("definitions") or {}).items()
        ],
        widths=[24, 26, 70, 70],
    )
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_html_file(report: dict, charts: dict[str, bytes]) -> str:
    """The e-mail body as a standalone page: each chart inlined as a data URI instead of a Content-ID."""
    import base64

    html = render_html(report, {name: name for name in charts})
    for name, png in charts.items():
        html = html.replace(f'src="cid:{name}"', f'src="data:image/png;base64,{base64.b64encode(png).decode()}"')
    return html
