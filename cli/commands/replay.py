"""`callcenter replay` and `redrive`: recorded inputs, and what AWS gave up delivering, through the handlers."""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from cli.runtime import fail, prepare_runtime


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
    from cli.replay.replayer import Replayer, iter_lines

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
            from cli.replay.parallel import replay_concurrently

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
    from cli.replay.redrive import redrive as run_redrive
    from cli.replay.replayer import Replayer

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
