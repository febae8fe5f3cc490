"""What the deploy job publishes (`salesfaq build --publish`), and the annotations pull requests get."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, copy_project
from salesfaq.cli import main
from salesfaq.problems import Problem, Severity

CASE = CASES / "valid" / "internal-content" / "faq_source"
SECRET = re.compile(r"zqxsecret", re.IGNORECASE)


def _publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str | None) -> tuple[str, str]:
    """Build the internal-content case as the deploy job does; return its output text and what it said."""
    project = copy_project(CASE, tmp_path / "project")
    if host:
        site_yaml = project / "faq_source" / "site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"host: {host}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("SALESFAQ_PUBLIC", raising=False)  # restored after the test: the build sets it
    result = CliRunner().invoke(main, ["build", "--publish", "-d", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    html = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    return html, result.stderr


@pytest.mark.parametrize(("host", "said"), [(None, "host: public"), ("public", "host: public")])
def test_publish_builds_the_public_site_unless_the_host_is_internal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str | None, said: str
) -> None:
    """Content warnings (missing short answers here) do not stop a publish; internal content stays out."""
    html, stderr = _publish(tmp_path, monkeypatch, host)
    assert f"publishing the public build: site.yaml says {said}" in stderr
    assert not SECRET.search(html)
    assert 'id="volume-pricing"' in html


def test_publish_builds_everything_for_an_internal_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html, stderr = _publish(tmp_path, monkeypatch, "internal")
    assert "publishing the full (internal) build: site.yaml says host: internal" in stderr
    assert 'id="zqxsecret15-approval-chain"' in html


def test_publish_is_strict_about_broken_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(CASE, tmp_path / "project")
    (project / "docs" / "guide.md").write_text("# Guide\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("SALESFAQ_PUBLIC", raising=False)
    result = CliRunner().invoke(main, ["build", "--publish", "-d", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "Aborted with 1 warnings in strict mode" in result.output  # the link warning itself is logged
    assert "Traceback" not in result.output


def test_validate_github_prints_only_annotations_on_stdout(
    monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date
) -> None:
    """Every stdout line is a workflow command GitHub turns into an annotation; the summary goes to the log."""
    monkeypatch.chdir(CASES / "reports" / "neglected")
    result = CliRunner().invoke(main, ["validate", "--format", "github"])
    assert result.exit_code == 0  # warnings only
    lines = result.stdout.splitlines()
    assert lines and all(
        re.fullmatch(r"::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+", line) for line in lines
    )
    assert (
        "::warning file=faq_source/questions/pricing.yaml,line=13,col=9,title=missing-short-answer::" in result.stdout
    )
    assert result.stderr == "faq_source: 0 errors, 7 warnings\n"


@pytest.mark.parametrize(
    ("problem", "annotation"),
    [
        (
            Problem(
                "faq_source/questions/pricing.yaml",
                5,
                5,
                "unknown field 'anwser', did you mean 'answer'?",
                "unknown-field",
            ),
            "::error file=faq_source/questions/pricing.yaml,line=5,col=5,title=unknown-field::"
            "unknown field 'anwser', did you mean 'answer'?",
        ),
        (
            Problem("faq_source/odd, name: v2.yaml", 1, 1, "100% sure\nsecond line", "overdue", Severity.WARNING),
            "::warning file=faq_source/odd%2C name%3A v2.yaml,line=1,col=1,title=overdue::100%25 sure%0Asecond line",
        ),
    ],
)
def test_github_annotations_escape_what_the_runner_would_misread(problem: Problem, annotation: str) -> None:
    """Messages keep ',' and ':' (only properties end at them); %, CR and LF are escaped everywhere."""
    assert problem.github() == annotation
