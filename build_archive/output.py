"""Write generated pages to a folder: atomically, and never touching other files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MANIFEST = ".build-archive-pages"


class OutputError(OSError):
    """Raised when writing would overwrite or delete files this tool did not write."""


def write_pages(pages: dict[str, str], files: dict[str, bytes], out_dir: Path) -> int:
    """Replace what we wrote in out_dir with the new pages and files.

    The new output is written beside out_dir and swapped in only when complete, so
    a failure midway leaves the previous output as it was. A folder that exists must
    be empty or one we wrote (it has our manifest); files in it that the manifest
    does not list were put there by someone else and are kept.
    """
    out_dir = Path(out_dir)
    outputs = {path: content.encode("utf-8") for path, content in pages.items()}
    outputs.update(files)
    foreign = _foreign_files(out_dir)
    clashes = sorted(set(foreign) & set(outputs))
    if clashes:
        raise OutputError(f"{out_dir / clashes[0]} was not written by build-archive and has the "
                          "path of a generated page: move it away")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for path, data in outputs.items():
            _write(staging / path, data)
        for path in foreign:
            _write(staging / path, (out_dir / path).read_bytes())
        (staging / MANIFEST).write_text("".join(f"{p}\n" for p in sorted(outputs)), encoding="utf-8")
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
            os.replace(out_dir, retired / "pages")
            os.replace(staging, out_dir)
            shutil.rmtree(retired)
        else:
            os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(outputs)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _foreign_files(out_dir: Path) -> list[str]:
    """Files in out_dir that our last run did not write; refuses a folder we never wrote."""
    if not out_dir.exists():
        return []
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder: choose a folder for the pages")
    present = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*")
                     if p.is_file() or p.is_symlink())
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        if present:
            raise OutputError(f"{out_dir} is not empty and was not written by build-archive; "
                              "choose an empty or new folder")
        return []
    ours = set(manifest.read_text(encoding="utf-8").splitlines()) | {MANIFEST}
    return [path for path in present if path not in ours]
