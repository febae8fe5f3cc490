"""Front-matter strings: the fast path for plain text writes exactly what the YAML dumper writes, and every
string reads back as itself."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from salesfaq.render import yaml_string


def _dumped(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=2**31).strip()


@pytest.mark.parametrize(
    "text",
    ["", " ", "  lead and trail  ", "- a list?", "# heading", "key: value", "? x", "null", "~", "yes", "1.0",
     "'single'", '"double"', "back\\slash", "tab\there", "line\nbreak", "é accent", "🚀", "x" * 5000, "{{ j }}"],
)  # fmt: skip
def test_yaml_string_is_the_dumper_output_and_reads_back(text: str) -> None:
    assert yaml_string(text) == _dumped(text)
    assert yaml.safe_load(yaml_string(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)) | st.text())
def test_yaml_string_matches_the_dumper_on_any_text(text: str) -> None:
    assert yaml_string(text) == _dumped(text)
