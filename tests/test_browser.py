"""What a reader does, in a real browser: search, then follow links."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from conftest import FIXTURES, copy_project, run_mkdocs_build, serve_folder


def test_search_for_derna_finds_both_articles_and_links_lead_on(page, site_url):
    page.goto(site_url)
    page.get_by_label("Search").first.click()
    search = page.locator("input.md-search__input")
    search.press_sequentially("Derna", delay=50)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result")).to_contain_text("Islamic State in retreat around east Libyan city")
    expect(page.locator(".md-search-result")).to_contain_text("Islamist alliance says it has driven Islamic State out of Derna")

    page.locator(".md-search-result__link", has_text="Islamic State in retreat").first.click()
    expect(page.locator("h1")).to_contain_text("Islamic State in retreat around east Libyan city: military")

    page.locator("article .archive-entities a", has_text="Derna").first.click()
    expect(page.locator("h1")).to_contain_text("Derna")
    expect(page.locator("article")).to_contain_text("Islamist alliance says it has driven Islamic State out of Derna")


HOSTILE = "articles/2020/01/fighting-in-benghazi-script-alert-1-script-link-javascript-x/"
HOSTILE_TITLE = "Fighting in Benghazi: <script>alert(1)</script> & [link](javascript:x)"


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory) -> Iterator[str]:
    """The small test archive, whose first article has a hostile title and summary."""
    folder = tmp_path_factory.mktemp("hostile")
    project = copy_project(folder, articles=FIXTURES / "small" / "articles")
    result = run_mkdocs_build(project, folder / "site", strict=False)  # it names an unknown place
    assert result.returncode == 0, result.stderr
    with serve_folder(folder / "site") as url:
        yield url


def test_a_hostile_title_renders_as_text_and_runs_nothing(page, hostile_site_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site_url + HOSTILE)
    expect(page.locator("article h1")).to_contain_text(HOSTILE_TITLE)
    assert page.title().startswith(HOSTILE_TITLE)
    assert page.locator("article script").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    expect(page.locator("article")).to_contain_text("A *summary* with <i>markup</i>.")

    page.get_by_label("Search").first.click()
    page.locator("input.md-search__input").press_sequentially("Benghazi", delay=50)
    expect(page.locator(".md-search-result")).to_contain_text("<script>alert(1)</script>")
    assert dialogs == []
