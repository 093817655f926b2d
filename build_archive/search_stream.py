"""Index the article pages for search while MkDocs writes them.

Indexing the written site afterwards (search.index_site) kept a large build waiting
18 s after MkDocs, which writes its pages on one core and leaves the other idle. So
a full build hands each article page, as MkDocs writes it, to an indexing process of
its own, started before the pages are generated (a process started from a large one
is counted as large as it while it starts). That process keeps only what Pagefind
indexes, the data-pagefind-body element (the theme's header, navigation and footer
were most of a short story's page, and 40% of Pagefind's time), and streams it to
a Pagefind service. Each batch within the memory budget has a service of its own,
which parses each page as it arrives and writes its bundle while the next batch
fills; after the build only the last batch is left to write, then the batches are
merged (bundle_merge.py) into the bundle one run would have written.

The build speaks to the indexing process over its standard input: a line of settings
(JSON), then for each page a line "<path bytes> <characters> <page bytes>" followed by
the path and the page (UTF-8), and at the end a line "end" followed by the words too
common to search (JSON). Without that end (a build that failed), nothing is installed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from pagefind.service import get_executable

from .bundle_merge import merge_bundles
from .output import write_files
from .pagefind_format import UnknownLayout
from .search import (BUNDLE_DIR, EXCLUDED, INSTALL_HINT, PAGEFIND_BYTES_PER_CHARACTER, TIMEOUT_SECONDS,
                     IndexedPage, SearchIndexError, index_in_one_run, index_site, install_bundle, missing_page)

# Pages per batch at most, whatever the memory allows: the last batch is written after
# the build, so smaller batches leave less to wait for; each service starts in milliseconds.
BATCH_PAGES = 4000
RUNS_AT_A_TIME = 2  # one filling, the one before it writing
_BODY = '<div data-pagefind-body>'
_DIV = re.compile(r"<(/?)div\b")
_HTML_TAG = re.compile(r"<html\b[^>]*>")


class SearchFeed:
    """The build's end of the indexing process: pages in as MkDocs writes them, the
    installed index's summary at the end."""

    def __init__(self, site_dir: Path, memory_mib: int) -> None:
        self._site_dir = Path(site_dir)
        self._sent: set[str] = set()
        self._output, self._errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self._process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                         stdout=self._output, stderr=self._errors)
        self._stopped = False  # the indexing process stopped reading: its error is told at the end
        self._send(json.dumps({"site_dir": str(self._site_dir), "memory_mib": memory_mib}).encode() + b"\n")

    def add(self, path: str, characters: int, page: str) -> None:
        """Index the page written at path (e.g. articles/…/index.html), which gives the
        index that many characters of text."""
        name, data = path.encode(), page.encode()
        self._send(b"%d %d %d\n" % (len(name), characters, len(data)) + name + data)
        self._sent.add(path)

    def finish(self, pages: Sequence[IndexedPage], common_words: Iterable[str]) -> str:
        """Index the pages MkDocs did not write in this build (a --dirty build's unchanged
        ones) from the site, then wait for the index to be installed; its summary."""
        for page in pages:
            if page.path not in self._sent:
                try:
                    text = (self._site_dir / page.path).read_text(encoding="utf-8")
                except FileNotFoundError:
                    self.abort()
                    raise missing_page(self._site_dir / page.path) from None
                self.add(page.path, page.characters, text)
        self._send(b"end\n" + json.dumps(sorted(common_words)).encode() + b"\n")
        return self._close()

    def abort(self) -> None:
        """Stop indexing: the site's old index stays as it was."""
        self._stopped = True
        try:
            self._close()
        except SearchIndexError:
            pass

    def _send(self, data: bytes) -> None:
        if self._stopped:
            return
        try:
            self._process.stdin.write(data)
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            self._stopped = True

    def _close(self) -> str:
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self._process.wait(TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._output.seek(0)
        self._errors.seek(0)
        output = self._output.read().decode("utf-8", "replace").strip()
        errors = self._errors.read().decode("utf-8", "replace").strip()
        self._output.close()
        self._errors.close()
        if self._process.returncode != 0:
            raise SearchIndexError(errors[-3000:] or f"indexing stopped (exit code {self._process.returncode})")
        return output


def searched_part(page: str) -> str:
    """The part of a written page that Pagefind reads: its data-pagefind-body element in a
    page of its own, with the page's language; the whole page when it has none."""
    start = page.find(_BODY)
    if start < 0:
        return page
    depth = 0
    for tag in _DIV.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = page.index(">", tag.end()) + 1
            break
    else:
        return page
    html = _HTML_TAG.search(page, 0, start)
    return (f'<!doctype html>{html.group(0) if html else "<html>"}<head><meta charset="utf-8"></head>'
            f"<body>{page[start:end]}</body></html>")


class _PagefindRun:
    """A Pagefind service indexing one batch into bundle: each page is parsed as it
    arrives, the bundle written when told."""

    def __init__(self, bundle: Path) -> None:
        binary = get_executable()
        if binary is None:
            raise SearchIndexError(f"cannot find Pagefind. {INSTALL_HINT}")
        self.bundle, self.pages = bundle, 0
        self._errors: IO[bytes] = tempfile.TemporaryFile()
        self._process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._errors)
        self._problems: list[str] = []
        self._started = threading.Event()
        self._index: int | None = None  # Pagefind's number for the index, once made
        self._message = 0
        self._peak: int | None = None
        self._reader = threading.Thread(target=self._read_replies, daemon=True)
        self._reader.start()
        try:
            self._send({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDED}})
            self._started.wait(60)
        except SearchIndexError:
            pass  # told below
        if self._index is None:
            raise self._failure("Pagefind did not start")

    def add(self, path: str, page: str) -> None:
        self._send({"type": "AddFile", "index_id": self._index, "file_path": path, "url": None,
                    "file_contents": page})
        self.pages += 1

    def write(self) -> None:
        """Have the bundle written; the service ends once it is.

        The bundle's files come back in the reply and are written here: Pagefind's own
        WriteFiles answers before its writes reach the disk, and a service that ends
        then leaves files empty."""
        self._send({"type": "GetFiles", "index_id": self._index})

    def wait(self) -> int:
        """Wait until the bundle is written; the service's peak memory in bytes."""
        if self._peak is None:
            self._reader.join(TIMEOUT_SECONDS)
            if self._reader.is_alive():
                self._process.kill()
            self._process.stdout.close()
            _, status, usage = os.wait4(self._process.pid, 0)
            self._process.returncode = os.waitstatus_to_exitcode(status)
            self._peak = usage.ru_maxrss * 1024
            if self._problems or not (self.bundle / "pagefind.js").is_file():
                raise self._failure("Pagefind could not index the pages")
        return self._peak

    def kill(self) -> None:
        if self._peak is None and self._process.poll() is None:
            self._process.kill()

    def _send(self, payload: dict) -> None:
        self._message += 1
        message = {"message_id": self._message, "payload": payload}
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self._process.stdin.flush()  # each page parsed as it comes
        except (BrokenPipeError, ValueError):
            raise self._failure("Pagefind stopped") from None

    def _read_replies(self) -> None:
        """Each reply is base64 JSON ending in a comma. Pagefind answers every page (told
        only when it could not be read) and ends when its bundle is written."""
        pending, start = bytearray(), 0
        try:
            while chunk := os.read(self._process.stdout.fileno(), 1 << 20):
                searched = len(pending)
                pending += chunk
                while (end := pending.find(b",", searched)) >= 0:
                    self._take_reply(json.loads(base64.b64decode(pending[start:end]))["payload"])
                    start = searched = end + 1
                if start:
                    del pending[:start]
                    start = 0
        except (ValueError, KeyError, OSError) as exc:  # not a reply, or a file not written: say so
            self._problems.append(f"an unreadable reply from Pagefind ({exc!r})")
            self._process.kill()
        finally:
            self._started.set()

    def _take_reply(self, payload: dict) -> None:
        if payload["type"] == "Error":
            self._problems.append(payload.get("message", "unknown error"))
        elif payload["type"] == "NewIndex":
            self._index = payload["index_id"]
            self._started.set()
        elif payload["type"] == "GetFiles":
            write_files(self.bundle, {file["path"]: base64.b64decode(file["content"]) for file in payload["files"]})
            self._process.stdin.close()  # the service ends

    def _failure(self, what: str) -> SearchIndexError:
        self.kill()
        self._errors.seek(0)
        detail = "\n".join([*self._problems[:5], self._errors.read().decode("utf-8", "replace").strip()[-2000:]])
        return SearchIndexError(f"{what} (indexing into {self.bundle}):\n{detail.strip()}\n{INSTALL_HINT}")


class _Batches:
    """The pages in Pagefind runs of at most a memory budget's worth of text (and
    BATCH_PAGES pages), RUNS_AT_A_TIME at a time, in the order they come."""

    def __init__(self, staging: Path, memory_mib: int) -> None:
        self._staging = staging
        self._capacity = max(1, memory_mib // RUNS_AT_A_TIME * 1024 ** 2 // PAGEFIND_BYTES_PER_CHARACTER)
        self.runs: list[_PagefindRun] = []
        self.paths: list[str] = []
        self._text = 0

    def add(self, path: str, characters: int, page: str) -> None:
        run = self.runs[-1] if self.runs else None
        if run is None or run.pages >= BATCH_PAGES or (run.pages and self._text + characters > self._capacity):
            if run is not None:
                run.write()
            if len(self.runs) >= RUNS_AT_A_TIME:
                self.runs[-RUNS_AT_A_TIME].wait()
            run = _PagefindRun(self._staging / f"batch-{len(self.runs)}")
            self.runs.append(run)
            self._text = 0
        run.add(path, searched_part(page))
        self._text += characters
        self.paths.append(path)

    def finish(self) -> int:
        """Write the last batch and wait for them all; the peak memory of the runs at a time."""
        self.runs[-1].write()
        peaks = [run.wait() for run in self.runs]
        return sum(sorted(peaks)[-RUNS_AT_A_TIME:])

    def stop(self) -> None:
        for run in self.runs:
            run.kill()


def _read_pages(stream: IO[bytes], batches: _Batches) -> list[str] | None:
    """Feed the pages from the build to the batches; the common words, or None when the
    build stopped before its end."""
    while line := stream.readline():
        if line == b"end\n":
            return json.loads(stream.readline())
        name_bytes, characters, page_bytes = map(int, line.split())
        path = stream.read(name_bytes).decode()
        batches.add(path, characters, stream.read(page_bytes).decode())
    return None


def _index(stream: IO[bytes]) -> str | None:
    settings = json.loads(stream.readline())
    site_dir, memory_mib = Path(settings["site_dir"]), settings["memory_mib"]
    staging = Path(tempfile.mkdtemp(prefix=".pagefind.", dir=site_dir.parent))
    batches = _Batches(staging, memory_mib)
    try:
        common_words = _read_pages(stream, batches)
        if common_words is None:
            return None
        if not batches.runs:  # an archive without articles: whatever Pagefind finds
            return index_site(site_dir, common_words)
        peak = batches.finish()
        bundle = staging / BUNDLE_DIR
        count, largest = len(batches.paths), max(run.pages for run in batches.runs)
        summary = (f"Indexed {count} pages as they were written, in {len(batches.runs)} "
                   f"batch{'es' if len(batches.runs) > 1 else ''} of at most {largest}")
        try:
            if len(batches.runs) == 1:
                os.replace(batches.runs[0].bundle, bundle)
                merged = None  # its word index is re-cut as installed
            else:
                merged = merge_bundles([run.bundle for run in batches.runs], bundle)
        except UnknownLayout as exc:  # another Pagefind version: one run, however much it needs
            shutil.rmtree(bundle, ignore_errors=True)
            summary, peak = index_in_one_run(site_dir, batches.paths, staging, bundle)
            summary, merged = f"{summary} in one run, as the batches could not be merged ({exc})", None
        note = install_bundle(bundle, site_dir, common_words, merged)
        return f"{summary}; Pagefind peaked at {peak / 1024 ** 2:,.0f} MiB; {note}"
    finally:
        batches.stop()
        shutil.rmtree(staging, ignore_errors=True)


def main() -> None:
    """The indexing process: pages from the build on standard input, the summary out."""
    os.nice(10)  # and its Pagefind services: the build comes first, indexing takes the idle core
    try:
        summary = _index(sys.stdin.buffer)
    except SearchIndexError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    if summary is None:
        print("the build stopped before its end: the search index was left as it was", file=sys.stderr)
        sys.exit(1)
    print(summary)


if __name__ == "__main__":
    main()
