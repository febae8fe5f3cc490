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
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
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
