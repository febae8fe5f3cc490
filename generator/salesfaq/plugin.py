"""The thin MkDocs adapter: hands the generated pages to MkDocs. The only module that imports MkDocs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import pipeline
from .render import Options, RenderedSite
from .verify import verify_site

log = get_plugin_logger(__name__)
PACKAGE = Path(__file__).parent
ASSETS = ("assets/salesfaq/salesfaq.css", "assets/salesfaq/salesfaq.js")


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
        self.site: RenderedSite | None = None
        self.source = Path("faq_source")

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path or ".").parent / value

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self.source = self._path(config, self.config.source)
        public = self.config.public or os.environ.get("SALESFAQ_PUBLIC") == "1"
        templates = (self._path(config, self.config.templates),) if self.config.templates else ()
        result = pipeline.run(self.source, Options(public=public, template_dirs=templates))
        for problem in result.problems.warnings:
            log.info(str(problem))  # stale content must not block an unrelated merge; `salesfaq validate --strict` can
        if result.problems.errors:
            for problem in result.problems.errors:
                log.error(str(problem))
            raise PluginError(f"salesfaq: {result.problems.summary()} in {self.config.source}/; fix the errors above")
        self.site = result.site
        assert self.site is not None
        if config.nav is None:
            config.nav = self.site.nav + _static_pages(Path(config.docs_dir))
        if result.base.site.repo_url and not config.repo_url:
            config.repo_url = result.base.site.repo_url
            config.repo_name = config.repo_name or "Repository"
        config.theme.dirs.insert(0, str(PACKAGE / "theme"))
        config.extra_css.insert(0, ASSETS[0])
        config.extra_javascript.insert(0, ASSETS[1])  # type: ignore[arg-type]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return files
        for page in self.site.pages:
            if files.get_file_from_path(page.path) is not None:
                log.warning(f"docs/{page.path} replaces the generated page; delete it to get the generated one back")
                continue
            files.append(File.generated(config, page.path, content=page.markdown))
        for asset in ASSETS:
            files.append(File.generated(config, asset, abs_src_path=str(PACKAGE / "assets" / Path(asset).name)))
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(str(self.source))
            if self.config.templates:
                server.watch(str(self._path(config, self.config.templates)))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Nothing lost: every entry this build shows must be in its page, the search index and the page text."""
        if self.site is None:
            return
        converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

        def to_html(text: str) -> str:
            return converter.reset().convert(text)

        pages = [(page.path, page.entries) for page in self.site.pages]
        lost = verify_site(pages, Path(config.site_dir), use_directory_urls=config.use_directory_urls,
                           markdown_to_html=to_html)
        for problem in lost:
            log.error(str(problem))
        if lost:
            raise PluginError(f"salesfaq: {len(lost)} entr{'y' if len(lost) == 1 else 'ies'} missing from the built "
                              f"site (a bug in a template or plugin, please report it); first: {lost[0]}")


def _static_pages(docs_dir: Path) -> list[Any]:
    """Hand-written pages in docs/ go after the generated ones, titled from their first heading."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        relative = path.relative_to(docs_dir).as_posix()
        match = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        pages.append({match.group(1).strip() if match else path.stem: relative})
    return pages
