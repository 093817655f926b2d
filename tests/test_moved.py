"""A renamed or moved article file keeps its published address; a lost one is reported."""

import datetime as dt
from pathlib import Path

from build_archive.load import load_sources
from build_archive.model import Article, Published, PublishedArticle
from build_archive.moved import find_moves, fingerprint
from build_archive.pipeline import generate_pages
from build_archive.published import record_published
from conftest import write_files

DAY = dt.date(2016, 4, 20)
TEXT = "Islamic State fighters retreated from positions around Derna on Wednesday.\n"


def article(name: str, title: str = "Islamic State in retreat", body: str = TEXT, date=DAY) -> Article:
    from build_archive.resolve import make_slug
    return Article(path=f"articles/{name}", slug=make_slug(title), title=title, date=date, time=None,
                   body=body, name=name)


def entry(address: str = "articles/2016/04/islamic-state-in-retreat/", *, title="Islamic State in retreat",
          date="2016-04-20", text=fingerprint(TEXT), line=7) -> PublishedArticle:
    return PublishedArticle((address,), date, title, text, line)


def moves_of(record: dict[str, PublishedArticle], articles: list[Article]):
    present = {a.name for a in articles}
    return find_moves(Published(record), articles, present)


def test_a_renamed_file_with_the_same_date_and_title_keeps_its_entry():
    moves, problems = moves_of({"2016/old.md": entry("articles/2016/04/derna-retreat/", text="")},
                               [article("2016/new.md", body="Rewritten text.\n")])
    assert moves == {"2016/new.md": "2016/old.md"}
    [problem] = problems
    assert (problem.path, problem.line) == ("articles/published.yml", 7)
    assert problem.severity.value == "warning"
    assert "articles/2016/old.md is now articles/2016/new.md (same date and title)" in problem.message
    assert "run `build-archive record`" in problem.message


def test_a_moved_and_retitled_file_is_known_by_its_text():
    moves, problems = moves_of({"2016/old.md": entry()},
                               [article("2016/elsewhere/new.md", title="Islamic State retreats from Derna")])
    # (the new title makes a new address: only the text tells)
    assert moves == {"2016/elsewhere/new.md": "2016/old.md"}
    assert "(same text)" in problems[0].message


def test_an_article_at_a_published_address_is_that_entry_s_even_if_another_looks_alike():
    twin = article("2016/twin.md", title="Islamic State retreats")  # same text, another title
    at_address = article("2016/new.md", body="Other text.\n")  # the slug of the published address
    moves, problems = moves_of({"2016/old.md": entry()}, [twin, at_address])
    assert moves == {"2016/new.md": "2016/old.md"}
    assert "(at its published address)" in problems[0].message


def test_two_look_alikes_keep_neither_and_the_editor_is_told_how_to_choose():
    first = article("2016/a.md", title="Islamic State retreats")
    second = article("2016/b.md", title="Islamic State pulls back")
    moves, problems = moves_of({"2016/old.md": entry()}, [first, second])
    assert moves == {}
    [problem] = problems
    assert problem.line == 7
    assert "articles/2016/a.md and articles/2016/b.md each look like it (same text)" in problem.message
    assert "`slug: islamic-state-in-retreat`" in problem.message
    assert "or restore articles/2016/old.md" in problem.message


def test_one_file_like_two_lost_entries_takes_neither():
    record = {"2016/old.md": entry("articles/2016/04/retreat/", line=7),
              "2016/older.md": entry("articles/2016/04/retreat-2/", line=10)}
    moves, problems = moves_of(record, [article("2016/new.md", body="Other text.\n")])
    assert moves == {}
    assert [p.line for p in problems] == [7, 10]
    assert "articles/2016/new.md looks like it (same date and title) but also like articles/2016/older.md" \
        in problems[0].message


def test_a_deleted_file_is_reported_with_its_entry_s_line_and_what_to_do():
    moves, problems = moves_of({"2016/old.md": entry()}, [article("2016/other.md", "Floods in Derna", "Water.\n")])
    assert moves == {}
    [problem] = problems
    assert str(problem).startswith(
        "articles/published.yml:7:1: warning: articles/2016/old.md was published at "
        "/articles/2016/04/islamic-state-in-retreat/ but the file is gone, and no new article has "
        "its date and title or its text, so that address now leads nowhere: restore the file from git")
    assert "`slug: islamic-state-in-retreat`" in problem.message


def test_a_file_the_record_knows_is_never_taken_for_a_moved_one():
    copy = article("2016/copy.md")
    moves, problems = moves_of({"2016/old.md": entry(), "2016/copy.md": entry()}, [copy])
    assert moves == {} and "no new article" in problems[0].message


def test_the_record_reads_both_its_entry_forms_with_their_lines(tmp_path: Path):
    write_files(tmp_path, {"articles/published.yml": (
        "# the record\n"
        "articles:\n"
        "  2015/old-form.md:\n"
        "  - articles/2015/06/derna/\n"
        "  2016/new-form.md:\n"
        "    addresses:\n"
        "    - articles/2016/04/retreat/\n"
        "    date: 2016-04-20\n"
        "    title: 'Islamic State in retreat: military'\n"
        "    text: 0e3b5c2a9f1d4e6b\n"
        "places: []\nactors: []\n")})
    sources, problems = load_sources(tmp_path / "articles")
    assert problems == []
    assert sources.published.articles == {
        "2015/old-form.md": PublishedArticle(("articles/2015/06/derna/",), line=3),
        "2016/new-form.md": PublishedArticle(("articles/2016/04/retreat/",), "2016-04-20",
                                             "Islamic State in retreat: military", "0e3b5c2a9f1d4e6b", 5),
    }


ORIGINAL = ("---\ntitle: Islamic State in retreat\ndate: 2016-04-20\nplaces: [Derna]\n---\n\n" + TEXT)


def test_a_moved_and_retitled_article_keeps_its_address_and_record_follows_it(tmp_path: Path):
    articles = write_files(tmp_path, {"articles/2016/old.md": ORIGINAL})
    articles = tmp_path / "articles"
    record_published(articles)
    (articles / "2016/old.md").unlink()
    write_files(articles, {"2016/derna/retreat.md": ORIGINAL.replace(
        "title: Islamic State in retreat", "title: Islamic State retreats from Derna")})

    generated = generate_pages(articles)
    assert "articles/2016/04/islamic-state-in-retreat.md" in generated.pages  # the published address
    assert "# Islamic State retreats from Derna" in generated.pages["articles/2016/04/islamic-state-in-retreat.md"]
    [problem] = [p for p in generated.problems if "published.yml" in p.path]
    assert "articles/2016/old.md is now articles/2016/derna/retreat.md (same text)" in problem.message
    record = (articles / "published.yml").read_text()

    recorded = record_published(articles)
    assert recorded.moved == (("2016/old.md", "2016/derna/retreat.md"),) and recorded.added == 0
    after = (articles / "published.yml").read_text()
    assert after != record and "2016/old.md" not in after
    assert ('- {"file": "2016/derna/retreat.md", "addresses": ["articles/2016/04/islamic-state-in-retreat/"], '
            '"date": "2016-04-20", "title": "Islamic State retreats from Derna", "text": ') in after
    assert not [p for p in generate_pages(articles).problems if "published.yml" in p.path]
