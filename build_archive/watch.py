"""Tell a preview (`mkdocs serve`) that an editor changed the archive's files, from the
operating system's file notifications (inotify, FSEvents, ReadDirectoryChangesW).

MkDocs itself polls every watched file twice a second, which for tens of thousands of
articles keeps a core a third busy and slows each rebuild beside it. Notifications cost
nothing until a file changes. Only writes, creations, deletions and moves count: a
rebuild reads the articles, and its own reading must not start another rebuild.
Polling stays available (`preview_watch: polling`) for folders whose changes never
arrive as notifications, such as network mounts or a folder shared into a container."""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import TYPE_CHECKING

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .load import is_read

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# The events that can change what a build reads; opening and closing a file unchanged
# (as every build does) are left out, so the system doesn't even send them.
CHANGES = [FileModifiedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent,
           DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


class _ChangeHandler(FileSystemEventHandler):
    """Asks the server for a rebuild when an event can change what a build reads."""

    def __init__(self, server: LiveReloadServer, root: str) -> None:
        self._server = server
        self._root = root

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not _matters(event, self._root):
            return
        log.debug("Changed: %s", event)
        _ask_for_rebuild(self._server)


def _matters(event: FileSystemEvent, root: str) -> bool:
    # A folder's own "modified" only echoes a change to a file in it.
    if event.is_directory and event.event_type == "modified":
        return False
    paths = [str(path) for path in (event.src_path, event.dest_path) if path]
    return any(_is_read_by_build(path, root, event.is_directory) for path in paths)


def _is_read_by_build(path: str, root: str, is_folder: bool) -> bool:
    """Whether a changed path can matter to a build: a file that loading reads, or a
    folder that isn't hidden (one made, removed or moved may hold articles)."""
    try:
        relative = PurePath(path).relative_to(root)
    except ValueError:
        return False
    if is_folder:
        return not any(part.startswith(".") for part in relative.parts)
    return is_read(relative)


def can_notify(server: LiveReloadServer) -> bool:
    """Whether this MkDocs' server can be asked for a rebuild from outside (its rebuild
    trigger is internal; an MkDocs that changed it falls back to polling)."""
    return hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")


def _ask_for_rebuild(server: LiveReloadServer) -> None:
    # What MkDocs' own watcher does on a change: the build loop waits on this condition.
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def start_watching(server: LiveReloadServer, folder: str) -> BaseObserver:
    """Watch `folder` and everything under it; raises OSError when the system won't
    (inotify's limit on watches reached, a file system without notifications)."""
    observer = Observer()
    observer.schedule(_ChangeHandler(server, folder), folder, recursive=True, event_filter=CHANGES)
    observer.start()
    return observer


def stop_watching(observer: BaseObserver) -> None:
    observer.stop()
    observer.join()
