"""The commands of the editing loop: schema, stale, report, new. Registered on the `salesfaq` group in cli.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import coverage, pipeline, scaffold, schema
from .freshness import today
from .stale import format_markdown, format_text, stale_report

EXIT_OK, EXIT_INVALID = 0, 1

source_option = click.option(
    "--source",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    default="faq_source",
    show_default=True,
    help="Folder of YAML content.",
)


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
@click.option(
    "--format",
    "style",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="`markdown` is the body of the weekly review issue.",
)
def stale_command(source: Path, style: str) -> None:
    """List content overdue for review, grouped by owner, with each owner's share of fresh content."""
    base = _load(source)
    report = stale_report(base, today())
    click.echo(format_markdown(report, base) if style == "markdown" else format_text(report), nl=False)


@click.command("new")
@click.argument("kind", type=click.Choice(list(scaffold.KINDS)))
@click.argument("title", required=False)
@click.option(
    "--topic",
    "-t",
    help="For a question, objection or differentiator: the topic file, as its key "
    "(pricing-and-plans) or path. A new key starts a new file.",
)
@click.option("--id", "wanted_id", help="The id (or file key) to use; made from TITLE when left out.")
@click.option("--owner", help="Owner key from site.yaml; left for you to fill in when the file has no owner.")
@source_option
def new_command(
    kind: str, title: str | None, topic: str | None, wanted_id: str | None, owner: str | None, source: Path
) -> None:
    """Add a skeleton KIND (with a fresh id and today's date) to the right file, then validate.

    TITLE is the question, objection, claim, competitor or persona name; the id is made from it.
    """
    base = _load(source)
    try:
        change = scaffold.plan(base, kind, title, topic=topic, wanted_id=wanted_id, owner=owner, on=today())
    except scaffold.ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    change.apply()
    _, problems = pipeline.validate(source)
    if problems.errors:
        change.revert()  # the skeleton must never leave the content broken
        click.echo(problems.format(), err=True)
        click.echo(f"the new {kind} did not validate, so nothing was changed (a bug, please report it)", err=True)
        sys.exit(EXIT_INVALID)
    if change.note:
        click.echo(f"note: {change.note}")
    click.echo(f"{change.location}: added {change.kind} '{change.key}'")
    written = [p for p in problems if Path(p.path).resolve() == change.path.resolve() and p.line >= change.line]
    for problem in written:
        click.echo(str(problem))
    click.echo(f"{source}: {problems.summary()}; replace the TODO texts, then run `salesfaq validate`", err=True)


@click.command("report")
@source_option
@click.option(
    "--format",
    "style",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="`markdown` for an issue or a pull-request comment.",
)
def report_command(source: Path, style: str) -> None:
    """Show what the answer base lacks: battlecards, persona details, stage content, short answers, ..."""
    base = _load(source)
    report = coverage.coverage_report(base, today())
    text = coverage.format_markdown(report, base) if style == "markdown" else coverage.format_text(report)
    click.echo(text, nl=False)


COMMANDS = [schema_command, stale_command, report_command, new_command]
