"""`callcenter hours at TIMESTAMP`: what the contact flow would answer at that instant (docs/figures.md).

Open or not, why not, and when the centre opens next: working hours, Turkish public holidays, arife
afternoons (open until 13:00, Istanbul) and the closures the supervisor declared, as stored.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cli.runtime import fail, parse_instant, prepare_runtime

hours_app = typer.Typer(no_args_is_help=True, help="Opening hours, holidays and declared closures.")


@hours_app.command("at")
def at(
    timestamp: Annotated[str, typer.Argument(help="an instant with its offset, e.g. 2026-12-04T10:00:00+03:00")],
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Whether the centre is open at TIMESTAMP, the reason when not, and the next opening."""
    if format not in ("json", "text"):
        fail(f"--format must be json or text, got {format!r}")
    moment = parse_instant(timestamp, "TIMESTAMP")
    prepare_runtime()
    from chalicelib.closures.service import hours_at

    answer = hours_at(moment)
    if format == "json":
        json.dump(answer, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif answer["open"]:
        typer.echo("açık / open")
    else:
        typer.echo(f"kapalı / closed: {answer['reason']}")
        typer.echo(f"açılış / next opening: {answer['next_opening']}")
