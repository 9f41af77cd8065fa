"""The operator CLI (`callcenter`): the commands docs/figures.md fixes, on the embedded AWS or a real one.

Wiring only: each command lives in cli/commands/, the engines they drive in cli/replay/, cli/embedded/
and cli/simulator/, and what every command does first in cli/runtime.py.
"""

from __future__ import annotations

import typer

from cli.commands.agents import agents_app
from cli.commands.callbacks import callbacks_app
from cli.commands.closures import closures_app
from cli.commands.demo import demo
from cli.commands.hours import hours_app
from cli.commands.live import live
from cli.commands.local import local_app
from cli.commands.referrals import referrals_app
from cli.commands.replay import redrive, replay
from cli.commands.report import report
from cli.commands.units import units_app
from cli.embedded.api import api as local_api

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Çağrı operator CLI")
app.add_typer(local_app, name="local")
app.add_typer(callbacks_app, name="callbacks")
app.add_typer(units_app, name="units")
app.add_typer(referrals_app, name="referrals")
app.add_typer(agents_app, name="agents")
app.add_typer(hours_app, name="hours")
app.add_typer(closures_app, name="closures")
local_app.command("api")(local_api)
for command in (replay, redrive, report, live, demo):
    app.command()(command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
