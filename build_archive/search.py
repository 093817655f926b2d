"""The search index, made by Pagefind, which the reader's browser queries in small
pieces (so the first search downloads kilobytes, not the whole index): running Pagefind
over a written site, and finishing and installing the bundle it writes.

Only article pages are indexed: their templates mark the text with data-pagefind-body
and the places, actors and year with data-pagefind-filter, which become the facets.
A build hands Pagefind its pages as it writes them, in batches within a memory budget
(search_stream.py), whose bundles are merged (bundle_merge.py). Its word index is cut again into smaller parts (word_index.py), its gzipped files are
packed tighter, and next to them go two of the search page's own files
(docs/javascripts/archive-search.js): Pagefind's script gzipped, and the words too
common to narrow a search.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import deflate

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
EXCLUDED = [".headerlink"]  # what Pagefind leaves out of the text: the ¶ after each heading
DEFAULT_MEMORY_MIB = 1536  # for the Pagefind runs at a time: within 2 GiB, with room for the estimate's error


@dataclass(frozen=True)
class IndexedPage:
    """A page to index: its file in the site and how much text it gives the index."""

    path: str  # e.g. articles/2016/04/derna/index.html
    characters: int


class SearchIndexError(Exception):
    """Raised when Pagefind cannot index the site; the site's old index is left as it was."""


INSTALL_HINT = "Check that the pagefind[bin] package is installed (pip install -c constraints.txt -e .)"


def missing_page(path: Path) -> SearchIndexError:
    return SearchIndexError(f"{path} is missing: the site was not written whole")


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


def index_site(site_dir: Path, common_words: Iterable[str] = ()) -> str:
    """Write the search index of a written site, all it marks for search in one Pagefind
    run, into site_dir/pagefind, replacing it only once complete; a summary of what was
    indexed. A build indexes its pages as it writes them (search_stream.py)."""
    site_dir = Path(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=".pagefind.", dir=site_dir.parent))
    try:
        bundle = staging / BUNDLE_DIR
        summary, peak = _run_pagefind(site_dir, bundle, site_dir)
        note = install_bundle(bundle, site_dir, common_words, None)
        return f"{summary}; Pagefind peaked at {peak / 1024 ** 2:,.0f} MiB; {note}"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install_bundle(bundle: Path, site_dir: Path, common_words: Iterable[str], merged: str | None) -> str:
    """Finish Pagefind's bundle (its word index re-cut unless merged already said how it was
    cut, its files packed, the search page's two files beside them) and put it in the
    site in place of the old one. bundle must be on the site's file system. Returns a note
    on the word index."""
    recut, note = (True, merged) if merged else recut_word_index(bundle)
    _repack(bundle, index=not recut)
    script = (bundle / "pagefind.js").read_bytes()
    (bundle / PACKED_SCRIPT).write_bytes(deflate.gzip_compress(script, PACK_LEVEL))
    (bundle / COMMON_WORDS_FILE).write_text(json.dumps(sorted(common_words)), encoding="utf-8")
    target = site_dir / BUNDLE_DIR
    old = bundle.with_name(bundle.name + ".old")
    if target.exists():
        os.replace(target, old)
    os.replace(bundle, target)
    shutil.rmtree(old, ignore_errors=True)
    return note


def index_in_one_run(site_dir: Path, paths: Sequence[str], staging: Path, bundle: Path) -> tuple[str, int]:
    """Index these pages of the site in one Pagefind run, into bundle; its summary and peak memory."""
    return _run_pagefind(_link_pages(site_dir, paths, staging / "pages"), bundle, site_dir)


def _link_pages(site_dir: Path, paths: Sequence[str], folder: Path) -> Path:
    """A folder holding just these pages of the site at their own paths, for Pagefind,
    which takes a folder: linked to the site's files, or copied where links cannot be."""
    for path in paths:
        source, destination = site_dir / path, folder / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except FileNotFoundError:
            raise missing_page(source) from None
        except OSError:
            shutil.copyfile(source, destination)
    return folder


def _run_pagefind(site: Path, bundle: Path, site_dir: Path) -> tuple[str, int]:
    """Index the pages under site (site_dir or some of its pages) into bundle; Pagefind's
    summary and its peak memory."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
               "--exclude-selectors", *EXCLUDED]
    try:
        result, peak = _run_measured(command)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"cannot run Pagefind: {exc}") from exc
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise SearchIndexError(f"Pagefind could not index {site_dir}:\n{detail}\n{INSTALL_HINT}")
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
