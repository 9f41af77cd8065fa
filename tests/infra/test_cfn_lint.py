"""cfn-lint (with its SAM schemas) finds no error and no warning in the synthesized template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_cfn_lint_is_clean(template_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--regions", "eu-central-1", "--", str(template_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
