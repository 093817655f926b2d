"""What a reader does, in a real browser: search, then follow links."""

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
