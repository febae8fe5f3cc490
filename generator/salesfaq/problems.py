"""Problems found in a marketer's input: located, collected, reported together."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, at a place a marketer can jump to."""

    path: str
    line: int
    column: int
    message: str
    rule: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: [{self.severity.value}] {self.message} ({self.rule})"

    def github(self) -> str:
        """GitHub Actions workflow command, shown as an annotation on the changed line."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        file, rule = _escape_property(self.path), _escape_property(self.rule)
        return f"::{level} file={file},line={self.line},col={self.column},title={rule}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    """Escape a workflow command's message the way GitHub's runner unescapes it (actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Property values also end at ',' and ':', so those are escaped too."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Problems:
    """An ordered, de-duplicated collection of problems."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._items: dict[Problem, None] = dict.fromkeys(problems)

    def add(self, problem: Problem) -> None:
        self._items.setdefault(problem, None)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether these problems should stop a build (warnings count when strict)."""
        return bool(self.errors or (strict and self.warnings))

    def format(self, style: str = "text") -> str:
        """Render as `text` (path:line:col), `github` annotations or `json`."""
        if style == "json":
            return json.dumps([{**asdict(p), "severity": p.severity.value} for p in self], indent=2)
        if style == "github":
            return "\n".join(p.github() for p in self)
        return "\n".join(str(p) for p in self)

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


class SalesFaqError(Exception):
    """The input is invalid; carries every problem found. Never a bug."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(problems.format())
        self.problems = problems
