"""A long year on the timeline: a page per month, a long month cut by days into pages of a few hundred."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_archive.render import YEAR_PAGE_ARTICLES
from build_archive.synthetic import write_synthetic_archive
from conftest import copy_project, run_mkdocs_build

ARTICLES = YEAR_PAGE_ARTICLES + 40  # all in January 2000: one year, one month, cut by days into two pages


@pytest.fixture(scope="module")
def long_year_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long-year")
    articles = root / "source" / "articles"
    write_synthetic_archive(articles, articles=ARTICLES, places=4, actors=6, words=20, days=31)
    project = root / "project"
    project.mkdir()
    copy_project(project, articles=articles)
    site = root / "site"
    result = run_mkdocs_build(project, site)  # --strict: every link between the pages resolves
    assert result.returncode == 0, result.stderr
    return site


def _article_links(html: str) -> set[str]:
    return set(re.findall(r'href="(?:\.\./)+articles/2000/01/([a-z0-9-]+)/"', html))


def test_a_long_year_lists_its_months_and_each_month_its_pages(long_year_site: Path):
    year = (long_year_site / "timeline" / "2000" / "index.html").read_text()
    assert f"{ARTICLES:,} articles; each month has a page of its own" in year
    # The month's own page holds its first days; a later stretch of days starts a page of its own.
    later = re.findall(r'href="01/(\d\d)/"', year)
    assert 'href="01/"' in year and len(later) == 1
    first = (long_year_site / "timeline" / "2000" / "01" / "index.html").read_text()
    second = (long_year_site / "timeline" / "2000" / "01" / later[0] / "index.html").read_text()
    day = int(later[0])
    assert f"1–{day - 1} January 2000" in first and f"{day}–31 January 2000" in second
    # Every article of the month once, each page within its days, none of them twice.
    listed = _article_links(first) | _article_links(second)
    assert len(_article_links(first)) <= YEAR_PAGE_ARTICLES and len(_article_links(second)) <= YEAR_PAGE_ARTICLES
    assert len(listed) == ARTICLES == len(_article_links(first)) + len(_article_links(second))
    assert 'class="archive-next"' in first  # the pager leads on to the later days


def test_the_timeline_leads_to_the_month_pages(long_year_site: Path):
    timeline = (long_year_site / "timeline" / "index.html").read_text()
    assert 'href="2000/01/"' in timeline
    assert "#january-2000" not in timeline
