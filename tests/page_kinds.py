"""Every kind of page a reader can land on, one row each, for the browser tests.

The privacy, accessibility and phone tests walk this table; a new kind of page
(a map, a faceted search...) is one more row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

ARTICLE = "articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/"
SEARCH_QUERY = "Derna"
# The only hosts besides the site's own a reader's browser may contact, and only
# on pages that show a map: OpenStreetMap's tile servers.
MAP_TILE_HOSTS = ("tile.openstreetmap.org", "*.tile.openstreetmap.org")


def open_search_results(page: Page) -> None:
    """Type a query into the search page, as a reader does, until results show."""
    page.locator("#archive-search-q").press_sequentially(SEARCH_QUERY, delay=30)
    page.keyboard.press("Enter")
    expect(page.locator(".archive-search__result").first).to_be_visible()


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # relative to the site's root
    # What a reader does once the page has loaded to see what the kind is for.
    show: Callable[[Page], None] | None = None
    # Hosts other than the site's own that this kind may contact: MAP_TILE_HOSTS on maps.
    foreign_hosts: tuple[str, ...] = ()
    # A list of links a reader walks through (checked with the keyboard alone).
    listing: bool = False
    # Read on phones once reached from a link (checked at 375 px).
    phone_reading: bool = False

    def __str__(self) -> str:
        return self.name


PAGE_KINDS = [
    PageKind("home", "", listing=True),
    PageKind("article", ARTICLE, listing=True, phone_reading=True),
    PageKind("place", "places/derna/", listing=True, phone_reading=True),
    PageKind("actor", "actors/islamic-state/", listing=True, phone_reading=True),
    PageKind("places A-Z", "places/", listing=True),
    PageKind("actors A-Z", "actors/", listing=True),
    PageKind("timeline", "timeline/", listing=True),
    PageKind("year", "timeline/2016/", listing=True),
    PageKind("map", "map/", foreign_hosts=MAP_TILE_HOSTS, listing=True, phone_reading=True),
    PageKind("data", "data/"),  # downloads, not pages to walk through
    PageKind("about", "about/"),
    PageKind("search results", "search/", show=open_search_results),
]
LISTING_KINDS = [kind for kind in PAGE_KINDS if kind.listing]
PHONE_READING_KINDS = [kind for kind in PAGE_KINDS if kind.phone_reading]
