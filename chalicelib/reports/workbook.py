"""The month as an Excel workbook (the e-mail's attachment): a sheet per part of the report, numbers
as numbers, every cell written through `cells.write_cell`.

openpyxl is heavy and imported inside `render_xlsx` only: the event Lambdas import this package and
must stay fast.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.turkish import WEEKDAYS_TR
from chalicelib.reports.advice import next_steps
from chalicelib.reports.agent_view import staffing_source_note
from chalicelib.reports.cells import bounded, category_label, write_cell
from chalicelib.reports.formatting import hour_span, missing, month_name, share
from chalicelib.reports.labels import CALLBACK_REASONS, DEFINITION_LABELS, METRICS
from chalicelib.reports.model import MonthlyReport, read
from chalicelib.reports.palette import NAVY
from chalicelib.reports.reconciliation import view as reconciliation_view


def render_xlsx(report: MonthlyReport | Mapping[str, Any]) -> bytes:
    """The month as an Excel workbook: numbers as numbers, rates as percentages, header rows frozen;
    every cell written through `cells.write_cell`, so no text is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    pct, secs, integer, decimal = "0.0%", "#,##0.0", "#,##0", "#,##0.00"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=NAVY.lstrip("#"))
    wrap = Alignment(wrap_text=True, vertical="top")

    report = read(report)
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the blank sheet a new workbook starts with
    wb.properties.title = f"Çağrı ve İletişim Merkezi — Aylık Rapor, {month_name(report.month)}"
    wb.properties.creator = "Çağrı"

    def sheet(
        title: str,
        header: list[str],
        rows: list[list[Any]],
        formats: dict[int, str] | None = None,
        widths: list[int] | None = None,
    ) -> Any:  # an openpyxl worksheet
        ws = wb.create_sheet(title)
        for c, value in enumerate(header, 1):
            cell = write_cell(ws, 1, c, value)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row, 1):
                write_cell(ws, r, c, None if missing(value) else value)
        for col, number_format in (formats or {}).items():
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = number_format
        for i, width in enumerate(widths or [], 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        return ws

    calls = report.calls
    kinds = {"count": integer, "rate": pct, "seconds": secs, "score": "0.0"}
    rows: list[list[Any]] = []
    row_formats: list[str] = []
    for key, (label, kind, _) in METRICS.items():
        figure = report.headline(key)
        rows.append(
            [
                label,
                figure.value,
                figure.previous,
                figure.change,
                {"count": "temas/çağrı", "rate": "oran", "seconds": "saniye", "score": "puan (1–5)"}[kind],
            ]
        )
        row_formats.append(kinds[kind])
    for label, value, number_format, unit in (
        ("Kuyruğa giren", calls.queued, integer, "çağrı"),
        (f"Kısa süreli kaybedilen (< {settings().short_abandon_seconds} sn)", calls.short_abandoned, integer, "çağrı"),
        ("Kuyruktan başka çıkış", calls.queue_exits_other, integer, "çağrı"),
        ("Kaybedilenlerin ort. bekleme süresi", calls.avg_abandon_seconds, secs, "saniye"),
        ("En uzun bekleme", report.calls_detail.longest_wait_seconds, secs, "saniye"),
        ("İş günü", report.calls_detail.working_days, integer, "gün"),
        ("Birimlere yönlendirme", report.referrals.created, integer, "talep"),
        ("Ankete yanıt veren çağrı", report.satisfaction.responses, integer, "çağrı"),
        ("Geçersiz anket yanıtı (1–5 dışında)", report.satisfaction_detail.invalid, integer, "çağrı"),
    ):
        rows.append([label, value, None, None, unit])
        row_formats.append(number_format)
    ws = sheet(
        "Özet",
        [
            "Gösterge",
            month_name(report.month),
            month_name(report.month_over_month.previous_month),
            "Değişim",
            "Birim",
        ],
        rows,
        widths=[38, 14, 14, 12, 14],
    )
    for r, number_format in enumerate(row_formats, 2):
        for col in (2, 3, 4):
            ws.cell(r, col).number_format = number_format
        signed = {
            pct: "+0.0%;-0.0%;0.0%",
            secs: "+#,##0.0;-#,##0.0;0.0",
            integer: "+#,##0;-#,##0;0",
            "0.0": "+0.0;-0.0;0.0",
        }
        ws.cell(r, 4).number_format = signed.get(number_format, number_format)
    r = len(rows) + 3
    for title, lines in (
        ("Öne çıkanlar", report.findings.tr),
        ("Önerilen adımlar", next_steps(report)),
    ):
        write_cell(ws, r, 1, title).font = Font(bold=True)
        for line in lines:
            r += 1
            write_cell(ws, r, 1, line).alignment = Alignment(wrap_text=False)
        r += 2

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
                date.fromisoformat(d.date),
                d.weekday,
                d.inbound,
                d.queued,
                d.answered,
                d.abandoned,
                d.system_dropped,
                d.service_level,
                d.asa_seconds,
            ]
            for d in report.by_day
        ],
        {1: "dd.mm.yyyy", 3: integer, 4: integer, 5: integer, 6: integer, 7: integer, 8: pct, 9: secs},
        [12, 12, 9, 13, 12, 12, 15, 13, 18],
    )

    heat = report.by_hour_weekday
    inbound = heat.inbound or [[0] * 24 for _ in range(7)]
    abandoned = heat.abandoned or [[0] * 24 for _ in range(7)]
    names = heat.weekdays or list(WEEKDAYS_TR)
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

    categories = report.by_category
    total = sum(categories.values())
    sheet(
        "Kategoriler",
        ["Konu", "Kod", "Temas", "Pay", "Not"],
        [
            [
                category_label(k),
                bounded(k),
                n,
                share(n, total),
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
        [[a.agent, a.answered, a.share, a.aht_seconds] for a in report.by_agent],
        {2: integer, 3: pct, 4: secs},
        [24, 12, 9, 20],
    )

    agents_time, activity = report.agents_time, report.agent_activity
    detail = activity.by_agent if activity else {}
    by_agent = agents_time.by_agent if agents_time else {}
    ws = sheet(
        "Temsilci zamanı",
        ["Temsilci", "Oturum (sa)", "Görüşmede (sa)", "Müsait (sa)", "Mola vb. (sa)", "Doluluk", "Çıkışsız oturum"],
        [
            [
                name,
                a.logged_in_hours,
                detail[name].on_contact_hours if name in detail else None,
                detail[name].available_hours if name in detail else None,
                detail[name].break_hours if name in detail else None,
                a.occupancy,
                detail[name].sessions_without_logout if name in detail else None,
            ]
            for name, a in by_agent.items()
        ]
        + (
            [["Toplam", agents_time.logged_in_hours, None, None, None, activity.occupancy if activity else None, None]]
            if agents_time
            else [["Bu ay temsilci olay akışından kayıt gelmedi."]]
        ),
        {2: decimal, 3: decimal, 4: decimal, 5: decimal, 6: pct, 7: integer},
        [20, 12, 14, 12, 14, 10, 15],
    )
    if activity is not None:
        r = ws.max_row + 2
        write_cell(ws, r, 1, "Duruma göre (sa)").font = Font(bold=True)
        for name, hours in activity.by_status.items():
            r += 1
            write_cell(ws, r, 1, name)
            write_cell(ws, r, 2, hours).number_format = decimal
        r += 2
        for col, title in ((1, "Hafta"), (2, "Oturum (sa)"), (3, "Görüşmede (sa)"), (6, "Doluluk")):
            write_cell(ws, r, col, title).font = Font(bold=True)
        for week in activity.weeks:
            r += 1
            write_cell(ws, r, 1, f"{week.first_day} – {week.last_day}")
            write_cell(ws, r, 2, week.logged_in_hours).number_format = decimal
            write_cell(ws, r, 3, week.on_contact_hours).number_format = decimal
            write_cell(ws, r, 6, week.occupancy).number_format = pct

    survey, survey_detail = report.satisfaction, report.satisfaction_detail
    sheet(
        "Memnuniyet",
        ["Kırılım", "Ad", "Yanıt", "Ort. puan (1–5)", "Sorunu çözülen"],
        [
            *(
                ["Konu", category_label(k), g.responses, g.average, None]
                for k, g in sorted(survey.by_category.items(), key=lambda kv: -(kv[1].responses or 0))
            ),
            *(["Temsilci", a.agent, a.responses, a.average, a.resolved_rate] for a in survey_detail.by_agent),
            *(["Saat", hour_span(int(h)), g.responses, g.average, None] for h, g in survey_detail.by_hour.items()),
        ],
        {3: integer, 4: "0.0", 5: pct},
        [12, 24, 10, 16, 16],
    )

    staffing = report.staffing
    ws = sheet(
        "Personel",
        ["Gün", "Saat", "Saatlik çağrı (ort.)", "Gereken temsilci", "Çalışan temsilci (ort.)", "Eksik", "Fazla"],
        [
            [WEEKDAYS_TR[s.weekday], hour_span(s.hour), s.calls_per_hour, s.required, s.at_work, s.gap, s.surplus]
            for s in staffing.slots
        ],
        {3: decimal, 4: integer, 5: decimal, 6: integer, 7: integer},
        [12, 13, 18, 16, 20, 8, 8],
    )
    r = ws.max_row + 2
    write_cell(ws, r, 1, "Hedef: çağrıların").font = Font(bold=True)
    write_cell(ws, r, 3, staffing.target_service_level).number_format = pct
    write_cell(ws, r, 4, f"{staffing.targets()[1]} saniyede")
    write_cell(ws, r + 1, 1, "Ort. işlem süresi (sn)").font = Font(bold=True)
    write_cell(ws, r + 1, 3, staffing.aht_seconds).number_format = secs
    write_cell(ws, r + 2, 1, staffing_source_note(report))
    for i, line in enumerate(staffing.gaps.tr, r + 4):
        write_cell(ws, i, 1, line)

    cb = report.callbacks
    rows = [["Ay içinde doğan", cb.created]]
    rows += [[f"  neden: {CALLBACK_REASONS.get(k, k)}", v] for k, v in cb.by_reason.items()]
    rows += [["  mesai dışında istenen (açılışta aranır)", cb.requested_out_of_hours]]
    rows += [
        ["Tamamlanan", cb.completed],
        ["Süresi içinde tamamlanan", cb.completed_within_sla],
        ["Ortanca geri arama süresi (sn)", cb.median_seconds_to_callback],
        ["Ulaşılamayan", cb.failed],
        ["Numarası gizli ya da geçersiz", cb.unreachable],
        ["İptal edilen", cb.cancelled],
        ["Süresini aşan", cb.overdue],
        ["Ay sonunda açık", cb.open_at_month_end],
    ]
    ws = sheet("Geri aramalar", ["Gösterge", "Değer"], rows, {2: integer}, [34, 12])
    for label, value in ws.iter_rows(min_row=2, max_col=2):
        if str(label.value).startswith("Ortanca"):
            value.number_format = secs

    rf = report.referrals
    rows = [
        ["Yönlendirilen soru", rf.created],
        ["Birimler arası aktarma", rf.forwards],
        ["Birimin yanıtladığı", rf.answered],
        ["Süresi içinde yanıtlanan", rf.answered_on_time],
        ["Geciken", rf.late],
        ["Birim yöneticisine iletilen", rf.escalated],
        ["Ortanca birim yanıt süresi (mesai saati)", rf.median_unit_working_hours],
        ["%90 birim yanıt süresi (mesai saati)", rf.p90_unit_working_hours],
        ["Yanıtı arayana iletilen", rf.returned],
        ["Ortanca aramadan dönüşe (mesai saati)", rf.median_call_to_return_working_hours],
        ["Süresi dolan", rf.expired],
        ["İptal edilen", rf.cancelled],
        ["Ay sonunda açık", rf.open_at_month_end],
    ]
    sheet("Yönlendirmeler", ["Gösterge", "Değer"], rows, widths=[40, 12])
    sheet(
        "Birimler",
        ["Birim", "Gelen", "Yanıtlanan", "Geciken", "Aktarılan", "Ortanca (mesai sa.)", "%90 (mesai sa.)"],
        [
            [
                u.name,
                u.received,
                u.answered,
                u.late,
                u.forwarded_on,
                u.median_working_hours,
                u.p90_working_hours,
            ]
            for u in rf.by_unit.values()
        ],
        widths=[44, 10, 12, 10, 10, 18, 16],
    )

    beside, figures = reconciliation_view(report.reconciliation), report.reconciliation.figures
    ws = sheet(
        "Connect karşılaştırması",
        ["Gösterge", "GetMetricDataV2", "Bizde", "Connect", "Bilinen nedenlerle beklenen", "Açıklanamayan"]
        + ["Durum", "Açıklama"],
        [
            [r["label"], r["metric"], f.ours, f.connect, f.expected, f.unexplained, r["verdict"], r["text"]]
            for r, f in zip(beside["rows"], figures, strict=True)
        ],
        widths=[30, 20, 12, 12, 16, 14, 16, 100],
    )
    for r, f in enumerate(figures, 2):
        number_format = {"service_level": pct, "aht_seconds": secs}.get(f.key or "", integer)
        for col in (3, 4, 5, 6):
            ws.cell(r, col).number_format = number_format
    write_cell(ws, len(figures) + 3, 1, beside["lead"])

    ws = sheet(
        "Tanımlar",
        ["Anahtar", "Gösterge", "Tanım", "Definition"],
        [[k, DEFINITION_LABELS.get(k, k), v.tr, v.en] for k, v in report.definitions.items()],
        widths=[24, 26, 70, 70],
    )
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
