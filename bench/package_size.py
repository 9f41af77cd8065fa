"""The Lambda deployment package as `chalice package` builds it (wheels for Lambda's python3.11),
its zipped and unzipped size (Lambda's limit: 250 MB unzipped), and what dominates it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("app.py", "chalicelib", ".chalice", "requirements.txt")


def bench_package_size() -> dict:
    with tempfile.TemporaryDirectory(prefix="cagri-package-") as tmp:
        project = Path(tmp) / "cagri"
        project.mkdir()
        for name in SHIPPED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "deployments"))
            else:
                shutil.copy2(source, project / name)
        out = Path(tmp) / "out"
        chalice = Path(sys.executable).with_name("chalice")
        env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-central-1")}
        subprocess.run([str(chalice), "package", "--stage", "dev", str(out)], cwd=project, env=env, check=True)
        archive = out / "deployment.zip"
        by_top: Counter = Counter()
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                by_top[info.filename.split("/", 1)[0]] += info.file_size
        unzipped = sum(by_top.values())
        charts = sum(by_top[k] for k in by_top if k.split("-")[0] in CHART_STACK)
        return {
            "zipped_mb": round(archive.stat().st_size / 1e6, 1),
            "unzipped_mb": round(unzipped / 1e6, 1),
            "lambda_limit_unzipped_mb": 250,
            "chart_stack_mb": round(charts / 1e6, 1),
            "largest": {name: round(size / 1e6, 1) for name, size in by_top.most_common(8)},
        }


# Needed by the monthly report only (inline charts): a candidate for a layer of its own.
CHART_STACK = {
    "numpy",
    "numpy.libs",
    "matplotlib",
    "fontTools",
    "PIL",
    "pillow.libs",
    "kiwisolver",
    "contourpy",
    "cycler",
    "pyparsing",
}
