"""Atom feeds, so readers can subscribe: Archive → {site path: XML}.

One feed for the whole archive and one per place and per actor, each holding the
newest articles. feedgen writes each feed's head and lxml its entries, the same
elements feedgen would write; both escape every text in them.
"""

from __future__ import annotations

import datetime as dt
import re

from feedgen.feed import FeedGenerator
from lxml import etree

from .index import Archive
from .memo import Memo
from .model import Article, Entity, SiteText

# Characters XML 1.0 cannot carry (control characters): dropped from feed text.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FEED_LENGTH = 20  # newest articles per feed, as most news sites give: enough for a reader polling daily
EXCERPT_LENGTH = 400
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
ARCHIVE_FEED = "feeds/all.xml"


def feed_path(entity: Entity | None) -> str:
    """Site path of the archive's feed (None) or an entity's feed."""
    return ARCHIVE_FEED if entity is None else f"feeds/{entity.kind}s/{entity.slug}.xml"


def feed_title(entity: Entity | None, text: SiteText) -> str:
    return text.site_name if entity is None else f"{entity.name} — {text.site_name}"


# Material for MkDocs looks for a sitemap.xml next to every <link rel="alternate"> (it
# takes them for language versions of the site); an empty one there saves a 404 each time.
_EMPTY_SITEMAP = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                  b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


def render_feeds(archive: Archive, text: SiteText, memo: Memo | None = None) -> dict[str, bytes]:
    """Every feed; each article's entry is written once however many feeds hold it (and, with
    the memo of an earlier generation, not again while the article is unchanged)."""
    memo = memo if memo is not None else Memo()
    newest_first = list(reversed(archive.articles[-FEED_LENGTH:]))
    feeds = {ARCHIVE_FEED: render_feed(None, newest_first, archive, text, memo)}
    for folder in ("feeds", "feeds/places", "feeds/actors"):
        feeds[f"{folder}/sitemap.xml"] = _EMPTY_SITEMAP
    for entities in (archive.places, archive.actors):
        for entity in entities.values():
            articles = archive.articles_of.get(entity.key, ())[:FEED_LENGTH]
            # Its entries, and the names of their places and actors, make the whole feed.
            inputs = (articles, tuple(tuple(archive.entities_of(a)) for a in articles), text)
            feeds[feed_path(entity)] = memo.get(
                "feed", entity, inputs, lambda: render_feed(entity, list(articles), archive, text, memo))
    return dict(sorted(feeds.items()))


def render_feed(entity: Entity | None, articles: list[Article], archive: Archive,
                text: SiteText, memo: Memo | None = None) -> bytes:
    """One Atom feed of `articles` (newest first) about `entity`, or the whole archive."""
    memo = memo if memo is not None else Memo()
    page = "" if entity is None else f"{entity.kind}s/{entity.slug}/"
    feed = FeedGenerator()
    feed.id(text.absolute(page))
    feed.title(_xml(feed_title(entity, text)))
    feed.subtitle(_xml(entity.description if entity and entity.description
                       else f"The newest articles{' about ' + entity.name if entity else ''} "
                            f"in {text.site_name}."))
    feed.link(href=text.absolute(page), rel="alternate", type="text/html")
    feed.link(href=text.absolute(feed_path(entity)), rel="self", type="application/atom+xml")
    feed.language("en")
    # The newest article's time, not the build's: the same articles give the same feed.
    feed.updated(_timestamp(articles[0]) if articles else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    shell = feed.atom_str(pretty=True)
    end = shell.rindex(b"</feed>")
    return b"".join([shell[:end], *(_entry(article, archive, text, memo) for article in articles), shell[end:]])


def _entry(article: Article, archive: Archive, text: SiteText, memo: Memo) -> bytes:
    """The article's <entry>; it shows the names of the article's places and actors too."""
    others = tuple(archive.entities_of(article))
    return memo.get("feed entry", article, (others, text), lambda: _render_entry(article, others, text))


def _render_entry(article: Article, others: tuple[Entity, ...], text: SiteText) -> bytes:
    """The entry as feedgen's FeedEntry writes it, built with lxml directly: feedgen's
    checks and conversions took most of a large archive's feed time."""
    stamp = _timestamp(article).isoformat()
    entry = etree.Element("entry")  # the feed declares the Atom namespace
    _text_element(entry, "id", text.absolute(article.permalink))
    _text_element(entry, "title", _xml(article.title))
    _text_element(entry, "updated", stamp)
    for name in article.byline or ([article.source] if article.source else [text.site_name]):
        if name:
            _text_element(etree.SubElement(entry, "author"), "name", _xml(name))
    etree.SubElement(entry, "link", href=text.absolute(article.permalink))
    _text_element(entry, "summary", _xml(excerpt(article)))
    for other in others:
        category = etree.SubElement(entry, "category", term=other.slug, scheme=text.absolute(f"{other.kind}s/"))
        if other.name:
            category.set("label", _xml(other.name))
    _text_element(entry, "published", stamp)
    return b"  " + etree.tostring(entry, pretty_print=True, encoding="utf-8")


def _text_element(parent: etree._Element, tag: str, value: str) -> None:
    element = etree.SubElement(parent, tag)
    if value:
        element.text = value


def excerpt(article: Article) -> str:
    """The summary, or the start of the text as plain words."""
    if article.summary:
        return article.summary
    first, rest = "", article.body
    while rest and not first.strip():  # one paragraph at a time: only the first is wanted
        first, *others = _PARAGRAPH_BREAK.split(rest, maxsplit=1)
        rest = others[0] if others else ""
    words = " ".join(first.split())
    if len(words) > EXCERPT_LENGTH:
        words = words[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + " …"
    return words


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _timestamp(article: Article) -> dt.datetime:
    return dt.datetime.combine(article.date, article.time or dt.time(0, 0), tzinfo=dt.timezone.utc)
