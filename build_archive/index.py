"""Build the archive's indexes from resolved articles: Resolved → Archive.

Everything the pages need to cross-link: articles by entity and by year,
previous/next in time, related articles, and which entities occur together.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from .memo import Memo
from .model import Article, Entity, Resolved
from .parallel import map_alongside

RELATED_COUNT = 5
# An entity on thousands of articles says little about relatedness; from those we
# only look at the nearest articles in time, which keeps the work linear.
NEAREST_FROM_COMMON_ENTITY = 40
# Sharing entities counts most; an article five years away scores half as much.
TIME_SCALE_DAYS = 5 * 365

EntityKey = tuple[str, str]  # ("place", "derna")


@dataclass(frozen=True)
class Archive:
    articles: tuple[Article, ...]  # oldest first
    places: dict[str, Entity]
    actors: dict[str, Entity]
    articles_of: dict[EntityKey, tuple[Article, ...]]  # newest first
    previous: dict[str, Article | None]  # by permalink
    next: dict[str, Article | None]
    related: dict[str, tuple[Article, ...]]
    cooccurring: dict[EntityKey, tuple[tuple[Entity, int], ...]]  # most frequent first
    children: dict[str, tuple[Entity, ...]]  # place slug → its sub-places
    # place slug → articles about its sub-places (not the place itself), newest first,
    # each with the sub-places it names: Benghazi lists a Guwarsha story "in Guwarsha".
    articles_within: dict[str, tuple[tuple[Article, tuple[Entity, ...]], ...]]

    def entity(self, key: EntityKey) -> Entity:
        return (self.places if key[0] == "place" else self.actors)[key[1]]

    def entities_of(self, article: Article) -> list[Entity]:
        return [self.places[s] for s in article.places] + [self.actors[s] for s in article.actors]

    def ancestors(self, place: Entity) -> list[Entity]:
        """The chain of parent places, outermost first (Libya, Benghazi for Guwarsha)."""
        return _ancestors(place, self.places)

    def listing(self, entity: Entity) -> list[tuple[Article, tuple[Entity, ...]]]:
        """The articles an entity's page lists, newest first: its own, and for a place
        also those about its sub-places, each with the sub-places that bring it in."""
        own = [(a, ()) for a in self.articles_of.get(entity.key, ())]
        within = self.articles_within.get(entity.slug, ()) if entity.kind == "place" else ()
        if not within:
            return own
        return list(heapq.merge(own, within, key=lambda item: item[0].sort_key, reverse=True))

    @property
    def years(self) -> list[int]:
        return sorted({a.date.year for a in self.articles}, reverse=True)

    def articles_in_year(self, year: int) -> list[Article]:
        return [a for a in self.articles if a.date.year == year]


def _keys(article: Article) -> list[EntityKey]:
    return [("place", s) for s in article.places] + [("actor", s) for s in article.actors]


def build_archive(resolved: Resolved, memo: Memo | None = None) -> Archive:
    """The indexes of the resolved articles. The two costly ones (related articles, entities
    that occur together) read only each article's file, time, places and actors; with the
    memo of an earlier generation they are kept while those are unchanged, as when an
    editor rewords a story."""
    memo = memo if memo is not None else Memo()
    articles = resolved.articles
    by_entity: dict[EntityKey, list[Article]] = defaultdict(list)
    for article in articles:
        for key in _keys(article):
            by_entity[key].append(article)

    previous = {}
    following = {}
    for i, article in enumerate(articles):
        previous[article.permalink] = articles[i - 1] if i > 0 else None
        following[article.permalink] = articles[i + 1] if i + 1 < len(articles) else None

    # In time, and by file within the same time: an order a new title cannot change.
    shapes = sorted((a.date, a.time or dt.time.min, a.path, a.places, a.actors) for a in articles)
    by_path = {a.path: a for a in articles}

    def count_cooccurring() -> dict[EntityKey, tuple[tuple[Entity, int], ...]]:
        return memo.get("cooccurring", None, (shapes, resolved.places, resolved.actors),
                        lambda: _count_cooccurring(by_entity, resolved))

    # Counted in this process while the workers rank related articles (then kept in the memo).
    related_paths = memo.get("related", None, shapes, lambda: _find_related(shapes, alongside=count_cooccurring))
    cooccurring = count_cooccurring()

    children: dict[str, list[Entity]] = defaultdict(list)
    for place in resolved.places.values():
        if place.within:
            children[place.within].append(place)

    within: dict[str, dict[str, tuple[Article, list[Entity]]]] = defaultdict(dict)
    for article in articles:
        for slug in article.places:
            for ancestor in _ancestors(resolved.places[slug], resolved.places):
                if ancestor.slug not in article.places:
                    entry = within[ancestor.slug].setdefault(article.permalink, (article, []))
                    entry[1].append(resolved.places[slug])

    return Archive(
        articles=articles,
        places=resolved.places,
        actors=resolved.actors,
        articles_of={k: tuple(reversed(v)) for k, v in by_entity.items()},
        previous=previous,
        next=following,
        related={a.permalink: tuple(by_path[p] for p in related_paths[a.path]) for a in articles},
        cooccurring=cooccurring,
        children={k: tuple(sorted(v, key=lambda e: e.name.casefold())) for k, v in children.items()},
        articles_within={
            slug: tuple((article, tuple(via)) for article, via in
                        sorted(entries.values(), key=lambda e: e[0].sort_key, reverse=True))
            for slug, entries in within.items()
        },
    )


def _count_cooccurring(by_entity: dict[EntityKey, list[Article]],
                       resolved: Resolved) -> dict[EntityKey, tuple[tuple[Entity, int], ...]]:
    entities = {("place", s): e for s, e in resolved.places.items()}
    entities.update({("actor", s): e for s, e in resolved.actors.items()})
    cooccurring = {}
    for key in entities:
        counts: Counter[EntityKey] = Counter()
        for article in by_entity.get(key, ()):
            counts.update(k for k in _keys(article) if k != key)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], entities[kv[0]].name.casefold()))
        cooccurring[key] = tuple((entities[k], n) for k, n in ranked)
    return cooccurring


def _ancestors(place: Entity, places: dict[str, Entity]) -> list[Entity]:
    chain: list[Entity] = []
    current = place.within
    while current is not None and current in places and len(chain) < 50:
        chain.insert(0, places[current])
        current = places[current].within
    return chain


Shape = tuple[dt.date, dt.time, str, tuple[str, ...], tuple[str, ...]]  # time, file, places, actors


@dataclass(frozen=True)
class _Candidates:
    """What ranking an article's related articles reads: articles by entity (as positions,
    so in time order), each entity's weight, and each article's day and file."""

    shapes: list[Shape]
    by_entity: dict[EntityKey, list[int]]
    weight: dict[EntityKey, float]
    days: list[int]
    paths: list[str]


_candidates: _Candidates | None = None  # what forked workers rank from


def _find_related(shapes: list[Shape], alongside: Callable[[], object] = lambda: None) -> dict[str, tuple[str, ...]]:
    """The files of the top articles sharing entities with each article (by file): rare
    entities weigh more, and so does closeness in time. `alongside` runs meanwhile."""
    total = len(shapes)
    by_entity: dict[EntityKey, list[int]] = defaultdict(list)
    for i, (*_, places, actors) in enumerate(shapes):
        for key in _shape_keys(places, actors):
            by_entity[key].append(i)
    weight = {key: math.log(1 + total / len(group)) for key, group in by_entity.items()}
    global _candidates
    _candidates = _Candidates(shapes, by_entity, weight, [shape[0].toordinal() for shape in shapes],
                              [shape[2] for shape in shapes])
    try:
        related, _ = map_alongside(_related_of, list(range(total)), alongside)
    finally:
        _candidates = None
    return {shape[2]: found for shape, found in zip(shapes, related)}


def _related_of(i: int) -> tuple[str, ...]:
    """The files of the article at position i's related articles, best first."""
    candidates = _candidates
    *_, places, actors = candidates.shapes[i]
    half = NEAREST_FROM_COMMON_ENTITY // 2
    scores: dict[int, float] = {}
    for key in _shape_keys(places, actors):
        group = candidates.by_entity[key]
        if len(group) > NEAREST_FROM_COMMON_ENTITY:
            middle = bisect.bisect_left(group, i)
            group = group[max(0, middle - half):middle + half + 1]
        share = candidates.weight[key]
        for j in group:
            scores[j] = scores.get(j, 0.0) + share
    scores.pop(i, None)
    paths = candidates.paths
    return tuple(paths[j] for j in _best(scores, candidates.days, paths, candidates.days[i]))


def _shape_keys(places: tuple[str, ...], actors: tuple[str, ...]) -> list[EntityKey]:
    return [("place", s) for s in places] + [("actor", s) for s in actors]


def _best(scores: dict[int, float], days: list[int], paths: list[str], day: int) -> list[int]:
    """The RELATED_COUNT best candidates, by score damped with distance in time. Damping
    only lowers a score, so candidates are taken by raw score until no raw score can
    beat the last of the best."""
    ranked: list[tuple[float, int, str, int]] = []
    for j, score in sorted(scores.items(), key=itemgetter(1), reverse=True):
        if len(ranked) == RELATED_COUNT and -score > ranked[-1][0]:
            break
        distance = abs(days[j] - day)
        ranked.append((-score / (1 + distance / TIME_SCALE_DAYS), distance, paths[j], j))
        ranked.sort()
        del ranked[RELATED_COUNT:]
    return [j for *_, j in ranked]
