"""Pure: three to five sentences the report writes from its own figures, Turkish first.

Each sentence is there only when the figures support it: what the General Secretary should know,
and where the supervisor should act (worst hours, staffing gaps, a week's occupancy above 85 % or below
50 %, low satisfaction, categories that grew, faults).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.core.turkish import WEEKDAYS_EN, WEEKDAYS_TR
from chalicelib.reports.agent_figures import occupancy_findings
from chalicelib.reports.cells import category_label
from chalicelib.reports.formatting import fmt_num, hour_span
from chalicelib.reports.hours import worst_slot
from chalicelib.reports.model import Lines, MonthlyReport, read
from chalicelib.reports.reconciliation import finding as reconciliation_finding
from chalicelib.reports.satisfaction import LOW_AVERAGE, LowScore, low_scores


def _pct(value: float | None) -> str:
    return "—" if value is None else f"%{value * 100:.0f}"


def _pct_en(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _sl(value: float | None, target: float) -> tuple[str, str]:
    """The service level in Turkish and English: with one decimal where whole percents would read as the
    target itself while it is above or below it (not "%80, above the 80 % target" for 80.1 %)."""
    if value is None or round(value * 100) != round(target * 100) or value == target:
        return _pct(value), _pct_en(value)
    tenths = f"{value * 100:.1f}"
    return f"%{tenths.replace('.', ',')}", f"{tenths}%"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def findings(report: MonthlyReport | Mapping[str, Any], previous: MonthlyReport | Mapping[str, Any]) -> Lines:
    """The sentences for `report`, given last month's (as stored, or its core figures only)."""
    report, previous = read(report), read(previous)
    tr: list[str] = []
    en: list[str] = []
    calls = report.calls
    target, seconds = report.staffing.targets()

    sl, prior_sl = calls.service_level, previous.calls.service_level
    trend_tr = trend_en = ""
    if sl is not None and prior_sl is not None:
        diff = (sl - prior_sl) * 100
        if abs(diff) >= 1:
            trend_tr = f" (geçen ay {_pct(prior_sl)}, {abs(diff):.0f} puan {'arttı' if diff > 0 else 'düştü'})"
            trend_en = f" (last month {_pct_en(prior_sl)}, {'up' if diff > 0 else 'down'} {abs(diff):.0f} points)"
    # A difference from Connect's own figures that no known reason explains: second only to the headline.
    beside_connect = reconciliation_finding(report.reconciliation)
    if not calls.inbound:
        return Lines(
            tr=[
                "Bu ay hiç gelen çağrı kaydedilmedi: Amazon Connect veri akışının (olaylar ve çağrı "
                "kayıtları) çalıştığını kontrol edin."
            ]
            + ([beside_connect[0]] if beside_connect else []),
            en=[
                "No inbound calls were recorded this month: check the Amazon Connect data feeds "
                "(contact events and contact records)."
            ]
            + ([beside_connect[1]] if beside_connect else []),
        )
    verdict_tr = "hedefin üzerinde" if sl is not None and sl >= target else "hedefin altında"
    verdict_en = "above target" if sl is not None and sl >= target else "below target"
    if sl == target:
        verdict_tr, verdict_en = "hedefte", "on target"
    sl_tr, sl_en = _sl(sl, target)
    tr.append(
        f"Bu ay {_n(calls.inbound)} çağrı geldi, {_n(calls.answered or 0)} tanesi cevaplandı; "
        f"{seconds} saniyede cevaplama oranı {sl_tr}{trend_tr}, %{target * 100:.0f} {verdict_tr}."
    )
    en.append(
        f"{calls.inbound:,} calls came in and {calls.answered or 0:,} were answered; "
        f"{sl_en} were answered within {seconds} s{trend_en}, {verdict_en} ({target * 100:.0f}%)."
    )
    if beside_connect:
        tr.append(beside_connect[0])
        en.append(beside_connect[1])

    worst = worst_slot(report.by_hour_weekday)
    if worst:
        weekday, hour, lost, offered = worst
        tr.append(
            f"En çok çağrı {WEEKDAYS_TR[weekday]} {hour:02d}:00–{hour + 1:02d}:00 arasında kaybedildi: "
            f"{offered} çağrının {lost} tanesi ({_pct(lost / offered)})."
        )
        en.append(
            f"Most calls were lost on {WEEKDAYS_EN[weekday]}s {hour:02d}:00–{hour + 1:02d}:00: "
            f"{lost} of {offered} ({_pct_en(lost / offered)})."
        )

    gaps = report.staffing.gaps
    short_tr = [s for s in gaps.tr if "eksik" in s]
    short_en = [s for s in gaps.en if "short" in s]
    if short_tr:
        more = f" (ve {len(short_tr) - 1} başka zaman dilimi)" if len(short_tr) > 1 else ""
        tr.append(f"Personel planı: {short_tr[0]}{more}.")
        en.append(f"Staffing: {short_en[0]}" + (f" (and {len(short_en) - 1} more)" if len(short_en) > 1 else "") + ".")
    occupancy = occupancy_findings(report)
    tr += occupancy.tr
    en += occupancy.en

    low = _low_satisfaction(report)
    if low:
        tr.append(low[0])
        en.append(low[1])

    grown = _grown_category(report, previous)
    if grown:
        key, before, now = grown
        name = category_label(key)  # an unknown one as written, bounded
        tr.append(f"“{name}” çağrıları geçen aya göre {_pct((now - before) / before)} arttı ({before} → {now}).")
        en.append(f"“{name}” contacts grew {_pct_en((now - before) / before)} on last month ({before} → {now}).")

    dropped = calls.system_dropped
    callbacks = report.callbacks
    if dropped:
        completed, within = callbacks.completed or 0, callbacks.completed_within_sla or 0
        still_open = callbacks.open_at_month_end or 0
        tr.append(
            f"Sistem kaynaklı {dropped} kesinti oldu; bu ay {completed} geri arama "
            f"tamamlandı, {within} tanesi süresi içinde; "
            f"{still_open} geri arama ay sonunda açıktı."
        )
        en.append(
            f"{dropped} {'call was' if dropped == 1 else 'calls were'} cut off by system faults; "
            f"{completed} callbacks were "
            f"completed this month, {within} within their SLA; "
            f"{still_open} were still open at month end."
        )

    late_units = _late_units(report)
    if late_units:
        names = ", ".join(f"{name} ({late}/{received})" for name, late, received in late_units[:3])
        tr.append(f"Yönlendirmelere geç yanıt veren birimler (geciken/gelen): {names}.")
        en.append(f"Units that answered referrals late (late/received): {names}.")

    return Lines(tr=tr[:5], en=en[:5])


def _low_tr(low: LowScore) -> str:
    where = (
        f"“{category_label(low.key)}” çağrıları"
        if low.kind == "category"
        else f"{hour_span(int(low.key))} arasındaki çağrılar"
    )
    return f"{where} {fmt_num(low.average)} ({low.responses} yanıt)"


def _low_en(low: LowScore) -> str:
    where = f"“{category_label(low.key)}” calls" if low.kind == "category" else f"calls at {hour_span(int(low.key))}"
    return f"{where} {low.average:.1f} ({low.responses} responses)"


def _low_satisfaction(report: MonthlyReport) -> tuple[str, str] | None:
    """The month's mean score and the lowest category and hour below the threshold (5(1)–(3))."""
    lows = low_scores(report.satisfaction, report.satisfaction_detail)
    named = [next((low for low in lows if low.kind == kind), None) for kind in ("category", "hour")]
    shown = sorted((low for low in named if low), key=lows.index)
    if not shown:
        return None
    s = report.satisfaction
    return (
        f"Arayanların memnuniyeti ortalama {fmt_num(s.average)} puan ({s.responses} yanıt); "
        f"{fmt_num(LOW_AVERAGE)} eşiğinin altında kalanlar: " + ", ".join(_low_tr(low) for low in shown) + ".",
        f"Callers' satisfaction averaged {s.average} ({s.responses} responses); below the {LOW_AVERAGE} "
        "threshold: " + ", ".join(_low_en(low) for low in shown) + ".",
    )


def _late_units(report: MonthlyReport) -> list[tuple[str, int, int]]:
    """Units with late answers, worst share first (at least two late, so one slip is not a finding)."""
    late = [
        (u.name or k, u.late, u.received or 0)
        for k, u in report.referrals.by_unit.items()
        if u.late is not None and u.late >= 2
    ]
    return sorted(late, key=lambda t: (-t[1] / t[2], -t[1], t[0]))


def _grown_category(report: MonthlyReport, previous: MonthlyReport) -> tuple[str, int, int] | None:
    before = previous.by_category
    candidates = [
        (name, before[name], now)
        for name, now in report.by_category.items()
        if name != "unclassified" and before.get(name, 0) >= 10 and now > before[name] * 1.2
    ]
    return max(candidates, key=lambda c: c[2] / c[1]) if candidates else None
