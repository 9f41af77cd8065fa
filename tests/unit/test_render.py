"""The monthly report's renderings: HTML e-mail, plain text, charts and workbook, on a simulated month."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.reports.advice import next_steps
from chalicelib.reports.comparison import compare
from chalicelib.reports.figures import contact_month, core_figures
from chalicelib.reports.formatting import fmt_int, fmt_num, fmt_pct, fmt_secs, month_name
from chalicelib.reports.labels import TILES
from chalicelib.reports.monthly import assemble_report
from chalicelib.reports.render import render_charts, render_html, render_text, render_xlsx
from tests.fixtures.reports.months import simulated_callbacks, simulated_records

ZONE = ZoneInfo("Europe/Istanbul")
ROOT = Path(__file__).resolve().parents[2]
SHEETS = [
    "Özet",
    "Günlük",
    "Saatlik",
    "Kategoriler",
    "Temsilciler",
    "Temsilci zamanı",
    "Memnuniyet",
    "Personel",
    "Geri aramalar",
    "Yönlendirmeler",
    "Birimler",
    "Connect karşılaştırması",
    "Tanımlar",
]

# Last month's headline, as the stored September report would give it (simulate(date(2026, 9, 1), 30, seed=8)).
SEPTEMBER = {
    "month": "2026-09",
    "contacts": {
        "total": 3262,
        "by_channel": {"CHAT": 99, "TASK": 45, "VOICE": 3118},
        "by_initiation_method": {"API": 45, "INBOUND": 3171, "OUTBOUND": 46},
    },
    "calls": {
        "inbound": 3072,
        "queued": 2448,
        "answered": 2347,
        "abandoned": 83,
        "short_abandoned": 14,
        "system_dropped": 31,
        "queue_exits_other": 17,
        "abandon_rate": 0.03390522875816993,
        "service_level": 0.9375,
        "asa_seconds": 1.5,
        "avg_abandon_seconds": 33.9,
        "aht_seconds": 241.3,
    },
    "by_category": {
        "başvuru": 430,
        "bilgi": 731,
        "diğer": 125,
        "istek": 245,
        "işlem": 487,
        "kapsam_dışı": 192,
        "unclassified": 624,
        "öneri": 74,
        "şikayet": 131,
    },
    "out_of_scope": 192,
}


def build_simulated_report() -> dict:
    records = [r for r in simulated_records(date(2026, 10, 1), 31, 7) if contact_month(r, ZONE) == "2026-10"]
    report = assemble_report("2026-10", records, simulated_callbacks(records), SEPTEMBER)
    return json.loads(json.dumps(report))  # as read back from the reports table


@pytest.fixture(scope="module")
def report() -> dict:
    return build_simulated_report()


@pytest.fixture(scope="module")
def empty() -> dict:
    report = assemble_report("2026-02", [], [], {"month": "2026-01", **core_figures([])})
    return json.loads(json.dumps(report))


@pytest.fixture(scope="module")
def charts(report) -> dict[str, bytes]:
    return render_charts(report)


class _Balance(HTMLParser):
    """Open/close tags in order; void elements need no end tag."""

    VOID = frozenset({"meta", "img", "br", "hr", "link", "input", "col", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert "script" not in parser.tags
    text = " ".join(parser.text)
    assert "None" not in html and not re.search(r"\bnan\b", text, re.IGNORECASE)
    assert not re.search(r"\b(?:http|https)://", html), "no external resources"
    return parser


# -- formatting ---------------------------------------------------------------


def test_turkish_number_formats():
    assert fmt_int(1234) == "1.234"
    assert fmt_int(None) == "—"
    assert fmt_num(1234.56) == "1.234,6"
    assert fmt_pct(0.943) == "%94,3"
    assert fmt_pct(float("nan")) == "—"
    assert fmt_secs(12.5) == "12,5 sn"
    assert fmt_secs(245.4) == "4 dk 5 sn"
    assert fmt_secs(8100) == "2 sa 15 dk"
    assert month_name("2026-10") == "Ekim 2026"
    assert month_name("2026-02") == "Şubat 2026"


def mom(key: str, value, previous) -> dict:
    return {"month_over_month": {"figures": {key: {"value": value, "previous": previous, "change": None}}}}


def test_a_lower_abandon_rate_is_better_and_a_tiny_change_is_no_verdict():
    assert compare(mom("calls.abandon_rate", 0.03, 0.05), "calls.abandon_rate")["tone"] == "good"
    assert compare(mom("calls.abandon_rate", 0.05, 0.03), "calls.abandon_rate")["tone"] == "bad"
    assert compare(mom("calls.service_level", 0.85, 0.80), "calls.service_level")["tone"] == "good"
    worse = compare(mom("calls.service_level", 0.80, 0.85), "calls.service_level")
    assert (worse["tone"], worse["arrow"], worse["change"]) == ("bad", "▼", "5,0 puan")
    assert compare(mom("calls.service_level", 0.849, 0.85), "calls.service_level")["tone"] == "neutral"
    assert compare(mom("calls.inbound", 3500, 3000), "calls.inbound")["tone"] == "neutral"  # more calls: neither
    assert compare(mom("calls.inbound", None, 3000), "calls.inbound")["change"] == "karşılaştırma yok"


def test_next_steps_follow_the_figures(report, empty):
    steps = next_steps(report)
    assert any("Pazartesi 11:00–12:00" in s for s in steps)  # the staffing gap
    assert any("geri arama açık" in s for s in steps)
    assert any("sistem ya da hat arızası" in s for s in steps)
    assert any(s.startswith("Memnuniyet “Şikayet” çağrılarında") and "madde 5(3)" in s for s in steps)
    assert "hiç temas kaydı yok" in next_steps(empty)[0]
    calm = json.loads(json.dumps(report))
    calm["staffing"]["gaps"] = {"tr": [], "en": []}
    calm["callbacks"] = {"completed": 0, "overdue": 0, "open_at_month_end": 0}
    calm["calls"]["system_dropped"] = 0
    calm["by_category"] = {"bilgi": 100}
    calm["out_of_scope"] = 0
    calm["satisfaction"]["by_category"] = {"bilgi": {"responses": 80, "average": 4.4}}
    calm["satisfaction_detail"]["by_hour"] = {}
    calm["by_hour_weekday"]["inbound"] = [[0] * 8 + [10] * 10 + [0] * 6 for _ in range(5)] + [[0] * 24] * 2
    assert next_steps(calm) == [next_steps(calm)[0]] and "ek bir önlem gerekmiyor" in next_steps(calm)[0]
    # All callbacks done, one of them late: no "close them this week" over zero open ones.
    late_but_done = json.loads(json.dumps(calm))
    late_but_done["callbacks"] = {"completed": 5, "completed_within_sla": 4, "overdue": 1, "open_at_month_end": 0}
    (step,) = [s for s in next_steps(late_but_done) if "geri arama" in s]
    assert step.startswith("1 geri arama süresi geçtikten sonra yapıldı") and "açık kaldı" not in step


# -- HTML --------------------------------------------------------------------------


def test_html_of_the_simulated_month(report, charts):
    cids = {name: name for name in charts}
    html = render_html(report, cids)
    check_html(html)
    assert "Ekim 2026" in html
    assert "Eylül 2026" in html
    assert "(0312) 386 10 92" in html
    assert "Çağrı ve İletişim Merkezi — Aylık Rapor" in html
    for line in report["findings"]["tr"]:
        assert str(__import__("markupsafe").escape(line)) in html
    for name in charts:
        assert f'src="cid:{name}"' in html
    assert re.findall(r'alt="([^"]*)"', html) and all(len(alt) > 20 for alt in re.findall(r'alt="([^"]*)"', html))
    for article in ("4(a)", "4(b)", "4(c)", "6(5)", "6(6)", "7(b)", "8(ç)"):
        assert article in html
    assert fmt_int(report["calls"]["inbound"]) in html
    assert fmt_pct(report["calls"]["service_level"]) in html
    assert "Önerilen adımlar" in html
    assert "Pazartesi" in html


def test_html_without_charts_leaves_them_out(report):
    html = render_html(report, None)
    check_html(html)
    assert "cid:" not in html
    assert "<img" not in html


def test_html_of_an_empty_month(empty):
    html = render_html(empty, {})
    check_html(html)
    assert "Şubat 2026" in html
    assert "Bu ay cevaplanan çağrı yok" in html


def test_html_of_a_report_with_missing_sections():
    """A report that holds only its month shows each figure as missing, not as zero, and no chart."""
    html = render_html({"month": "2026-03"}, None)
    check_html(html)
    assert "Mart 2026" in html
    assert "Bu ay için kayıt yok." in html and "Bu ay cevaplanan çağrı yok." in html
    assert html.count("karşılaştırma yok") == len(TILES)  # every tile: no value, nothing to compare
    assert "▲" not in html and "▼" not in html and "<img" not in html
    assert "Tüm kanallarda 0 temas." in html and "hiç temas kaydı yok" in html


def test_html_escapes_what_the_data_says(report):
    hostile = json.loads(json.dumps(report))
    hostile["by_category"]["<script>alert(1)</script>"] = 5
    hostile["by_agent"].append({"agent": '<b onmouseover="x">', "answered": 1, "aht_seconds": 10.0, "share": 0.0})
    html = render_html(hostile, {})
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<b onmouseover="x">' not in html


def test_the_channel_line_shows_subtypes_and_values_aws_adds(report):
    """Issue 13 item 7: SMS carried on CHAT beside the channels; a new channel under its own name."""
    month = json.loads(json.dumps(report))
    month["contacts"]["by_channel"] = {"CHAT": 12, "EMAIL_V2": 2, "VOICE": 100}
    month["contacts"]["by_subtype"] = {"connect:SMS": 9, "connect:<i>x</i>": 1}
    html, text = render_html(month, None), " ".join(render_text(month).split())
    line = "100 sesli çağrı, 12 sohbet, 2 EMAIL_V2 — alt tür: 9 SMS, 1 &lt;i&gt;x&lt;/i&gt;;"
    assert line in html and "<i>x" not in html
    assert "100 sesli çağrı, 12 sohbet, 2 EMAIL_V2 — alt tür: 9 SMS, 1 <i>x</i>;" in text
    del month["contacts"]["by_subtype"]  # a report stored before subtypes were counted
    assert "alt tür" not in render_html(month, None)


# -- text -----------------------------------------------------------------------------


def test_text_alternative_has_the_headline(report):
    text = render_text(report)
    assert "EKİM 2026" in text
    assert fmt_int(report["calls"]["inbound"]) in text
    assert fmt_int(report["calls"]["answered"]) in text
    assert fmt_pct(report["calls"]["service_level"]) in text
    assert fmt_pct(report["calls"]["abandon_rate"]) in text
    flowing = " ".join(text.split())
    for line in report["findings"]["tr"]:
        assert line in flowing
    assert all(len(line) <= 80 for line in text.splitlines() if "  " not in line.lstrip())
    assert "None" not in text and "nan" not in text.split()
    assert "<" not in text


def test_text_of_an_empty_month(empty):
    text = render_text(empty)
    assert "ŞUBAT 2026" in text
    assert "None" not in text


# -- charts -----------------------------------------------------------------------------


def test_charts_are_png_no_wider_than_the_mail(charts):
    from PIL import Image

    assert set(charts) == {"daily", "heatmap", "categories"}
    for name, png in charts.items():
        assert png.startswith(b"\x89PNG"), name
        width, height = Image.open(io.BytesIO(png)).size
        assert width <= 700 and 150 <= height <= 500, (name, width, height)


def test_an_empty_month_has_no_charts(empty):
    assert render_charts(empty) == {}


# -- workbook ---------------------------------------------------------------------------


def test_workbook_has_the_sheets_with_numbers_as_numbers(report):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        assert all(cell.font.bold for cell in ws[1] if cell.value is not None), ws.title

    summary = {row[0]: row[1:] for row in wb["Özet"].iter_rows(min_row=2, max_col=4, values_only=True) if row[0]}
    assert summary["Gelen çağrı"][:2] == (report["calls"]["inbound"], SEPTEMBER["calls"]["inbound"])
    assert summary["Hizmet düzeyi"][0] == pytest.approx(report["calls"]["service_level"])
    sl_row = next(r for r in wb["Özet"].iter_rows(min_row=2) if r[0].value == "Hizmet düzeyi")
    assert "%" in sl_row[1].number_format

    daily = list(wb["Günlük"].iter_rows(min_row=2, values_only=True))
    assert len(daily) == 31
    assert sum(row[2] for row in daily) == report["calls"]["inbound"]
    for row in daily:
        assert all(isinstance(v, int) for v in row[2:7])
        assert row[7] is None or isinstance(row[7], (int, float))
        assert isinstance(row[0], datetime)

    hourly = list(wb["Saatlik"].iter_rows(min_row=2, max_row=25, values_only=True))
    assert len(hourly) == 24
    assert sum(row[8] for row in hourly) == sum(map(sum, report["by_hour_weekday"]["inbound"]))

    categories = {row[1]: row[2] for row in wb["Kategoriler"].iter_rows(min_row=2, values_only=True)}
    assert categories == report["by_category"]
    agents = list(wb["Temsilciler"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in agents] == [a["answered"] for a in report["by_agent"]]
    staffing = [row for row in wb["Personel"].iter_rows(min_row=2, values_only=True) if isinstance(row[3], int)]
    assert len(staffing) == len(report["staffing"]["slots"])
    callbacks = {row[0]: row[1] for row in wb["Geri aramalar"].iter_rows(min_row=2, values_only=True)}
    assert callbacks["Ay içinde doğan"] == report["callbacks"]["created"] > 0
    definitions = list(wb["Tanımlar"].iter_rows(min_row=2, values_only=True))
    assert len(definitions) == len(report["definitions"]) and all(row[2] and row[3] for row in definitions)


def test_workbook_of_an_empty_month(empty):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(empty)))
    assert wb.sheetnames == SHEETS
    summary = {row[0]: row[1:] for row in wb["Özet"].iter_rows(min_row=2, max_col=4, values_only=True) if row[0]}
    assert summary["Gelen çağrı"][:3] == (0, 0, 0)  # nothing this month, nothing in January: no change
    assert summary["Hizmet düzeyi"][:3] == (None, None, None)  # no call: no rate, not 0 %
    daily = list(wb["Günlük"].iter_rows(min_row=2, values_only=True))
    assert [row[0].day for row in daily] == list(range(1, 29)) and {row[2] for row in daily} == {0}
    assert wb["Kategoriler"].max_row == wb["Temsilciler"].max_row == 1  # the header only
    assert wb["Tanımlar"].max_row == 1 + len(empty["definitions"])


# -- import cost ---------------------------------------------------------------------------


def test_importing_the_renderer_loads_no_heavy_library():
    code = (
        "import tests.conftest, sys, chalicelib.reports.render; "
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'numpy', 'PIL', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- for looking at it -----------------------------------------------------------------------


def html_with_inline_charts(report: dict) -> str:
    """The e-mail as a browser shows it: charts as data URIs instead of Content-IDs."""
    charts = render_charts(report)
    html = render_html(report, {name: name for name in charts})
    for name, png in charts.items():
        html = html.replace(f'src="cid:{name}"', f'src="data:image/png;base64,{base64.b64encode(png).decode()}"')
    return html


def test_referrals_and_console_incidents_reach_every_format():
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from chalicelib.reports.render import render_text

    referral = SimpleNamespace(
        unit_id="mali-isler",
        unit_name="Strateji Geliştirme ve Mali İşler",
        status="CLOSED",
        created_at="2026-10-13T07:00:00.000Z",
        contact_initiated_at="2026-10-13T06:58:00.000Z",
        forwarded_from=None,
        sent_at="2026-10-13T07:00:00.000Z",
        due_at="2026-10-14T14:00:00.000Z",
        answered_at="2026-10-13T10:00:00.000Z",
        returned_at="2026-10-13T12:00:00.000Z",
        closed_at="2026-10-13T12:00:00.000Z",
        outcome="resolved",
        escalated_at=None,
    )
    incident = SimpleNamespace(
        category="headset",
        severity="high",
        status="RESOLVED",
        reported_at="2026-10-14T07:00:00.000Z",
        resolved_at="2026-10-14T07:45:00.000Z",
        minutes_to_resolve=45,
    )
    report = assemble_report(
        "2026-10", [], [], {"month": "2026-09", **core_figures([])}, referrals=[referral], incidents=[incident]
    )
    assert report["referrals"]["created"] == 1 and report["referrals"]["median_unit_working_hours"] == 3.0
    assert report["incidents"]["reported"] == 1 and report["incidents"]["median_minutes_to_resolve"] == 45
    html, text = render_html(report, None), render_text(report)
    for body in (html, text):
        assert "Strateji Geliştirme ve Mali İşler" in body and "Temsilcilerin bildirdiği konsol arızası" in body
        assert "kulaklık 1" in body and "45,0 dk" in body and "3,0 mesai saati" in body
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    assert next(iter(workbook["Birimler"].iter_rows(min_row=2, values_only=True)))[:3] == (
        "Strateji Geliştirme ve Mali İşler",
        1,
        1,
    )
