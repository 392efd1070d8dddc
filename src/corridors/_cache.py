"""The remembered result of the most recent analysis, so that two tables cost one overlay.

Private to :mod:`corridors.analysis`, whose :func:`~corridors.analysis.clear_cache` is
the public way to forget it.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._threads import in_two

#: Rows per step of :func:`fingerprint` (bounds its temporary copy of the coordinates).
_FINGERPRINT_ROWS = 5_000


def fingerprint(lines: gpd.GeoDataFrame) -> tuple[int, str]:
    """A digest of what an analysis depends on: the geometries (coordinates as stored, their
    CRS, types and vertex counts) and the key columns (``corridor_id``, ``branch``, ``mode``).

    Taken on the lines as given (before :func:`corridors._checks.checked_lines`), so that a
    second table of the same lines finds the first one's result without checking them again.
    The coordinates of the two halves of the rows are hashed on two threads (shapely and
    hashlib release the interpreter lock), then the two digests and the rest together.
    """
    geoms = np.asarray(lines.geometry.values, dtype=object)

    def rows(start: int, end: int) -> bytes:
        """SHA-1 of the coordinates and vertex counts of rows ``start:end``."""
        part = hashlib.sha1(usedforsecurity=False)  # not a secret: the fastest hashlib digest here
        for at in range(start, end, _FINGERPRINT_ROWS):
            chunk = geoms[at:min(at + _FINGERPRINT_ROWS, end)]
            part.update(np.ascontiguousarray(shapely.get_coordinates(chunk)).data)  # no bytes copy
            part.update(shapely.get_num_coordinates(chunk).tobytes())
        return part.digest()

    digest = hashlib.sha1(usedforsecurity=False)
    for half in in_two(rows, len(geoms), 2 * _FINGERPRINT_ROWS):
        digest.update(half)
    digest.update(shapely.get_num_geometries(geoms).tobytes())
    digest.update(shapely.get_type_id(geoms).tobytes())
    digest.update(str(lines.crs.srs if lines.crs is not None else None).encode())
    for col in ("corridor_id", "branch", "mode"):
        if col in lines.columns:
            values = lines[col].to_numpy(dtype=object)
            digest.update(col.encode())
            digest.update(pd.isna(values).tobytes())  # a missing value is not the text "nan"
            digest.update(pd.util.hash_array(lines[col].astype(str).to_numpy(dtype=object)).tobytes())
    return len(lines), digest.hexdigest()


class ResultCache:
    """The most recent analysis result, keyed by what it depends on (thread-safe).

    One entry only: ``key`` (border index id, :func:`fingerprint` of the lines, edge
    reading), ``result`` (an :class:`corridors.engine.Analysis` or a batched run's
    :class:`corridors.batches.Batched`) and the border index, kept alive because its id
    is in the key.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Any = None
        self._result: Any = None
        self._index: Any = None

    def recall(self, key: Any) -> Any:
        """The remembered result for ``key``, else None."""
        with self._lock:
            return self._result if self._key == key else None

    def remember(self, key: Any, index: Any, result: Any) -> Any:
        """Remember ``result`` for ``key`` (replacing the previous entry); return it."""
        with self._lock:
            self._key, self._result, self._index = key, result, index
        return result

    @property
    def result(self) -> Any:
        """The remembered result, whatever its key (None when empty)."""
        with self._lock:
            return self._result

    def clear(self) -> None:
        """Forget the remembered result (and release its memory)."""
        with self._lock:
            self._key = self._result = self._index = None
