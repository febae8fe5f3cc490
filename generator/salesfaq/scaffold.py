"""`salesfaq new`: a valid skeleton in the right file, leaving every line already written as it was.

Entries are appended to a topic file's `entries:` list as text (the file is never re-serialised, so its
comments, quoting and layout survive); battlecards and personas get a new file. The skeleton's
placeholders start with "TODO:", which `salesfaq validate` reports until they are replaced.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import schema
from .loader import KnowledgeBase, display_path
from .render import environment

KINDS = {
    "question": "questions",
    "objection": "objections",
    "differentiator": "differentiators",
    "competitor": "competitors",
    "persona": "personas",
}
"""What `salesfaq new` can add → the folder it goes to."""

_MAX_SLUG = 60


class ScaffoldError(Exception):
    """The request cannot be carried out as asked (a user error, shown without a traceback)."""


@dataclass(frozen=True)
class Change:
    """One file to write: its text before (None for a new file) and after."""

    path: Path
    before: str | None
    after: str
    kind: str
    key: str
    line: int
    note: str | None = None
    """Said to the user when the id asked for was taken."""

    @property
    def location(self) -> str:
        return f"{display_path(self.path)}:{self.line}"

    def apply(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.after, encoding="utf-8")

    def revert(self) -> None:
        if self.before is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_text(self.before, encoding="utf-8")


def slug(text: str) -> str:
    """A key made from a title: its lowercase words joined by '-' (accents dropped), cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > _MAX_SLUG:
            break
        kept.append(word[:_MAX_SLUG])
    return "-".join(kept)


def fresh_key(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, ... whichever is not taken yet."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def plan(
    base: KnowledgeBase,
    kind: str,
    title: str | None = None,
    *,
    topic: str | None = None,
    wanted_id: str | None = None,
    owner: str | None = None,
    on: dt.date,
) -> Change:
    """The change that adds a skeleton of `kind` to `base` (nothing is written yet)."""
    owners = [o.key for o in base.site.owners]
    if owner is not None and owner not in owners:
        close = difflib.get_close_matches(owner, owners, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; owners in site.yaml: {', '.join(owners) or 'none'}"
        raise ScaffoldError(f"unknown owner '{owner}'{hint}")
    folder = KINDS[kind]
    if folder in ("competitors", "personas"):
        return _new_card(base, kind, folder, title, wanted_id, owner, owners, on)
    return _new_entry(base, kind, folder, title, topic, wanted_id, owner, owners, on)


def _key(title: str | None, wanted_id: str | None, placeholder: str, taken: set[str]) -> tuple[str, str | None]:
    wanted = wanted_id if wanted_id is not None else (slug(title) if title else "") or placeholder
    if slug(wanted) != wanted:
        raise ScaffoldError(
            f"'{wanted}' is not a valid id: use lowercase letters, digits and '-', e.g. '{slug(wanted) or placeholder}'"
        )
    key = fresh_key(wanted, taken)
    note = f"'{wanted}' is already taken, so the new one is '{key}'" if key != wanted else None
    return key, note


def _new_card(
    base: KnowledgeBase,
    kind: str,
    folder: str,
    title: str | None,
    wanted_id: str | None,
    owner: str | None,
    owners: list[str],
    on: dt.date,
) -> Change:
    directory = base.root / folder
    taken = {p.stem for p in directory.glob("*.y*ml")} if directory.is_dir() else set()
    key, note = _key(title, wanted_id, f"new-{kind}", taken)
    path = directory / f"{key}.yaml"
    text = _render(
        f"new-{kind}.yaml.j2",
        modeline=schema.modeline(Path(folder, path.name)),
        title=title,
        owner=owner,
        owners=owners,
        today=on.isoformat(),
    )
    return Change(path, None, text, kind, key, 1, note)


def _new_entry(
    base: KnowledgeBase,
    kind: str,
    folder: str,
    title: str | None,
    topic: str | None,
    wanted_id: str | None,
    owner: str | None,
    owners: list[str],
    on: dt.date,
) -> Change:
    path = _topic_path(base, folder, topic)
    taken = {entry.id for entry, _, _ in base.entries()} | {
        old for entry, _, _ in base.entries() for old in entry.old_ids
    }
    key, note = _key(title, wanted_id, f"new-{kind}", taken)
    existing = next((t for t in base.topics if Path(t.source).resolve() == path.resolve()), None)
    inherited = existing is not None and existing.model.owner is not None
    item = _render(
        f"new-{kind}.yaml.j2",
        id=key,
        title=title,
        owner=owner,
        owners=[] if inherited else owners,
        today=on.isoformat(),
    )
    if existing is None:
        header = _render(
            "new-topic.yaml.j2",
            modeline=schema.modeline(Path(folder, path.name)),
            title=path.stem.replace("-", " ").capitalize(),
        )
        text = header + textwrap.indent(item, "  ")
        return Change(path, None, text, kind, key, header.count("\n") + 1, note)
    before = path.read_text(encoding="utf-8")
    after, line = append_entry(before, item)
    return Change(path, before, after, kind, key, line, note)


def _topic_path(base: KnowledgeBase, folder: str, topic: str | None) -> Path:
    directory = base.root / folder
    keys = sorted(t.key for t in base.topics if t.kind == folder)
    if topic is None:
        if len(keys) == 1:
            return directory / f"{keys[0]}.yaml"
        choices = ", ".join(keys) if keys else "none yet; name a new one"
        raise ScaffoldError(f"which file of {folder}/? Pass --topic KEY ({choices})")
    if "/" in topic or topic.endswith((".yaml", ".yml")):
        path = Path(topic)
        if path.resolve().parent != directory.resolve():
            raise ScaffoldError(f"--topic {topic}: a {folder[:-1]} goes in a file of {display_path(directory)}/")
        return path
    found = next((t for t in base.topics if t.kind == folder and t.key == topic), None)
    if found is not None:
        return Path(found.source)
    if slug(topic) != topic:
        raise ScaffoldError(f"--topic '{topic}' is not a valid file key: use lowercase letters, digits and '-'")
    return directory / f"{topic}.yaml"


def _render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def append_entry(text: str, item: str) -> tuple[str, int]:
    """`text` with `item` (a YAML list item written at column 0) appended to its `entries:` list.

    Returns the new text and the 1-based line where the item starts. Every other line is kept as is.
    """
    if not text.endswith("\n"):
        text += "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    entries = next((value for key, value in root.value if key.value == "entries"), None) if root else None
    if not isinstance(entries, yaml.SequenceNode) or not entries.value:
        raise ScaffoldError("the file has no `entries:` list to add to")
    if entries.flow_style:
        raise ScaffoldError("`entries:` is written on one line as [...]; write it as a list of `- id:` items first")
    dash = entries.start_mark.column
    lines = text.splitlines(keepends=True)
    end = len(lines) if entries.end_mark.index >= len(text) else entries.end_mark.line
    while end > 0 and _belongs_to_next(lines[end - 1], dash):
        end -= 1
    last = entries.value[-1].start_mark.line
    spaced = len(entries.value) > 1 and not lines[last - 1].strip()
    block = ("\n" if spaced else "") + textwrap.indent(item, " " * dash)
    line = end + 1 + spaced
    return "".join([*lines[:end], block, *lines[end:]]), line


def _belongs_to_next(line: str, dash: int) -> bool:
    """Blank lines, and comments no deeper than the list's dashes, sit before what follows the list."""
    stripped = line.lstrip()
    return not stripped or (stripped.startswith("#") and len(line) - len(stripped) <= dash)
