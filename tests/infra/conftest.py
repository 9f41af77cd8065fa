"""Synthesizes the `dev` stack once per test run (no AWS account, no network) for every infra test.

`python -m infra.app` runs in a subprocess, so `chalice package` loads the app in a clean process.
Under pytest-xdist the workers share one synthesis through a lock on the session's base temp dir.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGE = "dev"


def _synthesize(outdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"  # Node 20 on this machine: works, warns
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "infra.app", "--outdir", str(outdir), "--stage", STAGE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (outdir / "synth-seconds").write_text(f"{time.monotonic() - started:.1f}")


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory, worker_id) -> Path:
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    outdir = shared / "infra-cdk.out"
    with open(shared / "infra-synth.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (outdir / "manifest.json").exists():
            _synthesize(outdir)
    return outdir


@pytest.fixture(scope="session")
def template_path(cdk_out) -> Path:
    return cdk_out / f"{STAGE}.template.json"


@pytest.fixture(scope="session")
def template(template_path) -> dict:
    return json.loads(template_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def resources(template) -> dict:
    return template["Resources"]


def of_type(resources: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}
