"""The local stage's twin of Lambda's asynchronous invoke (chalicelib/adapters/functions.py): the job runs
in a thread of the local server, through the same handler the deployed function runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Job = Callable[[dict[str, Any]], Any]


class LocalFunctions:
    def __init__(self, jobs: dict[str, Job] | None = None, *, wait: bool = False) -> None:
        self._jobs = jobs if jobs is not None else default_jobs()
        self._wait = wait  # tests: run the job before answering
        self.started: list[tuple[str, dict[str, Any]]] = []

    def start(self, function: str, payload: dict[str, Any]) -> None:
        job = self._jobs.get(function)
        if job is None:
            raise LookupError(f"no local twin for the function {function}")
        self.started.append((function, payload))
        if self._wait:
            job(payload)
            return
        threading.Thread(target=job, args=(payload,), name=f"job {function}", daemon=True).start()


def default_jobs() -> dict[str, Job]:
    from chalice.local import LambdaContext  # its home (chalice.test imports it, exports it not)

    from chalicelib.core.config import settings
    from chalicelib.reports.handlers import handle_monthly_report

    # As Lambda calls it: the raw event and a context; Chalice's wrapper builds the event object.
    name = settings().report_function_name
    return {name: lambda payload: handle_monthly_report(payload, LambdaContext(name, memory_size=384))}
