"""The repository explains itself: every relative link in the README and docs/ leads to a file that exists,
every path the README's map names exists, and nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "bench" / "README.md", ROOT / "infra" / "README.md", *(ROOT / "docs").glob("*.md")]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE_PATH = re.compile(r"`((?:chalicelib|cli|console|infra|tests|bench|docs|data|scripts)/[\w./*-]*)`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path):
    text = page.read_text(encoding="utf-8")
    missing = [
        target for target in LINK.findall(text) if "://" not in target and not (page.parent / target).resolve().exists()
    ]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(page: Path):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text and "CONTRACT.md" not in text and "ARCHITECTURE.md" not in text


def test_every_path_the_readme_map_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = [p for p in CODE_PATH.findall(text) if "*" not in p and "…" not in p]
    assert named, "the map names no paths"
    assert [p for p in named if not (ROOT / p).exists()] == []
