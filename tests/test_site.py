"""End to end: the real `mkdocs build --strict`, read back as HTML."""

import re
from pathlib import Path

from conftest import FIXTURES, copy_project, run_mkdocs_build, write_files

DERNA_RETREAT = "articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/index.html"
MAJLIS = "articles/2015/06/islamist-alliance-says-it-has-driven-islamic-state-out-of-derna/index.html"


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_derna_page_lists_and_links_both_seed_articles(built_site: Path):
    derna = (built_site / "places/derna/index.html").read_text()
    hrefs = links(derna)
    assert "../../articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/" in hrefs
    assert "../../articles/2015/06/islamist-alliance-says-it-has-driven-islamic-state-out-of-derna/" in hrefs


def test_each_article_links_to_derna_and_islamic_state(built_site: Path):
    for page in (DERNA_RETREAT, MAJLIS):
        hrefs = links((built_site / page).read_text())
        assert "../../../../places/derna/" in hrefs, page
        assert "../../../../actors/islamic-state/" in hrefs, page


def test_the_sidebar_lists_only_the_index_pages(built_site: Path):
    html = (built_site / DERNA_RETREAT).read_text()
    nav = re.search(r'<nav class="md-nav md-nav--primary[^>]*>.*?</nav>', html, re.S).group(0)
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav)
    assert [label for label in labels if label] == ["Home", "Timeline", "Places", "Actors", "About"]


def test_site_has_search_index_sitemap_and_hand_written_home(built_site: Path):
    assert (built_site / "search/search_index.json").is_file()
    assert "places/derna/" in (built_site / "sitemap.xml").read_text()
    home = (built_site / "index.html").read_text()
    assert "Wire reporting on Libya" in home  # docs/index.md
    assert "Latest articles" in home


def test_a_hostile_title_stays_inert_in_the_built_html(tmp_path: Path):
    project = copy_project(tmp_path, articles=FIXTURES / "small" / "articles")
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)  # it names an unknown place
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/articles/2020/01/fighting-in-benghazi-script-alert-1-script-link-javascript-x/index.html").read_text()
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title


def test_a_bad_article_fails_the_build_with_file_and_line_and_no_traceback(tmp_path: Path):
    project = copy_project(tmp_path)
    assert run_mkdocs_build(project, tmp_path / "site").returncode == 0
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "site").rglob("*"))
    write_files(project, {"articles/2016/broken.md": "---\ntitle: Libya: a war\ndate: 2016-01-01\n---\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "articles/2016/broken.md:2:" in result.stderr
    assert "Traceback" not in result.stderr
    # The previous site is left as it was, not emptied or half-written.
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "site").rglob("*")) == before


def test_under_strict_a_warning_stops_the_build_before_anything_is_written(tmp_path: Path):
    project = copy_project(tmp_path)
    write_files(project, {"articles/2016/new.md": "---\ntitle: T\ndate: 2016-01-01\nplaces: [Drena]\n---\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "articles/2016/new.md:4:10: warning: 'Drena' is not in places.yml (did you mean 'Derna'?)" in result.stderr
    assert not (tmp_path / "site").exists()
