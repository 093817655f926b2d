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


def test_registry_links_are_kept_and_bad_ones_named_with_their_line(tmp_path: Path):
    resolved, problems = resolve(tmp_path, {
        "articles/places.yml": (
            "Derna:\n"
            "  links:\n"
            "    Wikipedia: https://en.wikipedia.org/wiki/Derna,_Libya\n"
            "    Bad: javascript:alert(1)\n"
            "Sirte:\n"
            "  links: [https://www.britannica.com/place/Surt]\n"
            "  wikidata: 123\n"
            "Tobruk:\n"
            "  coordinates: [122.0, 23.9]\n"
        ),
    })
    assert ("articles/places.yml", 4, "error") in [p[:3] for p in problems]
    assert any(line == 4 and "https://" in message for _, line, _, message in problems)
    assert any(line == 7 and "Q1016" in message for _, line, _, message in problems)
    assert any(line == 9 and "out of range" in message for _, line, _, message in problems)
    assert "derna" not in resolved.places  # an entry with an error is left out
    _, problems = resolve(tmp_path / "ok", {
        "articles/places.yml": "Sirte:\n  links: [https://www.britannica.com/place/Surt]\n",
    })
    assert problems == []


def test_links_become_titled_links():
    from build_archive.model import Link
    sources, problems = load_sources(ROOT / "tests" / "fixtures" / "small" / "articles")
    resolved, _ = resolve_sources(sources, today=TODAY)
    assert resolved.places["guwarsha"].links == (Link("Wikipedia", "https://en.wikipedia.org/wiki/Guwarsha"),)


def test_name_alias_and_address_collisions_name_both_entries(tmp_path: Path):
    _, problems = resolve(tmp_path, {
        "articles/places.yml": "Derna:\n  aliases: [Darnah]\nDarna:\n  aliases: [Darnah]\nAl Fatayeh:\nal-Fatayeh:\n",
        "articles/actors.yml": "Islamic State:\n  aliases: [IS]\nLibya Dawn:\n  aliases: [Derna]\n",
    })
    assert ("articles/places.yml", 4, "error",
            "'Darnah' already names 'Derna' (articles/places.yml:1): "
            "a name or alias can belong to one entry only") in problems
    assert ("articles/places.yml", 6, "error",
            "'al-Fatayeh' has the same page address (places/al-fatayeh/) as 'Al Fatayeh' "
            "(articles/places.yml:5): rename one of them") in problems
    assert any(path == "articles/actors.yml" and line == 4 and "the place 'Derna' (articles/places.yml:1)" in m
               for path, line, _, m in problems), problems


def test_autolink_is_a_switch(tmp_path: Path):
    resolved, problems = resolve(tmp_path, {
        "articles/a.md": article("title: A\ndate: 2016-01-01\nautolink: false\n"),
        "articles/b.md": article("title: B\ndate: 2016-01-01\nautolink: maybe\n"),
    })
    assert [a.autolink for a in resolved.articles] == [False]
    assert problems == [("articles/b.md", 4, "error", "'autolink' must be true or false, not 'maybe': autolink: false")]
