"""The embedded AWS: moto's server on loopback, provisioned with what the app needs.

The server runs in a detached child process (its own session, so it outlives the
`callcenter local start` that spawned it); `$CALLCENTER_HOME/local.json` remembers
its endpoint, port and pid so that every later command finds it. All state lives
in the server's memory and is gone when it stops.

Endpoint resolution for every command (`use_aws_environment`):
`AWS_ENDPOINT_URL` when set, else the running embedded AWS, else real AWS.

Module-level imports stay light: moto is imported only by the child process, the
PynamoDB models and boto3 only when provisioning.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any

DEFAULT_PORT = 4566
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 5.0
# What moto accepts as credentials; set only where none are configured.
_DUMMY_CREDENTIAL = "testing"

# The child: moto's own server entry point, with werkzeug's per-request access log
# silenced so the log file only grows on warnings and errors, and HTTP/1.1 so boto3
# keeps its connections alive (werkzeug's HTTP/1.0 default costs a TCP connect per request).
_SERVER_CODE = (
    "import logging, sys\n"
    "logging.getLogger('werkzeug').setLevel(logging.WARNING)\n"
    "from werkzeug.serving import WSGIRequestHandler\n"
    "WSGIRequestHandler.protocol_version = 'HTTP/1.1'\n"
    "from moto.server import main\n"
    "main(sys.argv[1:])\n"
)

# The simulated Amazon Connect's state (cli.embedded.connect) lives beside moto's in-memory state, so
# it starts empty with each new server: a placement remembered from an earlier server would
# answer a new callback's ClientToken with a call that never reaches the new records.
SIMULATED_CONNECT_FILES = ("connect-placements.jsonl", "connect-users.json", "connect-hours.json")
# Likewise the simulated SMS service's outbox (cli.embedded.sms): what was texted belongs to one server.
SIMULATED_SMS_FILE = "sms-outbox.jsonl"

# The deployment's dead-letter and failure queues, and moto's account, so `callcenter redrive`, the
# health check and the watchdog find them locally as they do in AWS (infra/stack.py names them).
LOCAL_QUEUES = ("cagri-local-contact-events-dlq", "cagri-local-ctr-failures", "cagri-local-agent-events-failures")
MOTO_ACCOUNT = "123456789012"

# No proxy for loopback, whatever HTTP(S)_PROXY says.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class EmbeddedAWSError(RuntimeError):
    """The embedded AWS could not be started, reached or read."""


# ---------------------------------------------------------------- state file


def home() -> Path:
    return Path(os.environ.get("CALLCENTER_HOME") or Path.home() / ".callcenter")


def state_path() -> Path:
    return home() / "local.json"


def log_path() -> Path:
    return home() / "moto.log"


def _read_state() -> dict[str, Any] | None:
    try:
        state = json.loads(state_path().read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not {"endpoint", "port", "pid"} <= state.keys():
        return None
    return state


def _write_state(endpoint: str, port: int, pid: int) -> None:
    path = state_path()
    tmp = path.with_suffix(".tmp")
    state = {"endpoint": endpoint, "port": port, "pid": pid, "user_pool_id": os.environ.get("COGNITO_USER_POOL_ID")}
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.replace(path)


def _remove_state() -> None:
    with contextlib.suppress(FileNotFoundError):
        state_path().unlink()


# ---------------------------------------------------------------- processes


def _pid_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (exited, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): the signal test is all we have
    return stat.rpartition(")")[2].split()[0] != "Z"


def _is_moto_process(pid: int) -> bool:
    """Guards against pid reuse before signalling a pid from the state file."""
    if not _pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid (the endpoint was checked too)
    return b"moto" in cmdline


def answers(endpoint: str, timeout: float = 1.0) -> bool:
    """Does a moto server answer at `endpoint`?"""
    try:
        with _opener.open(f"{endpoint.rstrip('/')}/moto-api/", timeout=timeout) as response:
            return bool(200 <= response.status < 300)
    except (OSError, ValueError):
        return False


def _port_problem(port: int) -> str | None:
    """Why the server could not listen on `port`, or None when it can."""
    if not 0 < port < 65536:
        return f"port {port} is not a valid TCP port"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            sock.bind((HOST, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {HOST} is in use; choose another with --port"
            return f"cannot listen on {HOST}:{port}: {error.strerror or error}"
    return None


def _log_tail(lines: int = 1) -> str:
    try:
        text = log_path().read_text(errors="replace")
    except OSError:
        return ""
    tail = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(tail[-lines:])


def _terminate(pid: int) -> None:
    """SIGTERM the server's process group, SIGKILL it if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reap it when it is our own child
            if not _pid_alive(pid):
                return
            time.sleep(0.05)


# ---------------------------------------------------------------- public API


def running() -> dict[str, Any] | None:
    """The state of the running embedded AWS ({endpoint, port, pid}), or None.

    A state file whose server is gone or no longer answers is removed."""
    state = _read_state()
    if state is None:
        if state_path().exists():
            _remove_state()  # unreadable
        return None
    if _pid_alive(int(state["pid"])) and answers(str(state["endpoint"])):
        return state
    _remove_state()
    return None


def running_endpoint() -> str | None:
    state = running()
    return str(state["endpoint"]) if state else None


def start(port: int = DEFAULT_PORT) -> str:
    """Start moto's server on 127.0.0.1:`port`, provision it, return its endpoint.

    If one is already running (per the state file) its endpoint is returned and
    nothing else happens. Raises EmbeddedAWSError when the server does not come up."""
    state = running()
    if state is not None:
        return str(state["endpoint"])

    home().mkdir(parents=True, exist_ok=True, mode=0o700)
    endpoint = f"http://{HOST}:{port}"
    problem = _port_problem(port)
    if problem:
        raise EmbeddedAWSError(problem)

    for name in (*SIMULATED_CONNECT_FILES, SIMULATED_SMS_FILE):
        (home() / name).unlink(missing_ok=True)
    with log_path().open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVER_CODE, "-H", HOST, "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )

    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            tail = _log_tail()
            raise EmbeddedAWSError(
                f"moto server exited with code {process.returncode}"
                + (f": {tail}" if tail else "")
                + f" (log: {log_path()})"
            )
        if answers(endpoint, timeout=0.5):
            break
        if time.monotonic() > deadline:
            _terminate(process.pid)
            tail = _log_tail()
            raise EmbeddedAWSError(
                f"moto server did not answer at {endpoint} within {START_TIMEOUT_SECONDS:.0f} s"
                + (f": {tail}" if tail else "")
                + f" (log: {log_path()})"
            )
        time.sleep(0.05)

    try:
        provision(endpoint)
    except Exception as error:
        _terminate(process.pid)
        raise EmbeddedAWSError(f"provisioning {endpoint} failed: {error}") from error
    _write_state(endpoint, port, process.pid)
    return endpoint


def stop() -> dict[str, Any] | None:
    """Stop the embedded AWS and forget it; returns the state it had, None if none ran."""
    state = _read_state()
    _remove_state()
    if state is None:
        return None
    pid = int(state["pid"])
    if not _is_moto_process(pid):
        return None
    _terminate(pid)
    return state


def _point_environment_at(endpoint: str) -> None:
    """AWS_ENDPOINT_URL := endpoint; dummy credentials and the settings' region where unset."""
    from chalicelib.core.config import settings

    os.environ["AWS_ENDPOINT_URL"] = endpoint
    # The embedded AWS is the local stage's (tables cagri-local-*, stand-in identities, placeholder
    # secrets); the app itself has no default stage, so a deployment without STAGE fails closed.
    os.environ.setdefault("STAGE", "local")
    os.environ.setdefault("DEAD_LETTER_QUEUES", ",".join(local_queue_urls(endpoint)))
    # A moto server on a busy laptop is slower than DynamoDB: relax the Lambda's tight timeouts.
    os.environ.setdefault("DYNAMODB_READ_TIMEOUT", "15")
    os.environ.setdefault("DYNAMODB_MAX_RETRIES", "3")
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        os.environ["AWS_ACCESS_KEY_ID"] = _DUMMY_CREDENTIAL
        os.environ["AWS_SECRET_ACCESS_KEY"] = _DUMMY_CREDENTIAL
        os.environ.pop("AWS_SESSION_TOKEN", None)
    if not os.environ.get("AWS_SECRET_ACCESS_KEY"):
        os.environ["AWS_SECRET_ACCESS_KEY"] = _DUMMY_CREDENTIAL
    if not os.environ.get("AWS_DEFAULT_REGION"):
        os.environ["AWS_DEFAULT_REGION"] = settings().region


def local_queue_urls(endpoint: str) -> list[str]:
    return [f"{endpoint.rstrip('/')}/{MOTO_ACCOUNT}/{name}" for name in LOCAL_QUEUES]


def use_aws_environment() -> str | None:
    """Apply the endpoint rule for this process; returns the endpoint used, None for real AWS.

    `AWS_ENDPOINT_URL` set: left alone. Else a running embedded AWS: the variables
    point at it (dummy credentials and the settings' region where none are set).
    Else nothing: real AWS with the usual credentials. Call it before any PynamoDB
    model or boto3 client makes its first connection."""
    configured = os.environ.get("AWS_ENDPOINT_URL")
    if configured:
        return configured
    state = running()
    if state is None:
        return None
    if state.get("user_pool_id"):
        os.environ.setdefault("COGNITO_USER_POOL_ID", str(state["user_pool_id"]))
    endpoint = str(state["endpoint"])
    _point_environment_at(endpoint)
    return endpoint


UNITS_SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"


def provision(endpoint: str) -> None:
    """Create what the app needs at `endpoint`: every table of `all_models()`, the units
    directory from `data/units.json` (units already there are kept), the dead-letter queues,
    the trace-record and agent-event streams and the SES sender identity with its domain. Idempotent. Points
    this process at `endpoint`."""
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.tables import all_models

    _point_environment_at(endpoint)
    cfg = settings()

    for model in all_models():
        model._connection = None  # drop any connection made before the endpoint was set
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)

    if UNITS_SEED.is_file():
        from chalicelib.referrals.units import parse_seed, seed_units

        seed_units(parse_seed(UNITS_SEED.read_text(encoding="utf-8")), by="system:provisioning")

    os.environ["COGNITO_USER_POOL_ID"] = user_pool(endpoint)
    settings.cache_clear()  # the pool is known only now; table names and the rest are unchanged
    from chalicelib.adapters.cognito import set_identities

    # A Cognito client made for an earlier embedded AWS in this process (the benchmark starts two) points there.
    set_identities(None)
    seed_local_supervisor()

    sqs = boto3.client("sqs", region_name=cfg.region, endpoint_url=endpoint)
    for name in LOCAL_QUEUES:
        sqs.create_queue(QueueName=name)
    kinesis = boto3.client("kinesis", region_name=cfg.region, endpoint_url=endpoint)
    for stream in (cfg.ctr_stream, cfg.agent_events_stream):
        if stream not in kinesis.list_streams()["StreamNames"]:
            kinesis.create_stream(StreamName=stream, ShardCount=1)

    ses = boto3.client("ses", region_name=cfg.region, endpoint_url=endpoint)
    ses.verify_email_identity(EmailAddress=cfg.sender_address)
    domain = cfg.sender_address.rpartition("@")[2]
    if domain:
        ses.verify_domain_identity(Domain=domain)


LOCAL_USER_POOL = "cagri-local"
# The local stage's first supervisor (the Head of Press, PR and Promotion), so the console has
# someone to sign in as; deployed stages get theirs from `callcenter agents create --role supervisor`.
LOCAL_SUPERVISOR = ("basin", "Basın", "Müdürü")


def user_pool(endpoint: str) -> str:
    """The local stage's Cognito user pool with its two groups (as the stack creates them); idempotent."""
    import boto3

    from chalicelib.core.config import settings

    cognito = boto3.client("cognito-idp", region_name=settings().region, endpoint_url=endpoint)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    found = next((p["Id"] for p in pools if p["Name"] == LOCAL_USER_POOL), None)
    if found is None:
        found = cognito.create_user_pool(PoolName=LOCAL_USER_POOL)["UserPool"]["Id"]
        for group in ("agents", "supervisors"):
            cognito.create_group(UserPoolId=found, GroupName=group)
    return str(found)


def seed_local_supervisor() -> None:
    from datetime import UTC, datetime

    from chalicelib.accounts import service, store
    from chalicelib.accounts.rules import Role
    from chalicelib.core.config import settings
    from chalicelib.core.errors import Conflict
    from cli.embedded.connect import SimulatedConnectUsers

    username, first, last = LOCAL_SUPERVISOR
    if store.get_agent(username) is not None:
        return
    connect = SimulatedConnectUsers(instance_id=settings().connect_instance_id)
    new = service.NewAgent(username, first, last, role=Role.SUPERVISOR)
    with contextlib.suppress(Conflict):  # a Connect user left by an earlier, failed start
        service.create_agent(new, "system:provisioning", datetime.now(UTC), connect)


# ---------------------------------------------------------------- SES outbox


def _addresses(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for _, address in getaddresses(values):
        if address:
            seen.setdefault(address, None)
    return list(seen)


_HTML_TAG = re.compile(
    r"<(!doctype|/?(html|head|body|p|div|br|table|tr|td|h[1-6]|span|a|b|strong|em|ul|ol|li))\b", re.I
)


def _looks_like_html(body: str) -> bool:
    return bool(_HTML_TAG.search(body))


def _simple(item: dict[str, Any]) -> dict[str, Any]:
    dest = item.get("destinations") or {}
    to, cc, bcc = (list(dest.get(key) or []) for key in ("ToAddresses", "CcAddresses", "BccAddresses"))
    body = item.get("body") or ""
    # moto keeps one body for SendEmail: the HTML one when both were given.
    html = _looks_like_html(body)
    return {
        "id": item.get("id"),
        "kind": "simple",
        "source": item.get("source"),
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "recipients": _addresses(to + cc + bcc),
        "subject": item.get("subject") or "",
        "text": None if html else body,
        "html": body if html else None,
        "attachments": [],
    }


def _raw(item: dict[str, Any]) -> dict[str, Any]:
    message = email.message_from_string(item.get("raw_data") or "", policy=email.policy.default)

    def header_list(name: str) -> list[str]:
        return [str(value) for value in message.get_all(name, [])]

    def body(subtype: str) -> str | None:
        part = message.get_body(preferencelist=(subtype,))
        if part is None:
            return None
        content = part.get_content()
        return content if isinstance(content, str) else None

    attachments = [
        str(part.get_filename()) for part in message.walk() if not part.is_multipart() and part.get_filename()
    ]
    to, cc, bcc = header_list("To"), header_list("Cc"), header_list("Bcc")
    return {
        "id": item.get("id"),
        "kind": "raw",
        "source": item.get("source") or parseaddr(str(message.get("From", "")))[1],
        "to": to,
        "cc": cc,
        "bcc": bcc,
        # The envelope: the Destinations given plus the header recipients.
        "recipients": _addresses(list(item.get("destinations") or []) + to + cc + bcc),
        "subject": str(message.get("Subject", "")),
        "text": body("plain"),
        "html": body("html"),
        "attachments": attachments,
    }


def _templated(item: dict[str, Any]) -> dict[str, Any]:
    dest = item.get("destinations") or {}
    to, cc, bcc = (list(dest.get(key) or []) for key in ("ToAddresses", "CcAddresses", "BccAddresses"))
    return {
        "id": item.get("id"),
        "kind": "template",
        "source": item.get("source"),
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "recipients": _addresses(to + cc + bcc),
        "subject": f"[template {item.get('template')}]",
        "text": item.get("template_data"),
        "html": None,
        "attachments": [],
    }


def sent_emails(endpoint: str) -> list[dict[str, Any]]:
    """What the SES of the moto server at `endpoint` has sent (all accounts and regions).

    Read from moto's `GET /moto-api/data.json`, which lists every tracked model
    instance of the server process: `ses.Message` (SendEmail), `ses.RawMessage`
    (SendRawEmail, parsed here as MIME) and `ses.TemplateMessage` are exactly the
    entries of the SES backends' `sent_messages`. Each kind is in send order; moto
    records no time, so simple messages come before raw ones."""
    url = f"{endpoint.rstrip('/')}/moto-api/data.json"
    try:
        with _opener.open(url, timeout=30) as response:
            data = json.loads(response.read())
    except (OSError, ValueError) as error:
        raise EmbeddedAWSError(f"cannot read the SES outbox from {url}: {error}") from error
    ses = data.get("ses") or {}
    return (
        [_simple(item) for item in ses.get("Message", [])]
        + [_raw(item) for item in ses.get("RawMessage", [])]
        + [_templated(item) for item in ses.get("TemplateMessage", [])]
    )
