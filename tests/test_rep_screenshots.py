"""The README's screenshots come from tools/screenshots.py; running it here keeps the script working."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_screenshot_script_takes_all_four(browser, site_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tool = _tool()
    paths = tool.take(browser, site_url, tmp_path)
    assert [p.name for p in paths] == list(tool.SHOTS)
    sizes = {p.name: _png_size(p) for p in paths}
    assert sizes["home.png"] == sizes["search.png"] == sizes["battlecard.png"] == (1280, 800)
    assert sizes["answer-phone.png"] == (390 * 2, 844 * 2)  # a sharp phone shot at twice the pixels
    for path in paths:
        assert path.stat().st_size > 30_000, f"{path.name} looks blank"


def test_readme_shows_the_committed_screenshots() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _tool().SHOTS:
        assert f"](screenshots/{name})" in readme, f"README does not show {name}"
        assert (ROOT / "screenshots" / name).is_file(), f"screenshots/{name} is not committed: run make screenshots"
    assert "make screenshots" in readme
