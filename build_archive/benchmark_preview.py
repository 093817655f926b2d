"""Time an editor's preview: `mkdocs serve --dirty`, from a save to the moment the
browser is told to reload, for three edits an editor makes every day.

    python -m build_archive.benchmark_preview PROJECT RETITLED MOVED COPIED

Prints `PREVIEW <median s> <pages rebuilt then> <slowest s>`. The reload is seen as
the browser sees it, through the server's live-reload long poll, so the time includes
the preview noticing the save (`watch.py`) as well as the rebuild.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

SETTLE_SECONDS = 3  # for the file watcher's first look at the folder, and between edits
RELOAD_TIMEOUT = 600
REBUILD_FAILED = "An error happened during the rebuild"  # what `mkdocs serve` logs then


def retitled(path: Path, title: str = "Edited for the benchmark") -> tuple[Path, str]:
    return path, re.sub(r"(?m)^title: .*$", lambda _: f'title: "{title}"', path.read_text(), count=1)


def given_one_more_place(path: Path) -> tuple[Path, str]:
    """The story with a place of another story's added: it moves among others' related articles."""
    text = path.read_text()
    places = [p for p in re.search(r"(?m)^places: \[(.*)\]$", text).group(1).split(", ") if p]
    for other in sorted(_articles(path).rglob("*.md")):
        found = re.search(r"(?m)^places: \[([^,\]]+)", other.read_text())
        if found and found.group(1) not in places:
            listed = ", ".join([found.group(1), *places])
            return path, re.sub(r"(?m)^places: .*$", lambda _: f"places: [{listed}]", text, count=1)
    raise SystemExit(f"{path}: no other place to give it")


def added_beside(path: Path) -> tuple[Path, str]:
    return (path.with_name("added-for-the-benchmark.md"),
            re.sub(r"(?m)^title: .*$", 'title: "Added for the benchmark"', path.read_text(), count=1))


def _articles(path: Path) -> Path:
    return next(parent for parent in path.parents if parent.name == "articles")


class Preview:
    """A running `mkdocs serve --dirty` on a free port, its log in a temporary file."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.base = f"http://127.0.0.1:{probe.getsockname()[1]}"
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", self.base.removeprefix("http://")],
            cwd=project, stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))

    def epoch_after(self, epoch: int) -> int:
        """The site's version once it is newer than `epoch` (what the browser waits for)."""
        deadline = time.monotonic() + RELOAD_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped:\n{self.output()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/livereload/{epoch}/1", timeout=70) as answer:
                    newer = int(answer.read())
            except OSError:
                time.sleep(0.5)  # not serving yet: the first build is running
                continue
            if newer > epoch:
                return newer
            if REBUILD_FAILED in self.output():  # the browser would wait for ever
                raise SystemExit(f"the preview could not rebuild:\n{self.output()[-3000:]}")
        raise SystemExit(f"no rebuild within {RELOAD_TIMEOUT} s:\n{self.output()[-3000:]}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def time_edit(preview: Preview, epoch: int, edit: Callable[[], tuple[Path, str]]) -> tuple[float, int]:
    """Seconds from the save to the reload, and the site's new version."""
    path, text = edit()
    reloaded: dict[str, object] = {}

    def wait() -> None:
        reloaded["epoch"] = preview.epoch_after(epoch)
        reloaded["at"] = time.perf_counter()

    waiting = threading.Thread(target=wait)
    waiting.start()
    time.sleep(0.5)  # the long poll is in place
    saved = time.perf_counter()
    path.write_text(text)
    waiting.join()
    if "at" not in reloaded:
        raise SystemExit(f"no reload after saving {path}:\n{preview.output()[-3000:]}")
    return reloaded["at"] - saved, reloaded["epoch"]


def main(project: str, retitle: str, move: str, copy: str) -> None:
    preview = Preview(Path(project))
    try:
        epoch = preview.epoch_after(0)  # the first build
        time.sleep(SETTLE_SECONDS)
        runs = []
        for edit in (lambda: retitled(Path(retitle)), lambda: given_one_more_place(Path(move)),
                     lambda: added_beside(Path(copy))):
            seconds, epoch = time_edit(preview, epoch, edit)
            time.sleep(SETTLE_SECONDS)
            runs.append(seconds)
        written = [int(n) for n in re.findall(r"archive: (\d+) pages written", preview.output())][1:]
    finally:
        preview.stop()
    median = sorted(zip(runs, written))[len(runs) // 2]
    print(f"PREVIEW {median[0]:.3f} {median[1]} {max(runs):.3f}")
    print(f"runs {[(round(s, 2), n) for s, n in zip(runs, written)]}")


if __name__ == "__main__":
    main(*sys.argv[1:])
