"""Write generated pages to a folder: atomically, and never touching other files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".build-archive-pages"


class OutputError(OSError):
    """Raised when writing would overwrite or delete files this tool did not write."""


def write_pages(pages: dict[str, str], files: dict[str, bytes], out_dir: Path) -> int:
    """Replace what we wrote in out_dir with the new pages and files (see staged_output)."""
    with staged_output(out_dir) as staging:
        for path, text in pages.items():
            write_file(staging.folder, path, text.encode("utf-8"))
        write_files(staging.folder, files)
        return staging.finish([*pages, *files])


@dataclass
class Staging:
    """The folder a new output is written into, beside the one it will replace."""

    folder: Path
    out_dir: Path
    foreign: list[str]
    finished: bool = False
    retired: Path | None = None  # where the replaced output went, to be removed
    removing: subprocess.Popen | None = None  # removes it, when asked to in the background

    def removed(self) -> Path | None:
        """Wait until the replaced output is gone; the folder it is left in, if it cannot be
        removed."""
        if self.removing is not None and self.removing.wait() != 0 and self.retired.exists():
            return self.retired
        return None

    def keep(self, paths: Iterable[str]) -> bool:
        """Take these files over from the output being replaced, as they are (a hard link
        where the file system allows it, else a copy). All or nothing: False, and none
        kept, when one of them is missing."""
        kept: list[str] = []
        try:
            for path in paths:
                _link_or_copy(f"{self.out_dir}/{path}", f"{self.folder}/{path}")
                kept.append(path)
        except FileNotFoundError:
            for path in kept:
                os.unlink(f"{self.folder}/{path}")
            return False
        return True

    def finish(self, written: list[str]) -> int:
        """Declare the output complete: `written` is every path written into the folder.
        Keeps the files of others (refusing one at a written path) and lists ours."""
        clashes = sorted(set(self.foreign) & set(written))
        if clashes:
            raise OutputError(f"{self.out_dir / clashes[0]} was not written by build-archive and has the "
                              "path of a generated page: move it away")
        for path in self.foreign:
            write_file(self.folder, path, (self.out_dir / path).read_bytes())
        (self.folder / MANIFEST).write_text("".join(f"{p}\n" for p in sorted(written)), encoding="utf-8")
        self.finished = True
        return len(written)


@contextmanager
def staged_output(out_dir: Path, *, remove_in_background: bool = False) -> Iterator[Staging]:
    """A staging folder to write a new output into, swapped in for out_dir once
    `finish` is called and the block ends, so a failure midway leaves the previous
    output as it was. A folder that exists must be empty or one we wrote (it has our
    manifest); files in it that the manifest does not list were put there by someone
    else and are kept. With `remove_in_background`, the replaced output (tens of
    thousands of files) is removed by another process while the caller goes on, until
    `staging.removed()`."""
    out_dir = Path(out_dir)
    foreign = _foreign_files(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Staging(Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent)), out_dir, foreign)
    try:
        yield staging
        if not staging.finished:
            raise RuntimeError("staged output left unfinished")  # a bug of ours, not an editor's
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
            os.replace(out_dir, retired / "pages")
            os.replace(staging.folder, out_dir)
            staging.retired = retired
            if remove_in_background:
                staging.removing = _remove_elsewhere(retired)
            else:
                shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging.folder, out_dir)
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        raise


def _remove_elsewhere(folder: Path) -> subprocess.Popen:
    """Start removing a folder in a process of its own: a thread would hold up this
    process's own work (it and Python code here take turns), and removing tens of
    thousands of files takes the kernel a second or more."""
    return subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1])", str(folder)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_file(folder: Path, path: str, data: bytes) -> None:
    """Write one output file at its path (with "/" separators) under folder, making its
    folders the first time one is missing (tens of thousands of pages share a few)."""
    target = f"{folder}/{path}"
    try:
        file = open(target, "wb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        file = open(target, "wb")
    with file:
        file.write(data)


def _link_or_copy(source: str, target: str) -> None:
    """source's file at target: hard linked, or copied where links are refused."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.isfile(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)  # the first file of its folder
        _link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


def replace_file(target: Path, data: bytes) -> None:
    """The file's new bytes in one step: a failure leaves the old file as it was, and a
    reader meanwhile gets the old one whole."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file at its path under folder."""
    for path, data in files.items():
        write_file(folder, path, data)


def _foreign_files(out_dir: Path) -> list[str]:
    """Files in out_dir that our last run did not write; refuses a folder we never wrote."""
    if not out_dir.exists():
        return []
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder: choose a folder for the pages")
    present = sorted(_files_within(str(out_dir)))
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        if present:
            raise OutputError(f"{out_dir} is not empty and was not written by build-archive; "
                              "choose an empty or new folder")
        return []
    ours = set(manifest.read_text(encoding="utf-8").splitlines()) | {MANIFEST}
    return [path for path in present if path not in ours]


def _files_within(folder: str, inside: str = "") -> Iterator[str]:
    """Every file (or link) under folder, as a path with "/" separators; with os.scandir,
    as a folder of tens of thousands of pages is walked before each run."""
    with os.scandir(folder) as entries:
        for entry in entries:
            path = f"{inside}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                yield from _files_within(entry.path, path + "/")
            else:
                yield path
