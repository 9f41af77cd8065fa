"""Render the monthly report (directive 7(c)), one call per format: the HTML e-mail here (its template
is templates/report.html.j2, fed by view.context), the plain text (text.py), the inline charts
(charts.py) and the workbook (workbook.py).

Each takes the report as stored (the JSON document `monthly.assemble_report` built, read back from the
reports table, of any age) or as the model, and gives text or bytes. Turkish first; times are
Europe/Istanbul as in the report. Jinja2 is loaded on first use, matplotlib and openpyxl inside
their functions: the event Lambdas import this package and must stay fast.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chalicelib.core import templating
from chalicelib.reports.charts import render_charts
from chalicelib.reports.formatting import fmt_int, fmt_num, fmt_pct, fmt_secs, month_name
from chalicelib.reports.model import MonthlyReport
from chalicelib.reports.text import render_text
from chalicelib.reports.view import context
from chalicelib.reports.workbook import render_xlsx

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["render_charts", "render_html", "render_html_file", "render_text", "render_xlsx"]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env: Environment = templating.environment().overlay()
    env.filters.update(int=fmt_int, num=fmt_num, pct=fmt_pct, secs=fmt_secs, month=month_name)
    return env


def render_html(report: MonthlyReport | Mapping[str, Any], charts: dict[str, str] | None) -> str:
    """The e-mail body. `charts`: chart name → Content-ID of its inline PNG (e.g. {"daily": "daily"});
    a chart missing from it is left out (its caption stays)."""
    return str(_environment().get_template("report.html.j2").render(c=context(report), charts=charts or {}))


def render_html_file(report: MonthlyReport | Mapping[str, Any], charts: dict[str, bytes]) -> str:
    """The e-mail body as a standalone page: each chart inlined as a data URI instead of a Content-ID."""
    html = render_html(report, {name: name for name in charts})
    for name, png in charts.items():
        html = html.replace(f'src="cid:{name}"', f'src="data:image/png;base64,{base64.b64encode(png).decode()}"')
    return html
