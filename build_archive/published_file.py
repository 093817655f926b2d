"""The record of published addresses as text: articles/published.yml ↔ Published.

`build-archive record` writes it as YAML with one article a line, each a JSON object
(which YAML reads as a flow mapping), so that a record of 20,000 articles reads in a
fraction of a second where a general YAML parser takes seconds. A record in any
other layout (hand-edited, or written before articles had one line each, when each
file mapped to a bare list of addresses) is read with the full parser, which also
gives the line of any problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .model import Published, PublishedArticle
from .problem import Problem, error
from .safe_yaml import parse_yaml

HEADER = """\
# Every page address this archive has published, so that none ever breaks: an
# article whose title, slug or date changes keeps its published address (or
# redirects from it), and a renamed place or actor must keep its old name as an alias.
# Each article is one line: its file, its addresses (oldest first), and its date,
# title and a fingerprint of its text, by which a renamed or moved file is recognised.
# Written by `build-archive record` (make record) after each publication: commit it,
# do not edit it by hand.
"""
_HINT = ("; it is written by `build-archive record`: restore it from git "
         "(git checkout -- articles/published.yml) rather than editing it")
_SECTIONS = ("articles", "places", "actors")
_IDENTITY = ("date", "title", "text")
# A slug YAML reads as text when written bare: not a number, not yes/no/null…
_BARE_SLUG = re.compile(r"[a-z][a-z0-9-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
# Characters YAML does not allow in a file, and those it takes for line breaks even
# inside quotes: written as escapes.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def format_published(published: Published) -> str:
    lines = [HEADER.rstrip("\n")]
    lines.append("articles:" if published.articles else "articles: []")
    for name, entry in published.articles.items():
        fields: dict[str, Any] = {"file": name, "addresses": list(entry.addresses)}
        fields.update((key, getattr(entry, key)) for key in _IDENTITY if getattr(entry, key))
        lines.append("- " + _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                               json.dumps(fields, ensure_ascii=False)))
    for kind, slugs in (("places", published.places), ("actors", published.actors)):
        lines.append(f"{kind}:" if slugs else f"{kind}: []")
        lines.extend(f"- {_format_slug(slug)}" for slug in slugs)
    return "\n".join(lines) + "\n"


def _format_slug(slug: str) -> str:
    return slug if _BARE_SLUG.fullmatch(slug) and slug not in _YAML_WORDS else json.dumps(slug)


def parse_published(text: str, display: str) -> tuple[Published, list[Problem]]:
    """The record in `text`, with a problem (and line) for anything that is not right."""
    published = _parse_lines(text)
    if published is not None:
        return published, []
    return _parse_yaml(text, display)


def _parse_lines(text: str) -> Published | None:
    """The record as `record` writes it, read line by line; None for any other layout."""
    section = None
    articles: dict[str, PublishedArticle] = {}
    slugs: dict[str, list[str]] = {"places": [], "actors": []}
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        if line.endswith(":") and line[:-1] in _SECTIONS or line.endswith(": []") and line[:-4] in _SECTIONS:
            section = line.split(":")[0]
            continue
        if section is None or not line.startswith("- "):
            return None
        item = line[2:]
        if section == "articles":
            try:
                fields = json.loads(item) if item.startswith("{") else None
            except ValueError:
                return None
            parsed = _entry(fields, number) if isinstance(fields, dict) else None
            if parsed is None or parsed[0] in articles:
                return None
            articles[parsed[0]] = parsed[1]
        elif _BARE_SLUG.fullmatch(item) and item not in _YAML_WORDS:
            slugs[section].append(item)
        elif item.startswith('"'):  # a slug YAML would not read as text when bare
            try:
                slug = json.loads(item)
            except ValueError:
                return None
            if not isinstance(slug, str):
                return None
            slugs[section].append(slug)
        else:
            return None  # unusual: let YAML read it
    return Published(articles, tuple(slugs["places"]), tuple(slugs["actors"]))


def _entry(fields: dict, line: int, name: Any = None) -> tuple[str, PublishedArticle] | None:
    """One article's entry from its fields; None if they are not as `record` writes them."""
    name = fields.get("file") if name is None else name
    addresses = fields.get("addresses")
    identity = {key: fields.get(key) for key in _IDENTITY}
    if not isinstance(name, str) or not name or not isinstance(addresses, list) \
            or not all(isinstance(a, str) for a in addresses) \
            or not all(v is None or isinstance(v, (str, dt.date)) for v in identity.values()):
        return None
    identity = {key: value.isoformat() if isinstance(value, dt.date) else (value or "")
                for key, value in identity.items()}
    return name, PublishedArticle(tuple(addresses), line=line, **identity)


def _parse_yaml(text: str, display: str) -> tuple[Published, list[Problem]]:
    document, problems = parse_yaml(text, display)
    value = document.value if document else None
    if value is None:
        return Published(), problems
    if not isinstance(value, dict):
        problems.append(error(display, 1, 1, "the record of published addresses must map "
                                             f"'articles', 'places' and 'actors' to lists{_HINT}"))
        return Published(), problems
    positions = document.positions
    recorded = value.get("articles") or []
    # Each item: (its fields, its name when the record maps file names to lists, its key path).
    if isinstance(recorded, list):
        items = [(fields, None, ("articles", i)) for i, fields in enumerate(recorded)]
    elif isinstance(recorded, dict):
        items = [(addresses, name, ("articles", name)) for name, addresses in recorded.items()]
    else:
        problems.append(error(display, *positions.get(("articles",), (1, 1)),
                              f"'articles' must list each article file with its addresses{_HINT}"))
        items = []
    articles: dict[str, PublishedArticle] = {}
    for fields, name, key_path in items:
        where = positions.get(key_path, (1, 1))
        line = positions.get(key_path + ("<key>",), where)[0]
        if name is not None and isinstance(fields, list):  # a file mapped to its addresses
            fields = {"addresses": fields}
        parsed = _entry(fields, line, name) if isinstance(fields, dict) else None
        if parsed is None:
            what = f"'{name}' must list the addresses it was published at" if name is not None else \
                'each article must be written {"file": …, "addresses": [its addresses]}'
            problems.append(error(display, *where, what + _HINT))
        elif parsed[0] in articles:
            problems.append(error(display, *where, f"articles/{parsed[0]} is recorded twice "
                                  f"(first on line {articles[parsed[0]].line}){_HINT}"))
        else:
            articles[parsed[0]] = parsed[1]
    slugs = {}
    for kind in ("places", "actors"):
        items = value.get(kind) or []
        if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
            problems.append(error(display, *positions.get((kind,), (1, 1)),
                                  f"'{kind}' must be a list of page addresses{_HINT}"))
            items = []
        slugs[kind] = tuple(items)
    return Published(articles, slugs["places"], slugs["actors"]), problems
