"""Lines as flat coordinate arrays: the form every reader produces, checked in bulk.

Private: shared by the GeoJSON parser and the GDAL readers of :mod:`corridors.io`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ._problems import Problems


@dataclass
class LineArrays:
    """Lines as flat arrays: the form every reader produces and :func:`check_line_arrays` checks.

    ``coords`` holds the 2D positions of every part, part after part; ``part_len`` the
    number of positions of each part; ``part_feat`` the (0-based, local) feature of each
    part; ``multi`` whether each feature is a MultiLineString.
    """

    coords: np.ndarray
    part_len: np.ndarray
    part_feat: np.ndarray
    multi: np.ndarray

    @property
    def n(self) -> int:
        return len(self.multi)

    def take(self, keep: np.ndarray) -> LineArrays:
        """The features where ``keep`` is True, with their parts renumbered."""
        if keep.all():
            return self
        keep_part = keep[self.part_feat]
        new_id = np.cumsum(keep) - 1
        return LineArrays(self.coords[np.repeat(keep_part, self.part_len)], self.part_len[keep_part],
                      new_id[self.part_feat[keep_part]], self.multi[keep])

    @staticmethod
    def concat(items: list[LineArrays]) -> LineArrays:
        offsets = np.cumsum([0] + [it.n for it in items[:-1]])
        return LineArrays(np.concatenate([it.coords for it in items]),
                      np.concatenate([it.part_len for it in items]),
                      np.concatenate([it.part_feat + off for it, off in zip(items, offsets)]),
                      np.concatenate([it.multi for it in items]))

    @staticmethod
    def from_geometries(geoms: np.ndarray) -> LineArrays:
        """Decompose (Multi)LineStrings (any dimension) into flat 2D arrays."""
        parts, part_feat = shapely.get_parts(geoms, return_index=True)
        coords, vidx = shapely.get_coordinates(parts, return_index=True)
        part_len = np.bincount(vidx, minlength=len(parts)).astype(np.int64)
        multi = shapely.get_type_id(geoms) == 5
        return LineArrays(coords, part_len, part_feat.astype(np.int64), multi)

    def geometries(self) -> np.ndarray:
        """Build the shapely geometries (one vectorised call per geometry kind)."""
        out = np.empty(self.n, dtype=object)
        if self.n == 0:
            return out
        # empty parts of a MultiLineString are dropped; checked features keep at least one part
        filled = self.part_len > 0
        part_len, part_feat = self.part_len[filled], self.part_feat[filled]
        parts = np.asarray(shapely.linestrings(self.coords, indices=np.repeat(np.arange(len(part_len)), part_len)),
                           dtype=object)
        multi_part = self.multi[part_feat]
        # a LineString feature has exactly one part, in feature order
        out[~self.multi] = parts[~multi_part]
        if self.multi.any():
            rank = np.cumsum(self.multi) - 1
            out[self.multi] = shapely.multilinestrings(parts[multi_part], indices=rank[part_feat[multi_part]])
        return out


def _per_feature(flags: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """True for each of ``n`` features owning at least one True flag."""
    return np.bincount(owner[flags], minlength=n) > 0 if n else np.zeros(0, bool)


def check_line_arrays(lines: LineArrays, labels: list[str], path: Path, problems: Problems,
                 crs_note: str = "") -> np.ndarray:
    """Check coordinates (vectorised); report bad features; return the mask of good ones.

    Reasons, in this order of precedence: a part with one position, NaN/infinite
    coordinates, an empty geometry, a longitude or latitude out of range, and a line whose
    positions are all the same point.
    """
    n = lines.n
    if n == 0:
        return np.zeros(0, bool)
    part_len, part_feat, xy = lines.part_len, lines.part_feat, lines.coords
    one_pos = _per_feature(part_len == 1, part_feat, n)
    nonempty = _per_feature(part_len > 0, part_feat, n)
    vert_feat = np.repeat(part_feat, part_len)
    with np.errstate(invalid="ignore"):
        nonfinite = _per_feature(~np.isfinite(xy).all(axis=1), vert_feat, n)
        lon_out = np.abs(xy[:, 0]) > 180
        lat_out = np.abs(xy[:, 1]) > 90
    lon_bad = _per_feature(lon_out, vert_feat, n)
    lat_bad = _per_feature(lat_out, vert_feat, n)
    # a part whose positions are all the same point has no length and no direction
    starts = np.cumsum(part_len) - part_len
    first = np.repeat(xy[starts[part_len > 0]], part_len[part_len > 0], axis=0)
    moving_vertex = (xy != first).any(axis=1)
    vert_part = np.repeat(np.arange(len(part_len)), part_len)
    part_moves = np.bincount(vert_part[moving_vertex], minlength=len(part_len)) > 0
    degenerate = _per_feature((part_len > 1) & ~part_moves, part_feat, n)
    bad = one_pos | nonfinite | ~nonempty | lon_bad | lat_bad | degenerate
    for i in np.flatnonzero(bad):
        if one_pos[i]:
            reason = "a line needs at least 2 positions"
        elif nonfinite[i]:
            reason = "coordinates are NaN or infinite" + crs_note
        elif not nonempty[i]:
            reason = "empty geometry"
        elif lon_bad[i] or lat_bad[i]:
            mine = vert_feat == i
            c = xy[mine]
            what = (f"longitude {c[np.argmax(np.abs(c[:, 0])), 0]:g}" if lon_bad[i]
                    else f"latitude {c[np.argmax(np.abs(c[:, 1])), 1]:g}")
            reason = (f"{what} is out of range (|lon| <= 180, |lat| <= 90); projected coordinates "
                      f"given as lon/lat, or a missing CRS?{crs_note}")
        else:
            reason = "a line whose positions are all the same point"
        problems(path, labels[i], reason)
    return ~bad


@lru_cache(maxsize=64)
def _to_lonlat(crs_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(crs_wkt), "EPSG:4326", always_xy=True)


def to_lonlat(xy: np.ndarray, crs: CRS) -> np.ndarray:
    """Positions from ``crs`` to lon/lat (non-transformable ones become inf)."""
    if not len(xy):
        return xy
    x, y = _to_lonlat(crs.to_wkt()).transform(xy[:, 0], xy[:, 1], errcheck=False)
    return np.column_stack([x, y])


def select(items: list[Any], keep: np.ndarray) -> list[Any]:
    """The items where ``keep`` is True."""
    return [x for x, k in zip(items, keep) if k]
