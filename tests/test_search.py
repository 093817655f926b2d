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
