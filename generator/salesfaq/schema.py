"""JSON Schemas generated from the content models, so editors check YAML as a marketer types."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from . import models

KINDS: dict[str, type[BaseModel]] = {
    "site": models.Site,
    "question": models.QuestionFile,
    "objection": models.ObjectionFile,
    "differentiator": models.DifferentiatorFile,
    "competitor": models.Competitor,
    "persona": models.Persona,
    "search_tests": models.SearchTests,
}
"""Schema name → the model of one file of that kind."""

FOLDERS = {
    "questions": "question",
    "objections": "objection",
    "differentiators": "differentiator",
    "competitors": "competitor",
    "personas": "persona",
}
"""Folder in faq_source/ → the schema of every file in it."""

SCHEMA_DIR = "schema"


def schema_text(kind: str) -> str:
    """The JSON Schema of one kind of file, as stable, diff-friendly text."""
    schema = KINDS[kind].model_json_schema()
    _describe(schema)
    for definition in schema.get("$defs", {}).values():
        _describe(definition)
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def schemas() -> dict[str, str]:
    """File name → text of every schema."""
    return {f"{kind}.schema.json": schema_text(kind) for kind in KINDS}


def write(source: Path) -> list[Path]:
    """Write every schema to `source`/schema/ and return the files that changed."""
    folder = source / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def outdated(source: Path) -> list[str]:
    """Schema files under `source`/schema/ that are missing or differ from the models."""
    folder = source / SCHEMA_DIR
    return [
        name
        for name, text in schemas().items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]


def kind_of(relative: Path) -> str | None:
    """The schema kind of a file, given its path relative to faq_source/ (None for files it does not cover)."""
    parts = relative.parts
    if len(parts) == 1 and relative.stem in ("site", "search_tests"):
        return relative.stem
    if len(parts) == 2:
        return FOLDERS.get(parts[0])
    return None


def modeline(relative: Path) -> str | None:
    """The `yaml-language-server` comment that starts a file at `relative` (to faq_source/)."""
    kind = kind_of(relative)
    if kind is None:
        return None
    prefix = "./" if len(relative.parts) == 1 else "../"
    return f"# yaml-language-server: $schema={prefix}{SCHEMA_DIR}/{kind}.schema.json"


HELP = {
    "id": "Permanent anchor of the entry: lowercase words joined by '-', unique across all files. Never reuse one.",
    "question": "The question as a customer asks it (plain text).",
    "objection": "The objection as a customer says it (plain text).",
    "claim": "What we do differently, in one line (plain text).",
    "answer": "The full answer (Markdown).",
    "response": "How to handle the objection (Markdown).",
    "short_answer": "The one or two sentences a rep says on a call.",
    "also_asked": "Other ways reps and buyers phrase it; search matches them.",
    "ask": "Discovery questions to ask back.",
    "proof": "Facts, numbers and customer stories that back it up (Markdown).",
    "versus": "Competitor key -> how we compare (Markdown).",
    "owner": "Owner key from site.yaml `owners`: who keeps this up to date.",
    "reviewed": "Date this was last checked, YYYY-MM-DD.",
    "added": "Date this entry was first published, YYYY-MM-DD; What's new lists it as new.",
    "review_days": "Review interval in days, overriding the file and site defaults.",
    "internal": "true keeps this out of a --public build; a list of field names keeps just those fields out.",
    "moved_from": "Old addresses of this entry, so old links keep working: old-id, or old-topic/old-id, or "
    "folder/old-topic/old-id.",
    "related": "Ids of related entries.",
    "tags": "Free-form tags; each gets a tag page.",
    "strengths": "What they do better than us: reps must know.",
    "landmines": "Questions to plant with the buyer.",
    "quick_dismiss": "One line to move past them on a call.",
    "frustrations": "What annoys this persona today.",
    "fears": "What this persona is afraid of.",
    "pressures": "What this persona is measured on or pushed by.",
    "search": "Search settings.",
    "transformer": "true ships a real transformer (all-MiniLM-L6-v2, 15 MB gzipped, fetched once per browser) that "
    "ranks results again a moment after they appear: better at reps' own words, slower to build (cached).",
    "host": "public (default) or internal: where the published site lives. internal publishes everything.",
}
"""Hover help for fields, shown by editors that read the schema."""


def _describe(schema: dict[str, object]) -> None:
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, prop in properties.items():
            if name in HELP and isinstance(prop, dict):
                prop.setdefault("description", HELP[name])
