"""What a reader does, in a real browser: search, then follow links."""
import re

from playwright.sync_api import expect


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
