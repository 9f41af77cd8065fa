"""`callcenter agents …`: the supervisor's agent accounts from the terminal (directive 7(e), 7(f)).

On the embedded AWS the simulated Connect users twin stands in for Amazon Connect (users kept in
`$CALLCENTER_HOME/connect-users.json`); elsewhere the real instance of the settings is used.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.runtime import domain_call

if TYPE_CHECKING:
    from chalicelib.adapters.connect_users import ConnectUsersPort


agents_app = typer.Typer(no_args_is_help=True, help="Agent accounts (directive 7(e), 7(f)).")

By = Annotated[str | None, typer.Option("--by", help="who makes the change, for the audit trail (default: $USER)")]


def _runtime() -> ConnectUsersPort:
    """Point AWS at the right place and pick the Connect users port (simulated on the embedded AWS)."""
    from cli.runtime import prepare_runtime

    endpoint = prepare_runtime()
    from chalicelib.adapters.connect_users import get_connect_users

    if endpoint:
        from chalicelib.core.config import settings
        from cli.embedded.connect import SimulatedConnectUsers

        return SimulatedConnectUsers(instance_id=settings().connect_instance_id)
    return get_connect_users()


def _actor(by: str | None) -> str:
    return by or f"cli:{getpass.getuser()}"


def _print(view: dict[str, Any], format: str) -> None:
    if format == "json":
        json.dump(view, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for key, value in view.items():
            typer.echo(f"{key}: {value}")


@agents_app.command("create")
def create(
    username: Annotated[str, typer.Option(help="e.g. ayse.yilmaz (never reused)")],
    first_name: Annotated[str, typer.Option("--first-name", help="Ad")],
    last_name: Annotated[str, typer.Option("--last-name", help="Soyad")],
    email: Annotated[
        str | None,
        typer.Option(help="where Cognito sends the sign-in invitation (default USERNAME@AGENT_EMAIL_DOMAIN)"),
    ] = None,
    role: Annotated[str, typer.Option(help="agent (starts in training) or supervisor")] = "agent",
    by: By = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Create the account: a Cognito invitation to sign in to Çağrı, and an Amazon Connect user whose
    temporary password is printed once (agents on the training profile)."""
    connect = _runtime()
    from chalicelib.accounts import service
    from chalicelib.accounts.routes import CREATED_MESSAGE, agent_view

    new = service.NewAgent(username, first_name, last_name, email, role)
    created = domain_call(lambda: service.create_agent(new, _actor(by), datetime.now(UTC), connect))
    _print(agent_view(created.agent) | {"temporary_password": created.temporary_password}, format)
    typer.echo(CREATED_MESSAGE, err=True)


@agents_app.command("list")
def list_agents(
    status: Annotated[str | None, typer.Option(help="IN_TRAINING, ACTIVE or DEACTIVATED")] = None,
    format: Annotated[str, typer.Option("--format", help="json or table")] = "table",
) -> None:
    """Agents with their training status (one index query per status)."""
    from chalicelib.accounts.rules import STATUSES
    from cli.runtime import fail

    if status is not None and status.upper() not in STATUSES:
        fail(f"--status must be one of {', '.join(STATUSES)}, got {status!r}")
    _runtime()
    from chalicelib.accounts import service
    from chalicelib.accounts.routes import agent_view

    rows = [agent_view(item) for item in service.list_agents(status.upper() if status else None)]
    if format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Console
    from rich.table import Table

    columns = ("username", "first_name", "last_name", "status", "trained_at", "deactivated_at")
    table = Table(title=f"{len(rows)} temsilci")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[c] or "") for c in columns))
    Console().print(table)


@agents_app.command("train")
def train(
    username: Annotated[str, typer.Argument()],
    by: By = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Record the agent's training: ACTIVE, on the live routing profile."""
    connect = _runtime()
    from chalicelib.accounts import service
    from chalicelib.accounts.routes import agent_view

    item = domain_call(lambda: service.record_training(username, _actor(by), datetime.now(UTC), connect))
    _print(agent_view(item), format)


@agents_app.command("deactivate")
def deactivate(
    username: Annotated[str, typer.Argument()],
    by: By = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """A leaver: refused by the API at once, signed out and disabled in Cognito, deleted in Connect; our
    record stays (DEACTIVATED) for the reports. Repeating it finishes whatever a failed try left."""
    connect = _runtime()
    from chalicelib.accounts import service
    from chalicelib.accounts.routes import agent_view

    item = domain_call(lambda: service.deactivate(username, _actor(by), datetime.now(UTC), connect))
    _print(agent_view(item), format)
