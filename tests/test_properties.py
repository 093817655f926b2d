"""Property-based: whatever an editor or an import writes, the only exception is ours."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_archive.load import parse_article
from build_archive.pipeline import generate_pages
from build_archive.problem import ArchiveError
from build_archive.render import escape_markdown

FIELDS = ["title", "date", "places", "actors", "slug", "summary", "source", "byline",
          "dateline", "url", "language", "draft", "other"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=40), st.dates(), st.datetimes(),
    st.sampled_from(["Derna", "../../x", "javascript:alert(1)", "https://example.org/a(b)",
                     "<script>alert(1)</script>", "2015-02-30", "&amp;", "", " "]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)
front_matters = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)


def generate(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            path = Path(folder, "articles", name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            generate_pages(Path(folder, "articles"))
        except ArchiveError as exc:
            assert exc.problems, "an ArchiveError always carries its problems"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters, st.text(max_size=200))
def test_any_front_matter_gives_pages_or_our_error(fields: dict, body: str):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    generate({"a.md": text})


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_after_the_fence_gives_an_article_or_problems(text: str):
    article, problems = parse_article("---\n" + text, "a.md")
    assert article is not None or problems


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=20), values, max_size=5))
def test_any_registry_gives_pages_or_our_error(entries: dict):
    registry = yaml.safe_dump(entries, allow_unicode=True)
    generate({"places.yml": registry,
              "a.md": "---\ntitle: T\ndate: 2016-01-01\nplaces: [Derna]\n---\n"})


@given(st.text())
def test_escaped_text_never_holds_markup_characters(text: str):
    escaped = escape_markdown(text)
    assert not set(escaped) & set("<>[]()*_`\\|")
