"""Compiled templates are kept between runs (caching.TemplateCache) and never change what is built."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from conftest import copy_project, mkdocs_build
from salesfaq import caching, pipeline, render

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
    assert list((tmp_path / "templates").rglob("*.cache")), "no compiled template was kept"

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


def test_environments_set_up_differently_never_share_compiled_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESFAQ_CACHE", str(tmp_path))
    plain = caching.TemplateCache("theme", jinja2.Environment()).folder()
    assert plain == caching.TemplateCache("theme", jinja2.Environment()).folder()  # the same in every process
    others = [
        jinja2.Environment(trim_blocks=True),
        jinja2.Environment(extensions=["jinja2.ext.i18n"]),
        jinja2.Environment(autoescape=True),
        jinja2.Environment(undefined=jinja2.StrictUndefined),
        jinja2.Environment(variable_start_string="[[", variable_end_string="]]"),
    ]
    folders = {caching.TemplateCache("theme", env).folder() for env in others}
    assert len(folders) == len(others) and plain not in folders
    assert caching.TemplateCache("salesfaq", jinja2.Environment()).folder() != plain
    # A plugin may change the environment after the cache is set: what it compiles from then on goes apart.
    later = jinja2.Environment()
    cache = caching.TemplateCache("theme", later)
    later.add_extension("jinja2.ext.loopcontrols")
    assert cache.folder() != plain and cache.folder() == caching.TemplateCache("theme", later).folder()


def test_a_build_from_compiled_templates_is_the_same_as_one_that_compiles_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Salesfaq's and Material's templates: compiled by the first `mkdocs build`, read back by the next."""
    monkeypatch.setenv("SALESFAQ_CACHE", str(tmp_path / "cache"))
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    first, second = tmp_path / "a", tmp_path / "b"
    assert mkdocs_build(project, first).returncode == 0
    kept = {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "templates").rglob("*.cache")}
    assert {path.parent.name.split("-")[0] for path in kept} == {"salesfaq", "theme"}
    assert mkdocs_build(project, second).returncode == 0
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "templates").rglob("*.cache")} == kept
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.suffix != ".gz")
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file() and p.suffix != ".gz")
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
