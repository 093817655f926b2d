"""A large archive indexed in batches: each Pagefind run within a memory budget, and their
bundles merged into the index one run would have written."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from build_archive import search
from build_archive.pagefind_format import decode, unpack
from build_archive.search import PAGEFIND_BYTES_PER_CHARACTER, IndexedPage, SearchIndexError, index_site, plan_batches
from conftest import serve_folder, write_files

PLACES = ["Derna", "Benghazi", "Tripoli", "Zürich"]


def _article(number: int) -> str:
    """A story with words of its own, words every story shares, accented spellings and
    filters, so that words, variants and filters all span the batches."""
    place = PLACES[number % len(PLACES)]
    own = " ".join(f"w{number}x{k}" for k in range(number % 5 + 1))
    accents = "Café résumé in Zürich." if number % 3 == 0 else "Cafe resume near Zurich."
    return (f'<html lang="en"><body><div data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">Story {number} from {place}</h1>'
            f'<span data-pagefind-filter="place">{place}</span>'
            f'<span data-pagefind-filter="year">{1980 + number % 7}</span>'
            f"<p>The oil market in {place} {'rose' if number % 2 else 'fell'} today. {accents} {own}</p>"
            f"{'<p>Oil, oil and more oil.</p>' if number % 10 == 0 else ''}</div></body></html>")


def _site(folder: Path, count: int) -> tuple[Path, list[IndexedPage]]:
    """A site of `count` stories and a list page; the stories, each counted as a twentieth
    of what a Pagefind run of 1 MiB may index."""
    pages = {f"articles/{n:03d}/index.html": _article(n) for n in range(count)}
    pages["places/index.html"] = "<html><body><p>A list of places: Derna</p></body></html>"
    site = write_files(folder, pages)
    share = 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER // 20
    return site, [IndexedPage(path, share) for path in pages if path.startswith("articles/")]


def _contents(bundle: Path) -> dict:
    """What an index says, by page address rather than page number: each page's word count,
    each word's pages with positions (and its accented variants'), each filter's pages."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    found = {}
    for language, info in entry["languages"].items():
        meta = decode(unpack(bundle / f"pagefind.{info['hash']}.pf_meta"))
        urls = [json.loads(unpack(bundle / "fragment" / f"{page}.pf_fragment"))["url"] for page, _ in meta[1]]

        def by_url(pages: list) -> dict:
            number, located = 0, {}
            for step, positions, meta_positions in pages:
                number += step  # each page number counts from the one before
                located[urls[number]] = (positions, meta_positions)
            return located

        words = {}
        for _, _, part in meta[2]:
            for word, pages, variants in decode(unpack(bundle / "index" / f"{part}.pf_index"))[0]:
                words[word] = (by_url(pages), {spelling: by_url(p) for spelling, p in variants})
        filters = {}
        for name, file in meta[3]:
            values = decode(unpack(bundle / "filter" / f"{file}.pf_filter"))[1]
            filters[name] = {value: sorted(urls[page] for page in pages) for value, pages in values}
        found[language] = dict(pages=sorted(zip(urls, (count for _, count in meta[1]))), words=words,
                               filters=filters, page_count=info["page_count"], fields=meta[5])
    return found


def test_batches_are_the_fewest_within_the_budget_and_the_largest_as_small_as_can_be():
    mib = 1
    per_run = 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER  # characters a run of 1 MiB may index
    pages = [IndexedPage(f"p{n:02d}.html", per_run // 4) for n in range(10)]  # 2.5 runs' worth
    batches = plan_batches(pages, mib)
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert [p for batch in batches for p in batch] == sorted(p.path for p in pages)
    assert [len(batch) for batch in plan_batches(pages[:9], mib)] == [3, 3, 3]  # not 4, 4, 1
    assert plan_batches(pages[:4], mib) == [[p.path for p in pages[:4]]]
    huge = [IndexedPage("a.html", 10), IndexedPage("b.html", per_run * 3), IndexedPage("c.html", 10)]
    assert plan_batches(huge, mib) == [["a.html"], ["b.html"], ["c.html"]]  # a page larger than a run comes alone


def test_an_index_made_in_batches_holds_what_one_run_would(tmp_path: Path, page: Page,
                                                           monkeypatch: pytest.MonkeyPatch):
    count = 60
    whole, _ = _site(tmp_path / "whole", count)
    batched, pages = _site(tmp_path / "batched", count)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole)], check=True, capture_output=True)
    monkeypatch.setattr(search, "core_count", lambda: 2)  # two runs at a time, 1 MiB each
    summary = index_site(batched, pages=pages, memory_mib=2)
    assert f"Indexed {count} pages in 3 batches of at most 20, 2 at a time" in summary
    expected, found = _contents(whole / "pagefind"), _contents(batched / "pagefind")
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


def test_a_page_missing_from_the_site_stops_the_index_and_names_it(tmp_path: Path):
    site, pages = _site(tmp_path / "site", 3)
    (site / "articles" / "001" / "index.html").unlink()
    with pytest.raises(SearchIndexError, match="articles/001/index.html is missing"):
        index_site(site, pages=pages)
    assert not (site / "pagefind").exists()


def test_an_archive_without_articles_still_gets_an_index(tmp_path: Path):
    site = write_files(tmp_path / "site", {"index.html": "<html><body><p>No stories yet</p></body></html>"})
    assert "Indexed 1 page" in index_site(site, pages=[])
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_an_archive_in_two_languages_is_merged_language_by_language(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    def story(number: int, language: str) -> str:
        words = "Le marché du pétrole" if language == "fr" else "The oil market"
        return (f'<html lang="{language}"><body><div data-pagefind-body><h1>Story {number}</h1>'
                f'<span data-pagefind-filter="place">{PLACES[number % 4]}</span><p>{words} {number}.</p>'
                "</div></body></html>")

    pages = {f"articles/{n:03d}/index.html": story(n, "fr" if n % 2 else "en") for n in range(12)}
    whole, batched = write_files(tmp_path / "whole", pages), write_files(tmp_path / "batched", pages)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(whole)], check=True, capture_output=True)
    monkeypatch.setattr(search, "core_count", lambda: 1)
    share = 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER // 4
    summary = index_site(batched, pages=[IndexedPage(path, share) for path in pages], memory_mib=1)
    assert "in 3 batches" in summary
    found = _contents(batched / "pagefind")
    assert sorted(found) == ["en", "fr"] and found == _contents(whole / "pagefind")
