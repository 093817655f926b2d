"""The importer: raw wire copy and exports in, new article files out."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_archive.importer import ImportOptions, plan_import, write_articles
from build_archive.load import load_sources, parse_article
from build_archive.record import FieldMap
from build_archive.resolve import resolve_sources
from build_archive.scaffold import ArticleDraft, escape_body, format_article
from conftest import ROOT, copy_project, run_mkdocs_build, write_files

SEEDS = ROOT.parent / "shared" / "seeds"  # the team's shared folder, next to the project
REUTERS = SEEDS.parent / "corpora" / "reuters-21578" / "reuters21578.jsonl.gz"
SEED_2016 = SEEDS / "000_36780da908b89fd4.txt"
SEED_2015 = SEEDS / "003_8efb945e24910ac5.txt"
COMMITTED_2016 = ROOT / "articles/2016/2016-04-20-islamic-state-in-retreat-around-east-libyan-city-military.md"
COMMITTED_2015 = ROOT / "articles/2015/2015-06-14-islamist-alliance-says-it-has-driven-islamic-state-out-of-derna.md"


def build_archive(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_archive", *args], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture
def registries_only(tmp_path: Path) -> Path:
    """A project whose archive has the real registries and no article yet."""
    (tmp_path / "articles").mkdir()
    for name in ("places.yml", "actors.yml"):
        (tmp_path / "articles" / name).write_text((ROOT / "articles" / name).read_text())
    return tmp_path


def read_front_matter(path: Path):
    source, problems = parse_article(path.read_text(encoding="utf-8"), str(path))
    assert problems == [] and source is not None
    return source


def canonical_actors(names: list[str]) -> list[str]:
    """The committed names as the registry's canonical names (an alias meets its entry)."""
    sources, _ = load_sources(ROOT / "articles")
    resolved, _ = resolve_sources(sources)
    by_name = {label.casefold(): e.name for e in resolved.actors.values() for label in (e.name, *e.aliases)}
    return [by_name[n.casefold()] for n in names]


@pytest.mark.parametrize("seed, options, committed", [
    (SEED_2016, ["--date", "2016-04-20"], COMMITTED_2016),
    (SEED_2015, ["--title", "Islamist alliance says it has driven Islamic State out of Derna",
                 "--source", "Reuters"], COMMITTED_2015),
])
def test_importing_a_seed_reproduces_the_committed_article(registries_only: Path, seed: Path,
                                                          options: list[str], committed: Path):
    result = build_archive("import", str(seed), *options, cwd=registries_only)
    assert result.returncode == 0, result.stderr
    written = registries_only / result.stdout.strip()
    assert written.relative_to(registries_only) == committed.relative_to(ROOT)
    imported, expected = read_front_matter(written), read_front_matter(committed)
    for field in ("title", "date", "source", "byline", "dateline", "places"):
        assert imported.fields.get(field) == expected.fields.get(field), field
    assert imported.fields["actors"] == canonical_actors(expected.fields["actors"])
    assert imported.body == expected.body
    assert "1 imported, 0 rejected" in result.stderr
    assert "proposed from their text" in result.stderr


def test_the_2016_seed_yields_each_field_from_the_text(registries_only: Path):
    plan = plan_import([SEED_2016], registries_only / "articles", ImportOptions(date=dt.date(2016, 4, 20)))
    (article,) = plan.articles
    draft = article.draft
    assert draft.title == "Islamic State in retreat around east Libyan city: military"
    assert draft.date == dt.date(2016, 4, 20)
    assert draft.byline == ("Ayman al-Warfalli",)  # "By By" is the wire's stutter
    assert draft.dateline == "Benghazi"  # BENGHAZI, as the registry spells it
    assert draft.source == "Reuters"  # from "(Reuters)"
    assert draft.places == ("Benghazi", "Derna", "Libya", "al-Fatayeh", "Sirte", "Guwarsha", "Tripoli")
    # "unity government" is an alias of the Presidential Council; "Libyan" is not Libya.
    assert draft.actors == ("Islamic State", "Derna Mujahideen Shura Council", "Abdulkarim Sabra",
                            "Muammar Gaddafi", "Presidential Council", "Khalifa Haftar")
    assert plan.rejected == ()


def test_the_2015_seed_keeps_its_paragraphs_and_needs_a_title(registries_only: Path):
    plan = plan_import([SEED_2015], registries_only / "articles", ImportOptions())
    assert plan.articles == ()
    (rejection,) = plan.rejected
    assert (rejection.line, rejection.reason) == (1, "missing title")
    assert "--title" in rejection.hint

    plan = plan_import([SEED_2015], registries_only / "articles", ImportOptions(title="Derna"))
    draft = plan.articles[0].draft
    assert (draft.date, draft.dateline, draft.source) == (dt.date(2015, 6, 14), "Tripoli", "")

    impossible = registries_only / "impossible.txt"
    impossible.write_text(SEED_2015.read_text().replace("2015-06-14", "2015-06-31"))
    plan = plan_import([impossible], registries_only / "articles", ImportOptions(title="Derna"))
    assert [(r.reason, r.hint) for r in plan.rejected] == [
        ("bad date", "'2015-06-31' is not a date: write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS)")]
    assert draft.body.count("\n\n") == 10  # eleven paragraphs, as the lines end sentences
    assert draft.places == ("Tripoli", "Derna", "Libya")  # not Libya inside "Libya Dawn"


def test_names_match_whole_words_as_the_registry_writes_them(tmp_path: Path):
    write_files(tmp_path, {
        "articles/actors.yml": "Islamic State:\n  aliases: [IS]\n",
        "articles/places.yml": "Libya:\n  kind: country\n",
        "copy.txt": "IS fighters in libya\n\nSIRTE, Libya (Reuters) - It is said IS men left Libyans "
                    "and Libya's coast. This is it.\n",
    })
    plan = plan_import([tmp_path / "copy.txt"], tmp_path / "articles", ImportOptions(date=dt.date(2016, 1, 1)))
    draft = plan.articles[0].draft
    assert draft.actors == ("Islamic State",)
    assert draft.places == ("Libya",)
    assert draft.dateline == "Sirte"  # unknown to the registry: capitalised as a name


def test_the_whole_reuters_corpus_imports_with_every_rejection_explained(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    result = build_archive("import", str(REUTERS), "--field", "actors=people,orgs",
                           "--source", "Reuters", cwd=tmp_path)
    assert result.returncode == 1  # some records were rejected
    assert "Traceback" not in result.stderr
    summary = result.stderr[result.stderr.index("19041 imported"):]
    assert summary.splitlines()[:5] == [
        "19041 imported, 2537 rejected",
        "  1798 missing body",
        "  736 missing title",
        "  2 missing date",
        "  1 missing title and body",
    ]
    rejections = [line for line in result.stderr.splitlines() if ": error: missing " in line]
    assert len(rejections) == 2537
    assert rejections[0].startswith(f"{REUTERS}:30: error: missing body: ")
    written = result.stdout.splitlines()
    assert len(written) == len(set(written)) == 19041
    assert sum(1 for _ in (tmp_path / "articles").rglob("*.md")) == 19041

    first = read_front_matter(tmp_path / "articles/1987/1987-02-26-bahia-cocoa-review.md")
    assert first.fields["title"] == "BAHIA COCOA REVIEW"
    assert first.fields["date"] == dt.datetime(1987, 2, 26, 15, 1, 1)
    assert first.fields["dateline"] == "Salvador"
    assert first.fields["places"] == ["el-salvador", "usa", "uruguay"]
    assert first.body.startswith("Showers continued throughout the week in the Bahia cocoa zone,")
    assert "\n\nThe dry period means the temporao will be late this year.\n\n" in first.body
    assert "REUTER" not in first.body[-20:]

    # Headlines repeating within a month get -2, -3… in file and front-matter, in corpus order.
    repeats = sorted((tmp_path / "articles/1987").glob("*-hog-and-cattle-slaughter-guesstimates*.md"))
    slugs = [read_front_matter(p).fields.get("slug") for p in repeats]
    assert None in slugs and "hog-and-cattle-slaughter-guesstimates-2" in slugs


def test_ticker_symbols_stay_text_on_the_built_site(tmp_path: Path):
    records = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as corpus:
        for line in corpus:
            record = json.loads(line)
            if record["title"] and record["body"] and "<" in record["title"] and "<" in record["body"]:
                records.append(line)
            if len(records) == 3:
                break
    project = copy_project(tmp_path, articles=None)
    write_files(tmp_path, {"stories.jsonl": "".join(records)})
    # No places or dateline: the Reuters codes are not in this archive's registries.
    result = build_archive("import", "stories.jsonl", "--field", "places=", "--field", "dateline=",
                           "--no-propose", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / result.stdout.splitlines()[0]
    before = path.read_bytes()
    assert "&lt;" in before.decode()

    # Importing the same stories again adds no copies and changes no file.
    again = build_archive("import", "stories.jsonl", "--field", "places=", "--field", "dateline=",
                          "--no-propose", cwd=project)
    assert again.returncode == 1 and again.stdout == ""
    assert f"stories.jsonl:1: error: already in the archive: {path.relative_to(project)} has the same " \
           "title, date and text; edit that file instead" in again.stderr
    assert "0 imported, 3 rejected\n  3 already in the archive" in again.stderr
    assert path.read_bytes() == before

    site = tmp_path / "site"
    built = run_mkdocs_build(project, site)
    assert built.returncode == 0, built.stderr
    page = next(site.glob(f"articles/*/*/{path.stem[11:]}/index.html")).read_text()
    ticker = re.search(r"<[A-Z.]+>", json.loads(records[0])["body"]).group()
    assert ticker.replace("<", "&lt;").replace(">", "&gt;") in page
    assert ticker not in page


def test_csv_with_its_own_field_names(tmp_path: Path):
    write_files(tmp_path, {
        "articles/places.yml": "Derna:\n  aliases: [Darnah]\n",
        "export.csv": 'headline,published,text,where,who\n'
                      '"Derna: calm returns",2016-05-02,"Shops reopened.\n    A second paragraph.",darnah,\n'
                      ',2016-05-03,No headline here,,\n'
                      'Undated,,Text,,\n'
                      'Bad date,2016-13-01,Text,,\n',
    })
    fields = FieldMap.parse(["title=headline", "date=published", "body=text", "places=where", "actors=who"])
    plan = plan_import([tmp_path / "export.csv"], tmp_path / "articles", ImportOptions(fields=fields))
    (article,) = plan.articles
    assert article.draft.places == ("Derna",)  # the alias, as the registry names it
    assert article.draft.body == "Shops reopened.\n\nA second paragraph.\n"
    assert article.path == "2016/2016-05-02-derna-calm-returns.md"
    assert [(r.line, r.reason) for r in plan.rejected] == [
        (4, "missing title"), (5, "missing date"), (6, "bad date")]


def test_unreadable_lines_are_reported_not_skipped(tmp_path: Path):
    write_files(tmp_path, {"articles/.keep": "", "a.jsonl": '{"title": "A", "date": "2016-01-01", "body": "x"}\n'
                                                       '{"title": "B", oops}\n[1]\n'})
    result = build_archive("import", "a.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert "a.jsonl:2: error: unreadable line: not valid JSON" in result.stderr
    assert "a.jsonl:3: error: unreadable line: not a JSON object" in result.stderr
    assert "1 imported, 2 rejected" in result.stderr


def test_a_file_that_appears_meanwhile_is_never_overwritten(tmp_path: Path):
    write_files(tmp_path, {"articles/.keep": "", "a.jsonl": '{"title": "A", "date": "2016-01-01", "body": "x"}\n'})
    plan = plan_import([tmp_path / "a.jsonl"], tmp_path / "articles")
    (tmp_path / "articles" / plan.articles[0].path).parent.mkdir(parents=True)
    (tmp_path / "articles" / plan.articles[0].path).write_text("the editor's own")
    written = write_articles(plan, tmp_path / "articles")
    assert written.written == () and written.existing == (plan.articles[0].path,)
    assert (tmp_path / "articles" / plan.articles[0].path).read_text() == "the editor's own"


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=30).map(lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=200, deadline=None)
@given(title=names, places=st.lists(names, max_size=3), source=st.text(max_size=20).map(lambda s: " ".join(s.split())))
def test_front_matter_reads_back_as_written(title: str, places: list[str], source: str):
    text = format_article(ArticleDraft(title=title, date=dt.date(2016, 1, 2), source=source,
                                       places=tuple(places), body=escape_body(["x"])))
    article, problems = parse_article(text, "a.md")
    assert problems == []
    assert article.fields["title"] == title
    assert article.fields["places"] == places
    assert article.fields.get("source", "") == source


def test_a_title_taken_in_the_archive_gets_a_numbered_address(tmp_path: Path):
    write_files(tmp_path, {
        "articles/2016/mine.md": "---\ntitle: Calm returns\ndate: 2016-05-02\n---\n\nThe editor's story.\n",
        "a.jsonl": '{"title": "Calm returns", "date": "2016-05-20", "body": "Another story."}\n',
    })
    plan = plan_import([tmp_path / "a.jsonl"], tmp_path / "articles")
    (article,) = plan.articles
    assert article.path == "2016/2016-05-20-calm-returns-2.md"
    assert article.draft.slug == "calm-returns-2"
    write_articles(plan, tmp_path / "articles")
    sources, _ = load_sources(tmp_path / "articles")
    resolved, problems = resolve_sources(sources)
    assert problems == []
    assert sorted(a.permalink for a in resolved.articles) == [
        "articles/2016/05/calm-returns-2/", "articles/2016/05/calm-returns/"]


def test_a_reuters_record_gives_byline_source_dateline_and_paragraphs(tmp_path: Path):
    record = {"title": "SWISS BANK <SBVZ.Z> SEES GROWTH", "date": "1987-03-03T10:00:00",
              "byline": "By Janie Gabbett, Reuters", "dateline": "BASLE, March 3 -",
              "places": ["switzerland"], "people": [], "orgs": ["ec"],
              "body": "Swiss Bank Corp <SBVZ.Z> said\nprofits would grow.\n"
                      "    It gave no figures\nfor 1987.\n REUTER\n"}
    write_files(tmp_path, {"articles/.keep": "", "r.jsonl": json.dumps(record) + "\n"})
    fields = FieldMap.parse(["actors=people,orgs"])
    (article,) = plan_import([tmp_path / "r.jsonl"], tmp_path / "articles", ImportOptions(fields=fields)).articles
    draft = article.draft
    assert (draft.byline, draft.source, draft.dateline) == (("Janie Gabbett",), "Reuters", "Basle")
    assert (draft.places, draft.actors) == (("switzerland",), ("ec",))
    assert draft.date == dt.datetime(1987, 3, 3, 10, 0)
    assert draft.body == "Swiss Bank Corp &lt;SBVZ.Z> said profits would grow.\n\nIt gave no figures for 1987.\n"
    assert article.path == "1987/1987-03-03-swiss-bank-sbvz-z-sees-growth.md"
