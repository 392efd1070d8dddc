"""Chaining: the segments of each corridor and branch joined into continuous lines.

Pure functions of checked lines (:func:`corridors._checks.checked_lines`); the engine
(:mod:`corridors.engine`) and :func:`corridors.transfers` read the chained lines and the
place of every input part on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._checks import branch_of
from ._crs import WGS84
from .geodesy import line_parts


@dataclass
class Members:
    """Where each input line part lies on the chained lines.

    Attributes
    ----------
    src : ndarray of int
        Position (row number) of the input feature the part comes from.
    chain : ndarray of int
        Row of the chained line (in :func:`corridors.analysis.chain` output) the part lies on.
    loc0, loc1 : ndarray of float
        Start and end of the part along that chained line, as a planar distance in
        degrees from its start (``loc0 < loc1`` unless the part is degenerate).
    reversed : ndarray of bool
        True where the part runs against the chained line's direction.
    """

    src: np.ndarray
    chain: np.ndarray
    loc0: np.ndarray
    loc1: np.ndarray
    reversed: np.ndarray


def chain_lines(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Members]:
    """:func:`corridors.analysis.chain` of checked lines, with the position of every input part on the chains."""
    branch = branch_of(gdf)
    parts, src = line_parts(np.asarray(gdf.geometry.values, dtype=object))
    keep = ~shapely.is_empty(parts)
    parts, src = parts[keep], src[keep]
    has_z = shapely.has_z(parts)
    if has_z.any():  # a copy only of the lines with z
        parts = parts.copy()
        parts[has_z] = shapely.force_2d(parts[has_z])
    cid = gdf["corridor_id"].to_numpy()[src]
    cid_code, _ = pd.factorize(cid)
    br_code, br_values = pd.factorize(branch[src])
    group, _ = pd.factorize(cid_code * max(len(br_values), 1) + br_code)
    group = np.asarray(group, dtype=np.intp)
    n_groups = int(group.max()) + 1 if len(group) else 0
    single = np.bincount(group, minlength=n_groups)[group] == 1
    # one member: the member is its own chain; several: merge all groups in one call
    multi = np.flatnonzero(~single)
    multi = multi[np.argsort(group[multi], kind="stable")]
    mgroups, mdense = np.unique(group[multi], return_inverse=True)
    if len(multi):
        merged = shapely.line_merge(shapely.multilinestrings(parts[multi], indices=mdense))
        mparts, mpos = shapely.get_parts(merged, return_index=True)
    else:
        mparts, mpos = np.empty(0, dtype=object), np.zeros(0, dtype=np.intp)
    lines = np.concatenate([parts[single], mparts])
    line_group = np.concatenate([group[single], mgroups[mpos]]).astype(np.intp)
    n_lines, n_single = len(lines), int(single.sum())
    # where each member lies on its line (planar degrees from the line's start)
    line_len = shapely.length(lines)
    owner = np.empty(len(parts), dtype=np.intp)
    owner[single] = np.arange(n_single)
    loc0, loc1 = np.zeros(len(parts)), np.zeros(len(parts))
    loc1[single] = line_len[:n_single]
    if len(multi):
        own, l0, l1 = _place_members(mparts, mgroups[mpos], parts[multi], group[multi])
        owner[multi], loc0[multi], loc1[multi] = own + n_single, l0, l1
    # direction: the majority (planar length) of each line's members
    back = loc1 < loc0
    weight = np.abs(loc1 - loc0)
    flip = (np.bincount(owner, weight * back, minlength=n_lines)
            > np.bincount(owner, weight * ~back, minlength=n_lines))
    lines[flip] = shapely.reverse(lines[flip])
    total = line_len[owner]
    f = flip[owner]
    loc0, loc1 = np.where(f, total - loc0, loc0), np.where(f, total - loc1, loc1)
    # order: groups by first appearance, then parts by their first member in the input
    first = np.full(n_lines, np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(first, owner, src)
    order = np.lexsort((first, line_group))
    rank = np.empty(n_lines, dtype=np.intp)
    rank[order] = np.arange(n_lines)
    line_group = line_group[order]
    starts = np.searchsorted(line_group, line_group)
    g_cid = np.empty(n_groups, dtype=object)
    g_br = np.empty(n_groups, dtype=object)
    g_cid[group] = cid
    g_br[group] = branch[src]
    out = gpd.GeoDataFrame({
        "corridor_id": g_cid[line_group],
        "branch": g_br[line_group],
        "part": np.arange(n_lines) - starts + 1,
    }, geometry=lines[order], crs=WGS84)
    if "mode" in gdf.columns:
        code, uniques = pd.factorize(gdf["mode"].to_numpy()[src])  # missing -> -1
        lo_code = np.full(n_lines, np.iinfo(np.intp).max, dtype=np.intp)
        hi_code = np.full(n_lines, -1, dtype=np.intp)
        np.minimum.at(lo_code, rank[owner], code)
        np.maximum.at(hi_code, rank[owner], code)
        uniform = (lo_code == hi_code) & (lo_code >= 0)
        mode = np.full(n_lines, None, dtype=object)
        mode[uniform] = np.asarray(uniques, dtype=object)[lo_code[uniform]]
        out.insert(3, "mode", mode)
    lo, hi = np.minimum(loc0, loc1), np.maximum(loc0, loc1)
    members = Members(src=src, chain=rank[owner], loc0=lo, loc1=hi, reversed=loc1 < loc0)
    return out, members


def _place_members(
    lines: np.ndarray, line_group: np.ndarray, members: np.ndarray, member_group: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find each member on the merged line (of its own group) that contains it.

    ``shapely.line_merge`` joins whole members without changing their vertices, so a
    member's first segment is a segment of its merged line, in the same or the opposite
    direction. The merged lines' segments that start at one of the members' first two
    vertices' longitudes (a hash look-up) are keyed and joined with the members' first
    segments, both ways; the member then runs for its own planar length from there.

    Returns
    -------
    owner : ndarray of int
        Merged line of each member.
    loc0, loc1 : ndarray of float
        Planar distance (degrees) along the merged line of the member's start and end.
    """
    if not len(members):
        return np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0)
    coords, li = shapely.get_coordinates(lines, return_index=True)
    same = li[1:] == li[:-1]
    step = np.where(same, np.hypot(*(coords[1:] - coords[:-1]).T), 0.0)
    cum = np.r_[0.0, np.cumsum(step)]
    first = np.r_[0, np.flatnonzero(~same) + 1]  # first vertex of each line (lines are never empty)
    cum -= np.repeat(cum[first], np.diff(np.r_[first, len(li)]))  # distance from the start of each line
    # each member's first two vertices (without making Point geometries: a third of the time)
    mxy, mowner = shapely.get_coordinates(members, return_index=True)
    at = np.searchsorted(mowner, np.arange(len(members)))
    a, b = mxy[at], mxy[np.minimum(at + 1, len(mxy) - 1)]
    # the wanted segments (each member's first, both ways) are few: look the lines' segments up among them
    want = np.concatenate([_segment_key(member_group, a, b), _segment_key(member_group, b, a)])
    wanted = np.unique(want)
    seg = np.flatnonzero(same)  # segment i runs from vertex i to vertex i + 1
    # only segments starting at a member's start or second vertex longitude can match (hash look-up)
    starts_x = np.unique(np.concatenate([a[:, 0], b[:, 0]]))
    seg = seg[pd.Index(starts_x).get_indexer(coords[seg, 0]) >= 0]
    key = _segment_key(line_group[li[seg]], coords[seg], coords[seg + 1])
    pos = np.minimum(np.searchsorted(wanted, key), len(wanted) - 1)
    hit = wanted[pos] == key
    # for every wanted key, its first segment along the lines
    found, at = np.unique(key[hit], return_index=True)
    found_seg = seg[np.flatnonzero(hit)[at]]

    def find(start: np.ndarray, end: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Segment (vertex number) equal to start -> end (key ``k``) in the member's group, else -1."""
        if not len(found):
            return np.full(len(start), -1, dtype=np.intp)
        p = np.minimum(np.searchsorted(found, k), len(found) - 1)
        s = found_seg[p]
        ok = (found[p] == k) & (coords[s] == start).all(axis=1) & (coords[s + 1] == end).all(axis=1)
        return np.where(ok, s, -1)

    m = len(members)
    fwd, rev = find(a, b, want[:m]), find(b, a, want[m:])
    length = shapely.length(members)
    owner = np.full(m, -1, dtype=np.intp)
    loc0 = np.zeros(m)
    f, r = fwd >= 0, (fwd < 0) & (rev >= 0)
    owner[f], loc0[f] = li[fwd[f]], cum[fwd[f]]
    owner[r], loc0[r] = li[rev[r]], cum[rev[r] + 1]
    loc1 = np.where(r, loc0 - length, loc0 + length)
    lost = np.flatnonzero(owner < 0)
    for i in lost:  # not expected (line_merge keeps vertices); nearest line of the same group
        mine = np.flatnonzero(line_group == member_group[i])
        owner[i] = mine[np.argmin(shapely.distance(lines[mine], members[i]))]
        loc0[i] = shapely.line_locate_point(lines[owner[i]], shapely.get_point(members[i], 0))
        loc1[i] = shapely.line_locate_point(lines[owner[i]], shapely.get_point(members[i], -1))
    return owner, loc0, loc1


def _segment_key(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A 64-bit hash of (group, start x, start y, end x, end y) per row (splitmix64 rounds)."""
    key = np.asarray(group, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in (start[:, 0], start[:, 1], end[:, 0], end[:, 1]):
            key = key * np.uint64(0x9E3779B97F4A7C15) + np.ascontiguousarray(col, dtype=np.float64).view(np.uint64)
            key ^= key >> np.uint64(30)
            key *= np.uint64(0xBF58476D1CE4E5B9)
            key ^= key >> np.uint64(27)
            key *= np.uint64(0x94D049BB133111EB)
            key ^= key >> np.uint64(31)
    return key
