"""The house has an order, and imports follow it: a module never imports a layer above its own.

From the bottom: the shared vocabulary (`core`); the adapters to AWS and the shared stores
(`adapters`); contact records (`contacts`); the domains that act on them (`callbacks`, `referrals`,
`incidents`, `accounts`) and the agents' own activity (`activity`); those that read across them
(`privacy`, `reports`, `health`, `workspace`);
the live screen, which counts with the report's definitions (`live`); the registry of every table
(`tables`); the intake pipeline that hands a contact to its follow-ups (`intake`); the HTTP plumbing
(`web`); and on top the entry points: every blueprint's routes, handlers and pages, and `app.py`. Two
packages on one layer do not import each other either: a domain that needs another's news gets it
through a layer above (the intake pipeline's table of reactions).

Walks the source with `ast` (no import runs), as test_access.py walks the routes, so an import
against the order fails here, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS: list[tuple[str, ...]] = [
    ("chalicelib.core",),
    ("chalicelib.adapters",),
    ("chalicelib.contacts",),
    (
        "chalicelib.callbacks",
        "chalicelib.referrals",
        "chalicelib.incidents",
        "chalicelib.accounts",
        "chalicelib.activity",
        "chalicelib.closures",
    ),
    ("chalicelib.privacy", "chalicelib.reports", "chalicelib.health", "chalicelib.workspace"),
    ("chalicelib.live",),
    ("chalicelib.tables",),
    ("chalicelib.intake",),
    ("chalicelib.web",),
]
ENTRY = len(LAYERS)  # blueprints (routes, handlers, pages) and app.py: may import anything below
ENTRY_MODULES = ("routes", "handlers", "reply")


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def place(module: str) -> tuple[int, str]:
    """(layer, package) of a module: its package is the layer entry it falls under."""
    if module == "app" or module.rsplit(".", 1)[-1] in ENTRY_MODULES:
        return ENTRY, module
    for rank, packages in enumerate(LAYERS):
        for package in packages:
            if module == package or module.startswith(package + "."):
                return rank, package
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            # `from chalicelib.x import y`: y may be a module (chalicelib.x.y) or a name in chalicelib.x.
            found.append((node.lineno, next((n for n in reversed(names) if _exists(n)), node.module)))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name == "chalicelib" or name.startswith("chalicelib.")]


def _exists(module: str) -> bool:
    relative = Path(*module.split("."))
    return (ROOT / relative.with_suffix(".py")).exists() or (ROOT / relative / "__init__.py").exists()


def sources() -> list[Path]:
    package = ROOT / "chalicelib" / "__init__.py"  # the package itself: empty
    return sorted(p for p in (ROOT / "chalicelib").rglob("*.py") if p != package) + [ROOT / "app.py"]


def test_every_module_has_a_layer():
    for path in sources():
        place(module_of(path))


def test_no_module_imports_a_layer_above_its_own_or_a_neighbour_on_its_layer():
    problems = []
    for path in sources():
        module = module_of(path)
        rank, package = place(module)
        for line, imported in imports(path):
            if imported == "chalicelib":
                continue
            their_rank, their_package = place(imported)
            if their_rank > rank or (their_rank == rank < ENTRY and their_package != package):
                problems.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {imported}")
    assert problems == [], "\n".join(problems)
