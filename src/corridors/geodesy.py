"""WGS84 geodesic lengths, geodesic densification and antimeridian splitting.

Everything here works on arrays of shapely geometries or coordinates, without
per-feature Python loops. Lengths are measured on the WGS84 ellipsoid, never on degrees:
with ``pyproj.Geod`` (Karney's algorithm, as in GeographicLib), and for segments of at
most :data:`SHORT_M` metres with :func:`short_geodesic_m`, a closed formula that agrees
with GeographicLib to 0.1 mm per km of segment (see its notes).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

#: The WGS84 ellipsoid used for every length.
GEOD = Geod(ellps="WGS84")

#: Default densification step (km): before a planar overlay in lon/lat, no segment is longer.
DENSIFY_KM = 5.0

#: Segments up to this long (metres) are measured by :func:`short_geodesic_m`; longer ones by ``Geod.inv``.
SHORT_M = 50_000.0

#: Error bound of :func:`short_geodesic_m` against GeographicLib: relative part (0.1 mm per km)...
SHORT_REL_ERROR = 1e-7
#: ... and absolute part (metres), the round-off of the coordinates themselves (one unit in the
#: last place of a longitude near 180 degrees is about 3 nm; GeographicLib's own is about 15 nm).
SHORT_ABS_ERROR = 1e-8

_A = 6378137.0  # WGS84 semi-major axis, m
_F = 1 / 298.257223563  # WGS84 flattening
_E2 = _F * (2 - _F)  # first eccentricity squared

#: Arrays at least this long are split between two threads (numpy releases the GIL).
_THREAD_MIN = 200_000
#: The helper thread's pool, made on first use; a forked child (see :mod:`corridors.batches`)
#: forgets its parent's, whose threads it does not have, and makes its own.
_POOL: list[ThreadPoolExecutor] = []
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOL.clear)


def _in_halves(fn: Callable[..., NDArray[np.float64]], *arrays: NDArray[np.float64]) -> NDArray[np.float64]:
    """``fn(*arrays)`` elementwise along the last axis, the two halves of long arrays on two threads."""
    n = len(arrays[0])
    if n < _THREAD_MIN or (os.cpu_count() or 1) < 2:
        return fn(*arrays)
    h = n // 2
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="corridors-geodesy"))
    second = _POOL[0].submit(fn, *(a[h:] for a in arrays))
    first = fn(*(a[:h] for a in arrays))
    return np.concatenate([first, second.result()], axis=-1)


def _ecef(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Earth-centred X, Y, Z (m) and sin(latitude) of points, stacked: shape (4, n)."""
    phi, lam = np.radians(lat), np.radians(lon)
    s = np.sin(phi)
    n = _A / np.sqrt(1.0 - _E2 * s * s)  # prime-vertical radius of curvature
    r = n * np.cos(phi)  # distance from the polar axis
    return np.stack([r * np.cos(lam), r * np.sin(lam), (n * (1.0 - _E2)) * s, s])


def _arc(p0: NDArray[np.float64], p1: NDArray[np.float64]) -> NDArray[np.float64]:
    """Arc length (m) over the chord between points given by :func:`_ecef` (the formula of :func:`short_geodesic_m`)."""
    d = p1[:3] - p0[:3]
    c2 = np.einsum("ij,ij->j", d, d)  # squared chord
    sm = (p0[3] + p1[3]) * 0.5
    w = 1.0 - _E2 * sm * sm
    k2 = c2 * (w * w) * (1.0 / (_A * _A * (1.0 - _E2)))  # chord^2 / (M N) at the middle latitude
    return np.sqrt(c2) * (1.0 + k2 * (1.0 / 24.0) + k2 * k2 * (3.0 / 640.0))


def _chord_arc(lon0: NDArray[np.float64], lat0: NDArray[np.float64],
               lon1: NDArray[np.float64], lat1: NDArray[np.float64]) -> NDArray[np.float64]:
    """The formula of :func:`short_geodesic_m` (no checks, no threads)."""
    return _arc(_ecef(lon0, lat0), _ecef(lon1, lat1))


def short_geodesic_m(lon0: ArrayLike, lat0: ArrayLike, lon1: ArrayLike, lat1: ArrayLike) -> NDArray[np.float64]:
    """Geodesic distance on WGS84 between nearby points, from the chord (fast, vectorised).

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : array_like
        Degrees; the points at most :data:`SHORT_M` apart (beyond that use ``Geod.inv``).

    Returns
    -------
    ndarray of float
        Metres.

    Notes
    -----
    The straight chord ``c`` between the two points in the earth-centred frame is exact;
    a geodesic is a curve whose curvature is the normal curvature of the ellipsoid in its
    direction (about ``1 / sqrt(M N)``, the Gaussian radius at the middle latitude), and
    an arc of curvature ``k`` over the chord ``c`` is ``c (1 + (kc)^2 / 24 + 3 (kc)^4 / 640)``.
    No angle or azimuth is solved for, so the formula has no singularity at the poles or
    the antimeridian. Its difference from GeographicLib (``pyproj.Geod.inv``) is at most
    :data:`SHORT_REL_ERROR` times the length (0.1 mm per km) plus :data:`SHORT_ABS_ERROR`
    (10 nm, round-off) for latitudes up to 89.9 degrees, every azimuth and every length up
    to :data:`SHORT_M`, as ``tests/test_fast_geodesic.py`` shows by dense sweeps and random
    cases; measured, it stays below a quarter of that bound (0.24 of it at most in the
    dense sweep; on long segments the error is the difference between ``M`` and ``N``, up
    to 0.7 % of the curvature term, on very short ones round-off).
    """
    arrays = [np.ascontiguousarray(a, dtype=float).ravel() for a in np.broadcast_arrays(lon0, lat0, lon1, lat1)]
    return _in_halves(_chord_arc, *arrays).reshape(np.shape(np.broadcast_arrays(lon0, lat0, lon1, lat1)[0]))


def _lengths(x0: NDArray[np.float64], y0: NDArray[np.float64], x1: NDArray[np.float64], y1: NDArray[np.float64],
             az_over: float | None = None, short: NDArray[np.float64] | None = None,
             ) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
    """Geodesic lengths of segments: :func:`short_geodesic_m` up to :data:`SHORT_M`, ``Geod.inv`` beyond.

    Returns the lengths (m), the positions of the segments longer than ``az_over`` metres
    (or :data:`SHORT_M`) and their forward azimuths (degrees, from ``Geod.inv``). ``short``:
    the lengths by the fast formula, if already known (they are modified).
    """
    if short is not None:
        length = short
    else:
        length = _in_halves(_chord_arc, x0, y0, x1, y1) if len(x0) else np.zeros(0)
    limit = SHORT_M if az_over is None else min(az_over, SHORT_M)
    # segments within the error bound of the limit go to Geod.inv too, so that the ones
    # divided (those longer than ``az_over``) are the same as by Geod.inv alone; so do NaNs
    long = np.flatnonzero(~(length <= limit * (1.0 - 10 * SHORT_REL_ERROR)))
    az = np.zeros(len(long))
    if len(long):
        fwd, _, dist = GEOD.inv(x0[long], y0[long], x1[long], y1[long], return_back_azimuth=False)
        length[long] = dist
        az = np.asarray(fwd, float)
    return length, long, az


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


#: How a segment between two vertices runs (where it is cut at borders; its length is geodesic either way).
EDGES = ("geodesic", "planar")


def check_edges(edges: str) -> str:
    """``edges`` if it is one of :data:`EDGES`; raises ValueError otherwise."""
    if edges not in EDGES:
        raise ValueError(f"edges must be one of {', '.join(map(repr, EDGES))}, not {edges!r}")
    return edges


def line_parts(geoms: NDArray[np.object_]) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """The parts of geometries and the position of each part's geometry, as
    ``shapely.get_parts(geoms, return_index=True)`` gives them, but a LineString is its own
    part (not a copy): only the parts of multi-part geometries are made."""
    kind = shapely.get_type_id(geoms)
    single = kind == 1
    if single.all():
        return geoms, np.arange(len(geoms), dtype=np.intp)
    multi = np.flatnonzero(~single)
    sub, sub_of = shapely.get_parts(geoms[multi], return_index=True)
    count = np.ones(len(geoms), dtype=np.intp)
    count[multi] = np.bincount(sub_of, minlength=len(multi))  # None and empty geometries: none
    start = np.cumsum(count) - count
    out = np.empty(int(count.sum()), dtype=object)
    out[start[single]] = geoms[single]
    rank = np.arange(len(sub)) - np.repeat(np.cumsum(count[multi]) - count[multi], count[multi])
    out[start[multi][sub_of] + rank] = sub
    return out, np.repeat(np.arange(len(geoms), dtype=np.intp), count)


def segments(geoms: ArrayLike, max_km: float | None = None, edges: str = "geodesic") -> Segments:
    """Break lines into straight segments with their geodesic lengths.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        LineStrings / MultiLineStrings in lon/lat degrees (z is ignored). None and
        empty geometries contribute no segments.
    max_km : float, optional
        If given, segments longer than this are divided into pieces no longer than
        about ``max_km`` (km), and segments crossing the antimeridian are split at
        +/-180 degrees, so that the result can be overlaid in planar lon/lat.
    edges : {"geodesic", "planar"}
        Where a divided segment runs: along the geodesic between its vertices (equal
        geodesic pieces), or straight in lon/lat (the reading of RFC 7946, GEOS, DuckDB
        and QGIS: pieces of equal lon/lat extent, the segment's geodesic length shared
        among them in proportion to their own geodesic lengths). Only with ``max_km``.

    Returns
    -------
    Segments
        In input order: geometry by geometry, part by part, vertex by vertex.
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, part_row = line_parts(geoms)
    coords, cidx = shapely.get_coordinates(parts, return_index=True)
    same = cidx[1:] == cidx[:-1]
    x0, y0 = coords[:-1, 0][same], coords[:-1, 1][same]
    x1, y1 = coords[1:, 0][same], coords[1:, 1][same]
    part = cidx[:-1][same]
    row = part_row[part] if len(part) else np.zeros(0, dtype=np.intp)
    row = row.astype(np.intp)
    part = part.astype(np.intp)
    # the fast formula from each vertex's earth-centred position, found once per vertex
    short = np.zeros(0)
    if len(x0):
        p = _in_halves(_ecef, coords[:, 0], coords[:, 1])
        short = _arc(p[:, :-1], p[:, 1:])[same]
    if max_km is None:
        return Segments(x0, y0, x1, y1, row, part, _lengths(x0, y0, x1, y1, short=short)[0])
    max_m = max_km * 1000.0
    length, long, az = _lengths(x0, y0, x1, y1, az_over=max_m, short=short)
    seg = Segments(x0, y0, x1, y1, row, part, length)
    seg = _densify(seg, long, az, max_m) if check_edges(edges) == "geodesic" else _densify_planar(seg, long, max_m)
    return _split_antimeridian(seg)


def _densify(seg: Segments, long: NDArray[np.intp], az: NDArray[np.float64], max_m: float) -> Segments:
    """Divide segments longer than ``max_m`` metres into equal geodesic pieces.

    ``long`` holds (at least) the positions of those segments and ``az`` their forward azimuths.
    """
    az_of = np.zeros(len(seg))
    az_of[long] = az
    cut = _pieces_of(seg, long, max_m)
    if cut is None:
        return seg
    out, owner, step, pos, kk = cut
    out.length_m[pos] = seg.length_m[owner] / kk
    # inner points along the geodesic from the segment start; end points kept exactly
    inner = step > 0
    lon, lat, _ = GEOD.fwd(seg.x0[owner[inner]], seg.y0[owner[inner]], az_of[owner[inner]],
                           seg.length_m[owner[inner]] * step[inner] / kk[inner], return_back_azimuth=False)
    out.x0[pos[inner]], out.y0[pos[inner]] = lon, lat
    nl = pos[step < kk - 1]
    out.x1[nl], out.y1[nl] = out.x0[nl + 1], out.y0[nl + 1]
    return out


def _pieces_of(seg: Segments, long: NDArray[np.intp], max_m: float) -> tuple[Segments, NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]] | None:
    """Copies of the segments, ``ceil(length / max_m)`` of each in ``long``, and where they are.

    Returns the copies, the pieces' segments (``owner``), their step within the segment
    (0..k-1), their output positions and their counts ``k``; or None if no segment is divided.
    """
    n = np.ones(len(seg), dtype=np.intp)
    n[long] = np.maximum(np.ceil(seg.length_m[long] / max_m), 1).astype(np.intp)
    long = long[n[long] > 1]
    if not len(long):
        return None
    out = seg.take(np.repeat(np.arange(len(n)), n))  # every piece starts as a copy of its segment
    k = n[long]
    owner = np.repeat(long, k)  # the long segment of each of its pieces
    step = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)  # 0..k-1 within each
    pos = np.repeat((np.cumsum(n) - n)[long], k) + step  # output position of each piece
    return out, owner, step, pos, n[owner]


def _densify_planar(seg: Segments, long: NDArray[np.intp], max_m: float) -> Segments:
    """Divide segments longer than ``max_m`` metres into pieces straight in lon/lat.

    The pieces have equal lon/lat extent (the short way across the antimeridian); the
    segment's geodesic length is shared among them in proportion to their own geodesic
    lengths, so the pieces still add up to it.
    """
    cut = _pieces_of(seg, long, max_m)
    if cut is None:
        return seg
    out, owner, step, pos, kk = cut
    dx = (seg.x1[owner] - seg.x0[owner] + 180.0) % 360.0 - 180.0
    dy = seg.y1[owner] - seg.y0[owner]
    inner = step > 0
    x = seg.x0[owner] + dx * step / kk
    x = np.where(x > 180.0, x - 360.0, np.where(x < -180.0, x + 360.0, x))
    out.x0[pos[inner]] = x[inner]
    out.y0[pos[inner]] = (seg.y0[owner] + dy * step / kk)[inner]
    nl = pos[step < kk - 1]
    out.x1[nl], out.y1[nl] = out.x0[nl + 1], out.y0[nl + 1]
    xe = out.x0[pos] + dx / kk  # each piece's end, unwrapped: measured the short way
    own = _lengths(out.x0[pos], out.y0[pos], xe, out.y0[pos] + dy / kk)[0]
    total = np.bincount(owner, weights=own, minlength=len(seg))[owner]
    out.length_m[pos] = seg.length_m[owner] * np.where(total > 0, own / np.where(total > 0, total, 1.0), 1.0 / kk)
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
    return np.bincount(seg.row, weights=seg.length_m, minlength=len(geoms)).astype(np.float64)


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
        Geometries in lon/lat degrees; only lines are unwrapped (a polygon, e.g. a
        country's border, is returned as it is).

    Returns
    -------
    ndarray of shapely geometries
        The same geometries, longitudes unwrapped (unchanged where no step exceeds 180).
    """
    geoms = np.asarray(geoms, dtype=object)
    lines = np.isin(shapely.get_type_id(geoms), (1, 5))  # polygons and points are left as they are
    coords = shapely.get_coordinates(geoms[lines])
    if not len(coords) or not (np.abs(np.diff(coords[:, 0])) > 180.0).any():
        return geoms
    out = geoms.copy()
    out[lines] = _unwrap_lines(geoms[lines])
    return out


def _unwrap_lines(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """:func:`unwrap_longitudes` of (Multi)LineStrings only."""

    # positions come part by part (as shapely.transform passes them); a step between parts never shifts
    _, vertex_part = shapely.get_coordinates(shapely.get_parts(geoms), return_index=True)

    def unwrap(xy: NDArray[np.float64]) -> NDArray[np.float64]:
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


#: Longest straight step of a line as drawn on a map, km: longer segments get vertices along
#: the way the analysis reads them (:func:`drawn_lines`).
DRAW_KM = 50.0


def drawn_lines(geoms: ArrayLike, edges: str = "geodesic", max_km: float = DRAW_KM) -> NDArray[np.object_]:
    """Lines as the analysis reads them, for drawing: long segments get vertices along the way.

    A web map joins two vertices by a straight line on its own projection (Web Mercator),
    which is neither the geodesic nor the straight lon/lat line. Each segment longer than
    ``max_km`` is divided into equal pieces along the geodesic (``edges="geodesic"``) or
    along the straight line in lon/lat (``edges="planar"``), as :func:`segments` cuts them
    at borders, so a 2,000 km segment is drawn where its km are counted.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        Geometries in lon/lat degrees; only lines change (polygons, points, None as they are).
    edges : {"geodesic", "planar"}
        How a segment runs between its vertices.
    max_km : float
        Longest piece, km.

    Returns
    -------
    ndarray of shapely geometries
        The same lines with the added vertices (the input where no segment is longer than
        ``max_km``); longitudes past the antimeridian wrap (see :func:`unwrap_longitudes`).
    """
    check_edges(edges)
    geoms = np.asarray(geoms, dtype=object)
    lines = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (1, 5)))
    if not len(lines):
        return geoms
    sub = geoms[lines]
    seg = segments(sub, max_km=max_km, edges=edges)
    before = int(shapely.get_num_coordinates(sub).sum() - shapely.get_num_geometries(sub).sum())
    if len(seg) <= before:
        return geoms  # nothing was long enough to divide
    last = np.r_[seg.part[1:] != seg.part[:-1], True]  # the last piece of each part
    start = np.arange(len(seg)) + np.cumsum(last) - last  # room for each earlier part's end vertex
    n = len(seg) + int(last.sum())
    x, y, part = np.empty(n), np.empty(n), np.empty(n, np.intp)
    x[start], y[start], part[start] = seg.x0, seg.y0, seg.part
    x[start[last] + 1], y[start[last] + 1], part[start[last] + 1] = seg.x1[last], seg.y1[last], seg.part[last]
    _, part_no = np.unique(part, return_inverse=True)
    parts = np.asarray(shapely.linestrings(np.column_stack([x, y]), indices=part_no), dtype=object)
    part_row = seg.row[np.r_[0, np.flatnonzero(seg.part[1:] != seg.part[:-1]) + 1]]
    out = geoms.copy()
    multi = shapely.get_type_id(sub) == 5
    rows = np.unique(part_row)
    single = rows[~multi[rows]]
    first = np.searchsorted(part_row, single)
    out[lines[single]] = parts[first]
    if multi.any():
        keep = multi[part_row]
        built = shapely.multilinestrings(parts[keep], indices=np.unique(part_row[keep], return_inverse=True)[1])
        out[lines[np.unique(part_row[keep])]] = built
    return out
