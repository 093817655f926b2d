from pathlib import Path

from build_archive.load import load_sources, parse_article
from conftest import write_files

ARTICLE = "---\ntitle: Derna\ndate: 2016-04-20\n---\n\nBody text.\n"


def test_front_matter_and_body_are_split():
    article, problems = parse_article(ARTICLE, "a.md")
    assert problems == []
    assert article.fields["title"] == "Derna"
    assert article.body == "Body text.\n"
    assert article.body_line == 6
    assert article.position("date") == (3, 7)


def test_bom_and_crlf_are_accepted(tmp_path: Path):
    data = ("\ufeff" + ARTICLE.replace("\n", "\r\n")).encode("utf-8")
    write_files(tmp_path, {"articles/a.md": data})
    sources, problems = load_sources(tmp_path / "articles")
    assert problems == []
    assert sources.articles[0].fields["title"] == "Derna"


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path: Path):
    write_files(tmp_path, {"articles/a.md": b"---\ntitle: Caf\xe9\n---\n"})
    _, problems = load_sources(tmp_path / "articles")
    assert [(p.path, p.line, p.column) for p in problems] == [("articles/a.md", 2, 11)]
    assert "offset 14" in problems[0].message and "UTF-8" in problems[0].message


def test_unclosed_front_matter_and_empty_files_are_errors():
    _, problems = parse_article("---\ntitle: x\n\nBody", "a.md")
    assert "never closed" in problems[0].message
    _, problems = parse_article("", "b.md")
    assert "empty" in problems[0].message
    _, problems = parse_article("Just text\n", "c.md")
    assert "no front-matter" in problems[0].message


def test_registries_are_read_with_entry_positions(tmp_path: Path):
    write_files(tmp_path, {"articles/places.yml": "Derna:\n  kind: city\n\nSirte:\n"})
    sources, problems = load_sources(tmp_path / "articles")
    assert problems == []
    assert [(e.name, e.line) for e in sources.places] == [("Derna", 1), ("Sirte", 4)]
    assert sources.places[0].position("kind") == (2, 9)


def test_a_damaged_record_of_addresses_is_reported_with_its_line(tmp_path):
    from build_archive.load import load_sources
    from conftest import write_files

    write_files(tmp_path, {
        "articles/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nText\n",
        "articles/published.yml": "articles:\n  a.md: articles/2020/01/a/\nplaces: derna\n",
    })
    sources, problems = load_sources(tmp_path / "articles")
    messages = [str(p) for p in problems]
    assert any(m.startswith("articles/published.yml:2:9: error: 'a.md' must list the addresses")
               for m in messages), messages
    assert any(m.startswith("articles/published.yml:3:9: error: 'places' must be a list")
               for m in messages), messages
    assert all("build-archive record" in m for m in messages)
    write_files(tmp_path, {"articles/published.yml": "articles: [a.md]\n"})
    _, problems = load_sources(tmp_path / "articles")
    assert [p.line for p in problems] == [1] and "each article must be written" in problems[0].message
    write_files(tmp_path, {"articles/published.yml": "articles: a.md\n"})
    _, problems = load_sources(tmp_path / "articles")
    assert [p.line for p in problems] == [1] and "'articles' must list" in problems[0].message
