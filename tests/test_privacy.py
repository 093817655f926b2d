"""Readers' privacy: while reading, the browser contacts no host but the site's own.

Each page kind is opened in Chromium and every request it makes (page, scripts,
the search worker, fonts, images) is recorded; a host other than the site's
fails the test, except the map tiles on the page kinds that show a map.
"""

from __future__ import annotations

import re
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import material
import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import copy_project, run_mkdocs_build, serve_folder, write_files
from page_kinds import MAP_TILE_HOSTS, PAGE_KINDS, PageKind


def visit_recording_requests(browser: Browser, url: str, kind: PageKind) -> tuple[Page, list[str]]:
    """Open a page kind as a reader would; every URL the browser asked for, in order."""
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))  # workers too
    page = context.new_page()
    page.on("websocket", lambda socket: requested.append(socket.url))
    page.goto(url, wait_until="networkidle")
    if kind.show:
        kind.show(page)
    # Scrolling to the end lets lazy images and late scripts ask for what they need.
    page.mouse.wheel(0, 100_000)
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    return page, requested


def foreign_hosts(urls: list[str], site_url: str, allowed: tuple[str, ...] = ()) -> set[str]:
    own = urlparse(site_url).netloc
    hosts = {urlparse(url).netloc for url in urls if not url.startswith(("data:", "blob:"))}
    return {host for host in hosts - {own}
            if not any(fnmatch(host.split(":")[0], pattern) for pattern in allowed)}


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_page_kind_contacts_only_the_sites_own_host(browser, site_url, kind):
    page, requested = visit_recording_requests(browser, site_url + kind.path, kind)
    page.context.close()
    assert requested, "no request was recorded"
    assert foreign_hosts(requested, site_url, kind.foreign_hosts) == set(), requested


def test_the_recorder_sees_worker_requests_and_foreign_hosts(browser, site_url):
    """The check above can fail: it sees the search worker's requests and a foreign image."""
    search = next(kind for kind in PAGE_KINDS if kind.name == "search results")
    page, requested = visit_recording_requests(browser, site_url + search.path, search)
    assert any("/pagefind/" in url for url in requested)  # fetched by the search page's script
    page.evaluate("() => { new Image().src = 'http://localhost:9/pixel.png' }")
    page.wait_for_timeout(300)
    page.context.close()
    assert foreign_hosts(requested, site_url) == {"localhost:9"}


class _ResourceFinder(HTMLParser):
    """The addresses an HTML page makes a browser fetch by itself (not links to follow)."""

    SOURCES = {"src", "srcset", "poster", "data"}
    FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload",
                     "modulepreload", "prefetch", "preconnect", "dns-prefetch", "prerender"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, rel) of every <a>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a":
            self.links.append((values.get("href", ""), values.get("rel", "")))
        for name in self.SOURCES & values.keys():
            self.urls += [part.split()[0] for part in values[name].split(",") if part.strip()]
        if tag == "link" and self.FETCHED_LINKS & set(values.get("rel", "").lower().split()):
            self.urls.append(values.get("href", ""))
        if tag in {"image", "use", "feimage"}:
            self.urls.append(values.get("href", values.get("xlink:href", "")))
        self.urls += _CSS_URL.findall(values.get("style", ""))

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style":
            self.urls += _CSS_URL.findall(data)


_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def _own_host(built_site: Path) -> str:
    """The host the site was built for, from the home page's canonical address."""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    return urlparse(re.search(r'<link rel="canonical" href="([^"]+)"', home).group(1)).netloc


def _is_absolute(url: str) -> bool:
    return bool(urlparse(url).netloc)


def test_no_built_page_or_style_sheet_loads_anything_from_another_host(built_site: Path):
    """Every page of the site, not only one per kind: nothing refers to another host."""
    own = _own_host(built_site)
    foreign: dict[str, list[str]] = {}
    for path in sorted(built_site.rglob("*")):
        if path.suffix == ".html":
            finder = _ResourceFinder()
            finder.feed(path.read_text(encoding="utf-8"))
            urls = finder.urls
        elif path.suffix == ".css":
            urls = _CSS_URL.findall(path.read_text(encoding="utf-8"))
        else:
            continue
        outside = [url for url in urls if _is_absolute(url) and urlparse(url).netloc != own]
        if outside:
            foreign[str(path.relative_to(built_site))] = outside
    assert foreign == {}


def test_links_out_of_the_archive_do_not_tell_where_the_reader_came_from(built_site: Path):
    """Following a link to another site sends no Referer naming the page being read."""
    own = _own_host(built_site)
    outbound, telling = 0, []
    for path in sorted(built_site.rglob("*.html")):
        finder = _ResourceFinder()
        finder.feed(path.read_text(encoding="utf-8"))
        for href, rel in finder.links:
            if _is_absolute(href) and urlparse(href).netloc != own:
                outbound += 1
                if "noreferrer" not in rel.split():
                    telling.append(f"{path.relative_to(built_site)}: {href}")
    assert outbound, "no outbound link was checked"
    assert telling == []


def test_an_image_an_article_takes_from_another_host_is_published_with_the_site(browser, tmp_path):
    """Editors may paste a photo's address; readers still only contact the site."""
    photos = write_files(tmp_path / "photos", {"derna-port.png": _A_PNG.read_bytes()})
    with serve_folder(photos) as photos_url:
        # The same machine under another name: a host other than the site's 127.0.0.1.
        photo = photos_url.replace("127.0.0.1", "localhost") + "derna-port.png"
        (tmp_path / "project").mkdir()
        project = copy_project(tmp_path / "project")
        write_files(project, {"articles/2020/2020-05-01-port.md": f"""---
title: The port of Derna
date: 2020-05-01
places: [Derna]
---

![The port of Derna seen from the sea]({photo})
"""})
        result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    article = tmp_path / "site" / "articles" / "2020" / "05" / "the-port-of-derna" / "index.html"
    finder = _ResourceFinder()
    finder.feed(article.read_text(encoding="utf-8"))
    photo_copies = [url for url in finder.urls if url.endswith("derna-port.png")]
    assert photo_copies and not any(_is_absolute(url) for url in photo_copies), finder.urls
    assert list((tmp_path / "site" / "assets" / "external").rglob("derna-port.png"))

    with serve_folder(tmp_path / "site") as url:
        page, requested = visit_recording_requests(browser, url + "articles/2020/05/the-port-of-derna/",
                                                   PageKind("article", ""))
        image = page.get_by_role("img", name="The port of Derna seen from the sea")
        assert image.evaluate("img => img.naturalWidth") > 0
        page.context.close()
    assert foreign_hosts(requested, url) == set()


def test_a_file_that_cannot_be_downloaded_stops_the_build_naming_it(tmp_path):
    """Rather than publish a page that would make readers' browsers call another host."""
    project = copy_project(tmp_path)
    write_files(project, {"articles/2020/2020-05-01-port.md":
                          "---\ntitle: Port\ndate: 2020-05-01\n---\n\n![Port](http://localhost:9/port.png)\n"})
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode != 0
    assert "http://localhost:9/port.png (on articles/2020/05/port.md)" in result.stderr
    assert "Traceback" not in result.stderr


_A_PNG = Path(material.__file__).parent / "templates" / "assets" / "images" / "favicon.png"


def test_about_page_says_what_is_loaded_from_elsewhere(page, site_url):
    page.goto(site_url + "about/")
    privacy = page.locator("article")
    expect(privacy).to_contain_text("no other host")
    for host in MAP_TILE_HOSTS:
        expect(privacy).to_contain_text(host.removeprefix("*."))
