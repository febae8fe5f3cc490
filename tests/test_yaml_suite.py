"""The YAML loader over the YAML test suite: every invalid input is a located problem, never a traceback.

The suite lives in `../shared/yaml-test-suite/` beside the repository (or where YAML_TEST_SUITE points);
each case folder holds `in.yaml`, an `error` file when a conforming parser must reject it, and `in.json`
with the expected data when the input is valid. Without the folder, the same assertions run over cases
generated here (known-invalid inputs, and valid ones with their expected data).

What the loader deliberately refuses although the spec allows it, always as a located problem:
custom tags (`!foo`, `!!set`, `!!omap`), keys that are lists or mappings, several documents in one file,
empty files, and a few constructs PyYAML cannot parse (tabs as separators in some places, empty keys,
multi-line flow keys). Where PyYAML reads valid YAML differently from the spec, the loader refuses instead
of changing the text (see `yamlload._SpecCheck`); the cases below in KNOWN_DIVERGENT are the only ones
where loaded data still differs from the expected data, none of which changes words.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from salesfaq.yamlload import loads

SUITE = Path(os.environ.get("YAML_TEST_SUITE", ROOT.parent / "shared" / "yaml-test-suite"))
KNOWN_DIVERGENT = {
    "565N": "!!binary gives bytes where the suite's JSON has the base64 text",
    "JEF9/02": "trailing whitespace of a keep-chomped (|+) block at the end of the stream",
    "L24T/01": "trailing line of spaces in a keep-chomped (|+) block",
}


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    error: bool
    expected: list[object] | None
    """The documents of in.json, when the case has one."""


def _json_documents(text: str) -> list[object]:
    decoder, documents, rest = json.JSONDecoder(), [], text.strip()
    while rest:
        document, end = decoder.raw_decode(rest)
        documents.append(document)
        rest = rest[end:].strip()
    return documents


def suite_cases() -> list[Case]:
    cases = []
    for file in sorted(SUITE.rglob("in.yaml")):
        folder = file.parent
        expected = folder / "in.json"
        cases.append(
            Case(
                folder.relative_to(SUITE).as_posix(),
                file.read_bytes().decode("utf-8"),
                (folder / "error").exists(),
                _json_documents(expected.read_text(encoding="utf-8")) if expected.exists() else None,
            )
        )
    return cases


GENERATED_ERRORS = [
    'key: "unclosed\n',
    "key: 'unclosed\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: b: c\n",
    "- a\nb: c\n",
    "key:\n  - a\n - b\n",
    "a:\n\t- b\n",
    "&a a: *b\n",
    "key: value\n  other: 1\n",
    "---\n- a\n---\n- b\n...\n%YAML 1.2\n",
    'key: "value"# comment\n',
    "block: ># comment\n  text\n",
    "[ a, b, c ]#comment\n",
    "[ a,#comment\n  b ]\n",
    "[-]\n",
    "flow: [a,\nb]\n",
    'quoted: "a\nb"\n',
    "key: !!str\n  - a\n",
    "a: |\n  text\n b\n",
    '"\\q": 1\n',
    "? [a\n",
    "key: *missing\n",
    "a: 1\n\x01b: 2\n",
]
GENERATED_VALID = {
    "title: Pricing\nentries:\n  - id: a\n    answer: |\n      Two\n\n      lines\n": {
        "title": "Pricing",
        "entries": [{"id": "a", "answer": "Two\n\nlines\n"}],
    },
    "a: 'it''s'\nb: \"tab\\there\"\nc: >-\n  folded\n  text\n": {"a": "it's", "b": "tab\there", "c": "folded text"},
    "list: [a, 'b, c', {d: e}]\n": {"list": ["a", "b, c", {"d": "e"}]},
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n": {"base": {"x": 1}, "other": {"x": 1, "y": 2}},
    'emoji: "🎉 שלום <b>{{ x }}</b> # not a comment"\n': {"emoji": "🎉 שלום <b>{{ x }}</b> # not a comment"},
    "multi: plain text\n  continues here\n": {"multi": "plain text continues here"},
    "? a\n: 1\n": {"a": 1},
}


def generated_cases() -> list[Case]:
    cases = [Case(f"generated-error-{i}", text, True, None) for i, text in enumerate(GENERATED_ERRORS)]
    cases += [
        Case(f"generated-valid-{i}", text, False, [data]) for i, (text, data) in enumerate(GENERATED_VALID.items())
    ]
    return cases


CASES = suite_cases() if SUITE.is_dir() else generated_cases()


def _within(text: str, line: int, column: int) -> bool:
    lines = re.split(r"\r\n|[\n\r\x85\u2028\u2029]", text)
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def _plain(value: object) -> object:
    """Loaded data in JSON's terms (dates as text) for comparison with in.json."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_loader_gives_located_problems_or_the_expected_data(case: Case) -> None:
    document, problems = loads(case.text, "in.yaml")  # any exception fails the test: never a traceback
    for problem in problems:
        assert problem.path == "in.yaml"
        assert _within(case.text, problem.line, problem.column), f"{problem} is outside the file"
        assert problem.message and problem.rule
    if case.error:
        assert problems, "invalid YAML was accepted"
    elif not problems and case.expected is not None and case.name not in KNOWN_DIVERGENT:
        assert document is not None
        assert _plain(document.data) == case.expected[0]


def test_every_error_case_is_refused_and_most_valid_cases_load() -> None:
    refused = [case.name for case in CASES if case.error and loads(case.text, "in.yaml")[1]]
    assert refused == [case.name for case in CASES if case.error]
    valid = [case for case in CASES if not case.error]
    loaded = [case for case in valid if not loads(case.text, "in.yaml")[1]]
    assert len(loaded) >= 0.6 * len(valid), "the loader refuses too much valid YAML"


def test_known_divergences_are_still_real() -> None:
    """Each case listed as divergent still differs; when one stops differing, drop it from the list."""
    by_name = {case.name: case for case in CASES}
    for name in KNOWN_DIVERGENT:
        if name in by_name:
            case = by_name[name]
            document, problems = loads(case.text, "in.yaml")
            assert not problems and document is not None and case.expected is not None
            assert _plain(document.data) != case.expected[0], name


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 3000 + "]" * 3000,
        "- " * 2000 + "x",
        "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 1500)),
        "a: &a [*a]\n",
        "a: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
    ],
    ids=["deep-flow", "deep-block-sequence", "deep-mapping", "self-alias", "alias-bomb"],
)
def test_hostile_nesting_is_a_located_problem(text: str) -> None:
    _, problems = loads(text, "in.yaml")
    assert problems and all(_within(text, p.line, p.column) for p in problems)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab: -[]{}#&*!|>'\"\n\t?,%@`\\") + ["\u2028", "\x85", "é", "🎉"]), max_size=60
    )
)
def test_any_text_loads_or_gives_located_problems(text: str) -> None:
    document, problems = loads(text, "in.yaml")
    assert document is not None or problems
    for problem in problems:
        assert _within(text, problem.line, problem.column), str(problem)


@pytest.mark.parametrize("case", [case for case in CASES if "\r" not in case.text], ids=lambda case: case.name)
def test_problems_do_not_depend_on_the_line_break_style(case: Case) -> None:
    # A file saved on Windows ("\r\n") is checked through the general line splitter, the same file with
    # "\n" through the fast one: they must find the same problems at the same places.
    _, unix = loads(case.text, "in.yaml")
    _, windows = loads(case.text.replace("\n", "\r\n"), "in.yaml")
    assert [str(problem) for problem in windows] == [str(problem) for problem in unix]
