"""Article pages indexed as the build writes them: what Pagefind reads of each page, the
batches, and a build that stops or cannot index."""

import subprocess
import sys
from pathlib import Path

import pytest

from build_archive.search import SearchIndexError
from build_archive.search_stream import SearchFeed, searched_part
from conftest import write_files
from pagefind_bundles import index_contents, story, story_site

CHROME = ('<!doctype html><html lang="fr" class="no-js"><head><title>x</title><link rel="stylesheet" href="a.css">'
          '</head><body><header><div class="md-header"><div>Archive</div></div></header><nav><div>Derna</div></nav>'
          '<main><div class="md-content">{body}</div></main><footer><div>Made with Material</div></footer>'
          '<script src="b.js"></script></body></html>')
BODY = '<div data-pagefind-body><h1>Derna</h1><div class="meta"><div>1 May</div></div><p>Fighting.</p></div>'


def test_pagefind_reads_the_body_of_a_page_with_its_language():
    assert searched_part(CHROME.format(body=BODY)) == (
        f'<!doctype html><html lang="fr" class="no-js"><head><meta charset="utf-8"></head><body>{BODY}</body></html>')
    whole = CHROME.format(body="<p>A list page</p>")
    assert searched_part(whole) == whole  # nothing marked: all of it, as Pagefind would see it
    unclosed = "<html><body><div data-pagefind-body><p>cut short"
    assert searched_part(unclosed) == unclosed


def test_pages_streamed_in_batches_index_as_one_run_would(tmp_path: Path):
    count = 60
    whole, _ = story_site(tmp_path / "whole", count)
    streamed, pages = story_site(tmp_path / "streamed", count)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole)], check=True, capture_output=True)
    feed = SearchFeed(streamed, memory_mib=4)  # runs of 2 MiB, two at a time: 40 pages each
    for page in pages[::2]:  # the others as a --dirty build leaves them, read from the site
        body = story(int(page.path.split("/")[1]))
        chrome = CHROME.replace('lang="fr"', 'lang="en"')
        feed.add(page.path, page.characters, chrome.format(body=body[body.index("<div"):body.rindex("</body>")]))
    summary = feed.finish(pages, ["the"])
    assert f"Indexed {count} pages as they were written, in 2 batches of at most 40" in summary
    assert "Pagefind peaked at" in summary
    expected, found = index_contents(whole / "pagefind"), index_contents(streamed / "pagefind")
    assert found == expected and len(expected["en"]["words"]["oil"][0]) == count
    assert (streamed / "pagefind" / "archive-common-words.json").read_text() == '["the"]'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed", "whole"]  # no batch left behind


def test_a_build_that_stops_leaves_the_old_index(tmp_path: Path):
    site, pages = story_site(tmp_path / "site", 4)
    write_files(site, {"pagefind/pagefind.js": "the old index"})
    feed = SearchFeed(site, memory_mib=4)
    feed.add(pages[0].path, pages[0].characters, story(0))
    feed.abort()
    assert (site / "pagefind" / "pagefind.js").read_text() == "the old index"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_page_missing_from_the_site_stops_the_index_and_names_it(tmp_path: Path):
    site, pages = story_site(tmp_path / "site", 3)
    (site / "articles" / "001" / "index.html").unlink()
    with pytest.raises(SearchIndexError, match="articles/001/index.html is missing"):
        SearchFeed(site, memory_mib=4).finish(pages, [])
    assert not (site / "pagefind").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_pagefind_that_cannot_run_is_named_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    site, pages = story_site(tmp_path / "site", 2)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # where pagefind.service looks first
    with pytest.raises(SearchIndexError, match=r"(?s)Pagefind did not start.*pagefind\[bin\] package"):
        SearchFeed(site, memory_mib=4).finish(pages, [])
    assert not (site / "pagefind").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_archive_without_articles_still_gets_an_index(tmp_path: Path):
    site = write_files(tmp_path / "site", {"index.html": "<html><body><p>No stories yet</p></body></html>"})
    assert "Indexed 1 page" in SearchFeed(site, memory_mib=4).finish([], [])
    assert (site / "pagefind" / "pagefind.js").is_file()
