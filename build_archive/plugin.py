"""MkDocs plugin `archive`: hands the generated pages to MkDocs; writes nothing to docs/."""

from __future__ import annotations

import functools
import gc
import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import jinja2
import jinja2.bccache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .asset import SCRIPT, STYLESHEET
from .index import build_archive
from .memo import Memo
from .memory import release_free_memory
from .model import Article, Resolved, Sources
from .export import DOWNLOADS
from .output import write_file
from .pipeline import Generated, collector_paused, generate_pages
from .preview_downloads import DownloadsOnDemand
from .problem import ArchiveError
from .render import SiteText, article_path
from .report import format_grouped
from .search import DEFAULT_MEMORY_MIB, IndexedPage, SearchIndexError, find_common_words
from .search_stream import SearchFeed
from .watch import can_notify, start_watching, stop_watching

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.api import BaseObserver

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

HOME_PAGE = "index.md"
PROGRESS_EVERY = 1000  # pages
MIN_SEARCH_MEMORY_MIB = 128  # below this, every few articles would take a Pagefind run of their own
RELEASE_EVERY = 1000  # pages converted between handing freed memory back (a few ms each time)
_NO_ARCHIVE = build_archive(Resolved((), {}, {}))  # what a full build keeps of the articles once MkDocs has the pages


class ArchivePluginConfig(Config):
    articles_dir = config_options.Type(str, default="articles")
    # Warnings stop the build too, as with `build-archive check --strict`.
    strict = config_options.Type(bool, default=False)
    # Index the written site with Pagefind for the search page; off makes `serve` faster.
    search_index = config_options.Type(bool, default=True)
    # About how much memory Pagefind may take (its runs at a time): a larger archive is indexed in batches.
    search_memory_mib = config_options.Type(int, default=DEFAULT_MEMORY_MIB)
    # How `mkdocs serve` notices saved articles: the system's file notifications, or
    # MkDocs' polling for folders whose changes never arrive as notifications.
    preview_watch = config_options.Choice(("native", "polling"), default="native")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the next rebuild of a preview."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class _PreviewFiles(Files):
    """The files of a preview rebuild (`serve --dirty`) as MkDocs sees them: the pages and
    files that changed, to build again; every unchanged generated one only when asked for
    by path, as a link to it is resolved.

    MkDocs makes a Page object for every page it iterates over, which for tens of
    thousands of unchanged pages took seconds per rebuild; their built HTML is
    already in the site folder. (The preview's sitemap lists the rebuilt pages only.)"""

    def __init__(self, files: Files, make: Callable[[str], File | None]) -> None:
        super().__init__(files)
        self._make = make
        self._made: dict[str, File | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if found is not None:
            return found
        uri = PurePath(path).as_posix()
        if uri not in self._made:
            self._made[uri] = self._make(uri)
        return self._made[uri]


class ArchivePlugin(BasePlugin[ArchivePluginConfig]):
    # Having on_startup keeps this instance across the rebuilds of `mkdocs serve`, so each
    # rebuild starts from the previous generation.
    generated: Generated | None = None
    _incremental = False  # a preview: `mkdocs serve --dirty`
    _rebuilding = False  # a preview's rebuild after a save, not its first build
    _problems_before: frozenset = frozenset()  # the warnings of the previous rebuild
    _search: tuple[list[IndexedPage], list[str]] = ([], [])  # what the search index takes, from on_files
    _searched: dict[str, int] = {}  # the characters of each page to index, by its file in the site
    _feed: SearchFeed | None = None  # indexes the pages as MkDocs writes them
    _observer: BaseObserver | None = None  # watches the articles for a preview
    _downloads: DownloadsOnDemand | None = None  # a preview's data downloads, written when asked for

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._incremental = command == "serve" and dirty
        self.generated = None

    def _articles_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.articles_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.search_memory_mib < MIN_SEARCH_MEMORY_MIB:
            raise PluginError(f"search_memory_mib: {self.config.search_memory_mib} is too little for Pagefind; "
                              f"give at least {MIN_SEARCH_MEMORY_MIB} (MiB), e.g. search_memory_mib: 1536")
        # The charts' and the map's style and script come with the plugin, not with docs/.
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Generate before MkDocs empties the site folder, so that bad articles
        # stop the build while the previous site is still there, untouched.
        strict = self.config.strict or bool(config.strict)
        intro = _read_home_intro(Path(config.docs_dir) / HOME_PAGE)
        previous = self.generated if self._incremental else None
        self._rebuilding = previous is not None
        started = self._started = time.perf_counter()
        self._stop_feed()  # a build before that stopped without telling
        if self.config.search_index and not self._rebuilding:
            self._feed = SearchFeed(Path(config.site_dir), self.config.search_memory_mib)
        if self._incremental:
            self._downloads = self._downloads or DownloadsOnDemand(config.site_dir)
            self._downloads.build_started()
        try:
            text = SiteText(site_name=config.site_name, site_url=config.site_url or "")
            if self._rebuilding:
                gc.collect()  # the last build's garbage, before the generation is frozen with it
            with collector_paused():
                self.generated = generate_pages(
                    self._articles_dir(config), text, home_intro=intro, strict=strict,
                    display_root=Path(config.config_file_path).parent, previous=previous,
                    with_downloads=not self._rebuilding, reused=self._incremental)
                if self._incremental:
                    self._freeze_generation()
                    self._downloads.generated(self.generated, text, with_downloads=not self._rebuilding)
        except ArchiveError as exc:
            self.generated = previous  # the next rebuild starts from the last good one
            self._stop_feed()
            raise PluginError("the articles have problems:\n" + "\n".join(format_grouped(exc.problems))) from None
        release_free_memory()  # what generating took, before MkDocs takes its share
        archive = self.generated.archive
        log.info(f"archive: {len(archive.articles)} articles, {len(archive.places)} places, "
                 f"{len(archive.actors)} actors → {len(self.generated.pages)} pages "
                 f"in {time.perf_counter() - started:.1f} s")
        if self._rebuilding:
            log.info(f"archive: {len(self.generated.changed)} page(s) changed, "
                     f"{len(self.generated.removed)} removed")
        # A preview repeats only the warnings that are new since the last rebuild: a large
        # archive of wire copy can carry tens of thousands of them.
        known = self._problems_before if self._rebuilding else frozenset()
        self._problems_before = frozenset(self.generated.problems)
        new = [problem for problem in self.generated.problems if problem not in known]
        repeated = len(self.generated.problems) - len(new)
        for line in format_grouped(new):
            log.warning(line)
        if repeated:
            log.info(f"archive: {repeated} warning(s) as in the previous build, not repeated")

    @staticmethod
    def _freeze_generation() -> None:
        """A preview keeps each generation in memory until the next one: freezing it keeps
        the cycle collector from walking its millions of objects at every collection,
        which took up to half of a rebuild. Frozen objects are still freed once unused,
        as the generation holds no reference cycles (a test sees to it), so the generation
        is frozen as it is, not collected first: that walked all of its new objects, 0.1 to
        0.4 s of each rebuild on 20,000 articles. The garbage MkDocs leaves (in cycles) is
        collected before each generation, when little else is unfrozen. Called with the
        collector still off: turned back on after a generation, it would first make a full
        collection of its own."""
        gc.freeze()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.generated is not None, "on_pre_build runs first"
        home = files.get_file_from_path(HOME_PAGE)
        if home is not None:
            files.remove(home)  # its text is the intro of the generated home page
        generated = self.generated
        clash = sorted((set(files.src_uris) & generated.pages.keys()) - {HOME_PAGE})  # hand-written pages in docs/
        if clash:
            raise PluginError(f"docs/{clash[0]} has the address of a generated page: move or rename it")
        make = functools.partial(_generated_file, config, generated)
        if self._rebuilding:
            files = _PreviewFiles(files, make)
            # The downloads stay: the preview's server writes them again when asked for.
            _remove_deleted_outputs((generated.removed | generated.removed_files) - set(DOWNLOADS), config)
            new = [p for p in generated.pages if p in generated.changed]
            new += [p for p in generated.files if p in generated.changed_files]
        else:
            new = [*generated.pages, *generated.files]
        for path in new:
            files.append(make(path) if self._incremental or path in generated.pages
                         else _written_file(config, path, generated.files[path]))
        if self.config.search_index and not self._rebuilding:
            self._search = _search_input(generated, config)
            self._searched = {page.path: page.characters for page in self._search[0]}
        if not self._incremental:
            # MkDocs holds the pages and files now (and lets go of each page's source once
            # read, see on_page_markdown); what only a next generation would reuse (the
            # read sources, page plans, per-article records) can go, and the contents, and
            # the articles themselves (90 MB on 20,000 articles, kept to the build's end).
            self.generated = replace(generated, archive=_NO_ARCHIVE, sources=Sources((), (), ()), plans={},
                                     memo=Memo(),
                                     pages=dict.fromkeys(generated.pages, ""),
                                     files=dict.fromkeys(generated.files, b""))
            release_free_memory()
        return files

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        if not self._incremental and page.file.src_uri in self.generated.pages:
            # Read once per build: its text would otherwise stay in memory, beside the
            # page's, to the end (a quarter of a gigabyte on a large archive).
            page.file.content_string = ""
        return markdown

    # Progress: a large archive takes minutes to build, so say how far MkDocs has got:
    # it converts every page's Markdown, then writes every page.
    _started = 0.0
    _converted = 0
    _written = 0
    _to_build = 0

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self._converted = self._written = 0
        self._to_build = sum(1 for f in files.documentation_pages() if f.is_modified())
        return nav

    def _progress(self, done: int, what: str) -> None:
        step = max(PROGRESS_EVERY, self._to_build // 10)
        if self._to_build > PROGRESS_EVERY and done % step == 0:
            log.info(f"archive: {done}/{self._to_build} pages {what} "
                     f"({time.perf_counter() - self._started:.0f} s)")

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        self._converted += 1
        self._progress(self._converted, "converted")
        if self._converted % RELEASE_EVERY == 0:
            release_free_memory()  # each page's source, let go of once read (on_page_markdown)
        return html

    @event_priority(-100)  # the page as written, after other plugins' changes
    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        self._written += 1
        self._progress(self._written, "written")
        if self._feed is not None and page.file.dest_uri in self._searched:
            self._feed.add(page.file.dest_uri, self._searched[page.file.dest_uri], output)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._downloads is not None:
            self._downloads.build_ended()
        log.info(f"archive: {self._written} pages written ({len(self.generated.pages)} generated) "
                 f"in {time.perf_counter() - self._started:.1f} s")
        if not self.config.search_index:
            return
        if self._rebuilding:
            # Indexing the whole site again takes minutes on a large archive: a preview
            # keeps the index of its first build (the edited articles' entries are stale).
            log.info("search index: kept from the first build of this preview; "
                     "restart `mkdocs serve` to index the edits")
            return
        feed, self._feed = self._feed, None
        try:
            pages, common_words = self._search
            summary = feed.finish(pages, common_words)
        except SearchIndexError as exc:
            raise PluginError(f"the search index could not be built: {exc}") from None
        log.info(f"search index: {summary}")

    def on_build_error(self, *, error: Exception) -> None:
        if self._downloads is not None:
            self._downloads.build_ended()
        self._stop_feed()

    def _stop_feed(self) -> None:
        if self._feed is not None:
            self._feed.abort()
            self._feed = None

    # MkDocs makes a new template environment for each build; compiling the theme's
    # templates again took a good part of a preview rebuild. Compiled code is kept by
    # the templates' name and source, so an edited template is compiled anew.
    _compiled_templates: jinja2.BytecodeCache | None = None

    # After Material's privacy plugin has handed over what it downloaded (priority 50).
    @event_priority(0)
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self._incremental:
            if self._compiled_templates is None:
                self._compiled_templates = _MemoryBytecodeCache()
            env.bytecode_cache = self._compiled_templates
        return self._check_downloads(env, config=config, files=files)

    def _check_downloads(self, env, *, config: MkDocsConfig, files: Files):
        """Stop, naming the address, when a file another host holds could not be downloaded.

        Publishing the page anyway would make readers' browsers ask that host;
        MkDocs itself would fail later with a traceback about a missing file.
        """
        missing = sorted(file.url for file in files
                         if file.abs_src_path and not os.path.exists(file.abs_src_path))
        if not missing:
            return env
        lines = []
        for url in missing:
            pages = [page.file.src_uri for page in (f.page for f in files.documentation_pages())
                     if page is not None and url in (page.content or "")]
            lines.append(f"{url} (on {', '.join(pages) or 'a theme file'})")
        raise PluginError("could not download, to publish with the site:\n  " + "\n  ".join(lines)
                          + "\nCheck the address and the network, or remove it from the article.")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        self._watch_articles(server, str(self._articles_dir(config)))
        if self._downloads is not None:
            server.set_app(self._downloads.serving(server.get_app(), server.mount_path))
        if self._incremental:
            # MkDocs calls this once its first build has returned: the whole site's pages,
            # held in reference cycles, are garbage now. Collected here, before the editor
            # saves anything, rather than by the first rebuild (a second of its time).
            gc.collect()
        return server

    def _watch_articles(self, server: LiveReloadServer, folder: str) -> None:
        if self.config.preview_watch == "native" and can_notify(server):
            try:
                self._observer = start_watching(server, folder)
                log.info(f"Watching '{folder}' for changes (the system's file notifications)")
                return
            except OSError as exc:
                log.warning(f"Cannot watch '{folder}' with the system's file notifications ({exc}); "
                            "polling it instead, which is slower. To poll without this warning, "
                            "set preview_watch: polling under the archive plugin in mkdocs.yml")
        server.watch(folder)

    def on_shutdown(self) -> None:
        if self._observer is not None:
            stop_watching(self._observer)
            self._observer = None


def _read_home_intro(path: Path) -> str:
    """The hand-written part of the home page (docs/index.md), if there is one."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginError(f"{path}: cannot read the home page text: {exc}") from None


def _generated_file(config: MkDocsConfig, generated: Generated, path: str) -> File | None:
    """The MkDocs file of a generated page or file, or None when nothing is generated there."""
    if path in generated.pages:
        inclusion = InclusionLevel.UNDEFINED if path == HOME_PAGE else InclusionLevel.NOT_IN_NAV
        return File.generated(config, path, content=generated.pages[path], inclusion=inclusion)
    if path in generated.files:
        return File.generated(config, path, content=generated.files[path])
    if path in DOWNLOADS:  # a preview's, left in the site folder (see preview_downloads.py)
        return File.generated(config, path, abs_src_path=str(Path(config.site_dir) / path))
    return None


def _written_file(config: MkDocsConfig, path: str, content: bytes) -> File:
    """A generated file of a full build, written into the site at once: MkDocs leaves a
    file whose source is its own output where it is, so the bytes (180 MB of downloads on
    a large archive) need not stay in memory through the build."""
    output = File(path, None, config.site_dir, config.use_directory_urls)
    write_file(Path(config.site_dir), output.dest_uri, content)
    return File.generated(config, path, abs_src_path=output.abs_dest_path)


def _search_input(generated: Generated, config: MkDocsConfig) -> tuple[list[IndexedPage], list[str]]:
    """The article pages to index, with their text's length, and the words too common to
    search, worked out without a copy of every article's text (70 MB on a large archive,
    at the build's peak): each text is made when needed and let go."""
    pages = []
    for article in generated.archive.articles:
        path = article_path(article)
        if path in generated.pages:
            output = File(path, None, config.site_dir, config.use_directory_urls).dest_uri
            pages.append(IndexedPage(output, len(_searched_text(article))))
    return pages, find_common_words(generated.archive.articles, _searched_text)


def _searched_text(article: Article) -> str:
    return f"{article.title} {article.summary} {article.body}"


def _remove_deleted_outputs(paths: frozenset[str], config: MkDocsConfig) -> None:
    """A --dirty rebuild keeps the site folder: take out the pages and files that no longer exist."""
    site_dir = Path(config.site_dir).resolve()
    for path in sorted(paths):
        output = Path(File(path, None, str(site_dir), config.use_directory_urls).abs_dest_path)
        if site_dir in output.parents and output.is_file():
            output.unlink()
