"""`salesfaq serve` rebuilds only the pages whose generated Markdown changed (MkDocs' dirty build)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from salesfaq import loader, pipeline


@pytest.fixture(autouse=True)
def _plugins_back_to_build() -> Iterator[None]:
    """MkDocs keeps plugin instances for the whole process: leave them as a plain build expects."""
    yield
    load_config(str(ROOT / "mkdocs.yml")).plugins.on_startup(command="build", dirty=False)


def _generated(project: Path, plugin_dirty: bool, rounds: list[str]) -> list[dict[str, bool]]:
    """Which generated pages MkDocs would rebuild, one dict per build, after writing each YAML text."""
    pricing = project / "faq_source" / "questions" / "pricing-and-plans.yaml"
    results = []
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="serve", dirty=plugin_dirty)
    for text in rounds:
        pricing.write_text(text, encoding="utf-8")
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))  # as serve does
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        results.append({f.src_uri: f.is_modified() for f in files.documentation_pages() if f.generated_by})
    return results


def test_only_changed_pages_are_rebuilt_under_serve_dirty(tmp_path: Path) -> None:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    original = (project / "faq_source" / "questions" / "pricing-and-plans.yaml").read_text(encoding="utf-8")
    changed = original.replace("question: ", "question: Edited ", 1)
    first, same, edited = _generated(project, True, [original, original, changed])
    assert all(first.values()), "the first build of a session builds everything"
    assert not any(same.values()), "nothing changed, nothing rebuilt"
    assert edited["questions/pricing-and-plans.md"]
    assert not edited["personas/it-security.md"]
    assert sum(edited.values()) < len(edited) / 2


def test_a_plain_serve_rebuilds_everything(tmp_path: Path) -> None:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    original = (project / "faq_source" / "questions" / "pricing-and-plans.yaml").read_text(encoding="utf-8")
    _, same = _generated(project, False, [original, original])
    assert all(same.values())


def _parsed_files(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The files the loader parses from now on (their display paths), in order."""
    parsed: list[str] = []
    real = loader._parse

    def counting(raw: bytes, shown_as: str, schema: type) -> loader.Loaded:
        parsed.append(Path(shown_as).name)
        return real(raw, shown_as, schema)

    monkeypatch.setattr(loader, "_parse", counting)
    return parsed


def test_a_rebuild_under_serve_parses_only_the_files_that_changed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    source = project / "faq_source"
    pricing = source / "questions" / "pricing-and-plans.yaml"
    original = pricing.read_text(encoding="utf-8")
    every_file = sorted(p.name for p in source.rglob("*.yaml") if p.parent.name != "schema")
    cache = loader.LoadCache()
    parsed = _parsed_files(monkeypatch)
    saves = [  # the text saved before each rebuild, and the files that rebuild must parse
        (original, every_file),
        (original, []),
        (original.replace("question: ", "question: Edited ", 1), ["pricing-and-plans.yaml"]),
        ("entries: [", ["pricing-and-plans.yaml"]),  # broken: its error must come back every rebuild
        ("entries: [", []),
        (original, ["pricing-and-plans.yaml"]),
    ]
    for text, expected in saves:
        pricing.write_text(text, encoding="utf-8")
        parsed.clear()
        cached_base, cached_problems = pipeline.validate(source, cache)
        assert sorted(parsed) == expected
        fresh_base, fresh_problems = pipeline.validate(source)
        assert list(cached_problems) == list(fresh_problems), "the cache changes no problem"
        assert [(t.source, t.model) for t in cached_base.topics] == [(t.source, t.model) for t in fresh_base.topics]
        assert cached_base.site == fresh_base.site
        assert cached_base.unread == fresh_base.unread


def test_the_plugin_keeps_load_results_only_under_serve(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    parsed = _parsed_files(monkeypatch)
    original = (project / "faq_source" / "questions" / "pricing-and-plans.yaml").read_text(encoding="utf-8")
    _generated(project, True, [original])
    first = len(parsed)
    parsed.clear()
    _generated(project, True, [original, original.replace("question: ", "question: Edited ", 1)])
    assert len(parsed) == first + 1, "serve: a session parses every file once, later rebuilds only the saved one"
    parsed.clear()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins.on_config(config)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_config(config)
    assert len(parsed) == 2 * first, "build: every file parsed each time"


def _checked_pages(monkeypatch) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The pages each build's nothing-lost check goes through, one list per build (the check still runs)."""
    from salesfaq import plugin

    checked: list[list[str]] = []
    real = plugin.verify_site

    def recording(pages, site_dir, **kwargs):  # type: ignore[no-untyped-def]
        pages = list(pages)
        checked.append([path for path, _ in pages])
        return real(pages, site_dir, **kwargs)

    monkeypatch.setattr(plugin, "verify_site", recording)
    return checked


def test_a_rebuild_under_serve_checks_the_pages_it_rebuilt(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mkdocs.commands.build import build

    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    pricing = project / "faq_source" / "questions" / "pricing-and-plans.yaml"
    checked = _checked_pages(monkeypatch)
    site = str(tmp_path / "site")
    config = load_config(str(project / "mkdocs.yml"), site_dir=site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    pricing.write_text(pricing.read_text(encoding="utf-8").replace("question: ", "question: Edited ", 1))
    config = load_config(str(project / "mkdocs.yml"), site_dir=site)  # as serve does
    build(config, dirty=True)
    config.plugins["salesfaq"].settle()  # the check runs once the build has returned (on_post_build)
    first, rebuilt = checked
    assert "questions/pricing-and-plans.md" in rebuilt and "personas/it-security.md" in first
    assert set(rebuilt) < set(first), "only the pages rebuilt, each checked against its new HTML"
    assert rebuilt == [path for path in first if path not in config.plugins["salesfaq"].kept]


def test_a_new_serve_session_in_the_same_process_starts_fresh(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """MkDocs hands the same plugin instance to every command run in one process with the same settings: a
    second `serve` must check every page of its first build, not keep pages because an earlier session built
    the same Markdown."""
    from mkdocs.commands.build import build

    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    checked = _checked_pages(monkeypatch)
    instances = []
    for session in ("first", "second"):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / session))
        config.plugins.on_startup(command="serve", dirty=True)
        instances.append(config.plugins["salesfaq"])
        build(config, dirty=True)
    instances[1].settle()
    assert instances[0] is instances[1]  # what made the leak possible
    assert checked[1] == checked[0] and "questions/pricing-and-plans.md" in checked[1]
    assert not config.plugins["salesfaq"].kept


def test_serve_makes_the_search_index_after_a_rebuild_returns(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Under `serve` the session's first build is served whole (a rep may search at once); after a save the page
    reloads as soon as the rebuild returns, the search index and the nothing-lost check follow, and the next
    rebuild (or the end of the session) waits for them."""
    import threading

    from mkdocs.commands.build import build
    from salesfaq.plugin import SalesFaqPlugin

    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    site = tmp_path / "site"
    index = site / "search" / "salesfaq" / "index.json"
    release, written = threading.Event(), []
    real = SalesFaqPlugin._write_search

    def held(self, config, base):  # type: ignore[no-untyped-def]
        assert release.wait(60)
        real(self, config, base)
        written.append(True)

    monkeypatch.setattr(SalesFaqPlugin, "_write_search", held)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    release.set()
    build(config, dirty=True)  # the session's first build: its search index is there when it returns
    assert written and index.exists()
    first = index.read_bytes()
    topic = project / "faq_source" / "questions" / "pricing-and-plans.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("Is there a free trial?", "Is there a free trial period?")
    )
    release.clear()
    try:
        build(config, dirty=True)  # a rebuild returns with the index still held
        assert "free trial period" in (site / "questions" / "pricing-and-plans" / "index.html").read_text()
        assert len(written) == 1 and index.read_bytes() == first
    finally:
        release.set()
    config.plugins.on_shutdown()
    assert len(written) == 2 and index.read_bytes() != first
