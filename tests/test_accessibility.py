"""Pages everyone can use: axe-core finds nothing serious on any page kind, in
light and dark mode, on desktops and phones; graphics have text alternatives; search and listings work
with the keyboard alone.

axe-core comes from npm (package-lock.json; `make test` runs `npm ci`) and is
injected into each page by Playwright.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from page_kinds import LISTING_KINDS, PAGE_KINDS, SEARCH_QUERY

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
SCHEMES = {"light": "default", "dark": "slate"}  # reader's preference → Material's scheme
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}

# Charts and maps are drawn as SVG or by scripts: each must carry a name a screen
# reader can speak (role="img" with aria-label, or a <title>), or be hidden from
# screen readers because a text version sits next to it (aria-hidden).
UNNAMED_GRAPHICS = """() => {
  const content = document.querySelector(".md-content");
  if (!content) return [];
  const named = el => el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")
    || el.querySelector(":scope > title")?.textContent.trim();
  const graphics = [...content.querySelectorAll("svg, canvas, .leaflet-container, [role=img]")];
  return graphics
    .filter(el => !el.closest("a, button, [aria-hidden=true]"))  // icons inside links
    .filter(el => !named(el))
    .map(el => el.outerHTML.slice(0, 120));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.exists(), "axe-core is missing: run `make test` (it runs `npm ci`)"
    return AXE.read_text(encoding="utf-8")


def blocking_violations(page: Page, axe_source: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
            for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS
            for node in violation["nodes"]]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_page_kind_has_no_serious_accessibility_violations(browser, site_url, axe_source,
                                                            kind, scheme, screen):
    context = browser.new_context(color_scheme=scheme, viewport=SCREENS[screen],
                                  is_mobile=screen == "phone", has_touch=screen == "phone")
    page = context.new_page()
    page.goto(site_url + kind.path)
    if kind.show:
        kind.show(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    violations = blocking_violations(page, axe_source)
    unnamed = page.evaluate(UNNAMED_GRAPHICS)
    context.close()
    assert violations == []
    assert unnamed == [], "graphics without a text alternative"


def test_the_checks_report_what_they_should(page, site_url, axe_source):
    """The checks above can fail: an image without alt text, grey-on-grey text and
    a chart without a text alternative are caught."""
    page.goto(site_url)
    page.evaluate("""() => {
      const article = document.querySelector("article");
      article.insertAdjacentHTML("beforeend",
        '<img src="../assets/images/favicon.png"><p style="color:#bbb;background:#fff">faint</p>'
        + '<figure class="chart"><svg viewBox="0 0 10 10"><rect width="5" height="9"/></svg></figure>');
    }""")
    found = "\n".join(blocking_violations(page, axe_source))
    assert "image-alt" in found and "color-contrast" in found
    assert len(page.evaluate(UNNAMED_GRAPHICS)) == 1


def press_tab_until(page: Page, condition: str, limit: int = 40) -> bool:
    """Tab through the page until the focused element meets a JS condition on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({condition}); }}"):
            return True
    return False


def test_search_with_the_keyboard_alone(page, site_url):
    page.goto(site_url)
    assert press_tab_until(page, "el.matches('#archive-header-q')"), "Tab never reaches search"
    page.keyboard.type(SEARCH_QUERY, delay=30)
    page.keyboard.press("Enter")  # the header's form leads to the search page
    expect(page.locator(".archive-search__result").first).to_be_visible()
    assert press_tab_until(page, "el.matches('.archive-search__result-link')"), "Tab never reaches a result"
    result = page.locator(".archive-search__result-link:focus")
    title = result.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(title)


@pytest.mark.parametrize("kind", LISTING_KINDS, ids=str)
def test_every_link_of_a_listing_is_reached_and_followed_with_the_keyboard(page, site_url, kind):
    page.goto(site_url + kind.path)
    content_links = page.eval_on_selector_all(
        "article a[href]:not(.headerlink)", "links => links.map(a => a.href)")
    assert content_links, f"{kind} lists nothing"
    reached: list[str] = []
    for _ in range(len(content_links) + 60):  # + header, tabs, sidebars, permalinks
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
          const el = document.activeElement;
          if (!el.closest("article") || !el.href) return null;
          const style = getComputedStyle(el);
          return {href: el.href, visible: style.outlineStyle !== "none" && el.offsetWidth > 0};
        }""")
        if focused:
            assert focused["visible"], f"no visible focus on {focused['href']}"
            reached.append(focused["href"])
        if set(content_links) <= set(reached):
            break
    assert set(content_links) - set(reached) == set(), "links Tab never reaches"

    # Enter follows the link that has the focus, to another page of the site.
    here = site_url + kind.path
    first = next(link for link in content_links  # a page, not a download (CSV, feed...)
                 if link.startswith(site_url) and link.split("#")[0] != here
                 and link.split("#")[0].endswith("/"))
    page.goto(here)
    assert press_tab_until(page, f"el.href === {first!r}", limit=80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(first)
