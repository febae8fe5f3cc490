"""The whole pipeline, load → checks → render, as the plugin and the CLI both run it."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .checks import check
from .duplicates import duplicate_questions
from .loader import KnowledgeBase, LoadCache, load_source
from .problems import Problems
from .render import Options, RenderedSite, render


@dataclass
class Result:
    base: KnowledgeBase
    problems: Problems
    site: RenderedSite | None
    """None when errors prevent rendering."""


@contextlib.contextmanager
def cycle_collection_paused(*, freeze: bool = False) -> Iterator[None]:
    """Python's cycle collector off for a while (back on after, as it was).

    Loading, checking and rendering make millions of small objects and next to no reference cycles, and the
    collector would scan every live one again and again as they pile up: at 10,000 entries it took half the
    loading time and a quarter of rendering's. With `freeze` (a one-off build), what they made is then frozen
    (`gc.freeze`): it lives as long as the build, so neither the collection that re-enabling would start at
    once nor any later one during the build scans it again. Not under `serve`, whose rebuilds leave the last
    build's objects behind as garbage for the collector; a later pause unfreezes whatever an earlier one froze.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def validate(source: Path, cache: LoadCache | None = None) -> tuple[KnowledgeBase, Problems]:
    """Load and check a source folder; the one place that decides what is valid. A `cache` (kept across
    rebuilds under `serve`) spares parsing the files that did not change."""
    with cycle_collection_paused(freeze=cache is None):
        base, found = load_source(source, cache)
        problems = Problems(found)
        problems.extend(check(base))
        problems.extend(duplicate_questions(base))
    return base, problems


def run(source: Path, options: Options | None = None, cache: LoadCache | None = None) -> Result:
    """Validate `source` and, when it has no errors, render it."""
    base, problems = validate(source, cache)
    with cycle_collection_paused(freeze=cache is None):
        site = None if problems.errors else render(base, options)
    return Result(base, problems, site)
