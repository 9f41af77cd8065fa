"""`callcenter units …`: seed and list the units directory (who answers which referred questions)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from pydantic import ValidationError

units_app = typer.Typer(no_args_is_help=True, help="The units directory (referrals, directive 6(7)).")

DEFAULT_SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"
SEEDED_BY = "operator:cli"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


@units_app.command("seed")
def seed(
    file: Annotated[Path, typer.Argument(help="JSON array of units (default: data/units.json)")] = DEFAULT_SEED,
    replace: Annotated[bool, typer.Option(help="overwrite units that already exist")] = False,
) -> None:
    """Write the seed file's units; existing units are kept (the supervisor may have edited them) unless --replace."""
    from pydantic import ValidationError

    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise _fail(f"cannot read {file}: {error.strerror or error}") from None
    from cli.runtime import prepare_runtime

    prepare_runtime()
    from chalicelib.referrals.units import parse_seed, seed_units

    try:
        parsed = parse_seed(text)
    except ValueError as error:  # ValidationError is a ValueError; so is json's JSONDecodeError
        detail = str(error) if not isinstance(error, ValidationError) else _first_problem(text, error)
        raise _fail(f"{file}: {detail}") from None
    written, kept = seed_units(parsed, by=SEEDED_BY, replace=replace)
    typer.echo(f"{file.name}: {len(parsed)} unit(s); written {written}, kept {kept}")


def _first_problem(text: str, error: ValidationError) -> str:
    """`unit 3 (personel): emails: …`: which unit of the file, which field, what is wrong."""
    from chalicelib.referrals.units import SeedUnit

    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    problem = f"{where}: {first['msg']}" if where else str(first["msg"])
    data = json.loads(text)
    for number, unit in enumerate(data if isinstance(data, list) else [], start=1):
        try:
            SeedUnit.model_validate(unit)
        except ValueError:
            name = unit.get("unit_id") if isinstance(unit, dict) else None
            return f"unit {number}" + (f" ({name})" if isinstance(name, str) else "") + f": {problem}"
    return problem


@units_app.command("list")
def list_units(
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    active_only: Annotated[bool, typer.Option("--active-only", help="only units that take referrals")] = False,
) -> None:
    """Every unit in the directory (one Query, sorted by id)."""
    if format not in ("table", "json"):
        raise _fail(f"--format must be table or json, got {format!r}")
    from cli.runtime import prepare_runtime

    prepare_runtime()
    from chalicelib.referrals.units import list_units as query_units

    rows = [unit.as_dict() for unit in query_units(active_only=active_only)]
    if format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Units: {len(rows)}")
    for column in ("unit_id", "name_tr", "emails", "deputy", "target h", "active"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["unit_id"],
            row["name_tr"],
            "\n".join(row["emails"]),
            row["deputy_email"],
            f"{row['target_hours']:g}",
            "yes" if row["active"] else "no",
        )
    Console().print(table)
