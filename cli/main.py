"""The operator CLI (`callcenter`): the commands CONTRACT.md fixes, on the embedded AWS or a real one."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from typing import Annotated

import typer

from chalicelib.core.times import MONTH_PATTERN
from cli.agents_cmd import agents_app
from cli.callbacks_cmd import callbacks_app
from cli.local_api import api as local_api
from cli.local_cmd import local_app
from cli.units_cmd import units_app

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Çağrı operator CLI")
app.add_typer(local_app, name="local")
app.add_typer(callbacks_app, name="callbacks")
app.add_typer(units_app, name="units")
local_app.command("api")(local_api)
app.add_typer(agents_app, name="agents")

MONTH = re.compile(MONTH_PATTERN)


def prepare_runtime() -> str | None:
    """Point AWS at the right place and keep the Lambdas' JSON logs out of the command's output.

    The CLI reports rejections itself; set CALLCENTER_LOG_LEVEL (e.g. INFO) to also see the
    Lambdas' own structured logs, on stderr.
    """
    from cli.embedded import use_aws_environment

    endpoint = use_aws_environment()
    os.environ["POWERTOOLS_LOG_LEVEL"] = os.environ.get("CALLCENTER_LOG_LEVEL", "CRITICAL")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    from chalicelib.core.observability import logger

    logger.setLevel(os.environ["POWERTOOLS_LOG_LEVEL"])
    logger.registered_handler.setStream(sys.stderr)
    return endpoint


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def replay(
    files: Annotated[list[str], typer.Argument(help="JSON Lines files of Lambda inputs")],
    workers: Annotated[int, typer.Option(min=1, max=16, help="processes side by side, as concurrent Lambdas")] = 1,
) -> None:
    """Feed recorded Lambda inputs through the deployed handlers; exit 1 if any was rejected."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    for path in files:
        if not os.path.isfile(path):
            fail(f"no such file: {path}")
    prepare_runtime()
    from cli.replay import Replayer, iter_lines

    total = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            total += sum(1 for _ in handle)
    console = Console(stderr=True)
    started = time.perf_counter()
    columns = (TextColumn("replay"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("replay", total=total)
        if workers > 1:
            from cli.parallel_replay import replay_concurrently

            stats = replay_concurrently(files, workers, on_lines=lambda n: progress.advance(task, n))
        else:
            replayer = Replayer()
            for path, line_no, text in iter_lines(files):
                replayer.current_file = path if len(files) > 1 else ""
                replayer.replay_text(line_no, text)
                progress.advance(task)
            stats = replayer.stats
    for problem in stats.problems:
        typer.echo(problem, err=True)
    typer.echo(stats.summary(time.perf_counter() - started))
    raise typer.Exit(0 if stats.ok else 1)


@app.command()
def redrive(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="read and check every message; change nothing")] = False,
    queue: Annotated[
        list[str] | None, typer.Option("--queue", help="a queue URL (default: DEAD_LETTER_QUEUES, as deployed)")
    ] = None,
) -> None:
    """Put what AWS gave up delivering back through the handlers; exit 1 if a message had to stay."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    prepare_runtime()
    import boto3

    from chalicelib.core.config import settings
    from cli.redrive import redrive as run_redrive
    from cli.replay import Replayer

    cfg = settings()
    urls = queue or cfg.dead_letter_queues
    if not urls:
        fail("no queue to redrive: set DEAD_LETTER_QUEUES (the stack sets it on every function) or give --queue")
    sqs, kinesis = boto3.client("sqs", region_name=cfg.region), boto3.client("kinesis", region_name=cfg.region)
    waiting = 0
    for url in urls:
        try:
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        except Exception as error:  # a wrong URL or no access: say which queue, before touching any
            fail(f"cannot read the queue {url}: {error}")
        waiting += int(attributes["Attributes"]["ApproximateNumberOfMessages"])
    console = Console(stderr=True)
    columns = (TextColumn("redrive"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("redrive", total=waiting or None)
        stats = run_redrive(urls, sqs, kinesis, Replayer(), dry_run=dry_run, on_message=lambda: progress.advance(task))
    for problem in stats.problems:
        typer.echo(problem, err=True)
    for name, count in sorted(stats.by_queue.items()):
        typer.echo(f"{name}: {count} messages")
    typer.echo(stats.summary(dry_run))
    raise typer.Exit(0 if stats.ok else 1)


@app.command()
def report(
    month: Annotated[str, typer.Option(help="YYYY-MM, in Europe/Istanbul")],
    format: Annotated[str, typer.Option("--format", help="json, html or xlsx")] = "json",
    out: Annotated[str | None, typer.Option(help="file to write html/xlsx to (default out/report-MONTH.*)")] = None,
    send: Annotated[bool, typer.Option(help="e-mail it to the supervisor and the General Secretary")] = False,
    force: Annotated[bool, typer.Option(help="with --send: send again even if it was sent")] = False,
) -> None:
    """Build the monthly report from the stored records: print JSON, write HTML/XLSX, or e-mail it."""
    if not MONTH.match(month):
        fail(f"--month must be YYYY-MM (e.g. 2026-10), got {month!r}")
    if format not in ("json", "html", "xlsx"):
        fail(f"--format must be json, html or xlsx, got {format!r}")
    if force and not send:
        fail("--force only makes sense with --send")
    prepare_runtime()
    from datetime import UTC, datetime

    from chalicelib.reports.delivery import build_and_store, send_monthly_report

    now = datetime.now(UTC)
    if send:
        result = send_monthly_report(month, now, force=force)
        typer.echo(
            f"{result.month}: {result.status} to {', '.join(result.recipients)}"
            + (f" (message {result.message_id})" if result.message_id else "")
        )
        return
    document = build_and_store(month, now)
    if format == "json":
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from pathlib import Path

    from chalicelib.reports.render import render_charts, render_html_file, render_xlsx

    target = Path(out or f"out/report-{month}.{format}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "html":
        target.write_text(render_html_file(document, render_charts(document)), encoding="utf-8")
    else:
        target.write_bytes(render_xlsx(document))
    typer.echo(str(target))


@app.command()
def demo(
    start: Annotated[str, typer.Option(help="first simulated day, YYYY-MM-DD")] = "2026-10-01",
    days: Annotated[int, typer.Option(min=1, max=62, help="how many days to simulate")] = 31,
    port: Annotated[int | None, typer.Option(help="port for the embedded AWS if it must be started")] = None,
) -> None:
    """The main job on the embedded AWS: simulate the centre, replay it through the handlers, report."""
    from datetime import date

    from cli.demo import run_demo

    try:
        first = date.fromisoformat(start)
    except ValueError:
        fail(f"--start must be YYYY-MM-DD, got {start!r}")
    from cli.embedded import EmbeddedAWSError

    try:
        code = run_demo(first, days, port)
    except EmbeddedAWSError as error:
        fail(str(error))
    raise typer.Exit(code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
