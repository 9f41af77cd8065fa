"""`callcenter closures add|list|remove`: closures the supervisor declares (idari izin, snow days).

The same rules and service as the console's (chalicelib/closures): a date of the Istanbul calendar, not
in the past, on a day the centre would open; an optional from-time within that day's hours; a reason
read out to callers. On the embedded AWS the simulated Connect keeps the hours' overrides
(`$CALLCENTER_HOME/connect-hours.json`); elsewhere the instance's hours of operation get them.
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.runtime import domain_call, fail, prepare_runtime

if TYPE_CHECKING:
    from chalicelib.adapters.connect_hours import ConnectHoursPort


closures_app = typer.Typer(no_args_is_help=True, help="Closures the supervisor declares (Europe/Istanbul).")

By = Annotated[str | None, typer.Option("--by", help="who declares it, for the audit trail (default: cli:$USER)")]


def _runtime() -> ConnectHoursPort:
    """Point AWS at the right place and pick the Connect hours port (simulated on the embedded AWS)."""
    endpoint = prepare_runtime()
    from chalicelib.adapters.connect_hours import get_connect_hours

    if endpoint:
        from cli.embedded.connect import SimulatedConnectHours

        return SimulatedConnectHours()
    return get_connect_hours()


def _json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _lines(rows: list[dict[str, Any]]) -> None:
    for view in rows:
        since = f" {view['from']} itibarıyla / from {view['from']}" if view["from"] else " bütün gün / all day"
        typer.echo(f"{view['date']}{since}: {view['reason']}")


@closures_app.command("add")
def add(
    date: Annotated[str, typer.Argument(help="the day to close, YYYY-MM-DD (Istanbul)")],
    reason: Annotated[str, typer.Option("--reason", help="what callers hear (Turkish), 3–200 characters")],
    from_time: Annotated[
        str | None, typer.Option("--from", help="closed from HH:MM that day (default: the whole day)")
    ] = None,
    by: By = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Close the centre on DATE (from --from, or all day), in Çağrı and in Connect's hours of operation."""
    if format not in ("json", "text"):
        fail(f"--format must be json or text, got {format!r}")
    from pydantic import ValidationError

    from chalicelib.closures.routes import DeclareBody

    try:
        body = DeclareBody.model_validate({"date": date, "from": from_time, "reason": reason})
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    hours = _runtime()
    from chalicelib.closures import service
    from chalicelib.closures.routes import closure_of, closure_view
    from chalicelib.core import times

    actor = by or f"cli:{getpass.getuser()}"
    item, created = domain_call(lambda: service.declare(closure_of(body), actor, times.now(), hours))
    view = closure_view(item)
    _json(view) if format == "json" else _lines([view])
    if not created:
        typer.echo("bu kapanış zaten bildirilmişti / this closure was already declared", err=True)
    if not view["connect_synced"]:
        typer.echo(
            "Amazon Connect'in çalışma saatleri güncellenemedi; aynı komutla yeniden deneyin / "
            "Connect's hours could not be updated; run the same command again",
            err=True,
        )


@closures_app.command("list")
def list_closures(
    from_day: Annotated[str | None, typer.Option("--from", help="only from this day on, YYYY-MM-DD")] = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Every declared closure by day (one Query per page of the closures' partition)."""
    if format not in ("json", "text"):
        fail(f"--format must be json or text, got {format!r}")
    from chalicelib.closures.routes import parse_day

    first = domain_call(lambda: parse_day(from_day, "from")) if from_day else None
    prepare_runtime()
    from chalicelib.adapters.paging import MAX_LIMIT
    from chalicelib.closures import service
    from chalicelib.closures.routes import closure_view

    rows, cursor = [], None
    while True:
        page = service.list_closures(first, MAX_LIMIT, cursor)
        rows += [closure_view(item) for item in page.items]
        if page.next is None:
            break
        cursor = page.next
    _json(rows) if format == "json" else _lines(rows)


@closures_app.command("remove")
def remove(
    date: Annotated[str, typer.Argument(help="the closed day to open again, YYYY-MM-DD (not a past one)")],
    by: By = None,
) -> None:
    """Withdraw the closure of DATE: Connect's override first, then the closure."""
    from chalicelib.closures.routes import parse_day

    day = domain_call(lambda: parse_day(date, "date"))
    hours = _runtime()
    from chalicelib.closures import service
    from chalicelib.core import times

    domain_call(lambda: service.withdraw(day, by or f"cli:{getpass.getuser()}", times.now(), hours))
    typer.echo(f"{day}: kapanış kaldırıldı / closure withdrawn")
