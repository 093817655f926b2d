"""Golden pages: the small fixture archive rendered, compared with tests/goldens/."""

from pathlib import Path

import pytest

from build_archive.pipeline import generate_pages
from build_archive.render import SiteText, escape_markdown
from conftest import FIXTURES

GOLDENS = Path(__file__).parent / "goldens" / "small"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return generate_pages(FIXTURES / "small" / "articles", SiteText(home_intro="# Home\n")).pages


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
    assert parts == ["places/usa/2019.md", "places/usa/2019/page/2.md", "places/usa/2020.md"]
    main = pages["places/usa.md"]
    for part in parts:
        assert f"]({part.removeprefix('places/')})" in main
    assert main.count("· [Story") == ENTITY_LATEST  # the latest only, not all 430
    assert all(pages[p].count("· [Story") <= ENTITY_PAGE_ARTICLES for p in parts)
    assert sum(pages[p].count("· [Story") for p in parts) == len(articles)
    assert "](../../../usa.md)" in pages["places/usa/2019/page/2.md"]  # back to the main page
