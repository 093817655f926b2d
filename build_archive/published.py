"""Keep the record of published addresses (articles/published.yml) up to date.

Only the explicit `build-archive record` command writes it — a build reads it and
never changes an editor's files. The record only grows: an address once published
stays in it, so it can keep redirecting.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .load import PUBLISHED_FILE, load_sources
from .model import Published
from .pipeline import check_articles
from .problem import ArchiveError, has_errors

_HEADER = """\
# Every page address this archive has published, so that none ever breaks: an
# article whose title, slug or date changes keeps its published address (or
# redirects from it), and a renamed place or actor must keep its old name as an alias.
# Written by `build-archive record` (make record) after each publication: commit it,
# do not edit it by hand.
"""


def record_published(articles_dir: Path, display_root: Path | None = None) -> int:
    """Add the current addresses to the record; returns how many were new."""
    archive, problems = check_articles(articles_dir, display_root=display_root)
    if archive is None or has_errors(problems):
        raise ArchiveError(problems)
    sources, _ = load_sources(articles_dir, display_root)
    old = sources.published
    articles = {name: list(links) for name, links in old.articles.items()}
    added = 0
    for article in archive.articles:
        links = articles.setdefault(article.name, [])
        if article.permalink not in links:
            links.append(article.permalink)
            added += 1
    places = sorted(set(old.places) | set(archive.places))
    actors = sorted(set(old.actors) | set(archive.actors))
    added += len(places) - len(old.places) + len(actors) - len(old.actors)
    write_record(Path(articles_dir) / PUBLISHED_FILE,
                 Published(dict(sorted((k, tuple(v)) for k, v in articles.items())),
                           tuple(places), tuple(actors)))
    return added


def write_record(path: Path, published: Published) -> None:
    """Write the record atomically: a failure leaves the old one as it was."""
    body = yaml.safe_dump({"articles": {k: list(v) for k, v in published.articles.items()},
                           "places": list(published.places), "actors": list(published.actors)},
                          allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(_HEADER + body)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
