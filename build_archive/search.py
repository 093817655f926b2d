"""Index a written site for search with Pagefind, which the reader's browser queries in
small pieces (so the first search downloads kilobytes, not the whole index).

Only article pages are indexed: their templates mark the text with data-pagefind-body
and the places, actors and year with data-pagefind-filter, which become the facets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUNDLE_DIR = "pagefind"  # where the index lands in the site, next to the pages
TIMEOUT_SECONDS = 3600


class SearchIndexError(Exception):
    """Raised when Pagefind cannot index the site; the site's old index is left as it was."""


def index_site(site_dir: Path) -> str:
    """Write the search index into site_dir/pagefind, replacing it only once complete.
    Returns Pagefind's summary of what it indexed."""
    site_dir = Path(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=".pagefind.", dir=site_dir.parent))
    try:
        bundle = staging / BUNDLE_DIR
        command = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
                   "--output-path", str(bundle),
                   "--exclude-selectors", ".headerlink"]  # the ¶ after each heading
        try:
            result, peak = _run_measured(command)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SearchIndexError(f"cannot run Pagefind: {exc}") from exc
        if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
            detail = (result.stderr or result.stdout).strip()[-2000:]
            raise SearchIndexError(f"Pagefind could not index {site_dir}:\n{detail}\n"
                                   "Check that the pagefind[bin] package is installed "
                                   "(pip install -c constraints.txt -e .)")
        target = site_dir / BUNDLE_DIR
        if target.exists():
            os.replace(target, staging / "old")
        os.replace(bundle, target)
        return f"{_summary(result.stdout)}; Pagefind peaked at {peak / 1024 ** 2:,.0f} MiB"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_measured(command: list[str]) -> tuple[subprocess.CompletedProcess, int]:
    """Run Pagefind; its result and its peak memory in bytes (it is the step of a build
    that needs the most, so the build reports it)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while (waited := os.wait4(process.pid, os.WNOHANG))[0] == 0:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    raise subprocess.TimeoutExpired(command, TIMEOUT_SECONDS)
                time.sleep(0.05)
        except BaseException:
            process.kill()
            raise
        _, status, usage = waited
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode,
                                             out.read().decode("utf-8", "replace"),
                                             err.read().decode("utf-8", "replace"))
        return result, usage.ru_maxrss * 1024


def _summary(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith("Indexed")]
    return "; ".join(lines)
