"""`salesfaq serve` rebuilds only the pages whose generated Markdown changed (MkDocs' dirty build)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, copy_project
from mkdocs.config import load_config
from mkdocs.structure.files import get_files


def _generated(project: Path, plugin_dirty: bool, rounds: list[str]) -> list[dict[str, bool]]:
    """Which generated pages MkDocs would rebuild, one dict per build, after writing each YAML text."""
    pricing = project / "faq_source" / "questions" / "pricing-and-plans.yaml"
    results = []
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="serve", dirty=plugin_dirty)
    for text in rounds:
        pricing.write_text(text, encoding="utf-8")
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))  # as serve does
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        results.append({f.src_uri: f.is_modified() for f in files.documentation_pages() if f.generated_by})
    return results


def test_only_changed_pages_are_rebuilt_under_serve_dirty(tmp_path: Path) -> None:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    original = (project / "faq_source" / "questions" / "pricing-and-plans.yaml").read_text(encoding="utf-8")
    changed = original.replace("question: ", "question: Edited ", 1)
    first, same, edited = _generated(project, True, [original, original, changed])
    assert all(first.values()), "the first build of a session builds everything"
    assert not any(same.values()), "nothing changed, nothing rebuilt"
    assert edited["questions/pricing-and-plans.md"]
    assert not edited["personas/it-security.md"]
    assert sum(edited.values()) < len(edited) / 2


def test_a_plain_serve_rebuilds_everything(tmp_path: Path) -> None:
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    original = (project / "faq_source" / "questions" / "pricing-and-plans.yaml").read_text(encoding="utf-8")
    _, same = _generated(project, False, [original, original])
    assert all(same.values())
