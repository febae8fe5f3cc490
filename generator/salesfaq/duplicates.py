"""Duplicate questions: two entries that ask the same thing in other words, found by fuzzy matching.

Short questions share most of their characters ("Do you have an API?" / "Do you have a CAIQ?"), so plain
string similarity flags nonsense. Phrasings are compared on their content words instead: lowercased, the
site's synonyms mapped to one word, function words dropped, plural -s trimmed, then scored with rapidfuzz's
token_sort_ratio (word order does not matter). On the example content the closest distinct pair scores 85;
a rewording of the same question scores 90 and more.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from .loader import KnowledgeBase, Topic
from .problems import Problem, Severity

THRESHOLD = 88
"""token_sort_ratio (0-100) of the content words at or above which two phrasings count as the same question."""

STOPWORDS = frozenset(
    """
a an the and or but if of to in on at for from by with about as into than then so is are was were be been being am
do does did doing have has had having can could will would shall should may might must i me my we us our ours you
your yours he she it its they them their this that these those there here what which who whom whose when where why
how not any some all each every more most much many very just also too only own same other get got go going make let
""".split()
)  # noqa: SIM905 (a word list reads better as text)
_WORD = re.compile(r"[a-z0-9_]+")
Synonyms = tuple[tuple[re.Pattern[str], str], ...]


@dataclass(frozen=True)
class Phrasing:
    kind: str
    entry: str
    text: str
    words: str
    topic: Topic
    loc: tuple[str | int, ...]

    @property
    def place(self) -> str:
        return f"{self.topic.source}:{self.topic.document.position(self.loc)[0]}"


@functools.lru_cache(maxsize=1 << 16)
def content_words(text: str, synonyms: Synonyms = (), ignore: frozenset[str] = frozenset()) -> str:
    """The words that carry a question's meaning, normalised for comparison (remembered: a build asks for
    each phrasing twice, and `serve` again at every rebuild)."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    for pattern, canonical in synonyms:
        text = pattern.sub(canonical, text)
    words = [_stem(word) for word in _WORD.findall(text) if word not in STOPWORDS and word not in ignore]
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light stemmer: buying/buy, priced/price, teams/team compare equal (remembered: words repeat)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def brand_words(base: KnowledgeBase) -> frozenset[str]:
    """Words in every product name (the brand): "Can we try Relay" asks what "Can we try it" asks."""
    names = [set(_WORD.findall(product.name.lower())) for product in base.site.products]
    return frozenset(set.intersection(*names)) if names else frozenset()


def synonym_patterns(base: KnowledgeBase) -> Synonyms:
    """site.yaml `synonyms` as replacements: every word or phrase of a group becomes the group's first one."""
    patterns = []
    for group in base.site.synonyms:
        canonical = "_".join(_WORD.findall(group[0].lower()))
        for phrase in sorted(group, key=len, reverse=True):  # "help center" before "help"
            words = _WORD.findall(phrase.lower())
            if words:
                patterns.append((re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b"), canonical))
    return tuple(patterns)


def phrasings(base: KnowledgeBase) -> list[Phrasing]:
    """Every way each entry is asked: its question (objection, claim) and each `also_asked`."""
    synonyms, brand = synonym_patterns(base), brand_words(base)
    found = []
    for entry, topic, index in base.entries():
        title_field = {"questions": "question", "objections": "objection", "differentiators": "claim"}[topic.kind]
        texts: list[tuple[tuple[str | int, ...], str]] = [(("entries", index, title_field), entry.title)]
        texts += [(("entries", index, "also_asked", j), text) for j, text in enumerate(entry.also_asked)]
        for loc, text in texts:
            words = content_words(text, synonyms, brand)
            if words:
                found.append(Phrasing(topic.kind, entry.id, text, words, topic, loc))
    return found


RARE_WORDS = 4
"""Each phrasing is filed under the pairs of its four least frequent words (rewordings share two of them)."""


def candidate_pairs(items: list[Phrasing]) -> set[tuple[int, int]]:
    """Index pairs worth scoring, found by blocking instead of comparing every phrasing with every other.

    All pairs is quadratic (minutes at 30,000 entries). Two phrasings that score at or above the threshold
    share nearly all their content words, so they share two of their RARE_WORDS least frequent words: each
    phrasing is filed under every pair of those words (the single word, for one-word phrasings), and only
    phrasings filed together are scored. Pairs of rare words are rarer still, so the blocks stay small.
    """
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    words = [sorted(set(item.words.split())) for item in items]
    for item, own in zip(items, words, strict=True):
        for word in own:
            frequency[(item.kind, word)] += 1
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, (item, own) in enumerate(zip(items, words, strict=True)):
        rarest = sorted(sorted(own, key=lambda word: (frequency[(item.kind, word)], word))[:RARE_WORDS])
        keys = itertools.combinations(rarest, 2) if len(rarest) > 1 else [tuple(rarest)]
        for key in keys:
            blocks[(item.kind, *key)].append(i)
    return {(a, b) for block in blocks.values() for a, b in itertools.combinations(block, 2)}


_last_scored: dict[str, tuple[list[tuple[str, str, str]], float, list[tuple[int, int]]]] = {}
"""The last phrasings scored, the threshold and the pairs chosen: a build checks the base (duplicate_questions)
and then renders the coverage page from it, and the second time costs nothing."""


def duplicate_pairs(base: KnowledgeBase, threshold: float = THRESHOLD) -> list[tuple[Phrasing, Phrasing]]:
    """Pairs of entries of the same kind that ask the same thing: (first, later), by their closest phrasings."""
    items = phrasings(base)
    key = [(item.kind, item.entry, item.words) for item in items]  # all that the choice of pairs depends on
    last = _last_scored.get("last")
    if last is not None and last[1] == threshold and last[0] == key:
        return [(items[i], items[j]) for i, j in last[2]]
    best: dict[tuple[str, str], tuple[float, int, int]] = {}
    for i, j in sorted(candidate_pairs(items)):
        item, other = items[i], items[j]
        if other.entry == item.entry:
            continue
        score = fuzz.token_sort_ratio(item.words, other.words, score_cutoff=threshold)
        if not score:
            continue
        pair = (item.entry, other.entry)
        if pair not in best or score > best[pair][0]:
            best[pair] = (score, i, j)
    chosen = [(i, j) for _, i, j in best.values()]
    _last_scored["last"] = (key, threshold, chosen)
    return [(items[i], items[j]) for i, j in chosen]


def duplicate_questions(base: KnowledgeBase, threshold: float = THRESHOLD) -> Iterator[Problem]:
    """One warning per pair of entries of the same kind that ask the same thing, at the later one."""
    for first, later in duplicate_pairs(base, threshold):
        message = (
            f"'{later.entry}' may ask the same as '{first.entry}' at {first.place}: \"{later.text}\" ~ "
            f'"{first.text}"; merge them (keep one entry, move the other wording to its also_asked) '
            f"or make the wording more specific"
        )
        yield later.topic.document.problem(later.loc, message, "duplicate-question", severity=Severity.WARNING)
