"""One real `mkdocs build --strict` of the example content, asserting on the HTML a rep gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CASES, ROOT, copy_project, mkdocs_build
from salesfaq import search
from salesfaq.pipeline import validate
from salesfaq.render import plain


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    knowledge, problems = validate(ROOT / "faq_source")
    assert not problems.errors
    return knowledge


def _html(site: Path, kind: str, key: str) -> str:
    return (site / kind / key / "index.html").read_text(encoding="utf-8")


def test_every_entry_is_an_anchor_on_its_topic_page(example_site: Path, base) -> None:  # type: ignore[no-untyped-def]
    for entry, topic, _ in base.entries():
        page = _html(example_site, topic.kind, topic.key)
        assert f'id="{entry.id}"' in page, f"{entry.id} missing from {topic.kind}/{topic.key}"


def test_every_entry_title_is_in_the_search_index(example_site: Path, base) -> None:  # type: ignore[no-untyped-def]
    docs = search.read_docs(example_site)
    assert docs
    locations = {location: title for _, location, title, *_ in docs}
    for entry, topic, _ in base.entries():
        location = f"{topic.kind}/{topic.key}/#{entry.id}"
        assert location in locations, location
        assert _norm(locations[location]) == _norm(entry.title)


def _norm(text: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def test_short_answer_comes_first_and_meta_is_visible(example_site: Path, base) -> None:  # type: ignore[no-untyped-def]
    entry, topic, _ = next((e, t, i) for e, t, i in base.entries() if e.short_answer and t.kind == "questions")
    page = _html(example_site, topic.kind, topic.key)
    section = page.split(f'id="{entry.id}"', 1)[1]
    assert section.index('class="sf-say"') < section.index('class="sf-answer"')
    assert "Reviewed " in section and "Edit this answer" in section
    assert "/edit/main/faq_source/" + topic.kind in section


def test_battlecard_gathers_differentiators_and_objections(example_site: Path, base) -> None:  # type: ignore[no-untyped-def]
    key = next(iter(base.competitors))
    page = (example_site / "competitors" / key / "index.html").read_text(encoding="utf-8")
    naming = [e for e, t, _ in base.entries() if key in e.competitors and t.kind != "questions"]
    assert naming
    for entry in naming:
        assert f"#{entry.id}" in page


def test_section_pages_and_process_exist(example_site: Path) -> None:
    for path in ["questions", "objections", "differentiators", "competitors", "personas", "process", "tags"]:
        assert (example_site / path / "index.html").exists(), path
    process = (example_site / "process" / "index.html").read_text(encoding="utf-8")
    assert process.count('class="sf-duration"') >= 5


def test_plain_text_is_escaped_not_interpreted(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "questions").mkdir(parents=True)
    title = "Is <b>{{ x }}</b> | `code` *bold* [link](x) # ok?"
    (source / "questions" / "t.yaml").write_text(
        f"title: T\nentries:\n  - id: tricky\n    question: {json.dumps(title)}\n    answer: Fine.\n"
        f'    short_answer: "<script>alert(1)</script>"\n',
        encoding="utf-8",
    )
    project = copy_project(source, tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "questions" / "t" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2[^>]*id="tricky"[^>]*>(.*?)<a class="headerlink"', page, re.S)
    assert heading and _norm(heading.group(1)) == title
    assert "<script>alert(1)</script>" not in page
    assert plain("a|b") == "a&#124;b"


def test_minimal_question_file_builds(tmp_path: Path) -> None:
    project = copy_project(CASES / "valid" / "minimal" / "faq_source", tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert 'id="free-trial"' in (tmp_path / "site" / "questions" / "pricing" / "index.html").read_text()


def test_invalid_content_fails_mkdocs_build_with_located_messages(tmp_path: Path) -> None:
    project = copy_project(CASES / "invalid" / "unknown-field" / "faq_source", tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "faq_source/questions/pricing.yaml:5:5: [error] unknown field 'anwser', did you mean 'answer'?" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_build_is_deterministic(tmp_path: Path) -> None:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    first, second = tmp_path / "a", tmp_path / "b"
    assert mkdocs_build(project, first).returncode == 0
    assert mkdocs_build(project, second).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.suffix != ".gz")
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file() and p.suffix != ".gz")
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
