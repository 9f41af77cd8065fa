"""Asking another of the app's Lambda functions to do a job, without waiting for it (Lambda `Invoke`,
InvocationType Event): the only module that calls Lambda's API.

The API hands heavy work to the function built for it — sending a monthly report renders its charts
and workbook, which only the report function ships (its chart layer) — and answers at once; the
function's own retries and errors are Lambda's (and its alarms'). Locally, `cli/embedded` puts a twin in
place that runs the same handler in a thread of the local server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core.config import Settings, settings
from chalicelib.core.errors import Unavailable

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


class FunctionsPort(Protocol):
    def start(self, function: str, payload: dict[str, Any]) -> None:
        """Queue `payload` for the function (the stage's name for it); returns once Lambda has it."""


class AwsLambda:
    def __init__(self, client: LambdaClient | None = None, cfg: Settings | None = None) -> None:
        self._client = client
        self._cfg = cfg or settings()

    @property
    def client(self) -> LambdaClient:
        if self._client is None:
            import boto3

            self._client = boto3.client("lambda", region_name=self._cfg.region)
        return self._client

    def start(self, function: str, payload: dict[str, Any]) -> None:
        try:
            self.client.invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload).encode())
        except (ClientError, BotoCoreError) as error:
            code = error.response["Error"]["Code"] if isinstance(error, ClientError) else type(error).__name__
            raise Unavailable(f"the job could not be started ({code}); try again in a moment") from None


_port: FunctionsPort | None = None


def get_functions() -> FunctionsPort:
    global _port
    if _port is None:
        _port = AwsLambda()
    return _port


def set_functions(port: FunctionsPort | None) -> None:
    """Replace the port (the local server's twin, a test's); `None` goes back to Lambda."""
    global _port
    _port = port
