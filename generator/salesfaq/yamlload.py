"""Load YAML safely, keeping the line and column of every key and value.

PyYAML's safe loader silently keeps the last of two equal keys and forgets where values came from; a
marketer's lost text and an error without a line are both unacceptable, so this module composes the node
graph itself and builds plain Python data beside a map of locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Loc = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters that show as nothing or garbage on a page (tab, newline and carriage return are fine)."""
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
            return Problem(
                self.path, line + 1 + before.count("\n"), indent + len(before.rsplit("\n", 1)[-1]), message, rule
            )
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
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)  # a scalar holds nothing, so it cannot contain itself
        if id(node) in stack:
            self.problem(node.start_mark, "this alias refers to itself; write the value out instead", "yaml-alias")
            return None
        stack = (*stack, id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, stack)
        if node.tag != _SEQ_TAG:
            self.problem(node.start_mark, f"unsupported YAML tag {node.tag}; remove it", "yaml-tag")
        return [self.build(item, (*loc, i), stack) for i, item in enumerate(node.value)]

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.style in ("|", ">"):
            self.document.block_scalars.add(loc)
        try:
            # A text is its node's value (what the constructor returns for it, at a fraction of the cost)
            value = node.value if node.tag == _STR_TAG else self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            self.document.unreadable.add(loc)
            text = str(getattr(error, "problem", None) or error)
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a valid date ({text}); write it as YYYY-MM-DD"
                self.problem(node.start_mark, message, "bad-date")
            else:
                message = f"cannot read value {node.value!r}: {text}; put it in quotes"
                self.problem(node.start_mark, message, "yaml-value")
            return None
        if isinstance(value, str) and (hidden := _CONTROL.search(value)):
            self.document.unreadable.add(loc)
            message = (
                f"invisible control character U+{ord(hidden.group()):04X} in this text (an escape like "
                "\\x01 or a pasted symbol); delete it"
            )
            self.problem(node.start_mark, message, "control-character")
            return None
        return value

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


_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
_OTHER_BREAK = re.compile("[\r\x85\u2028\u2029]")
_FLOW_COMMENT = re.compile(r"[,\[{]#")
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*#")
_QUOTED = ('"', "'")
_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)*")
"""Anchors and tags written before a value."""


class _SpecCheck:
    """What YAML forbids but PyYAML and libyaml accept: each changes or hides text without a word.

    Found by running the YAML test suite: a comment glued to a value (`"a"#b`, `>#b`, `[a,#b`), a lone `-`
    inside `[...]`, continuation lines of a quoted value or `[...]` list not indented under their key, a `|`
    block whose first blank lines are indented deeper than its text; and, where PyYAML reads valid YAML
    differently from the spec, `{?a: b}` (drops the `?`), `&an:chor` (splits the anchor) and `! 12`.
    """

    def __init__(self, text: str, path: str) -> None:
        # YAML's line breaks; most files have only "\n", which str.split finds several times faster
        other_breaks = "\r" in text or not text.isascii() and _OTHER_BREAK.search(text)
        self.lines = _LINE_BREAK.split(text) if other_breaks else text.split("\n")
        self.text = text
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def add(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + 1, column + 1, message, "yaml-syntax"))

    def char(self, mark: yaml.Mark) -> str:
        row = self.lines[mark.line] if mark.line < len(self.lines) else ""
        return row[mark.column] if mark.column < len(row) else ""

    def directives(self) -> None:
        if "%" not in self.text:
            return
        for number, row in enumerate(self.lines):
            if row.startswith("---"):
                return
            if row.startswith("%") and re.search(r"\S#", row):
                self.add(number, row.index("#"), "put a space before '#' to start a comment")

    def walk(self, node: yaml.Node, indent: int, flow: bool) -> None:
        """Check `node` and everything under it, depth first in document order (so problems come in order)."""
        lines, seen = self.lines, self.seen
        todo = [(node, indent, flow)]
        while todo:
            node, indent, flow = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            start, end = node.start_mark, node.end_mark
            if isinstance(node, yaml.ScalarNode):
                if not node.style and not flow and start.line == end.line:
                    # Most of a file: a plain one-line value in block context, where only a leading
                    # anchor or tag can hide a problem.
                    row = lines[start.line] if start.line < len(lines) else ""
                    if row[start.column : start.column + 1] in ("&", "!"):
                        self.properties(row, start.line, start.column)
                    continue
                if not flow and start.line != end.line and node.style not in ("|", ">"):
                    self.continuation(node, indent)
                self.scalar(node, indent, flow)
                continue
            in_flow = _is_flow(node)
            if in_flow:
                if not flow and start.line != end.line:
                    self.continuation(node, indent)
                if self.char(end) == "#":
                    self.add(end.line, end.column, "put a space before '#' to start a comment")
                if not flow:
                    self.flow_comments(node)
            children = node.value if isinstance(node, yaml.SequenceNode) else [v for pair in node.value for v in pair]
            inner = indent if in_flow or flow else self.block_indent(node)
            todo.extend((child, inner, flow or in_flow) for child in reversed(children))

    def block_indent(self, node: yaml.Node) -> int:
        """The column of a block mapping's keys or a block sequence's dashes (not of a tag or anchor before)."""
        if isinstance(node, yaml.MappingNode) and node.value:
            mark = node.value[0][0].start_mark
            row = self.lines[mark.line] if mark.line < len(self.lines) else ""
            explicit = mark.column >= 2 and row[mark.column - 2 : mark.column] == "? "
            return int(mark.column) - 2 if explicit else int(mark.column)
        return int(node.start_mark.column) if self.char(node.start_mark) == "-" else -1

    def scalar(self, node: yaml.ScalarNode, indent: int, flow: bool) -> None:
        start, end = node.start_mark, node.end_mark
        if node.style in _QUOTED and self.char(end) == "#":
            self.add(end.line, end.column, "put a space before '#' to start a comment")
        if flow and not node.style and node.value == "-":
            self.add(start.line, start.column, "a lone '-' inside [...] or {...} is not allowed; quote it: '-'")
        row = self.lines[start.line] if start.line < len(self.lines) else ""
        if flow and row[: start.column].endswith("?"):
            self.add(
                start.line,
                start.column - 1,
                "'?' glued to a value inside [...] or {...} is read as a key "
                "marker and dropped; put the text in quotes",
            )
        if row[start.column : start.column + 1] in ("&", "!"):  # the node starts with an anchor or a tag
            self.properties(row, start.line, start.column)
        if node.style in ("|", ">"):
            header = self.lines[start.line][start.column :]
            if _BLOCK_HEADER_COMMENT.match(header):
                self.add(start.line, start.column + header.index("#"), "put a space before '#' to start a comment")
            if not re.match(r"[|>][+-]?[1-9]", header):
                self.leading_blank_lines(start.line + 1, indent)

    def properties(self, row: str, line: int, column: int) -> None:
        properties = _PROPERTIES.match(row[column:]).group()  # type: ignore[union-attr]  # always matches
        for match in re.finditer(r"(?:^|\s)(&[0-9A-Za-z_-]*)([^\s,\[\]{}]?)", properties):
            if match.group(2):
                message = "an anchor name can only hold letters, digits, '-' and '_'; rename it"
                self.add(line, column + match.start(1), message)
        if re.search(r"(?:^|\s)!\s", properties):
            self.add(line, column + properties.index("!"), "a lone '!' tag is not supported; remove it")

    def continuation(self, node: yaml.Node, indent: int) -> None:
        last = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
        for number in range(node.start_mark.line + 1, min(last, len(self.lines) - 1) + 1):
            row = self.lines[number]
            if row.strip() and len(row) - len(row.lstrip(" ")) <= indent:
                message = (
                    f"this line continues the value that starts on line {node.start_mark.line + 1} but is "
                    "not indented under its key (tabs do not count); indent it with spaces"
                )
                self.add(number, 0, message)
                return

    def flow_comments(self, node: yaml.Node) -> None:
        quoted = [
            (n.start_mark.line, n.start_mark.column, n.end_mark.line, n.end_mark.column)
            for n in _descendants(node)
            if isinstance(n, yaml.ScalarNode) and n.style in _QUOTED
        ]
        for number in range(node.start_mark.line, node.end_mark.line + 1):
            for match in _FLOW_COMMENT.finditer(self.lines[number] if number < len(self.lines) else ""):
                at = (number, match.start() + 1)
                if not any((a, b) <= at < (c, d) for a, b, c, d in quoted):
                    self.add(number, match.start() + 1, "put a space before '#' to start a comment")

    def leading_blank_lines(self, first: int, indent: int) -> None:
        deepest = 0
        for number in range(first, len(self.lines)):
            row = self.lines[number]
            if row.strip(" "):
                spaces = len(row) - len(row.lstrip(" "))
                if indent < spaces < deepest:
                    message = (
                        "a blank line at the start of this text block has more spaces than its first line; "
                        "delete the spaces on the blank lines"
                    )
                    self.add(first, 0, message)
                return
            deepest = max(deepest, len(row))


def _is_flow(node: yaml.Node) -> bool:
    return isinstance(node, yaml.CollectionNode) and bool(node.flow_style)


def _descendants(node: yaml.Node) -> list[yaml.Node]:
    found, todo, seen = [], [node], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        if isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            todo.extend(v for pair in current.value for v in pair)
    return found


def spec_problems(node: yaml.Node, text: str, path: str) -> list[Problem]:
    """Problems for YAML that the parsers accept but the YAML spec forbids (see _SpecCheck)."""
    check = _SpecCheck(text, path)
    check.directives()
    check.walk(node, -1, False)
    return check.problems


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


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, about 25 times faster than PyYAML's own; composes the same located node graph."""


def _compose(text: str, path: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The node graph of `text`, or the problem that prevents it (PyYAML's wording, which names the fix)."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER), []
        except yaml.YAMLError as error:
            _, problems = _compose_slowly(text, path)  # libyaml refused it: PyYAML's message names the fix
            return None, problems or [_syntax_problem(error, path)]
    return _compose_slowly(text, path)


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a text holds a colon and a space, so put the whole text in double quotes"),
    ("unexpected end of stream", "a quote is opened and never closed, so close it at the end of the text"),
    ("'\\t'", "a tab indents this line, so indent with spaces like the lines around it"),
    ("undefined alias", "a text starts with *, so put the whole text in double quotes"),
    ("cannot start any token", "a text starts with a special character, so put the whole text in double quotes"),
    ("expected <block end>", "this line is indented unlike the lines above it, so line it up with its neighbours"),
    ("could not find expected ':'", "a field name lacks its ':', or a text goes on at a smaller indent"),
    ("expected alphabetic or numeric character", "a text starts with * or &, so put it in double quotes"),
)
"""PyYAML's wording names the grammar; a marketer needs the usual fix (checked in the order given)."""


def _syntax_problem(error: yaml.YAMLError, path: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail = "; ".join(str(part) for part in (getattr(error, "context", None), getattr(error, "problem", None)) if part)
    detail = detail or str(error)
    hint = next((hint for clue, hint in _SYNTAX_HINTS if clue in detail), None)
    return Problem(path, line, column, f"YAML syntax error: {detail}" + (f"; {hint}" if hint else ""), "yaml-syntax")


def _compose_slowly(text: str, path: str) -> tuple[yaml.Node | None, list[Problem]]:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), []
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, path)]
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"invisible control character U+{code:04X} is not allowed in YAML; delete it"
        return None, [Problem(path, line, column, message, "yaml-syntax")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, f"YAML error: {error}", "yaml-syntax")]
    except RecursionError:
        return None, [Problem(path, 1, 1, "file is nested too deeply to read; flatten the lists", "yaml-syntax")]


def loads(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text into a located Document, or return the problems that prevent it."""
    node, problems = _compose(text, path)
    if problems:
        return None, problems
    if node is None:
        return None, [Problem(path, 1, 1, "file is empty; add content or delete the file", "empty-file")]
    builder = _Builder(path)
    try:
        strict = spec_problems(node, text, path)
        if strict:
            return None, strict
        builder.document.data = builder.build(node, ())
    except _TooLarge as error:
        message = "file expands to too many values (aliases nested too deep); write values out instead"
        return None, [Problem(path, error.mark.line + 1, error.mark.column + 1, message, "yaml-alias")]
    except RecursionError:
        return None, [Problem(path, 1, 1, "file is nested too deeply to read", "yaml-syntax")]
    return builder.document, builder.problems


def read(file: Path, display_path: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one file, or the problem that prevents reading it."""
    try:
        return file.read_bytes(), []
    except OSError as error:
        return None, [Problem(display_path, 1, 1, f"cannot read file: {error.strerror}", "io")]


def load(file: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file; `display_path` is how problems name it."""
    raw, problems = read(file, display_path)
    if raw is None:
        return None, problems
    return load_bytes(raw, display_path)


def load_bytes(raw: bytes, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Parse the bytes of one YAML file; `display_path` is how problems name it."""
    text, problems = _decode(raw, display_path)
    if text is None:
        return None, problems
    return loads(text, display_path)
