"""The search index step: Pagefind over a written site, replaced only when complete."""

from pathlib import Path

import pytest

from build_archive.search import SearchIndexError, index_site
from conftest import write_files

ARTICLE = ('<html lang="en"><body><div data-pagefind-body><h1>Derna</h1>'
           '<a data-pagefind-filter="place">Derna</a><p>Fighting in Derna.</p></div></body></html>')


def test_index_replaces_the_old_bundle_whole(tmp_path: Path):
    site = write_files(tmp_path / "site", {"a/index.html": ARTICLE, "b/index.html": "<p>a list</p>",
                                           "pagefind/stale.pf_fragment": "old"})
    summary = index_site(site)
    assert "Indexed 1 page" in summary  # only the page marked data-pagefind-body
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "pagefind" / "stale.pf_fragment").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left behind


def test_a_failed_index_leaves_the_site_as_it_was(tmp_path: Path):
    missing = tmp_path / "no-such-site"
    with pytest.raises(SearchIndexError, match="Pagefind could not index"):
        index_site(missing)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_bundle_holds_pagefind_s_script_packed_and_the_common_words(tmp_path: Path):
    import gzip
    import json

    site = write_files(tmp_path / "site", {"a/index.html": ARTICLE})
    index_site(site, ["of", "the"])
    bundle = site / "pagefind"
    assert gzip.decompress((bundle / "pagefind.js.gz").read_bytes()) == (bundle / "pagefind.js").read_bytes()
    assert json.loads((bundle / "archive-common-words.json").read_text()) == ["of", "the"]
    for packed in [*bundle.glob("*.pf_meta"), *bundle.glob("index/*"), *bundle.glob("wasm.*")]:
        assert gzip.decompress(packed.read_bytes())[:12] in (b"pagefind_dcd", b"\0asm\x01\0\0\0")


def test_common_words_are_those_in_more_than_half_the_articles():
    from build_archive.search import COMMON_MIN_ARTICLES, find_common_words

    texts = [f"The story {i} of Derna" if i % 3 else f"Story {i}: Benghazi" for i in range(COMMON_MIN_ARTICLES)]
    assert find_common_words(texts) == ["derna", "of", "story", "the"]
    assert find_common_words(texts[:COMMON_MIN_ARTICLES - 1]) == []  # a small archive keeps every word


def test_an_article_is_indexed_by_its_story_with_its_places_actors_and_year(built_site: Path):
    import gzip
    import json

    fragments = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
                 for f in (built_site / "pagefind" / "fragment").iterdir()]
    retreat = next(f for f in fragments if "islamic-state-in-retreat" in f["url"])
    assert retreat["content"].startswith("Islamic State fighters retreated from long-held positions")
    assert "Cite this article" not in retreat["content"] and "Places" not in retreat["content"]
    assert retreat["meta"]["title"] == "Islamic State in retreat around east Libyan city: military"
    assert retreat["filters"]["year"] == ["2016"]
    assert "Derna" in retreat["filters"]["place"] and "Islamic State" in retreat["filters"]["actor"]
