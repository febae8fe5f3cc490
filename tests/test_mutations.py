"""Mutated copies of the example content: each field deleted, retyped, duplicated or renamed.

Every mutation gives problems located inside the mutated file (an error on the field's line where the
mutation must be an error) and never a traceback; the unmutated content has no errors (and builds, see
test_build.py).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from salesfaq import models
from salesfaq.pipeline import validate
from salesfaq.yamlload import Loc, loads

SOURCE = ROOT / "faq_source"
CARD_MODELS = {"competitors": models.Competitor, "personas": models.Persona}


@dataclass(frozen=True)
class Mutation:
    file: str
    loc: Loc
    kind: str
    required: bool

    def __str__(self) -> str:
        return f"{self.file}:{'.'.join(map(str, self.loc))}:{self.kind}"


def _targets() -> list[tuple[str, Loc, bool]]:
    """(file, key loc, required) for the top-level keys of sample files and the keys of their first entry."""
    targets: list[tuple[str, Loc, bool]] = []
    for kind, schema in models.TOPIC_KINDS.items():
        file = sorted((SOURCE / kind).glob("*.yaml"))[0]
        document, _ = loads(file.read_text(encoding="utf-8"), str(file))
        assert document is not None
        entry_model = schema.model_fields["entries"].annotation.__args__[0]  # type: ignore[union-attr]
        name = file.relative_to(SOURCE).as_posix()
        targets += [(name, (key,), schema.model_fields[key].is_required()) for key in document.data]
        targets += [
            (name, ("entries", 0, key), entry_model.model_fields[key].is_required())
            for key in document.data["entries"][0]
        ]
    for kind, schema in CARD_MODELS.items():
        file = sorted((SOURCE / kind).glob("*.yaml"))[0]
        document, _ = loads(file.read_text(encoding="utf-8"), str(file))
        assert document is not None
        targets += [
            (file.relative_to(SOURCE).as_posix(), (key,), schema.model_fields[key].is_required())
            for key in document.data
        ]
    site, _ = loads((SOURCE / "site.yaml").read_text(encoding="utf-8"), "site.yaml")
    assert site is not None
    targets += [("site.yaml", (key,), False) for key in site.data]
    return targets


MUTATIONS = [
    Mutation(file, loc, kind, required)
    for file, loc, required in _targets()
    for kind in ("deleted", "retyped", "duplicated", "renamed")
]


def _block(lines: list[str], line: int, column: int) -> int:
    """Index one past the last line of the value whose key is at 1-based (line, column)."""
    end = line
    while end < len(lines):
        text = lines[end]
        if text.strip() and len(text) - len(text.lstrip(" ")) < column:
            break
        end += 1
    while end > line and not lines[end - 1].strip():
        end -= 1
    return end


def mutate(text: str, loc: Loc, kind: str) -> tuple[str, int]:
    """The text with the field at `loc` mutated, and the 1-based line where the mutation is."""
    document, _ = loads(text, "x")
    assert document is not None
    line, column = document.key_marks[loc]
    lines = text.split("\n")
    end = _block(lines, line, column)
    head, key = lines[line - 1][: column - 1], str(loc[-1])
    if kind == "deleted":
        keep = [head.rstrip()] if head.strip() else []  # a "- " before the key stays: the item goes on
        return "\n".join(lines[: line - 1] + keep + lines[end:]), line
    if kind == "retyped":
        return "\n".join([*lines[: line - 1], f"{head}{key}: {{retyped: 1}}", *lines[end:]]), line
    if kind == "duplicated":
        copy = [" " * (column - 1) + lines[line - 1][column - 1 :], *lines[line:end]]
        return "\n".join(lines[:end] + copy + lines[end:]), end + 1
    renamed = lines[line - 1][: column - 1] + re.sub(r"^(\w+)", r"\1x", lines[line - 1][column - 1 :])
    return "\n".join([*lines[: line - 1], renamed, *lines[line:]]), line


def test_the_unmutated_example_content_has_no_errors() -> None:
    _, problems = validate(SOURCE)
    assert problems.errors == []
    assert len(MUTATIONS) > 100


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mutations") / "faq_source"
    shutil.copytree(SOURCE, folder)
    return folder


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_a_mutated_field_gives_located_problems(mutation: Mutation, workspace: Path) -> None:
    original = (SOURCE / mutation.file).read_text(encoding="utf-8")
    changed, line = mutate(original, mutation.loc, mutation.kind)
    target = workspace / mutation.file
    target.write_text(changed, encoding="utf-8")
    try:
        _, problems = validate(workspace)  # any exception fails the test: never a traceback
    finally:
        target.write_text(original, encoding="utf-8")
    length = changed.count("\n") + 1
    in_file = [p for p in problems.errors if p.path == str(target) or p.path.endswith("/" + mutation.file)]
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message, str(problem)
    for problem in in_file:
        assert problem.line <= length, str(problem)
    key = str(mutation.loc[-1])
    if mutation.kind == "duplicated":
        assert any(p.rule == "duplicate-key" and p.line == line for p in in_file), problems.format()
    elif mutation.kind == "renamed":
        assert any(p.rule == "unknown-field" and p.line == line and f"'{key}x'" in p.message for p in in_file), (
            problems.format()
        )
    elif mutation.kind == "retyped":
        assert any(p.line == line for p in in_file), problems.format()
    elif mutation.required:
        assert any(f"'{key}'" in p.message for p in in_file), problems.format()
