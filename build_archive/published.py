"""Keep the record of published addresses (articles/published.yml) up to date.

Only the explicit `build-archive record` command writes it — a build reads it and
never changes an editor's files. The record only grows: an address once published
stays in it, so it can keep redirecting; when a file is renamed or moved, its entry
moves to the new name with all its addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import PUBLISHED_FILE, load_sources
from .model import Published, PublishedArticle
from .moved import fingerprint
from .output import replace_file
from .pipeline import check_articles
from .problem import ArchiveError, has_errors
from .published_file import format_published


@dataclass(frozen=True)
class Recorded:
    """What `record` changed: new addresses, and entries filed under a moved file's new name."""

    added: int
    moved: tuple[tuple[str, str], ...]  # (old file name, new file name)


def record_published(articles_dir: Path, display_root: Path | None = None) -> Recorded:
    """Add the current addresses to the record, following renamed and moved files."""
    archive, problems = check_articles(articles_dir, display_root=display_root)
    if archive is None or has_errors(problems):
        raise ArchiveError(problems)
    sources, _ = load_sources(articles_dir, display_root)
    old = sources.published
    entries = dict(old.articles)
    added = 0
    moved = []
    for article in archive.articles:
        previous = entries.pop(article.recorded_as, None) if article.recorded_as else None
        if previous is not None and article.recorded_as != article.name:
            moved.append((article.recorded_as, article.name))
        addresses = list(previous.addresses) if previous else []
        if article.permalink not in addresses:
            addresses.append(article.permalink)
            added += 1
        entries[article.name] = PublishedArticle(tuple(addresses), article.date.isoformat(),
                                                 article.title, fingerprint(article.body))
    places = sorted(set(old.places) | set(archive.places))
    actors = sorted(set(old.actors) | set(archive.actors))
    added += len(places) - len(old.places) + len(actors) - len(old.actors)
    write_record(Path(articles_dir) / PUBLISHED_FILE,
                 Published(dict(sorted(entries.items())), tuple(places), tuple(actors)))
    return Recorded(added, tuple(sorted(moved)))


def write_record(path: Path, published: Published) -> None:
    """Write the record atomically: a failure leaves the old one as it was."""
    replace_file(path, format_published(published).encode("utf-8"))
