"""CONTRIBUTING.md explains every rule the code can report, so a marketer never meets an unexplained message."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator" / "salesfaq"
RULE = re.compile(r"[a-z]+(?:-[a-z0-9]+)*")
PROBLEM_CALLS = {"Problem", "problem", "problem_in_text"}


def rules_in_code() -> dict[str, str]:
    """Every rule id passed to a Problem in the package, with the module that reports it."""
    rules: dict[str, str] = {}
    for module in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name not in PROBLEM_CALLS:
                continue
            for argument in [*node.args, *(k.value for k in node.keywords if k.arg == "rule")]:
                if (
                    isinstance(argument, ast.Constant)
                    and isinstance(argument.value, str)
                    and RULE.fullmatch(argument.value)
                ):
                    rules.setdefault(argument.value, module.name)
    return rules


def documented_rules() -> dict[str, list[str]]:
    """The rows of the table under "What each message means": rule id -> its cells."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## What each message means", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([a-z0-9-]+)` \|(.*)\|$", line)
        if match:
            assert match.group(1) not in rows, f"rule {match.group(1)} is explained twice"
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def test_the_scan_finds_the_rules_of_each_stage() -> None:
    rules = rules_in_code()
    assert {"yaml-syntax", "unknown-field", "unknown-reference", "duplicate-question", "overdue"} <= set(rules)


def test_every_rule_in_the_code_is_explained_and_nothing_else() -> None:
    in_code, documented = set(rules_in_code()), set(documented_rules())
    assert in_code - documented == set(), "explain these rules in CONTRIBUTING.md (What each message means)"
    assert documented - in_code == set(), "CONTRIBUTING.md explains rules the code no longer reports"


def test_each_explanation_has_a_kind_a_meaning_and_a_fix() -> None:
    for rule, cells in documented_rules().items():
        assert len(cells) == 3, rule
        kind, meaning, fix = cells
        assert kind in ("error", "warning"), rule
        assert len(meaning) > 20 and len(fix) > 10, rule


def test_the_kind_matches_the_severity_in_the_code() -> None:
    """Warnings are reported with severity=Severity.WARNING next to their rule id."""
    warnings = set()
    for module in PACKAGE.glob("*.py"):
        warnings |= set(re.findall(r'"([a-z-]+)",\s*severity=Severity\.WARNING', module.read_text(encoding="utf-8")))
    assert warnings
    for rule, (kind, _, _) in documented_rules().items():
        assert (kind == "warning") == (rule in warnings), rule


def test_links_in_contributing_point_to_files_that_exist() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        assert (ROOT / target).exists(), target
    assert Path(ROOT / ".github" / "pull_request_template.md").is_file()
