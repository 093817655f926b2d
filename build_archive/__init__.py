"""Turn a folder of news articles into a cross-linked MkDocs site."""

from __future__ import annotations

__version__ = "0.1.0"
