"""Levels of detail for drawing many lines in a browser (private).

Lines are projected to Leaflet's zoom-0 pixel space (Web Mercator, the world 256 px wide),
simplified once per band of zoom levels so that the drawn line departs from the data by at
most about half a screen pixel at the deepest zoom of the band, snapped to an integer grid of
a quarter of that tolerance, and written as zig-zag varint deltas in base64. The page decodes
only the level of the current zoom, and draws it on one canvas.

Error bound at zoom ``z`` of the band that ends at ``zt``: Douglas-Peucker keeps every input
vertex within ``tol`` of the simplified line, and snapping moves a vertex by at most
``grid / sqrt(2)``; with ``tol = 0.5 / 2**zt`` and ``grid = tol / 2`` (zoom-0 px) the sum is
``0.68 px * 2**(z - zt) <= 0.68`` screen px.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import shapely

#: Leaflet's Web Mercator latitude limit, degrees.
MAX_LAT = 85.0511287798
#: Departure allowed by simplification at the deepest zoom of a band, screen px.
TOLERANCE_PX = 0.5


def to_world_px(xy: np.ndarray) -> np.ndarray:
    """Lon/lat degrees (n x 2) to Leaflet zoom-0 pixels (the world is 256 px wide, y down).

    Parameters
    ----------
    xy : numpy.ndarray
        Longitudes and latitudes, degrees.

    Returns
    -------
    numpy.ndarray
        Pixel coordinates at zoom 0 (float64, n x 2).
    """
    lon = xy[:, 0]
    lat = np.clip(xy[:, 1], -MAX_LAT, MAX_LAT)
    x = 256.0 * (0.5 + lon / 360.0)
    y = 256.0 * (0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi))
    return np.column_stack([x, y])


def varint(values: np.ndarray) -> bytes:
    """Unsigned integers as LEB128 varints (7 bits a byte, high bit = more follows)."""
    v = np.asarray(values, dtype=np.uint64)
    nbytes = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():
        nbytes += rest > 0
        rest >>= np.uint64(7)
    out = np.zeros(int(nbytes.sum()), dtype=np.uint8)
    starts = np.cumsum(nbytes) - nbytes
    for k in range(int(nbytes.max(initial=0))):
        sel = nbytes > k
        byte = ((v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        more = (nbytes[sel] > k + 1).astype(np.uint8) << 7
        out[starts[sel] + k] = byte | more
    return out.tobytes()


def zigzag(values: np.ndarray) -> np.ndarray:
    """Signed integers to unsigned (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...)."""
    v = np.asarray(values, dtype=np.int64)
    return ((v << 1) ^ (v >> 63)).astype(np.uint64)


def encode_levels(parts: np.ndarray, bands: list[tuple[int, int]]) -> list[dict[str, object]]:
    """Each band's simplified, snapped copy of the line parts, encoded for the page.

    Parameters
    ----------
    parts : numpy.ndarray of shapely LineString
        Single lines in zoom-0 pixel coordinates (from :func:`to_world_px`).
    bands : list of (int, int)
        Zoom ranges ``(first, last)``; a band is drawn at zooms ``first <= z < last + 1``.

    Returns
    -------
    list of dict
        Per band: ``z0``, ``z1`` (zoom range), ``grid`` (zoom-0 px per integer step),
        ``n`` (vertex count of each part, varint base64), ``xy`` (zig-zag varint deltas of the
        snapped coordinates, x and y interleaved, over all parts in order, base64) and
        ``vertices`` (how many).
    """
    out = []
    for first, last in bands:
        tol = TOLERANCE_PX / 2.0 ** (last + 1)
        grid = tol / 2
        simple = shapely.simplify(parts, tol, preserve_topology=False)
        counts = shapely.get_num_coordinates(simple)
        ints = np.rint(shapely.get_coordinates(simple) / grid).astype(np.int64)
        deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        out.append({
            "z0": first, "z1": last, "grid": grid, "vertices": int(len(ints)),
            "n": base64.b64encode(varint(counts)).decode("ascii"),
            "xy": base64.b64encode(varint(zigzag(deltas.ravel()))).decode("ascii"),
        })
    return out


def bands_for(max_zoom: int, step: int = 2) -> list[tuple[int, int]]:
    """Zoom bands ``(first, last)`` from 0 to ``max_zoom``, ``step`` zooms each."""
    edges = list(range(0, max_zoom + 1, step))
    return [(z, min(z + step - 1, max_zoom)) for z in edges]


def max_zoom_for(xy_px: np.ndarray) -> int:
    """The zoom past which nothing new is drawn: where the finest vertex spacing is 2 px.

    Parameters
    ----------
    xy_px : numpy.ndarray
        All vertices (zoom-0 px), in line order.

    Returns
    -------
    int
        Between 8 and 16.
    """
    if len(xy_px) < 2:
        return 8
    step = np.hypot(*np.diff(xy_px, axis=0).T)
    step = step[step > 0]
    if not len(step):
        return 8
    typical = float(np.percentile(step, 10))
    return int(min(16, max(8, math.ceil(math.log2(2.0 / typical)))))
