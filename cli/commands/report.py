"""`callcenter report`: the monthly report built from what is stored, as JSON, HTML, a workbook, or e-mailed."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated

import typer

from chalicelib.core.times import MONTH_PATTERN
from cli.runtime import fail, prepare_runtime

MONTH = re.compile(MONTH_PATTERN)


def report(
    month: Annotated[str, typer.Option(help="YYYY-MM, in Europe/Istanbul")],
    format: Annotated[str, typer.Option("--format", help="json, html or xlsx")] = "json",
    out: Annotated[str | None, typer.Option(help="file to write html/xlsx to (default out/report-MONTH.*)")] = None,
    send: Annotated[bool, typer.Option(help="e-mail it to the supervisor and the General Secretary")] = False,
    force: Annotated[bool, typer.Option(help="with --send: send again even if it was sent")] = False,
) -> None:
    """Build the monthly report from the stored records: print JSON, write HTML/XLSX, or e-mail it."""
    if not MONTH.match(month):
        fail(f"--month must be YYYY-MM (e.g. 2026-10), got {month!r}")
    if format not in ("json", "html", "xlsx"):
        fail(f"--format must be json, html or xlsx, got {format!r}")
    if force and not send:
        fail("--force only makes sense with --send")
    if prepare_runtime():  # the embedded AWS: Amazon Connect is simulated, as everywhere locally
        from chalicelib.adapters.connect import set_connect
        from cli.embedded.connect import SimulatedConnect

        set_connect(SimulatedConnect())
    from datetime import UTC, datetime

    from chalicelib.reports.delivery import build_and_store, send_monthly_report

    now = datetime.now(UTC)
    if send:
        result = send_monthly_report(month, now, force=force)
        typer.echo(
            f"{result.month}: {result.status} to {', '.join(result.recipients)}"
            + (f" (message {result.message_id})" if result.message_id else "")
        )
        return
    document = build_and_store(month, now)
    if format == "json":
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from pathlib import Path

    from chalicelib.reports.render import render_charts, render_html_file, render_xlsx

    target = Path(out or f"out/report-{month}.{format}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "html":
        target.write_text(render_html_file(document, render_charts(document)), encoding="utf-8")
    else:
        target.write_bytes(render_xlsx(document))
    typer.echo(str(target))
