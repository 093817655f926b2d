"""The editor's commands: `new` and the formats of `check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from build_archive.load import parse_article
from conftest import ROOT, write_files

BAD_ARTICLES = {
    "articles/places.yml": "Derna:\n  kind: city\n",
    "articles/2016/bad.md": "---\ntitle: Fine\ndate: 2016-02-30\nplaces: [Dernah]\n---\nText\n",
}


def build_archive(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "build_archive", *args], cwd=cwd,
                          capture_output=True, text=True, env=environ | (env or {}))


def test_new_writes_a_complete_article_and_refuses_to_overwrite(tmp_path: Path):
    write_files(tmp_path, {"articles/places.yml": (ROOT / "articles/places.yml").read_text(),
                           "articles/actors.yml": (ROOT / "articles/actors.yml").read_text()})
    args = ["new", "Fighting in Sirte: day two", "--date", "2016-05-01", "--place", "Sirte",
            "--place", "Libya", "--actor", "Islamic State", "--source", "Reuters",
            "--byline", "Aidan Lewis", "--dateline", "Tripoli"]
    result = build_archive(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "articles/2016/2016-05-01-fighting-in-sirte-day-two.md"
    assert result.stdout.strip() == "articles/2016/2016-05-01-fighting-in-sirte-day-two.md"
    article, problems = parse_article(path.read_text(), "a.md")
    assert problems == []
    assert article.fields == {
        "title": "Fighting in Sirte: day two", "date": __import__("datetime").date(2016, 5, 1),
        "source": "Reuters", "byline": ["Aidan Lewis"], "dateline": "Tripoli",
        "places": ["Sirte", "Libya"], "actors": ["Islamic State"],
    }
    checked = build_archive("check", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    path.write_text(path.read_text() + "\nThe editor's text.\n")
    before = path.read_bytes()
    again = build_archive(*args, cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert path.read_bytes() == before

    # Another file name, but the page address is taken: refused as well.
    clash = build_archive("new", "Fighting in Sirte: day two", "--date", "2016-05-20", cwd=tmp_path)
    assert clash.returncode == 1
    assert "articles/2016/05/fighting-in-sirte-day-two/ is already used by " \
           "articles/2016/2016-05-01-fighting-in-sirte-day-two.md" in clash.stderr


def test_new_warns_about_names_the_registries_do_not_know(tmp_path: Path):
    write_files(tmp_path, {"articles/places.yml": "Derna:\n  kind: city\n"})
    result = build_archive("new", "A story", "--date", "2016-01-01", "--place", "Nowhere", cwd=tmp_path)
    assert result.returncode == 0
    assert "place 'Nowhere' is not in the registry yet" in result.stderr


def test_check_prints_github_annotations_under_github_actions(tmp_path: Path):
    write_files(tmp_path, BAD_ARTICLES)
    result = build_archive("check", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "::error file=articles/2016/bad.md,line=3,col=7,title=build-archive check%3A error::" \
           "2016-02-30 is not a real date or time: write an existing date as YYYY-MM-DD" in lines
    assert any(line.startswith("::warning file=articles/2016/bad.md,line=4,col=10,") and "Dernah" in line
               for line in lines), lines
    assert "1 error(s), 1 warning(s)" in result.stderr
    assert "articles/2016/bad.md:3:7: error: 2016-02-30 is not a real date" in result.stderr  # for the log
    # Outside GitHub Actions the same problems are plain lines.
    plain = build_archive("check", cwd=tmp_path)
    assert "articles/2016/bad.md:3:7: error: 2016-02-30 is not a real date" in plain.stderr
    assert "::error" not in plain.stdout + plain.stderr


def test_check_json_is_one_document_for_tools(tmp_path: Path):
    write_files(tmp_path, BAD_ARTICLES)
    result = build_archive("check", "--format", "json", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and report["warnings"] == 1
    assert report["problems"][0] == {
        "path": "articles/2016/bad.md", "line": 3, "column": 7, "severity": "error",
        "message": "2016-02-30 is not a real date or time: write an existing date as YYYY-MM-DD"}
    assert report["problems"][1]["severity"] == "warning"
    clean = build_archive("check", "--format", "json", cwd=ROOT)
    assert clean.returncode == 0 and json.loads(clean.stdout) == {"problems": [], "errors": 0, "warnings": 0}
