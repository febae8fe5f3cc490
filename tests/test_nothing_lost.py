"""Nothing lost: a build whose output misses an entry's anchor, search title or text fails, naming the entry.

Proven by sabotage: a user template override that drops an entry or its text must fail a real
`mkdocs build`, and a search index with an entry taken out must fail the check.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, mkdocs_build
from salesfaq import pipeline
from salesfaq.render import TEMPLATES
from salesfaq.verify import PageEntry, page_url, verify_site, visible_text

SOURCE = """\
title: Pricing
entries:
  - id: free-trial
    question: Is there a free trial?
    short_answer: Yes, 14 days with every feature & no card <needed>.
    answer: Yes, 14 days with every feature.
  - id: discounts
    question: Do you discount for nonprofits?
    answer: |
      Yes: **30% off** every plan for registered [nonprofits](https://example.com/np), applied at checkout.
"""


def _project(tmp_path: Path, override: dict[str, str] | None = None) -> Path:
    source = tmp_path / "src"
    (source / "questions").mkdir(parents=True)
    (source / "questions" / "pricing.yaml").write_text(SOURCE, encoding="utf-8")
    project = copy_project(source, tmp_path / "project")
    if override:
        folder = project / "overrides"
        folder.mkdir()
        for name, text in override.items():
            (folder / name).write_text(text, encoding="utf-8")
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "source: faq_source", "source: faq_source\n      templates: overrides"
            ),
            encoding="utf-8",
        )
    return project


def _builtin(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def test_an_untouched_build_passes_the_check(tmp_path: Path) -> None:
    result = mkdocs_build(_project(tmp_path), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "missing from the built site" not in result.stderr


def test_a_template_that_drops_an_entry_fails_the_build(tmp_path: Path) -> None:
    topic = _builtin("topic.md.j2").replace("{% for e, index in entries %}", "{% for e, index in entries[1:] %}")
    result = mkdocs_build(_project(tmp_path, {"topic.md.j2": topic}), tmp_path / "site")
    assert result.returncode == 1
    assert (
        "faq_source/questions/pricing.yaml:3:5: [error] entry 'free-trial' is missing from the built site: "
        "no anchor #free-trial in questions/pricing/index.html"
    ) in result.stderr
    assert "entry 'discounts'" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_template_that_drops_the_text_fails_the_build(tmp_path: Path) -> None:
    heading_only = (
        '{% import "_macros.md.j2" as m with context %}\n# {{ topic.model.title|plain }}\n\n'
        "{% for e, index in entries %}\n## {{ e.title|plain }} { #{{ e.id }} }\n\n{% endfor %}\n"
    )
    result = mkdocs_build(_project(tmp_path, {"topic.md.j2": heading_only}), tmp_path / "site")
    assert result.returncode == 1
    assert (
        "pricing.yaml:3:5: [error] entry 'free-trial' is missing from the built site: its short answer text "
        "is not on questions/pricing/"
    ) in result.stderr
    assert (
        "pricing.yaml:7:5: [error] entry 'discounts' is missing from the built site: its answer text "
        "is not on questions/pricing/"
    ) in result.stderr


@pytest.fixture(scope="module")
def built_example(example_site: Path) -> tuple[list[tuple[str, tuple[PageEntry, ...]]], Path]:
    result = pipeline.run(ROOT / "faq_source")
    assert result.site is not None
    return [(page.path, page.entries) for page in result.site.pages], example_site


def test_every_example_entry_is_checked_and_found(built_example) -> None:  # type: ignore[no-untyped-def]
    pages, site = built_example
    checked = [entry for _, entries in pages for entry in entries]
    assert len(checked) == len(pipeline.validate(ROOT / "faq_source")[0].entries())
    assert verify_site(pages, site) == []


def test_an_entry_missing_from_the_search_index_is_reported(built_example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pages, site = built_example
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    path, entries = next((path, entries) for path, entries in pages if entries)
    victim = entries[0]
    for chunk in (copy / "search" / "salesfaq" / "d").glob("*.json"):  # the documents the site's search shows
        data = json.loads(chunk.read_text(encoding="utf-8"))
        data["d"] = [doc for doc in data["d"] if doc[1] != f"{page_url(path)}#{victim.id}"]
        chunk.write_text(json.dumps(data), encoding="utf-8")
    problems = verify_site(pages, copy)
    assert [str(p) for p in problems] == [
        f"{victim.source}:{victim.line}:{victim.column}: [error] entry '{victim.id}' is missing from the built "
        f"site: its title is not in the search index at {page_url(path)}#{victim.id} (a template or plugin lost "
        "it) (entry-lost)"
    ]


def test_visible_text_ignores_markup_and_decodes_entities() -> None:
    page = '<p>a &lt;b&gt;<!-- x --></p><script>var hidden = 1;</script><span title="t">&amp;  c</span>'
    assert visible_text(page) == "a <b> & c"
