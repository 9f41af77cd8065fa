"""What every command does first: point AWS at the right place, keep the Lambdas' logs out of the output,
and fail with a plain message. Its own module, so commands import it without importing the CLI's app."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NoReturn, TypeVar

import typer

T = TypeVar("T")


def prepare_runtime() -> str | None:
    """Point AWS at the right place and keep the Lambdas' JSON logs out of the command's output.

    The CLI reports rejections itself; set CALLCENTER_LOG_LEVEL (e.g. INFO) to also see the
    Lambdas' own structured logs, on stderr.
    """
    from cli.embedded.aws import use_aws_environment

    endpoint = use_aws_environment()
    if endpoint is not None:
        from cli.embedded.sms import use_simulated_sms

        use_simulated_sms()
    quiet_lambda_logs()
    return endpoint


def quiet_lambda_logs() -> None:
    """The Lambdas' JSON logs and metrics stay out of the command's output (CALLCENTER_LOG_LEVEL=INFO
    shows the logs, on stderr)."""
    os.environ["POWERTOOLS_LOG_LEVEL"] = os.environ.get("CALLCENTER_LOG_LEVEL", "CRITICAL")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    from chalicelib.core.observability import logger

    logger.setLevel(os.environ["POWERTOOLS_LOG_LEVEL"])
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)  # Powertools logs through a StreamHandler (stdout)
    handler.setStream(sys.stderr)


def domain_call(action: Callable[[], T]) -> T:
    """Runs a domain action for a command: a refusal the domain explains (not found, a conflict, a rule)
    exits 1 with its message, a value it could not take exits 2; never a traceback."""
    from chalicelib.core.errors import DomainError

    try:
        return action()
    except DomainError as error:
        fail(error.message, code=1)
    except ValueError as error:
        fail(str(error))


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def parse_instant(value: str, name: str) -> datetime:
    """An ISO 8601 instant with its offset (`Z` or `+03:00`); anything else fails naming the option."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name} must be an ISO 8601 instant, e.g. 2026-10-14T11:00:00+03:00, got {value!r}")
    if moment.tzinfo is None:
        fail(f"{name} needs an offset (a UTC offset such as +03:00, or Z), so the hours are read right; got {value!r}")
    return moment


def moment(at: str | None) -> datetime:
    """An `--at` option as an aware instant (now when not given); a plain failure for anything else."""
    return parse_instant(at, "--at") if at else datetime.now(UTC)
