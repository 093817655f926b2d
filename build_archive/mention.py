"""Find the registry's places and actors named in a text, to propose them to an editor.

A name or alias matches as a whole word and as the registry writes it: "IS" is
Islamic State but "is" is not, and "Libya" is not found in "Libyan". Where names
overlap, the longest wins ("Libya Dawn" is an actor, not the place Libya).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Entity


@dataclass(frozen=True)
class Mentions:
    """Canonical names found in a text, in order of first mention."""

    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


class NameFinder:
    """Every name and alias of both registries, compiled into one pattern."""

    def __init__(self, places: dict[str, Entity], actors: dict[str, Entity]):
        self._owner: dict[str, Entity] = {}
        for entity in [*places.values(), *actors.values()]:
            if not entity.registered:
                continue
            for label in (entity.name, *entity.aliases):
                self._owner.setdefault(label, entity)
        self._folded = {kind: {label.casefold(): e.name for e in table.values() if e.registered
                               for label in (e.name, *e.aliases)}
                        for kind, table in (("place", places), ("actor", actors))}
        self._pattern = (re.compile(r"(?<!\w)" + _compile_trie(self._owner) + r"(?!\w)")
                         if self._owner else None)

    def find(self, *texts: str) -> Mentions:
        places: list[str] = []
        actors: list[str] = []
        if self._pattern is None:
            return Mentions()
        for text in texts:
            for match in self._pattern.finditer(text):
                entity = self._owner[match.group()]
                found = places if entity.kind == "place" else actors
                if entity.name not in found:
                    found.append(entity.name)
        return Mentions(tuple(places), tuple(actors))

    def canonical(self, kind: str, name: str) -> str | None:
        """The registry's name for a place or actor written in any case or as an alias
        (BENGHAZI → Benghazi); None when the registry does not know it."""
        return self._folded[kind].get(" ".join(name.split()).casefold())


def _compile_trie(labels: Iterable[str]) -> str:
    """One regular expression matching any of the labels, longest first, written as a
    trie ("Libya(?: Dawn)?"): a flat alternation of hundreds of names is tried name by
    name at every position, which made a large import several times slower."""
    trie: dict[str, dict] = {}
    for label in labels:
        node = trie
        for char in label:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    if "" in node:  # a label ends here: the longer ones are optional
        return group + "?"
    return group if len(branches) > 1 else branches[0]
