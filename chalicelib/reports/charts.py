"""The e-mail's charts as PNG: calls day by day against the service-level target, calls by weekday ×
hour with the slots that lost the most framed, and contacts by category.

matplotlib is heavy and imported inside `render_charts` only: the event Lambdas import this package
and must stay fast.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalicelib.core.turkish import WEEKDAYS_TR
from chalicelib.reports.cells import category_label
from chalicelib.reports.formatting import fmt_int, fmt_pct
from chalicelib.reports.hours import HEAT_HOURS, worst_slots
from chalicelib.reports.model import Day, HeatMap, MonthlyReport, read
from chalicelib.reports.palette import AMBER, BLUE, GREY, NAVY, RED

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def render_charts(report: MonthlyReport | Mapping[str, Any]) -> dict[str, bytes]:
    """PNG charts by name ("daily", "heatmap", "categories"); a chart with nothing to show is left out."""
    report = read(report)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    style: dict[Any, Any] = {  # rcParams by name
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

    def png(fig: Figure) -> bytes:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    with matplotlib.rc_context(style):
        days = report.by_day
        if any(d.inbound for d in days):
            target = report.staffing.targets()[0]
            charts["daily"] = png(_daily_chart(Figure(figsize=(width, 3.1), layout="constrained"), days, target))
        heat = report.by_hour_weekday
        if any(any(row) for row in heat.inbound):
            charts["heatmap"] = png(_heatmap_chart(Figure(figsize=(width, 2.9), layout="constrained"), heat))
        categories = report.by_category
        if any(categories.values()):
            height = 0.6 + 0.28 * len(categories)
            charts["categories"] = png(
                _categories_chart(Figure(figsize=(width, height), layout="constrained"), categories)
            )
    return charts


def _daily_chart(fig: Figure, days: list[Day], target: float) -> Figure:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.subplots()
    x = list(range(1, len(days) + 1))
    answered = [d.answered or 0 for d in days]
    abandoned = [d.abandoned or 0 for d in days]
    other = [max((d.inbound or 0) - a - b, 0) for d, a, b in zip(days, answered, abandoned, strict=True)]
    for i, d in enumerate(days, 1):
        if not d.queued:  # closed: weekend or holiday
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
    levels = [math.nan if d.service_level is None else d.service_level * 100 for d in days]
    if any(not math.isnan(v) for v in levels):  # closed days break the line
        ax2.plot(x, levels, color=AMBER, lw=1.6, marker="o", ms=3, label="Hizmet düzeyi", zorder=3)
    ax2.axhline(target * 100, color=AMBER, lw=0.8, ls=(0, (4, 3)), zorder=1)
    ax2.text(
        len(days) + 0.5,
        target * 100 + 1,
        f"hedef %{target * 100:.0f}",
        color=AMBER,
        fontsize=7,
        ha="right",
        va="bottom",
    )
    ax2.set_ylim(0, 105)
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"%{v:.0f}"))
    ax2.set_ylabel("Hizmet düzeyi")

    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside upper center", ncols=4, frameon=False, fontsize=8)
    ax.set_xlabel("Ayın günü (gri zemin: kapalı gün)")
    return fig


def _heatmap_chart(fig: Figure, heat: HeatMap) -> Figure:
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    inbound = heat.inbound
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
    framed = [s for s in worst_slots(heat) if s.hour in hours]
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


def _categories_chart(fig: Figure, categories: dict[str, int]) -> Figure:
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
