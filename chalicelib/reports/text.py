"""The plain-text alternative of the e-mail: the same content as the HTML, without charts, in Turkish,
prose wrapped for a mail reader and tables in aligned columns."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

from chalicelib.core.turkish import WEEKDAYS_SHORT_TR
from chalicelib.reports.formatting import fmt_int, fmt_pct, fmt_secs, upper_tr
from chalicelib.reports.hours import HEAT_HOURS
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.view import context


def _table(rows: list[list[str]], align: str) -> list[str]:
    """Plain-text columns: `align` has one "<" or ">" per column."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(align))]
    return [
        "  ".join(
            cell.ljust(w) if a == "<" else cell.rjust(w) for cell, w, a in zip(row, widths, align, strict=True)
        ).rstrip()
        for row in rows
    ]


def render_text(report: MonthlyReport | Mapping[str, Any]) -> str:
    """The plain-text alternative: the same content, no charts, Turkish."""
    report = read(report)
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
    for d in report.by_day:
        rows.append(
            [
                d.date[8:10] + "." + d.date[5:7],
                str(d.weekday or ""),
                fmt_int(d.inbound),
                fmt_int(d.answered),
                fmt_int(d.abandoned),
                fmt_int(d.system_dropped),
                fmt_pct(d.service_level),
                fmt_secs(d.asa_seconds),
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
    inbound = report.by_hour_weekday.inbound
    if inbound:
        rows = [["", *(f"{h:02d}" for h in HEAT_HOURS)]]
        rows += [[WEEKDAYS_SHORT_TR[w], *(str(row[h]) for h in HEAT_HOURS)] for w, row in enumerate(inbound)]
        out.extend(_table(rows, "<" + ">" * len(HEAT_HOURS)))

    heading("Konular (madde 4(c)) ve kapsam dışı (madde 6(5))")
    rows = [["Konu", "Temas", "Pay"]] + [[r["name"], r["count"], r["share"]] for r in c["categories"]]
    out.extend(_table(rows, "<>>"))
    out.append(f"Toplam {c['categories_total']} gelen temas; kapsam dışı: {c['out_of_scope']}.")

    heading("Memnuniyet ve kalite (madde 5(1)–(3))")
    sv = c["satisfaction"]
    if sv["any"]:
        rows = [["", "Bu ay", "Geçen ay", "Değişim"]]
        rows += [[r["label"], r["value"], r["previous"], f"{r['arrow']} {r['change']}".strip()] for r in sv["summary"]]
        out.extend(_table(rows, "<>><"))
        if sv["resolved_note"]:
            out.append(sv["resolved_note"] + ".")
        if sv["low"]:
            out.append(f"Düşük puanlı ({sv['threshold']}): " + "; ".join(sv["low"]) + ".")
        if sv["categories"]:
            rows = [["Konu", "Yanıt", "Ort. puan"]]
            rows += [[r["name"], r["responses"], r["average"] + (" !" if r["low"] else "")] for r in sv["categories"]]
            out.extend(["", *_table(rows, "<>>")])
        if sv["agents"]:
            rows = [["Temsilci", "Yanıt", "Ort. puan", "Çözülen"]]
            rows += [
                [a["name"], a["responses"], a["average"] + (" !" if a["low"] else ""), a["resolved"]]
                for a in sv["agents"]
            ]
            out.extend(["", *_table(rows, "<>>>")])
        if sv["hours"]:
            out.append("")
            rows = [["Saat", *(h["hour"] for h in sv["hours"])]]
            rows.append(["Puan", *(h["average"] + (" !" if h["low"] else "") for h in sv["hours"])])
            rows.append(["Yanıt", *(h["responses"] for h in sv["hours"])])
            out.extend(_table(rows, "<" + ">" * len(sv["hours"])))
            out.append("Saat: çağrının başladığı saat; ! düşük puanlı.")
    else:
        out.append("Bu ay anket yanıtı yok.")

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
    out.append(st["source_note"])

    heading("Temsilci zamanı (madde 7(b))")
    at = c["agent_time"]
    if at:
        out.append(
            f"Oturum açık geçen süre {at['total']}: görüşmede {at['on_contact']}, Müsait {at['available']}, "
            f"mola ve diğer durumlarda {at['breaks']}; doluluk {at['occupancy']} (%50–85 sağlıklı aralık)."
        )
        rows = [["Temsilci", "Oturum", "Görüşmede", "Müsait", "Mola vb.", "Doluluk"]]
        rows += [
            [a["name"], a["hours"], a["on_contact"], a["available"], a["breaks"], a["occupancy"]] for a in at["rows"]
        ]
        out.extend(_table(rows, "<>>>>>"))
        if at["statuses"]:
            out.append(
                "Duruma göre: " + " · ".join(f"{s['name']} {s['hours']} ({s['share']})" for s in at["statuses"]) + "."
            )
        if at["weeks"]:
            out.append("Haftalık doluluk: " + " · ".join(f"{w['span']} {w['occupancy']}" for w in at["weeks"]) + ".")
        if at["without_logout"]:
            out.append(
                f"Çıkış yapılmadan bırakılan {at['without_logout']} oturum, son olaydan 120 saniye sonra kapandı."
            )
    else:
        out.append("Bu ay temsilci olay akışından kayıt gelmedi: oturum süresi ve doluluk hesaplanamadı.")

    heading("Temsilciler")
    if c["agents"]:
        rows = [["Temsilci", "Cevaplanan", "Pay", "Ort. işlem"]]
        rows += [[a["name"], a["answered"], a["share"], a["aht"]] for a in c["agents"]]
        out.extend(_table(rows, "<>>>"))
    else:
        out.append("Bu ay cevaplanan çağrı yok.")

    heading("Amazon Connect ile karşılaştırma")
    beside = c["reconciliation"]
    out.append(beside["lead"])
    if beside["rows"]:
        rows = [["Gösterge", "Bizde", "Connect", "Fark", "Durum"]]
        rows += [[r["label"], r["ours"], r["connect"], r["difference"], r["verdict"]] for r in beside["rows"]]
        out.extend(_table(rows, "<>>><"))
        out.extend(f"- {r['text']}" for r in beside["rows"])

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
    marker = re.match(r"\s*(?:- |\d+\. )?", line).group()  # type: ignore[union-attr]  # matches any line
    return textwrap.fill(line, width, subsequent_indent=" " * len(marker), break_on_hyphens=False)
