"""`salesfaq new`: each kind added to a copy of the example content, which must still validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, copy_project
from salesfaq import schema
from salesfaq.cli import main
from salesfaq.pipeline import validate
from salesfaq.scaffold import ScaffoldError, append_entry, fresh_key, slug

ENTRY_KINDS = {
    "question": "questions/security-and-compliance.yaml",
    "objection": "objections/price.yaml",
    "differentiator": "differentiators/platform.yaml",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date) -> Path:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def _new(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", list(ENTRY_KINDS))
def test_new_entry_is_appended_without_touching_the_rest(kind: str, project: Path, pinned_today: dt.date) -> None:
    file = project / "faq_source" / ENTRY_KINDS[kind]
    before = file.read_text(encoding="utf-8")
    code, output = _new(kind, "Can we migrate our macros?", "--topic", file.stem)
    assert code == 0, output
    after = file.read_text(encoding="utf-8")
    assert after.startswith(before), "every line already written must stay as it was"
    line = int(output.split(f"{ENTRY_KINDS[kind]}:", 1)[1].split(":", 1)[0])
    assert after.splitlines()[line - 1] == "  - id: can-we-migrate-our-macros"
    base, problems = validate(Path("faq_source"))
    assert problems.errors == []
    entry = next(e for e, t, _ in base.entries() if e.id == "can-we-migrate-our-macros")
    assert entry.title == "Can we migrate our macros?"
    assert entry.reviewed == entry.added == pinned_today
    placeholders = [p for p in problems if p.rule == "placeholder" and p.path.endswith(ENTRY_KINDS[kind])]
    assert placeholders and all(p.line > line for p in placeholders)


@pytest.mark.parametrize("kind", ["competitor", "persona"])
def test_new_card_is_a_new_file_naming_its_schema(kind: str, project: Path, pinned_today: dt.date) -> None:
    code, output = _new(kind, "Help Scout")
    assert code == 0, output
    folder = f"{kind}s"
    file = project / "faq_source" / folder / "help-scout.yaml"
    assert f"faq_source/{folder}/help-scout.yaml:1: added {kind} 'help-scout'" in output
    first = file.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == schema.modeline(Path(folder, "help-scout.yaml"))
    base, problems = validate(Path("faq_source"))
    assert problems.errors == []
    card = getattr(base, folder)["help-scout"]
    assert card.model.name == "Help Scout"
    assert card.model.reviewed == pinned_today


def test_new_topic_key_starts_a_new_file(project: Path) -> None:
    code, output = _new("question", "Do you offer onboarding?", "--topic", "onboarding", "--owner", "tom")
    assert code == 0, output
    file = project / "faq_source" / "questions" / "onboarding.yaml"
    assert file.read_text(encoding="utf-8").startswith(schema.modeline(Path("questions/onboarding.yaml")) + "\n")
    base, problems = validate(Path("faq_source"))
    assert problems.errors == []
    entry = next(e for e, t, _ in base.entries() if t.key == "onboarding")
    assert (entry.id, entry.owner) == ("do-you-offer-onboarding", "tom")


def test_taken_ids_get_a_fresh_one(project: Path) -> None:
    code, output = _new("question", "--id", "pricing-model", "--topic", "pricing-and-plans")
    assert code == 0, output
    assert "'pricing-model' is already taken, so the new one is 'pricing-model-2'" in output
    code, output = _new("question", "Per seat pricing", "--topic", "pricing-and-plans")
    assert code == 0, output
    assert "added question 'per-seat-pricing-2'" in output, "an old id in moved_from is taken too"
    code, output = _new("persona", "VP Support")
    assert code == 0, output
    assert "added persona 'vp-support-2'" in output
    _, problems = validate(Path("faq_source"))
    assert problems.errors == []


def test_placeholders_are_named_without_a_title(project: Path) -> None:
    code, output = _new("objection", "--topic", "timing")
    assert code == 0, output
    assert "added objection 'new-objection'" in output
    assert "'objection' still holds the placeholder text of `salesfaq new`; write the real text (placeholder)" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["question", "X"], "which file of questions/? Pass --topic KEY (implementation-and-support, integrations,"),
        (["question", "X", "--topic", "Pricing"], "--topic 'Pricing' is not a valid file key"),
        (["question", "X", "--topic", "objections/price.yaml"], "a question goes in a file of"),
        (["persona", "X", "--owner", "tomm"], "unknown owner 'tomm'; did you mean 'tom'?"),
        (["persona", "X", "--id", "Big Boss"], "'Big Boss' is not a valid id"),
    ],
)
def test_wrong_usage_exits_2_and_changes_nothing(args: list[str], message: str, project: Path) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    code, output = _new(*args)
    assert code == 2
    assert message in output
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_new_refuses_invalid_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(ROOT / "tests" / "cases" / "invalid" / "unknown-field" / "faq_source", tmp_path / "p")
    monkeypatch.chdir(project)
    code, output = _new("question", "X")
    assert code == 1
    assert "fix the errors first" in output


ITEM = '- id: new-one\n  question: "New?"\n  answer: Yes.\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # the usual layout: the new item goes after the last one, spaced like the others
        (
            "title: T\nentries:\n  - id: a\n    question: A?\n    answer: A.\n\n  - id: b\n    question: B?\n"
            "    answer: B.\n",
            "title: T\nentries:\n  - id: a\n    question: A?\n    answer: A.\n\n  - id: b\n    question: B?\n"
            '    answer: B.\n\n  - id: new-one\n    question: "New?"\n    answer: Yes.\n',
        ),
        # no final newline, one entry, an indented comment inside it
        (
            "title: T  # the page title\nentries:\n  - id: a\n    # why: asked a lot\n    question: A?\n    answer: A.",
            "title: T  # the page title\nentries:\n  - id: a\n    # why: asked a lot\n    question: A?\n    answer: A.\n"
            '  - id: new-one\n    question: "New?"\n    answer: Yes.\n',
        ),
        # entries is not the last key, and a comment describes the next key
        (
            "entries:\n- id: a\n  question: A?\n  answer: |\n    Long.\n\n    More.\n\n# who owns it\nowner: tom\ntitle: T\n",
            'entries:\n- id: a\n  question: A?\n  answer: |\n    Long.\n\n    More.\n- id: new-one\n  question: "New?"\n'
            "  answer: Yes.\n\n# who owns it\nowner: tom\ntitle: T\n",
        ),
    ],
)
def test_append_entry_keeps_every_line(before: str, after: str) -> None:
    text, line = append_entry(before, ITEM)
    assert text == after
    assert text.splitlines()[line - 1].strip() == "- id: new-one"
    assert [e["id"] for e in yaml.safe_load(text)["entries"]][-1] == "new-one"


def test_append_entry_refuses_a_one_line_list() -> None:
    with pytest.raises(ScaffoldError, match="written on one line"):
        append_entry("title: T\nentries: [{id: a, question: A, answer: A.}]\n", ITEM)


def test_slug_and_fresh_key() -> None:
    assert slug("Do you support SSO (SAML 2.0) with Okta?") == "do-you-support-sso-saml-2-0-with-okta"
    assert len(slug("word " * 40)) <= 60
    assert slug("¿Qué incluye el plan Básico?") == "que-incluye-el-plan-basico"
    assert slug("数据") == ""
    assert fresh_key("a", {"a", "a-2"}) == "a-3"
    assert fresh_key("b", {"a"}) == "b"
