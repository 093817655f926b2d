"""Follow a published article whose file was renamed or moved, so its address lives on.

The record of published addresses (articles/published.yml) is keyed by file name. When
an entry's file is gone, its article is looked for among the articles the record does
not know yet, by identity: at one of its published addresses, or with the same date and
title, or with the same text. Only a match that is unique both ways carries the entry
over; every other case is reported with what to do. The record itself is only ever
changed by `build-archive record`, which then files the entry under the new name.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Sequence

from .model import Article, Published, PublishedArticle
from .problem import Problem, warning

RECORD = "articles/published.yml"
RECORD_COMMAND = "run `build-archive record` (make record) and commit articles/published.yml"

_AT_ADDRESS, _SAME_DATE_AND_TITLE, _SAME_TEXT = "at its published address", "same date and title", \
    "same text"


def fingerprint(body: str) -> str:
    """A short hash of an article's text, blind to how its lines are wrapped and spaced."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()[:16]


def find_moves(published: Published, articles: Sequence[Article],
               present: Collection[str]) -> tuple[dict[str, str], list[Problem]]:
    """New file name → old file name for each recognised move, and a warning for each
    entry whose file is gone (moved, ambiguous, or not found). `articles` are the
    resolved articles, `present` the names of every article file, drafts included."""
    gone = {name: entry for name, entry in published.articles.items()
            if name not in present and entry.addresses}
    if not gone:
        return {}, []
    likely = _Candidates([a for a in articles if a.name not in published.articles])
    choices = {name: likely.best_for(entry) for name, entry in gone.items()}
    # An article at one entry's address is that entry's, whatever it resembles besides.
    at_address = {best[0][0].name for best in choices.values() if best and best[0][1] == _AT_ADDRESS}
    for name, best in choices.items():
        if not (best and best[0][1] == _AT_ADDRESS):
            choices[name] = [(a, reason) for a, reason in best if a.name not in at_address]
    claimed = Counter(new.name for best in choices.values() if len(best) == 1 for new, _ in best)
    moves: dict[str, str] = {}
    problems = []
    for old in sorted(gone):
        entry, best = gone[old], choices[old]
        lost = f"articles/{old} was published at /{entry.addresses[-1]} but the file is gone"
        if len(best) == 1 and claimed[best[0][0].name] == 1:
            new, reason = best[0]
            moves[new.name] = old
            problems.append(warning(RECORD, entry.line, 1, (
                f"articles/{old} is now articles/{new.name} ({reason}): it keeps its published "
                f"address /{entry.addresses[-1]}; {RECORD_COMMAND} so the record follows the new name")))
        elif len(best) == 1:
            new, reason = best[0]
            rivals = sorted(o for o, b in choices.items() if len(b) == 1 and b[0][0].name == new.name)
            problems.append(warning(RECORD, entry.line, 1, (
                f"{lost}; articles/{new.name} looks like it ({reason}) but also like "
                f"{_names(r for r in rivals if r != old)}, so it keeps none of their addresses: "
                f"{_say_which(entry, old)}")))
        elif best:
            problems.append(warning(RECORD, entry.line, 1, (
                f"{lost}; {_names(new.name for new, _ in best)} each look like it "
                f"({_reasons(best)}), so none keeps its address: {_say_which(entry, old)}")))
        else:
            problems.append(warning(RECORD, entry.line, 1, (
                f"{lost}, and no new article has its date and title or its text, so that address "
                f"now leads nowhere: restore the file from git if it was deleted by mistake; if you "
                f"moved it and changed its title and text as well, "
                f"{_say_which(entry, old, the_one='the moved file')}")))
    return moves, problems


class _Candidates:
    """The articles the record does not know, looked up by each kind of identity."""

    def __init__(self, newcomers: list[Article]):
        self.by_address = {a.permalink: a for a in newcomers}
        self.by_date_and_title: dict[tuple[str, str], list[Article]] = {}
        self.by_text: dict[str, list[Article]] = {}
        for article in newcomers:
            self.by_date_and_title.setdefault((article.date.isoformat(), article.title), []).append(article)
            if article.body.strip():
                self.by_text.setdefault(fingerprint(article.body), []).append(article)

    def best_for(self, entry: PublishedArticle) -> list[tuple[Article, str]]:
        """The newcomers most like the entry: the one at a published address if there is
        one (an address is proof), else those with the same date and title or text."""
        for address in reversed(entry.addresses):
            if address in self.by_address:
                return [(self.by_address[address], _AT_ADDRESS)]
        found: dict[str, tuple[Article, list[str]]] = {}
        if entry.date and entry.title:
            for article in self.by_date_and_title.get((entry.date, entry.title), ()):
                found.setdefault(article.name, (article, []))[1].append(_SAME_DATE_AND_TITLE)
        if entry.text:
            for article in self.by_text.get(entry.text, ()):
                found.setdefault(article.name, (article, []))[1].append(_SAME_TEXT)
        return [(article, " and ".join(reasons)) for _, (article, reasons) in sorted(found.items())]


def _say_which(entry: PublishedArticle, old: str, the_one: str = "the one that is it") -> str:
    slug = entry.addresses[-1].rstrip("/").rsplit("/", 1)[-1]
    return (f"give {the_one} `slug: {slug}` (its published address, with its date in the same "
            f"month) and {RECORD_COMMAND}; or restore articles/{old}")


def _names(names) -> str:
    names = [f"articles/{n}" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reasons(best: list[tuple[Article, str]]) -> str:
    return "; ".join(sorted({reason for _, reason in best}))
