"""The archive's own static files (map script, chart and map styles, Leaflet), shipped with the site."""

from __future__ import annotations

from importlib import resources

# Where the files land in the site; the MkDocs plugin adds the script and the
# stylesheet to every page (the script loads Leaflet only where there is a map).
SITE_FOLDER = "assets/archive"
SCRIPT = f"{SITE_FOLDER}/archive-map.js"
STYLESHEET = f"{SITE_FOLDER}/entities.css"


def read_assets() -> dict[str, bytes]:
    """Every file under build_archive/assets, by its site path."""
    files: dict[str, bytes] = {}
    folders = [(resources.files("build_archive") / "assets", SITE_FOLDER)]  # not recursion: see load.py
    while folders:
        folder, prefix = folders.pop()
        for item in folder.iterdir():
            if item.is_dir():
                folders.append((item, f"{prefix}/{item.name}"))
            elif not item.name.startswith("."):
                files[f"{prefix}/{item.name}"] = item.read_bytes()
    return dict(sorted(files.items()))
