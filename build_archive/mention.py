"""Find the registry's places and actors named in a text, to propose them to an editor.

A name or alias matches as a whole word and as the registry writes it: "IS" is
Islamic State but "is" is not, and "Libya" is not found in "Libyan". Where names
overlap, the longest wins ("Libya Dawn" is an actor, not the place Libya).
"""

from __future__ import annotations

import re
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
        labels = sorted(self._owner, key=lambda s: (-len(s), s))
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)")
                         if labels else None)

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
