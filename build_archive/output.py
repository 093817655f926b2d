"""Write generated pages to a folder: atomically, and never touching other files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MANIFEST = ".build-archive-pages"


class OutputError(OSError):
    """Raised when the output folder holds files this tool did not write."""


def write_pages(pages: dict[str, str], files: dict[str, bytes], out_dir: Path) -> int:
    """Replace out_dir with the pages and files. A folder that exists must be one we wrote
    (it has our manifest), so an editor's folder is never overwritten; a failure
    midway leaves the previous output as it was."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise OutputError(f"{out_dir} is not empty and was not written by build-archive; "
                          "choose an empty or new folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        outputs = {path: content.encode("utf-8") for path, content in pages.items()}
        outputs.update(files)
        for path, data in outputs.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
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
