"""Data downloads: CSV and JSON checked against the articles folder and the schema."""

import csv
import io
import json
from pathlib import Path

import hypothesis
import jsonschema
import pytest
import yaml
from hypothesis import strategies as st

from build_archive.export import _csv_bytes, defuse_cell
from build_archive.load import load_sources
from build_archive.pipeline import generate_pages
from build_archive.render import SiteText
from conftest import FIXTURES, ROOT

TEXT = SiteText(site_name="Libya news archive", site_url="https://example.org/")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return generate_pages(ROOT / "articles", TEXT).files


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_json_follows_its_schema(files):
    schema = json.loads(files["data/archive.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(files["data/archive.json"]), schema,
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_json_holds_every_article_as_written(files):
    document = json.loads(files["data/archive.json"])
    article_files = sorted((ROOT / "articles").rglob("*.md"))
    assert len(document["articles"]) == len(article_files)
    by_file = {a["file"]: a for a in document["articles"]}
    for path in article_files:
        fields = front_matter(path)
        exported = by_file[path.relative_to(ROOT / "articles").as_posix()]
        assert exported["title"] == fields["title"]
        assert exported["date"] == fields["date"].isoformat()
        assert exported["source"] == fields.get("source")
        assert exported["byline"] == fields.get("byline", [])
        assert len(exported["places"]) == len(fields["places"])
        assert len(exported["actors"]) == len(fields["actors"])
        assert exported["text"].split() == path.read_text().split("---\n", 2)[2].split()
    derna_retreat = by_file["2016/2016-04-20-islamic-state-in-retreat-around-east-libyan-city-military.md"]
    assert {"slug": "derna", "name": "Derna"} in derna_retreat["places"]
    assert derna_retreat["url"] == ("https://example.org/articles/2016/04/"
                                    "islamic-state-in-retreat-around-east-libyan-city-military/")


def test_json_holds_every_registry_entry_with_its_metadata(files):
    document = json.loads(files["data/archive.json"])
    places = yaml.safe_load((ROOT / "articles/places.yml").read_text())
    actors = yaml.safe_load((ROOT / "articles/actors.yml").read_text())
    assert {p["name"] for p in document["places"]} == set(places)
    assert {a["name"] for a in document["actors"]} == set(actors)
    derna = next(p for p in document["places"] if p["name"] == "Derna")
    assert derna["aliases"] == places["Derna"]["aliases"]
    assert derna["coordinates"] == places["Derna"]["coordinates"]
    assert derna["within"] == "libya" and derna["articles"] == 2


def test_csv_rows_match_the_articles_and_registries(files):
    rows = list(csv.DictReader(io.StringIO(files["data/articles.csv"].decode("utf-8"), newline="")))
    sources, _ = load_sources(ROOT / "articles")
    assert len(rows) == len(sources.articles)
    titles = {s.fields["title"] for s in sources.articles}
    assert {r["title"] for r in rows} == titles
    retreat = next(r for r in rows if r["date"] == "2016-04-20")
    assert retreat["places"].split("; ")[:3] == ["Benghazi", "Derna", "Libya"]
    assert "Islamic State" in retreat["actors"].split("; ")
    assert retreat["byline"] == "Ayman al-Warfalli"
    entities = list(csv.DictReader(io.StringIO(files["data/entities.csv"].decode("utf-8"), newline="")))
    derna = next(e for e in entities if e["name"] == "Derna")
    assert (derna["kind"], derna["latitude"], derna["longitude"], derna["aliases"]) == \
        ("place", "32.767", "22.637", "Darnah")


def test_hostile_text_stays_data(tmp_path):
    files = generate_pages(FIXTURES / "small" / "articles", TEXT).files
    document = json.loads(files["data/archive.json"])
    assert any("<script>alert(1)</script>" in a["title"] for a in document["articles"])
    assert defuse_cell("=HYPERLINK(\"http://x\")").startswith("'=")
    assert defuse_cell("-5") == "'-5" and defuse_cell("Derna") == "Derna"


def test_the_data_page_links_every_download(built_site: Path):
    html = (built_site / "data/index.html").read_text()
    for name in ("articles.csv", "entities.csv", "archive.json", "archive.schema.json"):
        assert f'href="{name}"' in html or f'href="../data/{name}"' in html, name
        assert (built_site / "data" / name).is_file()


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(st.lists(st.one_of(st.none(), st.text(), st.integers()), min_size=2, max_size=2),
                           max_size=4))
def test_csv_is_written_exactly_as_the_csv_module_writes_it(rows):
    # Our writer is the fast path; the standard library's is the reference.
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(("a", "b"))
    writer.writerows([defuse_cell(v) for v in row] for row in rows)
    assert _csv_bytes(("a", "b"), rows) == expected.getvalue().encode("utf-8")


def test_a_one_off_generation_lets_the_data_records_go_and_writes_the_same_downloads(files: dict[str, bytes]):
    """A full `mkdocs build` starts no generation from its own: each article's record
    (150 MB on 20,000 articles) need not outlive the downloads it went into."""
    once = generate_pages(ROOT / "articles", TEXT, reused=False)
    kept = generate_pages(ROOT / "articles", TEXT)
    assert once.files == files == kept.files
    kinds = [{kind for kind, *_ in generated.memo.__getstate__()} for generated in (once, kept)]
    assert "data record" not in kinds[0] and "data record" in kinds[1]
    assert kinds[0] | {"data record"} == kinds[1]  # the rest is kept as ever
