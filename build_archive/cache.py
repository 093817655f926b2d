"""The build cache of `render --out`: the last generation, kept beside its output folder.

Rendering again after a few stories changed starts from the generation that wrote the
folder, as a preview does after a save: unchanged files are not read again and only
pages planned anew are rendered; the others are taken over from the folder as they are.

The cache is only ever a shortcut, never a source of truth: it is used only by the same
code and libraries (a fingerprint of both), for the same articles folder, and for the
very output folder it was written with (the stamp of that folder's manifest). Anything
else, or a cache that cannot be read, and the build starts from scratch.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from .output import MANIFEST
from .pipeline import Generated, collector_paused

_FORMAT = b"build-archive cache 1\n"
# The libraries whose versions shape the output; the package's own files are hashed.
_LIBRARIES = ("Jinja2", "lxml", "feedgen", "PyYAML", "python-slugify", "MarkupSafe")


def cache_file(out_dir: Path) -> Path:
    """Beside the output folder, not in it: an engine publishing the folder must not
    publish the cache."""
    return out_dir.parent / f".{out_dir.name}.build-archive-cache"


def read_cache(out_dir: Path, articles_dir: Path) -> Generated | None:
    """The generation that wrote out_dir, or None when there is none this build can trust."""
    try:
        with open(cache_file(out_dir), "rb") as file:
            if file.readline() != _FORMAT or file.readline() != _header(out_dir, articles_dir):
                return None
            with collector_paused():
                previous = pickle.load(file)
    except Exception:  # noqa: BLE001 (a damaged or foreign cache is no cache at all)
        return None
    return previous if isinstance(previous, Generated) else None


def forget_cache(out_dir: Path) -> None:
    """Remove the cache before out_dir is replaced, so it never outlives its output."""
    try:
        os.unlink(cache_file(out_dir))
    except FileNotFoundError:
        pass


def write_cache(out_dir: Path, articles_dir: Path, generated: Generated) -> None:
    """Keep `generated`, which wrote out_dir, for the next build. A generation that cannot
    be kept (the disk is full) is simply not kept."""
    target = cache_file(out_dir)
    handle, temporary = tempfile.mkstemp(prefix=target.name + ".", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file, collector_paused():
            file.write(_FORMAT)
            file.write(_header(out_dir, articles_dir))
            pickle.dump(generated, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except (OSError, pickle.PicklingError, RecursionError):
        os.unlink(temporary)


def _header(out_dir: Path, articles_dir: Path) -> bytes:
    manifest = os.stat(out_dir / MANIFEST)
    key = {"code": _code_fingerprint(), "articles": str(Path(articles_dir).resolve()),
           "manifest": [manifest.st_ino, manifest.st_mtime_ns, manifest.st_size]}
    return json.dumps(key, sort_keys=True).encode("utf-8") + b"\n"


def _code_fingerprint() -> str:
    """This package's files and the versions of Python and the libraries it renders with."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for library in _LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}\n".encode("utf-8"))
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\n")
            digest.update(path.read_bytes())
    return digest.hexdigest()
