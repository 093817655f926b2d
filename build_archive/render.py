"""Render the archive's pages: Archive → {docs path: Markdown text}.

Templates live in build_archive/templates. Every piece of text that came from
front-matter or a registry passes through the `md` filter, which makes it
inert in both Markdown and HTML; links are relative `.md` paths so MkDocs
checks every one of them.
"""

from __future__ import annotations

import functools
import html
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby, islice
from pathlib import Path
from typing import TypeVar

import jinja2

from .calendar_parts import MONTHS, Item, Part, Unit, cut_by_calendar
from .chart import Point, count_by_month, render_locator, render_month_chart
from .export import ARCHIVE_JSON, ARTICLES_CSV, ENTITIES_CSV, SCHEMA_JSON
from .feed import feed_path, feed_title
from .index import COOCCURRING_SHOWN, Archive
from .memo import Memo
from .mention import MentionIndex, build_mention_index, changed_first_words, link_first_mentions
from .model import Article, Entity, SiteText
from .output import write_file
from .parallel import map_alongside

T = TypeVar("T")
HOME_LATEST = 10
# An entity with more articles than this gets a page per year (cut further by months
# or days when a year has more), so no page grows with the archive; its main page
# shows the latest.
ENTITY_PAGE_ARTICLES = 200
ENTITY_LATEST = 10
# A year with more articles than this gets a page per month (cut further by days
# when a month has more), linked from the year's page.
YEAR_PAGE_ARTICLES = 500
MAP_PATH = "map.md"
# Tiles are the one thing a reader's browser fetches from elsewhere, and only on the map.
MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# Characters that mean something to Markdown or its extensions; written as numeric
# character references they display as themselves and can never form markup.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#!|~:<>&=^]")


# The same names and titles are escaped again and again (an entity's name on each of
# its articles' pages, a title in every list that holds it): each is worked out once.
# Kept by type too: 1 and True are equal keys but read differently.
_ESCAPES_KEPT = 1 << 14


@functools.lru_cache(maxsize=_ESCAPES_KEPT, typed=True)
def escape_markdown(text: str) -> str:
    """Text as it should read, safe to drop anywhere inline in Markdown or HTML."""
    text = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


@functools.lru_cache(maxsize=_ESCAPES_KEPT, typed=True)
def escape_attribute(text: str) -> str:
    """Text for a YAML front-matter value that themes print into HTML unescaped."""
    return json.dumps(html.escape(" ".join(str(text).split()), quote=True), ensure_ascii=False)


def escape_url(url: str) -> str:
    """A checked http(s) address, percent-encoded so it cannot end a Markdown link early."""
    return urllib.parse.quote(url, safe=":/?#@!$&+,;=%~-.")


def format_date(date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def format_number(count: int) -> str:
    """12,542: counts in the thousands are read at a glance with a separator."""
    return f"{count:,}"


def format_citation(article: Article, text: SiteText) -> str:
    """A ready-to-copy reference: who, title, source and date, where it is kept."""
    parts = []
    if article.byline:
        parts.append(", ".join(article.byline) + ".")
    title = article.title if article.title[-1:] in ".?!" else article.title + "."
    parts.append(f"“{title}”")
    published = format_date(article.date)
    parts.append(f"{article.source}, {published}." if article.source else f"{published}.")
    parts.append(f"{text.site_name}, {text.absolute(article.permalink)}")
    return " ".join(" ".join(part.split()) for part in parts)


def article_path(article: Article) -> str:
    return article.permalink[:-1] + ".md"  # articles/2016/04/derna/ is articles/2016/04/derna.md


def entity_path(entity: Entity | EntityLink) -> str:
    return f"{entity.kind}s/{entity.slug}.md"


def year_path(year: int) -> str:
    return _part_path("timeline", (year,), 1)


def _target(item: object) -> str:
    if isinstance(item, Article):
        return article_path(item)
    if isinstance(item, (Entity, EntityLink)):
        return entity_path(item)
    if isinstance(item, Part):
        return item.path
    return str(item)


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, item: object) -> str:
    """Relative link from the page being rendered to an article, entity or docs path."""
    return relative_link(context["page_path"], _target(item))


@jinja2.pass_context
def article_item(context: jinja2.runtime.Context, item: Article, via: Iterable[Entity] = ()) -> str:
    """One line of an article list: date, linked title, summary; on a place's page, the
    sub-places the article is about. Written here rather than as a template macro: lists
    hold a quarter of a million lines, and a macro call cost several times this."""
    page = context["page_path"]
    line = f"- {format_date(item.date)} · [{escape_markdown(item.title)}]({relative_link(page, article_path(item))})"
    if item.summary:
        line += f" — {escape_markdown(item.summary)}"
    if via:
        line += " · *in* " + ", ".join(f"[{escape_markdown(place.name)}]({relative_link(page, entity_path(place))})"
                                       for place in via)
    return line


def relative_link(page_path: str, target: str) -> str:
    """The link from one generated page to another; both are plain relative paths, so
    this is posixpath.relpath without its file-system calls (it runs ~25 times a page)."""
    folder, _, name = target.rpartition("/")
    return _folder_to_folder(page_path.rpartition("/")[0], folder) + name


@functools.lru_cache(maxsize=1 << 14)  # a few hundred folders hold all the pages
def _folder_to_folder(here: str, there: str) -> str:
    """The way from one folder to another, ending in "/" ("" when they are the same)."""
    here_parts = here.split("/") if here else []
    there_parts = there.split("/") if there else []
    common = 0
    for a, b in zip(here_parts, there_parts):
        if a != b:
            break
        common += 1
    steps = [".."] * (len(here_parts) - common) + there_parts[common:]
    return "/".join(steps) + "/" if steps else ""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_archive", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; text is escaped with the md filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the package: no stat() per include
    )
    env.filters.update(md=escape_markdown, attr=escape_attribute, url=escape_url, date=format_date,
                       href=_href, html=lambda text: html.escape(" ".join(str(text).split()), quote=True),
                       coordinates=format_coordinates, number=format_number)
    # What pages show per item are filters, not functions: Jinja calls a filter directly
    # but a function through the page's context, which cost more than most of them do.
    env.filters.update(article_item=article_item, feed_path=feed_path, feed_title=feed_title)
    env.globals.update(month_name=lambda m: MONTHS[m - 1], year_path=year_path, month_path=month_path,
                       map_path=MAP_PATH,
                       map_tiles=MAP_TILES, map_attribution=MAP_ATTRIBUTION)
    env.globals.update(feed_path=feed_path, data_files={
        "articles_csv": ARTICLES_CSV, "entities_csv": ENTITIES_CSV,
        "archive_json": ARCHIVE_JSON, "schema_json": SCHEMA_JSON})
    return env


@dataclass(frozen=True)
class PagePlan:
    """What one page shows: its template and every value the template reads.

    Two generations of the archive give equal plans for a page exactly when the
    page's text is the same, which is how a preview finds the pages to rebuild."""

    template: str
    values: dict[str, object]


@dataclass(frozen=True)
class EntityLink:
    """An entity as a page that only links to it shows it (an article's page, a part of
    the entity's list, another entity's page): its name, linking to its page and feed."""

    kind: str
    slug: str
    name: str


@dataclass(frozen=True)
class Lookup:
    """A value per entity for a template to ask for, e.g. count(entity); compared by content."""

    items: tuple[tuple[tuple[str, str], object], ...]
    default: object = None

    def __call__(self, entity: Entity) -> object:
        return self._table().get(entity.key, self.default)

    def _table(self) -> dict:
        table = self.__dict__.get("_cached")
        if table is None:
            table = dict(self.items)
            object.__setattr__(self, "_cached", table)
        return table


@dataclass(frozen=True)
class Counts:
    articles: int
    places: int
    actors: int


def plan_pages(archive: Archive, text: SiteText = SiteText(), memo: Memo | None = None, *,
               home_intro: str = "") -> dict[str, PagePlan]:
    """Every generated page as a plan, keyed by its path under docs/, in a stable order,
    the home page led by `home_intro` (Markdown). With the memo of an earlier generation,
    unchanged articles' bodies are not linked again."""
    memo = memo if memo is not None else Memo()
    plans: dict[str, PagePlan] = {}
    counts = Counts(len(archive.articles), len(archive.places), len(archive.actors))
    years = archive.years
    plans["index.md"] = PagePlan("home.md.j2", dict(
        text=text, latest=tuple(reversed(archive.articles[-HOME_LATEST:])), intro=home_intro,
        counts=counts, first_year=years[-1] if years else None, last_year=years[0] if years else None))
    registered = (*(e for e in archive.places.values() if e.registered),
                  *(e for e in archive.actors.values() if e.registered))
    # An index equal to the earlier one is that one, so that comparing the articles' plans
    # stays a matter of identities.
    mentions = memo.get("mention index", None, registered, lambda: build_mention_index(registered),
                        update=lambda _, kept: _same_or_new(kept, build_mention_index(registered)))
    relinks = _Relinks(mentions)
    shown = {e.key: _link_to(e, memo) for entities in (archive.places, archive.actors) for e in entities.values()}
    for article in archive.articles:
        plans[article_path(article)] = PagePlan("article.md.j2", dict(
            text=text, article=article,
            body=memo.get("linked body", article, mentions, lambda: LinkedBody(article, mentions),
                          update=lambda earlier, kept: LinkedBody(article, mentions)
                          if relinks.needed(earlier, article.body) else kept),
            places=tuple(shown["place", s] for s in article.places),
            actors=tuple(shown["actor", s] for s in article.actors),
            dateline=shown.get(("place", article.dateline)) if article.dateline else None,
            previous=archive.previous[article.permalink], next=archive.next[article.permalink],
            related=archive.related[article.permalink],
            citation=memo.get("citation", article, text, lambda: format_citation(article, text))))
    place_groups = _freeze_groups(group_by_country(archive))
    neighbours = {p.slug: (heading, group) for heading, group in place_groups for p in group}
    count = Lookup(tuple((e.key, len(archive.articles_of.get(e.key, ())))
                         for entities in (archive.places, archive.actors) for e in entities.values()), 0)
    for kind, entities in (("place", archive.places), ("actor", archive.actors)):
        for entity in entities.values():
            _plan_entity(archive, entity, plans, text, neighbours, shown, memo)
        groups = place_groups if kind == "place" else _freeze_groups(group_by_category(archive.actors.values()))
        members = [e for _, group in groups for e in group]
        plans[f"{kind}s/index.md"] = PagePlan("entities.md.j2", dict(
            text=text, kind=kind, groups=groups,
            count=Lookup(tuple((e.key, count(e)) for e in members), 0),
            parent=Lookup(tuple((e.key, archive.places.get(e.within)) for e in members if e.within))))
    places_on_map = tuple(map_places(archive))
    plans[MAP_PATH] = PagePlan("map.md.j2", dict(
        text=text, places=places_on_map, count=Lookup(tuple((e.key, count(e)) for e in places_on_map), 0)))
    plans["data.md"] = PagePlan("data.md.j2", dict(text=text, counts=counts))
    by_year = {year: [] for year in years}
    for article in archive.articles:
        by_year[article.date.year].append(article)
    months = {year: _group_by_month(by_year[year]) for year in years}
    plans["timeline/index.md"] = PagePlan("timeline.md.j2", dict(
        text=text,
        # Each month with its count and where it is listed: an anchor on its year's page,
        # or its own page in a long year.
        years=tuple((year, tuple((month, len(items), month_path(year, month)
                                  if len(by_year[year]) > YEAR_PAGE_ARTICLES else None)
                                 for month, items in months[year])) for year in years),
        chart=render_month_chart(count_by_month(a.date for a in archive.articles),
                                 title="Articles per month in the archive", chart_id="chart-archive")))
    for year in years:
        if len(by_year[year]) <= YEAR_PAGE_ARTICLES:
            plans[year_path(year)] = PagePlan("year.md.j2", dict(
                text=text, year=year, months=tuple((m, tuple(items)) for m, items in months[year]),
                month_parts=()))
            continue
        month_parts = tuple((month, len(items), tuple(month_parts_of(year, month, items)))
                            for month, items in months[year])
        plans[year_path(year)] = PagePlan("year.md.j2", dict(text=text, year=year, months=(),
                                                             month_parts=month_parts))
        for month, _, parts in month_parts:
            for i, part in enumerate(parts):
                plans[part.path] = PagePlan("month.md.j2", dict(
                    text=text, year=year, month=month, part=part,
                    previous=parts[i - 1] if i > 0 else None,
                    next=parts[i + 1] if i + 1 < len(parts) else None))
    return dict(sorted(plans.items()))


def month_path(year: int, month: int) -> str:
    """A month of a long year: the address of its first page, wherever its days are cut."""
    return _part_path("timeline", (year, month), 1)


def month_parts_of(year: int, month: int, articles: list[Article]) -> list[Part]:
    """A month of a long year (articles newest first) in pages of at most YEAR_PAGE_ARTICLES,
    cut by days: timeline/1987/03.md, timeline/1987/03/09.md, timeline/1987/03/09/page/2.md…"""
    return cut_by_calendar((year, month), [(a, ()) for a in articles], YEAR_PAGE_ARTICLES,
                           functools.partial(_part_path, "timeline"))


def _part_path(base: str, unit: Unit, number: int) -> str:
    """Where the page of a long list that starts at a year, month or day lives."""
    path = "/".join([base, str(unit[0]), *(f"{n:02d}" for n in unit[1:])])
    return f"{path}.md" if number == 1 else f"{path}/page/{number}.md"


class _Relinks:
    """Which articles the registries' latest edit links differently. A body that names
    none of the names added, removed or sent to another page is linked as before, so its
    earlier LinkedBody (holding the earlier index) still stands for it, and adding a name
    to a registry does not render every article again."""

    def __init__(self, mentions: MentionIndex) -> None:
        self._mentions = mentions
        self._words: dict[int, tuple[str, ...]] = {}  # by id of an earlier index, worked out once

    def needed(self, earlier: MentionIndex, body: str) -> bool:
        words = self._words.get(id(earlier))
        if words is None:
            words = self._words[id(earlier)] = changed_first_words(earlier, self._mentions)
        return any(word in body for word in words)


def _link_to(entity: Entity, memo: Memo) -> EntityLink:
    """The entity's EntityLink, kept while its name is the same, so that its description
    edited doesn't render again all the pages that link to it."""
    return memo.get("link", entity, None, lambda: EntityLink(entity.kind, entity.slug, entity.name))


def _same_or_new(kept: T, new: T) -> T:
    return kept if new == kept else new


def _freeze_groups(groups: list[tuple[str, list[Entity]]]) -> tuple[tuple[str, tuple[Entity, ...]], ...]:
    return tuple((heading, tuple(group)) for heading, group in groups)


def _plan_entity(archive: Archive, entity: Entity, plans: dict[str, PagePlan], text: SiteText,
                 neighbours: dict, shown: dict[tuple[str, str], EntityLink], memo: Memo) -> None:
    """An entity's page; one with many articles links to a page per year (or part of one).
    Other entities it links to are in it as `shown`, by name and address only."""
    articles = archive.articles_of.get(entity.key, ())
    listing = tuple(archive.listing(entity))
    cooccurring = archive.cooccurring.get(entity.key, ())
    is_place = entity.kind == "place"
    values = dict(
        text=text, entity=entity, articles=articles, count=len(listing), listing_count=len(listing),
        chart=EntityChart(entity, listing),
        locator=render_place_locator(entity, *neighbours[entity.slug]) if is_place else "",
        ancestors=tuple(shown[e.key] for e in archive.ancestors(entity)) if is_place else (),
        children=tuple(shown[e.key] for e in archive.children.get(entity.slug, ())) if is_place else (),
        cooccurring_places=tuple((shown[e.key], n) for e, n in _first_of_kind(cooccurring, "place")),
        cooccurring_actors=tuple((shown[e.key], n) for e, n in _first_of_kind(cooccurring, "actor")))
    main_path = entity_path(entity)
    if len(listing) <= ENTITY_PAGE_ARTICLES:
        plans[main_path] = PagePlan("entity.md.j2", dict(
            values, by_year=memo.get("by year", entity, listing, lambda: _group_by_year(listing)),
            latest=(), parts_by_year=()))
        return
    parts = memo.get("parts", entity, listing, lambda: entity_parts(entity, listing))
    parts_by_year = []
    for year, group in groupby(parts, key=lambda p: p.year):
        group = tuple(group)
        parts_by_year.append((year, sum(len(p.articles) for p in group), group))
    plans[main_path] = PagePlan("entity.md.j2", dict(
        values, by_year=(), latest=listing[:ENTITY_LATEST], parts_by_year=tuple(parts_by_year)))
    for i, part in enumerate(parts):
        plans[part.path] = PagePlan("entity_part.md.j2", dict(
            text=text, entity=shown[entity.key], part=part,
            previous=parts[i - 1] if i > 0 else None,
            next=parts[i + 1] if i + 1 < len(parts) else None))


def _first_of_kind(cooccurring: tuple[tuple[Entity, int], ...], kind: str) -> tuple[tuple[Entity, int], ...]:
    return tuple(islice(((e, n) for e, n in cooccurring if e.kind == kind), COOCCURRING_SHOWN))


def entity_parts(entity: Entity, listing: tuple[Item, ...]) -> list[Part]:
    """Articles (newest first, with the sub-places they are via) split by year, and a long
    year cut by months or days into pages of at most ENTITY_PAGE_ARTICLES:
    places/usa/1987.md, places/usa/1987/04.md, places/usa/1987/04/07.md…"""
    path_of = functools.partial(_part_path, entity_path(entity)[:-len(".md")])
    return [part for year, group in _group_by_year(listing)
            for part in cut_by_calendar((year,), list(group), ENTITY_PAGE_ARTICLES, path_of)]


def render_pages(archive: Archive, text: SiteText = SiteText(), *, home_intro: str = "") -> dict[str, str]:
    """Every generated page, keyed by its path under docs/, in a stable order."""
    renderer = PageRenderer()
    plans = plan_pages(archive, text, home_intro=home_intro)
    return {path: renderer.render(path, plan) for path, plan in plans.items()}


class PageRenderer:
    """Turns plans into Markdown, with the templates loaded once."""

    def __init__(self) -> None:
        self._env = _environment()
        self._templates: dict[str, jinja2.Template] = {}

    def render(self, path: str, plan: PagePlan) -> str:
        template = self._templates.get(plan.template)
        if template is None:
            template = self._templates[plan.template] = self._env.get_template(plan.template)
        return template.render(page_path=path, **plan.values)


@functools.cache
def shared_renderer() -> PageRenderer:
    """One renderer for all of a process's generations: a preview renders a few pages
    per rebuild, and compiling the templates again took longer than that."""
    return PageRenderer()


_plans: dict[str, PagePlan] = {}  # what forked workers render from
_folder = Path()  # where they write the pages, for write_all


def render_all(plans: dict[str, PagePlan], alongside: Callable[[], T]) -> tuple[dict[str, str], T]:
    """Every page of `plans` rendered (on every core), in their order, and the result of
    `alongside()`, which runs in this process meanwhile."""
    global _plans
    _plans = plans
    try:
        texts, other = map_alongside(_render_page, list(plans), alongside)
    finally:
        _plans = {}
    return dict(zip(plans, texts)), other


def write_all(plans: dict[str, PagePlan], folder: Path, alongside: Callable[[], T]) -> T:
    """render_all, with each page written into `folder` by the worker that rendered it,
    which spares sending the Markdown back to this process."""
    global _plans, _folder
    _plans, _folder = plans, folder
    try:
        return map_alongside(_write_page, list(plans), alongside)[1]
    finally:
        _plans, _folder = {}, Path()


def _render_page(path: str) -> str:
    return shared_renderer().render(path, _plans[path])


def _write_page(path: str) -> None:
    write_file(_folder, path, _render_page(path).encode("utf-8"))


@dataclass(frozen=True)
class LinkedBody:
    """An article's body with its first mentions linked, worked out as its page is
    rendered (by a worker process, for a large archive), not while pages are planned."""

    article: Article
    mentions: MentionIndex

    def __str__(self) -> str:
        return link_body(self.article, self.mentions)


@dataclass(frozen=True)
class EntityChart:
    """An entity's articles per month as a chart, drawn as its page is rendered (by a
    worker process, for a large archive), not while pages are planned."""

    entity: Entity
    listing: tuple[tuple[Article, tuple[Entity, ...]], ...]

    def __bool__(self) -> bool:
        return bool(self.listing)

    def __str__(self) -> str:
        return render_month_chart(count_by_month(a.date for a, _ in self.listing),
                                  title=f"Articles per month about {self.entity.name}",
                                  chart_id=f"chart-{self.entity.kind}-{self.entity.slug}")


def link_body(article: Article, mentions: MentionIndex) -> str:
    """The article's body with first mentions of known entities linked, unless it opts out."""
    if not article.autolink:
        return article.body
    here = article_path(article)
    return link_first_mentions(article.body, mentions, lambda e: relative_link(here, entity_path(e)))


def render_place_locator(place: Entity, region: str, group: list[Entity]) -> str:
    """The place among the nearest places of its country with coordinates (never the
    country itself, whose point is only its middle)."""
    if not place.coordinates or place.category.casefold() == "country":
        return ""
    others = [Point(p.name, *p.coordinates) for p in group
              if p.coordinates and p.slug != place.slug and p.category.casefold() != "country"]
    return render_locator(Point(place.name, *place.coordinates), others,
                          chart_id=f"locator-{place.slug}",
                          region=region if region != "Other places" else "the archive")


def format_coordinates(coordinates: tuple[float, float]) -> str:
    """[32.767, 22.637] as readers write it: 32.767° N, 22.637° E."""
    lat, lon = coordinates
    return f"{abs(lat):g}° {'N' if lat >= 0 else 'S'}, {abs(lon):g}° {'E' if lon >= 0 else 'W'}"


def map_places(archive: Archive) -> list[Entity]:
    """Places with coordinates, A–Z."""
    return sorted((p for p in archive.places.values() if p.coordinates),
                  key=lambda e: (_sort_name(e.name), e.slug))


def country_of(place: Entity, archive: Archive) -> Entity | None:
    """The nearest place of kind 'country' that holds this one (or is it)."""
    for candidate in [place, *reversed(archive.ancestors(place))]:
        if candidate.category.casefold() == "country":
            return candidate
    return None


def group_by_country(archive: Archive) -> list[tuple[str, list[Entity]]]:
    """Places A–Z under their country, countries A–Z; places in no country come last."""
    groups: dict[tuple, list[Entity]] = {}
    for place in archive.places.values():
        country = country_of(place, archive)
        key = (0, _sort_name(country.name), country.slug, country.name) if country else (1, "", "", "Other places")
        groups.setdefault(key, []).append(place)
    # The country itself heads its group.
    return [(key[3], sorted(groups[key], key=lambda e: (e.slug != key[2], _sort_name(e.name), e.slug)))
            for key in sorted(groups)]


def group_by_category(entities: Iterable[Entity]) -> list[tuple[str, list[Entity]]]:
    """Entities A–Z under their kind (Armed groups, Governments, People…); no kind comes last."""
    groups: dict[tuple, list[Entity]] = {}
    for entity in entities:
        category = " ".join(entity.category.casefold().split())
        key = (0, category) if category else (1, "")
        groups.setdefault(key, []).append(entity)
    return [(_plural_heading(key[1]) if key[1] else "Other", _sort_entities(groups[key]))
            for key in sorted(groups)]


_IRREGULAR_PLURALS = {"person": "people", "media": "media", "militia": "militias", "police": "police"}


def _plural_heading(category: str) -> str:
    """'armed group' → 'Armed groups', 'person' → 'People'."""
    *rest, last = category.split(" ")
    if last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    text = " ".join([*rest, last])
    return text[:1].upper() + text[1:]


def _sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (_sort_name(e.name), e.slug))


def _group_by_year(listing: Iterable[tuple[Article, tuple[Entity, ...]]]) -> list[tuple[int, tuple]]:
    return [(year, tuple(group)) for year, group in groupby(listing, key=lambda item: item[0].date.year)]


def _group_by_month(articles: list[Article]) -> list[tuple[int, list[Article]]]:
    """Months newest first, each month's articles newest first."""
    newest_first = sorted(articles, key=lambda a: a.sort_key, reverse=True)
    return [(month, list(group)) for month, group in groupby(newest_first, key=lambda a: a.date.month)]


def _sort_name(name: str) -> str:
    """Sort 'al-Fatayeh' under F, as readers look for it."""
    lowered = name.casefold()
    for prefix in ("al-", "el-", "the "):
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            return lowered[len(prefix):]
    return lowered
