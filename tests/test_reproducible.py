"""The same articles give byte-identical output, whatever the process's hash seed."""

import os
import re
import subprocess
import sys
from pathlib import Path

from build_archive.synthetic import write_synthetic_archive


def _render(articles: Path, out: Path, seed: str, workers: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, ARCHIVE_WORKERS=workers)
    result = subprocess.run([sys.executable, "-m", "build_archive", "render", "--articles", str(articles),
                             "--out", str(out), "--home", "/nonexistent"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_runs_write_byte_identical_pages(tmp_path: Path):
    # One run renders in a single process, the other in worker processes.
    articles = tmp_path / "articles"
    write_synthetic_archive(articles, articles=260, places=4, actors=12, words=30)
    first = _render(articles, tmp_path / "one", seed="1", workers="1")
    second = _render(articles, tmp_path / "two", seed="2", workers="3")
    assert len(first) > 260 + 16
    assert any(re.match(r"places/[a-z-]+/\d{4}\.md$", path) for path in first)  # an entity's yearly parts
    assert first == second


def test_the_synthetic_archive_is_the_same_on_every_run(tmp_path: Path):
    write_synthetic_archive(tmp_path / "a", articles=40)
    write_synthetic_archive(tmp_path / "b", articles=40)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert files_a == files_b and len(files_a) == 42
