"""Render the archive's pages: Archive → {docs path: Markdown text}.

Templates live in build_archive/templates. Every piece of text that came from
front-matter or a registry passes through the `md` filter, which makes it
inert in both Markdown and HTML; links are relative `.md` paths so MkDocs
checks every one of them.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

import jinja2

from .index import Archive
from .model import Article, Entity

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
HOME_LATEST = 10
# An entity with more articles than this gets a page per year (split further when a
# year has more), so no page grows with the archive; its main page shows the latest.
ENTITY_PAGE_ARTICLES = 200
ENTITY_LATEST = 10
# Characters that mean something to Markdown or its extensions; written as numeric
# character references they display as themselves and can never form markup.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#!|~:<>&=^]")


@dataclass(frozen=True)
class SiteText:
    """Hand-written text that goes into generated pages."""

    home_intro: str = ""


def escape_markdown(text: str) -> str:
    """Text as it should read, safe to drop anywhere inline in Markdown or HTML."""
    text = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def escape_attribute(text: str) -> str:
    """Text for a YAML front-matter value that themes print into HTML unescaped."""
    return json.dumps(html.escape(" ".join(str(text).split()), quote=True), ensure_ascii=False)


def escape_url(url: str) -> str:
    """A checked http(s) address, percent-encoded so it cannot end a Markdown link early."""
    return urllib.parse.quote(url, safe=":/?#@!$&+,;=%~-.")


def format_date(date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def article_path(article: Article) -> str:
    return f"articles/{article.date.year:04d}/{article.date.month:02d}/{article.slug}.md"


def entity_path(entity: Entity) -> str:
    return f"{entity.kind}s/{entity.slug}.md"


def year_path(year: int) -> str:
    return f"timeline/{year}.md"


def _target(item: object) -> str:
    if isinstance(item, Article):
        return article_path(item)
    if isinstance(item, Entity):
        return entity_path(item)
    if isinstance(item, Part):
        return item.path
    return str(item)


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, item: object) -> str:
    """Relative link from the page being rendered to an article, entity or docs path."""
    return relative_link(context["page_path"], _target(item))


def relative_link(page_path: str, target: str) -> str:
    """The link from one generated page to another; both are plain relative paths, so
    this is posixpath.relpath without its file-system calls (it runs ~20 times a page)."""
    here = page_path.split("/")[:-1]
    there = target.split("/")
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


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
                       href=_href)
    env.globals.update(month_name=lambda m: MONTHS[m - 1], year_path=year_path)
    return env


@dataclass(frozen=True)
class PagePlan:
    """What one page shows: its template and every value the template reads.

    Two generations of the archive give equal plans for a page exactly when the
    page's text is the same, which is how a preview finds the pages to rebuild."""

    template: str
    values: dict[str, object]


@dataclass(frozen=True)
class Part:
    """One page of an entity's articles: a year, split further when the year is long."""

    path: str
    year: int
    number: int  # 1, 2… within the year
    articles: tuple[Article, ...]  # newest first

    @property
    def label(self) -> str:
        newest, oldest = self.articles[0].date, self.articles[-1].date
        if newest == oldest:
            return f"{oldest.day} {MONTHS[oldest.month - 1]}"
        return f"{oldest.day} {MONTHS[oldest.month - 1]} – {newest.day} {MONTHS[newest.month - 1]}"


def plan_pages(archive: Archive, text: SiteText = SiteText()) -> dict[str, PagePlan]:
    """Every generated page as a plan, keyed by its path under docs/, in a stable order."""
    plans: dict[str, PagePlan] = {}
    counts = {"articles": len(archive.articles), "places": len(archive.places),
              "actors": len(archive.actors)}
    years = archive.years
    plans["index.md"] = PagePlan("home.md.j2", dict(
        latest=tuple(reversed(archive.articles[-HOME_LATEST:])), intro=text.home_intro,
        counts=counts, first_year=years[-1] if years else None, last_year=years[0] if years else None))
    for article in archive.articles:
        plans[article_path(article)] = PagePlan("article.md.j2", dict(
            article=article,
            places=tuple(archive.places[s] for s in article.places),
            actors=tuple(archive.actors[s] for s in article.actors),
            dateline=archive.places.get(article.dateline) if article.dateline else None,
            previous=archive.previous[article.permalink], next=archive.next[article.permalink],
            related=archive.related[article.permalink]))
    for kind, entities in (("place", archive.places), ("actor", archive.actors)):
        for entity in entities.values():
            _plan_entity(archive, entity, plans)
        plans[f"{kind}s/index.md"] = PagePlan("entities.md.j2", dict(
            kind=kind, by_letter=_group_by_letter(
                (e, len(archive.articles_of.get(e.key, ()))) for e in entities.values())))
    by_year = {year: [] for year in years}
    for article in archive.articles:
        by_year[article.date.year].append(article)
    months = {year: _group_by_month(by_year[year]) for year in years}
    plans["timeline/index.md"] = PagePlan("timeline.md.j2", dict(years=[
        (year, [(month, len(items)) for month, items in months[year]]) for year in years]))
    for year in years:
        plans[year_path(year)] = PagePlan("year.md.j2", dict(year=year, months=months[year]))
    return dict(sorted(plans.items()))


def _plan_entity(archive: Archive, entity: Entity, plans: dict[str, PagePlan]) -> None:
    """An entity's page; one with many articles links to a page per year (or part of one)."""
    articles = archive.articles_of.get(entity.key, ())
    is_place = entity.kind == "place"
    values = dict(
        entity=entity, count=len(articles),
        ancestors=tuple(archive.ancestors(entity)) if is_place else (),
        children=archive.children.get(entity.slug, ()) if is_place else (),
        cooccurring=archive.cooccurring.get(entity.key, ())[:10])
    main_path = entity_path(entity)
    if len(articles) <= ENTITY_PAGE_ARTICLES:
        plans[main_path] = PagePlan("entity.md.j2", dict(
            values, by_year=_group_by_year(articles), latest=(), parts_by_year=()))
        return
    parts = entity_parts(entity, articles)
    parts_by_year = []
    for year, group in groupby(parts, key=lambda p: p.year):
        group = tuple(group)
        parts_by_year.append((year, sum(len(p.articles) for p in group), group))
    plans[main_path] = PagePlan("entity.md.j2", dict(
        values, by_year=(), latest=articles[:ENTITY_LATEST], parts_by_year=parts_by_year))
    for i, part in enumerate(parts):
        plans[part.path] = PagePlan("entity_part.md.j2", dict(
            entity=entity, part=part, parts_in_year=sum(p.year == part.year for p in parts),
            previous=parts[i - 1] if i > 0 else None,
            next=parts[i + 1] if i + 1 < len(parts) else None))


def entity_parts(entity: Entity, articles: tuple[Article, ...]) -> list[Part]:
    """Articles (newest first) split by year, and each year in parts of at most
    ENTITY_PAGE_ARTICLES: places/usa/1987.md, places/usa/1987/page/2.md…"""
    parts = []
    base = entity_path(entity)[:-len(".md")]
    for year, group in _group_by_year(articles):
        for start in range(0, len(group), ENTITY_PAGE_ARTICLES):
            number = start // ENTITY_PAGE_ARTICLES + 1
            path = f"{base}/{year}.md" if number == 1 else f"{base}/{year}/page/{number}.md"
            parts.append(Part(path, year, number, tuple(group[start:start + ENTITY_PAGE_ARTICLES])))
    return parts


def render_pages(archive: Archive, text: SiteText = SiteText()) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/, in a stable order."""
    renderer = PageRenderer()
    return {path: renderer.render(path, plan) for path, plan in plan_pages(archive, text).items()}


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


def _group_by_year(articles: Iterable[Article]) -> list[tuple[int, tuple[Article, ...]]]:
    return [(year, tuple(group)) for year, group in groupby(articles, key=lambda a: a.date.year)]


def _group_by_month(articles: list[Article]) -> list[tuple[int, list[Article]]]:
    """Months newest first, each month's articles newest first."""
    newest_first = sorted(articles, key=lambda a: a.sort_key, reverse=True)
    return [(month, list(group)) for month, group in groupby(newest_first, key=lambda a: a.date.month)]


def _first_letter(name: str) -> str:
    for char in name:
        if char.isalpha():
            return char.upper()
        if char.isdigit():
            return "0–9"
    return "#"


def _group_by_letter(counted: Iterable[tuple[Entity, int]]) -> list[tuple[str, list[tuple[Entity, int]]]]:
    """Entities with their article counts, under their first letter."""
    ordered = sorted(counted, key=lambda ec: (_sort_name(ec[0].name), ec[0].slug))
    return [(letter, list(group))
            for letter, group in groupby(ordered, key=lambda ec: _first_letter(_sort_name(ec[0].name)))]


def _sort_name(name: str) -> str:
    """Sort 'al-Fatayeh' under F, as readers look for it."""
    lowered = name.casefold()
    for prefix in ("al-", "el-", "the "):
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            return lowered[len(prefix):]
    return lowered
