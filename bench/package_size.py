"""The Lambda deployment package as `chalice package` builds it (wheels for Lambda's python3.11): what
every function but the monthly report ships, and the report function's layer (its charts and workbook,
`requirements-charts.txt`, built as infra/report_layer.py builds it) — zipped and unzipped (Lambda's limit:
250 MB unzipped, package and layers together), and what dominates them."""

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
        layer_zipped, layer_unzipped = _layer(Path(tmp))
        return {
            "contact_functions_zipped_mb": round(archive.stat().st_size / 1e6, 1),
            "contact_functions_unzipped_mb": round(unzipped / 1e6, 1),
            "contact_functions_target_zipped_mb": 50,
            "chart_stack_in_the_package_mb": round(charts / 1e6, 1),
            "report_layer_zipped_mb": round(layer_zipped / 1e6, 1),
            "report_function_zipped_mb": round((archive.stat().st_size + layer_zipped) / 1e6, 1),
            "report_function_unzipped_mb": round((unzipped + layer_unzipped) / 1e6, 1),
            "lambda_limit_unzipped_mb": 250,
            "largest": {name: round(size / 1e6, 1) for name, size in by_top.most_common(8)},
        }


def _layer(tmp: Path) -> tuple[int, int]:
    """The report function's layer as the stack builds it: (zipped, unzipped) bytes."""
    sys.path.insert(0, str(ROOT))
    from infra.report_layer import build

    directory = build(tmp / "layer", deployable=True)
    archive = shutil.make_archive(str(tmp / "layer"), "zip", directory)
    unzipped = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
    return Path(archive).stat().st_size, unzipped


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
