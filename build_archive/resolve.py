"""Validate what was read and turn names into entities: Sources → Resolved.

Every field is checked against the front-matter contract (DESIGN.md); names in
articles are matched to registry entries through their aliases, and slugs are
made and checked for collisions. Problems are collected, never raised.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slugify import slugify

from .memo import Memo
from .model import Article, Entity, Link, Published, Resolved, SourceArticle, SourceEntity, Sources
from .moved import find_moves
from .problem import Problem, error, warning
from .safe_yaml import INVALID

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
PUBLISHED_RECORD = "published.yml"
RESERVED_SLUGS = {"index", "feeds", "page"}
KNOWN_FIELDS = {
    "title", "date", "places", "actors", "slug", "summary", "source", "byline",
    "dateline", "url", "language", "draft", "autolink",
}
ENTITY_FIELDS = {"aliases", "kind", "description", "within", "coordinates", "wikidata", "links"}


# The same unregistered names recur in thousands of articles (a wire's datelines).
@functools.lru_cache(maxsize=1 << 16)
def make_slug(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True)


def resolve_sources(sources: Sources, *, today: dt.date | None = None,
                    memo: Memo | None = None) -> tuple[Resolved, list[Problem]]:
    """With the memo of an earlier generation, an article read from the same file as then,
    against the same registries, is not checked again: its result and problems are kept."""
    memo = memo if memo is not None else Memo()
    problems: list[Problem] = []
    places = _EntityTable("place", sources.places, problems)
    actors = _EntityTable("actor", sources.actors, problems)
    places.check_hierarchy(problems)
    actors.check_names_against(places, problems)
    today = today or dt.date.today()
    # The registries as one token, new whenever they change: each article's check is kept
    # while the token is the same, and comparing 20,000 articles' inputs stays instant
    # (comparing the registries themselves took a millisecond an article).
    registries = memo.get("registries", None, (sources.places, sources.actors, today), object)
    articles: list[Article] = []
    permalinks: dict[str, Article] = {}
    resolved = []
    for source in sources.articles:
        article, found, unknown = memo.get("resolved", source, registries,
                                           lambda: _resolve_recording(source, places, actors, today))
        problems.extend(found)
        for kind, slug, name in unknown:  # the same unregistered entities as checking again makes
            (places if kind == "place" else actors).add_unregistered(slug, name)
        if article is not None and not article.draft:
            resolved.append((source, article))
    moves, found = find_moves(sources.published, [a for _, a in resolved],
                              {source.name for source in sources.articles})
    problems.extend(found)
    for source, article in resolved:
        article = _keep_published_address(article, source, sources.published,
                                          moves.get(article.name, article.name))
        first = permalinks.get(article.permalink)
        if first:
            problems.append(error(
                source.path, *source.position("slug" if "slug" in source.fields else "title"),
                f"this article's address /{article.permalink} is already used by {first.path}: "
                "give one of them a different 'slug:'",
            ))
            continue
        permalinks[article.permalink] = article
        articles.append(article)
    articles.sort(key=lambda a: a.sort_key)
    for table, published in ((places, sources.published.places), (actors, sources.published.actors)):
        table.check_published(published, problems)
    return Resolved(tuple(articles), places.entities, actors.entities), problems


def _resolve_recording(source: SourceArticle, places: _EntityTable, actors: _EntityTable,
                       today: dt.date) -> tuple[Article | None, list[Problem], list[tuple]]:
    """The article, its problems, and the names it gave unregistered entities."""
    found: list[Problem] = []
    places.unknown_seen.clear()
    actors.unknown_seen.clear()
    article = _resolve_article(source, places, actors, today, found)
    unknown = [(table.kind, *seen) for table in (places, actors) for seen in table.unknown_seen]
    return article, found, unknown


class _EntityTable:
    """One registry: its entities by slug and a lookup from every name and alias."""

    def __init__(self, kind: str, sources: tuple[SourceEntity, ...], problems: list[Problem]):
        self.kind = kind
        self.entities: dict[str, Entity] = {}
        self.by_name: dict[str, str] = {}  # casefolded name or alias → slug
        self.names: dict[str, str] = {}  # display name or alias → slug, for suggestions
        self.origin: dict[str, SourceEntity] = {}
        self.unknown_seen: list[tuple[str, str]] = []  # (slug, name) of unknown names, as met
        # An unknown name is often met in thousands of articles (a wire's datelines);
        # finding the closest registered name once spares most of the resolve's time.
        self.suggestions: dict[str, str] = {}
        for source in sources:
            entity = _resolve_entity(kind, source, problems)
            if entity is not None:
                self._add(entity, source, problems)

    def _add(self, entity: Entity, source: SourceEntity, problems: list[Problem]) -> None:
        other = self.origin.get(entity.slug)
        if other:
            problems.append(error(source.path, source.line, source.column,
                                  f"'{entity.name}' has the same page address ({self.kind}s/{entity.slug}/) "
                                  f"as '{other.name}' ({_where(other)}): rename one of them"))
            return
        for label in (entity.name, *entity.aliases):
            folded = label.casefold()
            owner = self.by_name.get(folded)
            if owner and owner != entity.slug:
                first = self.entities[owner]
                problems.append(error(
                    source.path, *_position_of_label(source, entity, label),
                    f"'{label}' already names '{first.name}' ({_where(self.origin[owner])}): "
                    "a name or alias can belong to one entry only",
                ))
                continue
            self.by_name[folded] = entity.slug
            self.names[label] = entity.slug
        self.entities[entity.slug] = entity
        self.origin[entity.slug] = source

    def check_names_against(self, other: _EntityTable, problems: list[Problem]) -> None:
        """A name may not mean a place and an actor at once: mentions would be ambiguous."""
        for slug, entity in self.entities.items():
            source = self.origin[slug]
            for label in (entity.name, *entity.aliases):
                owner = other.by_name.get(label.casefold())
                if owner:
                    problems.append(error(
                        source.path, *_position_of_label(source, entity, label),
                        f"'{label}' already names the {other.kind} '{other.entities[owner].name}' "
                        f"({_where(other.origin[owner])}): a name or alias can belong to one entry "
                        "only; rename one of them or drop the alias",
                    ))

    def check_hierarchy(self, problems: list[Problem]) -> None:
        """Resolve each `within` to a slug, refusing unknown parents and cycles."""
        for slug, entity in list(self.entities.items()):
            if entity.within is None:
                continue
            source = self.origin[slug]
            parent = self.by_name.get(entity.within.casefold())
            if parent is None:
                problems.append(error(source.path, *source.position("within"),
                                      f"'within: {entity.within}' names no place in this file"
                                      f"{self.did_you_mean(entity.within)}"))
                parent_slug = None
            else:
                parent_slug = parent
            self.entities[slug] = replace(entity, within=parent_slug)
        for slug in self.entities:
            seen = [slug]
            current = self.entities[slug].within
            while current is not None:
                if current == slug:
                    source = self.origin[slug]
                    chain = " › ".join(self.entities[s].name for s in seen + [slug])
                    problems.append(error(source.path, *source.position("within"),
                                          f"'within' goes round in a circle: {chain}"))
                    break
                if current in seen:
                    break  # a cycle that does not pass through this place; reported at its members
                seen.append(current)
                current = self.entities[current].within

    def check_published(self, published: tuple[str, ...], problems: list[Problem]) -> None:
        """A published entity address must live on, as the page or as an alias's redirect."""
        known = set(self.entities)
        for entity in self.entities.values():
            known.update(make_slug(alias) for alias in entity.aliases)
        for slug in published:
            if slug not in known:
                problems.append(warning(
                    f"articles/{PUBLISHED_RECORD}", 1, 1,
                    f"the address {self.kind}s/{slug}/ was published but no {self.kind} or alias "
                    f"has that name any more, so the old address breaks: keep the old name as an "
                    f"alias in articles/{self.kind}s.yml",
                ))

    def lookup(self, name: str, path: str, where: tuple[int, int], problems: list[Problem]) -> str | None:
        """The slug for a name in an article; an unknown name gets an entity of its own."""
        slug = self.by_name.get(name.casefold())
        if slug:
            return slug
        slug = make_slug(name)
        if not slug:
            problems.append(error(path, *where, f"the {self.kind} name {name!r} has no letters or "
                                                "digits to make a page address from"))
            return None
        problems.append(warning(
            path, *where,
            f"'{name}' is not in {self.kind}s.yml{self.did_you_mean(name)}; "
            f"add it to articles/{self.kind}s.yml (or as an alias of an existing entry)",
        ))
        self.unknown_seen.append((slug, name))
        self.add_unregistered(slug, name)
        return slug

    def did_you_mean(self, name: str) -> str:
        suggestion = self.suggestions.get(name)
        if suggestion is None:
            suggestion = self.suggestions[name] = _did_you_mean(name, self.names)
        return suggestion

    def add_unregistered(self, slug: str, name: str) -> None:
        """An entity for a name no registry lists; the first spelling met names it."""
        if slug not in self.entities:
            self.entities[slug] = Entity(self.kind, slug, name, registered=False)


def _where(source: SourceEntity) -> str:
    return f"{source.path}:{source.line}"


def _position_of_label(source: SourceEntity, entity: Entity, label: str) -> tuple[int, int]:
    """Where a name or one of its aliases is written."""
    if label == entity.name:
        return (source.line, source.column)
    aliases = source.fields.get("aliases")
    if isinstance(aliases, list):
        for i, alias in enumerate(aliases):
            if isinstance(alias, str) and " ".join(alias.split()) == label:
                return source.position("aliases", i)
    return source.position("aliases")
def _keep_published_address(article: Article, source: SourceArticle, published: Published,
                            recorded_as: str) -> Article:
    """A published slug is kept when the title changes (unless the editor sets `slug:`);
    every other address the article had stays as a redirect to it. `recorded_as` is the
    article's entry in the record: its own file name, or the old one of a moved file."""
    entry = published.articles.get(recorded_as)
    if entry is None or not entry.addresses:
        return article
    if "slug" not in source.fields:
        article = replace(article, slug=entry.addresses[-1].rstrip("/").rsplit("/", 1)[-1])
    return replace(article, former=tuple(p for p in entry.addresses if p != article.permalink),
                   recorded_as=recorded_as)


def _did_you_mean(name: str, names: dict[str, str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.75)
    if not close:
        folded = {n.casefold(): n for n in names}
        close = [folded[c] for c in difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.75)]
    return f" (did you mean '{close[0]}'?)" if close else ""


# ---- field checks -------------------------------------------------------------------

class _Fields:
    """Typed access to one record's fields, reporting wrong types where they sit."""

    def __init__(self, path: str, fields: dict[str, Any], position: Callable[..., tuple[int, int]],
                 problems: list[Problem]):
        self.path = path
        self.fields = fields
        self.position = position
        self.problems = problems
        self.ok = True

    def fail(self, key: Any, message: str, *sub: Any) -> None:
        self.problems.append(error(self.path, *self.position(key, *sub), message))
        self.ok = False

    def text(self, key: str, *, required: bool = False, example: str = "") -> str:
        value = self.fields.get(key)
        if value is INVALID:
            self.ok = False
            return ""
        if value is None:
            if required and key not in self.fields:
                self.problems.append(error(self.path, 1, 1, f"'{key}' is missing: add a line "
                                                            f"'{key}: {example}' to the front-matter"))
                self.ok = False
            elif required:
                self.fail(key, f"'{key}' is empty: write it, e.g. {key}: {example}")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text, not {_kind_of(value)}: {key}: {example or '…'}")
            return ""
        if not isinstance(value, str):
            if required:
                self.fail(key, f"'{key}' must be text, not a number: put it in quotes, "
                               f"{key}: \"{value}\"")
                return ""
            value = str(value)
        value = " ".join(value.split()) if key != "description" else value.strip()
        if required and not value:
            self.fail(key, f"'{key}' is empty: write it, e.g. {key}: {example}")
        return value

    def switch(self, key: str, *, default: bool) -> bool:
        value = self.fields.get(key, default)
        if value is INVALID:  # already reported where it was read
            self.ok = False
            return default
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, not {value!r}: {key}: {str(not default).lower()}")
            return default
        return value

    def names(self, key: str, example: str) -> list[tuple[str, tuple[int, int]]]:
        """A list of names, each with its position."""
        value = self.fields.get(key)
        if value is None or value is INVALID:
            self.ok = self.ok and value is None
            return []
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, even of one: {key}: [{example}]")
            return []
        result = []
        for i, item in enumerate(value):
            if item is INVALID:
                self.ok = False
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.fail(key, f"each of '{key}' must be a name, like {example}", i)
                continue
            result.append((" ".join(str(item).split()), self.position(key, i)))
        return result


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return type(value).__name__


def _resolve_article(source: SourceArticle, places: _EntityTable, actors: _EntityTable,
                     today: dt.date, problems: list[Problem]) -> Article | None:
    f = _Fields(source.path, source.fields, source.position, problems)
    title = f.text("title", required=True, example='"Fighting resumes in Derna"')
    date, time = _check_date(source, f, today)
    slug = _check_slug(source, f, title)
    place_slugs = _lookup_all(f.names("places", "Derna"), places, source.path, problems)
    actor_slugs = _lookup_all(f.names("actors", "Islamic State"), actors, source.path, problems)
    byline = [name for name, _ in f.names("byline", "Ayman al-Warfalli")]
    dateline_name = f.text("dateline", example="Benghazi")
    dateline = (places.lookup(dateline_name, source.path, source.position("dateline"), problems)
                if dateline_name else None)
    url = _check_url(f)
    draft = f.switch("draft", default=False)
    autolink = f.switch("autolink", default=True)
    summary = f.text("summary")
    source_name = f.text("source", example="Reuters")
    language = f.text("language", example="en")
    extra = []
    for key in source.fields:
        if key not in KNOWN_FIELDS:
            suggestion = difflib.get_close_matches(key, sorted(KNOWN_FIELDS), n=1)
            hint = f" (did you mean '{suggestion[0]}'?)" if suggestion else ""
            problems.append(warning(source.path, *source.position(key, "<key>"),
                                    f"unknown field '{key}'{hint}: it is kept but not shown"))
            extra.append((key, source.fields[key]))
    if not f.ok or date is None or not slug:
        return None
    return Article(
        path=source.path, slug=slug, title=title, date=date, time=time, body=source.body,
        places=place_slugs, actors=actor_slugs, summary=summary, source=source_name,
        byline=tuple(byline), dateline=dateline, url=url, language=language or None,
        draft=draft, autolink=autolink, extra=tuple(extra), name=source.name,
    )


def _check_date(source: SourceArticle, f: _Fields, today: dt.date) -> tuple[dt.date | None, dt.time | None]:
    value = source.fields.get("date")
    if value is INVALID:  # an impossible date, reported where it was read
        f.ok = False
        return None, None
    if value is None:
        if "date" not in source.fields:
            f.problems.append(error(source.path, 1, 1, "'date' is missing: add a line "
                                                       "'date: YYYY-MM-DD' to the front-matter"))
            f.ok = False
        else:
            f.fail("date", "'date' is empty: write the date as YYYY-MM-DD")
        return None, None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip()) if len(value.strip()) > 10 \
                else dt.date.fromisoformat(value.strip())
        except ValueError:
            f.fail("date", f"'date' must be a real date written YYYY-MM-DD, not {value!r}")
            return None, None
    if isinstance(value, dt.datetime):
        date, time = value.date(), value.time().replace(tzinfo=None)
    elif isinstance(value, dt.date):
        date, time = value, None
    else:
        f.fail("date", f"'date' must be a date written YYYY-MM-DD, not {_kind_of(value)}")
        return None, None
    if date > today:
        f.problems.append(warning(source.path, *source.position("date"),
                                  f"the date {date.isoformat()} is in the future: check it"))
    return date, time


def _check_slug(source: SourceArticle, f: _Fields, title: str) -> str:
    if "slug" in source.fields:
        slug = source.fields["slug"]
        if slug is INVALID:
            f.ok = False
            return ""
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            f.fail("slug", f"'slug' must be lower-case letters, digits and single hyphens, "
                           f"like derna-offensive; {str(slug)!r} is not")
            return ""
        return slug
    if not title:
        return ""
    slug = make_slug(title)
    if not slug:
        f.fail("title", "the title has no letters or digits to make a page address from: "
                        "add 'slug: some-words' to the front-matter")
    return slug


def _check_url(f: _Fields) -> str | None:
    url = f.text("url", example="https://www.reuters.com/…")
    if not url:
        return None
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        f.fail("url", "'url' must be a web address starting with https:// or http://")
        return None
    return url


def _lookup_all(names: list[tuple[str, tuple[int, int]]], table: _EntityTable, path: str,
                problems: list[Problem]) -> tuple[str, ...]:
    slugs: list[str] = []
    for name, where in names:
        slug = table.lookup(name, path, where, problems)
        if slug and slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)


def _resolve_entity(kind: str, source: SourceEntity, problems: list[Problem]) -> Entity | None:
    f = _Fields(source.path, source.fields, source.position, problems)
    name = " ".join(source.name.split())
    slug = make_slug(name)
    if not slug:
        problems.append(error(source.path, source.line, source.column,
                              f"{name!r} has no letters or digits to make a page address from"))
        return None
    if slug in RESERVED_SLUGS:
        problems.append(error(source.path, source.line, source.column,
                              f"{name!r} would take the reserved page address '{slug}': rename it"))
        return None
    aliases = tuple(n for n, _ in f.names("aliases", "Darnah") if n != name)
    coordinates = _check_coordinates(f) if kind == "place" else None
    within = f.text("within", example="Libya") or None
    if within and kind != "place":
        f.fail("within", "'within' is for places only")
    wikidata = f.text("wikidata", example="Q1016") or None
    if wikidata and not WIKIDATA_PATTERN.match(wikidata):
        f.fail("wikidata", f"'wikidata' must be an item id like Q1016, not {wikidata!r}")
    links = _check_links(f)
    for key in source.fields:
        if key not in ENTITY_FIELDS:
            problems.append(warning(source.path, *source.position(key, "<key>"),
                                    f"unknown field '{key}' for '{name}': it is kept but not shown"))
    entity = Entity(
        kind=kind, slug=slug, name=name, aliases=aliases,
        category=f.text("kind", example="city"), description=f.text("description"),
        within=within if kind == "place" else None, coordinates=coordinates, wikidata=wikidata,
        links=links,
    )
    return entity if f.ok else None


def _check_links(f: _Fields) -> tuple[Link, ...]:
    """Optional further reading: a mapping of title → web address, or a list of addresses."""
    value = f.fields.get("links")
    if value is None or value is INVALID:
        f.ok = f.ok and value is None
        return ()
    example = "links:\n    Wikipedia: https://en.wikipedia.org/wiki/Derna"
    if isinstance(value, dict):
        items = [(str(title), url, title) for title, url in value.items()]
    elif isinstance(value, list):
        items = [(url if isinstance(url, str) else "", url, i) for i, url in enumerate(value)]
    else:
        f.fail("links", f"'links' must map titles to web addresses, e.g.\n  {example}")
        return ()
    links = []
    for title, url, key in items:
        if url is INVALID:
            f.ok = False
            continue
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+\S*$", url.strip(), re.IGNORECASE):
            f.fail("links", f"each link must be a web address starting with https:// or http://, "
                            f"not {url!r}: {example}", key)
            continue
        url = url.strip()
        if isinstance(key, int):  # a bare address: show its site's name
            title = re.sub(r"^www\.", "", url.split("/")[2])
        links.append(Link(" ".join(title.split()) or url, url))
    return tuple(links)


def _check_coordinates(f: _Fields) -> tuple[float, float] | None:
    value = f.fields.get("coordinates")
    if value is None or value is INVALID:
        f.ok = f.ok and value is None
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        f.fail("coordinates", "'coordinates' must be [latitude, longitude], e.g. [32.767, 22.637]")
        return None
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        f.fail("coordinates", f"coordinates [{lat}, {lon}] are out of range: latitude is -90…90, "
                              "longitude -180…180, in that order")
        return None
    return (lat, lon)
