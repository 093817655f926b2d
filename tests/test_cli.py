import subprocess
import sys
from pathlib import Path

from conftest import ROOT, write_files


def build_archive(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_archive", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_check_passes_on_the_real_articles():
    result = build_archive("check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_check_names_file_and_line_of_a_bad_article(tmp_path: Path):
    write_files(tmp_path, {
        "articles/2016/bad.md": "---\ntitle: Libya: the battle\ndate: 2016-01-01\n---\nText\n",
        "articles/2016/worse.md": "---\ntitle: Fine\ndate: 2016-02-30\n---\nText\n",
    })
    result = build_archive("check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("articles/2016/bad.md:2:") and ": error: " in line
               and "quoted" in line for line in lines), result.stderr
    assert any(line.startswith("articles/2016/worse.md:3:7: error: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr


def test_check_strict_fails_on_warnings(tmp_path: Path):
    write_files(tmp_path, {"articles/a.md": "---\ntitle: T\ndate: 2016-01-01\nplaces: [Nowhere]\n---\n"})
    assert build_archive("check", cwd=tmp_path).returncode == 0
    result = build_archive("check", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "articles/a.md:4:10: warning: 'Nowhere' is not in places.yml" in result.stdout


def test_render_shows_a_warning_repeated_across_articles_once_and_check_shows_every_one(tmp_path: Path):
    write_files(tmp_path, {f"articles/{name}.md": f"---\ntitle: {name}\ndate: 2016-01-01\nplaces: [Nowhere]\n---\n"
                           for name in ("a", "b", "c")})
    result = build_archive("render", "--out", "pages", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "'Nowhere'" in line] == [
        "articles/a.md:4:10: warning: 'Nowhere' is not in places.yml; add it to articles/places.yml (or as an "
        "alias of an existing entry) [and 2 more like it: `build-archive check` lists every one]"]
    check = build_archive("check", cwd=tmp_path)
    assert [line.split(":")[0] for line in check.stdout.splitlines() if "'Nowhere'" in line] == [
        "articles/a.md", "articles/b.md", "articles/c.md"]


def test_render_writes_the_pages_and_refuses_a_folder_it_did_not_write(tmp_path: Path):
    out = tmp_path / "pages"
    result = build_archive("render", "--articles", str(ROOT / "articles"), "--out", str(out),
                           "--home", str(ROOT / "docs" / "index.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "places" / "derna.md").is_file()
    assert (out / "articles" / "2016" / "04").is_dir()
    assert (out / "data" / "archive.json").is_file()
    assert (out / "places" / "darnah" / "index.html").is_file()  # the alias's redirect
    assert "<id>http://127.0.0.1:8000/places/derna/</id>" in (out / "feeds/places/derna.xml").read_text()
    moved = build_archive("render", "--articles", str(ROOT / "articles"), "--out", str(out),
                          "--site-url", "https://example.org/libya/", cwd=tmp_path)
    assert moved.returncode == 0, moved.stderr
    assert "<id>https://example.org/libya/places/derna/</id>" in (out / "feeds/places/derna.xml").read_text()
    again = build_archive("render", "--articles", str(ROOT / "articles"), "--out", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr

    foreign = tmp_path / "notes"
    write_files(foreign, {"mine.txt": "an editor's notes"})
    refused = build_archive("render", "--articles", str(ROOT / "articles"), "--out", str(foreign), cwd=tmp_path)
    assert refused.returncode == 1
    assert (foreign / "mine.txt").read_text() == "an editor's notes"
