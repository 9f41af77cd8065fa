"""Modules a blueprint's views use, loaded on their first use instead of at import (cold start).

Chalice deploys one app: every Lambda imports every blueprint, so without this the contact-event
function would load the accounts, privacy and live services it never calls, and the API the intake
pipeline. `lazy(name)` returns the module object at once and runs its code on the first attribute
access (importlib's LazyLoader); once loaded it is the ordinary module, so tests that patch it, and
later `import` statements, see the same object.

LazyLoader is not thread-safe before Python 3.12: a threaded server (the local API) calls
`load_all()` before serving. A Lambda container runs one invocation at a time.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

_DEFERRED: list[str] = []


def lazy(name: str) -> ModuleType:
    """The module `name`, its code run on first use (or the module itself if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # as `import a.b` leaves it on `a`
    _DEFERRED.append(name)
    return module


def load_all() -> None:
    """Run every deferred module's code now (before threads share them)."""
    for name in list(_DEFERRED):
        getattr(sys.modules[name], "__name__")  # noqa: B009 - any attribute access runs the code
