"""Re-cut Pagefind's word index so that no word shares its part with one of the commonest.

Pagefind 1.5.2 cuts its word index, in alphabetical order, into parts of about 20,000
word positions, and closes a part only after the word that fills it: the words just
before a very common one share its part ("imports" sits with "in", "nuclear" with "of"),
so a search for them fetches 100 KB or more where others fetch 25 KB. The index is cut
again into parts half that size, each closed before a word that would overfill it (so
only the commonest words themselves come in large parts) and where neighbouring words
share the shortest beginning (see cut_parts). Every word's entry is kept byte for byte:
searches find and rank the same articles; only where the parts are cut moves.

The re-cut runs only on the Pagefind version whose layout it knows (pagefind_format.py),
and only on files it reads back to exactly their bytes; otherwise the index stays as
Pagefind made it.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import deflate

from .pagefind_format import (KNOWN_VERSIONS, SIGNATURE, UnknownLayout, array_head, content_name, decode,
                              encode, read_part, unpack)
from .parallel import map_in_workers

PACK_LEVEL = 12  # libdeflate's highest, for the page table that every first search fetches
# libdeflate's default, for the thousands of parts: its highest packs a part 3% smaller
# (half a kilobyte of a search) in 13 times the time, which added seconds to a build.
PART_LEVEL = 6
PARALLEL_FROM_PARTS = 200  # fewer parts are read quickly enough in one process
# Parts are cut to this share of the median size of Pagefind's: a word then costs a search
# half as much, while the page table, which lists the parts, grows by about 3%.
PART_SHARE = 0.5
SLACK = 0.25  # a part may be this much smaller or bigger than the target, to be cut well
MIN_PARTS = 4  # an index Pagefind cuts in fewer parts is small: every search fetches little


def recut_word_index(bundle: Path) -> tuple[bool, str]:
    """Cut each language's word index again (the parts packed at PART_LEVEL, the page table at PACK_LEVEL).
    Returns whether it did, and a note saying what was done or why not."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    if entry.get("version") not in KNOWN_VERSIONS:
        return False, f"word index left as Pagefind {entry.get('version')} cut it: a layout this does not know"
    try:
        indexes = {language: _read_index(bundle, info["hash"]) for language, info in entry["languages"].items()}
    except (UnknownLayout, OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        return False, f"word index left as Pagefind cut it: {exc}"
    if all(len(meta[2]) < MIN_PARTS for meta, _, _ in indexes.values()):
        return False, "word index left as Pagefind cut it: small enough"
    notes = []
    for language, (meta, words, median) in indexes.items():
        entry["languages"][language]["hash"], parts = write_word_index(bundle, language, meta, words, median)
        notes.append(f"{len(meta[2])} parts cut again into {parts}")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    return True, "word index: " + "; ".join(notes)


def cut_parts(words: list[str], sizes: list[int], target: float) -> list[int]:
    """Where to cut a run of words (A–Z) of these sizes into parts of about `target` bytes.
    A word bigger than that comes alone. Each cut goes where the neighbouring words share
    the shortest beginning: a search term goes to one part only, so a cut between
    "oil" and "oilseed" would hide oilseed from a search for "oil" (Pagefind finds words
    by their beginning), while one between "oilseed" and "oj…" hides nothing from any
    term longer than "o". Returns each part's number of words."""
    lengths: list[int] = []
    first = 0
    while first < len(words):
        total, best, best_key = 0, None, None
        i = first
        while i < len(words):
            if i > first and total >= target * (1 - SLACK):  # a cut before word i would do
                key = (_shared(words[i - 1], words[i]), abs(total - target))
                if best_key is None or key < best_key:
                    best, best_key = i, key
            if i > first and total + sizes[i] > target * (1 + SLACK):
                break
            total += sizes[i]
            i += 1
        end = len(words) if i == len(words) else (best if best is not None else i)
        lengths.append(end - first)
        first = end
    return lengths


def _shared(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def prefix_bounds(left: str, right: str) -> tuple[str, str]:
    """Where two neighbouring parts meet (the last word of one, the first of the next):
    the shortest prefixes that still tell them apart, as Pagefind writes them. A search
    term goes to the part whose bounds hold it."""
    common = _shared(left, right)
    return left[:common + 1], right[:common + 1]


def _read_index(bundle: Path, meta_hash: str) -> tuple[list, list[tuple[str, bytes]], float]:
    """The page table (decoded), every word entry (the word, its bytes) A–Z, and the
    median size of Pagefind's parts."""
    data = unpack(bundle / f"pagefind.{meta_hash}.pf_meta")
    meta = decode(data)
    if encode(meta) != data:
        raise UnknownLayout("the page table is encoded in a way this does not reproduce")
    if not (isinstance(meta, list) and len(meta) > 2 and isinstance(meta[2], list)
            and all(isinstance(c, list) and len(c) == 3 and all(isinstance(v, str) for v in c)
                    for c in meta[2])):
        raise UnknownLayout("the page table has an unknown shape")
    paths = [bundle / "index" / f"{chunk[2]}.pf_index" for chunk in meta[2]]
    # Walking every entry in Python takes most of the re-cut: one process per core.
    parts = map_in_workers(read_part, paths, parallel_from=PARALLEL_FROM_PARTS)
    words = [word for _, slices in parts for word in slices]
    if [w for w, _ in words] != sorted(w for w, _ in words):
        raise UnknownLayout("the word index is not in alphabetical order")
    return meta, words, statistics.median(size for size, _ in parts) if parts else 0


def part_words(path: Path) -> list[str]:
    """The words a part of the word index holds, A–Z."""
    return [word for word, _ in read_part(path)[1]]


def write_word_index(bundle: Path, language: str, meta: list, words: list[tuple[str, bytes]],
                     median: float) -> tuple[str, int]:
    """Cut the word index (its entries A–Z) in parts of PART_SHARE of Pagefind's median part,
    and write them and the page table that lists them in place of those meta lists.
    Returns the page table's name (its hash, which pagefind-entry.json gives) and the
    number of parts."""
    target = median * PART_SHARE
    runs, first = [], 0
    for length in cut_parts([w for w, _ in words], [len(entry) for _, entry in words], target):
        runs.append(words[first:first + length])
        first += length
    bounds = [[run[0][0], run[-1][0]] for run in runs]
    for left, right in zip(bounds, bounds[1:]):
        left[1], right[0] = prefix_bounds(left[1], right[0])
    old = {chunk[2] for chunk in meta[2]}
    taken = set(old)
    listed = []
    for (start, end), run in zip(bounds, runs):
        data = SIGNATURE + array_head(1) + array_head(len(run)) + b"".join(entry for _, entry in run)
        name = content_name(language, data, 7, taken)
        (bundle / "index" / f"{name}.pf_index").write_bytes(deflate.gzip_compress(data, PART_LEVEL))
        listed.append([start, end, name])
    for name in old:
        (bundle / "index" / f"{name}.pf_index").unlink()
    data = SIGNATURE + encode([*meta[:2], listed, *meta[3:]])
    table = content_name(language, data, 10, set())
    for old_table in bundle.glob(f"pagefind.{language}_*.pf_meta"):
        old_table.unlink()
    (bundle / f"pagefind.{table}.pf_meta").write_bytes(deflate.gzip_compress(data, PACK_LEVEL))
    return table, len(runs)
