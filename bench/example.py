"""The example site's `mkdocs build` as a user runs it: with its transformer and its offline copy.

Times the whole build (wall and CPU, peak memory) of a project, by default this repository's example, in two
states, one run of each after the other so a slow spell of the machine hits both:

- first build: no trained adapter kept (salesfaq's cache folder without `adapters/`): what a machine's first
  build of these entries costs, and the baseline of the ratio;
- next builds: the adapter the build before trained is kept (adapter.train_kept), as on a machine that has
  built these entries before (CI restores the cache folder).

The transformer's vectors of the texts are kept in both (copied from salesfaq's cache folder when it has
them, then a warm-up build fills the bench's own with the rest), as they are after a machine's first build.

    python bench/example.py               # the example, three runs of each
    python bench/example.py --runs 1      # smoke run
    python bench/example.py --project path/to/project
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from build import ROOT, Run, measured
from salesfaq import caching

BUILD = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]


def bench(project: Path, cache: Path, runs: int) -> dict[str, list[Run]]:
    """Each state's runs, in order."""
    site = cache.parent / "site"
    measured([*BUILD, "-d", str(site)], project)  # warm-up: the transformer's vectors of every text kept
    timed: dict[str, list[Run]] = {"first build": [], "next builds": []}
    for _ in range(runs):
        shutil.rmtree(cache / "adapters", ignore_errors=True)
        timed["first build"].append(measured([*BUILD, "-d", str(site)], project)[0])
        timed["next builds"].append(measured([*BUILD, "-d", str(site)], project)[0])
    return timed


def table(timed: dict[str, list[Run]]) -> str:
    base = statistics.median(run.seconds for run in timed["first build"])
    lines = [
        "| build | wall s | CPU s | peak MB | wall / first build |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, runs in timed.items():
        wall = statistics.median(run.seconds for run in runs)
        cpu = statistics.median(run.cpu for run in runs)
        peak = statistics.median(run.peak_mb for run in runs)
        lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {wall / base:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="a folder with mkdocs.yml (default: the example)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each state (medians shown)")
    args = parser.parse_args(argv)
    if not (args.project / "mkdocs.yml").is_file():
        sys.exit(f"no mkdocs.yml in {args.project}")
    workdir = Path(tempfile.mkdtemp(prefix="salesfaq-example-bench-"))
    cache = workdir / "cache"
    cache.mkdir()
    for vectors in caching.cache_dir().glob("transformer-*.bin"):  # texts embedded before: no need to again
        shutil.copy(vectors, cache)
    os.environ["SALESFAQ_CACHE"] = str(cache)  # the bench's own, the same for every build
    try:
        timed = bench(args.project.resolve(), cache, args.runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    name = "the example" if args.project.resolve() == ROOT else str(args.project)
    print(f"mkdocs build of {name} (python {sys.version.split()[0]}, {os.cpu_count()} cores)\n")
    print(table(timed))
    print(f"\nmedians of {args.runs} runs; wall s run by run:")
    for name, runs in timed.items():
        print(f"- {name}: " + ", ".join(f"{run.seconds:.2f}" for run in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
