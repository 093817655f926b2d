"""Pagefind 1.5.2's index files, as far as this project reads and writes them.

Pagefind writes gzipped CBOR (RFC 8949) behind a "pagefind_dcd" signature: the page
table (pagefind.*.pf_meta), the word index in parts (index/*.pf_index), the filters
(filter/*.pf_filter) and a fragment per page. Only the CBOR Pagefind writes is known
here: definite lengths, integers, strings, arrays and maps.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

KNOWN_VERSIONS = {"1.5.2"}
SIGNATURE = b"pagefind_dcd"
T = TypeVar("T")


class UnknownLayout(Exception):
    """Raised when Pagefind's files are not in the layout this module knows."""


def unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownLayout(f"{path.name} lacks Pagefind's signature")
    return data[len(SIGNATURE):]


def read_words(part: bytes, read_entry: Callable[[bytes, int, int, int], tuple[T, int]]) -> list[tuple[str, T]]:
    """A part's words, each with what read_entry(part, start, length, after_word) makes of
    its entry: an array of `length` items from `start`, the first the word, which ends at
    `after_word`. read_entry returns that and where the entry ends. A part is an array
    holding one array of word entries."""
    if part[:1] != array_head(1):
        raise UnknownLayout("a part of the word index has an unknown shape")
    count, i = argument(part, 1, 4)
    words = []
    for _ in range(count):
        start = i
        length, i = argument(part, i, 4)
        size, i = argument(part, i, 3)
        word = part[i:i + size].decode("utf-8")
        if length < 1:
            raise UnknownLayout("a word entry without its word")
        value, i = read_entry(part, start, length, i + size)
        words.append((word, value))
    if i != len(part):
        raise UnknownLayout("a part of the word index holds more than its words")
    return words


def word_slices(part: bytes) -> list[tuple[str, bytes]]:
    """A part's words, each with its entry's bytes as written."""
    return read_words(part, _entry_bytes)


def _entry_bytes(part: bytes, start: int, length: int, after_word: int) -> tuple[bytes, int]:
    end = skip(part, start)
    return part[start:end], end


def read_part(path: Path) -> tuple[int, list[tuple[str, bytes]]]:
    """A part's size unpacked, and its words with their entries' bytes."""
    part = unpack(path)
    return len(part), word_slices(part)


def argument(data: bytes, i: int, major: int) -> tuple[int, int]:
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


def skip(data: bytes, i: int) -> int:
    """Where the item starting at i ends (its nested items included)."""
    pending = 1
    while pending:
        pending -= 1
        major, info = data[i] >> 5, data[i] & 31
        if info < 24:
            value, i = info, i + 1
        elif info <= 27:
            size = 1 << (info - 24)
            value, i = int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size
        else:
            raise UnknownLayout("CBOR item of indefinite length")
        if major in (2, 3):
            i += value
        elif major == 4:
            pending += value
        elif major == 5:
            pending += 2 * value
        elif major == 7 and info >= 25:
            raise UnknownLayout("a number with a fraction in the word index")
    return i


def array_head(count: int) -> bytes:
    out = bytearray()
    head(4, count, out)
    return bytes(out)


def content_name(language: str, data: bytes, length: int, taken: set[str]) -> str:
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
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise UnknownLayout("CBOR item of indefinite length")
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major in (2, 3):
        raw = data[i:i + value]
        return (raw if major == 2 else raw.decode("utf-8")), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, i = _decode(data, i)
            mapping[key], i = _decode(data, i)
        return mapping, i
    raise UnknownLayout(f"CBOR major type {major}")


def encode(value: Any) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def head(major: int, value: int, out: bytearray) -> None:
    """Write an item's first bytes: its major type and its value (a count, a length or an integer)."""
    if value < 24:
        out.append(major << 5 | value)
        return
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            out.append(major << 5 | info)
            out += value.to_bytes(size, "big")
            return
    raise UnknownLayout("an integer too large for CBOR")


def _encode(value: Any, out: bytearray) -> None:
    if value is False or value is True or value is None:
        out.append(0xF4 if value is False else 0xF5 if value is True else 0xF6)
    elif isinstance(value, int):
        head(0, value, out) if value >= 0 else head(1, -1 - value, out)
    elif isinstance(value, float):
        out.append(0xFB)
        out += struct.pack(">d", value)
    elif isinstance(value, bytes):
        head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        head(3, len(raw), out)
        out += raw
    elif isinstance(value, list):
        head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise UnknownLayout(f"cannot encode {type(value).__name__}")
