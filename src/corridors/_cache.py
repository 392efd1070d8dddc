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


def identity(lines: gpd.GeoDataFrame) -> tuple[tuple[int, str], np.ndarray]:
    """What identifies lines for the remembered result, and what to keep alive for it to hold.

    Shapely geometries are immutable, so the same geometry objects (by ``id``) hold the same
    coordinates: the identity is a digest of the geometry objects' ids, the CRS and the key
    columns' values (``corridor_id``, ``branch``, ``mode``), without reading a coordinate
    (about 10 ms for the 48k lines of the GEM corpus, where hashing their 3.4 M coordinates
    took 35-45 ms). The geometries must stay alive as long as the key is remembered, so that
    no new object takes one of their ids: they are returned to be kept with it. Lines read
    again from the same file are new objects, and are analysed again.

    Returns
    -------
    key : tuple of (int, str)
        The number of rows and the digest.
    geoms : ndarray of object
        The geometry objects, to keep with the key.
    """
    geoms = np.asarray(lines.geometry.values, dtype=object)
    digest = hashlib.sha1(np.fromiter(map(id, geoms), dtype=np.int64, count=len(geoms)).tobytes(),
                          usedforsecurity=False)  # not a secret
    digest.update(str(lines.crs.srs if lines.crs is not None else None).encode())
    for col in ("corridor_id", "branch", "mode"):
        if col in lines.columns:
            values = lines[col].to_numpy(dtype=object)
            digest.update(col.encode())
            digest.update(pd.isna(values).tobytes())  # a missing value is not the text "nan"
            digest.update(pd.util.hash_array(lines[col].astype(str).to_numpy(dtype=object)).tobytes())
    return (len(lines), digest.hexdigest()), geoms


class ResultCache:
    """The most recent analysis result, keyed by what it depends on (thread-safe).

    One entry only: ``key`` (border index id, :func:`identity` of the lines, edge reading),
    ``result`` (an :class:`corridors.engine.Analysis` or a batched run's
    :class:`corridors.batches.Batched`) and what the key's ids refer to (the border index,
    the lines' geometries), kept alive with it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Any = None
        self._result: Any = None
        self._keep: Any = None

    def recall(self, key: Any) -> Any:
        """The remembered result for ``key``, else None."""
        with self._lock:
            return self._result if self._key == key else None

    def remember(self, key: Any, keep: Any, result: Any) -> Any:
        """Remember ``result`` for ``key`` (replacing the previous entry), keeping ``keep``
        (the objects whose ids are in the key) alive with it; return ``result``."""
        with self._lock:
            self._key, self._result, self._keep = key, result, keep
        return result

    @property
    def result(self) -> Any:
        """The remembered result, whatever its key (None when empty)."""
        with self._lock:
            return self._result

    def clear(self) -> None:
        """Forget the remembered result (and release its memory)."""
        with self._lock:
            self._key = self._result = self._keep = None
