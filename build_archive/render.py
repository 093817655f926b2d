"""Render the archive's pages: Archive → {docs path: Markdown text}.

Templates live in build_archive/templates. Every piece of text that came from
front-matter or a registry passes through the `md` filter, which makes it
inert in both Markdown and HTML; links are relative `.md` paths so MkDocs
checks every one of them.
"""

from __future__ import annotations

import html
import json
import posixpath
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
    return f"articles/{article.date:%Y}/{article.date:%m}/{article.slug}.md"


def entity_path(entity: Entity) -> str:
    return f"{entity.kind}s/{entity.slug}.md"


def year_path(year: int) -> str:
    return f"timeline/{year}.md"


def _target(item: object) -> str:
    if isinstance(item, Article):
        return article_path(item)
    if isinstance(item, Entity):
        return entity_path(item)
    return str(item)


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, item: object) -> str:
    """Relative link from the page being rendered to an article, entity or docs path."""
    here = posixpath.dirname(context["page_path"])
    return posixpath.relpath(_target(item), here or ".")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_archive", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; text is escaped with the md filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=escape_markdown, attr=escape_attribute, url=escape_url, date=format_date,
                       href=_href)
    env.globals.update(month_name=lambda m: MONTHS[m - 1], year_path=year_path)
    return env


def render_pages(archive: Archive, text: SiteText = SiteText()) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/, in a stable order."""
    env = _environment()
    pages: dict[str, str] = {}

    def render(path: str, template: str, **values: object) -> None:
        pages[path] = env.get_template(template).render(page_path=path, archive=archive, **values)

    render("index.md", "home.md.j2", latest=list(reversed(archive.articles[-HOME_LATEST:])),
           intro=text.home_intro)
    for article in archive.articles:
        render(article_path(article), "article.md.j2", article=article,
               places=[archive.places[s] for s in article.places],
               actors=[archive.actors[s] for s in article.actors],
               dateline=archive.places.get(article.dateline) if article.dateline else None,
               previous=archive.previous[article.permalink], next=archive.next[article.permalink],
               related=archive.related[article.permalink])
    for kind, entities in (("place", archive.places), ("actor", archive.actors)):
        for entity in entities.values():
            articles = archive.articles_of.get(entity.key, ())
            render(entity_path(entity), "entity.md.j2", entity=entity, articles=articles,
                   by_year=_group_by_year(articles),
                   ancestors=archive.ancestors(entity) if kind == "place" else [],
                   children=archive.children.get(entity.slug, ()) if kind == "place" else (),
                   cooccurring=archive.cooccurring.get(entity.key, ())[:10])
        render(f"{kind}s/index.md", "entities.md.j2", kind=kind,
               by_letter=_group_by_letter(entities.values()),
               count=lambda e: len(archive.articles_of.get(e.key, ())))
    years = archive.years
    render("timeline/index.md", "timeline.md.j2", years=[
        (year, _group_by_month(archive.articles_in_year(year))) for year in years])
    for year in years:
        render(year_path(year), "year.md.j2", year=year,
               months=_group_by_month(archive.articles_in_year(year)))
    return dict(sorted(pages.items()))


def _group_by_year(articles: Iterable[Article]) -> list[tuple[int, list[Article]]]:
    return [(year, list(group)) for year, group in groupby(articles, key=lambda a: a.date.year)]


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


def _group_by_letter(entities: Iterable[Entity]) -> list[tuple[str, list[Entity]]]:
    ordered = sorted(entities, key=lambda e: (_sort_name(e.name), e.slug))
    return [(letter, list(group)) for letter, group in groupby(ordered, key=lambda e: _first_letter(_sort_name(e.name)))]


def _sort_name(name: str) -> str:
    """Sort 'al-Fatayeh' under F, as readers look for it."""
    lowered = name.casefold()
    for prefix in ("al-", "el-", "the "):
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            return lowered[len(prefix):]
    return lowered
