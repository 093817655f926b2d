import datetime as dt
from pathlib import Path

from build_archive.load import load_sources
from build_archive.resolve import resolve_sources
from conftest import ROOT, write_files

TODAY = dt.date(2026, 1, 1)


def resolve(tmp_path: Path, files: dict[str, str]):
    write_files(tmp_path, files)
    sources, problems = load_sources(tmp_path / "articles")
    resolved, found = resolve_sources(sources, today=TODAY)
    return resolved, [(p.path, p.line, p.severity.value, p.message) for p in problems + found]


def article(front_matter: str, body: str = "Text.\n") -> str:
    return f"---\n{front_matter}---\n\n{body}"


def test_the_seed_articles_resolve_cleanly_and_aliases_meet_on_one_actor():
    sources, problems = load_sources(ROOT / "articles")
    resolved, found = resolve_sources(sources, today=TODAY)
    assert problems + found == []
    by_year = {a.date.year: a for a in resolved.articles}
    council = "derna-mujahideen-shura-council"
    assert council in by_year[2015].actors  # written "Majlis Mujahideen" there
    assert council in by_year[2016].actors
    assert resolved.places["guwarsha"].within == "benghazi"


def test_unknown_names_get_a_page_and_a_did_you_mean(tmp_path: Path):
    resolved, problems = resolve(tmp_path, {
        "articles/places.yml": "Benghazi:\n  kind: city\n",
        "articles/a.md": article("title: T\ndate: 2016-01-01\nplaces: [Bengazi]\n"),
    })
    assert problems == [("articles/a.md", 4, "warning",
                         "'Bengazi' is not in places.yml (did you mean 'Benghazi'?); "
                         "add it to articles/places.yml (or as an alias of an existing entry)")]
    assert resolved.places["bengazi"].registered is False


def test_missing_and_mistyped_fields_are_errors_with_lines(tmp_path: Path):
    _, problems = resolve(tmp_path, {
        "articles/a.md": article("date: 2016-01-01\nplaces: Derna\n"),
        "articles/b.md": article("title: 1987\ndate: yesterday\n"),
        "articles/c.md": article("title: T\ndate: 2016-01-01\nslug: ../../x\nurl: javascript:alert(1)\n"),
    })
    messages = {(path, line): message for path, line, _, message in problems}
    assert "'title' is missing" in messages[("articles/a.md", 1)]
    assert "must be a list" in messages[("articles/a.md", 3)]
    assert "put it in quotes" in messages[("articles/b.md", 2)]
    assert "real date" in messages[("articles/b.md", 3)]
    assert "'slug' must be" in messages[("articles/c.md", 4)]
    assert "https://" in messages[("articles/c.md", 5)]


def test_two_articles_at_one_address_name_both_files(tmp_path: Path):
    _, problems = resolve(tmp_path, {
        "articles/a.md": article("title: Same title\ndate: 2016-01-01\n"),
        "articles/b.md": article("title: Same title!\ndate: 2016-01-20\n"),
    })
    assert len(problems) == 1
    path, line, severity, message = problems[0]
    assert (path, line, severity) == ("articles/b.md", 2, "error")
    assert "articles/a.md" in message


def test_place_hierarchy_cycles_and_name_clashes_are_errors(tmp_path: Path):
    _, problems = resolve(tmp_path, {
        "articles/places.yml": "A:\n  within: B\nB:\n  within: A\nC:\n  aliases: [A]\n",
    })
    messages = [m for _, _, _, m in problems]
    assert any("circle" in m for m in messages)
    assert any("'A' already names 'A'" in m for m in messages)


def test_future_dates_warn_and_drafts_are_left_out(tmp_path: Path):
    resolved, problems = resolve(tmp_path, {
        "articles/a.md": article("title: Soon\ndate: 2030-01-01\n"),
        "articles/b.md": article("title: Later\ndate: 2016-01-01\ndraft: true\n"),
    })
    assert [(p[0], p[2]) for p in problems] == [("articles/a.md", "warning")]
    assert [a.title for a in resolved.articles] == ["Soon"]
