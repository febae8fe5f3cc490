"""The whole pipeline, load → checks → render, as the plugin and the CLI both run it."""

from __future__ import annotations

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


def validate(source: Path, cache: LoadCache | None = None) -> tuple[KnowledgeBase, Problems]:
    """Load and check a source folder; the one place that decides what is valid. A `cache` (kept across
    rebuilds under `serve`) spares parsing the files that did not change."""
    base, found = load_source(source, cache)
    problems = Problems(found)
    problems.extend(check(base))
    problems.extend(duplicate_questions(base))
    return base, problems


def run(source: Path, options: Options | None = None, cache: LoadCache | None = None) -> Result:
    """Validate `source` and, when it has no errors, render it."""
    base, problems = validate(source, cache)
    site = None if problems.errors else render(base, options)
    return Result(base, problems, site)
