"""Golden pages: the small fixture archive rendered, compared with tests/goldens/."""

from pathlib import Path

import pytest

from build_archive.pipeline import generate_pages
from build_archive.render import SiteText, escape_markdown
from conftest import FIXTURES

GOLDENS = Path(__file__).parent / "goldens" / "small"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return generate_pages(FIXTURES / "small" / "articles", home_intro="# Home\n").pages


def test_pages_match_the_goldens(pages: dict[str, str], update_goldens: bool):
    if update_goldens:
        for path, content in pages.items():
            target = GOLDENS / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    expected = {p.relative_to(GOLDENS).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(GOLDENS.rglob("*.md"))}
    assert sorted(pages) == sorted(expected)
    for path, content in pages.items():
        assert content == expected[path], f"{path} differs from its golden (pytest --update-goldens)"


def test_every_page_kind_is_generated(pages: dict[str, str]):
    assert {"index.md", "places/index.md", "actors/index.md", "timeline/index.md",
            "timeline/2020.md", "places/benghazi.md", "actors/islamic-state.md",
            "articles/2020/02/haftar-advances.md"} <= set(pages)
    assert "places/kufra.md" in pages  # named in an article, not in the registry


def test_escaped_text_cannot_form_markup():
    escaped = escape_markdown('<script>x</script> [a](javascript:b) *c* `d` & e')
    for char in "<>[]()*`":
        assert char not in escaped
    assert "&#60;script&#62;" in escaped


def test_hostile_title_is_inert_in_the_markdown(pages: dict[str, str]):
    page = pages["articles/2020/01/fighting-in-benghazi-script-alert-1-script-link-javascript-x.md"]
    front_matter, body = page.split("\n---\n", 1)
    assert "<script>" not in page
    assert "](javascript" not in body
    # Themes print the front-matter title into HTML as it is: it must arrive escaped.
    assert 'title: "Fighting in Benghazi: &lt;script&gt;' in front_matter


def test_an_entity_with_many_articles_keeps_small_pages_and_links_every_part():
    import datetime as dt

    from build_archive.index import build_archive
    from build_archive.model import Article, Entity, Resolved
    from build_archive.render import ENTITY_LATEST, ENTITY_PAGE_ARTICLES, render_pages

    day = dt.date(2019, 1, 1)
    articles = tuple(
        Article(path=f"a{i}.md", slug=f"story-{i:03d}", title=f"Story {i}", time=None, body="",
                date=day + dt.timedelta(days=i), places=("usa",))
        for i in range(ENTITY_PAGE_ARTICLES * 2 + 30))  # 2019 and early 2020
    pages = render_pages(build_archive(Resolved(articles, {"usa": Entity("place", "usa", "USA")}, {})))
    parts = sorted(p for p in pages if p.startswith("places/usa/"))
    # 2019 has 365, one a day: January to June on the year's page, July to December on one of
    # their own; 2020 fits its year's page.
    assert parts == ["places/usa/2019.md", "places/usa/2019/07.md", "places/usa/2020.md"]
    main = pages["places/usa.md"]
    for part in parts:
        assert f"]({part.removeprefix('places/')})" in main
    assert main.count("· [Story") == ENTITY_LATEST  # the latest only, not all 430
    assert all(pages[p].count("· [Story") <= ENTITY_PAGE_ARTICLES for p in parts)
    assert sum(pages[p].count("· [Story") for p in parts) == len(articles)
    assert "](../../usa.md)" in pages["places/usa/2019/07.md"]  # back to the main page
    assert "· July – December 2019" in pages["places/usa/2019/07.md"]
    assert all("href: feeds/places/usa.xml" in pages[p].split("\n---\n")[0] for p in parts)  # its feed


def test_counts_in_the_thousands_are_written_with_a_separator():
    import datetime as dt

    from build_archive.index import build_archive
    from build_archive.model import Article, Entity, Resolved
    from build_archive.render import render_pages

    articles = tuple(
        Article(path=f"a{i}.md", slug=f"story-{i:04d}", title=f"Story {i}", time=None, body="",
                date=dt.date(2019, 1, 1 + i % 28), places=("usa",))
        for i in range(1200))
    pages = render_pages(build_archive(Resolved(articles, {"usa": Entity("place", "usa", "USA")}, {})))
    assert "**1,200** articles" in pages["index.md"]
    assert "1,200 articles, 1 place and 0 actors." in pages["data.md"]
    assert "The latest 10 of 1,200;" in pages["places/usa.md"] and "### 2019 (1,200)" in pages["places/usa.md"]
    assert "<figcaption>Articles per month about USA: 1,200 articles in January 2019." in pages["places/usa.md"]
    assert "[USA](usa.md) (1,200)" in pages["places/index.md"]
    assert "January 2019](2019/01.md) (1,200)" in pages["timeline/index.md"]
    assert "1,200 articles; each month has a page of its own." in pages["timeline/2019.md"]


def test_places_are_grouped_by_country_and_actors_by_kind():
    from build_archive.index import build_archive
    from build_archive.model import Entity, Resolved
    from build_archive.render import group_by_category, group_by_country

    places = {
        "libya": Entity("place", "libya", "Libya", category="country"),
        "egypt": Entity("place", "egypt", "Egypt", category="country"),
        "derna": Entity("place", "derna", "Derna", category="city", within="libya"),
        "al-fatayeh": Entity("place", "al-fatayeh", "al-Fatayeh", category="area", within="derna"),
        "cairo": Entity("place", "cairo", "Cairo", category="city", within="egypt"),
        "mediterranean": Entity("place", "mediterranean", "Mediterranean", category="sea"),
    }
    archive = build_archive(Resolved((), places, {}))
    assert [(heading, [e.slug for e in group]) for heading, group in group_by_country(archive)] == [
        ("Egypt", ["egypt", "cairo"]),
        ("Libya", ["libya", "derna", "al-fatayeh"]),  # the country first, then A–Z ignoring "al-"
        ("Other places", ["mediterranean"]),
    ]
    actors = [Entity("actor", "haftar", "Khalifa Haftar", category="person"),
              Entity("actor", "is", "Islamic State", category="armed group"),
              Entity("actor", "gna", "Presidential Council", category="government"),
              Entity("actor", "nabaa", "Nabaa TV", category="media"),
              Entity("actor", "sabra", "Abdulkarim Sabra", category="Person"),
              Entity("actor", "new", "Newcomer", registered=False)]
    assert [(heading, [e.slug for e in group]) for heading, group in group_by_category(actors)] == [
        ("Armed groups", ["is"]), ("Governments", ["gna"]), ("Media", ["nabaa"]),
        ("People", ["sabra", "haftar"]), ("Other", ["new"]),
    ]


def test_entity_pages_show_sub_place_articles_cooccurrence_by_kind_chart_and_links(pages: dict[str, str]):
    libya = pages["places/libya.md"]
    assert "*Country* · 2 articles · 1 more about places within" in libya
    assert "· *in* [Benghazi](benghazi.md), [Guwarsha](guwarsha.md)" in libya
    assert "**Places:** [Benghazi](benghazi.md) (1) · [Kufra](kufra.md) (1)" in libya
    assert "**Actors:** [Khalifa Haftar](../actors/khalifa-haftar.md) (2)" in libya
    assert '<figure class="archive-chart" id="chart-place-libya">' in libya
    guwarsha = pages["places/guwarsha.md"]
    assert "[Libya](libya.md) › [Benghazi](benghazi.md) › Guwarsha" in guwarsha
    assert '<a href="https://en.wikipedia.org/wiki/Guwarsha">Wikipedia</a>' in guwarsha
    assert "**Location:** 32.07° N, 20.03° E · [on the archive's map](../map.md#place-guwarsha)" in guwarsha


def test_article_bodies_link_first_mentions_unless_switched_off(pages: dict[str, str]):
    second = pages["articles/2020/02/haftar-advances.md"]
    assert "## Haftar in Benghazi\n" in second  # headings stay as written
    assert "Forces of [Khalifa Haftar](../../../actors/khalifa-haftar.md) advanced on " \
           "[Banghazi](../../../places/benghazi.md)" in second
    assert "`Libya` in code" in second and "    Islamic State in an indented block" in second
    assert "With two paragraphs: [Libya](../../../places/libya.md) and Islamic State." in second
    third = pages["articles/2020/02/a-third-story.md"]
    assert "Third body: Khalifa Haftar in Libya, not linked." in third


def test_the_map_page_lists_every_place_with_coordinates(pages: dict[str, str]):
    page = pages["map.md"]
    assert '[Libya](places/libya.md){ #place-libya data-lat="27.0" data-lon="17.0" data-count="2" }' in page
    assert "places/guwarsha.md" in page and "places/benghazi.md" not in page  # no coordinates
    assert "<script" not in page  # the site's own script draws it
