"""Hand the memory a build has freed back to the system.

glibc's allocator keeps memory that Python frees for later allocations, and returns it
to the system only from the top of its heap. A large build frees a great deal in
between (a generation's working data, each page's source once MkDocs has read it), and
a process measured by its resident size would count all of it to the end:
300 MB of the peak of a 20,000-article build. malloc_trim returns the free pages
wherever they are, in milliseconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim, or None on a system without it (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_trim", None)
    except OSError:
        return None


def release_free_memory() -> None:
    """Return the pages of freed memory to the system, where the C library can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
