"""Read raw wire copy: headline, byline, dateline, source and paragraphs from plain text.

Two shapes arrive from the wire (see the team's seeds):

* a headline line, a blank line, then one line
  "By NAME CITY, Country (Reuters) - text…" (the "By" is sometimes doubled);
* " date YYYY-MM-DD CITY, Month D text…", hard-wrapped, where a line ending with
  sentence punctuation ends a paragraph.

Exports such as Reuters-21578 carry the body alone: paragraphs start on a new line
indented by four spaces and the other lines are hard-wrapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "BENGHAZI", "NEW YORK", "ST. LOUIS", "N'DJAMENA": a run of capitals ending a word.
_CITY = r"[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*)*\b"
_LEAD = re.compile(
    rf"^(?:By\s+)*(?P<byline>[^\n]*?)\s*\b(?P<city>{_CITY})(?:,\s*(?P<region>[A-Z][\w .'\-]*?))?"
    rf"\s*\((?P<source>[^)\n]+)\)\s*[-\u2013\u2014]+\s*",
)
_DATED = re.compile(
    rf"^\s*date\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+(?P<city>{_CITY})\s*,\s*"
    r"(?P<month>[A-Z][a-z]{2,8}\.?)\s+(?P<day>\d{1,2})\b"
    r"(?:\s*\((?P<source>[^)\n]+)\))?\s*[-\u2013\u2014]*\s*",
)
# "SALVADOR, Feb 26 -" as Reuters-21578 gives it.
_DATELINE = re.compile(rf"^\s*(?P<city>[^,]+?)\s*(?:,|$)")
# A line ending a sentence ends a paragraph in hard-wrapped copy.
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
# The wire's sign-off at the end of a story.
_SIGN_OFF = "REUTER"
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


@dataclass(frozen=True)
class WireStory:
    """What raw copy tells about a story; empty fields are unknown."""

    title: str = ""
    date: str = ""  # as wired, YYYY-MM-DD (the importer checks it is a real date)
    dateline: str = ""  # as wired, e.g. "BENGHAZI"
    byline: tuple[str, ...] = ()
    source: str = ""
    paragraphs: tuple[str, ...] = ()


def parse_wire_story(text: str) -> WireStory:
    """Split raw wire copy in either seed format into its parts."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    dated = _DATED.match(text)
    if dated:
        return WireStory(
            date=dated["date"], dateline=dated["city"],
            source=(dated["source"] or "").strip(),
            paragraphs=split_hard_wrapped(text[dated.end():]),
        )
    title, rest = _split_headline(text)
    lead = _LEAD.match(rest)
    if lead:
        return WireStory(
            title=title, dateline=lead["city"], byline=parse_byline(lead["byline"]),
            source=lead["source"].strip(), paragraphs=split_hard_wrapped(rest[lead.end():]),
        )
    return WireStory(title=title, paragraphs=split_hard_wrapped(rest))


def _split_headline(text: str) -> tuple[str, str]:
    """The headline is the first line when a blank line follows it."""
    stripped = text.strip("\n")
    first, blank, rest = stripped.partition("\n\n")
    if blank and "\n" not in first.strip():
        return " ".join(first.split()), rest
    return "", stripped


def parse_byline(text: str | None) -> tuple[str, ...]:
    """Names from "By Janie Gabbett, Reuters" or "By By Ayman al-Warfalli and X"."""
    if not text:
        return ()
    text = re.sub(r"^(?:\s*By\b\s*)+", "", text.strip(), flags=re.IGNORECASE)
    names = [" ".join(n.split()) for n in _BYLINE_SPLIT.split(text)]
    return tuple(n for n in names if n and n.casefold() not in {"reuters", "reuter"})


def parse_dateline_city(text: str | None) -> str:
    """The place of a dateline such as "SALVADOR, Feb 26 -"."""
    if not text:
        return ""
    match = _DATELINE.match(text)
    return match["city"] if match and re.search(r"[A-Za-z]", match["city"]) else ""


def split_hard_wrapped(text: str, *, sentence_ends: bool = True) -> tuple[str, ...]:
    """Paragraphs of wire text, each on one line.

    A paragraph ends at a blank line, before a line indented by four spaces (or a
    tab), and, with `sentence_ends`, after a line that ends a sentence; the other
    line breaks are wrapping. Exports that indent paragraphs need no guessing, so
    they pass sentence_ends=False ("the U.S." may end a wrapped line).
    """
    text = _strip_sign_off(text.replace("\x03", "").rstrip())
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paragraphs.append(" ".join(" ".join(current).split()))
            current.clear()

    for line in text.split("\n"):
        if not line.strip():
            close()
            continue
        if line.startswith(("    ", "\t")):
            close()
        current.append(line.strip())
        if sentence_ends and _SENTENCE_END.search(line.rstrip()):
            close()
    close()
    return tuple(p for p in paragraphs if p)


def _strip_sign_off(text: str) -> str:
    """The story without a closing "REUTER" (or "Reuter"), which is not part of it."""
    end = text[-len(_SIGN_OFF) - 1:]
    if end[1:].upper() == _SIGN_OFF and not end[0].isalnum():
        return text[:-len(_SIGN_OFF)].rstrip()
    return text
