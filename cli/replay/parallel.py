"""Replay with several processes at once, as several Lambda instances would run side by side.

The embedded AWS is one moto server, itself one Python process, so a lone replayer leaves it idle
while the replayer works and the other way round; two replayers keep it busy. Line k of the
files goes to worker k mod n: a contact's inputs land in different workers and race each other,
as concurrent Lambda invocations do, which the conditional writes must make harmless.

Workers are spawned (not forked), so each opens its own connections; they inherit the
environment, which already points at the embedded AWS.
"""

from __future__ import annotations

import multiprocessing
import queue as queues
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from typing import TYPE_CHECKING

from cli.replay.replayer import ReplayStats

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

PROGRESS_EVERY = 25  # lines between a worker's progress messages
_POLL_SECONDS = 0.5


def _worker(paths: Sequence[str], index: int, count: int, out: Queue[tuple[str, int, object]]) -> None:
    """Replay the lines `index`, `index + count`, … of `paths` (in order), reporting to `out`."""
    try:
        import os

        from cli.replay.replayer import Replayer, iter_lines

        if os.environ.get("AWS_ENDPOINT_URL"):  # the embedded AWS, which texts through its SMS twin
            from cli.embedded.sms import use_simulated_sms

            use_simulated_sms()

        replayer, pending = Replayer(), 0
        for number, (path, line_no, text) in enumerate(iter_lines(paths)):
            if number % count != index:
                continue
            replayer.current_file = path if len(paths) > 1 else ""
            replayer.replay_text(line_no, text)
            pending += 1
            if pending == PROGRESS_EVERY:
                out.put(("progress", index, pending))
                pending = 0
        out.put(("progress", index, pending))
        out.put(("done", index, asdict(replayer.stats)))
    except BaseException as exc:  # whatever stopped the worker is reported, by type only
        out.put(("crashed", index, type(exc).__name__))
        raise


def merge(parts: Sequence[ReplayStats]) -> ReplayStats:
    total = ReplayStats()
    for part in parts:
        for f in fields(ReplayStats):
            if f.name != "problems":
                setattr(total, f.name, getattr(total, f.name) + getattr(part, f.name))
        total.problems.extend(part.problems)
    return total


def replay_concurrently(
    paths: Sequence[str], workers: int, on_lines: Callable[[int], None] | None = None
) -> ReplayStats:
    """Replay `paths` with `workers` processes; `on_lines(n)` as n more lines are done.

    A worker that dies is reported in the stats as failed lines (its unfinished share is named),
    never silently dropped."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [
        context.Process(target=_worker, args=(list(paths), k, workers, out), name=f"replay-{k}", daemon=True)
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    results: dict[int, ReplayStats] = {}
    crashed: dict[int, str] = {}
    while len(results) + len(crashed) < workers:
        try:
            kind, index, payload = out.get(timeout=_POLL_SECONDS)
        except queues.Empty:
            for k, process in enumerate(processes):
                if k not in results and k not in crashed and not process.is_alive() and out.empty():
                    crashed[k] = f"exit code {process.exitcode}"
            continue
        if kind == "progress" and on_lines:
            on_lines(payload)
        elif kind == "done":
            results[index] = ReplayStats(**payload)
        elif kind == "crashed":
            crashed[index] = payload
    for process in processes:
        process.join()
    stats = merge([results[k] for k in sorted(results)])
    for k, why in sorted(crashed.items()):
        stats.failed += 1
        unfinished = f"lines {k + 1}, {k + 1 + workers}, … unfinished"
        stats.problems.append(f"replay worker {k} of {workers} stopped ({why}): {unfinished}")
    return stats
