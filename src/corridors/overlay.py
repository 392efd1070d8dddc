"""Split line segments at country borders: the core of every per-country figure.

The overlay works on :class:`corridors.geodesy.Segments` (lines densified along the
geodesic, so that planar operations in lon/lat are accurate) against a
:class:`corridors.border_index.BorderIndex`:

1. a segment whose grid cells no border passes through takes that cell's country by a
   table look-up (most segments);
2. the other segments are intersected with the boundary chunks (STRtree), cut at every
   intersection, and each cut piece is located by its midpoint (point in polygon).

A piece's length is its share of the segment's geodesic length, so the pieces of a line
add up to its geodesic length exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from .border_index import BorderIndex
from .geodesy import DENSIFY_KM, Segments, segments

_EPS = 1e-12

#: A run of pieces that leaves a region and comes back while staying this close to the
#: border (degrees, about 0.5 km) is noise of a line drawn along the border, not two crossings.
ALONG_BORDER_DEG = 0.005


@dataclass
class Pieces:
    """Line pieces lying in one region each, in order along each input geometry.

    Attributes
    ----------
    row : ndarray of int
        Input geometry of each piece.
    part : ndarray of int
        Global part number (of a MultiLineString) of each piece.
    region : ndarray of int
        Region number in the border index (-1: outside every region).
    length_m : ndarray of float
        Geodesic length of the piece, metres.
    x0, y0, x1, y1 : ndarray of float
        Piece start and end, degrees.
    moved : ndarray of bool or None
        True where settling a stretch along a border (``along_border_deg``) changed the
        piece's region; None when nothing was settled.
    """

    row: NDArray[np.intp]
    part: NDArray[np.intp]
    region: NDArray[np.intp]
    length_m: NDArray[np.float64]
    x0: NDArray[np.float64]
    y0: NDArray[np.float64]
    x1: NDArray[np.float64]
    y1: NDArray[np.float64]
    moved: NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.row)


def _clean_regions(seg: Segments, index: BorderIndex) -> NDArray[np.intp]:
    """Region of each segment decided by the grid alone, or -2 where it cannot be."""
    ix0, iy0 = index.cells(seg.x0, seg.y0)
    ix1, iy1 = index.cells(seg.x1, seg.y1)
    nx = index.shape[1]
    near = (np.abs(ix1 - ix0) <= 1) & (np.abs(iy1 - iy0) <= 1)
    corners = [iy0 * nx + ix0, iy1 * nx + ix1, iy0 * nx + ix1, iy1 * nx + ix0]
    regions = [index.cell_region(c) for c in corners]
    same = near & (regions[0] != -2)
    for r in regions[1:]:
        same &= r == regions[0]
    return np.where(same, regions[0], -2)


def overlay_segments(seg: Segments, index: BorderIndex, along_border_deg: float = ALONG_BORDER_DEG) -> Pieces:
    """Cut segments at borders and assign each piece to a region.

    Segments in grid cells that no border touches take the cell's region. The others are
    cut where they meet a border; between two cuts a line cannot change region, so each
    stretch between cuts takes the region of a clean segment in it, and only stretches
    without one are located by a point-in-polygon test of one of their points.

    Parameters
    ----------
    seg : Segments
        Densified, antimeridian-split segments (see :func:`corridors.geodesy.segments`).
    index : BorderIndex
        Borders to overlay.
    along_border_deg : float
        Stretches of a line within this planar distance of a border (degrees) are settled
        on the country before them (see :func:`_absorb_excursions`); 0 settles nothing,
        so every piece keeps the region its points lie in.

    Returns
    -------
    Pieces
        Ordered by segment, then along the segment.
    """
    region = _clean_regions(seg, index) if len(seg) else np.zeros(0, np.intp)
    clean = np.flatnonzero(region != -2)
    dirty = np.flatnonzero(region == -2)
    # pieces of clean segments: whole segments, no cuts
    seg_id, t0, t1, cut0, cut1 = [clean], [np.zeros(len(clean))], [np.ones(len(clean))], [], []
    cut0.append(np.zeros(len(clean), bool))
    cut1.append(np.zeros(len(clean), bool))
    if len(dirty):
        x0, y0, x1, y1 = seg.x0[dirty], seg.y0[dirty], seg.x1[dirty], seg.y1[dirty]
        pts, owner = _border_points(x0, y0, x1, y1, np.r_[False, (np.diff(dirty) == 1) & (seg.part[dirty][1:] == seg.part[dirty][:-1])],
                                    index)
        dx, dy = x1 - x0, y1 - y0
        den = dx * dx + dy * dy
        den = np.where(den > 0, den, 1.0)
        t_cut = ((pts[:, 0] - x0[owner]) * dx[owner] + (pts[:, 1] - y0[owner]) * dy[owner]) / den[owner]
        n = len(dirty)
        s_all = np.concatenate([np.arange(n), np.arange(n), owner])
        t_all = np.concatenate([np.zeros(n), np.ones(n), np.clip(t_cut, 0.0, 1.0)])
        is_cut = np.concatenate([np.zeros(2 * n, bool), np.ones(len(owner), bool)])
        order = np.lexsort((t_all, s_all))
        s_all, t_all, is_cut = s_all[order], t_all[order], is_cut[order]
        same_s = s_all[1:] == s_all[:-1]
        nxt = same_s & (t_all[1:] - t_all[:-1] > _EPS)
        block = np.r_[0, np.cumsum(~same_s | nxt)]  # entries at the same place on a segment
        block_cut = np.bincount(block, weights=is_cut) > 0
        k = np.flatnonzero(nxt)
        ps = s_all[k]
        seg_id.append(dirty[ps])
        t0.append(t_all[k])
        t1.append(t_all[k + 1])
        cut0.append(block_cut[block[k]])
        cut1.append(block_cut[block[k + 1]])
        # zero-length segments (repeated vertices) still get a piece, of length 0
        has_piece = np.zeros(n, dtype=bool)
        has_piece[ps] = True
        zero = np.flatnonzero(~has_piece)
        seg_id.append(dirty[zero])
        t0.append(np.zeros(len(zero)))
        t1.append(np.ones(len(zero)))
        zero_cut = np.zeros(n, bool)
        zero_cut[owner] = True
        cut0.append(zero_cut[zero])
        cut1.append(zero_cut[zero])
    sid = np.concatenate(seg_id)
    a, b = np.concatenate(t0), np.concatenate(t1)
    order = np.lexsort((a, sid))
    sid, a, b = sid[order], a[order], b[order]
    c0, c1 = np.concatenate(cut0)[order], np.concatenate(cut1)[order]
    dx, dy = seg.x1[sid] - seg.x0[sid], seg.y1[sid] - seg.y0[sid]
    pieces = Pieces(
        row=seg.row[sid],
        part=seg.part[sid],
        region=region[sid].astype(np.intp),
        length_m=seg.length_m[sid] * (b - a),
        x0=seg.x0[sid] + a * dx,
        y0=seg.y0[sid] + a * dy,
        x1=seg.x0[sid] + b * dx,
        y1=seg.y0[sid] + b * dy,
    )
    if len(dirty):
        _fill_regions(pieces, seg, sid, a, c0, c1, index)
    if along_border_deg > 0:
        before = pieces.region.copy()
        _absorb_excursions(pieces, index, along_border_deg)
        pieces.moved = pieces.region != before
    return pieces


def _border_points(x0: NDArray[np.float64], y0: NDArray[np.float64], x1: NDArray[np.float64], y1: NDArray[np.float64],
                   follows: NDArray[np.bool_], index: BorderIndex) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Where segments meet a border: the points, and the segment each lies on.

    Consecutive segments (``follows``: segment ``i`` continues the line part of ``i - 1``)
    that join end to start are made into one line, so that there are a few thousand
    geometries to make and to look up in the boundary's tree instead of one per segment
    (on the GEM corpus 8,400 instead of 177,000, and a quarter of the time); each point
    found on a joined line is put back on its segment by its planar distance along the
    line. A point at a vertex between two segments goes to one of them, which cuts the
    line at the same place. A joined line that is not simple (it touches or crosses
    itself, so that one point may stand for two places on it) is left as single segments.

    Returns
    -------
    points : ndarray of float, shape (k, 2)
        Lon/lat of each point where a segment meets the border (the ends of any stretch
        along it).
    owner : ndarray of int
        Segment of each point.
    """
    prev = np.maximum(np.arange(len(x0)) - 1, 0)
    follows = follows & (x1[prev] == x0) & (y1[prev] == y0)
    joined, run = _joined(x0, y0, x1, y1, follows)
    loops = ~shapely.is_simple(joined)
    if loops.any():
        follows &= ~loops[run]
        joined, run = _joined(x0, y0, x1, y1, follows)
    li, ci = index.chunk_tree.query(joined, predicate="intersects")
    hits = shapely.intersection(joined[li], index.chunks[ci])
    pts, k = shapely.get_coordinates(hits, return_index=True)
    line = li[k]
    # the segment of each point: the last of its line that starts at or before it
    first = np.flatnonzero(~follows)
    last = np.r_[first[1:] - 1, len(x0) - 1]
    start = np.r_[0.0, np.cumsum(np.hypot(x1 - x0, y1 - y0))[:-1]]  # along all segments, in order
    along = start[first[line]] + shapely.line_locate_point(joined[line], shapely.points(pts)) if len(pts) else np.zeros(0)
    owner = np.clip(np.searchsorted(start, along, side="right") - 1, first[line], last[line])
    return pts, owner.astype(np.intp)


def _joined(x0: NDArray[np.float64], y0: NDArray[np.float64], x1: NDArray[np.float64], y1: NDArray[np.float64],
            follows: NDArray[np.bool_]) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Lines of consecutive segments (a new line wherever ``follows`` is False), and the line of each segment."""
    n = len(x0)
    run = np.cumsum(~follows) - 1
    last = np.r_[np.flatnonzero(~follows)[1:] - 1, n - 1]
    at = np.arange(n) + run  # a line's vertices: each segment's start, then its last segment's end
    vx, vy, vline = np.empty(n + len(last)), np.empty(n + len(last)), np.empty(n + len(last), dtype=np.intp)
    vx[at], vy[at], vline[at] = x0, y0, run
    vx[at[last] + 1], vy[at[last] + 1], vline[at[last] + 1] = x1[last], y1[last], run[last]
    return np.asarray(shapely.linestrings(np.column_stack([vx, vy]), indices=vline), dtype=object), run


def _fill_regions(p: Pieces, seg: Segments, sid: NDArray[np.intp], a: NDArray[np.float64],
                  cut0: NDArray[np.bool_], cut1: NDArray[np.bool_], index: BorderIndex) -> None:
    """Set the region of pieces whose segment the grid could not decide (``p.region == -2``).

    A stretch ("run") of pieces ends wherever the line meets a border, jumps (a new part,
    the antimeridian) or ends. Within a run the region is constant: it is taken from the
    clean pieces in the run, or found by locating the middle point of the run's middle
    piece. A run whose clean pieces disagree (numerically doubtful) has each piece located.
    """
    n = len(p)
    jump = np.r_[True, (seg.part[1:] != seg.part[:-1]) | (seg.x0[1:] != seg.x1[:-1]) | (seg.y0[1:] != seg.y1[:-1])]
    new_run = cut0 | np.r_[True, cut1[:-1]] | ((a == 0.0) & jump[sid])
    run = np.cumsum(new_run) - 1
    n_runs = int(run[-1]) + 1
    known = p.region != -2
    lo = np.full(n_runs, np.iinfo(np.intp).max, dtype=np.intp)
    hi = np.full(n_runs, np.iinfo(np.intp).min, dtype=np.intp)
    np.minimum.at(lo, run[known], p.region[known])
    np.maximum.at(hi, run[known], p.region[known])
    need = np.zeros(n_runs, dtype=bool)
    need[run[~known]] = True
    agree = need & (lo == hi)
    blind = need & (lo > hi)  # no clean piece in the run
    doubt = need & (lo < hi)
    run_region = np.where(agree, lo, -2)
    start = np.flatnonzero(new_run)
    mid = (start + np.r_[start[1:], n]) // 2
    probe = np.flatnonzero(blind)
    m = mid[probe]
    run_region[probe] = index.locate((p.x0[m] + p.x1[m]) / 2, (p.y0[m] + p.y1[m]) / 2)
    fill = ~known & ~doubt[run]
    p.region[fill] = run_region[run[fill]]
    each = np.flatnonzero(~known & doubt[run])
    p.region[each] = index.locate((p.x0[each] + p.x1[each]) / 2, (p.y0[each] + p.y1[each]) / 2)


def _absorb_excursions(p: Pieces, index: BorderIndex, tol_deg: float = ALONG_BORDER_DEG) -> None:
    """Settle stretches of a line that run along a land border on one country.

    A line drawn along a border (or a densified geodesic beside a long straight border
    edge) wanders metres to either side of it. Each maximal stretch of runs (consecutive
    pieces in one region) whose points all lie within ``tol_deg`` of a border takes the
    country of the run before it (or of its own first run at the start of a line part).
    Only country-to-country changes are settled: runs at sea or outside every country,
    and stretches that follow one, keep their own region (a coastline is not smoothed).
    Lengths still add up; spurious back-and-forth crossings disappear. Modifies
    ``p.region`` in place.
    """
    n = len(p)
    if n < 2:
        return
    new_line = np.r_[True, (p.row[1:] != p.row[:-1]) | (p.part[1:] != p.part[:-1])]
    new_run = new_line | np.r_[True, p.region[1:] != p.region[:-1]]
    if new_run.sum() == new_line.sum():  # one region per line part: nothing to settle
        return
    run = np.cumsum(new_run) - 1
    start = np.flatnonzero(new_run)
    line = np.cumsum(new_line)[start] - 1
    hug = np.bincount(line)[line] > 1  # runs of line parts that change region
    # cheap test first: the middle point of each candidate run's middle piece
    mid = (start + np.r_[start[1:], n]) // 2
    probe = np.flatnonzero(hug)
    hug[probe] = index.near_border((p.x0[mid[probe]] + p.x1[mid[probe]]) / 2,
                                    (p.y0[mid[probe]] + p.y1[mid[probe]]) / 2, tol_deg)
    k = np.flatnonzero(hug[run])  # then every point of the runs that passed
    if len(k):
        near = index.near_border(np.concatenate([p.x0[k], p.x1[k], (p.x0[k] + p.x1[k]) / 2]),
                                 np.concatenate([p.y0[k], p.y1[k], (p.y0[k] + p.y1[k]) / 2]), tol_deg)
        owner = np.tile(run[k], 3)
        hug &= np.bincount(owner[~near], minlength=len(start)) == 0
    anchor = np.maximum.accumulate(np.where(~hug | new_line[start], np.arange(len(start)), 0))
    reg = p.region[start]
    country = np.append(index.is_country, False)  # region -1 (outside) maps to the last entry
    settled = np.where(country[reg] & country[reg[anchor]], reg[anchor], reg)
    p.region[:] = settled[run]


def overlay(geoms: ArrayLike, index: BorderIndex, max_km: float = DENSIFY_KM,
            along_border_deg: float = ALONG_BORDER_DEG, edges: str = "geodesic") -> Pieces:
    """Split lines at borders.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        LineStrings / MultiLineStrings in lon/lat degrees.
    index : BorderIndex
        Borders to overlay.
    max_km : float
        Densification step before the planar overlay, km.
    along_border_deg : float
        See :func:`overlay_segments`.
    edges : {"geodesic", "planar"}
        Where a segment runs between its vertices when it is cut at borders: along the
        geodesic, or straight in lon/lat (see :func:`corridors.geodesy.segments`).

    Returns
    -------
    Pieces
    """
    return overlay_segments(segments(geoms, max_km=max_km, edges=edges), index, along_border_deg)
