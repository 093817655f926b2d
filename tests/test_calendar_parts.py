"""Long lists cut into pages along the calendar: every article once, no page too long,
and a new story changing only the page its date falls on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from build_archive.calendar_parts import Part, cut_by_calendar
from build_archive.model import Article

LIMIT = 5


def _path_of(unit: tuple[int, ...], number: int) -> str:
    return "/".join(map(str, unit)) + ("" if number == 1 else f"/page/{number}")


def _story(date: dt.date, n: int) -> Article:
    return Article(path=f"{n}.md", slug=f"story-{n:04d}", title=f"Story {n}", time=None, body="", date=date)


def _newest_first(articles: list[Article]) -> list:
    return [(a, ()) for a in sorted(articles, key=lambda a: a.sort_key, reverse=True)]


def _parts(articles: list[Article]) -> list[Part]:
    return cut_by_calendar((1987,), _newest_first(articles), LIMIT, _path_of)


days_of_1987 = st.integers(0, 364).map(lambda n: dt.date(1987, 1, 1) + dt.timedelta(days=n))
# Dates crowded into a few months and days, so that months and days overflow a page.
crowded = st.one_of(days_of_1987, st.sampled_from([dt.date(1987, 3, 9), dt.date(1987, 3, 10),
                                                   dt.date(1987, 4, 1), dt.date(1987, 12, 31)]))


@settings(max_examples=300, deadline=None)
@given(st.lists(crowded, max_size=60))
def test_every_article_once_newest_first_no_page_too_long_and_the_first_at_the_year(dates):
    articles = [_story(date, n) for n, date in enumerate(dates)]
    parts = _parts(articles)
    listed = [a for part in parts for a, _ in part.articles]
    assert listed == [a for a, _ in _newest_first(articles)]
    assert all(0 < len(part.articles) <= LIMIT for part in parts)
    assert len({part.path for part in parts}) == len(parts)
    if articles:
        assert parts[-1].path == "1987"  # the oldest page keeps the year's own path
    for part in parts:  # a page starting at a day or a month lives at that day or month
        oldest = part.articles[-1][0].date
        assert part.path in ("1987", f"1987/{oldest.month}", f"1987/{oldest.month}/{oldest.day}",
                             f"1987/{oldest.month}/{oldest.day}/page/{part.number}")


@settings(max_examples=300, deadline=None)
@given(st.lists(crowded, min_size=LIMIT + 1, max_size=60), crowded)
def test_a_new_story_changes_only_the_page_its_date_falls_on_unless_that_page_was_full(dates, new_date):
    articles = [_story(date, n) for n, date in enumerate(dates)]
    before = _parts(articles)
    after = _parts([*articles, _story(new_date, len(dates))])
    changed = [p for p in after if p not in before]
    its_page = [p for p in after if any(a.path == f"{len(dates)}.md" for a, _ in p.articles)][0]
    page_before = [p for p in before if p.path == its_page.path]
    # A story older than the rest may take the year's address from the page that had it.
    if page_before and len(page_before[0].articles) < LIMIT and its_page.of == 1 and new_date >= min(dates):
        assert changed == [its_page]


def test_labels_name_the_stretch_of_calendar_a_page_covers():
    march = [_story(dt.date(1987, 3, day), n) for n, day in enumerate([2, 3, 4, 9, 9, 9, 9, 9, 9, 9, 20])]
    others = [_story(dt.date(1987, month, 1), 100 + month) for month in (1, 2, 6, 7)]
    parts = _parts(march + others)
    assert [(p.path, p.label, p.heading, len(p.articles)) for p in parts] == [
        ("1987/6", "June – July", "June – July 1987", 2),
        ("1987/3/20", "20 March", "20 March 1987", 1),
        ("1987/3/9/page/2", "9 March (2/2)", "9 March 1987 (2/2)", 2),
        ("1987/3/9", "9 March (1/2)", "9 March 1987 (1/2)", 5),
        ("1987/3", "2–4 March", "2–4 March 1987", 3),
        ("1987", "January – February", "January – February 1987", 2),
    ]
