"""A preview's data downloads, made when a browser asks for one.

The downloads (the whole archive as CSV and JSON: 150 MB for 20,000 articles) change
with every story saved, and making and writing them again took a quarter of a second
of each preview rebuild, for files an editor seldom opens while writing. So a
preview's rebuild leaves them out, and the preview's server, asked for one of them,
first writes them all again from the latest generation, once per generation. Full
builds (`mkdocs build`, `render --out`) and a preview's first build write them as ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .export import DOWNLOADS, render_exports
from .memory import release_free_memory
from .output import replace_file
from .pipeline import Generated
from .render import SiteText

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

App = Callable[[dict, Callable], Iterable[bytes]]  # a WSGI application


class DownloadsOnDemand:
    """Keeps the downloads in a preview's site folder as of its latest generation, written
    when asked for. The build thread tells it of each generation; the server's threads
    ask for the downloads."""

    def __init__(self, site_dir: str) -> None:
        self._site_dir = Path(site_dir)
        self._lock = threading.Lock()
        self._latest: tuple[Generated, SiteText] | None = None
        self._stale = False
        self._built = threading.Event()  # no build running: its generation is final
        self._built.set()

    def build_started(self) -> None:
        self._built.clear()

    def build_ended(self) -> None:
        self._built.set()

    def generated(self, generation: Generated, text: SiteText, *, with_downloads: bool) -> None:
        """A new generation; with_downloads when the build writes its downloads itself."""
        with self._lock:
            self._latest = (generation, text)
            self._stale = not with_downloads

    def serving(self, app: App, mount_path: str) -> App:
        """`app`, the preview's server, bringing the downloads up to date before serving one."""
        paths = {mount_path.rstrip("/") + "/" + path for path in DOWNLOADS}

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            if environ.get("PATH_INFO") in paths:
                self._built.wait()
                self.write_if_stale()
            return app(environ, start_response)

        return serve

    def write_if_stale(self) -> None:
        with self._lock:
            if not self._stale or self._latest is None:
                return
            generation, text = self._latest
            try:
                for path, data in render_exports(generation.archive, text).items():
                    target = self._site_dir / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    replace_file(target, data)  # a browser downloading it meanwhile gets the old one
            except OSError as exc:  # the browser gets the downloads as they were
                log.error(f"archive: could not write the data downloads into {self._site_dir}: {exc}")
                return
            self._stale = False
        release_free_memory()  # the 300 MB or so that making them took, on 20,000 articles

