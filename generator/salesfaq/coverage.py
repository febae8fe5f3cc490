"""Coverage report: what a sales team needs and the answer base lacks. Plain data; the CLI and a page render it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import models
from .duplicates import duplicate_pairs
from .loader import Card, KnowledgeBase, Topic
from .stale import repo_path, stale_report

BATTLECARD_FIELDS = ("strengths", "weaknesses", "why_we_win", "they_win_when", "landmines", "quick_dismiss", "traps")
"""A competitor file with none of these is a name, not a battlecard."""
PERSONA_FIELDS = ("frustrations", "fears", "pressures")
MOST_OVERDUE = 5
"""How many owners the report names, those with the most overdue content first."""


@dataclass(frozen=True)
class Gap:
    """One missing thing, where a marketer can fix it and where reps see it."""

    key: str
    title: str
    detail: str
    path: str | None = None
    """The YAML file to edit, as problems name it."""
    line: int | None = None
    page: str | None = None
    """The site page (and `#anchor`) that shows it."""
    other: Gap | None = None
    """The entry a duplicate repeats."""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path and self.line else self.path or ""


@dataclass(frozen=True)
class Check:
    """One question the report asks of the base, and every gap found."""

    key: str
    title: str
    fix: str
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class CoverageReport:
    on: dt.date
    checks: tuple[Check, ...]

    @property
    def total(self) -> int:
        return sum(len(check.gaps) for check in self.checks)


def coverage_report(base: KnowledgeBase, on: dt.date, *, public: bool = False) -> CoverageReport:
    """Run every coverage check on a validated knowledge base.

    Args:
        public: name nothing marked internal (a public build's base still holds internal entries for the
            renderer to skip, so they are skipped here too).
    """
    shown = _Shown(base, public)
    checks = (
        Check(
            "competitors-without-battlecard",
            "Competitors without a battlecard",
            "Reps meet them in deals with nothing to say: write `strengths`, `weaknesses` and `why_we_win`.",
            tuple(_competitors_without_battlecard(shown)),
        ),
        Check(
            "battlecards-without-strengths",
            "Battlecards without strengths",
            "Reps must know what the competitor does better before the buyer tells them: add `strengths`.",
            tuple(_battlecards_without_strengths(shown)),
        ),
        Check(
            "personas-incomplete",
            "Personas without frustrations, fears or pressures",
            "Reps tailor their pitch to these: add what the persona lacks.",
            tuple(_personas_incomplete(shown)),
        ),
        Check(
            "stages-without-content",
            "Sales stages with no content",
            "List the stage in `stages:` of the entries reps need then, or write them.",
            tuple(_stages_without_content(base)),
        ),
        Check(
            "objections-without-ask",
            "Objections without discovery questions",
            "Add `ask`: the questions a rep asks back to find what is behind the objection.",
            tuple(_objections_without_ask(shown)),
        ),
        Check(
            "entries-without-short-answer",
            "Entries without a short answer",
            "Add `short_answer`: the one or two sentences a rep says on a call (the **Say this** line).",
            tuple(_entries_without_short_answer(shown)),
        ),
        Check(
            "owners-most-overdue",
            "Owners with the most overdue content",
            "Check each overdue item, then set `reviewed:` to the day you checked (see Needs review).",
            tuple(_owners_most_overdue(base, on)),
        ),
        Check(
            "duplicates",
            "Possible duplicates",
            "Merge them (keep one entry, move the other wording to its `also_asked`) or make one more specific.",
            tuple(_duplicates(shown)),
        ),
    )
    return CoverageReport(on, checks)


@dataclass(frozen=True)
class _Shown:
    """The items a report may name: all of them, or in a public build those not marked internal."""

    base: KnowledgeBase
    public: bool

    def entries(self) -> list[tuple[models.Entry, Topic, int]]:
        return [(e, t, i) for e, t, i in self.base.entries() if not (self.public and e.is_internal())]

    def cards(self, kind: str) -> list[Card]:
        cards: dict[str, Card] = getattr(self.base, kind)
        return [card for card in cards.values() if not (self.public and card.model.is_internal())]


def _entry_page(topic: Topic, entry_id: str) -> str:
    return f"{topic.kind}/{topic.key}.md#{entry_id}"


def _card_gap(kind: str, card: Card, detail: str) -> Gap:
    return Gap(card.key, card.model.name, detail, card.source, 1, f"{kind}/{card.key}.md")


def _entries_naming(base: KnowledgeBase, competitor: str) -> int:
    return sum(
        1
        for entry, _, _ in base.entries()
        if competitor in entry.competitors or (isinstance(entry, models.Differentiator) and competitor in entry.versus)
    )


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _competitors_without_battlecard(shown: _Shown) -> list[Gap]:
    stubs = [
        (card, _entries_naming(shown.base, card.key))
        for card in shown.cards("competitors")
        if not any(getattr(card.model, name) for name in BATTLECARD_FIELDS)
    ]
    stubs.sort(key=lambda pair: (-pair[1], pair[0].model.name.lower()))
    return [_card_gap("competitors", card, f"named by {_plural(named, 'entry', 'entries')}") for card, named in stubs]


def _battlecards_without_strengths(shown: _Shown) -> list[Gap]:
    return [
        _card_gap("competitors", card, "no strengths")
        for card in shown.cards("competitors")
        if not card.model.strengths and any(getattr(card.model, name) for name in BATTLECARD_FIELDS)
    ]


def _personas_incomplete(shown: _Shown) -> list[Gap]:
    gaps = []
    for card in shown.cards("personas"):
        missing = [name for name in PERSONA_FIELDS if not getattr(card.model, name)]
        if missing:
            gaps.append(_card_gap("personas", card, "no " + ", ".join(missing)))
    return gaps


def _stages_without_content(base: KnowledgeBase) -> list[Gap]:
    used = {stage for entry, _, _ in base.entries() for stage in entry.stages}
    document = base.site_document
    gaps = []
    for index, stage in enumerate(base.site.stages):
        if stage.key not in used:
            line = document.position(("stages", index))[0] if document else None
            gaps.append(
                Gap(
                    stage.key,
                    stage.name,
                    "no entry lists it in stages",
                    document.path if document else None,
                    line,
                    f"process/index.md#{stage.key}",
                )
            )
    return gaps


def _objections_without_ask(shown: _Shown) -> list[Gap]:
    return [
        Gap(entry.id, entry.title, "no ask", topic.source, topic.line_of(index), _entry_page(topic, entry.id))
        for entry, topic, index in shown.entries()
        if isinstance(entry, models.Objection) and not entry.ask
    ]


def _entries_without_short_answer(shown: _Shown) -> list[Gap]:
    nouns = {"questions": "question", "objections": "objection", "differentiators": "differentiator"}
    return [
        Gap(
            entry.id,
            entry.title,
            f"{nouns[topic.kind]} without short_answer",
            topic.source,
            topic.line_of(index),
            _entry_page(topic, entry.id),
        )
        for entry, topic, index in shown.entries()
        if not entry.short_answer
    ]


def _owners_most_overdue(base: KnowledgeBase, on: dt.date) -> list[Gap]:
    owners = [owner for owner in stale_report(base, on).owners if owner.overdue]
    owners.sort(key=lambda owner: (-len(owner.overdue), owner.share, owner.name.lower()))
    return [
        Gap(
            owner.key or "none",
            owner.name,
            f"{len(owner.overdue)} overdue of {len(owner.items)} ({owner.share:.0%} fresh)",
            page=f"marketing/needs-review.md#owner-{owner.key or 'none'}",
        )
        for owner in owners[:MOST_OVERDUE]
    ]


def _duplicates(shown: _Shown) -> list[Gap]:
    entries = {entry.id: (entry, topic, index) for entry, topic, index in shown.entries()}
    gaps = []
    for first, later in duplicate_pairs(shown.base):
        if first.entry not in entries or later.entry not in entries:
            continue
        entry, topic, index = entries[later.entry]
        original, original_topic, original_index = entries[first.entry]
        other = Gap(
            original.id,
            original.title,
            f'"{first.text}"',
            original_topic.source,
            original_topic.document.position(first.loc)[0],
            _entry_page(original_topic, original.id),
        )
        gaps.append(
            Gap(
                entry.id,
                entry.title,
                f'"{later.text}"',
                topic.source,
                topic.document.position(later.loc)[0],
                _entry_page(topic, entry.id),
                other,
            )
        )
    return gaps


def format_text(report: CoverageReport) -> str:
    """Plain text for a terminal: one block per check, one `path:line` per gap."""
    lines = [f"Coverage on {report.on}: {_plural(report.total, 'gap')} found by {len(report.checks)} checks"]
    for check in report.checks:
        lines += ["", f"{check.title} ({len(check.gaps)})"]
        if not check.gaps:
            lines.append("  none")
        for gap in check.gaps:
            lines.append("  " + _text_line(gap))
    return "\n".join(lines) + "\n"


def _text_line(gap: Gap) -> str:
    prefix = f"{gap.where}: " if gap.where else ""
    line = f"{prefix}{gap.title} ({gap.key}): {gap.detail}" if gap.path else f"{gap.title}: {gap.detail}"
    if gap.other:
        line += f" ~ {gap.other.detail} in '{gap.other.key}' at {gap.other.where}"
    return line


def format_markdown(report: CoverageReport, base: KnowledgeBase) -> str:
    """Markdown for an issue or a pull request comment: a summary table, then a checklist per check."""
    lines = [
        f"**{_plural(report.total, 'gap')}** in the answer base on {report.on}.",
        "",
        "| Check | Gaps |",
        "|---|---:|",
    ]
    lines += [f"| {check.title} | {len(check.gaps)} |" for check in report.checks]
    for check in report.checks:
        if not check.gaps:
            continue
        lines += ["", f"### {check.title} ({len(check.gaps)})", "", check.fix, ""]
        for gap in check.gaps:
            item = f"- [ ] **{_escape(gap.title)}**"
            if gap.path:
                item += f" (`{gap.key}`), {_github_link(base, gap)}"
            item += f": {_escape(gap.detail)}"
            if gap.other:
                item += f" ~ {_escape(gap.other.detail)} in `{gap.other.key}`, {_github_link(base, gap.other)}"
            lines.append(item)
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _github_link(base: KnowledgeBase, gap: Gap) -> str:
    """`file` line N, linked to the line on GitHub when site.yaml names the repository."""
    assert gap.path is not None
    where = repo_path(base, gap.path)
    label = f"`{where}` line {gap.line}"
    site = base.site
    if site.repo_url:
        return f"[{label}]({site.repo_url.rstrip('/')}/blob/{site.branch}/{where}#L{gap.line})"
    return label
