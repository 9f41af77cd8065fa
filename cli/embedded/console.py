"""The agents' panel (console/, built into console/dist) as `callcenter local api` serves it at /console/.

Pure: `answer(method, path)` says what to send back — status, headers and body — for any path under
/console, so the request handler in `cli.embedded.api` stays a few lines and this is tested without a server.

- `/console/config.json` is the runtime configuration of the local stage, `{"mode": "local", "api": ""}`:
  the sign-in stand-in, and the API on the same origin (deployed stages write their own).
- A file of the build is sent as it is; the hashed files under `assets/` are cached for a year.
- Any other path is a client-side route: index.html, which the panel's router reads.
- Without a build (`console/dist/index.html` missing) a plain page says to run `make install`.

Every answer carries a strict Content-Security-Policy (no inline script, API calls to this origin only),
`X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. `frame-ancestors` lets the Amazon
Connect agent workspace frame the panel beside the CCP: the workspace runs at
`https://<instance-alias>.my.connect.aws/agent-app-v2/` (or under `*.awsapps.com` on older instances).
"""

from __future__ import annotations

import json
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

PREFIX = "/console"
DIST = Path(__file__).resolve().parents[2] / "console" / "dist"
LOCAL_CONFIG = {"mode": "local", "api": ""}
WORKSPACE_ORIGINS = ("https://*.my.connect.aws", "https://*.awsapps.com")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",  # Cloudscape's Open Sans comes inlined in its CSS
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self' " + " ".join(WORKSPACE_ORIGINS),
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

NOT_BUILT = """<!doctype html>
<html lang="tr"><head><meta charset="utf-8"><title>Çağrı paneli kurulmamış</title></head>
<body><main>
<h1>Çağrı paneli henüz derlenmemiş / The Çağrı panel is not built yet</h1>
<p>Depo kökünde <code>make install</code> çalıştırın; panel <code>console/dist</code> altına derlenir.</p>
<p>Run <code>make install</code> at the repository's root: it builds the panel into <code>console/dist</code>.</p>
</main></body></html>
"""

_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def dist_dir() -> Path:
    """The built panel: console/dist beside this checkout, or CALLCENTER_CONSOLE_DIST."""
    configured = os.environ.get("CALLCENTER_CONSOLE_DIST")
    return Path(configured) if configured else DIST


def is_console_path(raw_path: str) -> bool:
    path = urlsplit(raw_path).path
    return path == PREFIX or path.startswith(PREFIX + "/")


def _content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _answer(status: int, body: bytes, content_type: str, cache: str, **extra: str) -> Answer:
    headers = {**SECURITY_HEADERS, "Content-Type": content_type, "Cache-Control": cache, **extra}
    return Answer(status, headers, body)


def _text(status: int, message: str, **extra: str) -> Answer:
    return _answer(status, message.encode(), "text/plain; charset=utf-8", "no-store", **extra)


def _inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names inside `root`, or None for anything that would step outside it."""
    if "\x00" in relative or "\\" in relative:
        return None
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    candidate = root.joinpath(*parts).resolve() if parts else root.resolve()
    resolved_root = root.resolve()
    if candidate != resolved_root and resolved_root not in candidate.parents:
        return None
    return candidate


def answer(method: str, raw_path: str, dist: Path | None = None) -> Answer:
    """What `callcenter local api` sends for a request under /console."""
    root = dist if dist is not None else dist_dir()
    if method not in ("GET", "HEAD"):
        return _text(405, "Method Not Allowed\n", Allow="GET, HEAD")
    path = urlsplit(raw_path).path
    if path == PREFIX:
        query = urlsplit(raw_path).query
        location = PREFIX + "/" + (f"?{query}" if query else "")
        return _answer(301, b"", "text/plain; charset=utf-8", "no-store", Location=location)
    relative = unquote(path[len(PREFIX) + 1 :])
    if relative == "config.json":
        body = json.dumps(LOCAL_CONFIG).encode()
        return _answer(200, body, "application/json", "no-store")
    index = root / "index.html"
    if not index.is_file():
        return _answer(503, NOT_BUILT.encode(), "text/html; charset=utf-8", "no-store")
    target = _inside(root, relative)
    if target is None:
        return _text(404, "Not Found\n")
    if target.is_file():
        cache = IMMUTABLE if relative.startswith("assets/") else NO_CACHE
        return _answer(200, target.read_bytes(), _content_type(target.name), cache)
    # A missing file is a 404; a path without a file extension is one of the panel's own routes.
    if relative.startswith("assets/") or Path(relative).suffix:
        return _text(404, "Not Found\n")
    return _answer(200, index.read_bytes(), "text/html; charset=utf-8", NO_CACHE)
