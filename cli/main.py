"""The operator CLI (`callcenter`): see CONTRACT.md for the commands it must offer."""

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Çağrı operator CLI")


def main() -> None:
    app()
