"""`callcenter callbacks …`: list every callback record, run one dispatch cycle by hand."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from chalicelib.callbacks.store import CallbackItem

callbacks_app = typer.Typer(no_args_is_help=True, help="Callbacks (directive 6(6), 8(ç)).")

FIELDS = (
    "callback_id",
    "source_contact_id",
    "reason",
    "status",
    "created_at",
    "raised_at",
    "due_at",
    "sla_due_at",
    "overdue",
    "attempts",
    "last_outcome",
    "unreachable_reason",
    "claimed_by",
    "closed_at",
    "close_reason",
    "preferred_agent_arn",
)


def _view(item: CallbackItem, show_numbers: bool) -> dict[str, Any]:
    from chalicelib.core.phones import mask

    view = {name: getattr(item, name) for name in FIELDS}
    view["attempts"] = int(item.attempts or 0)
    view["overdue"] = bool(item.overdue)
    view["out_of_hours"] = bool(item.out_of_hours)  # asked in the closed centre's flow
    view["caller"] = item.caller if show_numbers else mask(item.caller)
    view["linked_contact_ids"] = sorted(item.linked_contact_ids or ())
    return view


@callbacks_app.command("list")
def list_callbacks(
    format: Annotated[str, typer.Option("--format", help="json or table")] = "table",
    status: Annotated[str | None, typer.Option(help="only this status, e.g. PENDING")] = None,
    reason: Annotated[str | None, typer.Option(help="system_drop, abandoned or requested")] = None,
    show_numbers: Annotated[bool, typer.Option(help="show callers' numbers unmasked (personal data)")] = False,
) -> None:
    """Every callback record (a full table read: an operator's tool, not a Lambda path)."""
    from cli.runtime import prepare_runtime

    prepare_runtime()
    from chalicelib.callbacks.store import all_callbacks

    rows = [
        _view(item, show_numbers)
        for item in all_callbacks()
        if (status is None or item.status == status.upper()) and (reason is None or item.reason == reason)
    ]
    rows.sort(key=lambda r: (r["raised_at"], r["callback_id"]))
    if format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} callbacks")
    for column in ("callback_id", "reason", "status", "caller", "raised_at", "due_at", "attempts", "overdue"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            *(
                str(r[c])
                for c in ("callback_id", "reason", "status", "caller", "raised_at", "due_at", "attempts", "overdue")
            )
        )
    Console().print(table)


@callbacks_app.command("dispatch")
def dispatch_once(
    at: Annotated[str | None, typer.Option(help="pretend it is this moment (ISO 8601, with offset)")] = None,
) -> None:
    """Run one dispatch cycle now (or `--at` a given moment): the scheduled Lambda's job, by hand."""
    from cli.runtime import moment as moment_of
    from cli.runtime import prepare_runtime

    endpoint = prepare_runtime()
    moment = moment_of(at)
    from chalicelib.adapters.connect import ConnectPort, get_connect
    from chalicelib.callbacks.dispatcher import dispatch

    if endpoint:  # the embedded AWS has no Amazon Connect: use its simulated twin
        from cli.embedded.connect import SimulatedConnect

        connect: ConnectPort = SimulatedConnect(now=lambda: moment)
    else:
        connect = get_connect()
    summary = dispatch(moment, connect)
    json.dump(summary.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
