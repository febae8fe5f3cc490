"""Load stage: read every file in `faq_source/` into validated models, collecting every problem."""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from . import models
from .problems import Problem
from .yamlload import Document, Loc, load_bytes, read


@dataclass
class Topic:
    """One topic file: a page of entries of one kind."""

    kind: str
    key: str
    source: str
    model: models.TopicFile
    document: Document

    @property
    def entries(self) -> list[models.Entry]:
        return list(self.model.entries)  # type: ignore[attr-defined]

    def line_of(self, index: int) -> int:
        return self.document.position(("entries", index))[0]


@dataclass
class Card:
    """A competitor battlecard or a persona: one file, one page."""

    key: str
    source: str
    model: Any
    document: Document


@dataclass
class KnowledgeBase:
    root: Path
    site: models.Site = field(default_factory=models.Site)
    site_document: Document | None = None
    topics: list[Topic] = field(default_factory=list)
    competitors: dict[str, Card] = field(default_factory=dict)
    personas: dict[str, Card] = field(default_factory=dict)
    search_tests: list[tuple[models.SearchTest, int]] = field(default_factory=list)
    search_tests_source: str | None = None
    unread: set[str] = field(default_factory=set)
    """Kinds ("questions", "competitors", "site", ...) with a file that failed to load: their keys are unknown."""

    def topics_of(self, kind: str) -> list[Topic]:
        return [topic for topic in self.topics if topic.kind == kind]

    def entries(self) -> list[tuple[models.Entry, Topic, int]]:
        """Every entry with its topic and index, in page order."""
        return [(entry, topic, i) for topic in self.topics for i, entry in enumerate(topic.entries)]


Loaded = tuple[Any, Document | None, tuple[Problem, ...]]
"""What one file gives: its validated model (None when invalid), its located data, its problems."""


class LoadCache:
    """What each file gave at its last load, with its bytes: `salesfaq serve` keeps one across rebuilds, so a
    save re-reads every file but parses and validates only those whose bytes changed. Models and documents
    are shared between builds: nothing after loading changes them (a public build copies, see public.py)."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, type[models.Model]], tuple[bytes, str, Loaded]] = {}

    def get(self, file: Path, schema: type[models.Model], raw: bytes, shown_as: str) -> Loaded | None:
        found = self.files.get((str(file), schema))
        return found[2] if found is not None and found[0] == raw and found[1] == shown_as else None

    def put(self, file: Path, schema: type[models.Model], raw: bytes, shown_as: str, loaded: Loaded) -> None:
        self.files[(str(file), schema)] = (raw, shown_as, loaded)


_SINGLE_FILES: dict[str, type[models.Model]] = {"site": models.Site, "search_tests": models.SearchTests}
_CARD_KINDS: dict[str, type[models.Model]] = {"competitors": models.Competitor, "personas": models.Persona}
_IGNORED = {"schema", "README.md"}


def display_path(file: Path) -> str:
    """How a problem names a file: relative to the working directory when inside it."""
    try:
        return os.path.relpath(file)
    except ValueError:
        return str(file)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def load_source(root: Path, cache: LoadCache | None = None) -> tuple[KnowledgeBase, list[Problem]]:
    """Read `root` (a faq_source folder) into a KnowledgeBase and the problems found on the way; with a
    `cache`, files whose bytes are as at its last load are not parsed again."""
    base = KnowledgeBase(root=root)
    problems: list[Problem] = []
    if not root.is_dir():
        return base, [Problem(display_path(root), 1, 1, "source folder not found; create it or fix `source`", "io")]
    for path in _yaml_files(root):
        name = path.stem if path.suffix in (".yaml", ".yml") else path.name
        if path.name in _IGNORED:
            continue
        if path.is_dir() and path.name in models.TOPIC_KINDS:
            for file in _topic_files(path, problems):
                _load_topic(base, path.name, file, problems, cache)
        elif path.is_dir() and path.name in _CARD_KINDS:
            for file in _topic_files(path, problems):
                _load_card(base, path.name, file, problems, cache)
        elif path.is_file() and name in _SINGLE_FILES and path.suffix in (".yaml", ".yml"):
            _load_single(base, name, path, problems, cache)
        else:
            expected = sorted([*models.TOPIC_KINDS, *_CARD_KINDS, "site.yaml", "search_tests.yaml"])
            hint = _did_you_mean(path.name, expected) or f"expected one of: {', '.join(expected)}"
            problems.append(Problem(display_path(path), 1, 1, f"unexpected {_what(path)}; {hint}", "unknown-file"))
    return base, problems


def _what(path: Path) -> str:
    return f"folder '{path.name}'" if path.is_dir() else f"file '{path.name}'"


def _topic_files(folder: Path, problems: list[Problem]) -> list[Path]:
    files = []
    for path in _yaml_files(folder):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            files.append(path)
        elif path.name not in _IGNORED:
            message = f"unexpected {_what(path)} in {folder.name}/; only .yaml files are read here"
            problems.append(Problem(display_path(path), 1, 1, message, "unknown-file"))
    return files


def _validate(
    file: Path, schema: type[models.Model], problems: list[Problem], cache: LoadCache | None = None
) -> tuple[Any, Document | None]:
    shown_as = display_path(file)
    raw, unread = read(file, shown_as)
    if raw is None:
        problems.extend(unread)
        return None, None
    loaded = cache.get(file, schema, raw, shown_as) if cache is not None else None
    if loaded is None:
        loaded = _parse(raw, shown_as, schema)
        if cache is not None:
            cache.put(file, schema, raw, shown_as, loaded)
    model, document, found = loaded
    problems.extend(found)
    return model, document


def _parse(raw: bytes, shown_as: str, schema: type[models.Model]) -> Loaded:
    document, found = load_bytes(raw, shown_as)
    if document is None:
        return None, None, tuple(found)
    if not isinstance(document.data, dict):
        problem = document.problem((), f"expected a mapping of fields for {_noun(schema)}", "wrong-type")
        return None, document, (*found, problem)
    try:
        return schema.model_validate(document.data), document, tuple(found)
    except pydantic.ValidationError as error:
        return None, document, (*found, *_problems_from(error, document, schema))


def _load_topic(base: KnowledgeBase, kind: str, file: Path, problems: list[Problem], cache: LoadCache | None) -> None:
    model, document = _validate(file, models.TOPIC_KINDS[kind], problems, cache)
    if model is not None and document is not None:
        base.topics.append(Topic(kind, file.stem, document.path, model, document))
    else:
        base.unread.add(kind)


def _load_card(base: KnowledgeBase, kind: str, file: Path, problems: list[Problem], cache: LoadCache | None) -> None:
    model, document = _validate(file, _CARD_KINDS[kind], problems, cache)
    if model is None or document is None:
        base.unread.add(kind)
        return
    card = Card(file.stem, document.path, model, document)
    if _is_slug(file.stem):
        getattr(base, kind)[file.stem] = card
    else:
        message = f"file name '{file.name}' is its key: use lowercase letters, digits and '-' only"
        problems.append(Problem(document.path, 1, 1, message, "bad-key"))


def _is_slug(text: str) -> bool:
    try:
        pydantic.TypeAdapter(models.Slug).validate_python(text)
    except pydantic.ValidationError:
        return False
    return True


def _load_single(base: KnowledgeBase, name: str, file: Path, problems: list[Problem], cache: LoadCache | None) -> None:
    model, document = _validate(file, _SINGLE_FILES[name], problems, cache)
    if model is None or document is None:
        base.unread.add(name)
        return
    if name == "site":
        base.site, base.site_document = model, document
    else:
        base.search_tests = [(test, document.position(("tests", i))[0]) for i, test in enumerate(model.tests)]
        base.search_tests_source = document.path


def _noun(schema: type) -> str:
    return schema.__name__.removesuffix("File").lower()


# --- pydantic errors → located, helpful problems -------------------------------------------------


def _problems_from(error: pydantic.ValidationError, document: Document, schema: type) -> list[Problem]:
    problems = []
    details = [(detail, _document_loc(document.data, detail["loc"])) for detail in error.errors(include_url=False)]
    misspelt = {(loc[:-1], str(loc[-1])) for detail, loc in details if detail["type"] == "extra_forbidden" and loc}
    for detail, loc in details:
        if any(loc[: len(bad)] == bad for bad in document.unreadable):
            continue
        if detail["type"] == "missing" and _is_misspelt(loc, misspelt):
            continue  # "unknown field 'anwser', did you mean 'answer'?" already says it
        problems.append(_problem_for(detail, loc, document, schema))
    return problems


def _is_misspelt(loc: Loc, misspelt: set[tuple[Loc, str]]) -> bool:
    names = [name for parent, name in misspelt if parent == loc[:-1]]
    return bool(difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6))


def _document_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep the parts of pydantic's loc that name real keys or indexes (drop union branch names)."""
    kept: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            kept.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isidentifier() and part.islower():
            kept.append(part)  # a missing or extra field: keep its name
            node = None
    return tuple(kept)


def _field_names(schema: Any, loc: Loc) -> list[str]:
    """The fields allowed at `loc`, found by walking the model's annotations."""
    annotation = schema
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


def _step(annotation: Any, part: str | int) -> Any:
    model = _model_in(annotation) if typing.get_origin(annotation) not in (list, dict) else None
    if isinstance(part, str) and model is not None:
        field_info = model.model_fields.get(part)
        return field_info.annotation if field_info else None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            if typing.get_origin(arg) in (list, dict):
                return _step(arg, part)
        return _step(typing.get_args(annotation)[0], part)
    args = typing.get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


def _problem_for(detail: Any, loc: Loc, document: Document, schema: type) -> Problem:
    kind = detail["type"]
    name = str(loc[-1]) if loc else ""
    where = next((f"'{part}'" for part in reversed(loc) if isinstance(part, str)), "the file")
    value = detail.get("input")
    if kind == "extra_forbidden":
        allowed = _field_names(schema, loc[:-1])
        hint = _did_you_mean(name, allowed) or f"allowed: {', '.join(allowed)}"
        return document.problem(loc, f"unknown field '{name}', {hint}", "unknown-field", key=True)
    if kind == "missing":
        return document.problem(loc[:-1], f"missing required field '{name}'", "missing-field")
    if kind == "string_pattern_mismatch" and "moved_from" in loc:
        message = (
            f"'{value}' is not an old id: write old-id, or old-topic/old-id when the entry came from another "
            "file of this folder, or folder/old-topic/old-id (e.g. objections/price/too-expensive)"
        )
        return document.problem(loc, message, "bad-id")
    if kind == "string_pattern_mismatch" and name in ("id", "owner", "key") or _in_slug_list(kind, loc):
        example = _slugify(str(value))
        message = f"'{value}' is not a valid key: use lowercase letters, digits and '-', e.g. '{example}'"
        return document.problem(loc, message, "bad-id")
    if kind.startswith("date"):
        return document.problem(loc, f"'{value}' is not a valid date; write it as YYYY-MM-DD", "bad-date")
    if kind == "string_type" and isinstance(value, bool):
        message = f"{where} must be text, but YAML read a yes/no value; put the text in quotes"
        return document.problem(loc, message, "wrong-type")
    if kind == "string_too_short":
        return document.problem(loc, f"{where} is empty; write something or remove the field", "empty-value")
    if kind == "too_short" and name == "entries":
        return document.problem(loc, "entries is empty; add at least one entry or delete the file", "empty-value")
    if kind in (
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "string_type",
        "int_type",
        "int_parsing",
        "float_parsing",
        "bool_type",
        "bool_parsing",
    ):
        expected = _TYPE_WORDS.get(kind, kind)
        message = f"{where} must be {expected}, not {_describe(value)}"
        if kind == "list_type" and isinstance(value, str):
            message += f"; write it as a list: '- {value}'"
        return document.problem(loc, message, "wrong-type")
    if kind == "literal_error":
        expected = detail["ctx"]["expected"]
        return document.problem(loc, f"{where} must be {expected}, not {value!r}", "bad-value")
    message = str(detail["msg"]).removeprefix("Value error, ")
    return document.problem(loc, f"{where} {message}", "bad-value")


def _in_slug_list(kind: str, loc: Loc) -> bool:
    return kind == "string_pattern_mismatch" and len(loc) >= 2 and isinstance(loc[-1], int)


_TYPE_WORDS = {
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"{type(value).__name__.replace('str', 'text')} {str(value)[:40]!r}"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-entry"
