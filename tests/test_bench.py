"""`make bench` keeps working: a small run of each archive prints a full table of figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def share_shown_fits(share: float, seconds: float, reference: float) -> bool:
    """Whether a ratio shown to two decimals is seconds ÷ reference, both shown to a tenth."""
    return ((seconds - 0.05) / (reference + 0.05) - 0.005 <= share
            <= (seconds + 0.05) / max(reference - 0.05, 0.01) + 0.005)


# Reuters stories take their addresses from their titles: the bench's edits must not give
# two stories of a month one address (the preview would then wait for ever).
@pytest.mark.parametrize("archive", ["synthetic", "reuters"])
def test_a_small_benchmark_prints_every_figure(tmp_path, archive):
    result = subprocess.run([sys.executable, "-m", "build_archive", "bench", "--archive", archive,
                             "--articles", "60", "--keep", str(tmp_path)],
                            cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"| {archive} |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "60" and int(cells[2].replace(",", "")) > 60  # articles, pages
    assert re.fullmatch(r"[\d.]+ s, [\d,]+ MiB", cells[3])  # generation
    # The minimal reference generator beside it (its YAML parsing in brackets), and the ratio.
    reference, parsing = map(float, re.fullmatch(r"([\d.]+) s \(([\d.]+) s\)", cells[4]).groups())
    assert 0 <= parsing <= reference  # 60 stories parse in milliseconds: "0.0 s"
    generation = float(cells[3].split()[0])  # both shown to a tenth of a second
    assert share_shown_fits(float(cells[5]), generation, reference)
    assert len(list((tmp_path / archive / "reference" / "articles").rglob("*.md"))) == 60
    # Generation again, after one edit, and its time divided by the reference generator's.
    again, share = re.fullmatch(r"([\d.]+) s, [\d,]+ MiB \(([\d.]+)\)", cells[6]).groups()
    assert share_shown_fits(float(share), float(again), reference)
    assert re.search(r"\d+ files to .*: [1-9]\d* pages rendered, [1-9]\d* kept from the last run",
                     result.stdout)  # that second run started from the first one's cache
    assert re.fullmatch(r"\d+ s \(\d+ s\)", cells[7]) and re.fullmatch(r"\d+ s \(\d+ s\)", cells[8])
    assert re.fullmatch(r"[\d,]+ MiB", cells[10]) and cells[10] != "0 MiB"  # Pagefind's own peak
    assert re.fullmatch(r"[\d,]+ KiB", cells[12]) and cells[12] != "0 KiB"  # first search
    assert re.fullmatch(r"[\d.]+ s, \d+ pages \(slowest [\d.]+ s\)", cells[13])  # preview
    # The preview's three edits: a retitled story, a story given one more place, a new story.
    assert len(list((tmp_path / archive / "ours" / "articles").rglob("added-for-the-benchmark.md"))) == 1
    assert (tmp_path / archive / "site-ours-search" / "pagefind" / "pagefind.js").is_file()


def test_the_stage_timings_cover_a_whole_generation(tmp_path):
    """`benchmark_stages` times every stage of a generation from scratch, in one process,
    and the reference generator beside it; the generation is the sum of its stages."""
    from build_archive.synthetic import write_synthetic_archive

    write_synthetic_archive(tmp_path / "articles", articles=200)
    result = subprocess.run([sys.executable, "-m", "build_archive.benchmark_stages", str(tmp_path / "articles")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    times = {stage.strip(): float(seconds) for stage, seconds
             in re.findall(r"(?m)^(.+?)\s+([\d.]+) s$", result.stdout)}
    stages = ["reading (files, front-matter)", "checking (fields, names)", "indexing (related, together)",
              "planning the pages", "rendering the pages", "feeds, downloads, redirects"]
    assert set(stages) < times.keys() and all(times[stage] > 0 for stage in stages)
    assert abs(times["generation, in memory"] - sum(times[stage] for stage in stages)) <= 0.002  # rounding
    assert times["target: reference × 3/5.9"] == pytest.approx(times["reference generator (all of it)"] * 3 / 5.9,
                                                               abs=0.01)
    assert times["writing the pages (render --out)"] > 0
