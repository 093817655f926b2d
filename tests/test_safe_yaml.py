from build_archive.safe_yaml import parse_yaml


def parse(text: str, first_line: int = 1):
    document, problems = parse_yaml(text, "a.md", first_line)
    return document, [(p.line, p.column, p.message) for p in problems]


def test_values_keep_their_positions():
    document, problems = parse("title: Derna\nplaces:\n  - Derna\n  - Sirte\n", first_line=2)
    assert problems == []
    assert document.value == {"title": "Derna", "places": ["Derna", "Sirte"]}
    assert document.positions[("title",)] == (2, 8)
    assert document.positions[("places", 1)] == (5, 5)
    assert document.positions[("places", "<key>")] == (3, 1)


def test_dates_become_dates_and_impossible_dates_are_reported_where_they_are():
    document, problems = parse("date: 2016-04-20\nother: 2015-02-30\n")
    assert str(document.value["date"]) == "2016-04-20"
    assert problems == [(2, 8, "2015-02-30 is not a real date or time: write an existing date as YYYY-MM-DD")]


def test_unquoted_colon_in_a_title_says_to_quote_it():
    _, problems = parse("title: Libya: the battle\ndate: 2016-01-01\n", first_line=2)
    assert len(problems) == 1
    line, column, message = problems[0]
    assert line == 2
    assert "must be quoted" in message


def test_object_tags_are_refused():
    _, problems = parse("title: !!python/object/apply:os.system ['true']\n")
    assert len(problems) == 1
    assert "tag" in problems[0][2] and "not allowed" in problems[0][2]


def test_anchors_and_aliases_are_refused_before_anything_is_built():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    document, problems = parse(bomb)
    assert document is None
    assert problems[0][:2] == (1, 4)
    assert "anchor" in problems[0][2]


def test_ampersand_inside_text_is_not_an_anchor():
    document, problems = parse("title: Procter & Gamble * results\n")
    assert problems == []
    assert document.value["title"] == "Procter & Gamble * results"


def test_duplicate_keys_are_reported():
    _, problems = parse("title: a\ntitle: b\n")
    assert problems == [(2, 1, "'title' is given twice: keep one")]
