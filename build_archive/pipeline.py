"""The one core both front ends share: articles folder → generated pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .asset import read_assets
from .export import render_exports
from .feed import render_feeds
from .index import Archive, build_archive
from .load import load_sources
from .problem import ArchiveError, Problem, has_errors
from .redirect import render_redirects
from .render import SiteText, render_pages
from .resolve import resolve_sources


@dataclass(frozen=True)
class Generated:
    archive: Archive
    pages: dict[str, str]  # docs path → Markdown, for MkDocs to render
    files: dict[str, bytes]  # site path → bytes, copied into the site as they are
    problems: tuple[Problem, ...]  # warnings only: errors raise


def check_articles(articles_dir: Path, *, today: dt.date | None = None,
                   display_root: Path | None = None) -> tuple[Archive | None, list[Problem]]:
    """Load, validate and index; every problem found is returned, none raised."""
    sources, problems = load_sources(articles_dir, display_root)
    resolved, found = resolve_sources(sources, today=today)
    problems.extend(found)
    if has_errors(problems):
        return None, sorted(problems)
    return build_archive(resolved), sorted(problems)


def generate_pages(articles_dir: Path, text: SiteText = SiteText(), *, strict: bool = False,
                   display_root: Path | None = None) -> Generated:
    """Every page of the archive; raises ArchiveError (with all problems) on errors."""
    archive, problems = check_articles(articles_dir, display_root=display_root)
    if archive is None or has_errors(problems, strict=strict):
        raise ArchiveError(problems)
    return Generated(archive, render_pages(archive, text), render_files(archive, text), tuple(problems))


def render_files(archive: Archive, text: SiteText = SiteText()) -> dict[str, bytes]:
    """Files that are not pages (feeds, data downloads, redirects, assets), by site path."""
    files = {**read_assets(), **render_feeds(archive, text), **render_exports(archive, text),
             **render_redirects(archive, text)}
    return dict(sorted(files.items()))
