"""Atom feeds: valid (RFC 4287 rules, read back by feedparser), complete, escaped."""

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from build_archive.feed import FEED_LENGTH
from build_archive.pipeline import generate_pages
from build_archive.render import SiteText
from conftest import FIXTURES, ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
TEXT = SiteText(site_name="Libya news archive", site_url="https://example.org/archive/")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return generate_pages(ROOT / "articles", TEXT).files


def check_atom(data: bytes) -> etree._Element:
    """The rules of RFC 4287 a feed reader relies on, checked one by one."""
    feed = etree.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{required}")) == 1, (element.tag, required)
        assert element.findtext(f"{ATOM}id").startswith("https://example.org/archive/")
        dt.datetime.fromisoformat(element.findtext(f"{ATOM}updated"))  # RFC 3339
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.findall(f"{ATOM}author/{ATOM}name")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return feed


def test_every_feed_is_valid_atom(files: dict[str, bytes]):
    feeds = [path for path in files if path.endswith(".xml") and not path.endswith("sitemap.xml")]
    assert "feeds/all.xml" in feeds and "feeds/places/derna.xml" in feeds
    assert "feeds/actors/islamic-state.xml" in feeds
    for path in feeds:
        check_atom(files[path])


def test_the_derna_feed_holds_both_derna_articles_newest_first(files: dict[str, bytes]):
    parsed = feedparser.parse(files["feeds/places/derna.xml"])
    assert parsed.feed.title == "Derna — Libya news archive"
    assert parsed.feed.link == "https://example.org/archive/places/derna/"
    assert [e.link for e in parsed.entries] == [
        "https://example.org/archive/articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/",
        "https://example.org/archive/articles/2015/06/islamist-alliance-says-it-has-driven-islamic-state-out-of-derna/",
    ]
    assert parsed.entries[0].author == "Ayman al-Warfalli"
    assert "Derna" in [tag.label for tag in parsed.entries[0].tags]


def test_feeds_are_capped_and_byte_identical_run_to_run(tmp_path: Path):
    articles = tmp_path / "articles"
    for day in range(1, FEED_LENGTH + 6):
        date = dt.date(2020, 1, 1) + dt.timedelta(days=day)
        (articles / "2020").mkdir(parents=True, exist_ok=True)
        (articles / "2020" / f"{day}.md").write_text(
            f"---\ntitle: Story {day}\ndate: {date}\nplaces: [Derna]\n---\nText {day}.\n")
    first = generate_pages(articles, TEXT).files
    second = generate_pages(articles, TEXT).files
    assert first == second
    feed = check_atom(first["feeds/all.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == FEED_LENGTH and titles[0] == f"Story {FEED_LENGTH + 5}"


def test_a_hostile_title_is_text_in_the_feed():
    files = generate_pages(FIXTURES / "small" / "articles", TEXT).files
    feed = check_atom(files["feeds/all.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert any("<script>alert(1)</script>" in t for t in titles)  # as text, not markup
    assert b"<script>" not in files["feeds/all.xml"]


def test_the_yearly_pages_of_a_long_entity_announce_its_feed(tmp_path: Path):
    """A place on more than 200 articles is split into pages per year: each names its feed."""
    from build_archive.synthetic import write_synthetic_archive
    from conftest import copy_project, run_mkdocs_build

    articles = tmp_path / "synthetic"
    write_synthetic_archive(articles, articles=230, places=4, actors=6, words=20)
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project", articles=articles)
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    parts = sorted((tmp_path / "site" / "places").glob("*/[0-9][0-9][0-9][0-9]/index.html"))
    assert parts, "no place was split into yearly pages"
    for part in parts:
        slug = part.parent.parent.name
        head = part.read_text(encoding="utf-8").split("</head>")[0]
        assert f'href="../../../feeds/places/{slug}.xml"' in head, part
        assert (tmp_path / "site" / "feeds" / "places" / f"{slug}.xml").is_file()
