"""JSON Schemas for editors: generated from the models, committed, and named by every example file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from salesfaq import schema
from salesfaq.cli import main

SOURCE = ROOT / "faq_source"


def test_committed_schemas_are_up_to_date() -> None:
    assert schema.outdated(SOURCE) == [], "run `salesfaq schema` and commit faq_source/schema/"


def _example_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.y*ml") if schema.SCHEMA_DIR not in p.relative_to(SOURCE).parts)


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.relative_to(SOURCE).as_posix())
def test_every_example_file_names_its_schema(path: Path) -> None:
    relative = path.relative_to(SOURCE)
    expected = schema.modeline(relative)
    assert expected is not None, f"{relative} is not a kind of file the schemas cover"
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == expected
    assert (SOURCE / relative.parent / expected.split("=", 1)[1]).resolve().is_file()


def test_modeline_paths() -> None:
    assert schema.modeline(Path("site.yaml")) == "# yaml-language-server: $schema=./schema/site.schema.json"
    assert schema.modeline(Path("questions/pricing.yaml")) == (
        "# yaml-language-server: $schema=../schema/question.schema.json"
    )
    assert schema.modeline(Path("competitors/ticketly.yaml")) == (
        "# yaml-language-server: $schema=../schema/competitor.schema.json"
    )
    assert schema.modeline(Path("notes/x.yaml")) is None


def test_schema_forbids_unknown_fields_and_describes_fields() -> None:
    import json

    question = json.loads(schema.schema_text("question"))
    entry = question["$defs"]["Question"]
    assert entry["additionalProperties"] is False
    assert set(entry["required"]) == {"id", "question", "answer"}
    assert "Permanent anchor" in entry["properties"]["id"]["description"]


def test_schema_command_writes_then_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "faq_source").mkdir()
    assert CliRunner().invoke(main, ["schema", "--check"]).exit_code == 1
    written = CliRunner().invoke(main, ["schema"])
    assert written.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "faq_source" / "schema").iterdir()) == sorted(
        f"{kind}.schema.json" for kind in schema.KINDS
    )
    assert CliRunner().invoke(main, ["schema", "--check"]).exit_code == 0
    (tmp_path / "faq_source" / "schema" / "site.schema.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "--check"])
    assert result.exit_code == 1
    assert "site.schema.json: out of date" in result.output
