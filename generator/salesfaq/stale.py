"""Freshness report: what is overdue for review, grouped by owner, against the site's target share."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .freshness import Reviewable, reviewables
from .loader import KnowledgeBase

KIND_NOUNS = {
    "questions": "question",
    "objections": "objection",
    "differentiators": "differentiator",
    "competitors": "battlecard",
    "personas": "persona",
}


@dataclass(frozen=True)
class OwnerShare:
    """One owner's content: how much of it is overdue, and the share still fresh."""

    key: str | None
    name: str
    items: tuple[Reviewable, ...]
    overdue: tuple[Reviewable, ...]
    target: float

    @property
    def fresh(self) -> int:
        return len(self.items) - len(self.overdue)

    @property
    def share(self) -> float:
        return self.fresh / len(self.items) if self.items else 1.0

    @property
    def on_target(self) -> bool:
        return self.share >= self.target


@dataclass(frozen=True)
class StaleReport:
    on: dt.date
    target: float
    owners: tuple[OwnerShare, ...]
    """Owners with the most overdue items first; content without an owner last."""

    @property
    def total(self) -> int:
        return sum(len(owner.items) for owner in self.owners)

    @property
    def overdue(self) -> int:
        return sum(len(owner.overdue) for owner in self.owners)

    @property
    def share(self) -> float:
        return (self.total - self.overdue) / self.total if self.total else 1.0


def stale_report(base: KnowledgeBase, on: dt.date) -> StaleReport:
    """Group every reviewable item by owner and find the overdue ones."""
    target = base.site.review.target
    names = {owner.key: owner.name for owner in base.site.owners}
    grouped: dict[str | None, list[Reviewable]] = {}
    for item in reviewables(base):
        grouped.setdefault(item.owner, []).append(item)
    owners = []
    for key, items in grouped.items():
        overdue = sorted((i for i in items if i.overdue(on)), key=lambda i: (i.due or dt.date.min, i.page, i.key))
        name = names.get(key, key) if key else "No owner"
        owners.append(OwnerShare(key, name, tuple(items), tuple(overdue), target))
    owners.sort(key=lambda o: (o.key is None, -len(o.overdue), o.share, o.name.lower()))
    return StaleReport(on, target, tuple(owners))


def line_of(item: Reviewable) -> int:
    return item.document.position(item.loc)[0]


def why(item: Reviewable, on: dt.date) -> str:
    """Why an item is overdue, in words a marketer acts on."""
    if item.reviewed is None:
        return "never reviewed"
    return (
        f"overdue since {item.due} ({item.days_overdue(on)} days; reviewed {item.reviewed}, every {item.interval} days)"
    )


def _percent(value: float) -> str:
    return f"{value:.0%}"


def format_text(report: StaleReport) -> str:
    """Plain text for a terminal: one block per owner, one `path:line` per overdue item."""
    lines = [
        f"Review status on {report.on}: {report.overdue} of {report.total} items overdue, "
        f"{_percent(report.share)} fresh (target {_percent(report.target)})"
    ]
    for owner in report.owners:
        verdict = "on target" if owner.on_target else "below target"
        lines += [
            "",
            f"{owner.name}: {len(owner.overdue)} overdue, {owner.fresh} of {len(owner.items)} fresh "
            f"({_percent(owner.share)}, {verdict})",
        ]
        for item in owner.overdue:
            lines.append(
                f"  {item.document.path}:{line_of(item)}: {KIND_NOUNS[item.kind]} '{item.key}': {why(item, report.on)}"
            )
    return "\n".join(lines) + "\n"


def format_markdown(report: StaleReport, base: KnowledgeBase) -> str:
    """Markdown for the weekly GitHub issue: a table of owners, then a checklist per owner."""
    site = base.site
    lines = [
        f"**{report.overdue} of {report.total}** answers, battlecards and personas are overdue for review on "
        f"{report.on}: **{_percent(report.share)} fresh** against a target of {_percent(report.target)}.",
        "",
        "To clear an item: check it is still true, fix it if needed, and set `reviewed:` to today's date in the same "
        "pull request.",
        "",
        "| Owner | Overdue | Fresh | |",
        "|---|---:|---:|---|",
    ]
    for owner in report.owners:
        mark = "on target" if owner.on_target else "**below target**"
        lines.append(
            f"| {owner.name} | {len(owner.overdue)} | {owner.fresh} of {len(owner.items)} "
            f"({_percent(owner.share)}) | {mark} |"
        )
    for owner in report.owners:
        if not owner.overdue:
            continue
        lines += ["", f"### {owner.name} ({len(owner.overdue)})", ""]
        for item in owner.overdue:
            where = repo_path(base, item.document.path)
            line = line_of(item)
            label = f"`{where}` line {line}"
            if site.repo_url:
                label = f"[{label}]({site.repo_url.rstrip('/')}/blob/{site.branch}/{where}#L{line})"
            title = item.title.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
            lines.append(f"- [ ] {KIND_NOUNS[item.kind]} **{title}** (`{item.key}`), {label}: {why(item, report.on)}")
    return "\n".join(lines) + "\n"


def repo_path(base: KnowledgeBase, path: str) -> str:
    """A content file as a path inside the repository (what GitHub links need)."""
    file = Path(path).resolve()
    try:
        relative = file.relative_to(base.root.resolve()).as_posix()
    except ValueError:
        return path
    return posixpath.join(base.site.source_dir, relative)
