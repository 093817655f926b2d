"""The preview notices an editor's saves from the system's file notifications, and only
the changes a build can see: not a build's own reading, not an editor's swap files."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from build_archive.watch import start_watching, stop_watching
from conftest import copy_project, rebuild_asked

QUIET = 1.0  # seconds without a rebuild asked for, after a change that must not ask


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, LiveReloadServer]]:
    articles = tmp_path / "articles"
    (articles / "2026" / "11").mkdir(parents=True)
    (articles / "2026" / "11" / "story.md").write_text("---\ntitle: A story\n---\nText.\n", encoding="utf-8")
    (articles / "places.yml").write_text("Tripoli: {}\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    observer = start_watching(server, str(articles))
    try:
        yield articles, server
    finally:
        stop_watching(observer)


def test_saving_an_article_or_a_registry_asks_for_a_rebuild(watched):
    articles, server = watched
    story = articles / "2026" / "11" / "story.md"
    story.write_text(story.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    assert rebuild_asked(server, 10)
    with (articles / "places.yml").open("a", encoding="utf-8") as registry:
        registry.write("Benghazi: {}\n")
    assert rebuild_asked(server, 10)


def test_adding_deleting_and_moving_articles_and_folders_asks_for_a_rebuild(watched):
    articles, server = watched
    month = articles / "2026" / "11"
    (month / "new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    assert rebuild_asked(server, 10)
    (month / "new.md").rename(month / "renamed.md")
    assert rebuild_asked(server, 10)
    (month / "renamed.md").unlink()
    assert rebuild_asked(server, 10)
    month.rename(articles / "2026" / "12")
    assert rebuild_asked(server, 10)
    shutil.rmtree(articles / "2026")
    assert rebuild_asked(server, 10)


def test_a_new_folder_is_watched_too(watched):
    articles, server = watched
    (articles / "2027" / "01").mkdir(parents=True)
    story = articles / "2027" / "01" / "story.md"
    story.write_text("---\ntitle: First of the year\n---\n", encoding="utf-8")
    assert rebuild_asked(server, 10)
    time.sleep(QUIET)  # whatever the creation still sends
    rebuild_asked(server, 0)
    story.write_text("---\ntitle: First of the year, edited\n---\n", encoding="utf-8")
    assert rebuild_asked(server, 10)


def test_reading_the_articles_asks_for_nothing(watched):
    articles, server = watched
    for path in articles.rglob("*"):
        if path.is_file():
            path.read_bytes()
            os.stat(path)
    assert not rebuild_asked(server, QUIET)


def test_editors_swap_and_backup_files_ask_for_nothing(watched):
    articles, server = watched
    month = articles / "2026" / "11"
    (month / ".story.md.swp").write_bytes(b"vim swap")
    (month / "story.md~").write_text("a backup", encoding="utf-8")
    (month / "4913").write_text("", encoding="utf-8")  # vim's test of the folder
    (month / "4913").unlink()
    (articles / ".git").mkdir()
    (articles / ".git" / "index.md").write_text("not an article", encoding="utf-8")
    assert not rebuild_asked(server, QUIET)


def _served(project: Path, tmp_path: Path, **plugin_options) -> LiveReloadServer:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins["archive"].config.update(plugin_options)
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    config.plugins.on_shutdown()
    return server


def test_the_plugin_watches_natively_and_polls_only_when_told(tmp_path: Path):
    project = copy_project(tmp_path)
    articles = str(project / "articles")
    assert articles not in _served(project, tmp_path)._watched_paths  # MkDocs polls nothing of ours
    assert articles in _served(project, tmp_path, preview_watch="polling")._watched_paths


def test_a_folder_without_notifications_is_polled_with_a_warning(tmp_path: Path, caplog):
    project = copy_project(tmp_path)
    shutil.rmtree(project / "articles")  # a watch on a missing folder fails as on a mount without notifications
    with caplog.at_level("WARNING"):
        server = _served(project, tmp_path)
    assert str(project / "articles") in server._watched_paths
    assert any("preview_watch: polling" in r.getMessage() for r in caplog.records)
