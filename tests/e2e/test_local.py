"""`callcenter local start|outbox|stop`, driven as a user would: the real CLI in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path

import boto3
import pytest

from chalicelib.core.config import settings
from chalicelib.tables import all_models
from cli.embedded.aws import SIMULATED_CONNECT_FILES

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).parent / "callcenter"
REPO = Path(__file__).resolve().parents[2]
REGION = settings().region
SENDER = settings().sender_address


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def moto_pids(port: int) -> list[int]:
    """Processes serving moto on `port` (Linux /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z" and any(b"moto" in arg for arg in argv) and str(port).encode() in argv:
            pids.append(int(entry.name))
    return pids


class Local:
    """The CLI against one CALLCENTER_HOME and port, with no AWS_ENDPOINT_URL inherited."""

    def __init__(self, home: Path, port: int) -> None:
        self.home = home
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
        self.env["CALLCENTER_HOME"] = str(home)
        # This checkout's code first, whatever checkout the executable's editable install points at.
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), self.env.get("PYTHONPATH")]))

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CLI), "local", *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def state(self) -> dict[str, object] | None:
        path = self.home / "local.json"
        return json.loads(path.read_text()) if path.exists() else None

    def client(self, service: str):  # type: ignore[no-untyped-def]
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Local]:
    home = tmp_path / "callcenter-home"
    cli = Local(home, free_port())
    yield cli
    state = cli.state()
    cli.run("stop")
    if state:  # belt and braces: never leave a server behind
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(int(state["pid"]), signal.SIGKILL)  # type: ignore[call-overload]


def raw_report(recipient: str) -> str:
    message = MIMEMultipart("mixed")
    message["Subject"] = "Aylık çağrı raporu — Ekim"
    message["From"] = formataddr(("Çağrı Merkezi", SENDER))
    message["To"] = formataddr(("Genel Sekreterlik", recipient))
    body = MIMEMultipart("alternative")
    body.attach(MIMEText("Ekim ayı raporu ektedir.", "plain", "utf-8"))
    body.attach(MIMEText("<p>Ekim ayı raporu <b>ektedir</b>.</p>", "html", "utf-8"))
    message.attach(body)
    attachment = MIMEApplication(b"%PDF-1.4\n%fake\n", _subtype="pdf")
    attachment.add_header("Content-Disposition", "attachment", filename="cagri-raporu-2024-10.pdf")
    message.attach(attachment)
    return message.as_string()


def test_start_outbox_stop(local: Local) -> None:
    # What the simulated Connect remembered for an earlier server: a placement whose ClientToken
    # a new callback reuses would answer with a call the new records never hear of.
    local.home.mkdir(parents=True, exist_ok=True)
    for name in SIMULATED_CONNECT_FILES:
        (local.home / name).write_text("{}\n")
    began = time.monotonic()
    started = local.run("start", "--port", str(local.port))
    assert started.returncode == 0, started.stderr
    assert time.monotonic() - began < 30
    assert local.endpoint in started.stdout
    state = local.state()
    assert state is not None and state["endpoint"] == local.endpoint
    assert not (local.home / "connect-placements.jsonl").exists()
    # The simulated Connect starts afresh too: its only user is the local stage's supervisor, just seeded.
    users = json.loads((local.home / "connect-users.json").read_text())
    assert [u["username"] for u in users.values()] == ["basin"]

    tables = local.client("dynamodb").list_tables()["TableNames"]
    assert {model.Meta.table_name for model in all_models()} <= set(tables)
    identities = local.client("ses").list_identities()["Identities"]
    assert SENDER in identities
    assert SENDER.rpartition("@")[2] in identities

    again = local.run("start", "--port", str(local.port))
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stdout
    assert local.state() == state
    if Path("/proc").is_dir():
        assert moto_pids(local.port) == [state["pid"]]

    ses = local.client("ses")
    ses.send_raw_email(RawMessage={"Data": raw_report("genelsekreter@ostimteknik.edu.tr")})
    ses.send_email(
        Source=SENDER,
        Destination={
            "ToAddresses": ["basin@ostimteknik.edu.tr"],
            "CcAddresses": ["arsiv@ostimteknik.edu.tr"],
        },
        Message={"Subject": {"Data": "Geri arama listesi"}, "Body": {"Text": {"Data": "3 arayan bekliyor."}}},
    )

    outbox = local.run("outbox", "--format", "json")
    assert outbox.returncode == 0, outbox.stderr
    messages = {message["subject"]: message for message in json.loads(outbox.stdout)}
    assert set(messages) == {"Aylık çağrı raporu — Ekim", "Geri arama listesi"}

    report = messages["Aylık çağrı raporu — Ekim"]
    assert report["source"] == SENDER
    assert report["recipients"] == ["genelsekreter@ostimteknik.edu.tr"]
    assert report["text"].strip() == "Ekim ayı raporu ektedir."
    assert "<b>ektedir</b>" in report["html"]
    assert report["attachments"] == ["cagri-raporu-2024-10.pdf"]

    notice = messages["Geri arama listesi"]
    assert notice["source"] == SENDER
    assert notice["recipients"] == ["basin@ostimteknik.edu.tr", "arsiv@ostimteknik.edu.tr"]
    assert notice["to"] == ["basin@ostimteknik.edu.tr"]
    assert notice["text"] == "3 arayan bekliyor."
    assert notice["attachments"] == []

    table = local.run("outbox", COLUMNS="200")
    assert table.returncode == 0, table.stderr
    assert "Geri arama listesi" in table.stdout

    stopped = local.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert local.state() is None
    assert not answers(local.port)
    if Path("/proc").is_dir():
        assert moto_pids(local.port) == []


def test_stop_and_outbox_without_a_server(local: Local) -> None:
    stopped = local.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert "not running" in stopped.stdout

    outbox = local.run("outbox")
    assert outbox.returncode == 1
    assert "not running" in outbox.stderr
    assert len(outbox.stderr.strip().splitlines()) == 1


def test_start_on_a_busy_port_fails_clearly(local: Local) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", local.port))
        busy.listen()
        started = local.run("start", "--port", str(local.port))
    assert started.returncode == 1
    assert "in use" in started.stderr
    assert len(started.stderr.strip().splitlines()) == 1
    assert local.state() is None
