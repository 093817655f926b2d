"""Redirect pages that keep old addresses working: Archive → {site path: HTML}.

Two kinds of old address: those an article was published at before its date or
slug changed (from articles/published.yml), and the addresses an entity's aliases
would have had — a renamed place keeps its old name as an alias, so its old page
address leads to the new one.
"""

from __future__ import annotations

import html
import posixpath

from .index import Archive
from .model import SiteText
from .resolve import RESERVED_SLUGS, make_slug

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>This page has moved to <a href="{target}">{title}</a>.</p>
</body>
</html>
"""


def find_redirects(archive: Archive) -> dict[str, tuple[str, str]]:
    """Old address → (new address, title of the page there), for addresses no page holds."""
    taken = {a.permalink for a in archive.articles}
    redirects: dict[str, tuple[str, str]] = {}
    for article in archive.articles:
        for old in article.former:
            if old not in taken and old not in redirects:
                redirects[old] = (article.permalink, article.title)
    for entities in (archive.places, archive.actors):
        for slug in sorted(entities):
            entity = entities[slug]
            for alias in sorted(entity.aliases):
                alias_slug = make_slug(alias)
                old = f"{entity.kind}s/{alias_slug}/"
                if alias_slug and alias_slug not in entities and alias_slug not in RESERVED_SLUGS \
                        and old not in redirects:
                    redirects[old] = (f"{entity.kind}s/{slug}/", entity.name)
    return dict(sorted(redirects.items()))


def render_redirects(archive: Archive, text: SiteText) -> dict[str, bytes]:
    """A small HTML page at each old address that sends readers (and search engines) on."""
    files = {}
    for old, (new, title) in find_redirects(archive).items():
        target = posixpath.relpath(new, old) + "/"
        files[old + "index.html"] = _PAGE.format(
            title=html.escape(title), target=html.escape(target),
            canonical=html.escape(text.absolute(new)),
        ).encode("utf-8")
    return files
