"""Where a generation from scratch spends its time, stage by stage, in one process.

    python -m build_archive.benchmark_stages ARTICLES

The generation target asks for at most 3/5.9 of the reference generator's time
(`benchmark_reference.py`). This times each stage of ours alone, on one core (the
workers left out, so a stage's seconds are its processor time), and the reference
over the same articles right after, so each stage can be held against the budget.
Two floors are timed besides: opening and reading the article files and nothing
else, and writing every page into a folder, as `render --out` does.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import parallel
from .benchmark_reference import TARGET_SHARE, generate
from .index import build_archive
from .load import load_sources
from .memo import Memo
from .output import write_file
from .pipeline import collector_paused, render_files
from .render import plan_pages, shared_renderer
from .resolve import resolve_sources

T = TypeVar("T")


def time_stages(articles_dir: Path) -> list[tuple[str, float]]:
    """(stage, seconds) for a whole generation from scratch, in the pipeline's order."""
    times: list[tuple[str, float]] = []

    def timed(stage: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        times.append((stage, time.perf_counter() - started))
        return result

    with collector_paused():
        timed("open and read the files, nothing else", lambda: _read_all(articles_dir))
        sources, _ = timed("reading (files, front-matter)", lambda: load_sources(articles_dir))
        memo = Memo()
        resolved, _ = timed("checking (fields, names)", lambda: resolve_sources(sources, memo=memo))
        archive = timed("indexing (related, together)", lambda: build_archive(resolved, memo))
        plans = timed("planning the pages", lambda: plan_pages(archive, memo=memo))
        renderer = shared_renderer()
        pages = timed("rendering the pages", lambda: {path: renderer.render(path, plan)
                                                      for path, plan in plans.items()})
        timed("feeds, downloads, redirects", lambda: render_files(archive, memo=memo))
        generation = sum(seconds for _, seconds in times[1:])
        times.append(("generation, in memory", generation))
        with tempfile.TemporaryDirectory() as folder:
            timed("writing the pages (render --out)", lambda: [write_file(Path(folder), path, text.encode("utf-8"))
                                                               for path, text in pages.items()])
        with tempfile.TemporaryDirectory() as folder:
            timed("reference generator (all of it)", lambda: generate(articles_dir, Path(folder)))
        times.append(("target: reference × 3/5.9", times[-1][1] * TARGET_SHARE))
    return times


def _read_all(articles_dir: Path) -> int:
    total = 0
    for folder, _, names in os.walk(articles_dir):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as file:
                    total += len(file.read())
    return total


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m build_archive.benchmark_stages ARTICLES_FOLDER", file=sys.stderr)
        return 2
    os.environ[parallel.WORKERS_VARIABLE] = "1"  # every stage in this process: its time is its CPU
    for stage, seconds in time_stages(Path(argv[0])):
        print(f"{stage:<36} {seconds:7.3f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
