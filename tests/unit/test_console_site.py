"""The agents' panel as `callcenter local api` serves it: files, client-side routes, config, headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.embedded import console as console_site
from cli.embedded.console import answer, is_console_path

INDEX = (
    b'<!doctype html><html lang="tr"><title>Cagri</title><script type="module" src="/console/assets/app.js"></script>'
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "app-1a2b.js").write_bytes(b"console.log(1)")
    (root / "assets" / "app-1a2b.css").write_bytes(b"body{}")
    (tmp_path / "secret.txt").write_text("outside the build")
    return root


def test_only_the_console_prefix_is_the_panels() -> None:
    assert is_console_path("/console") and is_console_path("/console/") and is_console_path("/console/work?x=1")
    assert not is_console_path("/consoles") and not is_console_path("/referrals") and not is_console_path("/")


def test_index_for_the_root_and_every_client_side_route(dist: Path) -> None:
    for path in ("/console/", "/console/work", "/console/refer?contact=c-1", "/console/supervisor/agents/ayse"):
        found = answer("GET", path, dist)
        assert found.status == 200, path
        assert found.body == INDEX
        assert found.headers["Content-Type"] == "text/html; charset=utf-8"
        assert found.headers["Cache-Control"] == "no-cache"


def test_bare_prefix_redirects_keeping_the_query(dist: Path) -> None:
    found = answer("GET", "/console?contact=c-9", dist)
    assert found.status == 301 and found.headers["Location"] == "/console/?contact=c-9"


def test_built_files_with_their_type_and_hashed_assets_cached(dist: Path) -> None:
    js = answer("GET", "/console/assets/app-1a2b.js", dist)
    assert js.status == 200 and js.body == b"console.log(1)"
    assert js.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "immutable" in js.headers["Cache-Control"]
    css = answer("GET", "/console/assets/app-1a2b.css", dist)
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"


def test_missing_files_are_404_not_the_index(dist: Path) -> None:
    assert answer("GET", "/console/assets/gone-0000.js", dist).status == 404
    assert answer("GET", "/console/favicon.ico", dist).status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/console/../secret.txt",
        "/console/%2e%2e/secret.txt",
        "/console/assets/..%2f..%2fsecret.txt",
        "/console/a%00b.js",
    ],
)
def test_nothing_outside_the_build_is_served(dist: Path, path: str) -> None:
    found = answer("GET", path, dist)
    assert b"outside the build" not in found.body
    assert found.status in (200, 404)  # the index for a route-like path, 404 otherwise


def test_the_local_runtime_config(dist: Path, tmp_path: Path) -> None:
    for root in (dist, tmp_path / "not-built"):
        found = answer("GET", "/console/config.json", root)
        assert found.status == 200
        assert json.loads(found.body) == {"mode": "local", "api": ""}
        assert found.headers["Cache-Control"] == "no-store"


def test_without_a_build_a_plain_page_says_what_to_run(tmp_path: Path) -> None:
    found = answer("GET", "/console/", tmp_path / "nothing")
    assert found.status == 503
    assert b"make install" in found.body
    assert b"<script" not in found.body


def test_every_answer_carries_the_security_headers(dist: Path, tmp_path: Path) -> None:
    answers = [
        answer("GET", "/console/", dist),
        answer("GET", "/console/assets/app-1a2b.js", dist),
        answer("GET", "/console/config.json", dist),
        answer("GET", "/console/assets/none.js", dist),
        answer("GET", "/console/", tmp_path / "nothing"),
        answer("POST", "/console/", dist),
    ]
    for found in answers:
        assert found.headers["X-Content-Type-Options"] == "nosniff"
        assert found.headers["Referrer-Policy"] == "no-referrer"
        csp = found.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"  # no inline script, no eval
        assert directives["connect-src"] == "'self'"
        assert directives["default-src"] == "'none'"
        assert "unsafe" not in csp
        assert directives["frame-ancestors"].split() == ["'self'", "https://*.my.connect.aws", "https://*.awsapps.com"]
        assert "X-Frame-Options" not in found.headers  # it would forbid the agent workspace's frame


def test_only_get_and_head(dist: Path) -> None:
    found = answer("POST", "/console/config.json", dist)
    assert found.status == 405 and found.headers["Allow"] == "GET, HEAD"
    assert answer("HEAD", "/console/", dist).status == 200


def test_dist_can_be_pointed_elsewhere(monkeypatch: pytest.MonkeyPatch, dist: Path) -> None:
    monkeypatch.setenv("CALLCENTER_CONSOLE_DIST", str(dist))
    assert console_site.dist_dir() == dist
    monkeypatch.delenv("CALLCENTER_CONSOLE_DIST")
    assert console_site.dist_dir() == Path(console_site.__file__).resolve().parents[2] / "console" / "dist"
