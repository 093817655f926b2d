"""Do work item by item on every core at once, in forked workers.

Templates and indexes run in pure Python, so one process does one thing at a time;
a large archive has tens of thousands of pages to render and articles to rank.
Forked workers inherit what the work reads as it is (nothing is copied to them: the
caller leaves it in a module variable before the work starts) and send back only
the results, while this process goes on with other work.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")
# Below this many items (pages, articles), starting workers costs more than it saves.
PARALLEL_FROM_ITEMS = 2000
CHUNKS_PER_WORKER = 16  # smaller pieces keep every worker busy to the end
WORKERS_VARIABLE = "ARCHIVE_WORKERS"


def map_in_workers(function: Callable[[T], R], items: list[T], *,
                   parallel_from: int = PARALLEL_FROM_ITEMS) -> list[R]:
    """[function(item) for item in items], in forked workers (one per core) when there are
    at least `parallel_from` items and forking is safe; `function` must be module-level."""
    return map_alongside(function, items, lambda: None, parallel_from=parallel_from)[0]


def map_alongside(function: Callable[[T], R], items: list[T], alongside: Callable[[], A], *,
                  parallel_from: int = PARALLEL_FROM_ITEMS) -> tuple[list[R], A]:
    """map_in_workers, and the result of `alongside()`, which runs in this process while
    the workers work (or after the items, when they are done here)."""
    workers = _worker_count(len(items), parallel_from)
    if workers < 2:
        return [function(item) for item in items], alongside()
    chunk = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = pool.map(function, items, chunksize=chunk)
        other = alongside()
        return list(results), other


def _worker_count(items: int, parallel_from: int) -> int:
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
