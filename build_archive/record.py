"""Read exports of other systems: JSON Lines and CSV files, one story a record.

A record's fields are taken by name; `FieldMap` says which export field (or
fields) feed each article field, e.g. Reuters-21578's `people` and `orgs` both
feed `actors`. A line that cannot be read becomes a record with a problem, so a
bad line is reported, never skipped. Files ending in .gz are read decompressed.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ARTICLE_FIELDS = ("title", "date", "body", "places", "actors", "byline", "dateline",
                  "source", "url", "summary")
LIST_FIELDS = {"places", "actors", "byline"}
# A list inside one CSV cell: "Derna; Benghazi".
CELL_SEPARATOR = ";"
FORMATS = ("jsonl", "csv", "text")


@dataclass(frozen=True)
class FieldMap:
    """Article field → the export fields read for it, first non-empty wins (lists are joined)."""

    sources: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {name: (name,) for name in ARTICLE_FIELDS})

    @classmethod
    def parse(cls, options: list[str] | tuple[str, ...]) -> FieldMap:
        """From options like "title=headline" or "actors=people,orgs"; raises ValueError."""
        sources = cls().sources
        for option in options:
            target, sep, names = option.partition("=")
            target = target.strip()
            if not sep or target not in ARTICLE_FIELDS:
                raise ValueError(f"--field {option!r}: write ARTICLE_FIELD=EXPORT_FIELD[,EXPORT_FIELD…] "
                                 f"with ARTICLE_FIELD one of {', '.join(ARTICLE_FIELDS)}, "
                                 "e.g. --field actors=people,orgs")
            sources[target] = tuple(n.strip() for n in names.split(",") if n.strip())
        return cls(sources)


@dataclass(frozen=True)
class Record:
    """One record of an export, with the article fields found in it."""

    file: str
    line: int
    values: dict[str, Any]  # article field → value (str, or list of str for LIST_FIELDS)
    problem: str = ""  # why the line could not be read at all


def guess_format(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    return "text"


def open_text(path: Path) -> TextIO:
    """The file as text, decompressing .gz, accepting a UTF-8 BOM."""
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def read_records(path: Path, display: str, fmt: str, fields: FieldMap) -> Iterator[Record]:
    """Every record of a JSON Lines or CSV file, numbered by the line it starts on."""
    with open_text(path) as handle:
        rows = _read_jsonl(handle) if fmt == "jsonl" else _read_csv(handle)
        for line, row, problem in rows:
            if problem:
                yield Record(display, line, {}, problem)
            else:
                yield Record(display, line, _map_fields(row, fields))


def _read_jsonl(handle: TextIO) -> Iterator[tuple[int, dict, str]]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {}, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(row, dict):
            yield number, {}, "not a JSON object: each line must be one {\"title\": …} object"
            continue
        yield number, row, ""


def _read_csv(handle: TextIO) -> Iterator[tuple[int, dict, str]]:
    reader = csv.DictReader(handle)
    if reader.fieldnames is None:  # reads the header line; an empty file has none
        return
    line = reader.line_num + 1
    try:
        for row in reader:
            if None in row:
                yield line, {}, (f"{len(row[None])} more cell(s) than the header has columns: "
                                 "put cells containing commas in double quotes")
            else:
                yield line, row, ""
            line = reader.line_num + 1
    except csv.Error as exc:
        yield reader.line_num, {}, f"cannot read the CSV: {exc}"


def _map_fields(row: dict[str, Any], fields: FieldMap) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for target, names in fields.sources.items():
        if target in LIST_FIELDS:
            items: list[str] = []
            for name in names:
                for item in _as_list(row.get(name)):
                    if item not in items:
                        items.append(item)
            values[target] = items
        else:
            values[target] = next((v for v in (_as_text(row.get(n)) for n in names) if v), "")
    return values


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(CELL_SEPARATOR)
    return [" ".join(str(i).split()) for i in items if i is not None and str(i).strip()]
