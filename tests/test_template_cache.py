"""Compiled templates are kept between runs (caching.TemplateCache) and never change what is built."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from salesfaq import pipeline, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _new_environments() -> Iterator[None]:
    """Each test's environments use its cache folder, and later tests get theirs again."""
    yield
    render.environment.cache_clear()


def _pages() -> dict[str, str]:
    render.environment.cache_clear()  # a new environment, as a new process has
    result = pipeline.run(ROOT / "faq_source")
    assert result.site is not None, result.problems.format()
    return {page.path: page.markdown for page in result.site.pages}


def test_templates_compiled_once_are_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESFAQ_CACHE", str(tmp_path))
    first = _pages()
    assert list((tmp_path / "templates").iterdir()), "no compiled template was kept"

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    assert _pages() == first


def test_a_cache_folder_that_cannot_be_written_only_means_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESFAQ_CACHE", str(tmp_path / "taken"))
    (tmp_path / "taken").write_text("a file where the cache folder would go", encoding="utf-8")
    assert _pages() == _pages()
