"""The monthly report's rendering stack as a Lambda layer, on that function alone (`requirements-charts.txt`).

Charts (matplotlib, numpy, pillow, fontTools) and the workbook (openpyxl) are about 135 MB unzipped, and
only `monthly_report` imports them; in the shared deployment package they made every function ship them.
So `chalice package` packages `requirements.txt` only, and this layer carries the rest:

- deployable (`vendor_dependencies`): pip installs `requirements-charts.txt` (pinned by `constraints.txt`)
  as wheels for Lambda's platform (manylinux2014 x86_64, CPython 3.11) into `python/`, where Lambda's
  Python runtime finds a layer's packages;
- a review synthesis (`make synth`, the tests: no network): a placeholder asset saying so, never deployed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.tables import ROOT

REQUIREMENTS = ROOT / "requirements-charts.txt"
PLATFORM = ("--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", "3.11")


def build(directory: Path, deployable: bool) -> Path:
    """The layer's content in `directory`: the real packages when deployable, else a placeholder."""
    shutil.rmtree(directory, ignore_errors=True)
    target = directory / "python"
    target.mkdir(parents=True)
    if not deployable:
        (target / "NOT-DEPLOYABLE.txt").write_text(
            "A review synthesis: the report's rendering stack is installed here only with vendor_dependencies=1.\n"
        )
        return directory
    subprocess.run(  # noqa: S603 - our own interpreter and files, no outside input
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--only-binary=:all:"]
        + [*PLATFORM, "--target", str(target), "-r", str(REQUIREMENTS), "-c", str(ROOT / "constraints.txt")],
        check=True,
    )
    return directory


def report_layer(scope: Construct, build_dir: Path, deployable: bool) -> lambda_.LayerVersion:
    return lambda_.LayerVersion(
        scope,
        "ReportRendering",
        code=lambda_.Code.from_asset(str(build(build_dir / "report-layer", deployable))),
        compatible_runtimes=[lambda_.Runtime.PYTHON_3_11],
        description="Cagri: the monthly report's charts and workbook (requirements-charts.txt)",
    )
