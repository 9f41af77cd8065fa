"""Cold start: the median time to import the app in a fresh interpreter, beside importing only its
dependencies (10 runs each, interleaved so machine drift hits both alike), and which heavy report
libraries an event Lambda's import pulls in (it must be none)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "import app"
# Every module outside the app that importing the app loads, imported alone: the baseline.
_LIST_DEPENDENCIES = (
    "import sys; before = set(sys.modules); import app; "
    "print('\\n'.join(sorted(m for m in set(sys.modules) - before "
    "if m != 'app' and not m.startswith('chalicelib'))))"
)
HEAVY = ("matplotlib", "openpyxl", "jinja2", "numpy", "PIL")


def _time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def _dependencies_code() -> str:
    listed = subprocess.run(
        [sys.executable, "-c", _LIST_DEPENDENCIES], cwd=ROOT, check=True, capture_output=True, text=True
    )
    modules = [m for m in listed.stdout.split() if m]
    return (
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    try:\n        importlib.import_module(name)\n    except Exception:\n        pass\n"
    )


def bench_cold_start(runs: int = 10) -> dict:
    dependencies = _dependencies_code()
    _time(APP)  # warm the file cache once, as a Lambda image's is
    deps, app = [], []
    for _ in range(runs):
        deps.append(_time(dependencies))
        app.append(_time(APP))
    check = f"import sys; {APP}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True, capture_output=True, text=True)
    return {
        "runs": runs,
        "app_import_median_s": round(statistics.median(app), 3),
        "dependencies_import_median_s": round(statistics.median(deps), 3),
        "ratio_to_dependencies": round(statistics.median(app) / statistics.median(deps), 2),
        "target_ratio": 1.3,
        "heavy_libraries_loaded_by_app_import": loaded.stdout.strip() or "none",
    }
