"""Write new article files: front-matter and body as an editor would, never over another file.

`new` and `import` both come here, so every file they make reads the same:
fields in the order of the README's example, lists of names on one line, and a
body escaped so that wire text such as "<SRD>" or "*" stays text on the site.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import json

from .resolve import make_slug

# Python-Markdown's backslash escapes, and what its extensions (attr_list,
# admonition) would take for syntax.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Text YAML reads back as the same string without quotes; anything else is written
# as a JSON string, which YAML reads as it is (PyYAML's dumper costs ten times more).
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'()/-]*(?<=[A-Za-z0-9.)])$")
_PLAIN_IN_LIST = re.compile(r"^[A-Za-z][A-Za-z0-9 .'/-]*(?<=[A-Za-z0-9.])$")
# Characters YAML accepts in a file; others must be written as \u escapes.
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
# What makes a heading, quote, list, rule or admonition at the start of a paragraph.
_BLOCK_START = re.compile(r"^(#|>|[-+]|!)")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_NEEDS_ESCAPE = re.compile(r"[\\`*_{}\[\]<&]|^(?:[#>+!-]|\d+[.)])")


@dataclass(frozen=True)
class ArticleDraft:
    """The front-matter and text of an article about to be written."""

    title: str
    date: dt.date | dt.datetime
    body: str = ""  # Markdown, already escaped
    source: str = ""
    byline: tuple[str, ...] = ()
    dateline: str = ""
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    summary: str = ""
    url: str = ""
    slug: str = ""  # only when the title's slug is taken
    note: str = ""  # a YAML comment above the names, e.g. that they are proposals

    @property
    def natural_slug(self) -> str:
        return make_slug(self.title)

    @property
    def month(self) -> str:
        return self.date.isoformat()[:7].replace("-", "/")


def escape_body(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Plain-text paragraphs as Markdown that displays exactly that text."""
    escaped = []
    for paragraph in paragraphs:
        if not _NEEDS_ESCAPE.search(paragraph):  # most wire paragraphs: nothing to do
            escaped.append(paragraph)
            continue
        text = _INLINE_SPECIAL.sub(r"\\\1", paragraph)
        text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
        text = _NUMBERED.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", text))
        escaped.append(text)
    return "\n\n".join(escaped) + "\n" if escaped else ""


def format_article(draft: ArticleDraft) -> str:
    """The whole file: front-matter between '---' lines, a blank line, the body."""
    date = draft.date.isoformat(" ") if isinstance(draft.date, dt.datetime) else draft.date.isoformat()
    lines = [f"title: {format_scalar(draft.title)}", f"date: {date}"]
    if draft.slug:
        lines.append(f"slug: {draft.slug}")
    for key in ("summary", "source"):
        if getattr(draft, key):
            lines.append(f"{key}: {format_scalar(getattr(draft, key))}")
    if draft.url:
        lines.append(f"url: {json.dumps(draft.url)}")
    if draft.byline:
        lines.append(f"byline: {format_list(draft.byline)}")
    if draft.dateline:
        lines.append(f"dateline: {format_scalar(draft.dateline)}")
    lines += [f"# {line}" for line in draft.note.splitlines()]
    lines += [f"places: {format_list(draft.places)}", f"actors: {format_list(draft.actors)}"]
    head = "---\n" + "\n".join(lines) + "\n---\n"
    return head + ("\n" + draft.body if draft.body else "")


def format_scalar(text: str, plain: re.Pattern[str] = _PLAIN) -> str:
    """A YAML value that reads back as exactly `text`: bare when that is safe."""
    if plain.match(text) and text.lower() not in _YAML_WORDS and "  " not in text:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # escapes the C0 controls and quotes
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def format_list(names: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(format_scalar(n, _PLAIN_IN_LIST) for n in names) + "]"


def file_name(draft: ArticleDraft, slug: str) -> str:
    """Where an article goes inside the articles folder: 2016/2016-04-20-<slug>.md."""
    day = draft.date.isoformat()[:10]
    return f"{day[:4]}/{day}-{slug}.md"


def write_new_file(path: Path, text: str) -> None:
    """Create the file; raises FileExistsError rather than replace an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x" fails if the file appeared since we looked: an editor's file is never replaced.
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def is_taken(path: str | Path) -> bool:
    """True when anything has this name, even a broken link."""
    return os.path.lexists(path)
