"""What the office should do next, from the report's figures: staffing gaps, callbacks left open or
late, faults, avoidable demand; each step only when the figures support it, most pressing first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.core.turkish import WEEKDAYS_TR
from chalicelib.core.workhours import default_calendar
from chalicelib.reports.agent_figures import judged_weeks, week_span
from chalicelib.reports.cells import category_label
from chalicelib.reports.formatting import day_name, finite, fmt_int, fmt_num, fmt_pct, hour_span, share
from chalicelib.reports.hours import heat_facts, worst_slot
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.satisfaction import LOW_AVERAGE, low_scores

LISTED = 3  # staffing slots named in one step; the rest are counted


def next_steps(report: MonthlyReport | Mapping[str, Any]) -> list[str]:
    """The steps in Turkish, most pressing first."""
    report = read(report)
    steps: list[str] = []
    calls, callbacks = report.calls, report.callbacks
    target, target_seconds = report.staffing.targets()
    gaps = report.staffing.gaps.tr
    short = [s for s in gaps if "eksik" in s]
    spare = [s for s in gaps if "fazla" in s]

    sl = finite(calls.service_level)
    if sl is not None and sl < target:
        worst = worst_slot(report.by_hour_weekday)
        where = (
            f" En çok kayıp {WEEKDAYS_TR[worst.weekday]} {hour_span(worst.hour)} diliminde ({worst.offered} "
            f"çağrının {worst.lost} tanesi)."
            if worst
            else ""
        )
        steps.append(
            f"Hizmet düzeyi {fmt_pct(sl)} ile %{target * 100:.0f} hedefinin altında kaldı: "
            f"{target_seconds} saniyede cevaplanamayan çağrılar için aşağıdaki eksik saatlere "
            f"öncelik verin.{where}"
        )
    if short:
        steps.append(
            "Vardiya planına temsilci ekleyin ya da mola ve öğle arasını bu saatlerin dışına kaydırın: "
            f"{_listed(short)}."
        )
    busy = judged_weeks(report, high=True)
    if busy:
        steps.append(
            "Doluluğun %85'i aştığı haftalarda ("
            + ", ".join(week_span(w)[0] for w in busy)
            + ") temsilciler görüşmeden görüşmeye geçti: bu dönemler için ek temsilci planlayın, mola ve "
            "eğitimleri yoğun saatlerin dışına alın."
        )
    overdue, still_open = callbacks.overdue or 0, callbacks.open_at_month_end or 0
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
    within = share(callbacks.completed_within_sla, callbacks.completed)
    if within is not None and within < 0.9 and (callbacks.completed or 0) >= 10:
        steps.append(
            f"Tamamlanan geri aramaların yalnızca {fmt_pct(within)} kadarı süresi içinde yapıldı: "
            f"geri arama listesine mesai başında ve öğleden sonra ayrı zaman ayırın."
        )
    dropped = calls.system_dropped or 0
    if dropped:
        worst_day = max(report.by_day, key=lambda d: d.system_dropped or 0, default=None)
        peak = ""
        if worst_day and (worst_day.system_dropped or 0) >= 2:
            peak = f"; en çok {day_name(worst_day.date)} ({worst_day.system_dropped})"
        steps.append(
            f"{fmt_int(dropped)} çağrı sistem ya da hat arızasıyla kesildi{peak}. Kesinti kayıtlarını "
            f"Bilgi İşlem ve hat sağlayıcısıyla inceleyin; arayanların geri arandığını Geri aramalar "
            f"bölümünden doğrulayın."
        )
    lows = low_scores(report.satisfaction, report.satisfaction_detail)
    if lows:
        low = lows[0]
        where = (
            f"“{category_label(low.key)}” çağrılarında"
            if low.kind == "category"
            else f"{hour_span(int(low.key))} arasındaki çağrılarda"
        )
        steps.append(
            f"Memnuniyet {where} {fmt_num(low.average)} puanla {fmt_num(LOW_AVERAGE)} eşiğinin altında kaldı "
            f"({fmt_int(low.responses)} yanıt): bu çağrılardan örnekleri temsilcilerle birlikte dinleyip "
            "nedenleri ve bir iyileştirme planı çıkarın (madde 5(3))."
        )
    contacts = sum(report.by_category.values())
    oos = report.out_of_scope or 0
    oos_share = share(oos, contacts)
    if oos_share is not None and oos_share >= 0.05:
        steps.append(
            f"Temasların {fmt_pct(oos_share)} kadarı ({fmt_int(oos)}) üniversitenin görev alanı dışındaydı "
            f"(madde 6(5)): sık gelen bu konular için karşılama anonsuna ve web sitesine yönlendirme "
            f"eklemek hattı rahatlatır."
        )
    heat = heat_facts(report.by_hour_weekday)
    off_hours = heat.weekend + heat.outside
    off_share = share(off_hours, heat.total)
    if off_share is not None and off_share >= 0.10:
        asked = report.callbacks.requested_out_of_hours
        # Since the closed branch offers "call me back when we open" (6(4)), say how many took it.
        taken = f" {fmt_int(asked)} arayan açılışta geri aranmayı istedi." if asked else ""
        hours = default_calendar()
        steps.append(
            f"Çağrıların {fmt_pct(off_share)} kadarı ({fmt_int(off_hours)}) hafta sonu ya da 08:00–19:00 "
            f"dışında geldi (mesai {hours.opening:%H:%M}–{hours.closing:%H:%M}).{taken} Kapalı saat "
            f"anonsunun arayanı web sitesine ve e-posta adresine yönlendirdiğinden ve geri arama "
            f"teklifinin duyulduğundan emin olun."
        )
    if spare:
        steps.append(
            f"Fazla temsilci görülen saatlerde ({_listed(spare)}) temsilcileri geri arama, sohbet ve "
            f"e-posta işlerine yönlendirin."
        )
    if not report.contacts.total:
        steps.append(
            "Bu ay hiç temas kaydı yok. Merkez bu ay kapalı değilse Amazon Connect'ten gelen kayıtların "
            "(temas olayları, çağrı kayıtları) akışını Bilgi İşlem ile kontrol edin."
        )
    elif not steps and (calls.inbound or 0):
        steps.append(
            "Bu ay ek bir önlem gerekmiyor: hizmet düzeyi hedefte, açık geri arama ve personel eksiği "
            "yok. Mevcut plan sürdürülebilir."
        )
    return steps


def _listed(slots: list[str]) -> str:
    more = len(slots) - LISTED
    return "; ".join(slots[:LISTED]) + (f" ve {more} dilim daha" if more > 0 else "")
