"""Index a written site for search with Pagefind, which the reader's browser queries in
small pieces (so the first search downloads kilobytes, not the whole index).

Only article pages are indexed: their templates mark the text with data-pagefind-body
and the places, actors and year with data-pagefind-filter, which become the facets.
Pagefind holds all it indexes in memory until the end, so a large archive is indexed in
batches, each within a memory budget, whose bundles are merged (bundle_merge.py).
Its word index is cut again into smaller parts (word_index.py), its gzipped files are
packed tighter, and next to them go two of the search page's own files
(docs/javascripts/archive-search.js): Pagefind's script gzipped, and the words too
common to narrow a search.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import deflate

from .bundle_merge import merge_bundles
from .pagefind_format import UnknownLayout
from .parallel import core_count
from .word_index import PACK_LEVEL, recut_word_index

T = TypeVar("T")
BUNDLE_DIR = "pagefind"  # where the index lands in the site, next to the pages
TIMEOUT_SECONDS = 3600
# Pagefind's script is 45 KB of text that a host without compression sends whole; the
# search page fetches this gzipped copy (13 KB) and unpacks it, as Pagefind does its index.
PACKED_SCRIPT = "pagefind.js.gz"
COMMON_WORDS_FILE = "archive-common-words.json"
# A word in more than this share of the articles hardly narrows a search, and its part of
# the index is the largest to fetch (150 KB for "the" in 20,000 articles); below
# COMMON_MIN_ARTICLES articles every part is small, so no word is left out.
COMMON_SHARE = 0.5
COMMON_MIN_ARTICLES = 500
COMMON_SAMPLE = 2000  # articles read to find them: enough for a share, and quick
_WORD = re.compile(r"\w+")
# Pagefind 1.5.2 peaked at about 90 bytes per character of text it indexed: 1.4 GiB for
# 5,000 articles of 600 words, 1.3 GiB for 19,000 Reuters stories of 120.
PAGEFIND_BYTES_PER_CHARACTER = 90
DEFAULT_MEMORY_MIB = 1536  # for the Pagefind runs at a time: within 2 GiB, with room for the estimate's error


@dataclass(frozen=True)
class IndexedPage:
    """A page to index: its file in the site and how much text it gives the index."""

    path: str  # e.g. articles/2016/04/derna/index.html
    characters: int


class SearchIndexError(Exception):
    """Raised when Pagefind cannot index the site; the site's old index is left as it was."""


def find_common_words(items: Sequence[T], text: Callable[[T], str] = str) -> list[str]:
    """The words (lower case) in more than COMMON_SHARE of the items' texts, A–Z. Only a
    sample's texts are made."""
    if len(items) < COMMON_MIN_ARTICLES:
        return []
    sample = items[::max(1, len(items) // COMMON_SAMPLE)]
    counts: Counter[str] = Counter()
    for item in sample:
        counts.update(set(_WORD.findall(text(item).lower())))
    return sorted(word for word, count in counts.items() if count > len(sample) * COMMON_SHARE)


def index_site(site_dir: Path, common_words: Iterable[str] = (), pages: Sequence[IndexedPage] | None = None,
               memory_mib: int = DEFAULT_MEMORY_MIB) -> str:
    """Write the search index into site_dir/pagefind, replacing it only once complete.

    Pagefind indexes the given pages (what it finds in the site when there are none), in
    batches that keep the runs at a time within about memory_mib. Returns a summary of what
    was indexed."""
    site_dir = Path(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=".pagefind.", dir=site_dir.parent))
    try:
        bundle = staging / BUNDLE_DIR
        if not pages:  # none named (or an archive without articles): whatever Pagefind finds
            (summary, peak), merged = _run_pagefind(site_dir, bundle, site_dir), None
        else:
            summary, peak, merged = _index_in_batches(site_dir, pages, memory_mib, staging, bundle)
        recut, note = (True, merged) if merged else recut_word_index(bundle)
        _repack(bundle, index=not recut)
        script = (bundle / "pagefind.js").read_bytes()
        (bundle / PACKED_SCRIPT).write_bytes(deflate.gzip_compress(script, PACK_LEVEL))
        (bundle / COMMON_WORDS_FILE).write_text(json.dumps(sorted(common_words)), encoding="utf-8")
        target = site_dir / BUNDLE_DIR
        if target.exists():
            os.replace(target, staging / "old")
        os.replace(bundle, target)
        return f"{summary}; Pagefind peaked at {peak / 1024 ** 2:,.0f} MiB; {note}"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def index_site_apart(site_dir: Path, common_words: Iterable[str], pages: Sequence[IndexedPage],
                     memory_mib: int = DEFAULT_MEMORY_MIB) -> str:
    """index_site in a process of its own. A build's process holds every page by then, and
    Linux counts the processes it starts (Pagefind, the merge's workers) as large as it;
    started from a small process, each is counted as what it takes."""
    request = {"site_dir": str(site_dir), "common_words": list(common_words), "memory_mib": memory_mib,
               "pages": [[page.path, page.characters] for page in pages]}
    try:
        result = subprocess.run([sys.executable, "-m", __name__], input=json.dumps(request),
                                capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"cannot index the site: {exc}") from exc
    if result.returncode != 0:
        raise SearchIndexError(result.stderr.strip()[-3000:] or f"indexing stopped (exit code {result.returncode})")
    return result.stdout.strip()


def plan_batches(pages: Sequence[IndexedPage], memory_mib: int) -> list[list[str]]:
    """The pages' paths (A–Z) in the fewest batches that keep each Pagefind run within
    about memory_mib, by its text, the largest batch as small as that many allow. A page
    larger than that comes alone."""
    ordered = sorted(pages, key=lambda page: page.path)

    def pack(capacity: int) -> list[list[str]]:
        batches: list[list[str]] = [[]]
        size = 0
        for page in ordered:
            if batches[-1] and size + page.characters > capacity:
                batches.append([])
                size = 0
            batches[-1].append(page.path)
            size += page.characters
        return batches

    budget = max(1, memory_mib * 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER)
    fewest = len(pack(budget))
    low = math.ceil(sum(page.characters for page in ordered) / fewest)
    while low < budget:  # the smallest capacity that still needs no more batches
        middle = (low + budget) // 2
        if len(pack(middle)) <= fewest:
            budget = middle
        else:
            low = middle + 1
    return pack(budget)


def _index_in_batches(site_dir: Path, pages: Sequence[IndexedPage], memory_mib: int, staging: Path,
                      bundle: Path) -> tuple[str, int, str | None]:
    """Run Pagefind over each batch of pages, one run per core at a time (a run keeps
    fewer than two busy) within memory_mib between them, and merge their bundles into
    bundle. Returns a summary, the peak memory of the runs at a time (the sum of the
    largest), and the merge's note on the word index (None when one run wrote it)."""
    at_once = core_count()
    batches = plan_batches(pages, memory_mib // at_once)
    if len(batches) == 1:
        return *_run_pagefind(_link_pages(site_dir, batches[0], staging / "pages"), bundle, site_dir), None
    bundles = [staging / f"batch-{number}" for number in range(len(batches))]

    def run(number: int) -> int:
        pages_dir = _link_pages(site_dir, batches[number], staging / f"pages-{number}")
        _, peak = _run_pagefind(pages_dir, bundles[number], site_dir)
        shutil.rmtree(pages_dir)
        return peak

    with ThreadPoolExecutor(at_once) as pool:
        peaks = list(pool.map(run, range(len(batches))))
    peak = sum(sorted(peaks)[-at_once:])
    try:
        note = merge_bundles(bundles, bundle)
    except UnknownLayout as exc:  # another Pagefind version: one run, however much it needs
        shutil.rmtree(bundle, ignore_errors=True)
        summary, peak = _run_pagefind(_link_pages(site_dir, [p for b in batches for p in b], staging / "pages"),
                                      bundle, site_dir)
        return f"{summary} in one run, as the batches could not be merged ({exc})", peak, None
    largest = max(len(batch) for batch in batches)
    return (f"Indexed {len(pages)} pages in {len(batches)} batches of at most {largest}, "
            f"{min(at_once, len(batches))} at a time"), peak, note


def _link_pages(site_dir: Path, paths: Sequence[str], folder: Path) -> Path:
    """A folder holding just these pages of the site at their own paths, for Pagefind,
    which takes a folder: linked to the site's files, or copied where links cannot be."""
    for path in paths:
        source, destination = site_dir / path, folder / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except FileNotFoundError:
            raise SearchIndexError(f"{source} is missing: the site was not written whole") from None
        except OSError:
            shutil.copyfile(source, destination)
    return folder


def _run_pagefind(site: Path, bundle: Path, site_dir: Path) -> tuple[str, int]:
    """Index the pages under site (site_dir or some of its pages) into bundle; Pagefind's
    summary and its peak memory."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
               "--exclude-selectors", ".headerlink"]  # the ¶ after each heading
    try:
        result, peak = _run_measured(command)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"cannot run Pagefind: {exc}") from exc
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise SearchIndexError(f"Pagefind could not index {site_dir}:\n{detail}\n"
                               "Check that the pagefind[bin] package is installed "
                               "(pip install -c constraints.txt -e .)")
    return _summary(result.stdout), peak


def _repack(bundle: Path, *, index: bool) -> None:
    """Pack Pagefind's gzipped files tighter (libdeflate's highest level): the same bytes once
    unpacked, about 10% fewer to download. Pagefind's own level leaves its page table, which
    every first search fetches, 15 KB larger at 20,000 articles. The word index and page
    table, when re-cut, are packed so already."""
    paths = [*bundle.glob("wasm.*.pagefind"), *bundle.glob("filter/*.pf_filter")]
    if index:
        paths += [*bundle.glob("*.pf_meta"), *bundle.glob("index/*.pf_index")]
    for path in paths:
        packed = path.read_bytes()
        repacked = deflate.gzip_compress(gzip.decompress(packed), PACK_LEVEL)
        if len(repacked) < len(packed):
            path.write_bytes(repacked)


def _run_measured(command: list[str]) -> tuple[subprocess.CompletedProcess, int]:
    """Run Pagefind; its result and its peak memory in bytes (it is the step of a build
    that needs the most, so the build reports it)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while (waited := os.wait4(process.pid, os.WNOHANG))[0] == 0:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    raise subprocess.TimeoutExpired(command, TIMEOUT_SECONDS)
                time.sleep(0.05)
        except BaseException:
            process.kill()
            raise
        _, status, usage = waited
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode,
                                             out.read().decode("utf-8", "replace"),
                                             err.read().decode("utf-8", "replace"))
        return result, usage.ru_maxrss * 1024


def _summary(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith("Indexed")]
    return "; ".join(lines)


def main() -> None:
    """Run index_site on a request (JSON on standard input) from index_site_apart."""
    request = json.load(sys.stdin)
    try:
        print(index_site(Path(request["site_dir"]), request["common_words"],
                         [IndexedPage(path, characters) for path, characters in request["pages"]],
                         request["memory_mib"]))
    except SearchIndexError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
