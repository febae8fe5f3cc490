"""Property tests: any text in any field either shows as that text, or is refused with a located error.

Each example writes YAML (with PyYAML's dumper, so any string is representable), runs the pipeline, and
converts the generated Markdown with python-markdown and the site's extensions: that is what MkDocs does
to a page, at a fraction of the cost. A few full `mkdocs build`s with the nastiest strings close the loop.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import copy_project, mkdocs_build
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from salesfaq import html_policy, pipeline
from salesfaq.verify import collapse, visible_text

EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]
NASTY = [
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "{{ x }}",
    "{% if x %}y{% endif %}",
    "`code`",
    "``",
    "a | b",
    "# heading",
    "- item",
    "* star",
    "_under_",
    "**",
    "[link](https://x.y)",
    "![img](x.png)",
    "&amp;",
    "&lt;",
    "\\",
    "{: .class }",
    "{ #id }",
    "<!-- c -->",
    "]]>",
    "'\"",
    "---",
    "1. one",
    "> quote",
    "    indented",
    "🎉",
    "שלום עולם",
    "مرحبا",
    "\u202eevil",
    "\u200b",
    "a\nb",
    "a\n\nb",
    "\t",
    "x" * 300,
    "~~s~~",
    "==m==",
    "<",
    ">",
    "&",
    "%",
    "{#",
    "#}",
    "|---|",
    ":emoji:",
    "$x$",
    "@user",
    "\u2028",
    "\x0b",
    "\x01",
    "\ud800",
]
text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)), min_size=1, max_size=6).map("".join)
PLAIN_FIELDS = (
    "title",
    "description",
    "question",
    "short_answer",
    "also_asked",
    "tag",
    "link_title",
    "objection",
    "ask",
)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def write_source(folder: Path, fields: dict[str, str], answer: str = "Fixed answer words.") -> None:
    """A source folder with one question file and one objection file carrying `fields`."""
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    (folder / "objections").mkdir(parents=True, exist_ok=True)
    question = {
        "title": fields["title"],
        "description": fields["description"],
        "entries": [
            {
                "id": "the-entry",
                "question": fields["question"],
                "short_answer": fields["short_answer"],
                "also_asked": [fields["also_asked"]],
                "tags": [fields["tag"]],
                "answer": answer,
                "links": [{"title": fields["link_title"], "url": "https://example.com/guide"}],
                "reviewed": "2026-11-01",
            }
        ],
    }
    objection = {
        "title": "Objections",
        "entries": [
            {
                "id": "the-objection",
                "objection": fields["objection"],
                "short_answer": "Say this.",
                "response": "Fixed response words.",
                "ask": [fields["ask"]],
                "reviewed": "2026-11-01",
            }
        ],
    }
    for path, data in (("questions/topic.yaml", question), ("objections/topic.yaml", objection)):
        (folder / path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class Structure(HTMLParser):
    """The elements of a page and their attribute names: what text must never change."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.unsafe: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))
        if tag in html_policy.FORBIDDEN_TAGS:
            self.unsafe.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value and html_policy.is_script_url(value)):
                self.unsafe.append(f"{tag} {name}={value!r}")


def structure(page_html: str) -> Structure:
    parser = Structure()
    parser.feed(page_html)
    parser.close()
    return parser


def to_html(page_markdown: str) -> tuple[str, dict[str, object]]:
    body, meta = get_data(page_markdown)
    return markdown.markdown(body, extensions=EXTENSIONS), meta


def render(folder: Path) -> tuple[pipeline.Result, dict[str, tuple[str, dict[str, object]]]]:
    result = pipeline.run(folder)
    pages = {page.path: to_html(page.markdown) for page in result.site.pages} if result.site else {}
    return result, pages


def assert_located(result: pipeline.Result, folder: Path) -> None:
    for problem in result.problems.errors:
        file = Path(problem.path)
        assert file.is_file() and file.is_relative_to(folder) or str(folder) in problem.path, str(problem)
        lines = file.read_text(encoding="utf-8").splitlines()
        assert 1 <= problem.line <= len(lines) + 1 and problem.column >= 1, str(problem)
        assert problem.rule and problem.message


BASELINE = {name: f"placeholder {name}" for name in PLAIN_FIELDS}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    folder = tmp_path_factory.mktemp("baseline") / "faq_source"
    write_source(folder, BASELINE)
    result, pages = render(folder)
    assert not result.problems.errors
    return {path: structure(page_html).tags for path, (page_html, _) in pages.items()}


@SETTINGS
@given(field=st.sampled_from(PLAIN_FIELDS), value=text)
@example(field="question", value="Is <b>{{ x }}</b> | `code` *bold* [link](x) # ok? {: onclick=alert(1) }")
@example(field="short_answer", value="first\n\n*second* <script>alert(1)</script>")
@example(field="also_asked", value="a\n\n<img src=x onerror=alert(1)>")
@example(field="tag", value='"]} {{ tags }} </p><script>')
@example(field="ask", value="- not a list\n\n# not a heading")
@example(field="title", value="{% raw %}{{ x }}{% endraw %} ---")
def test_plain_text_shows_as_typed_or_is_refused(
    field: str,
    value: str,
    tmp_path_factory: pytest.TempPathFactory,
    baseline: dict[str, list[tuple[str, tuple[str, ...]]]],
) -> None:
    folder = tmp_path_factory.mktemp("plain") / "faq_source"
    write_source(folder, {**BASELINE, field: value})
    result, pages = render(folder)  # any exception fails the test: never a traceback
    if result.problems.errors:
        assert_located(result, folder)
        return
    expected = collapse(value)
    page_path = "objections/topic.md" if field in ("objection", "ask") else "questions/topic.md"
    page_html, meta = pages[page_path]
    assert expected in visible_text(page_html), f"{field}={value!r} is not shown as text"
    for path, (other_html, _) in pages.items():
        shape = structure(other_html)
        assert shape.unsafe == [], f"{field}={value!r} injected {shape.unsafe} into {path}"
        assert shape.tags == baseline[path], f"{field}={value!r} changed the elements of {path}"
    if field == "tag":
        assert meta.get("tags") == [value.strip()], "the tag does not survive the page's front matter"


markdown_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *NASTY,
                "<a href='javascript:alert(1)'>x</a>",
                "<img src=x onerror=alert(1)>",
                "<iframe src=x>",
                "[x](javascript:alert(1))",
                "[x][r]\n\n[r]: javascript:alert(1)",
                '<a href="&#106;avascript:x">j</a>',
                '{: onclick="x" }',
                "<style>*{}</style>",
                "<svg onload=x>",
                "<details open ontoggle=x>",
                "<b>ok</b>",
                '<a href="https://example.com">ok</a>',
                "\n\n",
                "<div markdown>\n\n**x**\n\n</div>",
            ]
        ),
        st.text(max_size=15),
    ),
    min_size=1,
    max_size=8,
).map("".join)


@SETTINGS
@given(answer=markdown_text)
@example(answer="<scr<script>ipt>alert(1)</script>")
@example(answer="[a](<javascript:alert(1)>)")
@example(answer='<a href="java\tscript:alert(1)">x</a>')
def test_answers_never_inject_script(answer: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("answer") / "faq_source"
    write_source(folder, BASELINE, answer=answer)
    result, pages = render(folder)
    if result.problems.errors:
        assert_located(result, folder)
        return
    for path, (page_html, _) in pages.items():
        assert structure(page_html).unsafe == [], f"answer {answer!r} injected script into {path}"
    words = re.findall(r"[A-Za-z]{4,}", html.unescape(re.sub(r"<[^>]*>|\[[^\]]*\]\([^)]*\)", " ", answer)))
    assert (
        all(word.casefold() in visible_text(pages["questions/topic.md"][0]).casefold() for word in words[:1])
        or not words
        or any(mark in answer for mark in "<`[&{\\*_")
    )


FULL_BUILD_FIELDS = {
    "title": "Pricing <b>{{ page.title }}</b> {% if x %}",
    "description": "Tabs\tand | pipes | and `ticks` and # hashes",
    "question": "Is <script>alert(1)</script> {{ config.site_name }} | `x` # safe? 🎉 שלום",
    "short_answer": "Yes & no: <i>{% raw %}</i> -- 'quotes' \"double\" [not](a link) {: .x }",
    "also_asked": "- leading dash, {#anchor} and ]]>",
    "tag": 'tag: with {{ braces }} and "quotes"',
    "link_title": "Guide ](javascript:alert(1)) <b>",
    "objection": "Too expensive?! *really* _really_ ~~no~~",
    "ask": "What's your budget | timeline? {% endif %}",
}


def test_a_full_build_shows_every_nasty_string_as_text(tmp_path: Path) -> None:
    source = tmp_path / "src"
    write_source(source, FULL_BUILD_FIELDS, answer="**Bold** answer with `{{ code }}` and {% raw %} text.")
    project = copy_project(source, tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr  # the after-build check found every entry's title and text
    question = (tmp_path / "site" / "questions" / "topic" / "index.html").read_text(encoding="utf-8")
    objection = (tmp_path / "site" / "objections" / "topic" / "index.html").read_text(encoding="utf-8")
    for field, value in FULL_BUILD_FIELDS.items():
        page = objection if field in ("objection", "ask") else question
        assert collapse(value) in visible_text(page), field
    for file in (tmp_path / "site").rglob("*.html"):
        for article in re.findall(r"<article\b.*?</article>", file.read_text(encoding="utf-8"), re.S):
            assert structure(article).unsafe == [], file  # the page content; the theme's own head is not text
    assert "<script>alert(1)</script>" not in question


def test_a_full_build_refuses_unsafe_html_with_its_location(tmp_path: Path) -> None:
    source = tmp_path / "src"
    write_source(source, BASELINE, answer="Hello <iframe src=https://example.com></iframe>")
    project = copy_project(source, tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert re.search(r"faq_source/questions/topic\.yaml:\d+:\d+: \[error\] <iframe> is not allowed", result.stderr)
    assert "Traceback" not in result.stderr
