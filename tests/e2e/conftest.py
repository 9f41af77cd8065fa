"""One embedded AWS per e2e module, driven through the real `callcenter` executable."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "callcenter"
# The checkout under test: the executable's editable install may point at another checkout
# (a git worktree shares the venv), so its code is put first on the child's path.
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Operator:
    env: dict[str, str]
    endpoint: str

    @property
    def home(self) -> Path:
        return Path(self.env["CALLCENTER_HOME"])

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CLI), *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )

    def report(self, month: str) -> dict:
        done = self.run("report", "--month", month, "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def start_operator(home: Path) -> Operator:
    """An operator with their own CALLCENTER_HOME and a freshly started embedded AWS."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env["CALLCENTER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    op = Operator(env, f"http://127.0.0.1:{port}")
    started = op.run("local", "start", "--port", str(port), timeout=60)
    assert started.returncode == 0, started.stderr
    return op


@pytest.fixture(scope="module")
def operator(tmp_path_factory) -> Operator:
    op = start_operator(tmp_path_factory.mktemp("callcenter-home"))
    yield op
    op.run("local", "stop", timeout=60)


def write_jsonl(path: Path, lines: list) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
            handle.write("\n")
    return path
