"""Scale benchmark: salesfaq at 1,000 / 10,000 / 30,000 entries against stock MkDocs on the same pages.

For each size it generates a realistic answer base (Zipf-distributed vocabulary, 40-200-word answers, about
50 entries per topic file) and measures, in one run and on one machine:

- generator: CPU time spent inside the salesfaq plugin's hooks during the real build (load, checks,
  render, its search index, the after-build "nothing lost" check), in all and stage by stage;
- build: the full `mkdocs build --strict` with the salesfaq plugin: CPU time, wall time, peak memory;
- floor: stock `mkdocs build` (Material, search and tags plugins, no salesfaq) of the very same pages
  written as plain Markdown files, same Markdown extensions, same nav; Material's search plugin timed inside
  it, the counterpart of salesfaq's search index (which takes its place in salesfaq's build);

then the ratios the targets are stated in: generator / build (target <= 10%; also shown without the search
index), build / floor (target <= 1.15x), and memory growth per 1,000 entries (linear when it stays flat
across sizes). Ratios use CPU time, which other work on the machine barely moves; wall time is shown beside
it. With `--runs N` each size is timed N times, build and floor one after the other, and the medians are
shown. Every build uses the bench's own cache folder, warmed by one small untimed build, so the templates
are compiled as after a machine's first build. Optionally the edit loop: under `mkdocs serve`, the time from
saving a YAML change to Chromium showing it (livereload).

    python bench/build.py                      # 1000, 10000, 30000 and the edit loop at 1000
    python bench/build.py --sizes 1000         # smoke run
    python bench/build.py --sizes 1000 10000 --runs 3 --edit-loop 0
    python bench/build.py --sizes 200 --edit-loop 0 --json out.json
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import benchlib
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENTRIES_PER_FILE = 50
KINDS = (("questions", 0.6), ("objections", 0.25), ("differentiators", 0.15))


# --- realistic content ------------------------------------------------------------------------------------


class Vocabulary:
    """A few thousand made-up words drawn with Zipf frequencies (a few very common, a long tail)."""

    def __init__(self, rng: random.Random, size: int = 6000, exponent: float = 1.1) -> None:
        syllables = [
            "ka",
            "ro",
            "mi",
            "te",
            "lu",
            "sa",
            "ne",
            "po",
            "di",
            "va",
            "qu",
            "tor",
            "len",
            "bri",
            "sto",
            "mar",
            "fel",
            "gan",
            "ix",
            "or",
            "an",
            "el",
            "ph",
            "sh",
            "ch",
            "est",
            "ing",
            "ly",
            "ion",
        ]
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights = [1 / (rank**exponent) for rank in range(1, size + 1)]
        total = sum(weights)
        self.cumulative = []
        running = 0.0
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)
        self.rng = rng

    def sentence(self, words: int) -> str:
        picked = self.rng.choices(self.words, cum_weights=self.cumulative, k=words)
        return " ".join(picked).capitalize()

    def text(self, words: int) -> str:
        """Sentences of 6-18 words, with a little Markdown: bold, a link, sometimes a list."""
        parts, left = [], words
        while left > 0:
            n = min(left, self.rng.randint(6, 18))
            sentence = self.sentence(n) + "."
            roll = self.rng.random()
            if roll < 0.15:
                first, _, rest = sentence.partition(" ")
                sentence = f"**{first}** {rest}"
            elif roll < 0.22:
                sentence += (
                    f" See [{self.sentence(2).lower()}](https://docs.example.com/{self.rng.choice(self.words)})."
                )
            parts.append(sentence)
            left -= n
        if len(parts) > 4 and self.rng.random() < 0.3:
            return " ".join(parts[:2]) + "\n\n" + "\n".join(f"- {p}" for p in parts[2:5]) + "\n\n" + " ".join(parts[5:])
        return " ".join(parts)


def _site_yaml() -> dict[str, object]:
    return {
        "title": "Bench answers",
        "products": [{"key": "desk", "name": "Bench Desk"}, {"key": "chat", "name": "Bench Chat"}],
        "stages": [{"key": s, "name": s.title()} for s in ("discovery", "evaluation", "proposal")],
        "owners": [{"key": o, "name": o.title()} for o in ("maya", "daniel", "priya")],
        "review": {"default": 3650},
    }


def generate(project: Path, entries: int, seed: int = 1) -> Path:
    """Write a project (mkdocs.yml, docs/, faq_source/) with `entries` entries; returns the project folder."""
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    source = project / "faq_source"
    source.mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs_config(salesfaq=True), sort_keys=False), encoding="utf-8")
    (source / "site.yaml").write_text(yaml.safe_dump(_site_yaml(), sort_keys=False), encoding="utf-8")
    number = 0
    for kind, share in KINDS:
        count = max(1, round(entries * share)) if kind != "differentiators" else entries - number
        (source / kind).mkdir()
        for file_index in range(0, count, ENTRIES_PER_FILE):
            size = min(ENTRIES_PER_FILE, count - file_index)
            items = [_entry(kind, vocabulary, rng, number + i) for i in range(size)]
            number += len(items)
            topic = {"title": vocabulary.sentence(rng.randint(1, 3)), "entries": items}
            text = yaml.safe_dump(topic, sort_keys=False, allow_unicode=True, width=100)
            (source / kind / f"topic-{file_index // ENTRIES_PER_FILE:04d}.yaml").write_text(text, encoding="utf-8")
    return project


def _entry(kind: str, vocabulary: Vocabulary, rng: random.Random, number: int) -> dict[str, object]:
    title = vocabulary.sentence(rng.randint(5, 12)) + ("?" if kind == "questions" else ".")
    entry: dict[str, object] = {"id": f"{kind[:-1]}-{number}"}
    entry[{"questions": "question", "objections": "objection", "differentiators": "claim"}[kind]] = title
    if rng.random() < 0.9:
        entry["short_answer"] = vocabulary.sentence(rng.randint(12, 30)) + "."
    entry["response" if kind == "objections" else "answer"] = vocabulary.text(rng.randint(40, 200))
    entry["tags"] = sorted({vocabulary.sentence(1).lower() for _ in range(rng.randint(1, 3))})
    entry["products"] = [rng.choice(["desk", "chat"])]
    entry["stages"] = [rng.choice(["discovery", "evaluation", "proposal"])]
    entry["owner"] = rng.choice(["maya", "daniel", "priya"])
    entry["reviewed"] = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
    return entry


def mkdocs_config(*, salesfaq: bool) -> dict[str, object]:
    """The example site's theme, plugins and Markdown extensions (without its offline copy)."""
    plugins: list[object] = ["search", "tags"]
    if salesfaq:
        plugins.append({"salesfaq": {"source": "faq_source"}})
    return {
        "site_name": "Bench answers",
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "features": [
                "navigation.tabs",
                "navigation.indexes",
                "navigation.top",
                "search.highlight",
                "search.suggest",
                "toc.follow",
            ],
        },
        "plugins": plugins,
        "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}],
    }


def write_floor(project: Path, floor: Path) -> None:
    """The same pages as plain Markdown files and the same nav, built by stock Material for MkDocs."""
    from salesfaq import pipeline

    result = pipeline.run(project / "faq_source")
    assert result.site is not None, result.problems.format()
    docs = floor / "docs"
    for page in result.site.pages:
        (docs / page.path).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.path).write_text(page.markdown, encoding="utf-8")
    config = {**mkdocs_config(salesfaq=False), "nav": result.site.nav}
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


# --- measuring ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    """Wall time."""
    cpu: float
    """User + system CPU time: what the ratios use, as it barely moves when other work shares the machine."""
    peak_mb: float


def measured(command: list[str], cwd: Path) -> tuple[Run, str]:
    """Wall time, CPU time and peak resident memory of one child process (its own rusage, via wait4)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        rerun = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        sys.exit(f"{command[:3]} failed in {cwd}:\n{rerun.stderr[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), output.decode()


_TIMED = """
import collections, functools, json, logging, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config

spent = collections.Counter()

def timed(name, function):
    @functools.wraps(function)  # keeps MkDocs' event priority
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start
    return wrapper

def time_hooks(name, plugin_class):
    for hook in [hook for hook in vars(plugin_class) if hook.startswith("on_")]:
        setattr(plugin_class, hook, timed(name, getattr(plugin_class, hook)))
"""
"""What both timed builds share: `timed` adds a function's CPU seconds to `spent[name]`, `time_hooks` every
MkDocs hook of a plugin's."""

_BUILD = (
    _TIMED
    + """
from salesfaq import pipeline, plugin
from salesfaq.plugin import SalesFaqPlugin

time_hooks("hooks", SalesFaqPlugin)
# the stages, inside those hooks
pipeline.load_source = timed("load", pipeline.load_source)
pipeline.validate = timed("validate", pipeline.validate)
pipeline.render = timed("render", pipeline.render)
SalesFaqPlugin._write_search = timed("search", SalesFaqPlugin._write_search)
plugin.verify_site = timed("verify", plugin.verify_site)
build(load_config("mkdocs.yml", site_dir=sys.argv[1], strict=True))
print(json.dumps(spent))
"""
)
"""`mkdocs build --strict` in-process, with every hook of the salesfaq plugin timed: the generator's own work
(load, checks, render, search index, nothing-lost check) measured inside the real build, and each stage."""

_FLOOR = (
    _TIMED
    + """
from material.plugins.search.plugin import SearchPlugin

time_hooks("search", SearchPlugin)
logging.getLogger("mkdocs").setLevel(logging.ERROR)  # what `mkdocs build -q` does
build(load_config("mkdocs.yml", site_dir=sys.argv[1], strict=True))
print(json.dumps(spent))
"""
)
"""Stock `mkdocs build --strict -q` in-process (as the build above), with Material's search plugin's hooks
timed: the floor's counterpart of salesfaq's search index, which takes its place in the build."""

STAGES = {
    "loading YAML": lambda t: t["load"],
    "checks and likely duplicates": lambda t: t["validate"] - t["load"],
    "rendering Markdown": lambda t: t["render"],
    "search index": lambda t: t["search"],
    "nothing-lost check": lambda t: t["verify"],
    "the rest of the hooks": lambda t: t["hooks"] - t["validate"] - t["render"] - t["search"] - t["verify"],
}
"""The generator's stages, from the timings of one build."""


@dataclass
class Row:
    entries: int
    pages: int
    generator_cpu: float
    build_cpu: float
    build_wall: float
    build_mb: float
    floor_cpu: float
    floor_wall: float
    floor_mb: float
    stages: dict[str, float]
    """CPU seconds of each of the generator's STAGES."""
    floor_search: float
    """CPU seconds of Material's search plugin in the floor (salesfaq's search index replaces it)."""
    ratios: list[float]
    """Build / floor CPU of each run, in order."""

    @property
    def generator_share(self) -> float:
        return self.generator_cpu / self.build_cpu

    @property
    def without_search_cpu(self) -> float:
        """The generator's CPU seconds without its search index, whose counterpart in the floor is Material's
        search plugin."""
        return self.generator_cpu - self.stages["search index"]

    @property
    def without_search_share(self) -> float:
        return self.without_search_cpu / self.build_cpu

    @property
    def vs_floor(self) -> float:
        return self.build_cpu / self.floor_cpu


def bench_size(entries: int, workdir: Path, runs: int = 1) -> Row:
    """Generate `entries` entries and time the build and the floor `runs` times, one after the other (so a
    slow spell of the machine hits both): each figure is the median of its runs."""
    project = generate(workdir / f"n{entries}" / "project", entries)
    floor = workdir / f"n{entries}" / "floor"
    (floor / "docs").mkdir(parents=True)
    write_floor(project, floor)
    builds, bases, all_timings, floor_searches = [], [], [], []
    for _ in range(runs):
        build, output = measured([sys.executable, "-c", _BUILD, str(project / "site")], project)
        builds.append(build)
        all_timings.append(collections.Counter(json.loads(output.strip().splitlines()[-1])))
        base, output = measured([sys.executable, "-c", _FLOOR, str(floor / "site")], floor)
        bases.append(base)
        floor_searches.append(json.loads(output.strip().splitlines()[-1])["search"])
    pages = sum(1 for _ in (floor / "docs").rglob("*.md"))
    median = statistics.median
    return Row(
        entries,
        pages,
        median([t["hooks"] for t in all_timings]),
        median([b.cpu for b in builds]),
        median([b.seconds for b in builds]),
        median([b.peak_mb for b in builds]),
        median([b.cpu for b in bases]),
        median([b.seconds for b in bases]),
        median([b.peak_mb for b in bases]),
        {name: median([of(t) for t in all_timings]) for name, of in STAGES.items()},
        median(floor_searches),
        [b.cpu / f.cpu for b, f in zip(builds, bases, strict=True)],
    )


def warm_up(workdir: Path) -> None:
    """Build a small base once, untimed, so the compiled-template cache (salesfaq.caching.TemplateCache, in
    the bench's own cache folder) holds salesfaq's and Material's templates, as after a machine's first build:
    that first build compiles them, about 0.1-0.2 s more."""
    project = generate(workdir / "warm-up", 60)
    measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], project)


SERVERS = {
    "mkdocs serve": ["-m", "mkdocs", "serve", "-a"],
    "salesfaq serve (rebuilds changed pages only)": ["-m", "salesfaq.cli", "serve", "-a"],
}


def edit_loop(entries: int, workdir: Path, server_args: list[str], attempts: int = 3) -> list[float]:
    """Seconds from saving a YAML change to Chromium showing it, under a live-reloading server."""
    from playwright.sync_api import sync_playwright

    project = workdir / f"serve{entries}"
    if not project.exists():
        generate(project, entries)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, *server_args, f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    file = project / "faq_source" / "questions" / "topic-0000.yaml"
    url = f"http://127.0.0.1:{port}/questions/topic-0000/"
    times = []
    try:
        _wait_for_server(port, server)
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=benchlib.CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(url)
            for attempt in range(attempts):
                marker = f"edited{attempt}x{int(time.time())}"
                text = file.read_text(encoding="utf-8")
                text = re.sub(r"(\n  question: )", rf"\1{marker} ", text, count=1)
                started = time.perf_counter()
                file.write_text(text, encoding="utf-8")
                page.wait_for_function(
                    "m => document.body && document.body.innerText.includes(m)", arg=marker, timeout=120_000
                )
                times.append(time.perf_counter() - started)
                time.sleep(1)  # let the watcher settle before the next save
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


def _wait_for_server(port: int, server: subprocess.Popen[str], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}; run it by hand to see why")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("mkdocs serve did not start")


# --- report -------------------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    """The figures side by side; CPU seconds (user + system), wall seconds in brackets."""
    lines = [
        "| entries | pages | generator CPU s | build CPU s (wall) | floor CPU s (wall) | generator / build "
        "| build / floor | build peak MB | floor peak MB | build MB per extra 1k entries |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rows):
        slope = "" if i == 0 else f"{(r.build_mb - rows[0].build_mb) / (r.entries - rows[0].entries) * 1000:.1f}"
        lines.append(
            f"| {r.entries:,} | {r.pages:,} | {r.generator_cpu:.2f} | {r.build_cpu:.2f} ({r.build_wall:.1f}) "
            f"| {r.floor_cpu:.2f} ({r.floor_wall:.1f}) | {r.generator_share:.1%} | {r.vs_floor:.2f}x "
            f"| {r.build_mb:.0f} | {r.floor_mb:.0f} | {slope} |"
        )
    return "\n".join(lines)


def stages_table(rows: list[Row]) -> str:
    """Where the generator's CPU time goes, stage by stage, each size a column (its share of the build too)."""
    lines = [
        "| generator stage, CPU s (share of the build) | " + " | ".join(f"{r.entries:,} entries" for r in rows) + " |",
        "|---|" + "---:|" * len(rows),
    ]
    for name in STAGES:
        cells = [f"{r.stages[name]:.2f} ({r.stages[name] / r.build_cpu:.1%})" for r in rows]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = [f"{r.without_search_cpu:.2f} ({r.without_search_share:.1%})" for r in rows]
    lines.append("| the generator without its search index | " + " | ".join(cells) + " |")
    cells = [f"{r.floor_search:.2f} ({r.floor_search / r.floor_cpu:.1%} of the floor)" for r in rows]
    lines.append("| for comparison: Material's search plugin in the floor | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument(
        "--edit-loop",
        type=int,
        default=1000,
        metavar="ENTRIES",
        help="entries for the mkdocs serve edit-loop timing; 0 skips it",
    )
    parser.add_argument("--saves", type=int, default=3, help="saves timed in each edit loop (median shown)")
    parser.add_argument("--runs", type=int, default=1, help="builds and floors timed per size (medians shown)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="salesfaq-bench-"))
    os.environ["SALESFAQ_CACHE"] = str(workdir / "cache")  # the bench's own, the same for every process
    try:
        warm_up(workdir)
        rows = []
        for size in args.sizes:
            rows.append(bench_size(size, workdir, args.runs))
            print(f"measured {size:,} entries", file=sys.stderr, flush=True)
        print(f"salesfaq build benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cores)\n")
        print(table(rows))
        if args.runs > 1:
            print(f"\nmedians of {args.runs} runs; build / floor run by run:")
            for r in rows:
                print(f"- {r.entries:,} entries: " + ", ".join(f"{ratio:.2f}x" for ratio in r.ratios))
        print()
        print(stages_table(rows))
        loop: dict[str, list[float]] = {}
        for name, server_args in SERVERS.items() if args.edit_loop else ():
            times = loop[name] = edit_loop(args.edit_loop, workdir, server_args, attempts=args.saves)
            print(
                f"\nedit loop at {args.edit_loop:,} entries, {name} (save YAML -> Chromium shows it): "
                + ", ".join(f"{t:.2f} s" for t in times)
                + f"; median {statistics.median(times):.2f} s"
            )
        if args.json:
            figures = [
                {
                    **asdict(r),
                    "generator_share": r.generator_share,
                    "without_search_share": r.without_search_share,
                    "vs_floor": r.vs_floor,
                }
                for r in rows
            ]
            args.json.write_text(json.dumps({"sizes": figures, "edit_loop_s": loop}, indent=2), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
