"""`callcenter referrals agenda [--at …]`: the scheduled referral agenda's run, by hand (as `callbacks dispatch`)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

referrals_app = typer.Typer(no_args_is_help=True, help="Referrals to units (directive 6(7), 8(d)).")


@referrals_app.command("agenda")
def agenda_once(
    at: Annotated[str | None, typer.Option(help="pretend it is this moment (ISO 8601, with offset)")] = None,
) -> None:
    """Run the agenda once now (or `--at` a moment): send, remind, escalate, expire, start tasks, text callers."""
    from cli.runtime import fail, prepare_runtime

    endpoint = prepare_runtime()
    try:
        moment = datetime.fromisoformat(at) if at else datetime.now(UTC)
    except ValueError:
        fail(f"--at must be an ISO 8601 time such as 2026-10-14T10:00+03:00, got {at!r}")
    if moment.tzinfo is None:
        fail("--at needs a UTC offset (e.g. +03:00), so the working hours are read right")
    from chalicelib.referrals.agenda import run_agenda

    connect = None
    if endpoint:  # the embedded AWS has no Amazon Connect: its simulated twin starts the tasks
        from cli.embedded.connect import SimulatedConnect

        connect = SimulatedConnect(now=lambda: moment)
    summary = run_agenda(moment, connect=connect)
    json.dump(summary.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
