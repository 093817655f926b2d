"""An editor's preview: after an edit, only the pages that depend on it are built again,
and the result is the same as a build from scratch."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import shutil
import wsgiref.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from build_archive.export import ARCHIVE_JSON, DOWNLOADS
from build_archive.pipeline import generate_pages
from build_archive.render import article_path
from build_archive.synthetic import write_synthetic_archive
from conftest import copy_project, rebuild_asked, run_mkdocs_build

# All in the first half of 2000: enough for the commonest place's year to be cut into
# pages by months, so edits move stories between those pages.
ARTICLES = 230
DAYS = 180


@pytest.fixture(scope="module")
def synthetic_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = tmp_path_factory.mktemp("synthetic") / "articles"
    write_synthetic_archive(articles, articles=ARTICLES, places=4, actors=10, words=25, days=DAYS)
    return articles


def _edit_add_delete(articles: Path) -> tuple[Path, Path, Path]:
    """Retitle one article and give it one more place, add one, delete one, as an editor would."""
    files = sorted(articles.rglob("*.md"))
    edited, deleted = files[len(files) // 2], files[10]
    text = edited.read_text(encoding="utf-8")

    def places(front_matter: str) -> list[str]:
        return re.search(r"^places: \[(.*)\]$", front_matter, flags=re.M).group(1).split(", ")

    # A new place moves the story among the related articles of others.
    another = next(p for f in files for p in places(f.read_text(encoding="utf-8")) if p not in places(text))
    retitled = re.sub(r'^title: ".*"$', 'title: "A retitled story"', text, count=1, flags=re.M)
    edited.write_text(retitled.replace("places: [", f"places: [{another}, ", 1), encoding="utf-8")
    added = edited.parent / "added.md"
    added.write_text(text.replace("\ntitle:", '\ntitle: "A brand new story"\nold-title:', 1)
                     .replace("old-title:", "summary:", 1), encoding="utf-8")
    deleted.unlink()
    return edited, added, deleted


def _bump_mtime(paths: list[Path]) -> None:
    # Some file systems keep a coarse clock: make sure the stamp of an edited file moves.
    for path in paths:
        if path.exists():
            status = path.stat()
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 10_000_000))


@contextlib.contextmanager
def _preview(articles: Path, tmp_path: Path) -> Iterator[tuple[Path, Path, Callable[[], None], LiveReloadServer]]:
    """A project over a copy of `articles`, built once as `mkdocs serve --dirty` builds it.
    Gives the project, its site folder, a rebuild as after a save (MkDocs keeps the plugin
    instance, as it does for plugins with on_startup) and the server the plugin was handed
    (made, never started), whose rebuild trigger the plugin's watching pulls."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project", articles=articles)
    site = tmp_path / "preview"

    def config():
        return load_config(str(project / "mkdocs.yml"), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, dirty=True)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    assert first.plugins.on_serve(server, config=first, builder=lambda: None) is server
    try:
        yield project, site, lambda: build(config(), dirty=True), server
    finally:
        first.plugins.on_shutdown()


def test_an_incremental_generation_equals_a_full_one_and_names_the_changed_pages(
        synthetic_articles: Path, tmp_path: Path):
    articles = tmp_path / "articles"
    shutil.copytree(synthetic_articles, articles)
    before = generate_pages(articles)
    assert before.changed == frozenset(before.pages) and before.removed == frozenset()
    assert any(re.search(r"^places/[a-z-]+/2000/\d\d\.md$", p) for p in before.pages)  # months of a long year

    edited, added, deleted = _edit_add_delete(articles)
    _bump_mtime([edited, added])
    after = generate_pages(articles, previous=before)
    full = generate_pages(articles)

    assert after.pages == full.pages
    differing = {p for p in full.pages if before.pages.get(p) != full.pages[p]}
    assert after.changed == differing
    assert after.removed == before.pages.keys() - full.pages.keys()
    assert any(p.endswith("/a-brand-new-story.md") for p in after.changed)
    assert after.removed  # the deleted article's page
    # Only what depends on the three articles: their neighbours, entities, timeline, home.
    assert len(after.changed) < len(full.pages) / 3
    assert "timeline/index.md" in after.changed  # one article more in the added one's month
    assert any(re.search(r"^places/[a-z-]+/2000(/\d\d)?\.md$", p) for p in after.changed)  # a page of a long year


def test_nothing_changed_means_no_page_changed(synthetic_articles: Path):
    first = generate_pages(synthetic_articles)
    again = generate_pages(synthetic_articles, previous=first)
    assert again.changed == frozenset() and again.removed == frozenset()
    assert again.pages == first.pages


def test_a_dirty_preview_rebuild_matches_a_full_mkdocs_build(synthetic_articles: Path, tmp_path: Path):
    """`mkdocs serve --dirty` as the plugin drives it: the second build rewrites only the
    pages that changed, and every page then reads as in a clean build."""
    with _preview(synthetic_articles, tmp_path) as (project, preview, rebuild, server):
        written = {p: p.stat().st_mtime_ns for p in preview.rglob("index.html")}
        assert not server._want_rebuild
        edited, added, deleted = _edit_add_delete(project / "articles")
        _bump_mtime([edited, added])
        assert rebuild_asked(server, 10)  # by the system's file notifications, not polling
        rebuild()
        left = {path: (preview / path).read_bytes() for path in DOWNLOADS}
        served = _served(server, "/" + ARCHIVE_JSON)

    result = run_mkdocs_build(project, tmp_path / "clean", strict=False)
    assert result.returncode == 0, result.stderr
    # The rebuild left the data downloads as they were; asked for one, the server wrote them all.
    assert b"A retitled story" not in left[ARCHIVE_JSON]
    assert served == (tmp_path / "clean" / ARCHIVE_JSON).read_bytes()
    for path in DOWNLOADS:
        assert (preview / path).read_bytes() == (tmp_path / "clean" / path).read_bytes(), path
    clean = {p.relative_to(tmp_path / "clean"): p.read_text() for p in (tmp_path / "clean").rglob("index.html")}
    dirty = {p.relative_to(preview): p.read_text() for p in preview.rglob("index.html")}
    assert sorted(dirty) == sorted(clean)
    for path, html in clean.items():
        assert dirty[path] == html, f"{path} is stale in the preview"
    rewritten = {p for p, mtime in written.items() if p.exists() and p.stat().st_mtime_ns != mtime}
    assert 0 < len(rewritten) < len(written) / 3


def _served(server: LiveReloadServer, path: str) -> bytes:
    """What the preview's server answers a browser asking for `path`."""
    environ: dict = {}
    wsgiref.util.setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    statuses = []
    body = b"".join(server.get_app()(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"], statuses
    return body


def test_a_text_edit_regenerates_as_a_full_generation_would(synthetic_articles: Path, tmp_path: Path):
    # The common preview: an editor rewords a title and a paragraph, nothing else.
    articles = tmp_path / "articles"
    shutil.copytree(synthetic_articles, articles)
    before = generate_pages(articles)
    edited = sorted(articles.rglob("*.md"))[40]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(re.sub(r'^title: ".*"$', 'title: "Reworded"', text, count=1, flags=re.M)
                      + "\nA paragraph added by the editor.\n", encoding="utf-8")
    _bump_mtime([edited])
    after = generate_pages(articles, previous=before)
    full = generate_pages(articles)
    assert after.pages == full.pages and after.files == full.files
    assert after.changed == {p for p in full.pages if before.pages.get(p) != full.pages[p]}
    assert 0 < len(after.changed) < 40


def test_an_edited_home_introduction_plans_only_the_home_page_again(synthetic_articles: Path):
    # The introduction (docs/index.md) goes into the home page alone: editing it must not
    # make a preview render every page again to find that one changed.
    before = generate_pages(synthetic_articles, home_intro="# The archive\n")
    after = generate_pages(synthetic_articles, home_intro="# The archive, reworded\n", previous=before)
    assert [p for p in after.plans if after.plans[p] != before.plans[p]] == ["index.md"]
    assert after.changed == {"index.md"} and not after.changed_files
    assert "# The archive, reworded" in after.pages["index.md"]
    assert after.pages == generate_pages(synthetic_articles, home_intro="# The archive, reworded\n").pages


def test_an_edited_description_plans_again_only_the_pages_that_show_it(synthetic_articles: Path, tmp_path: Path):
    articles = tmp_path / "articles"
    shutil.copytree(synthetic_articles, articles)
    before = generate_pages(articles)
    # The commonest place, whose list is cut into pages.
    slug = next(p.split("/")[1] for p in before.plans if re.match(r"places/[a-z-]+/2000/\d\d\.md$", p))
    name = before.archive.places[slug].name
    registry = articles / "places.yml"
    registry.write_text(re.sub(rf"(?m)^({re.escape(name)}:\n(?:  .*\n)*?  description: )",
                               r"\1Described again by an editor. ", registry.read_text(encoding="utf-8")),
                        encoding="utf-8")
    _bump_mtime([registry])
    after = generate_pages(articles, previous=before)
    assert after.archive.places[slug].description.startswith("Described again")
    assert after.pages == generate_pages(articles).pages
    # Its page and the list of all places; not its articles, the pages of its list or other
    # entities' pages, which show its name only, nor every article, as when the links to
    # entities in their text were thought to move.
    replanned = {p for p in after.plans if after.plans[p] != before.plans[p]}
    assert replanned == {f"places/{slug}.md", "places/index.md"}
    assert after.changed == {f"places/{slug}.md"}  # the one page that shows the description


def test_a_name_added_to_a_registry_relinks_only_the_articles_that_use_its_first_word(
        synthetic_articles: Path, tmp_path: Path):
    articles = tmp_path / "articles"
    shutil.copytree(synthetic_articles, articles)
    before = generate_pages(articles)
    # A word that starts a sentence in some articles, registered as a party's name.
    name = next(w for w in before.archive.articles[7].body.split() if w.isalpha() and w[0].isupper())
    registry = articles / "actors.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + f"\n{name}:\n  kind: party\n", encoding="utf-8")
    _bump_mtime([registry])
    after = generate_pages(articles, previous=before)
    assert after.pages == generate_pages(articles).pages
    naming = {article_path(a) for a in after.archive.articles if name in a.body}
    assert 0 < len(naming) < len(after.archive.articles) / 2
    replanned = {p for p in after.plans if p.startswith("articles/") and after.plans[p] != before.plans[p]}
    assert replanned == naming
    assert all(f"[{name}](" in after.pages[p] for p in naming)


def test_names_no_registry_lists_survive_a_regeneration(tmp_path: Path):
    # Wire copy names people the registries do not know yet; each gets a page of its own,
    # in every generation, whether its article was read again or not.
    articles = tmp_path / "articles"
    write_synthetic_archive(articles, articles=30, places=3, actors=4, words=20)
    for i, path in enumerate(sorted(articles.rglob("*.md"))[:10]):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nactors: [", f'\nactors: ["Unlisted Person {i % 3}", ', 1),
                        encoding="utf-8")
    before = generate_pages(articles)
    assert "actors/unlisted-person-2.md" in before.pages
    edited = sorted(articles.rglob("*.md"))[20]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _bump_mtime([edited])
    after = generate_pages(articles, previous=before)
    assert after.pages == generate_pages(articles).pages
    assert "actors/unlisted-person-2.md" in after.pages


def test_a_preview_rebuild_repeats_only_new_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    articles = tmp_path / "source"
    write_synthetic_archive(articles, articles=12, places=3, actors=4, words=20)
    files = sorted(articles.rglob("*.md"))
    for path in files[:2]:
        path.write_text(path.read_text(encoding="utf-8").replace("\nactors: [", '\nactors: ["Unlisted Person", ', 1),
                        encoding="utf-8")
    with _preview(articles, tmp_path) as (project, _, rebuild, _):
        edited = project / "articles" / files[5].relative_to(articles)
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("\nactors: [", '\nactors: ["Another Unlisted", ', 1), encoding="utf-8")
        _bump_mtime([edited])
        caplog.clear()
        with caplog.at_level("INFO"):
            rebuild()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "is not in" in r.getMessage()]
    assert len(warnings) == 1 and "'Another Unlisted'" in warnings[0]
    assert any("2 warning(s) as in the previous build, not repeated" in r.getMessage() for r in caplog.records)


def test_a_long_preview_leaves_no_garbage_behind(synthetic_articles: Path, tmp_path: Path):
    """Each generation of a preview is frozen out of the cycle collector's way as it is,
    not collected first: a reference cycle made by a rebuild would be frozen with it and
    kept for good, and a day of edits would pile them up."""
    with _preview(synthetic_articles, tmp_path) as (project, _, rebuild, _):
        _collect_frozen_garbage()  # what came before the rebuilds (the first build's, the tests')
        for number, edited in enumerate(sorted((project / "articles").rglob("*.md"))[20:23]):
            edited.write_text(edited.read_text(encoding="utf-8") + f"\nEdit number {number}.\n", encoding="utf-8")
            _bump_mtime([edited])
            rebuild()
        gc.collect()  # what is not frozen is not kept
        left = _collect_frozen_garbage()
    assert left == []


def _collect_frozen_garbage() -> list[str]:
    """The frozen objects that were garbage (held only by cycles), collected. Left out:
    MkDocs looks its plugins up again at each rebuild, and importlib.metadata's lookup
    leaves a small cycle (five objects) that the frozen generation keeps."""
    gc.unfreeze()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        lookups = [o for o in gc.garbage if type(o).__name__ == "FreezableDefaultDict"]
        theirs = {id(o) for o in _within_cycles(lookups, {id(o) for o in gc.garbage})}
        return sorted(_describe(o) for o in gc.garbage if id(o) not in theirs)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()  # kept by the debug flag until now
        gc.freeze()


def _describe(thing: object) -> str:
    """Its repr, short; the garbage of a test that failed can hold half-made objects
    whose repr raises (a GzipFile whose file could not be opened)."""
    try:
        return repr(thing)[:100]
    except Exception:  # noqa: BLE001
        return f"<{type(thing).__qualname__} object, its repr failing>"


def _within_cycles(starts: list[object], garbage: set[int]) -> list[object]:
    """The garbage objects reachable from `starts`, those included."""
    found = {id(o): o for o in starts}
    todo = list(starts)
    while todo:
        for referent in gc.get_referents(todo.pop()):
            if id(referent) in garbage and id(referent) not in found:
                found[id(referent)] = referent
                todo.append(referent)
    return list(found.values())
