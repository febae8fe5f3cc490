"""Checks stage: rules that span files, and the raw-HTML policy for Markdown fields."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from . import html_policy, models
from .freshness import reviewables, today
from .loader import KnowledgeBase
from .problems import Problem, Severity
from .yamlload import Document, Loc


def check(base: KnowledgeBase) -> list[Problem]:
    """Every cross-file problem in the knowledge base."""
    return [*_ids(base), *_references(base), *_html(base), *_gaps(base), *_placeholders(base)]


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f", did you mean '{matches[0]}'?" if matches else ""


def _ids(base: KnowledgeBase) -> Iterator[Problem]:
    seen: dict[str, tuple[str, int]] = {}
    for entry, topic, index in base.entries():
        line = topic.line_of(index)
        if entry.id in seen:
            source, first = seen[entry.id]
            message = f"id '{entry.id}' is already used at {source}:{first}; ids must be unique across all files"
            yield topic.document.problem(("entries", index, "id"), message, "duplicate-id")
        else:
            seen[entry.id] = (topic.source, line)
    claimed: dict[str, tuple[str, str, int]] = {}
    for entry, topic, index in base.entries():
        for j, old in enumerate(entry.old_ids):
            loc = ("entries", index, "moved_from", j)
            if old in seen:
                source, first = seen[old]
                message = f"moved_from '{old}' is the id of an entry at {source}:{first}; an old id cannot be reused"
                yield topic.document.problem(loc, message, "moved-id-reused")
            elif old in claimed and claimed[old][0] != entry.id:
                owner, source, first = claimed[old]
                message = (
                    f"old id '{old}' is also in the moved_from of '{owner}' at {source}:{first}; an old link "
                    "can land on only one entry: keep it on one of them"
                )
                yield topic.document.problem(loc, message, "moved-id-reused")
            else:
                claimed.setdefault(old, (entry.id, topic.source, topic.document.position(loc)[0]))


def _unchecked(base: KnowledgeBase) -> set[str]:
    """Reference fields whose targets live in a file that failed to load.

    Its keys are unknown, so checking against them would bury the one real error (say a YAML syntax error in
    a topic file) under a false `unknown-reference` for every link into that file; they are checked again
    once the file loads.
    """
    unread = base.unread
    unchecked: set[str] = {field for field in ("personas", "competitors") if field in unread}
    if unread & set(models.TOPIC_KINDS):
        unchecked.add("related")
    if "site" in unread:
        unchecked |= {"products", "stages", "owners"}
    return unchecked


def _references(base: KnowledgeBase) -> Iterator[Problem]:
    unchecked = _unchecked(base)
    known = {
        "products": {p.key for p in base.site.products},
        "stages": {s.key for s in base.site.stages},
        "personas": set(base.personas),
        "competitors": set(base.competitors),
        "related": {entry.id for entry, _, _ in base.entries()},
    }
    known = {field: keys for field, keys in known.items() if field not in unchecked}
    owners = {o.key for o in base.site.owners}
    retired = {old for entry, _, _ in base.entries() for old in entry.old_ids}
    for entry, topic, index in base.entries():
        for field, keys in known.items():
            for j, key in enumerate(getattr(entry, field)):
                if key not in keys:
                    yield _unknown(topic.document, ("entries", index, field, j), field, key, keys, retired)
        if isinstance(entry, models.Differentiator) and "competitors" in known:
            for key in entry.versus:
                if key not in known["competitors"]:
                    yield _unknown(
                        topic.document,
                        ("entries", index, "versus", key),
                        "competitors",
                        key,
                        known["competitors"],
                        set(),
                        key_position=True,
                    )
        if entry.owner and entry.owner not in owners and "owners" not in unchecked:
            yield _unknown(topic.document, ("entries", index, "owner"), "owners", entry.owner, owners, set())
    if "owners" not in unchecked:
        for model, document in [
            *((topic.model, topic.document) for topic in base.topics),
            *((card.model, card.document) for card in [*base.competitors.values(), *base.personas.values()]),
        ]:
            if model.owner and model.owner not in owners:
                yield _unknown(document, ("owner",), "owners", model.owner, owners, set())
    if "related" in known:
        yield from _search_test_references(base, known["related"] | retired)


def _search_test_references(base: KnowledgeBase, ids: set[str]) -> Iterator[Problem]:
    for test, line in base.search_tests:
        if test.expect not in ids:
            hint = _did_you_mean(test.expect, ids)
            message = f"search test expects unknown id '{test.expect}'{hint}"
            yield Problem(base.search_tests_source or "search_tests.yaml", line, 1, message, "unknown-reference")


_DEFINED_IN = {
    "products": "site.yaml `products`",
    "stages": "site.yaml `stages`",
    "owners": "site.yaml `owners`",
    "personas": "personas/",
    "competitors": "competitors/",
    "related": "any entry's `id`",
}


def _unknown(
    document: Document, loc: Loc, field: str, key: str, keys: set[str], retired: set[str], *, key_position: bool = False
) -> Problem:
    singular = {
        "related": "entry id",
        "products": "product",
        "stages": "stage",
        "owners": "owner",
        "personas": "persona",
        "competitors": "competitor",
    }[field]
    if key in retired:
        message = f"'{key}' is an old id (listed in moved_from); use the entry's current id"
    else:
        hint = _did_you_mean(key, keys)
        message = f"unknown {singular} '{key}'{hint} (defined in {_DEFINED_IN[field]})"
        if field == "related" and not hint:
            message += (
                "; if that entry was removed, drop this reference; if its id changed, use the new id and add "
                "the old one to its `moved_from`"
            )
    return document.problem(loc, message, "unknown-reference", key=key_position)


def markdown_fields(base: KnowledgeBase) -> Iterator[tuple[Document, Loc, str]]:
    """Every Markdown text in the base, with where it was written."""
    for entry, topic, index in base.entries():
        for name, value in entry:
            if name in _PLAIN_ENTRY_FIELDS:
                continue
            yield from _texts(topic.document, ("entries", index, name), value)
    for card in [*base.competitors.values(), *base.personas.values()]:
        for name, value in card.model:
            if name not in ("name", "titles", "positioning", "quick_dismiss", "links"):
                yield from _texts(card.document, (name,), value)


_PLAIN_ENTRY_FIELDS = {
    "id",
    "question",
    "objection",
    "claim",
    "short_answer",
    "also_asked",
    "tags",
    "products",
    "personas",
    "stages",
    "competitors",
    "owner",
    "related",
    "moved_from",
    "links",
    "ask",
}


def _texts(document: Document, loc: Loc, value: object) -> Iterator[tuple[Document, Loc, str]]:
    if isinstance(value, str):
        yield document, loc, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(document, (*loc, i), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(document, (*loc, key), item)


def _html(base: KnowledgeBase) -> Iterator[Problem]:
    for document, loc, text in markdown_fields(base):
        yield from html_problems(document, loc, text)
    for entry, topic, index in base.entries():
        for j, link in enumerate(entry.links):
            if html_policy.is_script_url(link.url):
                message = "link url must start with https:// (scripts in links are not allowed)"
                yield topic.document.problem(("entries", index, "links", j, "url"), message, "unsafe-html")


def html_problems(document: Document, loc: Loc, text: str) -> Iterator[Problem]:
    """Raw HTML that could run script or break the page is refused, with its place."""
    for offset, message in html_policy.problems(text):
        yield document.problem_in_text(loc, text, offset, message, "unsafe-html")


def _gaps(base: KnowledgeBase) -> Iterator[Problem]:
    on = today()
    for entry, topic, index in base.entries():
        if not entry.short_answer:
            message = f"'{entry.id}' has no short_answer: add the one or two sentences a rep can say on a call"
            yield topic.document.problem(
                ("entries", index, "id"), message, "missing-short-answer", severity=Severity.WARNING
            )
    for item in reviewables(base):
        if not item.overdue(on):
            continue
        if item.reviewed is None:
            message = f"'{item.key}' has never been reviewed: check it, then add `reviewed: {on.isoformat()}`"
            loc = (*item.loc, "id") if item.loc else ()
        else:
            message = (
                f"'{item.key}' is overdue for review since {item.due} (reviewed {item.reviewed}, every "
                f"{item.interval} days): check it, then set `reviewed: {on.isoformat()}`"
            )
            loc = (*item.loc, "reviewed")
        yield item.document.problem(loc, message, "overdue", severity=Severity.WARNING)


PLACEHOLDER = "TODO:"
"""How every placeholder text of `salesfaq new` starts."""


def _placeholders(base: KnowledgeBase) -> Iterator[Problem]:
    cards = [*base.competitors.values(), *base.personas.values()]
    for document in [*(topic.document for topic in base.topics), *(card.document for card in cards)]:
        for loc in _placeholder_locs(document.data, (), []):
            name = next((part for part in reversed(loc) if isinstance(part, str)), "text")
            message = f"'{name}' still holds the placeholder text of `salesfaq new`; write the real text"
            yield document.problem(loc, message, "placeholder", severity=Severity.WARNING)


def _placeholder_locs(value: object, loc: Loc, found: list[Loc]) -> list[Loc]:
    """Where `value` holds a text starting with PLACEHOLDER, in document order (appended to `found`)."""
    if isinstance(value, str):  # a file that is only a text
        if value.lstrip().startswith(PLACEHOLDER):
            found.append(loc)
        return found
    items: Iterable[tuple[str | int, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for key, item in items:
        if isinstance(item, str):
            if item.lstrip().startswith(PLACEHOLDER):
                found.append((*loc, key))
        elif isinstance(item, (dict, list)):
            _placeholder_locs(item, (*loc, key), found)
    return found
