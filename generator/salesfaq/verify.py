"""Nothing lost: after every build, each entry shown in it must be in the output a rep reads.

Three checks per entry, against the files the engine wrote: its anchor is in its page's HTML, its title is in
the site's search index, and its text (the short answer, else the start of the answer) is in the page's text.
A miss is a bug in a template or the engine, never the marketer's fault, so it fails the build with the
entry's YAML location. Pure: reads the site folder, knows no engine.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.IGNORECASE)
_WORD = re.compile(r"\w+")
_ID = re.compile(r'id="([^"]*)"')
"""An id attribute, when whitespace comes before it (checked apart: a regex starting with the literal `id="`
scans a page several times faster than one starting with a whitespace class)."""
SNIPPET_WORDS = 12
"""How many words of an answer's first paragraph must reach the page when an entry has no short answer."""


@dataclass(frozen=True)
class PageEntry:
    """What must reach the built site for one entry: anchor, title and a text that is shown."""

    id: str
    title: str
    text: str
    """The short answer (plain text) when the build shows one, else the answer (Markdown)."""
    text_is_markdown: bool
    source: str
    line: int
    column: int = 1


def collapse(text: str) -> str:
    """Runs of whitespace made one space, as a page shows plain text."""
    return " ".join(text.split())


def normalize(html_text: str) -> str:
    """Text of an HTML fragment as a reader sees it: entities decoded, runs of whitespace made one space."""
    return collapse(html.unescape(html_text))


def visible_text(page_html: str) -> str:
    """The text content of an HTML page (tags, comments, scripts and styles removed), normalized."""
    without = _INVISIBLE.sub(" ", _COMMENT.sub(" ", page_html))
    return normalize(_TAG.sub(" ", without))


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The URL (relative to the site root) of the page generated from Markdown `path`."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if use_directory_urls else stem + ".html"


def output_file(path: str, use_directory_urls: bool = True) -> str:
    """The HTML file (relative to the site folder) that Markdown `path` becomes."""
    url = page_url(path, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


# --- search indexes ---------------------------------------------------------------------------------------


def _json(file: Path) -> object:
    return json.loads(file.read_text(encoding="utf-8"))


def _material_index(site_dir: Path) -> dict[str, str]:
    data = _json(site_dir / "search" / "search_index.json")
    docs = data.get("docs", []) if isinstance(data, dict) else []
    return {str(doc.get("location", "")): str(doc.get("title", "")) for doc in docs if isinstance(doc, dict)}


def _salesfaq_index(site_dir: Path) -> dict[str, str]:
    # search.py: index.json counts the documents; d/<n>.json hold docChunk of them as {"v": version, "d":
    # [[id, location, title, ...], ...]}
    folder = site_dir / "search" / "salesfaq"
    meta = _json(folder / "index.json")
    count, size = (int(meta.get("docs", 0)), int(meta.get("docChunk", 1))) if isinstance(meta, dict) else (0, 1)
    docs: list[object] = []
    for number in range(-(-count // size)):
        chunk = folder / "d" / f"{number}.json"
        data = _json(chunk) if chunk.is_file() else {}
        listed = data.get("d") if isinstance(data, dict) else None  # {"v": version, "d": [documents]}
        docs += listed if isinstance(listed, list) else []
    # salesfaq's index holds plain text (the worker escapes it); the check compares HTML as Material's holds it
    return {str(doc[1]): html.escape(str(doc[2])) for doc in docs if isinstance(doc, list) and len(doc) > 2}


SEARCH_INDEXES: dict[str, Callable[[Path], dict[str, str]]] = {
    "search/search_index.json": _material_index,
    "search/salesfaq/index.json": _salesfaq_index,
}
"""Search indexes a site may ship: the file that marks each, and a reader of the site folder giving
{location: title}; a location is a page URL plus `#anchor`, as in `questions/pricing/#free-trial`. A custom
search adds its index here."""


def search_titles(site_dir: Path) -> dict[str, str] | None:
    """Every section title of every search index the site ships, by location; None when it ships none."""
    found: dict[str, str] | None = None
    for marker, reader in SEARCH_INDEXES.items():
        if (site_dir / marker).is_file():
            found = found or {}
            found.update(reader(site_dir))
    return found


# --- the check ----------------------------------------------------------------------------------------------


def verify_site(
    pages: Iterable[tuple[str, Iterable[PageEntry]]],
    site_dir: Path,
    *,
    use_directory_urls: bool = True,
    markdown_to_html: Callable[[str], str] | None = None,
) -> list[Problem]:
    """Problems for every entry whose anchor, search title or text is missing from the built site.

    Args:
        pages: each generated page's Markdown path with the entries it shows.
        site_dir: the folder the engine wrote.
        markdown_to_html: how the site converts Markdown, to compare an answer's text with the page's.
    """
    titles = search_titles(site_dir)
    problems: list[Problem] = []
    for path, entries in pages:
        entries = list(entries)
        if not entries:
            continue
        file = site_dir / output_file(path, use_directory_urls)
        page_html = file.read_text(encoding="utf-8") if file.is_file() else ""
        anchors = {
            match.group(1): match.start() - 1
            for match in _ID.finditer(page_html)
            if match.start() and page_html[match.start() - 1].isspace()
        }
        ends = sorted(anchors[entry.id] for entry in entries if entry.id in anchors) + [len(page_html)]
        whole_page: list[str] = []  # the page's text, made only if an entry's text is not in its own section
        url = page_url(path, use_directory_urls)
        for entry in entries:

            def lost(what: str, entry: PageEntry = entry) -> None:
                message = f"entry '{entry.id}' is missing from the built site: {what} (a template or plugin lost it)"
                problems.append(Problem(entry.source, entry.line, entry.column, message, "entry-lost"))

            if entry.id not in anchors:
                lost(f"no anchor #{entry.id} in {file.relative_to(site_dir).as_posix()}")
                continue
            indexed = titles.get(f"{url}#{entry.id}", "") if titles is not None else ""
            if titles is not None and collapse(entry.title) not in normalize(_TAG.sub("", indexed)):
                lost(f"its title is not in the search index at {url}#{entry.id}")
            start = anchors[entry.id]
            section = page_html[start : next(end for end in ends if end > start)]
            if _text_shown(entry, visible_text(section), markdown_to_html):
                continue
            whole_page = whole_page or [visible_text(page_html)]
            if not _text_shown(entry, whole_page[0], markdown_to_html):
                lost(f"its {'answer' if entry.text_is_markdown else 'short answer'} text is not on {url or '/'}")
    return problems


def _text_shown(entry: PageEntry, text: str, markdown_to_html: Callable[[str], str] | None) -> bool:
    """Whether `text` (visible text of HTML) shows the entry's short answer, or the start of its answer."""
    if not entry.text_is_markdown:
        return collapse(entry.text) in text
    first_block = entry.text.strip().split("\n\n", 1)[0]
    shown = _words(text)
    as_written = " ".join(_words(first_block).split()[:SNIPPET_WORDS])
    if as_written and f" {as_written} " in shown:  # words without Markdown around them: no need to convert
        return True
    rendered = markdown_to_html(first_block) if markdown_to_html else first_block
    snippet = " ".join(_words(visible_text(rendered)).split()[:SNIPPET_WORDS])
    return not snippet or f" {snippet} " in shown
