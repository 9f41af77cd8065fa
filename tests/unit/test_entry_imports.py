"""The entry point defers each function's domain: `import app` runs the blueprints and what every
function shares, not the intake pipeline the API never calls nor the services the contact functions
never call (the cold-start figure in bench/README.md)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import sys, app
ran = sorted(n for n, m in sys.modules.items() if n.startswith("chalicelib") and type(m).__name__ != "_LazyModule")
print("\\n".join(ran))
"""

DEFERRED = (
    "chalicelib.intake.pipeline",
    "chalicelib.intake.flow",
    "chalicelib.accounts.service",
    "chalicelib.privacy.service",
    "chalicelib.live.service",
    "chalicelib.workspace.card",
    "chalicelib.referrals.agents_side",
    "chalicelib.referrals.unit_side",
    "chalicelib.callbacks.dispatcher",
    "chalicelib.reports.monthly",
    "chalicelib.activity.intake",
    "chalicelib.closures.service",
    "chalicelib.adapters.closures",
)


def _modules_run_by_import() -> set[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_importing_the_app_runs_no_functions_domain():
    ran = _modules_run_by_import()
    assert "chalicelib.web.access" in ran  # the probe sees what did run
    assert not ran & set(DEFERRED), sorted(ran & set(DEFERRED))


def test_a_deferred_module_runs_on_first_use_and_is_then_the_ordinary_module():
    probe = (
        "import sys, app\n"
        "from chalicelib.intake import handlers\n"
        "handlers.pipeline.ingest_ctr\n"
        "m = sys.modules['chalicelib.intake.pipeline']\n"
        "print(type(m).__name__, m is handlers.pipeline)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["module", "True"]
