"""What the build-speed work relies on: the shortcuts leave no trace on the site or the process."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from conftest import ROOT
from salesfaq import pipeline


@pytest.mark.parametrize("enabled", [True, False])
def test_the_pipeline_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        result = pipeline.run(ROOT / "faq_source")
        assert result.site is not None and result.site.pages
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), pipeline.cycle_collection_paused():
            assert not gc.isenabled()
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled, "back as it was, even after an error"
    finally:
        gc.enable() if was else gc.disable()


def test_a_build_freezes_what_the_pipeline_made_and_serve_does_not() -> None:
    """A one-off build freezes its objects for the cycle collector (they live as long as the build); under
    serve (a load cache kept across rebuilds) nothing is frozen, so a rebuild's garbage is still collected."""
    from salesfaq.loader import LoadCache

    try:
        pipeline.run(ROOT / "faq_source")
        assert gc.get_freeze_count() > 0
        pipeline.run(ROOT / "faq_source", cache=LoadCache())
        assert gc.get_freeze_count() == 0, "serve: what an earlier build froze is handed back to the collector"
    finally:
        gc.unfreeze()


def test_materials_search_index_keeps_its_config_and_no_page(example_site: Path) -> None:
    """Material's search plugin indexes no page (salesfaq's worker answers every query); its index file stays
    for the search box's configuration."""
    data = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] == []
    assert set(data["config"]) >= {"lang", "separator", "pipeline", "fields"}


def test_serve_polls_for_saved_files_every_twentieth_of_a_second_and_rebuilds_soon_after(tmp_path: Path) -> None:
    from salesfaq import cli

    server = cli._quick_reload_server()(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert server.observer.timeout == cli.POLL_SECONDS == 0.05  # MkDocs' own: 0.5 s
        assert server.build_delay == cli.SETTLE_SECONDS == 0.03  # MkDocs' own: 0.1 s
    finally:
        server.server_close()
