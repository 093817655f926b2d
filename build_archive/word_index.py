"""Re-cut Pagefind's word index so that no word shares its part with one of the commonest.

Pagefind 1.5.2 cuts its word index, in alphabetical order, into parts of about 20,000
word positions, and closes a part only after the word that fills it: the words just
before a very common one share its part ("imports" sits with "in", "nuclear" with "of"),
so a search for them fetches 100 KB or more where others fetch 25 KB. The index is cut
again into parts half that size, each closed before a word that would overfill it (so
only the commonest words themselves come in large parts) and where neighbouring words
share the shortest beginning (see cut_parts). Every word's entry is kept byte for byte:
searches find and rank the same articles; only where the parts are cut moves.

Pagefind's files are gzipped CBOR (RFC 8949) behind a "pagefind_dcd" signature. The
re-cut runs only on the Pagefind version whose layout it knows, and only on files it
reads back to exactly their bytes; otherwise the index stays as Pagefind made it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import statistics
import struct
from pathlib import Path
from typing import Any

import deflate

from .parallel import map_in_workers

KNOWN_VERSIONS = {"1.5.2"}
SIGNATURE = b"pagefind_dcd"
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


class UnknownLayout(Exception):
    """Raised when Pagefind's files are not in the layout this module knows."""


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
        entry["languages"][language]["hash"], note = _recut(bundle, language, meta, words, median)
        notes.append(note)
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
    data = _unpack(bundle / f"pagefind.{meta_hash}.pf_meta")
    meta = decode(data)
    if encode(meta) != data:
        raise UnknownLayout("the page table is encoded in a way this does not reproduce")
    if not (isinstance(meta, list) and len(meta) > 2 and isinstance(meta[2], list)
            and all(isinstance(c, list) and len(c) == 3 and all(isinstance(v, str) for v in c)
                    for c in meta[2])):
        raise UnknownLayout("the page table has an unknown shape")
    paths = [bundle / "index" / f"{chunk[2]}.pf_index" for chunk in meta[2]]
    # Walking every entry in Python takes most of the re-cut: one process per core.
    parts = map_in_workers(_read_part, paths, parallel_from=PARALLEL_FROM_PARTS)
    words = [word for _, slices in parts for word in slices]
    if [w for w, _ in words] != sorted(w for w, _ in words):
        raise UnknownLayout("the word index is not in alphabetical order")
    return meta, words, statistics.median(size for size, _ in parts) if parts else 0


def part_words(path: Path) -> list[str]:
    """The words a part of the word index holds, A–Z."""
    return [word for word, _ in _read_part(path)[1]]


def _read_part(path: Path) -> tuple[int, list[tuple[str, bytes]]]:
    """A part's size unpacked, and its words with their entries' bytes."""
    part = _unpack(path)
    return len(part), _word_slices(part)


def _recut(bundle: Path, language: str, meta: list, words: list[tuple[str, bytes]],
           median: float) -> tuple[str, str]:
    """Cut the word index again and write the parts and the page table that lists them.
    Returns the page table's name (its hash, which pagefind-entry.json gives) and a note."""
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
        data = SIGNATURE + _array_head(1) + _array_head(len(run)) + b"".join(entry for _, entry in run)
        name = _name(language, data, 7, taken)
        (bundle / "index" / f"{name}.pf_index").write_bytes(deflate.gzip_compress(data, PART_LEVEL))
        listed.append([start, end, name])
    for name in old:
        (bundle / "index" / f"{name}.pf_index").unlink()
    data = SIGNATURE + encode([*meta[:2], listed, *meta[3:]])
    table = _name(language, data, 10, set())
    for old_table in bundle.glob(f"pagefind.{language}_*.pf_meta"):
        old_table.unlink()
    (bundle / f"pagefind.{table}.pf_meta").write_bytes(deflate.gzip_compress(data, PACK_LEVEL))
    return table, f"{len(meta[2])} parts cut again into {len(runs)}"


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownLayout(f"{path.name} lacks Pagefind's signature")
    return data[len(SIGNATURE):]


def _word_slices(part: bytes) -> list[tuple[str, bytes]]:
    """A part's words, each as (the word, its entry's bytes as written): a part is an array
    holding one array of word entries, each an array starting with the word."""
    if part[:1] != _array_head(1):
        raise UnknownLayout("a part of the word index has an unknown shape")
    count, i = _argument(part, 1, 4)
    words = []
    for _ in range(count):
        start = i
        length, j = _argument(part, i, 4)
        size, j = _argument(part, j, 3)
        word = part[j:j + size].decode("utf-8")
        if length < 1:
            raise UnknownLayout("a word entry without its word")
        i = _skip(part, start)
        words.append((word, part[start:i]))
    if i != len(part):
        raise UnknownLayout("a part of the word index holds more than its words")
    return words


def _argument(data: bytes, i: int, major: int) -> tuple[int, int]:
    """The argument (a count, a length or a value) of the item at i, which must be of the
    given major type, and where its content starts."""
    if data[i] >> 5 != major:
        raise UnknownLayout(f"expected CBOR major type {major}")
    info = data[i] & 31
    if info < 24:
        return info, i + 1
    if info > 27:
        raise UnknownLayout("CBOR item of indefinite length")
    size = 1 << (info - 24)
    return int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


def _skip(data: bytes, i: int) -> int:
    """Where the item starting at i ends (its nested items included)."""
    pending = 1
    while pending:
        pending -= 1
        major, info = data[i] >> 5, data[i] & 31
        if info < 24:
            argument, i = info, i + 1
        elif info <= 27:
            size = 1 << (info - 24)
            argument, i = int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size
        else:
            raise UnknownLayout("CBOR item of indefinite length")
        if major in (2, 3):
            i += argument
        elif major == 4:
            pending += argument
        elif major == 5:
            pending += 2 * argument
        elif major == 7 and info >= 25:
            raise UnknownLayout("a number with a fraction in the word index")
    return i


def _array_head(count: int) -> bytes:
    out = bytearray()
    _head(4, count, out)
    return bytes(out)


def _name(language: str, data: bytes, length: int, taken: set[str]) -> str:
    """A file name from the content's hash, as Pagefind names its files, longer on a clash."""
    digest = hashlib.sha256(data).hexdigest()
    while (name := f"{language}_{digest[:length]}") in taken:
        length += 1
    taken.add(name)
    return name


# ---- CBOR, the parts of it Pagefind writes ------------------------------------------

def decode(data: bytes) -> Any:
    value, end = _decode(data, 0)
    if end != len(data):
        raise UnknownLayout("data after the end of the value")
    return value


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if major == 7:
        if info in (20, 21, 22):
            return (False, True, None)[info - 20], i
        if info in (25, 26, 27):
            size = {25: 2, 26: 4, 27: 8}[info]
            return struct.unpack(">" + {2: "e", 4: "f", 8: "d"}[size], data[i:i + size])[0], i + size
        raise UnknownLayout(f"CBOR simple value {info}")
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise UnknownLayout("CBOR item of indefinite length")
    if major == 0:
        return argument, i
    if major == 1:
        return -1 - argument, i
    if major in (2, 3):
        raw = data[i:i + argument]
        return (raw if major == 2 else raw.decode("utf-8")), i + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, i = _decode(data, i)
            mapping[key], i = _decode(data, i)
        return mapping, i
    raise UnknownLayout(f"CBOR major type {major}")


def encode(value: Any) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
        return
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            out.append(major << 5 | info)
            out += argument.to_bytes(size, "big")
            return
    raise UnknownLayout("an integer too large for CBOR")


def _encode(value: Any, out: bytearray) -> None:
    if value is False or value is True or value is None:
        out.append(0xF4 if value is False else 0xF5 if value is True else 0xF6)
    elif isinstance(value, int):
        _head(0, value, out) if value >= 0 else _head(1, -1 - value, out)
    elif isinstance(value, float):
        out.append(0xFB)
        out += struct.pack(">d", value)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(3, len(raw), out)
        out += raw
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise UnknownLayout(f"cannot encode {type(value).__name__}")
