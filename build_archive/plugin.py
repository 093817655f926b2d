"""MkDocs plugin `archive`: hands the generated pages to MkDocs; writes nothing to docs/."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from .asset import SCRIPT, STYLESHEET
from .pipeline import Generated, generate_pages
from .problem import ArchiveError
from .render import SiteText
from .search import SearchIndexError, index_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

HOME_PAGE = "index.md"


class ArchivePluginConfig(Config):
    articles_dir = config_options.Type(str, default="articles")
    # Warnings stop the build too, as with `build-archive check --strict`.
    strict = config_options.Type(bool, default=False)
    # Index the written site with Pagefind for the search page; off makes `serve` faster.
    search_index = config_options.Type(bool, default=True)


class ArchivePlugin(BasePlugin[ArchivePluginConfig]):
    generated: Generated | None = None

    def _articles_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.articles_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
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
        try:
            text = SiteText(home_intro=intro, site_name=config.site_name, site_url=config.site_url or "")
            self.generated = generate_pages(
                self._articles_dir(config), text, strict=strict,
                display_root=Path(config.config_file_path).parent)
        except ArchiveError as exc:
            raise PluginError(f"the articles have problems:\n{exc}") from None
        for problem in self.generated.problems:
            log.warning(str(problem))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.generated is not None, "on_pre_build runs first"
        home = files.get_file_from_path(HOME_PAGE)
        if home is not None:
            files.remove(home)  # its text is the intro of the generated home page
        for path, content in self.generated.pages.items():
            if path != HOME_PAGE and files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} has the address of a generated page: "
                                  "move or rename it")
            inclusion = InclusionLevel.UNDEFINED if path == HOME_PAGE else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        for path, data in self.generated.files.items():
            files.append(File.generated(config, path, content=data))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.search_index:
            return
        try:
            summary = index_site(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(f"the search index could not be built: {exc}") from None
        log.info(f"search index: {summary}")
    # After Material's privacy plugin has handed over what it downloaded (priority 50).
    @event_priority(0)
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
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
        server.watch(str(self._articles_dir(config)))
        return server


def _read_home_intro(path: Path) -> str:
    """The hand-written part of the home page (docs/index.md), if there is one."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginError(f"{path}: cannot read the home page text: {exc}") from None
