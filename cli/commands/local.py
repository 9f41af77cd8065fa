"""`callcenter local …`: start, stop and inspect the embedded AWS (see cli/embedded.py)."""

from __future__ import annotations

import json
import os
import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.embedded import aws as embedded

local_app = typer.Typer(no_args_is_help=True, help="The embedded AWS (moto server on 127.0.0.1).")

out = Console()
err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@local_app.command()
def start(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 to serve on.")] = embedded.DEFAULT_PORT,
) -> None:
    """Start the embedded AWS in the background and create the tables and SES identities."""
    already = embedded.running()
    if already is not None:
        out.print(
            f"Embedded AWS already running at [bold]{already['endpoint']}[/] (pid {already['pid']}).",
            highlight=False,
        )
        return
    configured = os.environ.get("AWS_ENDPOINT_URL")
    began = time.monotonic()
    try:
        endpoint = embedded.start(port)
    except Exception as error:
        raise _fail(str(error)) from None
    state = embedded.running() or {}
    out.print(
        f"Embedded AWS running at [bold]{endpoint}[/] (pid {state.get('pid', '?')}), "
        f"ready in {time.monotonic() - began:.1f} s. State: {embedded.state_path()}",
        highlight=False,
    )
    if configured and configured.rstrip("/") != endpoint:
        out.print(
            f"Note: AWS_ENDPOINT_URL={configured} is set and takes precedence in other commands.",
            highlight=False,
            markup=False,
        )


@local_app.command()
def stop() -> None:
    """Stop the embedded AWS; everything it held is lost."""
    try:
        state = embedded.stop()
    except Exception as error:
        raise _fail(str(error)) from None
    if state is None:
        out.print("Embedded AWS is not running.")
    else:
        out.print(f"Stopped the embedded AWS at {state['endpoint']} (pid {state['pid']}).", highlight=False)


def _outbox_table(messages: list[dict[str, Any]]) -> Table:
    table = Table(title=f"SES outbox: {len(messages)} message(s)", show_lines=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("From / To", overflow="fold")
    table.add_column("Subject", style="bold")
    table.add_column("Body")
    table.add_column("Attachments", overflow="fold")
    for number, message in enumerate(messages, 1):
        parties = Text(f"{message['source']}\n→ " + "\n→ ".join(message["recipients"]))
        text = (message["text"] or "").strip()
        body = Text(text[:600] + ("…" if len(text) > 600 else ""))
        if message["html"]:
            body.append(("\n" if text else "") + f"(HTML body, {len(message['html'])} chars)", style="dim")
        table.add_row(str(number), parties, Text(message["subject"]), body, Text("\n".join(message["attachments"])))
    return table


def _sms_table(texts: list[dict[str, Any]]) -> Table:
    table = Table(title=f"SMS outbox: {len(texts)} text(s)", show_lines=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("From / To", overflow="fold")
    table.add_column("Kind", style="bold")
    table.add_column("Text")
    table.add_column("Parts", justify="right")
    for number, text in enumerate(texts, 1):
        parties = Text(f"{text['source']}\n→ " + "\n→ ".join(text["recipients"]))
        details = text["sms"]
        table.add_row(str(number), parties, Text(details["kind"]), Text(text["text"]), str(details["segments"]))
    return table


@local_app.command()
def outbox(
    format: Annotated[str, typer.Option("--format", help="table (readable) or json (an array).")] = "table",
) -> None:
    """What the embedded SES has sent (recipients, subject, bodies, attachment names), then the texts its
    SMS twin has sent (kind "sms": number, text)."""
    if format not in ("table", "json"):
        raise _fail(f"unknown format {format!r}: use table or json")
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or embedded.running_endpoint()
    if endpoint is None:
        raise _fail("the embedded AWS is not running (start it with `callcenter local start`)")
    from cli.embedded.sms import outbox_entries

    try:
        messages = embedded.sent_emails(endpoint)
        texts = outbox_entries()
    except Exception as error:
        raise _fail(str(error)) from None
    if format == "json":
        typer.echo(json.dumps(messages + texts, ensure_ascii=False, indent=2))
    else:
        out.print(_outbox_table(messages))
        if texts:
            out.print(_sms_table(texts))
