"""`callcenter demo`: the main job on the embedded AWS (cli.simulator.demo)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.runtime import fail


def demo(
    start: Annotated[str, typer.Option(help="first simulated day, YYYY-MM-DD")] = "2026-10-01",
    days: Annotated[int, typer.Option(min=1, max=62, help="how many days to simulate")] = 31,
    port: Annotated[int | None, typer.Option(help="port for the embedded AWS if it must be started")] = None,
) -> None:
    """The main job on the embedded AWS: simulate the centre, replay it through the handlers, report."""
    from datetime import date

    from cli.simulator.demo import run_demo

    try:
        first = date.fromisoformat(start)
    except ValueError:
        fail(f"--start must be YYYY-MM-DD, got {start!r}")
    from cli.embedded.aws import EmbeddedAWSError

    try:
        code = run_demo(first, days, port)
    except EmbeddedAWSError as error:
        fail(str(error))
    raise typer.Exit(code)
