from __future__ import annotations

import calendar
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
PINNED_TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Freshness depends on today; expected messages are written for this day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm(PINNED_TODAY.timetuple())))
    return PINNED_TODAY


def mkdocs_build(project: Path, site_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `mkdocs build` in a subprocess, as a user runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content of this repository, built once with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


def copy_project(source: Path, destination: Path) -> Path:
    """A throwaway project: mkdocs.yml of this repository beside a copy of `source` as faq_source/."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(source, destination / "faq_source")
    (destination / "docs").mkdir(exist_ok=True)
    return destination


# --- browser tests: Playwright driving Debian's Chromium, headless, against the built site -------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No test or bench reaches the network: every host name fails to resolve, so the browser reaches only
    # the loopback servers (by number, 127.0.0.1), never what a page asks of Google Fonts or GitHub's API.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    return found


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class _QuietHandler:
    """A static file server for the built site on a free loopback port."""

    @staticmethod
    def serve(directory: Path):  # type: ignore[no-untyped-def]
        import functools
        import http.server
        import threading

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 128  # the search worker fetches index pieces at once; 5 drops some for 1 s

        server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return server


@pytest.fixture(scope="session")
def site_url(example_site: Path):  # type: ignore[no-untyped-def]
    """Base URL (ending in /) of the example site served on loopback."""
    server = _QuietHandler.serve(example_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def page(browser, site_url: str):  # type: ignore[no-untyped-def]
    """A fresh browser tab with clipboard access; fails the test on any page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
