"""Load YAML safely, keeping the line and column of every key and value.

PyYAML's safe loader silently keeps the last of two equal keys and forgets where values came from; a
marketer's lost text and an error without a line are both unacceptable, so this module composes the node
graph itself and builds plain Python data beside a map of locations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Loc = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_NODES = 200_000  # guards against alias bombs ("billion laughs")


@dataclass
class Document:
    """Plain data from one YAML file, with 1-based positions of its keys and values."""

    path: str
    data: Any
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    block_scalars: set[Loc] = field(default_factory=set)
    unreadable: set[Loc] = field(default_factory=set)
    """Values already reported as unreadable; later checks should not report them again."""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Best known position for `loc`: the key or the value, else the nearest enclosing node."""
        loc = tuple(loc)
        while True:
            marks = (self.key_marks, self.value_marks) if key else (self.value_marks, self.key_marks)
            for found in marks:
                if loc in found:
                    return found[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, rule: str, *, key: bool = False, **kwargs: Any) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, message, rule, **kwargs)

    def problem_in_text(self, loc: Loc, text: str, offset: int, message: str, rule: str) -> Problem:
        """A problem at character `offset` of the text value at `loc` (exact for `|` and `>` blocks)."""
        line, column = self.position(loc)
        if loc in self.block_scalars:
            before = text[:offset]
            indent = self.key_marks.get(loc, (line, column))[1] + 2  # block text is usually indented 2 more
            return Problem(self.path, line + 1 + before.count("\n"), indent + len(before.rsplit("\n", 1)[-1]),
                           message, rule)
        return Problem(self.path, line, column, message, rule)


class _Builder:
    def __init__(self, path: str) -> None:
        self.document = Document(path, None)
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.visited = 0

    def problem(self, mark: yaml.Mark, message: str, rule: str) -> None:
        self.problems.append(Problem(self.document.path, mark.line + 1, mark.column + 1, message, rule))

    def build(self, node: yaml.Node, loc: Loc, stack: tuple[int, ...] = ()) -> Any:
        self.visited += 1
        if self.visited > _MAX_NODES:
            raise _TooLarge(node.start_mark)
        self.document.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in stack:
            self.problem(node.start_mark, "this alias refers to itself; write the value out instead", "yaml-alias")
            return None
        stack = (*stack, id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, stack)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.problem(node.start_mark, f"unsupported YAML tag {node.tag}; remove it", "yaml-tag")
            return [self.build(item, (*loc, i), stack) for i, item in enumerate(node.value)]
        if node.style in ("|", ">"):
            self.document.block_scalars.add(loc)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            self.document.unreadable.add(loc)
            text = str(getattr(error, "problem", None) or error)
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a valid date ({text}); write it as YYYY-MM-DD"
                self.problem(node.start_mark, message, "bad-date")
            else:
                self.problem(node.start_mark, f"cannot read value {node.value!r}: {text}; put it in quotes", "yaml-value")
            return None

    def mapping(self, node: yaml.MappingNode, loc: Loc, stack: tuple[int, ...]) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            self.problem(node.start_mark, f"unsupported YAML tag {node.tag}; remove it", "yaml-tag")
        if any(key.tag == _MERGE_TAG for key, _ in node.value):
            try:
                self.constructor.flatten_mapping(node)
            except yaml.YAMLError as error:
                self.problem(node.start_mark, f"cannot merge: {getattr(error, 'problem', error)}", "yaml-merge")
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node.start_mark, "a key must be a plain word, not a list or mapping", "yaml-key")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.problem(
                    key_node.start_mark,
                    f"key '{key}' appears twice in this mapping (first on line {first_seen[key]}); "
                    "YAML would silently keep only the last one: merge them or rename one",
                    "duplicate-key",
                )
                continue
            first_seen[key] = line
            self.document.key_marks[(*loc, key)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key), stack)
        return result


class _TooLarge(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = (
            f"file is not UTF-8 (byte 0x{raw[error.start]:02x}); "
            "save it as UTF-8 in your editor (GitHub's web editor always does)"
        )
        return None, [Problem(path, line, column, message, "encoding")]
    return text.removeprefix("\ufeff"), []


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def loads(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text into a located Document, or return the problems that prevent it."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = "; ".join(str(part) for part in (error.context, error.problem) if part)
        return None, [Problem(path, line, column, f"YAML syntax error: {detail}", "yaml-syntax")]
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"invisible control character U+{code:04X} is not allowed in YAML; delete it"
        return None, [Problem(path, line, column, message, "yaml-syntax")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, f"YAML error: {error}", "yaml-syntax")]
    if node is None:
        return None, [Problem(path, 1, 1, "file is empty; add content or delete the file", "empty-file")]
    builder = _Builder(path)
    try:
        builder.document.data = builder.build(node, ())
    except _TooLarge as error:
        message = "file expands to too many values (aliases nested too deep); write values out instead"
        return None, [Problem(path, error.mark.line + 1, error.mark.column + 1, message, "yaml-alias")]
    except RecursionError:
        return None, [Problem(path, 1, 1, "file is nested too deeply to read", "yaml-syntax")]
    return builder.document, builder.problems


def load(file: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file; `display_path` is how problems name it."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        return None, [Problem(display_path, 1, 1, f"cannot read file: {error.strerror}", "io")]
    text, problems = _decode(raw, display_path)
    if text is None:
        return None, problems
    return loads(text, display_path)
