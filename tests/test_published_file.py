"""The record of published addresses: what `record` writes reads back the same, quickly
line by line, and exactly as a YAML parser reads it."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from build_archive.model import Published, PublishedArticle
from build_archive.published_file import _parse_lines, _parse_yaml, format_published, parse_published

names = st.text(string.ascii_lowercase + string.digits + "/-_. ", min_size=1, max_size=30)
slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)
titles = st.text(max_size=40)  # any character: quotes, colons, scripts, controls
entries = st.builds(
    lambda addresses, date, title, text: PublishedArticle(tuple(addresses), date, title, text),
    st.lists(slugs.map(lambda s: f"articles/2016/04/{s}/"), max_size=3),
    st.sampled_from(["", "2016-04-20"]), titles, st.sampled_from(["", "4a0c17ff792105de", "1234567890123456"]))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(names, entries, max_size=4), st.lists(slugs, max_size=4), st.lists(slugs, max_size=4))
def test_what_record_writes_reads_back_the_same_by_either_reader(articles, places, actors):
    published = Published(articles, tuple(places), tuple(actors))
    text = format_published(published)
    fast = _parse_lines(text)
    full, problems = _parse_yaml(text, "published.yml")
    assert problems == []
    assert fast is not None and fast == full  # the quick reader agrees with YAML, lines included
    assert _without_lines(fast) == published


def _without_lines(published: Published) -> Published:
    from dataclasses import replace
    return replace(published, articles={k: replace(v, line=1) for k, v in published.articles.items()})


def test_an_entry_s_line_is_its_line_in_the_file():
    text = format_published(Published({"a.md": PublishedArticle(("articles/2020/01/a/",)),
                                       "b.md": PublishedArticle(("articles/2020/01/b/",))}))
    published, _ = parse_published(text, "published.yml")
    lines = text.splitlines()
    assert '"file": "b.md"' in lines[published.articles["b.md"].line - 1]


def test_a_record_from_before_files_were_followed_still_reads():
    published, problems = parse_published(
        "articles:\n  2016/a.md:\n  - articles/2016/04/a/\nplaces:\n- derna\nactors: []\n", "published.yml")
    assert problems == []
    assert published == Published({"2016/a.md": PublishedArticle(("articles/2016/04/a/",), line=2)}, ("derna",))
