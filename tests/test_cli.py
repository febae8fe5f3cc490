"""Each CLI command, driven as a user runs it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT, copy_project
from salesfaq.cli import main


def test_validate_reports_every_problem_and_exits_1(monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date) -> None:
    monkeypatch.chdir(CASES / "invalid" / "unknown-references")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "faq_source/questions/pricing.yaml:7:16: [error] unknown product 'relay-dsk'" in result.output
    assert "faq_source/questions/pricing.yaml:11:15: [error] unknown entry id 'free-trail'" in result.output
    assert "Traceback" not in result.output


def test_validate_github_format_prints_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "invalid" / "unknown-field")
    result = CliRunner().invoke(main, ["validate", "--format", "github"])
    assert result.exit_code == 1
    assert result.output.startswith("::error file=faq_source/questions/pricing.yaml,line=5,col=5,title=unknown-field::")


def test_validate_warnings_pass_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "valid" / "minimal")
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0
    strict = CliRunner().invoke(main, ["validate", "--strict"])
    assert strict.exit_code == 1
    assert "(missing-short-answer)" in strict.output


def test_validate_example_content_has_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output


def test_build_writes_site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(CASES / "valid" / "minimal" / "faq_source", tmp_path / "project")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "-d", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert 'id="free-trial"' in (tmp_path / "out" / "questions" / "pricing" / "index.html").read_text()


def test_build_strict_fails_on_content_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(CASES / "valid" / "minimal" / "faq_source", tmp_path / "project")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "--strict", "-d", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "(missing-short-answer)" in result.output


def test_build_with_invalid_content_exits_1_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(CASES / "invalid" / "duplicate-key" / "faq_source", tmp_path / "project")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "-d", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "index.html").exists()


def test_build_without_mkdocs_yml_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "mkdocs.yml not found" in result.output


def test_serve_without_mkdocs_yml_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "mkdocs.yml not found" in result.output
    assert "Serving on" not in result.output


def test_serve_on_an_address_in_use_says_so_before_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another server on the port (a second `make serve`) is a usage error named at once, not a traceback
    after a whole build."""
    import socket

    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    monkeypatch.chdir(project)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        result = CliRunner().invoke(main, ["serve", "-a", address])
    assert result.exit_code == 2
    assert f"{address} is already in use" in result.output
    assert "salesfaq serve -a 127.0.0.1:8001" in result.output
    assert "Serving on" not in result.output and "Traceback" not in result.output  # said before MkDocs starts


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1:0"])
def test_serve_on_a_port_out_of_range_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.chdir(copy_project(ROOT / "faq_source", tmp_path / "project"))
    result = CliRunner().invoke(main, ["serve", "-a", address])
    assert result.exit_code == 2
    assert f"{address}: the port is a number from 1 to 65535" in result.output
    assert "Traceback" not in result.output


def test_serve_help_names_live_reload() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "rebuilding when any YAML file is saved" in result.output


@pytest.fixture(autouse=True)
def _no_stray_site(tmp_path: Path) -> None:
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_serve_does_not_warn_of_inaccurate_navigation() -> None:
    """MkDocs' warning for dirty builds does not hold for `salesfaq serve` (the plugin rebuilds every page
    when the nav changes): it is left out; every other message of MkDocs' build passes."""
    import logging

    from salesfaq import cli

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("mkdocs.commands.build", logging.WARNING, __file__, 1, message, None, None)

    dirty = "A 'dirty' build is being performed, this will likely lead to inaccurate navigation and other links"
    assert not cli._no_dirty_warning(record(dirty))
    assert cli._no_dirty_warning(record("Documentation built in 1.2 seconds"))
