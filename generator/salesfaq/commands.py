"""The commands of the editing loop: schema, stale, report, new. Registered on the `salesfaq` group in cli.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import pipeline, schema
from .freshness import today
from .stale import format_markdown, format_text, stale_report

EXIT_OK, EXIT_INVALID = 0, 1

source_option = click.option("--source", "-s", type=click.Path(file_okay=False, path_type=Path),
                             default="faq_source", show_default=True, help="Folder of YAML content.")


def _load(source: Path):  # type: ignore[no-untyped-def]
    """The validated knowledge base, or exit 1 with the errors (reports need valid content)."""
    base, problems = pipeline.validate(source)
    if problems.errors:
        click.echo(problems.format(), err=True)
        click.echo(f"{source}: {problems.summary()}; fix the errors first (salesfaq validate)", err=True)
        sys.exit(EXIT_INVALID)
    return base


@click.command("schema")
@source_option
@click.option("--check", is_flag=True, help="Only check the schemas are up to date; exit 1 if not.")
def schema_command(source: Path, check: bool) -> None:
    """Write JSON Schemas of every kind of file to SOURCE/schema/ for editors."""
    if check:
        stale = schema.outdated(source)
        for name in stale:
            click.echo(f"{source / schema.SCHEMA_DIR / name}: out of date; run `salesfaq schema`")
        sys.exit(EXIT_INVALID if stale else EXIT_OK)
    changed = schema.write(source)
    for path in changed:
        click.echo(f"wrote {path}")
    click.echo(f"{len(schema.KINDS)} schemas in {source / schema.SCHEMA_DIR}, {len(changed)} changed", err=True)


@click.command("stale")
@source_option
@click.option("--format", "style", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="`markdown` is the body of the weekly review issue.")
def stale_command(source: Path, style: str) -> None:
    """List content overdue for review, grouped by owner, with each owner's share of fresh content."""
    base = _load(source)
    report = stale_report(base, today())
    click.echo(format_markdown(report, base) if style == "markdown" else format_text(report), nl=False)


COMMANDS = [schema_command, stale_command]
