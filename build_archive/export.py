"""Data downloads: the archive as CSV and JSON, with a JSON Schema → {site path: bytes}.

For readers who analyse the archive elsewhere (a spreadsheet, pandas, R). Every
value is data, never markup: JSON and CSV are written by the standard library,
and CSV cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .index import Archive
from .memo import Memo
from .model import Article, Entity, SiteText

ARTICLES_CSV = "data/articles.csv"
ENTITIES_CSV = "data/entities.csv"
ARCHIVE_JSON = "data/archive.json"
SCHEMA_JSON = "data/archive.schema.json"
DOWNLOADS = (ARCHIVE_JSON, SCHEMA_JSON, ARTICLES_CSV, ENTITIES_CSV)  # what render_exports makes
LIST_SEPARATOR = "; "
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection);
# a leading apostrophe makes them show the text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ARTICLE_COLUMNS = ("date", "time", "title", "url", "slug", "source", "byline", "dateline",
                   "places", "actors", "summary", "original_url", "language", "file", "text")
ENTITY_COLUMNS = ("kind", "slug", "name", "aliases", "category", "description", "within",
                  "latitude", "longitude", "wikidata", "articles", "url")


def render_exports(archive: Archive, text: SiteText, memo: Memo | None = None) -> dict[str, bytes]:
    """The downloads. Each article's JSON and CSV record depends on the article and the
    names of its places and actors only, so with an earlier generation's memo only the
    records of changed articles are written again. Without a memo (no later generation
    would take them over), each record is let go once written: the records of 20,000
    articles take as much memory as the files themselves."""
    if memo is None:
        records = (_article_record(article, archive, text) for article in archive.articles)
    else:
        records = (memo.get("data record", article, _record_inputs(article, archive, text),
                            functools.partial(_article_record, article, archive, text))
                   for article in archive.articles)
    entities = {"places": [_describe_entity(e, archive, text) for e in _by_name(archive.places)],
                "actors": [_describe_entity(e, archive, text) for e in _by_name(archive.actors)]}
    header = {"$schema": "archive.schema.json", "name": text.site_name, "url": text.absolute("")}
    articles_csv = io.BytesIO()
    articles_csv.write(_csv_line(ARTICLE_COLUMNS).encode("utf-8"))

    def json_records() -> Iterator[bytes]:
        # Both files are written in the one pass over the records.
        for json_record, csv_record in records:
            articles_csv.write(csv_record)
            yield json_record

    archive_json = _json_document(header, {
        "articles": json_records(),
        **{kind: (_json_value(e).encode("utf-8") for e in items) for kind, items in entities.items()}})
    return {
        ARCHIVE_JSON: archive_json,
        SCHEMA_JSON: _schema_document(),
        ARTICLES_CSV: articles_csv.getvalue(),
        ENTITIES_CSV: _csv_bytes(ENTITY_COLUMNS, (_entity_row(e) for e in
                                                  entities["places"] + entities["actors"])),
    }


def _record_inputs(article: Article, archive: Archive, text: SiteText) -> tuple:
    dateline = archive.places.get(article.dateline) if article.dateline else None
    return tuple(archive.entities_of(article)), dateline, text


def _article_record(article: Article, archive: Archive, text: SiteText) -> tuple[bytes, bytes]:
    """The article as a line of archive.json and as a record of articles.csv."""
    described = _describe_article(article, archive, text)
    return (_json_value(described).encode("utf-8"),
            _csv_line([defuse_cell(v) for v in _article_row(described)]).encode("utf-8"))


def _by_name(entities: dict[str, Entity]) -> list[Entity]:
    return sorted(entities.values(), key=lambda e: (e.name.casefold(), e.slug))


def _describe_article(article: Article, archive: Archive, text: SiteText) -> dict[str, Any]:
    def names(slugs: tuple[str, ...], table: dict[str, Entity]) -> list[dict[str, str]]:
        return [{"slug": s, "name": table[s].name} for s in slugs]

    dateline = archive.places.get(article.dateline) if article.dateline else None
    return {
        "title": article.title,
        "date": article.date.isoformat(),
        "time": article.time.isoformat() if article.time else None,
        "url": text.absolute(article.permalink),
        "slug": article.slug,
        "source": article.source or None,
        "byline": list(article.byline),
        "dateline": {"slug": dateline.slug, "name": dateline.name} if dateline else None,
        "places": names(article.places, archive.places),
        "actors": names(article.actors, archive.actors),
        "summary": article.summary or None,
        "original_url": article.url,
        "language": article.language,
        "file": article.name or article.path,
        "text": article.body,
    }


def _describe_entity(entity: Entity, archive: Archive, text: SiteText) -> dict[str, Any]:
    return {
        "kind": entity.kind,
        "slug": entity.slug,
        "name": entity.name,
        "aliases": list(entity.aliases),
        "category": entity.category or None,
        "description": entity.description or None,
        "within": entity.within,
        "coordinates": list(entity.coordinates) if entity.coordinates else None,
        "wikidata": entity.wikidata,
        "registered": entity.registered,
        "articles": len(archive.articles_of.get(entity.key, ())),
        "url": text.absolute(f"{entity.kind}s/{entity.slug}/"),
    }


def _article_row(article: dict[str, Any]) -> list[Any]:
    return [article["date"], article["time"], article["title"], article["url"], article["slug"],
            article["source"], LIST_SEPARATOR.join(article["byline"]),
            article["dateline"]["name"] if article["dateline"] else None,
            LIST_SEPARATOR.join(p["name"] for p in article["places"]),
            LIST_SEPARATOR.join(a["name"] for a in article["actors"]),
            article["summary"], article["original_url"], article["language"], article["file"],
            article["text"]]


def _entity_row(entity: dict[str, Any]) -> list[Any]:
    latitude, longitude = entity["coordinates"] or (None, None)
    return [entity["kind"], entity["slug"], entity["name"], LIST_SEPARATOR.join(entity["aliases"]),
            entity["category"], entity["description"], entity["within"], latitude, longitude,
            entity["wikidata"], entity["articles"], entity["url"]]


def defuse_cell(value: Any) -> str:
    """A CSV cell as text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_bytes(columns: tuple[str, ...], rows: Iterable[list[Any]]) -> bytes:
    lines = [_csv_line(columns), *(_csv_line([defuse_cell(v) for v in row]) for row in rows)]
    return "".join(lines).encode("utf-8")


def _csv_line(cells: Iterable[str]) -> str:
    """One CSV record as RFC 4180 (and the csv module) write it: a cell holding a comma,
    quote or line break is quoted, its quotes doubled. The csv module does the same a
    character at a time, which takes seconds over a large archive's text."""
    return ",".join('"' + cell.replace('"', '""') + '"' if _needs_quotes(cell) else cell
                    for cell in cells) + "\r\n"


def _needs_quotes(cell: str) -> bool:
    return "," in cell or '"' in cell or "\n" in cell or "\r" in cell


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # the fast encoder: indenting is slow


def _json_document(header: dict[str, Any], lists: dict[str, Iterable[bytes]]) -> bytes:
    """A JSON object of the header's values and lists of encoded items, each item on a line
    of its own: easy to read and to diff. Written piece by piece into one buffer, as the
    items come: the file can be a hundred megabytes."""
    out = io.BytesIO()
    out.write(b"{")
    for key, value in header.items():
        out.write(b"\n " + _json_value(key).encode("utf-8") + b": " + _json_value(value).encode("utf-8") + b",")
    for number, (key, items) in enumerate(lists.items()):
        out.write(b"\n " + _json_value(key).encode("utf-8") + b": [")
        separator = b"\n  "
        for item in items:
            out.write(separator)
            out.write(item)
            separator = b",\n  "
        out.write(b"]" if separator == b"\n  " else b"\n ]")  # [] when empty
        if number < len(lists) - 1:
            out.write(b",")
    out.write(b"\n}\n")
    return out.getvalue()


@functools.cache
def _schema_document() -> bytes:
    """Written once a process: indenting runs json's Python encoder, whose functions hold
    one another in reference cycles, garbage that a preview's frozen generation would keep."""
    return (json.dumps(ARCHIVE_SCHEMA, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_TEXT_OR_NULL = {"type": ["string", "null"]}
_REFERENCE = {
    "type": "object",
    "required": ["slug", "name"],
    "additionalProperties": False,
    "properties": {"slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                   "name": {"type": "string"}},
}
_ENTITY = {
    "type": "object",
    "required": ["kind", "slug", "name", "aliases", "category", "description", "within",
                 "coordinates", "wikidata", "registered", "articles", "url"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": ["place", "actor"], "description": "Which registry it belongs to."},
        "slug": {"type": "string", "description": "Its page address: places/<slug>/ or actors/<slug>/."},
        "name": {"type": "string", "description": "The canonical name."},
        "aliases": {"type": "array", "items": {"type": "string"}, "description": "Other spellings."},
        "category": {**_TEXT_OR_NULL, "description": "city, country… for places; person, armed group… for actors."},
        "description": _TEXT_OR_NULL,
        "within": {**_TEXT_OR_NULL, "description": "Slug of the place this place lies in."},
        "coordinates": {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2,
                        "maxItems": 2, "description": "[latitude, longitude] in degrees."},
        "wikidata": {"type": ["string", "null"], "pattern": "^Q[1-9][0-9]*$"},
        "registered": {"type": "boolean", "description": "False for a name no registry describes yet."},
        "articles": {"type": "integer", "minimum": 0, "description": "How many articles mention it."},
        "url": {"type": "string", "format": "uri"},
    },
}
ARCHIVE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "archive.schema.json",
    "title": "News archive",
    "description": "Every article of the archive with its places and actors, and every place and actor.",
    "type": "object",
    "required": ["name", "url", "articles", "places", "actors"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "name": {"type": "string", "description": "The archive's name."},
        "url": {"type": "string", "description": "Where the archive is published."},
        "articles": {
            "type": "array",
            "description": "Oldest first.",
            "items": {
                "type": "object",
                "required": ["title", "date", "time", "url", "slug", "source", "byline", "dateline",
                             "places", "actors", "summary", "original_url", "language", "file", "text"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string"},
                    "date": {"type": "string", "format": "date"},
                    "time": {**_TEXT_OR_NULL, "description": "HH:MM:SS when the article gives one."},
                    "url": {"type": "string", "format": "uri", "description": "The article's permalink."},
                    "slug": {"type": "string"},
                    "source": _TEXT_OR_NULL,
                    "byline": {"type": "array", "items": {"type": "string"}},
                    "dateline": {"oneOf": [_REFERENCE, {"type": "null"}]},
                    "places": {"type": "array", "items": _REFERENCE},
                    "actors": {"type": "array", "items": _REFERENCE},
                    "summary": _TEXT_OR_NULL,
                    "original_url": {**_TEXT_OR_NULL, "description": "Where the source published it."},
                    "language": _TEXT_OR_NULL,
                    "file": {"type": "string", "description": "Its file in the articles folder."},
                    "text": {"type": "string", "description": "The article's text, as Markdown."},
                },
            },
        },
        "places": {"type": "array", "items": _ENTITY},
        "actors": {"type": "array", "items": _ENTITY},
    },
}
