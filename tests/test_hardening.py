"""Hostile or broken input: one case per kind of bad input, each with its message and place.

Every case goes through the same path as a build (load → resolve), and must come
back as problems, never as an exception.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from build_archive.pipeline import check_articles, generate_pages
from build_archive.problem import ArchiveError
from conftest import write_files

TODAY = dt.date(2026, 1, 1)
GOOD = "---\ntitle: Fine\ndate: 2016-01-01\n---\n\nText.\n"


def fm(*lines: str, body: str = "Text.\n") -> str:
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" + body


# name: (files under the project, expected problem: (path, line, column, severity, words in message))
CASES: dict[str, tuple[dict[str, str | bytes], tuple[str, int, int, str, str]]] = {
    "unquoted colon in title": (
        {"articles/a.md": fm("title: Libya: the battle", "date: 2016-01-01")},
        ("articles/a.md", 2, 13, "error", 'must be quoted, e.g. title: "Libya')),
    "front-matter never closed": (
        {"articles/a.md": "---\ntitle: T\ndate: 2016-01-01\n\nText\n"},
        ("articles/a.md", 1, 1, "error", "never closed: add a line '---'")),
    "missing title": (
        {"articles/a.md": fm("date: 2016-01-01")},
        ("articles/a.md", 1, 1, "error", "'title' is missing: add a line")),
    "missing date": (
        {"articles/a.md": fm("title: T")},
        ("articles/a.md", 1, 1, "error", "'date' is missing: add a line 'date: YYYY-MM-DD'")),
    "string where a list belongs": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "places: Derna")},
        ("articles/a.md", 4, 9, "error", "'places' must be a list, even of one: places: [Derna]")),
    "byline as a string": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "byline: Ayman al-Warfalli")},
        ("articles/a.md", 4, 9, "error", "'byline' must be a list")),
    "number as title": (
        {"articles/a.md": fm("title: 1987", "date: 2016-01-01")},
        ("articles/a.md", 2, 8, "error", 'put it in quotes, title: "1987"')),
    "mapping as title": (
        {"articles/a.md": fm("title: {a: 1}", "date: 2016-01-01")},
        ("articles/a.md", 2, 8, "error", "'title' must be text, not a mapping")),
    "impossible date": (
        {"articles/a.md": fm("title: T", "date: 2015-02-30")},
        ("articles/a.md", 3, 7, "error", "2015-02-30 is not a real date")),
    "date in the future": (
        {"articles/a.md": fm("title: T", "date: 2031-05-01")},
        ("articles/a.md", 3, 7, "warning", "the date 2031-05-01 is in the future")),
    "duplicate permalink": (
        {"articles/a.md": fm("title: Same", "date: 2016-01-01"),
         "articles/b.md": fm("title: Other", "date: 2016-01-09", "slug: same")},
        ("articles/b.md", 4, 7, "error", "already used by articles/a.md")),
    "slug that is a path": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "slug: ../../x")},
        ("articles/a.md", 4, 7, "error", "'slug' must be lower-case letters, digits and single hyphens")),
    "title that slugifies to nothing": (
        {"articles/a.md": fm("title: '!!!'", "date: 2016-01-01")},
        ("articles/a.md", 2, 8, "error", "add 'slug: some-words'")),
    "place name that slugifies to nothing": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "places: ['???']")},
        ("articles/a.md", 4, 10, "error", "no letters or digits")),
    "registry name that slugifies to nothing": (
        {"articles/places.yml": "Derna:\n  kind: city\n'---':\n  kind: city\n"},
        ("articles/places.yml", 3, 1, "error", "no letters or digits")),
    "empty file": (
        {"articles/a.md": ""},
        ("articles/a.md", 1, 1, "error", "the file is empty")),
    "not UTF-8": (
        {"articles/a.md": b"---\ntitle: Caf\xe9\ndate: 2016-01-01\n---\n"},
        ("articles/a.md", 2, 11, "error", "byte 0xE9 at offset 14 cannot be decoded")),
    "object-constructing YAML tag": (
        {"articles/a.md": fm("title: !!python/object/apply:os.system [ls]", "date: 2016-01-01")},
        ("articles/a.md", 2, 8, "error", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")),
    "YAML anchor and alias": (
        {"articles/a.md": fm("title: &t Hello", "date: 2016-01-01", "summary: *t")},
        ("articles/a.md", 2, 8, "error", "YAML anchor 't' is not allowed")),
    "alias bomb": (
        {"articles/a.md": fm('a: &a ["x","x","x","x","x","x","x","x","x"]',
                             "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
                             "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]", "title: T", "date: 2016-01-01")},
        ("articles/a.md", 2, 4, "error", "YAML anchor 'a' is not allowed")),
    "javascript url": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "url: javascript:alert(1)")},
        ("articles/a.md", 4, 6, "error", "'url' must be a web address starting with https://")),
    "tab indentation": (
        {"articles/a.md": fm("title: T", "\tdate: 2016-01-01")},
        ("articles/a.md", 3, 1, "error", "indent with spaces, not tabs")),
    "front-matter that is a list": (
        {"articles/a.md": fm("- a", "- b")},
        ("articles/a.md", 2, 1, "error", "the front-matter must be fields like 'title: …'")),
    "key given twice": (
        {"articles/a.md": fm("title: A", "title: B", "date: 2016-01-01")},
        ("articles/a.md", 3, 1, "error", "'title' is given twice")),
    "unknown field": (
        {"articles/a.md": fm("title: T", "date: 2016-01-01", "titel: x")},
        ("articles/a.md", 4, 1, "warning", "unknown field 'titel' (did you mean 'title'?)")),
    "coordinates out of range": (
        {"articles/places.yml": "Derna:\n  coordinates: [132.7, 22.6]\n"},
        ("articles/places.yml", 2, 16, "error", "out of range")),
    "wikidata id of the wrong form": (
        {"articles/places.yml": "Derna:\n  wikidata: https://www.wikidata.org/wiki/Q1\n"},
        ("articles/places.yml", 2, 13, "error", "an item id like Q1016")),
    "place inside itself": (
        {"articles/places.yml": "Derna:\n  within: Derna\n"},
        ("articles/places.yml", 2, 11, "error", "goes round in a circle: Derna › Derna")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_becomes_one_clear_problem(name: str, tmp_path: Path):
    files, (path, line, column, severity, words) = CASES[name]
    write_files(tmp_path, files)
    archive, problems = check_articles(tmp_path / "articles", today=TODAY)
    found = [(p.path, p.line, p.column, p.severity.value) for p in problems]
    assert found == [(path, line, column, severity)], [str(p) for p in problems]
    assert words in problems[0].message
    if severity == "error":
        assert archive is None
        with pytest.raises(ArchiveError):
            generate_pages(tmp_path / "articles")


def test_bom_and_crlf_line_endings_are_accepted(tmp_path: Path):
    write_files(tmp_path, {"articles/a.md": ("\ufeff" + GOOD).replace("\n", "\r\n").encode()})
    archive, problems = check_articles(tmp_path / "articles", today=TODAY)
    assert problems == []
    assert archive.articles[0].title == "Fine"
    assert archive.articles[0].body == "Text.\n"


def test_a_five_megabyte_body_builds(tmp_path: Path):
    paragraph = "Derna " * 150 + "\n\n"
    body = paragraph * (5_000_000 // len(paragraph) + 1)
    write_files(tmp_path, {"articles/a.md": fm("title: Long", "date: 2016-01-01", body=body)})
    generated = generate_pages(tmp_path / "articles")
    page = generated.pages["articles/2016/01/long.md"]
    assert len(page) > 5_000_000


def test_a_link_leading_outside_the_articles_folder_is_named(tmp_path: Path):
    write_files(tmp_path, {"articles/a.md": GOOD, "secret/passwd.md": GOOD})
    os.symlink(tmp_path / "secret" / "passwd.md", tmp_path / "articles" / "b.md")
    os.symlink(tmp_path / "secret", tmp_path / "articles" / "more")
    _, problems = check_articles(tmp_path / "articles", today=TODAY)
    assert [(p.path, p.severity.value) for p in problems] == [
        ("articles/b.md", "error"), ("articles/more", "error")]
    assert "leads outside the articles folder" in problems[0].message


def test_every_problem_is_reported_at_once(tmp_path: Path):
    articles = {}
    for name, (files, _) in CASES.items():
        for path, content in files.items():
            if path.endswith(".md"):  # each case in a folder of its own, so none collide
                articles[f"articles/{name.replace(' ', '-')}/{Path(path).name}"] = content
    write_files(tmp_path, articles)
    _, problems = check_articles(tmp_path / "articles", today=TODAY)
    # Every broken file is reported in one run (the duplicate-permalink case has two files).
    assert len({p.path for p in problems}) == len(articles) - 1


def test_a_build_never_changes_an_editors_files(tmp_path: Path):
    files = {"articles/good.md": GOOD, "articles/places.yml": "Derna:\n  kind: city\n"}
    write_files(tmp_path, files)
    before = {p: p.read_bytes() for p in (tmp_path / "articles").rglob("*")}
    stamps = {p: p.stat().st_mtime_ns for p in before}
    generate_pages(tmp_path / "articles")
    check_articles(tmp_path / "articles")
    assert {p: p.read_bytes() for p in (tmp_path / "articles").rglob("*")} == before
    assert {p: p.stat().st_mtime_ns for p in before} == stamps
