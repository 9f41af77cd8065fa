"""`callcenter live`: the centre now, the live figures (docs/figures.md) of the Istanbul day of `--at` (or now)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from cli.runtime import fail, parse_instant, prepare_runtime


def live(
    at: Annotated[str | None, typer.Option(help="an instant with its offset, e.g. 2026-10-14T11:00:00+03:00")] = None,
    format: Annotated[
        str, typer.Option("--format", help="json (the live figures (docs/figures.md)) or table")
    ] = "table",
) -> None:
    """The live figures as the supervisor's console shows them (directive 7(a))."""
    if format not in ("json", "table"):
        fail(f"--format must be json or table, got {format!r}")
    moment = parse_instant(at, "--at") if at is not None else None
    endpoint = prepare_runtime()
    from chalicelib.adapters.connect import get_connect
    from chalicelib.core import times
    from chalicelib.core.config import settings
    from chalicelib.live.service import contract_figures, live_figures

    connect = get_connect()
    if endpoint:  # the embedded AWS: Amazon Connect is simulated, as everywhere locally
        from cli.embedded.connect import SimulatedConnect

        connect = SimulatedConnect()
    now = times.now()
    figures = live_figures(moment or now, settings(), connect, now)
    if format == "json":
        json.dump(contract_figures(figures), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    _table(figures)


def _table(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    def show(value: object, rate: bool = False) -> str:
        if value is None:
            return "—"
        return f"{value:.1%}" if rate else str(value)

    today, cb, rf, agents = figures["today"], figures["callbacks"], figures["referrals"], figures["agents"]
    table = Table(title=f"Çağrı Merkezi şimdi — {figures['at']}")
    table.add_column("gösterge / figure")
    table.add_column("değer", justify="right")
    rows = [
        ("kuyrukta / in queue", show(figures["in_queue_now"])),
        ("en uzun bekleme (sn) / longest wait (s)", show(figures["longest_wait_now_seconds"])),
        ("gelen / inbound", show(today["inbound"])),
        ("kuyruğa giren / queued", show(today["queued"])),
        ("yanıtlanan / answered", show(today["answered"])),
        ("kaybolan / abandoned", show(today["abandoned"])),
        ("sistem kesintisi / system drops", show(today["system_dropped"])),
        ("hizmet düzeyi / service level", show(today["service_level"], rate=True)),
        ("ortalama yanıt (sn) / ASA (s)", show(today["asa_seconds"])),
        ("geri arama bekleyen / callbacks due", show(cb["due"])),
        ("süresi geçen geri arama / overdue", show(cb["overdue"])),
        ("birimde bekleyen / with units", show(rf["waiting_for_units"])),
        ("geciken yönlendirme / referrals overdue", show(rf["overdue"])),
        ("iletilecek yanıt / answers to return", show(rf["answers_to_return"])),
        ("açık arıza / open incidents", show(figures["incidents_open"])),
        ("çevrimiçi temsilci / agents online", show(agents["online"])),
        ("müsait temsilci / available", show(agents["available"])),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console = Console()
    console.print(table)
    for alert in figures["alerts"]:
        console.print(f"[{'red' if alert['level'] == 'critical' else 'yellow'}]{alert['message_tr']}[/]")
