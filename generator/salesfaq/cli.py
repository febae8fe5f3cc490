"""The `salesfaq` command: validate, build and serve a sales answer base."""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import pipeline
from .commands import COMMANDS, source_option
from .public import publishes_public

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@click.group()
@click.version_option(package_name="salesfaq")
def main() -> None:
    """Turn YAML sales answers into a searchable static site."""


@main.command()
@source_option
@click.option(
    "--format",
    "style",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="`github` prints annotations for pull requests.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too (overdue reviews, missing short answers).")
def validate(source: Path, style: str, strict: bool) -> None:
    """Check every file and report every problem at once. Exit 1 on errors."""
    _, problems = pipeline.validate(source)
    if len(problems):
        click.echo(problems.format(style))
    if style != "json":  # the summary goes to the log; annotations and JSON stay machine-readable on stdout
        click.echo(f"{source}: {problems.summary()}", err=True)
    sys.exit(EXIT_INVALID if problems.failed(strict) else EXIT_OK)


def _mkdocs_config(config_file: str, **overrides: object):  # type: ignore[no-untyped-def]
    from mkdocs.config import load_config

    return load_config(config_file, **{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]  # any config key


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site.")
@click.option("--strict", is_flag=True, help="Fail on content warnings and MkDocs warnings.")
@click.option("--public", is_flag=True, help="Leave out everything marked internal.")
@click.option(
    "--publish",
    is_flag=True,
    help="What the deploy job runs: MkDocs strict, and --public unless site.yaml says `host: internal`.",
)
def build(config_file: str, site_dir: str | None, strict: bool, public: bool, publish: bool) -> None:
    """Validate, then build the site with MkDocs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    _require_config(config_file)
    if strict or publish:
        source = _plugin_source(config_file)
        base, problems = pipeline.validate(source)  # read once for both
        if strict and problems.failed(strict=True):
            click.echo(problems.format())
            click.echo(f"{source}: {problems.summary()} (--strict fails on warnings)", err=True)
            sys.exit(EXIT_INVALID)
        if publish:
            public = public or publishes_public(base.site)
            click.echo(
                f"publishing the {'public' if public else 'full (internal)'} build: "
                f"site.yaml says host: {base.site.host}",
                err=True,
            )
    if public:
        os.environ["SALESFAQ_PUBLIC"] = "1"
    try:
        config = _mkdocs_config(config_file, site_dir=site_dir, strict=strict or publish or None)
        mkdocs_build(config)
    except MkDocsException as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_INVALID)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(config_file: str, dev_addr: str) -> None:
    """Serve the site locally, rebuilding when any YAML file is saved."""
    from mkdocs.commands import serve as serving
    from mkdocs.exceptions import MkDocsException

    _require_config(config_file)
    unusable = _unusable(dev_addr)  # found before the first build, not after it as a traceback
    if unusable:
        raise click.UsageError(unusable)
    serving.LiveReloadServer = _quick_reload_server()  # type: ignore[misc]
    logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)
    click.echo(f"Serving on http://{dev_addr}/ : save a YAML file and the open page reloads with it (Ctrl+C stops).")
    try:
        # dirty: only pages whose generated Markdown changed are rebuilt (the plugin tells MkDocs which)
        serving.serve(config_file=config_file, dev_addr=dev_addr, livereload=True, build_type="dirty")
    except MkDocsException as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_INVALID)


def _require_config(config_file: str) -> None:
    if not Path(config_file).exists():
        raise click.UsageError(f"{config_file} not found; run salesfaq from the folder that holds mkdocs.yml")


def _unusable(dev_addr: str) -> str | None:
    """Why `salesfaq serve` cannot listen on `dev_addr` (host:port): its port is out of range or another
    server holds it; None when it can, or when MkDocs will explain what is wrong with the address."""
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        return None
    if not 0 < int(port) < 65536:
        return f"{dev_addr}: the port is a number from 1 to 65535, as in 127.0.0.1:8001"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_server((host, int(port)), family=family):  # the same reuse rule as MkDocs' server
            return None
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            return None  # MkDocs' own message
        return (
            f"{dev_addr} is already in use (another `salesfaq serve` or `mkdocs serve`?); stop it, "
            "or serve on another port: salesfaq serve -a 127.0.0.1:8001"
        )


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build leads to inaccurate navigation and links; not this one: the plugin
    keeps a page's last HTML only when its Markdown and the whole nav are unchanged (plugin.on_files)."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


POLL_SECONDS = 0.05
"""How often `serve` looks for saved files. MkDocs polls every 0.5 s, a quarter second lost per save on
average; a poll of the example's source and docs folders takes 0.2 ms."""
SETTLE_SECONDS = 0.03
"""How long `serve` waits after a change for more before it rebuilds (MkDocs waits 0.1 s). An editor's save
is one write or a write and a rename, well within it; a rebuild caught mid-save is followed by another."""


def _quick_reload_server() -> type[LiveReloadServer]:
    """MkDocs' live-reload server, polling watched files every POLL_SECONDS, rebuilding SETTLE_SECONDS after."""
    from mkdocs.livereload import LiveReloadServer

    class QuickReloadServer(LiveReloadServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("polling_interval", POLL_SECONDS)
            super().__init__(*args, **kwargs)
            self.build_delay = SETTLE_SECONDS

    return QuickReloadServer


@main.command("check-search")
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="site",
    show_default=True,
    help="A site built with `salesfaq build` or `mkdocs build`.",
)
@click.option(
    "--tests",
    "tests_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default="faq_source/search_tests.yaml",
    show_default=True,
    help="Queries with the id expected in the top 3.",
)
@click.option(
    "--instant",
    is_flag=True,
    help="On a site that ships the transformer, check the instant results (before it ranks them again).",
)
def check_search(site_dir: Path, tests_file: Path, instant: bool) -> None:
    """Run the search tests against the built site's own search; exit 1 when one misses the top 3."""
    from .searchcheck import SearchCheckError, evaluate, load_tests, ships_transformer

    try:
        tests = load_tests(tests_file)
        report = evaluate(site_dir, tests, transformer=not instant)
    except SearchCheckError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    if ships_transformer(site_dir):
        ranking = "the instant results" if instant else "as the transformer ranks them (--instant: before it does)"
        click.echo(f"{site_dir}: {ranking}", err=True)
    click.echo(report.table())
    failed = report.total - report.top3
    click.echo(
        f"{tests_file}: {failed} of {report.total} queries miss the top 3"
        if failed
        else f"{tests_file}: every query finds its answer in the top 3",
        err=True,
    )
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _plugin_source(config_file: str) -> Path:
    """The source folder the salesfaq plugin of `config_file` reads."""
    config = _mkdocs_config(config_file)
    plugin = config.plugins.get("salesfaq")
    folder = plugin.config.source if plugin is not None else "faq_source"
    return Path(config_file).parent / folder


for _command in COMMANDS:  # the editing-loop commands live in their own module
    main.add_command(_command)

if __name__ == "__main__":
    main()
