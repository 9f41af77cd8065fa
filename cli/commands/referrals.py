"""`callcenter referrals agenda [--at …]`: the scheduled referral agenda's run, by hand (as `callbacks dispatch`)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

referrals_app = typer.Typer(no_args_is_help=True, help="Referrals to units (directive 6(7), 8(d)).")


@referrals_app.command("agenda")
def agenda_once(
    at: Annotated[str | None, typer.Option(help="pretend it is this moment (ISO 8601, with offset)")] = None,
) -> None:
    """Run the agenda once now (or `--at` a moment): send, remind, escalate, expire, start tasks, text callers."""
    from cli.runtime import moment, prepare_runtime

    endpoint = prepare_runtime()
    when = moment(at)
    from chalicelib.referrals.agenda import run_agenda

    connect = None
    if endpoint:  # the embedded AWS has no Amazon Connect: its simulated twin starts the tasks
        from cli.embedded.connect import SimulatedConnect

        connect = SimulatedConnect(now=lambda: when)
    summary = run_agenda(when, connect=connect)
    json.dump(summary.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
