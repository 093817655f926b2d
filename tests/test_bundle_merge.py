"""A large archive indexed in batches: each Pagefind run within a memory budget, and their
bundles merged into the index one run would have written."""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page

from build_archive.search import PAGEFIND_BYTES_PER_CHARACTER, IndexedPage
from build_archive.search_stream import SearchFeed
from conftest import serve_folder, write_files
from pagefind_bundles import PLACES, index_contents, story_site


def test_an_index_made_in_batches_holds_what_one_run_would(tmp_path: Path, page: Page):
    count = 60
    whole, _ = story_site(tmp_path / "whole", count)
    batched, pages = story_site(tmp_path / "batched", count)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole)], check=True, capture_output=True)
    summary = SearchFeed(batched, memory_mib=2).finish(pages, [])  # two runs at a time, 1 MiB each
    assert f"Indexed {count} pages as they were written, in 3 batches of at most 20" in summary
    expected, found = index_contents(whole / "pagefind"), index_contents(batched / "pagefind")
    assert found == expected
    words = expected["en"]["words"]
    assert len(words["oil"][0]) == count and "café" in words["cafe"][1]  # spans every batch; a variant
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batched", "whole"]  # no batch left behind

    with serve_folder(whole) as whole_url, serve_folder(batched) as batched_url:
        page.goto(whole_url)
        queries = [("oil", {}), ("café", {}), ("zurich", {}), ("w42x2", {}), ("market", {"place": "Derna"}),
                   ("rose", {"year": "1983"})]
        expected_results = [_search(page, whole_url, query, filters) for query, filters in queries]
        page.goto(batched_url)
        found_results = [_search(page, batched_url, query, filters) for query, filters in queries]
    assert all(expected_results) and found_results == expected_results


def _search(page: Page, url: str, query: str, filters: dict) -> list:
    """The results' addresses and scores, in order (equal scores by address)."""
    results = page.evaluate("""async ([url, query, filters]) => {
        const pagefind = await import(url + "pagefind/pagefind.js");
        await pagefind.options({ noWorker: true });
        const found = await pagefind.search(query, { filters });
        return Promise.all(found.results.map(async (r) => [(await r.data()).url, r.score]));
    }""", [url, query, filters])
    return sorted(results, key=lambda result: (-result[1], result[0]))


def test_an_archive_in_two_languages_is_merged_language_by_language(tmp_path: Path):
    def story(number: int, language: str) -> str:
        words = "Le marché du pétrole" if language == "fr" else "The oil market"
        return (f'<html lang="{language}"><body><div data-pagefind-body><h1>Story {number}</h1>'
                f'<span data-pagefind-filter="place">{PLACES[number % 4]}</span><p>{words} {number}.</p>'
                "</div></body></html>")

    pages = {f"articles/{n:03d}/index.html": story(n, "fr" if n % 2 else "en") for n in range(12)}
    whole, batched = write_files(tmp_path / "whole", pages), write_files(tmp_path / "batched", pages)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole)], check=True, capture_output=True)
    share = 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER // 4
    summary = SearchFeed(batched, memory_mib=2).finish([IndexedPage(path, share) for path in pages], [])
    assert "in 3 batches" in summary
    found = index_contents(batched / "pagefind")
    assert sorted(found) == ["en", "fr"] and found == index_contents(whole / "pagefind")
