"""Internal content never reaches a public build: every internal string is grepped for in every output file."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CASES, copy_project

CASE = CASES / "valid" / "internal-content" / "faq_source"
SECRET = re.compile(r"zqxsecret\d*", re.IGNORECASE)
"""Every internal string of the case carries this marker (ids, titles, answers, list items, urls, keys)."""


def _secrets() -> set[str]:
    return {m.lower() for file in CASE.rglob("*.yaml") for m in SECRET.findall(file.read_text(encoding="utf-8"))}


def _build(project: Path, site: Path, *args: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SALESFAQ_PUBLIC", None)
    result = subprocess.run(
        [sys.executable, "-m", "salesfaq.cli", "build", "-d", str(site), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def _output_text(site: Path) -> dict[str, str]:
    texts = {}
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        if file.suffix == ".zip":  # the offline copy: every file inside it counts as output too
            with zipfile.ZipFile(file) as archive:
                for name in archive.namelist():
                    texts[f"{file.relative_to(site).as_posix()}/{name}"] = archive.read(name).decode("utf-8", "replace")
            continue
        raw = file.read_bytes()
        if file.suffix == ".gz":
            raw = gzip.decompress(raw)
        texts[file.relative_to(site).as_posix()] = raw.decode("utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    root = tmp_path_factory.mktemp("internal")
    project = copy_project(CASE, root / "project")
    _build(project, root / "full")
    _build(project, root / "public", "--public")
    return _output_text(root / "full"), _output_text(root / "public")


def test_a_full_build_shows_every_internal_string(builds: tuple[dict[str, str], dict[str, str]]) -> None:
    full, _ = builds
    found = {m.lower() for text in full.values() for m in SECRET.findall(text)}
    # search_tests.yaml is never rendered; everything else must be visible to the sales team
    assert _secrets() - found == set()


def test_a_public_build_contains_no_internal_string(builds: tuple[dict[str, str], dict[str, str]]) -> None:
    _, public = builds
    leaks = {path: sorted(set(SECRET.findall(text))) for path, text in public.items() if SECRET.search(text)}
    assert leaks == {}


def test_the_offline_copy_is_checked_too(builds: tuple[dict[str, str], dict[str, str]]) -> None:
    full, public = builds
    for texts in (full, public):
        inside = [path for path in texts if ".zip/" in path and path.endswith("index.html")]
        assert inside, "the build zips an offline copy and the grep above reads inside it"
    assert any(SECRET.search(text) for path, text in full.items() if ".zip/" in path)


def test_a_public_build_keeps_the_public_content(builds: tuple[dict[str, str], dict[str, str]]) -> None:
    _, public = builds
    everything = "\n".join(public.values())
    for text in [
        "Is there a free trial lasting fourteen days",
        "Volume tiers start at fifty seats",
        "Compare total cost including agent hours saved",
        "Acme needs a two week onboarding project",
        "The buyer wants to be live this month",
        "Single sign-on and audit logs",
        "Offline mode is planned",
    ]:
        assert text in everything, text
    assert "zqxsecret" not in public["sitemap.xml"]
