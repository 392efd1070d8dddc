"""WGS84 geodesic lengths, geodesic densification and antimeridian splitting.

Everything here works on arrays of shapely geometries or coordinates, without
per-feature Python loops. Lengths are measured on the WGS84 ellipsoid with
``pyproj.Geod`` (Karney's algorithm, as in GeographicLib), never on degrees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

#: The WGS84 ellipsoid used for every length.
GEOD = Geod(ellps="WGS84")

#: Default densification step (km): before a planar overlay in lon/lat, no segment is longer.
DENSIFY_KM = 5.0


@dataclass
class Segments:
    """Straight pieces of a set of lines, in order, as flat arrays.

    Attributes
    ----------
    x0, y0, x1, y1 : ndarray of float
        Start and end longitude/latitude of each segment (degrees).
    row : ndarray of int
        Position of the geometry (in the input array) that the segment belongs to.
    part : ndarray of int
        Global number of the line part (of a MultiLineString) it belongs to.
    length_m : ndarray of float
        Geodesic length of each segment on WGS84 (metres).
    """

    x0: NDArray[np.float64]
    y0: NDArray[np.float64]
    x1: NDArray[np.float64]
    y1: NDArray[np.float64]
    row: NDArray[np.intp]
    part: NDArray[np.intp]
    length_m: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.x0)

    def take(self, idx: ArrayLike) -> Segments:
        """Subset (or reorder) the segments by position or boolean mask."""
        return Segments(*(getattr(self, f)[idx] for f in _FIELDS))


_FIELDS = ("x0", "y0", "x1", "y1", "row", "part", "length_m")


def segments(geoms: ArrayLike, max_km: float | None = None) -> Segments:
    """Break lines into straight segments with their geodesic lengths.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        LineStrings / MultiLineStrings in lon/lat degrees (z is ignored). None and
        empty geometries contribute no segments.
    max_km : float, optional
        If given, segments longer than this are divided along the geodesic into equal
        pieces no longer than ``max_km`` (km), and segments crossing the antimeridian
        are split at +/-180 degrees, so that the result can be overlaid in planar lon/lat.

    Returns
    -------
    Segments
        In input order: geometry by geometry, part by part, vertex by vertex.
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, part_row = shapely.get_parts(geoms, return_index=True)
    coords, cidx = shapely.get_coordinates(parts, return_index=True)
    same = cidx[1:] == cidx[:-1]
    x0, y0 = coords[:-1, 0][same], coords[:-1, 1][same]
    x1, y1 = coords[1:, 0][same], coords[1:, 1][same]
    part = cidx[:-1][same]
    row = part_row[part] if len(part) else np.zeros(0, dtype=np.intp)
    if max_km is None:
        length = GEOD.inv(x0, y0, x1, y1, return_back_azimuth=False)[2] if len(x0) else np.zeros(0)
        return Segments(x0, y0, x1, y1, row.astype(np.intp), part.astype(np.intp), np.asarray(length, float))
    if len(x0):
        az, _, length = GEOD.inv(x0, y0, x1, y1, return_back_azimuth=False)
        az, length = np.asarray(az, float), np.asarray(length, float)
    else:
        az = length = np.zeros(0)
    seg = Segments(x0, y0, x1, y1, row.astype(np.intp), part.astype(np.intp), length)
    seg = _densify(seg, az, max_km * 1000.0)
    return _split_antimeridian(seg)


def _densify(seg: Segments, az: NDArray[np.float64], max_m: float) -> Segments:
    """Divide segments longer than ``max_m`` metres into equal geodesic pieces."""
    n = np.maximum(np.ceil(seg.length_m / max_m), 1).astype(np.intp)
    long = np.flatnonzero(n > 1)
    if not len(long):
        return seg
    out = seg.take(np.repeat(np.arange(len(n)), n))  # every piece starts as a copy of its segment
    k = n[long]
    owner = np.repeat(long, k)  # the long segment of each of its pieces
    step = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)  # 0..k-1 within each
    pos = np.repeat((np.cumsum(n) - n)[long], k) + step  # output position of each piece
    kk = n[owner]
    out.length_m[pos] = seg.length_m[owner] / kk
    # inner points along the geodesic from the segment start; end points kept exactly
    inner = step > 0
    lon, lat, _ = GEOD.fwd(seg.x0[owner[inner]], seg.y0[owner[inner]], az[owner[inner]],
                           seg.length_m[owner[inner]] * step[inner] / kk[inner], return_back_azimuth=False)
    out.x0[pos[inner]], out.y0[pos[inner]] = lon, lat
    nl = pos[step < kk - 1]
    out.x1[nl], out.y1[nl] = out.x0[nl + 1], out.y0[nl + 1]
    return out


def _split_antimeridian(seg: Segments) -> Segments:
    """Split segments whose longitude jumps by more than 180 degrees at +/-180.

    An end lying on the antimeridian itself (longitude exactly +/-180) is first written
    with the sign of the segment's other end, so that a segment that only touches or runs
    along the antimeridian (``[180, 40] -> [-180, 41]``) is not split, and no division by
    a zero longitude span can happen.
    """
    on0, on1 = np.abs(seg.x0) == 180.0, np.abs(seg.x1) == 180.0
    if on0.any() or on1.any():
        seg = seg.take(np.arange(len(seg)))  # a copy: the caller's arrays stay as they were
        seg.x0 = np.where(on0, np.copysign(180.0, seg.x1), seg.x0)
        seg.x1 = np.where(on1, np.copysign(180.0, seg.x0), seg.x1)
    jump = np.abs(seg.x1 - seg.x0) > 180.0
    if not jump.any():
        return seg
    idx = np.flatnonzero(jump)
    x0, y0, x1, y1 = seg.x0[idx], seg.y0[idx], seg.x1[idx], seg.y1[idx]
    x1u = np.where(x1 < x0, x1 + 360.0, x1 - 360.0)  # unwrapped end longitude
    edge = np.where(x1 < x0, 180.0, -180.0)  # the side the segment leaves through
    t = (edge - x0) / (x1u - x0)
    ym = y0 + t * (y1 - y0)
    owner = np.repeat(np.arange(len(seg)), 1 + jump)  # a jumping segment becomes two pieces
    out = seg.take(owner)
    head = np.cumsum(1 + jump)[idx] - 2  # output position of the first of the two
    out.x1[head], out.y1[head], out.length_m[head] = edge, ym, seg.length_m[idx] * t
    out.x0[head + 1], out.y0[head + 1], out.length_m[head + 1] = -edge, ym, seg.length_m[idx] * (1 - t)
    return out


def geodesic_length_m(geoms: ArrayLike) -> NDArray[np.float64]:
    """Geodesic length of each geometry on the WGS84 ellipsoid.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        Lines in lon/lat degrees; z is ignored; None/empty give 0.

    Returns
    -------
    ndarray of float
        Length in metres, one per input geometry.
    """
    geoms = np.asarray(geoms, dtype=object)
    seg = segments(geoms)
    return np.bincount(seg.row, weights=seg.length_m, minlength=len(geoms))


def geodesic_distance_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64]:
    """Geodesic distance between points on WGS84.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array_like
        Degrees.

    Returns
    -------
    ndarray of float
        Metres.
    """
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(a, float) for a in (lon1, lat1, lon2, lat2)))
    if lon1.size == 0:
        return np.zeros(lon1.shape)
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)[2], float)


def unwrap_longitudes(geoms: ArrayLike) -> NDArray[np.object_]:
    """Lines with continuous longitudes, for drawing across the antimeridian.

    Each vertex's longitude is moved by a multiple of 360 degrees so that no step between
    consecutive vertices of a part exceeds 180 degrees: ``[[170, 66], [180, 66],
    [-180, 66], [-170, 66]]`` becomes ``[[170, 66], [180, 66], [180, 66], [190, 66]]``,
    which a web map draws over the antimeridian instead of across the whole world. The
    first vertex of each part keeps its longitude. Lengths are not affected (this is for
    drawing only).

    Parameters
    ----------
    geoms : array_like of shapely geometries
        Lines in lon/lat degrees.

    Returns
    -------
    ndarray of shapely geometries
        The same geometries, longitudes unwrapped (unchanged where no step exceeds 180).
    """
    geoms = np.asarray(geoms, dtype=object)
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if not len(coords):
        return geoms
    dx = np.diff(coords[:, 0])
    if not (np.abs(dx) > 180.0).any():
        return geoms

    def unwrap(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        # positions come part by part; a step between parts never carries a shift
        parts, part_of = shapely.get_parts(geoms, return_index=True)
        _, vertex_part = shapely.get_coordinates(parts, return_index=True)
        step = np.diff(xy[:, 0])
        shift = np.where(step > 180.0, -360.0, np.where(step < -180.0, 360.0, 0.0))
        shift[vertex_part[1:] != vertex_part[:-1]] = 0.0
        total = np.r_[0.0, np.cumsum(shift)]
        first = np.r_[0, np.flatnonzero(vertex_part[1:] != vertex_part[:-1]) + 1]
        total -= np.repeat(total[first], np.diff(np.r_[first, len(xy)]))
        out = xy.copy()
        out[:, 0] += total
        return out

    return shapely.transform(geoms, unwrap)
