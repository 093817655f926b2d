"""What a reader does, in a real browser: search from the header, narrow the results
by place, actor or year, follow links, and use the map."""
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import FIXTURES, copy_project, run_mkdocs_build, serve_folder, write_files

RETREAT = "Islamic State in retreat around east Libyan city"
MAJLIS = "Islamist alliance says it has driven Islamic State out of Derna"
FLOOD = "Floods sweep through Derna after dams burst"


def search_from_the_header(page, site_url: str, query: str) -> None:
    page.goto(site_url)
    box = page.get_by_role("searchbox", name="Search the archive")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(f"{site_url}search/?q={query}")


def narrow(page):
    """Open the facets with the keyboard, as a reader without a mouse would."""
    page.locator(".archive-search__facets summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".archive-search__filters fieldset").first).to_be_visible()


def test_search_for_derna_finds_both_articles_and_links_lead_on(page, site_url):
    search_from_the_header(page, site_url, "Derna")
    results = page.locator(".archive-search__result")
    expect(results).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("2 articles for “Derna”")
    expect(page.locator(".archive-search__results")).to_contain_text(RETREAT)
    expect(page.locator(".archive-search__results")).to_contain_text(MAJLIS)
    expect(page.locator(".archive-search__results mark").first).to_contain_text("Derna")

    page.locator(".archive-search__result-link", has_text=RETREAT).click()
    expect(page.locator("h1")).to_contain_text("Islamic State in retreat around east Libyan city: military")

    page.locator("article .archive-entities a", has_text="Derna").first.click()
    expect(page.locator("h1")).to_contain_text("Derna")
    expect(page.locator("article")).to_contain_text(MAJLIS)


def test_only_articles_are_indexed(page, site_url):
    page.goto(f"{site_url}search/?q=Derna")
    expect(page.locator(".archive-search__result")).to_have_count(2)  # not the Derna page, nor lists
    for link in page.locator(".archive-search__result-link").all():
        assert "/articles/" in link.get_attribute("href")


@pytest.fixture(scope="module")
def faceted_site_url(tmp_path_factory) -> Iterator[str]:
    """The real archive plus a Derna story that does not mention Islamic State."""
    project = copy_project(tmp_path_factory.mktemp("faceted"))
    write_files(project, {"articles/2023/2023-09-11-derna-floods.md": (
        f"---\ntitle: {FLOOD}\ndate: 2023-09-11\nsource: Reuters\nplaces: [Derna, Libya]\n"
        "actors: [Khalifa Haftar]\n---\n\nFloods swept through the eastern city of Derna.\n")})
    result = run_mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    with serve_folder(project / "site") as url:
        yield url


def test_derna_narrowed_to_the_actor_islamic_state(page, faceted_site_url):
    search_from_the_header(page, faceted_site_url, "Derna")
    results = page.locator(".archive-search__result")
    expect(results).to_have_count(3)
    expect(page.locator(".archive-search__results")).to_contain_text(FLOOD)

    # Keyboard only: the facets open from their summary; each filter is a labelled checkbox.
    narrow(page)
    islamic_state = page.get_by_role("checkbox", name="Islamic State (2)")
    islamic_state.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Islamic State (2)")).to_be_checked()
    expect(results).to_have_count(2)
    expect(page.locator(".archive-search__results")).not_to_contain_text(FLOOD)
    expect(page.locator(".archive-search__results")).to_contain_text(RETREAT)
    expect(page.locator(".archive-search__results")).to_contain_text(MAJLIS)
    expect(page).to_have_url(f"{faceted_site_url}search/?q=Derna&actor=Islamic+State")

    page.get_by_role("checkbox", name="2016 (1)").check()  # and the year
    expect(results).to_have_count(1)
    expect(page.locator(".archive-search__results")).to_contain_text(RETREAT)

    # The narrowed search is in the address: reloading it (or sharing it) shows the same.
    page.reload()
    expect(results).to_have_count(1)
    expect(page.get_by_role("checkbox", name="Islamic State (1)")).to_be_checked()


def test_a_place_filter_narrows_a_search(page, faceted_site_url):
    page.goto(f"{faceted_site_url}search/?q=Islamic")
    expect(page.locator(".archive-search__result")).to_have_count(2)
    page.get_by_text("Narrow by place, actor and year").click()
    page.get_by_role("checkbox", name="Benghazi (1)").check()
    expect(page.locator(".archive-search__result")).to_have_count(1)
    expect(page.locator(".archive-search__results")).to_contain_text(RETREAT)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_wears_the_material_look(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site_url}search/?q=Derna")
    expect(page.locator(".archive-search__result")).to_have_count(2)
    colours = page.evaluate("""() => {
        const body = getComputedStyle(document.body);
        const result = getComputedStyle(document.querySelector('.archive-search__result-link'));
        const box = getComputedStyle(document.querySelector('.archive-search__input'));
        return {page: body.backgroundColor, box: box.backgroundColor, text: result.color,
                header: !!document.querySelector('.md-header .archive-header-search')};
    }""")
    context.close()
    assert colours["header"]
    assert colours["box"] == colours["page"]  # the search box follows the light/dark scheme
    dark_background = colours["page"] != "rgb(255, 255, 255)"
    assert dark_background == (scheme == "dark")


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
    expect(page.locator(".archive-citation code")).to_contain_text(HOSTILE_TITLE)
    expect(page.get_by_role("button", name="Copy to clipboard")).to_have_count(1)  # the citation's

    search_from_the_header(page, hostile_site_url, "Benghazi")
    expect(page.locator(".archive-search__results")).to_contain_text("<script>alert(1)</script>")
    assert page.locator(".archive-search__results script").count() == 0
    assert dialogs == []


def _block_tiles(page) -> None:
    # Without tiles the map must still work: markers on a plain background, and the list.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())


def test_the_map_shows_derna_and_its_marker_leads_to_the_derna_page(page, site_url):
    _block_tiles(page)
    page.goto(site_url + "map/")
    derna = page.locator(".archive-map__marker[title='Derna: 2 articles']")
    expect(derna).to_be_visible()
    expect(page.locator(".archive-map__marker")).to_have_count(7)
    expect(page.locator("article a#place-derna")).to_have_attribute("href", re.compile(r"places/derna/$"))
    # At the whole-country view Derna and al-Fatayeh overlap: open the map on Derna,
    # as its place page's link does, then select its marker.
    page.goto(site_url + "places/derna/")
    page.get_by_role("link", name="on the archive's map").click()
    expect(derna).to_be_visible()
    derna.click()
    expect(page).to_have_url(site_url + "places/derna/")
    expect(page.locator("h1")).to_contain_text("Derna")


def test_map_markers_work_from_the_keyboard(page, site_url):
    _block_tiles(page)
    page.goto(site_url + "map/")
    tripoli = page.locator(".archive-map__marker[title='Tripoli: 2 articles']")
    expect(tripoli).to_have_attribute("tabindex", "0")
    tripoli.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Tripoli")
def test_back_from_a_result_returns_to_the_narrowed_search(page, site_url):
    page.goto(f"{site_url}search/?q=Derna&actor=Islamic+State")
    expect(page.locator(".archive-search__result")).to_have_count(2)
    page.locator(".archive-search__result-link", has_text=RETREAT).click()
    expect(page.locator("h1")).to_contain_text(RETREAT)
    page.go_back()
    expect(page.locator(".archive-search__result")).to_have_count(2)
    expect(page.get_by_role("checkbox", name="Islamic State (2)")).to_be_checked()


def test_excerpts_quote_the_story_not_its_title_date_or_entity_lines(page, site_url):
    page.goto(f"{site_url}search/?q=Derna")
    excerpts = page.locator(".archive-search__result > p:not(.archive-search__facts)")
    expect(excerpts).to_have_count(2)
    for text in excerpts.all_inner_texts():
        assert "Derna" in text
        for line in ("Places", "Actors", "April 2016", "June 2015", RETREAT, MAJLIS):
            assert line not in text, text


def test_a_word_only_in_a_title_still_finds_its_article(page, hostile_site_url):
    page.goto(f"{hostile_site_url}search/?q=Fighting")  # its text says "First article body."
    expect(page.locator(".archive-search__result")).to_have_count(1)
    expect(page.locator(".archive-search__result-link")).to_contain_text("Fighting in Benghazi")


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the built real archive that a test may change."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    return site


def test_the_search_page_fetches_pagefind_s_script_packed_and_no_worker(page, site_copy):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url.rsplit("/", 1)[-1]))
    with serve_folder(site_copy) as url:
        page.goto(f"{url}search/?q=Derna")
        expect(page.locator(".archive-search__result")).to_have_count(2)
    assert "pagefind.js.gz" in fetched
    assert "pagefind.js" not in fetched and "pagefind-worker.js" not in fetched

    # Where the packed copy is missing (an index made by hand), the plain script serves.
    (site_copy / "pagefind" / "pagefind.js.gz").unlink()
    with serve_folder(site_copy) as url:
        page.goto(f"{url}search/?q=Derna")
        expect(page.locator(".archive-search__result")).to_have_count(2)
    assert "pagefind.js" in fetched


def test_words_in_most_articles_are_left_out_of_a_search(page, site_copy):
    # The real archive is too small to have such words: name one that is in neither article.
    (site_copy / "pagefind" / "archive-common-words.json").write_text('["zebra"]')
    with serve_folder(site_copy) as url:
        page.goto(f"{url}search/?q=Derna+zebra")
        expect(page.locator(".archive-search__result")).to_have_count(2)
        expect(page.get_by_role("status")).to_have_text(
            "2 articles for “Derna zebra” (“zebra” left out: it is in most articles)")
        page.goto(f"{url}search/?q=zebra")  # alone, it would find most articles
        expect(page.get_by_role("status")).to_have_text(
            "“zebra” is in most articles: add a more specific word to search.")
        expect(page.locator(".archive-search__result")).to_have_count(0)
        page.goto(f"{url}search/?q=%22Derna+zebra%22")  # so is a quoted phrase
        expect(page.get_by_role("status")).to_have_text("No articles found.")
