"""Permalinks that never break: renames and title changes keep old addresses working."""

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from build_archive.pipeline import generate_pages
from build_archive.redirect import find_redirects
from conftest import ROOT, copy_project, run_mkdocs_build, serve_folder

RETREAT_FILE = "articles/2016/2016-04-20-islamic-state-in-retreat-around-east-libyan-city-military.md"
RETREAT = "articles/2016/04/islamic-state-in-retreat-around-east-libyan-city-military/"


def build_archive(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_archive", *args], cwd=cwd,
                          capture_output=True, text=True)


def rename_derna_to_darna(project: Path) -> None:
    """An editor renames a place and keeps the old name as an alias, as the README says."""
    places = project / "articles/places.yml"
    text = places.read_text().replace("Derna:\n  aliases: [Darnah]", "Darna:\n  aliases: [Derna, Darnah]")
    places.write_text(text.replace("within: Derna", "within: Darna"))


def redirect_target(html: str) -> str:
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


def test_every_alias_address_leads_to_its_entity():
    redirects = find_redirects(generate_pages(ROOT / "articles").archive)
    assert redirects["places/darnah/"] == ("places/derna/", "Derna")
    assert redirects["actors/daesh/"] == ("actors/islamic-state/", "Islamic State")
    assert not set(redirects) & {"places/derna/", "actors/islamic-state/"}  # real pages win


def test_after_a_rename_the_old_address_redirects_in_the_browser(tmp_path: Path, page):
    project = copy_project(tmp_path)
    rename_derna_to_darna(project)
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    old = (site / "places/derna/index.html").read_text()
    assert redirect_target(old) == "../darna/"
    assert '<link rel="canonical" href="http://127.0.0.1:8000/places/darna/">' in old
    assert (site / "feeds/places/darna.xml").is_file()

    with serve_folder(site) as url:
        page.goto(url + "places/derna/")
        expect(page.locator("h1")).to_contain_text("Darna")
        assert page.url == url + "places/darna/"


def test_a_changed_title_keeps_the_published_address(tmp_path: Path):
    project = copy_project(tmp_path)
    assert build_archive("record", cwd=project).returncode == 0
    article = project / RETREAT_FILE
    article.write_text(article.read_text().replace(
        'title: "Islamic State in retreat around east Libyan city: military"',
        'title: "Islamic State retreats from Derna outskirts"'))
    pages = generate_pages(project / "articles").pages
    assert f"{RETREAT.rstrip('/')}.md" in pages
    assert "# Islamic State retreats from Derna outskirts" in pages[f"{RETREAT.rstrip('/')}.md"]

    # An editor who sets a new slug moves the page; the published address redirects.
    article.write_text(article.read_text().replace("date: 2016-04-20", "date: 2016-04-20\nslug: derna-retreat"))
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    assert (site / "articles/2016/04/derna-retreat/index.html").is_file()
    assert redirect_target((site / RETREAT / "index.html").read_text()) == "../derna-retreat/"
    assert "articles/2016/04/derna-retreat/" in (site / "sitemap.xml").read_text()
    assert RETREAT not in (site / "sitemap.xml").read_text()  # a redirect is not a page


def test_record_only_grows_and_a_build_never_writes_it(tmp_path: Path):
    project = copy_project(tmp_path)
    record = project / "articles/published.yml"
    assert build_archive("record", cwd=project).returncode == 0
    before = record.read_text()
    assert RETREAT in before and "- derna" in before
    run_mkdocs_build(project, tmp_path / "site")
    assert record.read_text() == before

    rename_derna_to_darna(project)
    assert build_archive("record", cwd=project).returncode == 0
    after = record.read_text()
    assert "- derna\n" in after and "- darna\n" in after


def test_check_warns_when_a_published_name_loses_its_address(tmp_path: Path):
    project = copy_project(tmp_path)
    assert build_archive("record", cwd=project).returncode == 0
    places = project / "articles/places.yml"
    places.write_text(places.read_text().replace("Derna:\n  aliases: [Darnah]", "Darna:\n  aliases: [Darnah]")
                      .replace("within: Derna", "within: Darna"))
    for article in (project / "articles").rglob("*.md"):
        article.write_text(article.read_text().replace("Derna,", "Darna,").replace("[Derna", "[Darna"))
    result = build_archive("check", cwd=project)
    assert "articles/published.yml:1:1: warning: the address places/derna/ was published" in result.stdout
    assert "keep the old name as an alias" in result.stdout


def test_check_reports_a_deleted_published_article_with_its_line_in_the_record(tmp_path: Path):
    project = copy_project(tmp_path)
    assert build_archive("record", cwd=project).returncode == 0
    lines = (project / "articles/published.yml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if RETREAT_FILE.removeprefix("articles/") in text)
    (project / RETREAT_FILE).unlink()
    result = build_archive("check", cwd=project)
    assert (f"articles/published.yml:{line}:1: warning: {RETREAT_FILE} was published at /{RETREAT} "
            "but the file is gone, and no new article has its date and title or its text, so that "
            "address now leads nowhere: restore the file from git") in result.stdout


def test_a_renamed_and_retitled_article_file_keeps_its_published_address(tmp_path: Path, page):
    project = copy_project(tmp_path)
    assert build_archive("record", cwd=project).returncode == 0
    old, new = project / RETREAT_FILE, project / "articles/2016/derna-retreat.md"
    new.write_text(old.read_text().replace(
        'title: "Islamic State in retreat around east Libyan city: military"',
        'title: "Islamic State retreats from Derna outskirts"'))
    old.unlink()

    site = tmp_path / "site"
    result = run_mkdocs_build(project, site, strict=False)  # strict stops at the warning
    assert result.returncode == 0, result.stderr
    assert (f"{RETREAT_FILE} is now articles/2016/derna-retreat.md (same text): it keeps its "
            f"published address /{RETREAT}; run `build-archive record`") in result.stderr
    assert not (site / "articles/2016/04/islamic-state-retreats-from-derna-outskirts").exists()
    with serve_folder(site) as url:
        page.goto(url + RETREAT)
        expect(page.locator("h1")).to_contain_text("Islamic State retreats from Derna outskirts")

    # `record` files the entry under the new name; then all is quiet, even when strict.
    recorded = build_archive("record", cwd=project)
    assert f"{RETREAT_FILE} → articles/2016/derna-retreat.md" in recorded.stderr
    record = (project / "articles/published.yml").read_text()
    assert f'- {{"file": "2016/derna-retreat.md", "addresses": ["{RETREAT}"]' in record
    assert RETREAT_FILE.removeprefix("articles/") not in record
    assert build_archive("check", "--strict", cwd=project).returncode == 0
