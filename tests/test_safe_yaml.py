import datetime as dt

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


# The fast path for plain front-matter must read exactly what the full parser reads.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from build_archive.safe_yaml import parse_simple_mapping, parse_yaml_fully  # noqa: E402

_words = st.one_of(
    st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9 .'()/+é-]{0,8}[a-zA-Z0-9)]", fullmatch=True),  # fast-path-like
    st.text(alphabet="abcXYZ019 .'()/+-:#,[]\"\\&*!é\t", min_size=0, max_size=12),
)
_values = st.one_of(
    _words,
    _words.map(lambda w: f'"{w}"'),
    st.lists(_words, max_size=4).map(lambda ws: "[" + ", ".join(ws) + "]"),
    st.lists(_words, max_size=3).map(lambda ws: "[" + ",".join(ws) + " ]"),
    st.sampled_from(["2016-04-20", "2015-02-30", "true", "no", "null", "~", "12", "1.5", "0x1F",
                     "2016-04-20 10:00", "1987-02-26 15:01:01",
                     "1987-02-26T15:01:01", "1987-02-26t15:01:01", "1987-02-26 25:01:01", "[]", "[ ]", "yes please", "Derna (east)"]),
)
_keys = st.sampled_from(["title", "date", "places", "actors", "draft", "x-y", "true", "null", "a1"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(_keys, _values, st.sampled_from([": ", ": ", ": ", ":  ", ":"])), min_size=1, max_size=3),
       st.integers(min_value=1, max_value=4))
def test_the_fast_path_reads_what_the_full_parser_reads(lines, first_line):
    text = "\n".join(f"{key}{sep}{value}" for key, value, sep in lines)
    fast = parse_simple_mapping(text, first_line)
    if fast is None:
        return  # the full parser takes it
    full, problems = parse_yaml_fully(text, "a.md", first_line)
    assert problems == []
    assert fast.value == full.value
    assert [type(v) for v in fast.value.values()] == [type(v) for v in full.value.values()]
    assert fast.positions == full.positions


def test_the_fast_path_takes_typical_front_matter_and_leaves_the_rest():
    typical = 'title: "Derna: the battle"\ndate: 2016-04-20\nsource: Reuters\nplaces: [Derna, Libya]'
    assert parse_simple_mapping(typical) is not None
    wire = "title: BAHIA COCOA REVIEW\ndate: 1987-02-26 15:01:01\nplaces: [usa]"
    assert parse_simple_mapping(wire).value["date"] == dt.datetime(1987, 2, 26, 15, 1, 1)
    for unusual in ("title: a # comment", "places:\n  - Derna", "title: 'single'", "title: \"a\\\"b\"",
                    "date: 2015-02-30", "date: 1987-02-26 25:01:01", "title:", "title: x\ntitle: y", "title: &a x", "title: x "):
        assert parse_simple_mapping(unusual) is None, unusual
