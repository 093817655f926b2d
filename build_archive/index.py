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
from typing import TypeVar

from .memo import Memo
from .model import Article, Entity, Resolved
from .parallel import map_alongside

RELATED_COUNT = 5
# An entity on thousands of articles says little about relatedness; from those we
# only look at the nearest articles in time, which keeps the work linear.
NEAREST_FROM_COMMON_ENTITY = 40
# Sharing entities counts most; an article five years away scores half as much.
TIME_SCALE_DAYS = 5 * 365
# An entity's page shows this many of the places, and as many of the actors, most often
# named with it; only those are kept (an entity is named with hundreds of others).
COOCCURRING_SHOWN = 10

EntityKey = tuple[str, str]  # ("place", "derna")
A = TypeVar("A")


@dataclass(frozen=True)
class Archive:
    articles: tuple[Article, ...]  # oldest first
    places: dict[str, Entity]
    actors: dict[str, Entity]
    articles_of: dict[EntityKey, tuple[Article, ...]]  # newest first
    previous: dict[str, Article | None]  # by permalink
    next: dict[str, Article | None]
    related: dict[str, tuple[Article, ...]]
    # The places and actors most often named with each entity (COOCCURRING_SHOWN of each),
    # most frequent first.
    cooccurring: dict[EntityKey, tuple[tuple[Entity, int], ...]]
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
    return _shape_keys(article.places, article.actors)


def build_archive(resolved: Resolved, memo: Memo | None = None) -> Archive:
    """The indexes of the resolved articles. The two costly ones (related articles, entities
    that occur together) read only each article's file, time, places and actors; with the
    memo of an earlier generation they are kept while those are unchanged, as when an
    editor rewords a story, and brought up to date when a few articles moved, came or went."""
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

    def count_cooccurring() -> _Cooccurrence:
        return memo.get("cooccurring", None, (shapes, resolved.places, resolved.actors),
                        lambda: _count_cooccurring(shapes, resolved),
                        update=lambda earlier, kept: _recount_cooccurring(kept, earlier, shapes, resolved))

    # Counted in this process while the workers rank related articles (then kept in the memo).
    related_paths = memo.get("related", None, shapes, lambda: _find_related(shapes, alongside=count_cooccurring),
                             update=lambda earlier, kept: _rerank_related(kept, earlier, shapes))
    cooccurring = count_cooccurring().ranked

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


Shape = tuple[dt.date, dt.time, str, tuple[str, ...], tuple[str, ...]]  # time, file, places, actors


@dataclass(frozen=True)
class _Cooccurrence:
    """How many articles name each two entities together, and what an entity's page shows
    of it: the others most often named with it, most frequent first."""

    pairs: dict[EntityKey, Counter[EntityKey]]
    ranked: dict[EntityKey, tuple[tuple[Entity, int], ...]]


def _count_cooccurring(shapes: list[Shape], resolved: Resolved) -> _Cooccurrence:
    pairs: dict[EntityKey, Counter[EntityKey]] = defaultdict(Counter)
    for *_, places, actors in shapes:
        keys = _shape_keys(places, actors)
        for key in keys:
            pairs[key].update(k for k in keys if k != key)
    entities = _entity_table(resolved.places, resolved.actors)
    return _Cooccurrence(dict(pairs), {key: _rank_companions(pairs.get(key, {}), entities) for key in entities})


def _recount_cooccurring(kept: _Cooccurrence, earlier: tuple, shapes: list[Shape],
                         resolved: Resolved) -> _Cooccurrence:
    """_count_cooccurring, from the counts of an earlier generation: only the entities of
    changed articles, and those named with a changed entity, are ranked again."""
    earlier_shapes, earlier_places, earlier_actors = earlier
    removed, added = _changed_shapes(earlier_shapes, shapes)
    pairs = dict(kept.pairs)  # the earlier generation's counts stay as they were
    counted: set[EntityKey] = set()
    for changed, step in ((removed, -1), (added, 1)):
        for *_, places, actors in changed:
            keys = _shape_keys(places, actors)
            for key in keys:
                if key not in counted:
                    counted.add(key)
                    pairs[key] = Counter(pairs.get(key, {}))
                for other in keys:
                    if other != key:
                        pairs[key][other] += step
    for key in counted:
        pairs[key] = Counter({other: n for other, n in pairs[key].items() if n > 0})
    entities = _entity_table(resolved.places, resolved.actors)
    before = _entity_table(earlier_places, earlier_actors)
    renamed = {key for key, entity in entities.items() if before.get(key) != entity} | (before.keys() - entities.keys())
    again = counted | renamed
    for key in renamed:  # an entity's new name or record shows on the pages of those named with it
        again.update(kept.pairs.get(key, {}), pairs.get(key, {}))
    return _Cooccurrence(pairs, {
        key: _rank_companions(pairs.get(key, {}), entities) if key in again or key not in kept.ranked
        else kept.ranked[key] for key in entities})


def _entity_table(places: dict[str, Entity], actors: dict[str, Entity]) -> dict[EntityKey, Entity]:
    return {**{("place", s): e for s, e in places.items()}, **{("actor", s): e for s, e in actors.items()}}


def _rank_companions(counts: Counter[EntityKey] | dict, entities: dict[EntityKey, Entity]) -> tuple[tuple[Entity, int], ...]:
    def order(item: tuple[EntityKey, int]) -> tuple:
        return -item[1], entities[item[0]].name.casefold(), item[0]

    shown = [item for kind in ("place", "actor") for item in heapq.nsmallest(
        COOCCURRING_SHOWN, (item for item in counts.items() if item[0][0] == kind), key=order)]
    return tuple((entities[key], n) for key, n in sorted(shown, key=order))


def _changed_shapes(earlier: list[Shape], shapes: list[Shape]) -> tuple[list[Shape], list[Shape]]:
    """The shapes gone since the earlier generation, and those new (an edited article's
    place or time is both)."""
    before, now = set(earlier), set(shapes)
    return [s for s in earlier if s not in now], [s for s in shapes if s not in before]


def _ancestors(place: Entity, places: dict[str, Entity]) -> list[Entity]:
    chain: list[Entity] = []
    current = place.within
    while current is not None and current in places and len(chain) < 50:
        chain.insert(0, places[current])
        current = places[current].within
    return chain


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
    related, _ = _rank(_candidates_of(shapes), list(range(len(shapes))), alongside)
    return {shape[2]: found for shape, found in zip(shapes, related)}


def _rerank_related(kept: dict[str, tuple[str, ...]], earlier: list[Shape],
                    shapes: list[Shape]) -> dict[str, tuple[str, ...]]:
    """_find_related, from the ranking of an earlier generation: only the articles whose
    candidates or their weights changed are ranked again. Those are the changed articles
    and, for each entity of theirs, the articles whose nearest of that entity they are
    among (all of the entity's articles when its weight moved)."""
    removed, added = _changed_shapes(earlier, shapes)
    if _coarse(len(earlier)) != _coarse(len(shapes)) or len(removed) + len(added) > len(shapes) // 20:
        return _find_related(shapes)  # every weight moved, or too much changed to trace
    candidates = _candidates_of(shapes)
    gone = Counter(key for *_, places, actors in removed for key in _shape_keys(places, actors))
    new = Counter(key for *_, places, actors in added for key in _shape_keys(places, actors))
    changes_of = gone + new
    position = {shape[2]: i for i, shape in enumerate(shapes)}
    again = {position[shape[2]] for shape in added}
    half = NEAREST_FROM_COMMON_ENTITY // 2
    for shape in (*removed, *added):
        for key in _shape_keys(shape[3], shape[4]):
            group = candidates.by_entity.get(key, [])
            size_before = len(group) - new[key] + gone[key]
            if (_coarse(size_before) != _coarse(len(group))
                    or min(size_before, len(group)) <= NEAREST_FROM_COMMON_ENTITY + 1):
                again.update(group)  # its weight moved, or its articles all see one another
                continue
            # Where the article is (or was) in the entity's time order; each other change of
            # the entity shifts its neighbours by at most one place.
            at = bisect.bisect_left(group, shape, key=shapes.__getitem__)
            reach = half + 1 + changes_of[key]
            again.update(group[max(0, at - reach):at + reach + 1])
    positions = sorted(again)
    related, _ = _rank(candidates, positions, lambda: None)
    ranked = {shapes[i][2]: found for i, found in zip(positions, related)}
    return {shape[2]: ranked[shape[2]] if shape[2] in ranked else kept[shape[2]] for shape in shapes}


def _candidates_of(shapes: list[Shape]) -> _Candidates:
    by_entity: dict[EntityKey, list[int]] = defaultdict(list)
    for i, (*_, places, actors) in enumerate(shapes):
        for key in _shape_keys(places, actors):
            by_entity[key].append(i)
    total = _coarse(len(shapes))
    weight = {key: math.log(1 + total / _coarse(len(group))) for key, group in by_entity.items()}
    return _Candidates(shapes, by_entity, weight, [shape[0].toordinal() for shape in shapes],
                       [shape[2] for shape in shapes])


def _coarse(count: int) -> int:
    """The count rounded down to its five leading binary digits (within 1/16): weights
    built from these move only when a count crosses a step, not with every new article,
    so an edit re-ranks the articles near it rather than the whole archive."""
    drop = max(0, count.bit_length() - 5)
    return count >> drop << drop


def _rank(candidates: _Candidates, positions: list[int], alongside: Callable[[], A]) -> tuple[list[tuple[str, ...]], A]:
    global _candidates
    _candidates = candidates
    try:
        return map_alongside(_related_of, positions, alongside)
    finally:
        _candidates = None


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
