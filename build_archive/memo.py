"""Values worked out from one article or entity, kept from one generation to the next.

A preview regenerates the archive after each save. The pipeline hands the objects of
unchanged articles and entities over to the new generation, so a value computed from
an object (its citation, its feed entry, its row in the data downloads) is still
good while the object is the same one and the other inputs compare equal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Computed values by (kind, object); a new Memo keeps only what its generation used,
    so values of deleted or edited articles do not pile up over a long preview session."""

    def __init__(self, earlier: Memo | None = None) -> None:
        self._earlier = earlier._values if earlier is not None else {}
        # (kind, id(source)) → (source, inputs, value); the source is held so its id stays its own.
        self._values: dict[tuple[str, int], tuple[Any, Any, Any]] = {}

    def get(self, kind: str, source: object, inputs: object, compute: Callable[[], T],
            update: Callable[[Any, T], T] | None = None) -> T:
        """The value of `compute()` for `source` and `inputs`, computed at most once. With
        `update`, a value kept for other inputs is brought up to date instead, by
        `update(its inputs, it)`, which must give what `compute()` would."""
        key = (kind, id(source))
        kept = self._values.get(key) or self._earlier.get(key)
        if kept is not None and kept[0] is source and (kept[1] is inputs or kept[1] == inputs):
            value = kept[2]
        elif kept is not None and kept[0] is source and update is not None:
            value = update(kept[1], kept[2])
        else:
            value = compute()
        self._values[key] = (source, inputs, value)
        return value

    def __getstate__(self) -> list[tuple[str, Any, Any, Any]]:
        # Keys hold ids, which are this process's own: a memo read back from the build
        # cache keys its values by the ids of the objects read back with them.
        return [(kind, *kept) for (kind, _), kept in {**self._earlier, **self._values}.items()]

    def __setstate__(self, state: list[tuple[str, Any, Any, Any]]) -> None:
        self._earlier = {}
        self._values = {(kind, id(source)): (source, inputs, value) for kind, source, inputs, value in state}

    def drop_earlier(self) -> None:
        """Let the earlier generation's values go once this generation is complete."""
        self._earlier = {}
