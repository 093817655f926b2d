"""Phones: at 375 px wide, pages fit the screen (no sideways scrolling) and search works."""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import copy_project, run_mkdocs_build, serve_folder, write_files
from page_kinds import PHONE_READING_KINDS, SEARCH_QUERY, open_search_results

PHONE = {"width": 375, "height": 740}
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
# Content sticking out past the screen's right edge, which a page may also hide
# by clipping it (Material clips the whole page sideways) instead of scrolling.
# Inside a box of its own that fits the screen and scrolls (a wide table) or
# clips (a map's tiles), content may stick out: the reader pans that box.
STICKING_OUT = """() => {
  const inOwnBox = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible"
          && box.getBoundingClientRect().right <= window.innerWidth + 1) return true;
    }
    return false;
  };
  return [...document.querySelectorAll(".md-content *")]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(el => !inOwnBox(el))
    .map(el => el.outerHTML.slice(0, 80));
}"""


def assert_fits_the_screen(page) -> None:
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    assert page.evaluate(STICKING_OUT) == []

# Words that do not wrap by themselves: a German compound, a bare link, a long
# transliterated name, and a table wider than the screen.
UNBREAKABLE = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"
WIDE_ARTICLE = f"""---
title: "Report from {UNBREAKABLE}"
date: 2020-03-01
places: [Tripoli, {UNBREAKABLE}]
actors: [Government of National Accord]
summary: Sources at https://example.org/reports/2020/03/01/a-very-long-address-that-never-breaks-anywhere-at-all
---

The statement, posted at https://example.org/reports/2020/03/01/a-very-long-address-that-never-breaks-anywhere-at-all/index.html, named {UNBREAKABLE}.

| Date | Place | Dead | Wounded | Displaced | Source | Remarks | Verified by |
|------|-------|------|---------|-----------|--------|---------|-------------|
| 2020-03-01 | {UNBREAKABLE} | 12 | 40 | 1200 | Ministry of Health | disputed figures | two independent hospitals |
"""


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", PHONE_READING_KINDS, ids=str)
def test_page_fits_a_phone_screen(phone_page, site_url, kind):
    phone_page.goto(site_url + kind.path)
    assert_fits_the_screen(phone_page)


def test_long_words_links_and_tables_do_not_widen_the_page(phone_page, tmp_path: Path):
    """Articles bring long names, bare links and wide tables: the page still fits."""
    project = copy_project(tmp_path)
    write_files(project, {"articles/2020/2020-03-01-wide.md": WIDE_ARTICLE})
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    article = next(site.glob("articles/2020/03/*/index.html")).parent.relative_to(site)
    place = next(site.glob("places/donaudampf*/index.html")).parent.relative_to(site)
    with serve_folder(site) as url:
        for page_path in (place, article):
            phone_page.goto(f"{url}{page_path}/")
            expect(phone_page.locator("h1")).to_contain_text("Donaudampf")
            assert_fits_the_screen(phone_page)
    # The table is wider than the screen and scrolls inside its own box instead.
    assert phone_page.locator("table").evaluate("el => el.scrollWidth > window.innerWidth")


def test_search_works_on_a_phone(phone_page, site_url):
    phone_page.goto(site_url + PHONE_READING_KINDS[0].path)
    phone_page.locator(".archive-header-search__button").tap()  # phones: the icon opens the search page
    expect(phone_page).to_have_url(re.compile(r"/search/"))
    open_search_results(phone_page)
    result = phone_page.locator(".archive-search__result-link").first
    expect(result).to_be_in_viewport()
    phone_page.wait_for_function(f"({SCROLL_WIDTH})() <= {PHONE['width']}", timeout=5000)
    title = result.inner_text()
    result.tap()
    expect(phone_page.locator("h1")).to_contain_text(title)


# The focused link, if it is one, and whether a reader can see it: on screen,
# not transparent or hidden, not covered by something else.
FOCUSED_LINK = """() => {
  const el = document.activeElement;
  if (!el.matches("a[href]")) return null;
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  let seen = box.width > 0 && x >= 0 && x <= innerWidth && y >= 0 && y <= innerHeight;
  for (let node = el; node && seen; node = node.parentElement) {
    const style = getComputedStyle(node);
    seen = style.opacity !== "0" && style.visibility !== "hidden";
  }
  const hit = seen && document.elementFromPoint(x, y);
  return {href: el.href, seen: !!hit && (hit === el || el.contains(hit))};
}"""


def test_every_link_the_keyboard_reaches_on_a_phone_is_on_screen(phone_page, site_url):
    """The navigation drawer slides in for the keyboard; closed sub-menus are skipped."""
    phone_page.goto(site_url + "places/")
    reached, unseen = [], []
    for _ in range(24):  # skip link, header, drawer, then the page's own links
        phone_page.keyboard.press("Tab")
        phone_page.wait_for_timeout(300)  # the drawer's slide
        focused = phone_page.evaluate(FOCUSED_LINK)
        if focused:
            reached.append(focused["href"])
            (unseen if not focused["seen"] else []).append(focused["href"])
    assert site_url + "about/" in reached and site_url + "places/derna/" in reached
    assert unseen == []
