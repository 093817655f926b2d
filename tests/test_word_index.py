"""Pagefind's word index cut again: smaller parts, no word sharing one with the commonest,
cuts where neighbouring words share the shortest beginning, and the same search results."""

from pathlib import Path

from playwright.sync_api import Page

from build_archive.search import index_site
from build_archive.pagefind_format import decode, encode
from build_archive.word_index import MIN_PARTS, cut_parts, prefix_bounds
from conftest import serve_folder, write_files


def test_a_cut_goes_where_the_neighbouring_words_share_the_shortest_beginning():
    words = ["oak", "oil", "oils", "oilseed", "oilseeds", "ok"]
    # Parts of 30 to 50: a cut could go before "oilseed", "oilseeds" or "ok"; "ok" hides nothing.
    assert cut_parts(words, [10] * 6, 40) == [5, 1]


def test_a_word_bigger_than_a_part_comes_alone():
    words = ["ibm", "imf", "imports", "in", "inc", "india"]
    assert cut_parts(words, [10, 10, 10, 500, 10, 10], 40) == [3, 1, 2]


def test_bounds_are_the_shortest_prefixes_that_tell_neighbours_apart_as_pagefind_writes_them():
    assert prefix_bounds("apple", "apricot") == ("app", "apr")
    assert prefix_bounds("cataraman", "yacht") == ("c", "y")
    assert prefix_bounds("cath", "cathartic") == ("cath", "catha")


def test_cbor_reads_back_to_the_same_bytes():
    value = [["oil", [[9286, [-25, 39, 2], []], [70000, [-1, 0], [3]]], []], "en_4f15d35", True, None, {"a": 1}]
    assert decode(encode(value)) == value
    assert encode(5) == b"\x05" and encode(-25) == b"\x38\x18" and encode(70000) == b"\x1a\x00\x01\x11\x70"


ARTICLES = 400  # enough words for Pagefind to cut its index into several parts


def _page(number: int) -> str:
    """A page with words of its own, words some share, and "the" many times over."""
    own = " ".join(f"w{number}x{k} oil{number % 7}" for k in range(60))
    common = " ".join(f"the {w} of the" for w in ("market", "imports", "nuclear", "oil") * 10)
    return (f'<html lang="en"><body><div data-pagefind-body><h1>Story {number}</h1>'
            f"<p>{common} {own} the the the.</p></div></body></html>")


def _search(page: Page, url: str, query: str) -> list:
    return page.evaluate("""async ([url, query]) => {
        const pagefind = await import(url + "pagefind/pagefind.js");
        await pagefind.options({ noWorker: true });
        const found = await pagefind.search(query);
        return found.results.map((r) => [r.id, r.score]);
    }""", [url, query])


def test_the_recut_index_finds_and_ranks_the_same_articles(tmp_path: Path, page: Page):
    import subprocess
    import sys

    pages = {f"s{n}/index.html": _page(n) for n in range(ARTICLES)}
    plain = write_files(tmp_path / "plain", pages)
    recut = write_files(tmp_path / "recut", pages)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(plain)], check=True, capture_output=True)
    summary = index_site(recut)
    assert "cut again into" in summary
    parts = len(list((plain / "pagefind" / "index").iterdir()))
    assert parts >= MIN_PARTS and len(list((recut / "pagefind" / "index").iterdir())) > parts
    # Whole words, as readers search them. Pagefind also finds the words a search term
    # begins ("oil" finds oil3): where its own cut fell between them, the re-cut index finds
    # more. The first letters of a word, searched while it is typed, may find fewer.
    queries = ["oil3", "imports", "nuclear", "the", "market imports", "w17x3", "story", "oil"]
    with serve_folder(plain) as plain_url, serve_folder(recut) as recut_url:
        page.goto(plain_url)
        expected = {q: sorted(_search(page, plain_url, q)) for q in queries}
        page.goto(recut_url)
        found = {q: sorted(_search(page, recut_url, q)) for q in queries}  # equal scores come in any order
    assert all(expected.values())
    assert {q: found[q] for q in queries[:-1]} == {q: expected[q] for q in queries[:-1]}
    assert {id for id, _ in found["oil"]} >= {id for id, _ in expected["oil"]}


def test_an_index_of_another_pagefind_version_is_left_as_it_is(tmp_path: Path):
    import json
    import subprocess
    import sys

    from build_archive.word_index import recut_word_index

    site = write_files(tmp_path / "site", {f"s{n}/index.html": _page(n) for n in range(ARTICLES)})
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)], check=True, capture_output=True)
    entry = site / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps(dict(json.loads(entry.read_text()), version="9.9.9")))
    before = {p: p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert recut_word_index(site / "pagefind") == (
        False, "word index left as Pagefind 9.9.9 cut it: a layout this does not know")
    assert {p: p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()} == before
