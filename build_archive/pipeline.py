"""The one core both front ends share: articles folder → generated pages.

A generation can start from the one before it (as a preview does after an editor
saves a file): unchanged files are not read again, pages whose plan is unchanged are
not rendered again, and the result names exactly the pages whose text changed.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .asset import read_assets
from .export import render_exports
from .feed import render_feeds
from .index import Archive, build_archive
from .load import load_sources
from .memo import Memo
from .model import Resolved, Sources
from .output import write_files
from .problem import ArchiveError, Problem, has_errors, report_order
from .redirect import render_redirects
from .render import PagePlan, SiteText, plan_pages, render_all, shared_renderer, write_all
from .resolve import resolve_sources


@dataclass(frozen=True)
class Generated:
    archive: Archive
    pages: dict[str, str]  # docs path → Markdown, for MkDocs to render ("" once written to a folder)
    files: dict[str, bytes]  # site path → bytes, copied into the site as they are (b"" once written)
    problems: tuple[Problem, ...]  # warnings only: errors raise
    sources: Sources  # what was read, for the next generation to reuse
    plans: dict[str, PagePlan]  # what each page shows, to compare with the next generation
    # Pages new or different since the previous generation (all on a first); written to a
    # folder, the pages planned anew, which were written.
    changed: frozenset[str]
    removed: frozenset[str]  # pages of the previous generation that are gone
    memo: Memo  # what was worked out per article and entity, for the next generation to reuse
    changed_files: frozenset[str] = frozenset()  # files new or different since the previous generation
    removed_files: frozenset[str] = frozenset()  # files of the previous generation that are gone


def check_articles(articles_dir: Path, *, today: dt.date | None = None,
                   display_root: Path | None = None) -> tuple[Archive | None, list[Problem]]:
    """Load, validate and index; every problem found is returned, none raised."""
    sources, problems = load_sources(articles_dir, display_root)
    resolved, found = resolve_sources(sources, today=today)
    problems.extend(found)
    if has_errors(problems):
        return None, sorted(problems, key=report_order)
    return build_archive(resolved), sorted(problems, key=report_order)


def generate_pages(articles_dir: Path, text: SiteText = SiteText(), *, home_intro: str = "",
                   strict: bool = False, display_root: Path | None = None,
                   previous: Generated | None = None, write_to: Path | None = None,
                   with_downloads: bool = True, reused: bool = True) -> Generated:
    """Every page of the archive, the home page led by `home_intro` (the editors' Markdown);
    raises ArchiveError (with all problems) on errors.

    With `previous`, the generation before this one, only what changed is read and
    rendered again; the result is the same as a generation from scratch. With
    `write_to`, a folder, each page is written there as it is rendered (by the worker
    that rendered it), and each file too, and their contents are not kept (`render
    --out` only writes them); with both, only the pages named in `changed` are written,
    and the caller keeps the others from where the previous generation wrote them.
    Without `with_downloads`, the files leave out the data downloads (a preview makes
    them when asked for, see preview_downloads.py). Without `reused`, no generation will
    start from this one (a one-off build): each article's data record, which only a next
    generation would take over (150 MB on 20,000 articles), is let go once written."""
    with collector_paused():
        return _generate(articles_dir, text, home_intro, strict, display_root, previous, write_to,
                         with_downloads, reused)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off: a generation makes millions of objects that live on
    and hold no cycles (as does reading one back from the build cache), and the collector
    would walk all of them again and again, for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _generate(articles_dir: Path, text: SiteText, home_intro: str, strict: bool, display_root: Path | None,
              previous: Generated | None, write_to: Path | None, with_downloads: bool,
              reused: bool) -> Generated:
    sources, problems = load_sources(articles_dir, display_root,
                                     reuse=previous.sources if previous else None)
    memo = Memo(previous.memo if previous else None)
    resolved, found = resolve_sources(sources, memo=memo)
    problems.extend(found)
    problems.sort(key=report_order)
    if has_errors(problems, strict=strict):
        raise ArchiveError(problems)
    if previous is not None:
        resolved = _reuse_equal_records(resolved, previous.archive)
    archive = build_archive(resolved, memo)
    plans = plan_pages(archive, text, memo, home_intro=home_intro)
    if write_to is not None:
        to_write = plans if previous is None else _planned_anew(plans, previous)
        files = write_all(to_write, write_to,
                          lambda: _write_files(render_files(archive, text, memo, with_downloads, reused), write_to))
        pages = dict.fromkeys(plans, "")
        changed = frozenset(to_write)
    elif previous is None:
        pages, files = render_all(plans, lambda: render_files(archive, text, memo, with_downloads, reused))
        changed = frozenset(pages)
    else:
        pages, changed = _render_changed(plans, previous)
        files = render_files(archive, text, memo, with_downloads, reused)
    removed = frozenset(previous.pages.keys() - pages.keys()) if previous else frozenset()
    earlier_files = previous.files if previous else {}
    memo.drop_earlier()
    return Generated(archive, pages, files, tuple(problems), sources, plans, changed, removed, memo,
                     changed_files=frozenset(p for p, data in files.items() if earlier_files.get(p) != data),
                     removed_files=frozenset(earlier_files.keys() - files.keys()))


def _write_files(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """The files written into folder, their paths kept and their bytes let go."""
    write_files(folder, files)
    return dict.fromkeys(files, b"")


def _reuse_equal_records(resolved: Resolved, earlier: Archive) -> Resolved:
    """Swap each article and entity equal to one of the earlier generation for that earlier
    object, so comparing page plans mostly compares identities, which is instant."""
    earlier_articles = {a.path: a for a in earlier.articles}
    articles = tuple(earlier_articles.get(a.path) if earlier_articles.get(a.path) == a else a
                     for a in resolved.articles)

    def same(new: dict, old: dict) -> dict:
        return {slug: old[slug] if old.get(slug) == entity else entity for slug, entity in new.items()}

    return replace(resolved, articles=articles, places=same(resolved.places, earlier.places),
                   actors=same(resolved.actors, earlier.actors))


def _planned_anew(plans: dict[str, PagePlan], previous: Generated) -> dict[str, PagePlan]:
    """The plans that differ from the previous generation's, new pages' among them."""
    return {path: plan for path, plan in plans.items() if previous.plans.get(path) != plan}


def _render_changed(plans: dict[str, PagePlan], previous: Generated) -> tuple[dict[str, str], frozenset[str]]:
    """Render the pages whose plan differs from the previous generation's; keep the rest."""
    renderer = shared_renderer()
    anew = _planned_anew(plans, previous)
    pages = {path: renderer.render(path, plan) if path in anew else previous.pages[path]
             for path, plan in plans.items()}
    return pages, frozenset(path for path in anew if previous.pages.get(path) != pages[path])


def render_files(archive: Archive, text: SiteText = SiteText(), memo: Memo | None = None,
                 with_downloads: bool = True, reused: bool = True) -> dict[str, bytes]:
    """Files that are not pages (feeds, data downloads, redirects, assets), by site path;
    without `reused`, the downloads' records are not kept in the memo (see generate_pages)."""
    files = {**read_assets(), **render_feeds(archive, text, memo), **render_redirects(archive, text),
             **(render_exports(archive, text, memo if reused else None) if with_downloads else {})}
    return dict(sorted(files.items()))
