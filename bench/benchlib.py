"""What the search benchmarks share: building a site two ways, ranking with stock Material, scoring.

A "stock" build is the same generated pages as plain Markdown files in a Material for MkDocs project whose
only plugin is `search`: what a team would get from Material without salesfaq's search, on identical text.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"
sys.path.insert(0, str(GENERATOR))

from salesfaq import pipeline  # noqa: E402
from salesfaq.loader import load_source  # noqa: E402
from salesfaq.problems import Problems  # noqa: E402
from salesfaq.render import render  # noqa: E402
from salesfaq.verify import page_url  # noqa: E402

MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}]


# Headless Debian Chromium with no background traffic (this machine has no network beyond the registries).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No test or bench reaches the network: every host name fails to resolve, so the browser reaches only
    # the loopback servers (by number, 127.0.0.1), never what a page asks of Google Fonts or GitHub's API.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium() -> str:
    """Debian's Chromium, which the benchmarks drive headless (Playwright downloads no browser here)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("Debian's chromium is not installed (`make test` installs it)")
    return found


def run_mkdocs(project: Path, site_dir: Path) -> None:
    """`mkdocs build --strict` of `project` into `site_dir`, with this checkout's generator."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(GENERATOR)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build of {project} failed:\n{result.stderr}")


def write_salesfaq_project(source: Path, project: Path, title: str) -> Path:
    """A project that builds `source` (a faq_source folder) with salesfaq, as the README shows."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "docs").mkdir(exist_ok=True)
    config = {
        "site_name": title,
        "docs_dir": "docs",
        "theme": {"name": "material", "features": ["search.highlight", "search.suggest"]},
        "plugins": ["search", {"salesfaq": {"source": str(source.resolve())}}],
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def write_stock_project(source: Path, project: Path, title: str) -> Path:
    """A stock Material project (plugins: search only) holding salesfaq's generated pages as Markdown.

    The content is rendered without the checks: the salesfaq build of the same source runs them.
    """
    base, problems = load_source(source)
    errors = Problems(problems).errors
    if errors:
        raise SystemExit(f"{source} does not load: {errors[0]}")
    site = render(base)
    docs = project / "docs"
    for page in site.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    config = {
        "site_name": title,
        "docs_dir": "docs",
        "theme": {"name": "material", "features": ["search.highlight", "search.suggest"]},
        "plugins": ["search"],
        "nav": site.nav,
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def entry_locations(source: Path) -> dict[str, str]:
    """Search-result location ("page/#anchor") of every entry on its topic page, mapped to the entry's id."""
    result = pipeline.run(source)
    assert result.site is not None, result.problems.summary()
    return {
        f"{page_url(page.path)}#{anchor}": anchor
        for page in result.site.pages
        if page.path.split("/")[0] in ("questions", "objections", "differentiators")
        for anchor in page.anchors
    }


def stock_rank(site_dir: Path, queries: Sequence[str], locations: dict[str, str], limit: int = 10) -> list[list[str]]:
    """Entry ids stock Material search shows for each query, in the order it shows them.

    Runs the site's own shipped search worker (lunr) in Node on its own search_index.json. Results that are
    not an entry (a whole page, a section index heading) are skipped rather than counted as misses.
    """
    result = subprocess.run(
        ["node", str(Path(__file__).parent / "stock_search.cjs"), str(site_dir)],
        input=json.dumps(list(queries)),
        capture_output=True,
        text=True,
        check=True,
    )
    ranked = []
    for found in json.loads(result.stdout):
        ids: list[str] = []
        for location in found:
            entry = locations.get(location)
            if entry and entry not in ids:
                ids.append(entry)
        ranked.append(ids[:limit])
    return ranked


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float
    mrr: float
    count: int


def score(ranked: Sequence[Sequence[str]], expected: Sequence[str]) -> Scores:
    """Top-1 and top-3 hit rates and mean reciprocal rank (over the first 10) of ranked ids."""
    top1 = top3 = reciprocal = 0.0
    for ids, want in zip(ranked, expected, strict=True):
        rank = list(ids[:10]).index(want) + 1 if want in ids[:10] else 0
        top1 += rank == 1
        top3 += 0 < rank <= 3
        reciprocal += 1 / rank if rank else 0
    count = len(expected)
    return Scores(top1 / count, top3 / count, reciprocal / count, count)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free loopback port; yields the base URL ending in /."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as every real host serves (HTTP/1.0 costs a connection each)
        disable_nagle_algorithm = True  # as real servers do: else headers and body wait ~40 ms for an ACK

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 128  # the default 5 drops a browser's burst of connections (retried after 1 s)

        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed while it loaded: normal
                super().handle_error(request, client_address)  # type: ignore[arg-type]

    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
