"""Render many pages (or do other work item by item) on every core at once.

Templates run in pure Python, so one process renders one page at a time; a large
archive has tens of thousands. Forked workers inherit the page plans as they are
(nothing is copied to them) and send back only the Markdown, while this process
goes on with other work (the feeds and data downloads).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from .render import PagePlan, PageRenderer

T = TypeVar("T")
R = TypeVar("R")
# Below this, starting workers costs more than it saves.
PARALLEL_FROM_PAGES = 2000
CHUNKS_PER_WORKER = 4
WORKERS_VARIABLE = "ARCHIVE_WORKERS"  # smaller pieces keep every worker busy to the end

_plans: dict[str, PagePlan] = {}  # what forked workers render from


def render_all(plans: dict[str, PagePlan], alongside: Callable[[], T]) -> tuple[dict[str, str], T]:
    """Every page of `plans` rendered, in their order, and the result of `alongside()`,
    which runs in this process while the workers render."""
    workers = _worker_count(len(plans))
    if workers < 2:
        renderer = PageRenderer()
        return {path: renderer.render(path, plan) for path, plan in plans.items()}, alongside()
    global _plans
    _plans = plans
    paths = list(plans)
    size = -(-len(paths) // (workers * CHUNKS_PER_WORKER))
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_render_chunk, paths[i:i + size]) for i in range(0, len(paths), size)]
            other = alongside()
            pages: dict[str, str] = {}
            for future in futures:
                pages.update(future.result())
    finally:
        _plans = {}
    return {path: pages[path] for path in paths}, other


def map_in_workers(function: Callable[[T], R], items: list[T], *, parallel_from: int) -> list[R]:
    """[function(item) for item in items], in forked workers (one per core) when there are
    at least `parallel_from` items and forking is safe; `function` must be module-level."""
    workers = _worker_count(len(items), parallel_from)
    if workers < 2:
        return [function(item) for item in items]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, items, chunksize=max(1, len(items) // (workers * CHUNKS_PER_WORKER))))


def _worker_count(items: int, parallel_from: int = PARALLEL_FROM_PAGES) -> int:
    """Workers to start: one per core for much work, or ARCHIVE_WORKERS (1 works in this
    process); none where forking is unsafe (a process already running threads, such as a
    preview server) or impossible."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    chosen = os.environ.get(WORKERS_VARIABLE, "")
    if chosen.isdigit():
        return int(chosen) if int(chosen) > 1 else 0
    cpus = core_count()
    return cpus if items >= parallel_from and cpus > 1 else 0


def core_count() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _render_chunk(paths: list[str]) -> dict[str, str]:
    renderer = PageRenderer()
    return {path: renderer.render(path, _plans[path]) for path in paths}
