"""What the browser tests share: Debian's Chromium as Playwright drives it, and `callcenter local api`
served on a free port for one test module."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI, REPO, Operator, _free_port

CHROMIUM = Path(os.environ.get("CALLCENTER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-proxy-server",  # the app is on loopback, whatever HTTP(S)_PROXY says
]
AXE = REPO / "console" / "node_modules" / "axe-core" / "axe.min.js"


def require_chromium(*, console: bool = False) -> Path:
    """Chromium's path, or the test module fails saying what to install (and, for the console's pages,
    that console/ must be built with axe-core beside it)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it. "
            "Run scripts/ensure-chromium (make test does) or install Debian's `chromium` package.",
            pytrace=False,
        )
    if console and not ((REPO / "console" / "dist" / "index.html").is_file() and AXE.is_file()):
        pytest.fail("console/ is not installed and built: run `make install`", pytrace=False)
    return CHROMIUM


@contextlib.contextmanager
def chromium(path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def local_api(operator: Operator, log_dir: Path) -> Iterator[str]:
    """`callcenter local api` on a free port against the operator's embedded AWS; yields its base URL."""
    port = _free_port()
    log = log_dir / "api.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(CLI), "local", "api", "--port", str(port)],
            env=operator.env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`callcenter local api` did not come up: {log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
