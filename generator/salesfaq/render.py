"""Render stage: a validated knowledge base becomes Markdown pages and a nav. Knows no site engine."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from . import models, public
from .caching import TemplateCache
from .freshness import Reviewable, reviewables, today
from .loader import KnowledgeBase, Topic
from .loop_pages import loop_nav, loop_pages
from .moved import Move, moves
from .verify import PageEntry
from .whatsnew import FEED, feed, whats_new_page

TEMPLATES = Path(__file__).parent / "templates"
KIND_TITLES = {
    "questions": "Questions",
    "objections": "Objections",
    "differentiators": "Differentiators",
    "competitors": "Battlecards",
    "personas": "Personas",
}
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>&~:=^$@\"']")


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, its Markdown, and the YAML it came from."""

    path: str
    title: str
    markdown: str
    source: str | None = None
    entries: tuple[PageEntry, ...] = ()
    """The entries this page shows, for the after-build check that none was lost."""
    listed: bool = True
    """Whether the page is in the nav (a page kept only so old links land is not)."""

    @property
    def anchors(self) -> tuple[str, ...]:
        return tuple(entry.id for entry in self.entries)

    @property
    def asks_for_feedback(self) -> bool:
        """Content pages (a topic, a battlecard, a persona) ask "Was this helpful?"; lists and reports do not."""
        return self.source is not None and self.listed


@dataclass(frozen=True)
class Options:
    public: bool = False
    """Leave out everything marked `internal`."""
    today: dt.date = field(default_factory=today)
    template_dirs: tuple[Path, ...] = ()
    """User folders searched for templates before the built-in ones."""
    site_url: str | None = None
    """Where the site is published; makes the feed's links absolute."""
    directory_urls: bool = True
    """Whether page `a/b.md` is served at `a/b/` (else at `a/b.html`)."""
    offline_download: str | None = None
    """Where the build puts the zipped offline copy, relative to the site root; the home page links to it."""


@dataclass
class RenderedSite:
    pages: list[Page]
    nav: list[Any]
    files: dict[str, str] = field(default_factory=dict)
    """Other files of the site (path → text), such as the feed."""

    def page(self, path: str) -> Page:
        return next(page for page in self.pages if page.path == path)


def plain(text: str | None) -> str:
    """Plain text made safe inside Markdown and HTML: shown exactly as typed, on one line."""
    if not text:
        return ""
    one_line = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", one_line)


def markdown(text: str | None) -> str:
    """Marketer Markdown, trimmed so it sits cleanly between generated blocks."""
    return (text or "").strip("\n").rstrip()


def tag_anchor(tag: str) -> str:
    """The anchor of a tag on the tags page: `tag:` + slug, as Material's tags plugin writes it (pymdownx slugify)."""
    slug = re.sub(r"[^\w\- ]", "", unicodedata.normalize("NFC", tag).strip().lower())
    return "tag:" + slug.replace(" ", "-")


def yaml_string(text: str) -> str:
    """Text as one double-quoted YAML scalar that reads back exactly (for page front matter)."""
    text = str(text)
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # nothing to escape: what the dumper writes, without its cost (most texts)
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=2**31).strip()


def _date(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "never"


@functools.lru_cache(maxsize=8)
def environment(template_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """One cached Jinja environment; user template folders are searched first."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*map(str, template_dirs), str(TEMPLATES)]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; `plain` and `e` escape explicitly
    )
    env.filters.update(
        plain=plain,
        md=markdown,
        date=_date,
        json=json.dumps,
        tag_anchor=tag_anchor,
        yaml=yaml_string,  # a double-quoted YAML string that reads back exactly
        urlquote=lambda s: urllib.parse.quote(str(s), safe=""),
    )
    env.bytecode_cache = TemplateCache("salesfaq", env)
    return env


@dataclass(frozen=True)
class Part:
    """One field of an entry as the page shows it: its value (empty when a public build leaves it out) and
    whether it is for the sales team only."""

    value: Any
    internal: bool


@dataclass(frozen=True)
class EntryView:
    """What the entry macro shows of one entry, worked out in one call from the template: asked field by
    field, Jinja would call back into Python some thirty times per entry, most of a topic page's time."""

    internal: bool
    say: Part
    body: Part
    ask: Part
    proof: Part
    versus: Part
    links: Part
    related: list[str]
    """The ids of the related entries this build shows."""
    also: list[str]
    freshness: dict[str, Any]
    edit: str | None
    """Where to edit the entry (its file in the repository), or None without `repo_url`."""
    report: str | None
    """The "Report a problem" issue form, or None without `repo_url`."""
    line: int
    """The entry's line in its file."""
    tags_page: str
    """The tags page, relative to the entry's page."""


class Renderer:
    def __init__(self, base: KnowledgeBase, options: Options) -> None:
        self.base = base
        self.options = options
        self.env = environment(options.template_dirs)
        self.items = {item.page + "#" + item.key: item for item in reviewables(base)}
        self.owners = {owner.key: owner for owner in base.site.owners}
        self.stages = {stage.key: stage for stage in base.site.stages}
        self.products = {product.key: product for product in base.site.products}
        shown = [(e, t, i) for e, t, i in base.entries() if not (options.public and e.is_internal())]
        self.shown = shown
        """Every entry this build shows, in page order (computed once: pages ask for it per topic)."""
        self.by_topic: dict[int, list[tuple[models.Entry, int]]] = {}
        for entry, topic, index in shown:
            self.by_topic.setdefault(id(topic), []).append((entry, index))
        self.entries = {entry.id: (entry, topic, index) for entry, topic, index in shown}
        self._sources: dict[str, str] = {}
        self._freshness: dict[tuple[str, str], dict[str, Any]] = {}
        self.moves = moves(self._entries())

    # --- what is visible -------------------------------------------------------------------------

    def _entries(self) -> list[tuple[models.Entry, Topic, int]]:
        return self.shown

    def visible_entries(self) -> list[tuple[models.Entry, Topic, int]]:
        """Every entry this build shows, with its topic and index, in page order."""
        return self._entries()

    def visible(self, model: models.Reviewable, name: str) -> Any:
        """A field's value, or empty when a public build must leave it out."""
        if self.options.public and model.is_internal(name):
            return type(getattr(model, name))()
        return getattr(model, name)

    def entry_view(self, entry: models.Entry, topic: Topic, index: int, page: str) -> EntryView:
        """Everything the entry macro shows of `entry` (the `index`th of `topic`) on `page` (see EntryView)."""

        def part(name: str, empty: Any = None) -> Part:
            if not hasattr(entry, name):
                return Part(empty, False)
            return Part(self.visible(entry, name), entry.is_internal(name))

        return EntryView(
            internal=entry.is_internal(),
            say=part("short_answer"),
            body=part("response" if isinstance(entry, models.Objection) else "answer"),
            ask=part("ask", []),
            proof=part("proof", []),
            versus=part("versus", {}),
            links=part("links", []),
            related=[rid for rid in self.visible(entry, "related") if rid in self.entries],
            also=self.visible(entry, "also_asked"),
            freshness=self.freshness(page, entry.id),
            edit=self.edit_url(topic.source),
            report=self.report_url(entry.id),
            line=topic.line_of(index),
            tags_page=self.page_link(page, "tags.md"),
        )

    def cards(self, kind: str) -> list[Any]:
        cards = getattr(self.base, kind).values()
        return [card for card in cards if not (self.options.public and card.model.is_internal())]

    # --- helpers for templates --------------------------------------------------------------------

    def freshness(self, page: str, key: str) -> dict[str, Any]:
        """Who owns an item and when it was reviewed (made once per item: a page asks twice per entry)."""
        found = self._freshness.get((page, key))
        if found is None:
            found = self._freshness[(page, key)] = self._make_freshness(page, key)
        return found

    def _make_freshness(self, page: str, key: str) -> dict[str, Any]:
        item: Reviewable = self.items[page + "#" + key]
        owner = self.owners.get(item.owner or "")
        return {
            "owner": owner.name if owner else item.owner,
            "contact": owner.contact if owner else None,
            "reviewed": item.reviewed,
            "due": item.due,
            "overdue": item.overdue(self.options.today),
        }

    def edit_url(self, source: str, line: int | None = None) -> str | None:
        site = self.base.site
        if not site.repo_url:
            return None
        return f"{site.repo_url.rstrip('/')}/edit/{site.branch}/{self._in_repository(source)}"

    @functools.cached_property
    def _root(self) -> Path:
        return self.base.root.resolve()

    def _in_repository(self, source: str) -> str:
        """`source` as a path in the repository (resolved once per file: every entry of a file asks)."""
        if source not in self._sources:
            parts = Path(source).resolve().relative_to(self._root).parts
            self._sources[source] = posixpath.join(self.base.site.source_dir, *parts)
        return self._sources[source]

    def report_url(self, key: str) -> str | None:
        """The "Report a problem with this answer" issue form for an entry or a card."""
        return self.issue_url("answer-problem.yml", entry=key, title="Problem with " + key)

    def issue_url(self, template: str, **fields: str) -> str | None:
        if not self.base.site.repo_url:
            return None
        query = urllib.parse.urlencode({"template": template, **fields})
        return f"{self.base.site.repo_url.rstrip('/')}/issues/new?{query}"

    def link_to(self, from_page: str) -> Callable[[str], str]:
        def link(entry_id: str) -> str:
            entry, topic, _ = self.entries[entry_id]
            target = f"{topic.kind}/{topic.key}.md"
            return f"{_relative(target, posixpath.dirname(from_page) or '.')}#{entry_id}"

        return link

    def page_link(self, from_page: str, target: str) -> str:
        return _relative(target, posixpath.dirname(from_page) or ".")

    def render(self, template: str, path: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.base.site,
            r=self,
            page_path=path,
            link=self.link_to(path),
            page_link=functools.partial(self.page_link, path),
            today=self.options.today,
            kind_titles=KIND_TITLES,
            **context,
        )

    # --- pages ------------------------------------------------------------------------------------

    def topic_page(self, topic: Topic) -> Page:
        path = f"{topic.kind}/{topic.key}.md"
        entries = self.by_topic.get(id(topic), [])
        tags = sorted({tag for entry, _ in entries for tag in entry.tags})
        text = self.render(
            "topic.md.j2", path, topic=topic, entries=entries, tags=tags, moved_away=self.moves.get(path, [])
        )
        shown = tuple(self.page_entry(e, topic, i) for e, i in entries)
        return Page(path, topic.model.title, text, topic.source, shown)

    def page_entry(self, entry: models.Entry, topic: Topic, index: int) -> PageEntry:
        """What of `entry` this build shows: its title and its short answer, else its answer."""
        line, column = topic.document.position(("entries", index))
        say = self.visible(entry, "short_answer")
        body = self.visible(entry, "response" if isinstance(entry, models.Objection) else "answer")
        return PageEntry(entry.id, entry.title, say or body or "", not say and bool(body), topic.source, line, column)

    def naming(self, field_name: str, key: str) -> list[tuple[models.Entry, Topic]]:
        found = []
        for entry, topic, _ in self._entries():
            versus = isinstance(entry, models.Differentiator) and key in entry.versus
            if key in getattr(entry, field_name) or (field_name == "competitors" and versus):
                found.append((entry, topic))
        return found

    def card_page(self, kind: str, card: Any) -> Page:
        path = f"{kind}/{card.key}.md"
        template = "competitor.md.j2" if kind == "competitors" else "persona.md.j2"
        gathered = self.naming(kind, card.key)
        text = self.render(template, path, card=card, c=card.model, gathered=gathered)
        return Page(path, card.model.name, text, card.source)

    def pages(self) -> list[Page]:
        pages = [self.topic_page(topic) for topic in self.base.topics if self._has_visible_entries(topic)]
        for kind in ("competitors", "personas"):
            pages += [self.card_page(kind, card) for card in self.cards(kind)]
        sections = self._sections(pages)
        home_text = self.render(
            "home.md.j2",
            "index.md",
            sections=sections,
            recent=self.recent(),
            offline_download=self.options.offline_download,
        )
        home = Page("index.md", self.base.site.title, home_text)
        process = Page(
            "process/index.md",
            "Sales process",
            self.render("process.md.j2", "process/index.md", stages=self._stage_content()),
        )
        tags = Page("tags.md", "Tags", self.render("tags.md.j2", "tags.md"))
        section_pages = [
            Page(
                f"{kind}/index.md",
                KIND_TITLES[kind],
                self.render("section.md.j2", f"{kind}/index.md", kind=kind, section=section),
            )
            for kind, section in sections.items()
        ]
        made = [home, *section_pages, *pages, process, tags, whats_new_page(self), *loop_pages(self)]
        paths = {page.path for page in made}
        return made + [self.moved_page(path, moved) for path, moved in self.moves.items() if path not in paths]

    def moved_page(self, path: str, moved: list[Move]) -> Page:
        """A page that no longer exists, kept so its old links land on the entries that left it."""
        targets = {move.page for move in moved}
        default = None
        if len(targets) == 1:
            _, topic, _ = self.entries[moved[0].entry.id]
            default = {"path": moved[0].page, "title": topic.model.title}
        text = self.render("moved.md.j2", path, moves=moved, default=default)
        return Page(path, "This page has moved", text, listed=False)

    def _has_visible_entries(self, topic: Topic) -> bool:
        return id(topic) in self.by_topic

    def _sections(self, pages: list[Page]) -> dict[str, list[dict[str, Any]]]:
        sections: dict[str, list[dict[str, Any]]] = {}
        for kind in KIND_TITLES:
            listed = []
            for page in pages:
                if not page.path.startswith(kind + "/"):
                    continue
                key = posixpath.splitext(posixpath.basename(page.path))[0]
                topic = next((t for t in self.base.topics if t.kind == kind and t.key == key), None)
                card = getattr(self.base, kind).get(key) if topic is None else None
                entries = [e for e, _ in self.by_topic.get(id(topic), [])] if topic else []
                listed.append({"page": page, "topic": topic, "card": card, "entries": entries})
            if listed:
                sections[kind] = listed
        return sections

    def _stage_content(self) -> list[tuple[models.Stage, list[tuple[models.Entry, Topic]]]]:
        return [(stage, self.naming("stages", stage.key)) for stage in self.base.site.stages]

    def recent(self, limit: int = 8) -> list[tuple[models.Entry, Topic]]:
        dated = [(e, t) for e, t, _ in self._entries() if e.reviewed]
        dated.sort(key=lambda pair: (pair[0].reviewed, pair[0].id), reverse=True)
        return dated[:limit]

    def nav(self, pages: list[Page]) -> list[Any]:
        nav: list[Any] = [{"Home": "index.md"}]
        for kind, title in KIND_TITLES.items():
            children = [
                p.path for p in pages if p.listed and p.path.startswith(kind + "/") and not p.path.endswith("index.md")
            ]
            if children:
                nav.append({title: [f"{kind}/index.md", *[{_title(pages, c): c} for c in children]]})
        if self.base.site.stages:
            nav.append({"Sales process": "process/index.md"})
        nav.append({"Tags": "tags.md"})
        nav.append({"What's new": "whats-new.md"})
        nav += loop_nav()
        return nav


@functools.lru_cache(maxsize=1 << 14)
def _relative(target: str, start: str) -> str:
    """posixpath.relpath, remembered: pages link to the same few targets thousands of times."""
    return posixpath.relpath(target, start)


def _title(pages: list[Page], path: str) -> str:
    return next(page.title for page in pages if page.path == path)


def render(base: KnowledgeBase, options: Options | None = None) -> RenderedSite:
    """Turn a validated knowledge base into Markdown pages and their nav."""
    options = options or Options()
    renderer = Renderer(public.redact(base) if options.public else base, options)
    pages = renderer.pages()
    if not renderer.base.site.stages:
        pages = [page for page in pages if page.path != "process/index.md"]
    return RenderedSite(pages, renderer.nav(pages), {FEED: feed(renderer)})


def escape_attribute(text: str) -> str:
    return html.escape(text, quote=True)
