"""render --out: complete output or the previous one, and nobody else's files touched."""

from pathlib import Path

import pytest

from build_archive import output
from build_archive.output import OutputError, write_pages


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_second_run_replaces_its_own_files_and_keeps_everyone_elses(tmp_path: Path):
    out = tmp_path / "pages"
    write_pages({"a.md": "A", "places/derna.md": "Derna"}, {"feed.xml": b"<feed/>"}, out)
    (out / "notes.txt").write_text("an editor's notes")
    write_pages({"a.md": "A2"}, {}, out)
    files = listing(out)
    assert files["a.md"] == b"A2"
    assert "places/derna.md" not in files  # generated before, not any more: removed
    assert files["notes.txt"] == b"an editor's notes"
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]  # no staging folders left


def test_a_failure_midway_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch):
    out = tmp_path / "pages"
    write_pages({"a.md": "A", "b.md": "B"}, {}, out)
    before = listing(out)
    written = []

    def fail_on_second(folder: Path, path: str, data: bytes) -> None:
        written.append(path)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)

    monkeypatch.setattr(output, "write_file", fail_on_second)
    with pytest.raises(OSError):
        write_pages({"a.md": "new A", "b.md": "new B"}, {}, out)
    assert listing(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_a_folder_not_written_by_us_is_refused_untouched(tmp_path: Path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "index.md").write_text("hand-written")
    with pytest.raises(OutputError, match="not empty and was not written by build-archive"):
        write_pages({"index.md": "generated"}, {}, out)
    assert (out / "index.md").read_text() == "hand-written"


def test_a_foreign_file_at_a_generated_path_is_refused(tmp_path: Path):
    out = tmp_path / "pages"
    write_pages({"a.md": "A"}, {}, out)
    (out / "b.md").write_text("mine")
    with pytest.raises(OutputError, match="b.md was not written by build-archive"):
        write_pages({"a.md": "A", "b.md": "B"}, {}, out)
    assert (out / "b.md").read_text() == "mine"
