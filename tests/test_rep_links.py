"""No dead ends: every link between pages of the built site, and of its offline copy, reaches a page and anchor."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
ID = re.compile(r'\bid="([^"]+)"')


def dead_links(site: Path) -> dict[str, list[str]]:
    """Relative links in every page of `site` whose file or anchor does not exist, with the pages holding them."""
    ids: dict[Path, set[str]] = {}
    dead: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":  # its links are site-absolute on purpose
            continue
        for href in map(html.unescape, HREF.findall(page.read_text(encoding="utf-8"))):
            url = urlsplit(href)
            if url.scheme or href.startswith("/") or not (url.path or url.fragment):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and target not in ids:
                ids[target] = set(ID.findall(target.read_text(encoding="utf-8")))
            found = target.is_file() and (
                not url.fragment or target.suffix != ".html" or unquote(url.fragment) in ids[target]
            )
            if not found:
                dead.setdefault(href, []).append(page.relative_to(site).as_posix())
    return dead


def test_every_link_of_the_served_site_lands(example_site: Path) -> None:
    dead = dead_links(example_site)
    assert not dead, f"{len(dead)} dead links, e.g. {list(dead.items())[:5]}"


def test_every_link_of_the_offline_copy_lands(example_site: Path, tmp_path: Path) -> None:
    (archive,) = (example_site / "download").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path)
    (copy,) = tmp_path.iterdir()
    dead = dead_links(copy)
    assert not dead, f"{len(dead)} dead links, e.g. {list(dead.items())[:5]}"


def test_the_check_sees_a_dead_link(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<h2 id="here">x</h2><a href="b.html">b</a> <a href="a.html#gone">g</a>'
        ' <a href="#here">ok</a> <a href="https://example.com/">ext</a>'
    )
    assert dead_links(tmp_path) == {"b.html": ["a.html"], "a.html#gone": ["a.html"]}
