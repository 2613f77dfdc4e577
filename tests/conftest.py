"""Shared fixtures: the real site built once, a static server, fixture plan folders."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT / "hooks"))  # also set in pyproject.toml

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def mkdocs_build(site_dir: Path, plans_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build --strict``; plans_dir overrides ``plans/``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if plans_dir is not None:
        env["KEHOACH_PLANS_DIR"] = str(plans_dir)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def fixture_plans(tmp_path: Path, *overlays: Path) -> Path:
    """A plans folder: the valid base plus each overlay's files on top."""
    plans = tmp_path / "plans"
    shutil.copytree(FIXTURES / "base" / "plans", plans)
    for overlay in overlays:
        shutil.copytree(overlay / "plans", plans, dirs_exist_ok=True)
    return plans


def assert_refused_as_expected(fixture: Path, tmp_path: Path) -> None:
    """``check`` refuses the base plans with ``fixture``'s overlay, reporting exactly its ``expected.txt``.

    Each line of ``expected.txt`` is the start of one reported ``path:line: key: message``.
    """
    from kehoach.site import check

    graph, problems = check(fixture_plans(tmp_path, fixture), tmp_path)
    assert graph is None
    reported = [str(p) for p in problems]
    expected = [line for line in (fixture / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    for line in expected:
        assert any(r.startswith(line) for r in reported), f"{line!r} not in {reported}"
    assert len(reported) == len(expected), reported


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path, prefix: str = ""):
    """Serve ``directory`` on 127.0.0.1 (optionally under a URL prefix); yield the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/{prefix}"
        finally:
            httpd.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (no browser download), shared by the browser tests."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def phone(browser):
    """A fresh 360-px-wide page in Vietnamese, as a parent's phone opens the site."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


# -- markers: `build` (runs mkdocs on a whole site) and `browser` (drives Chromium) ----------------
BUILD_FIXTURES = {"built_site", "site_url"}
BROWSER_FIXTURES = {"browser", "phone"}
BUILD_CALLS = {"mkdocs_build", "serve"}
BUILD_MODULES = {"test_build", "test_editing", "test_shards"}  # whole-site builds, some through own helpers


def _calls(function, names: set[str], seen: set | None = None) -> bool:
    """Whether ``function`` (or a helper of its module it calls, transitively) calls one of ``names``."""
    seen = seen if seen is not None else set()
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    scope = getattr(function, "__globals__", {})
    return any(
        name in names or _calls(scope.get(name), names, seen)
        for name in code.co_names
        if name in names or callable(scope.get(name))
    )


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        function = getattr(item, "function", None)
        uses_fixture_build = any(
            _calls(getattr(d, "func", None), BUILD_CALLS)
            for name in fixtures
            for d in item._fixtureinfo.name2fixturedefs.get(name, ())
        )
        if (
            item.module.__name__ in BUILD_MODULES
            or fixtures & BUILD_FIXTURES
            or uses_fixture_build
            or (function and _calls(function, BUILD_CALLS))
        ):
            item.add_marker(pytest.mark.build)
