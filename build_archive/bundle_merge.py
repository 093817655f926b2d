"""Merge Pagefind bundles, each indexing its own share of the pages, into one bundle.

Pagefind holds everything it indexes in memory until it writes the index: about 90
bytes per character of text, 5 GiB for 20,000 articles of 600 words. Indexed in
batches (search.py), each Pagefind run stays within a budget, and this module joins
their bundles into the one a single run would have written: the same words, pages,
positions, filters and fragments, the pages numbered batch after batch.

What a page number touches, in Pagefind 1.5.2's layout (pagefind_format.py):
- the page table lists pages as [fragment hash, word count]: the batches' tables are
  joined, so batch k's pages come after those of batches 0..k-1 (its offset);
- a word entry is [word, pages, variants], where pages is a list of [page, positions,
  meta positions] whose page numbers each count from the one before (the first from
  0), and each variant (the word with its accents, "café" for "cafe") is [spelling,
  pages] likewise. Joining two lists rewrites only the first number of the second;
  every other byte is copied;
- a filter is [name, [[value, pages]]], with page numbers counted from 0.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Sequence
from pathlib import Path

import deflate

from .pagefind_format import (KNOWN_VERSIONS, SIGNATURE, UnknownLayout, argument, array_head, content_name,
                              decode, encode, head, read_words, skip, unpack)
from .parallel import map_in_workers
from .word_index import PARALLEL_FROM_PARTS, write_word_index

QUICK_LEVEL = 1  # for the filters, which search.py packs tighter
META_FILES = ("pagefind-entry.json",)  # written here; Pagefind's other files are the same in each batch


# A list of [page, positions, meta positions] in an entry, as far as joining needs it:
# (its length, the first page's number, the bytes after that number to the list's end,
# the last page's number).
PageList = tuple[int, int, bytes, int]
# A word's entry as read: its bytes, its pages, and its variants' spellings with theirs.
ParsedEntry = tuple[bytes, PageList, list[tuple[str, PageList]]]
_PAGE_HEAD = 0x83  # an array of three: page, positions, meta positions
_EMPTY: PageList = (0, 0, b"", 0)
# The bytes an integer item takes (CBOR major types 0 and 1), by its first byte; 0 for other items.
_INT_SIZE = bytes(([1] * 24 + [2, 3, 5, 9] + [0] * 4) * 2 + [0] * 192)


def merge_bundles(bundles: Sequence[Path], target: Path) -> str:
    """Write at target the bundle one Pagefind run over all the batches' pages would have
    written, the batches' pages in order, with its word index cut as word_index.py cuts
    Pagefind's. Returns a note on the word index. Raises UnknownLayout for a layout not known."""
    entries = [json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")) for bundle in bundles]
    versions = {entry.get("version") for entry in entries}
    if len(versions) != 1 or not versions <= KNOWN_VERSIONS:
        raise UnknownLayout(f"Pagefind versions {sorted(map(str, versions))}: a layout this does not know")
    if len({json.dumps(entry.get("include_characters")) for entry in entries}) != 1:
        raise UnknownLayout("the batches were indexed with different settings")
    target.mkdir(parents=True)
    _move_shared_files(bundles, target)
    languages: dict[str, tuple[dict, int]] = {}
    for language in dict.fromkeys(lang for entry in entries for lang in entry["languages"]):
        batches = [(bundle, entry["languages"][language]) for bundle, entry in zip(bundles, entries)
                   if language in entry["languages"]]
        languages[language] = _merge_language(language, batches, target)
    merged = dict(entries[0], languages={language: info for language, (info, _) in languages.items()})
    (target / "pagefind-entry.json").write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
    return "word index: " + "; ".join(f"{parts} parts" for _, parts in languages.values())


def _move_shared_files(bundles: Sequence[Path], target: Path) -> None:
    """Pagefind's scripts, WebAssembly and styles (the same in every batch) and every
    page's fragment (named by its content's hash) go over to the merged bundle."""
    for bundle in bundles:
        for path in sorted(bundle.rglob("*")):
            relative = path.relative_to(bundle)
            if (path.is_dir() or relative.parts[0] in ("index", "filter") or path.suffix == ".pf_meta"
                    or relative.as_posix() in META_FILES):
                continue
            destination = target / relative
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, destination)


def _merge_language(language: str, batches: list[tuple[Path, dict]], target: Path) -> tuple[dict, int]:
    """Merge one language's page tables, filters and word index; its entry in
    pagefind-entry.json and the number of parts of its word index."""
    metas = [decode(unpack(bundle / f"pagefind.{info['hash']}.pf_meta")) for bundle, info in batches]
    for meta in metas:
        if not (isinstance(meta, list) and len(meta) == 6 and meta[0] in KNOWN_VERSIONS
                and all(isinstance(part, list) for part in meta[1:])):
            raise UnknownLayout("a page table of an unknown shape")
        if meta[4]:
            raise UnknownLayout("sorted results (data-pagefind-sort) cannot be merged")
    offsets, total = [], 0
    for meta in metas:
        offsets.append(total)
        total += len(meta[1])
    bundles = [bundle for bundle, _ in batches]
    filters = _merge_filters(language, bundles, metas, offsets, target)
    words, median = _merge_words(bundles, metas, offsets)
    meta = [metas[0][0], [page for meta in metas for page in meta[1]], [], filters, [],
            list(dict.fromkeys(field for meta in metas for field in meta[5]))]
    (target / "index").mkdir(exist_ok=True)
    name, parts = write_word_index(target, language, meta, words, median)
    return dict(batches[0][1], hash=name, page_count=total), parts


def _merge_filters(language: str, bundles: list[Path], metas: list[list], offsets: list[int],
                   target: Path) -> list[list[str]]:
    """Each filter's values with the pages of every batch; the filters' [name, file] list."""
    merged: dict[str, dict[str, list[int]]] = {}
    for bundle, meta, offset in zip(bundles, metas, offsets):
        for name, file_hash in meta[3]:
            index = decode(unpack(bundle / "filter" / f"{file_hash}.pf_filter"))
            if not (isinstance(index, list) and len(index) == 2 and index[0] == name):
                raise UnknownLayout(f"the filter {name} has an unknown shape")
            values = merged.setdefault(name, {})
            for value, pages in index[1]:
                values.setdefault(value, []).extend(offset + page for page in pages)
    listed: list[list[str]] = []
    taken: set[str] = set()
    (target / "filter").mkdir(exist_ok=True)  # shared by the languages
    for name, values in merged.items():
        data = SIGNATURE + encode([name, [[value, values[value]] for value in sorted(values)]])
        file_name = content_name(language, data, 7, taken)
        (target / "filter" / f"{file_name}.pf_filter").write_bytes(deflate.gzip_compress(data, QUICK_LEVEL))
        listed.append([name, file_name])
    return listed


def _merge_words(bundles: list[Path], metas: list[list], offsets: list[int]) -> tuple[list[tuple[str, bytes]], float]:
    """Every word's entries joined across the batches, A–Z, and the median size of the
    batches' parts (Pagefind's, which the re-cut halves)."""
    paths = [(batch, bundle / "index" / f"{chunk[2]}.pf_index")
             for batch, (bundle, meta) in enumerate(zip(bundles, metas)) for chunk in meta[2]]
    # Walking every entry in Python takes most of the merge: one process per core.
    parts = map_in_workers(_read_part, paths, parallel_from=PARALLEL_FROM_PARTS)
    by_word: dict[str, list[tuple[int, ParsedEntry]]] = {}
    for batch, _, words in parts:
        for word, parsed in words:
            by_word.setdefault(word, []).append((offsets[batch], parsed))
    median = statistics.median(size for _, size, _ in parts) if parts else 0
    return [(word, _join_entries(by_word.pop(word))) for word in sorted(by_word)], median


def _read_part(item: tuple[int, Path]) -> tuple[int, int, list[tuple[str, ParsedEntry]]]:
    """A batch's part: the batch, the part's size unpacked, its words with their entries read."""
    batch, path = item
    part = unpack(path)
    return batch, len(part), read_words(part, _read_entry)


def _read_entry(part: bytes, start: int, length: int, i: int) -> tuple[ParsedEntry, int]:
    """A word's entry: [word, pages, variants], each variant [spelling, pages]."""
    if length != 3:
        raise UnknownLayout("a word entry of an unknown shape")
    pages, i = _read_page_list(part, i)
    variants = []
    count, i = argument(part, i, 4)
    for _ in range(count):
        if part[i] != 0x82:  # an array of two: the spelling and its pages
            raise UnknownLayout("a variant of a word of an unknown shape")
        size, i = argument(part, i + 1, 3)
        spelling = part[i:i + size].decode("utf-8")
        variant_pages, i = _read_page_list(part, i + size)
        variants.append((spelling, variant_pages))
    return (part[start:i], pages, variants), i


def _read_page_list(data: bytes, i: int) -> tuple[PageList, int]:
    """The page list starting at i, and where it ends. Runs over every page of every word,
    so it is written out flat rather than with skip()."""
    count, i = argument(data, i, 4)
    if count == 0:
        return _EMPTY, i
    rest = last = 0
    for number in range(count):
        if data[i] != _PAGE_HEAD:
            raise UnknownLayout("a page of a word entry of an unknown shape")
        step = data[i + 1]
        if step < 24:
            i += 2
        else:
            step, i = argument(data, i + 1, 0)
        if number == 0:
            first, rest = step, i
        last += step
        for _ in (0, 1):  # positions, then meta positions: arrays of integers
            items = data[i] - 0x80
            if 0 <= items < 24:
                i += 1
            else:
                items, i = argument(data, i, 4)
            for _ in range(items):
                size = _INT_SIZE[data[i]]
                if not size:
                    raise UnknownLayout("a position that is not an integer")
                i += size
    return (count, first, data[rest:i], last), i


def _join_entries(entries: list[tuple[int, ParsedEntry]]) -> bytes:
    """One word's entry from its entries in several batches, each with its page offset."""
    if len(entries) == 1 and entries[0][0] == 0:
        return entries[0][1][0]
    first_bytes = entries[0][1][0]
    _, i = argument(first_bytes, 0, 4)
    out = bytearray(array_head(3))
    out += first_bytes[i:skip(first_bytes, i)]  # the word
    variants: dict[str, list[tuple[int, PageList]]] = {}
    for offset, (_, _, spellings) in entries:
        for spelling, pages in spellings:
            variants.setdefault(spelling, []).append((offset, pages))
    _write_joined([(offset, pages) for offset, (_, pages, _) in entries], out)
    head(4, len(variants), out)
    for spelling, lists in variants.items():
        out += array_head(2)
        encoded = spelling.encode("utf-8")
        head(3, len(encoded), out)
        out += encoded
        _write_joined(lists, out)
    return bytes(out)


def _write_joined(lists: list[tuple[int, PageList]], out: bytearray) -> None:
    """Page lists of several batches as one: each list's first number now counts from the
    previous list's last page."""
    head(4, sum(count for _, (count, _, _, _) in lists), out)
    previous = 0
    for offset, (count, first, rest, last) in lists:
        if count:
            out.append(_PAGE_HEAD)
            head(0, offset + first - previous, out)
            out += rest
            previous = offset + last
