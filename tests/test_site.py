"""End to end: the real `mkdocs build --strict`, read back as HTML."""

import re
import subprocess
import sys
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
    assert [label for label in labels if label] == ["Home", "Timeline", "Places", "Actors", "Map", "Data",
                                                    "About", "Editor's guide"]


def test_site_has_search_index_sitemap_and_hand_written_home(built_site: Path):
    assert (built_site / "pagefind/pagefind.js").is_file()
    assert (built_site / "pagefind/pagefind-worker.js").is_file()
    assert not (built_site / "search/search_index.json").exists()  # Material's search is off
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


def test_a_warning_repeated_across_articles_takes_one_line_of_the_build_log(tmp_path: Path):
    project = copy_project(tmp_path)
    write_files(project, {f"articles/2016/new-{i}.md": f"---\ntitle: T{i}\ndate: 2016-01-0{i}\nplaces: [Drena]\n---\n"
                          for i in (1, 2, 3)})
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    drena = [line for line in result.stderr.splitlines() if "'Drena'" in line]
    assert len(drena) == 1
    assert drena[0].endswith("articles/2016/new-1.md:4:10: warning: 'Drena' is not in places.yml (did you mean "
                             "'Derna'?); add it to articles/places.yml (or as an alias of an existing entry) "
                             "[and 2 more like it: `build-archive check` lists every one]")
    check = subprocess.run([sys.executable, "-m", "build_archive", "check"], cwd=project,
                           capture_output=True, text=True)
    assert [line.split(":")[0] for line in check.stdout.splitlines() if "'Drena'" in line] == [
        f"articles/2016/new-{i}.md" for i in (1, 2, 3)]


def test_under_strict_a_warning_stops_the_build_before_anything_is_written(tmp_path: Path):
    project = copy_project(tmp_path)
    write_files(project, {"articles/2016/new.md": "---\ntitle: T\ndate: 2016-01-01\nplaces: [Drena]\n---\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "articles/2016/new.md:4:10: warning: 'Drena' is not in places.yml (did you mean 'Derna'?)" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_map_ships_leaflet_with_the_site_and_loads_nothing_from_a_cdn(built_site: Path):
    html = (built_site / "map/index.html").read_text()
    assert 'id="place-derna"' in html and 'data-lat="32.767"' in html
    assert (built_site / "assets/archive/leaflet/leaflet.js").read_bytes().startswith(b"/* @preserve\n * Leaflet 1.9.4")
    assert (built_site / "assets/archive/leaflet/LICENSE").is_file()
    script = (built_site / "assets/archive/archive-map.js").read_text()
    assert 'base + "leaflet/leaflet.js"' in script
    for page in ("map/index.html", "places/derna/index.html", "index.html"):
        text = (built_site / page).read_text()
        sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', text)
        assert not [s for s in sources if "//" in s and not s.startswith("http://127.0.0.1")], page
        assert "assets/archive/archive-map.js" in text and "assets/archive/entities.css" in text


def test_entity_and_timeline_pages_carry_a_static_chart(built_site: Path):
    for page in ("places/derna/index.html", "actors/islamic-state/index.html", "timeline/index.html"):
        html = (built_site / page).read_text()
        chart = re.search(r'<figure class="archive-chart".*?</figure>', html, re.S).group(0)
        assert '<svg class="archive-chart__bars"' in chart and 'role="img"' in chart
        assert "<figcaption>" in chart and "<script" not in chart


def test_article_bodies_link_first_mentions_to_entity_pages(built_site: Path):
    html = (built_site / DERNA_RETREAT).read_text()
    body = re.search(r"<p>(<a [^>]*>Islamic State</a> fighters retreated.*?)</p>", html, re.S).group(1)
    assert body.startswith('<a href="../../../../actors/islamic-state/">Islamic State</a> fighters')
    assert 'city of <a href="../../../../places/derna/">Derna</a> on Wednesday' in body
    assert body.count('href="../../../../places/derna/"') == 1  # the first mention only
    assert body.count('href="../../../../actors/islamic-state/"') == 1


def test_a_place_page_shows_where_the_place_is(built_site: Path):
    html = (built_site / "places/derna/index.html").read_text()
    assert "32.767° N, 22.637° E" in html
    assert 'href="../../map/#place-derna"' in html
    locator = re.search(r'<figure class="archive-locator".*?</figure>', html, re.S).group(0)
    assert 'role="img"' in locator and ">Derna</text>" in locator and ">Tripoli</text>" in locator
    assert "Libya" not in re.sub(r"<figcaption>.*|<desc.*?</desc>", "", locator)  # not the country's middle
def test_the_sitemap_lists_every_page_and_each_page_names_its_canonical_address(built_site: Path):
    sitemap = set(re.findall(r"<loc>(.*?)</loc>", (built_site / "sitemap.xml").read_text()))
    pages = [p for p in built_site.rglob("index.html")
             if "http-equiv=\"refresh\"" not in p.read_text()[:600]]  # redirects are not pages
    assert len(pages) > 20
    for page in pages:
        address = "http://127.0.0.1:8000/" + page.parent.relative_to(built_site).as_posix() + "/"
        address = address.replace("8000/./", "8000/")
        assert address in sitemap, address
        assert f'<link rel="canonical" href="{address}">' in page.read_text(), page
    assert len(sitemap) == len(pages)


def test_feeds_are_announced_in_each_page_head(built_site: Path):
    derna = (built_site / "places/derna/index.html").read_text()
    head = derna.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml" title="Libya news archive" href="../../feeds/all.xml">' in head
    assert 'title="Derna — Libya news archive" href="../../feeds/places/derna.xml"' in head
    assert 'href="../../feeds/places/derna.xml"' in derna.split("</head>")[1]  # a visible link too
    article = (built_site / DERNA_RETREAT).read_text().split("</head>")[0]
    assert 'href="../../../../feeds/actors/islamic-state.xml"' in article
    home = (built_site / "index.html").read_text().split("</head>")[0]
    assert 'href="feeds/all.xml"' in home


def test_each_article_shows_a_citation_with_its_permalink(built_site: Path):
    html = (built_site / DERNA_RETREAT).read_text()
    citation = re.search(r'<div class="archive-citation"[^>]*>.*?<code>(.*?)</code>', html, re.S).group(1)
    assert citation == ("Ayman al-Warfalli. “Islamic State in retreat around east Libyan city&#58; military.” "
                        "Reuters, 20 April 2016. Libya news archive, http&#58;//127.0.0.1&#58;8000/articles/2016/04/"
                        "islamic-state-in-retreat-around-east-libyan-city-military/")


def test_a_hostile_title_stays_inert_in_head_links_and_citation(tmp_path: Path):
    project = copy_project(tmp_path, articles=FIXTURES / "small" / "articles")
    result = run_mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/articles/2020/01/fighting-in-benghazi-script-alert-1-script-link-javascript-x/index.html").read_text()
    assert "<script>alert" not in html
    assert html.count('rel="alternate"') == 4  # the archive, Benghazi, Guwarsha, Islamic State


def test_a_full_build_keeps_no_second_copy_of_the_pages_and_downloads(tmp_path: Path):
    """MkDocs holds every page to the end of a build: the plugin lets go of its own copy
    of each page's Markdown once MkDocs has read it, and writes the downloads into the
    site at once rather than hold their bytes (hundreds of MB on a large archive), and
    keeps neither the articles nor their data records through MkDocs' part."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    from build_archive.model import SiteText
    from build_archive.pipeline import check_articles, render_files

    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins["archive"].config.search_index = False
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` starts
    sources_left: list[str] = []
    original = Page.render

    def render(page, *args, **kwargs):
        if page.file.generated_by:  # read already, before it is converted
            sources_left.append(page.file.content_string)
        return original(page, *args, **kwargs)

    Page.render = render
    try:
        build(config)
    finally:
        Page.render = original
    generated = config.plugins["archive"].generated
    assert len(sources_left) == len(generated.pages) > 20 and set(sources_left) == {""}
    assert set(generated.pages.values()) == {""} and set(generated.files.values()) == {b""}
    assert generated.archive.articles == () and not generated.memo.__getstate__()  # nor the articles, nor records
    archive, _ = check_articles(project / "articles")
    downloads = render_files(archive, SiteText(site_name=config.site_name, site_url=config.site_url))
    assert (tmp_path / "site" / "data" / "articles.csv").read_bytes() == downloads["data/articles.csv"]


def test_too_little_memory_for_the_search_index_stops_the_build_with_a_clear_message(tmp_path: Path):
    project = copy_project(tmp_path)
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("      articles_dir: articles\n",
                                                       "      articles_dir: articles\n      search_memory_mib: 10\n"))
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "search_memory_mib: 10 is too little for Pagefind; give at least 128 (MiB)" in result.stderr
    assert "Traceback" not in result.stderr
