"""The analysis engine: one overlay of chained lines with borders, and the tables read from it.

Pure functions and one result type (:class:`Analysis`), called by the three executors
(in memory: :func:`overlay_lines`; in batches: :mod:`corridors.batches`; on dask:
:mod:`corridors.distributed`) and never calling back up. The public functions that
dispatch to an executor are in :mod:`corridors.analysis`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import catalog
from ._checks import main_rows
from ._crs import WGS84
from .border_index import BorderIndex, border_index
from .catalog import bundled_index
from .chaining import chain_lines
from .errors import DataError, OutsideCountriesWarning, caller_stacklevel
from .geodesy import DENSIFY_KM, geodesic_distance_m, segments
from .overlay import ALONG_BORDER_DEG, Pieces, overlay

#: Largest distance from a crossing to a named border checkpoint, km.
CHECKPOINT_RADIUS_KM = 25.0


#: Kilometres per degree used to turn ``border_tolerance_km`` into the planar lon/lat
#: distance the overlay works with (the mean length of a degree of latitude on WGS84, rounded).
KM_PER_DEG = 111.32


#: The default ``border_tolerance_km``: the overlay's 0.005 degrees (about 0.56 km).
BORDER_TOLERANCE_KM = ALONG_BORDER_DEG * KM_PER_DEG


#: A stretch outside every country (sea, or a gap in the coastline) shorter than this,
#: between two stretches in the same country, counts for that country (km): a strait
#: crossed by a bridge or tunnel (the Bosphorus, 2 km), a river mouth, a coast drawn
#: inside the line. Longer stretches, and any stretch between two countries, stay at sea.
SAME_COUNTRY_GAP_KM = 5.0


def index_for(borders: gpd.GeoDataFrame | BorderIndex | None, admin_units: bool = False,
           border_tolerance_km: float | None = None) -> BorderIndex:
    """The border index to analyse with: sovereign states (or admin units), the tolerance set."""
    if borders is None:
        base = bundled_index()
    elif isinstance(borders, BorderIndex):
        base = borders
    else:
        base = border_index(borders)
    tol = BORDER_TOLERANCE_KM if border_tolerance_km is None else float(border_tolerance_km)
    if not np.isfinite(tol) or tol < 0:
        raise DataError(f"border_tolerance_km must be a number >= 0, got {border_tolerance_km!r}")
    deg = round(tol / KM_PER_DEG, 12)
    return base.view(admin_units=admin_units, along_border_deg=None if deg == round(ALONG_BORDER_DEG, 12) else deg)


def finish_lengths(table: pd.DataFrame, by_branch: bool) -> pd.DataFrame:
    """The public lengths table from the per-branch rows of ``Analysis.lengths_table``.

    Keeps each corridor's main line (see :func:`corridors.analysis.length_km`), or every branch with a
    ``branch`` column; recomputes ``share``; turns the hidden ``_moved_km`` and
    ``_bridged_km`` columns into ``attrs`` (``moved_km``, ``bridged_km``: totals, and
    ``moved_km_by_corridor``, ``bridged_km_by_corridor``: the non-zero ones).
    """
    keys = ["corridor_id", "branch"] if by_branch else ["corridor_id"]
    if not by_branch:
        keep = main_rows(table["corridor_id"].to_numpy(), table["branch"].to_numpy(dtype=object))
        table = table[keep]
    sums = {"length_km": "sum", "_moved_km": "sum", "_bridged_km": "sum"}
    out = table.groupby([*keys, "iso3", "country"], sort=False, dropna=False).agg(sums).reset_index()
    total = out.groupby(keys, sort=False)["length_km"].transform("sum").to_numpy()
    out["share"] = np.where(total > 0, out["length_km"] / np.where(total > 0, total, 1.0), 0.0)
    attrs: dict[str, Any] = {}
    for col in ("moved_km", "bridged_km"):
        per = out.groupby("corridor_id", sort=False)["_" + col].sum()
        attrs[col] = float(per.sum())
        attrs[col + "_by_corridor"] = {k: float(v) for k, v in per.items() if v > 0}
    out = out.drop(columns=["_moved_km", "_bridged_km"])
    out.attrs.update(attrs)
    return out


@dataclass
class Analysis:
    """One overlay of lines with borders, from which the per-country tables are read.

    Build it with :func:`corridors.analysis.analyse`; :func:`corridors.analysis.lengths_by_country` and
    :func:`corridors.analysis.border_crossings` are shortcuts that build one and read one table (on inputs
    of more than :data:`corridors.analysis.BATCH_VERTICES` vertices they read the same tables batch by
    batch instead, see :func:`corridors.batches.run`).
    """

    lines: gpd.GeoDataFrame
    chains: gpd.GeoDataFrame
    index: BorderIndex
    pieces: Pieces = field(repr=False)
    #: True for pieces outside every country counted for the country around them (see
    #: :data:`SAME_COUNTRY_GAP_KM`); None when there are none.
    bridged: np.ndarray | None = field(default=None, repr=False)

    def lengths_by_country(self, by_branch: bool = False) -> pd.DataFrame:
        """See :func:`corridors.analysis.lengths_by_country`."""
        out = finish_lengths(self.lengths_table(), by_branch)
        outside = self.outside_lines()
        if outside.any():
            ids = pd.unique(self.chains["corridor_id"].to_numpy()[outside])
            warn_outside(int(outside.sum()), ids)
        return out

    def lengths_table(self) -> pd.DataFrame:
        """Per corridor, branch and region, in route order, without the warning.

        Columns ``corridor_id``, ``branch``, ``iso3``, ``country``, ``length_km``,
        ``share`` (of the branch), ``_moved_km`` (length settled on the row's country by
        the border tolerance) and ``_bridged_km`` (length outside every country counted
        for it); :func:`finish_lengths` makes the public table.
        """
        p = self.pieces
        ids = pd.unique(self.lines["corridor_id"])  # corridors in order of first appearance
        chain_code = pd.Index(ids).get_indexer(self.chains["corridor_id"]).astype(np.int64)
        br_code, br_values = pd.factorize(self.chains["branch"].to_numpy(dtype=object))
        n_br = max(len(br_values), 1)
        chain_cb = chain_code * n_br + br_code
        n_reg = len(self.index.iso3) + 1
        key = chain_cb[p.row] * n_reg + (p.region + 1)
        # pieces come chain by chain, in order: sum each run of one key first (a few per line)
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.intp)
        run_key = key[start]
        uniq, first, inv = np.unique(run_key, return_index=True, return_inverse=True)

        def total_km(weights: np.ndarray | None) -> np.ndarray:
            """Kilometres per key of ``weights`` (metres per piece; None: zeros)."""
            if weights is None or not len(start):
                return np.zeros(len(uniq))
            return np.bincount(inv, weights=np.add.reduceat(weights, start), minlength=len(uniq)) / 1000.0

        km = total_km(p.length_m)
        extra = {col: total_km(p.length_m * mask if mask is not None else None)
                 for col, mask in (("_moved_km", p.moved), ("_bridged_km", self.bridged))}
        cb = uniq // n_reg
        cb_unique, cb_of = np.unique(cb, return_inverse=True)
        cb_min = np.full(len(cb_unique), np.iinfo(np.intp).max, dtype=np.intp)
        np.minimum.at(cb_min, cb_of, first)
        cb_first = cb_min[cb_of]  # each branch's first run
        order = np.lexsort((first, cb_first, cb // n_br))
        uniq, km, cb = uniq[order], km[order], cb[order]
        code, region = cb // n_br, uniq % n_reg - 1
        iso3, name = self.index.label(region)
        cb_dense = pd.factorize(cb)[0]
        total = np.bincount(cb_dense, weights=km)[cb_dense]
        return pd.DataFrame({
            "corridor_id": np.asarray(ids, dtype=object)[code],
            "branch": np.asarray(br_values, dtype=object)[cb % n_br] if len(cb) else np.zeros(0, dtype=object),
            "iso3": iso3,
            "country": name,
            "length_km": km,
            "share": np.where(total > 0, km / np.where(total > 0, total, 1.0), 0.0),
            **{col: v[order] for col, v in extra.items()},
        })

    def outside_lines(self) -> np.ndarray:
        """Per chained line: True where it has length, is not a sea leg, lies outside every
        country and is implausible there (see :func:`implausible_offshore`)."""
        p = self.pieces
        inside = np.zeros(len(self.chains), bool)
        inside[p.row[p.region >= 0]] = True
        has_len = np.bincount(p.row, weights=p.length_m, minlength=len(self.chains)) > 0
        return flag_outside(self.chains, inside, has_len, self.index)

    def border_crossings(self, places: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """See :func:`corridors.analysis.border_crossings`."""
        return name_crossings(self.crossing_rows(), places)

    def crossing_rows(self) -> pd.DataFrame:
        """The crossings without checkpoints: the columns of :meth:`border_crossings` up to
        ``to_country``, then ``_x`` and ``_y`` (the crossing point, degrees)."""
        p = self.pieces
        km_end = np.cumsum(p.length_m)
        same_row = p.row[1:] == p.row[:-1]
        ra, rb = p.region[:-1], p.region[1:]
        country = self.index.is_country
        change = same_row & (ra != rb) & (ra >= 0) & (rb >= 0)
        change &= np.append(country, False)[ra] & np.append(country, False)[rb]
        k = np.flatnonzero(change)
        row_start = np.flatnonzero(np.r_[True, ~same_row])  # first piece of each chained line
        before = np.r_[0.0, km_end][row_start[np.searchsorted(row_start, k, side="right") - 1]]
        rows = p.row[k]
        chains = self.chains
        iso_a, name_a = self.index.label(ra[k])
        iso_b, name_b = self.index.label(rb[k])
        cid, branch = chains["corridor_id"].to_numpy(), chains["branch"].to_numpy()
        return pd.DataFrame({
            "corridor_id": cid[rows],
            "branch": branch[rows],
            "seq": _seq(cid, branch, rows),
            "part": chains["part"].to_numpy()[rows],
            "km": (km_end[k] - before) / 1000.0,
            "from_iso3": iso_a,
            "to_iso3": iso_b,
            "from_country": name_a,
            "to_country": name_b,
            "_x": p.x1[k],
            "_y": p.y1[k],
        })


def _seq(corridor_id: np.ndarray, branch: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """1, 2, ... for the crossings on chained lines ``rows`` (in order), counted per corridor and branch."""
    cid_code, _ = pd.factorize(corridor_id)
    br_code, br_values = pd.factorize(branch)
    key = (cid_code.astype(np.int64) * max(len(br_values), 1) + br_code)[rows]
    order = np.argsort(key, kind="stable")
    sk = key[order]
    first = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]]) if len(sk) else np.zeros(0, np.intp)
    rank = np.arange(len(sk)) - np.repeat(first, np.diff(np.r_[first, len(sk)]))
    seq = np.empty(len(sk), dtype=np.int64)
    seq[order] = rank + 1
    return seq


#: A line wholly at sea farther than this from every country is implausible (km): 370.4 km
#: is 200 nautical miles, the outer limit of an exclusive economic zone (UNCLOS, art. 57),
#: beyond which no pipeline or other corridor of a state is laid. Measured as a planar
#: lon/lat distance at :data:`KM_PER_DEG` km per degree (generous at high latitudes).
OFFSHORE_LIMIT_KM = 370.4


def implausible_offshore(geoms: np.ndarray, index: BorderIndex) -> np.ndarray:
    """Which lines lying wholly outside every country are implausible there, not offshore lines.

    A line at sea near a coast is plausible: an offshore pipeline (the North Sea, the Gulf
    of Mexico, the Persian Gulf), a ferry. One whose ends are both farther than
    :data:`OFFSHORE_LIMIT_KM` from every country is not: no state lays a corridor there, and
    such coordinates are most often latitude and longitude swapped (or a wrong CRS). The
    swap itself cannot be told from the geometry near a coast: most lon/lat pairs at sea
    swapped back land in some country, so a line near a coast is given the benefit of the
    doubt.

    Parameters
    ----------
    geoms : ndarray of shapely.LineString or MultiLineString
        Lon/lat lines, each outside every country.
    index : BorderIndex
        The borders.

    Returns
    -------
    ndarray of bool
    """
    geoms = np.asarray(geoms, dtype=object)
    near = np.zeros(len(geoms), bool)
    xy, owner = shapely.get_coordinates(geoms, return_index=True)
    if not len(xy):
        return ~near
    first = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    ends = np.r_[first, np.r_[first[1:] - 1, len(owner) - 1]]
    hit = index.piece_tree.query(shapely.points(xy[ends]), predicate="dwithin", distance=OFFSHORE_LIMIT_KM / KM_PER_DEG)[0]
    near[owner[ends[hit]]] = True
    return ~near


def flag_outside(lines: gpd.GeoDataFrame, inside: np.ndarray, has_length: np.ndarray, index: BorderIndex) -> np.ndarray:
    """The one rule of the "outside every country" warning: which lines to warn about.

    A line is flagged when it has length, touches no country or sea of the borders
    (``inside`` False), is not a sea leg (``mode`` "sea") and is implausible where it lies
    (:func:`implausible_offshore`).

    Parameters
    ----------
    lines : GeoDataFrame
        Lon/lat lines, optionally with ``mode``.
    inside : ndarray of bool
        Per line: some point of it lies in a country or named sea.
    has_length : ndarray of bool
        Per line: its geodesic length is above zero.
    index : BorderIndex
        The borders.

    Returns
    -------
    ndarray of bool
    """
    out = ~inside & has_length
    if "mode" in lines.columns:
        out &= (lines["mode"] != "sea").to_numpy()
    at = np.flatnonzero(out)
    out[at] = implausible_offshore(np.asarray(lines.geometry.values, dtype=object)[at], index)
    return out


def rows_outside(lines: gpd.GeoDataFrame, index: BorderIndex) -> np.ndarray:
    """:func:`flag_outside` for each row of ``lines`` on its own (not chained), without an overlay.

    A row is inside when a point of it, the line densified along the geodesic to
    :data:`corridors.geodesy.DENSIFY_KM`, lies in a country or sea of the borders.

    Returns
    -------
    ndarray of bool
        Per row of ``lines``.
    """
    if lines.empty:
        return np.zeros(0, bool)
    seg = segments(lines.geometry.values, max_km=DENSIFY_KM)
    inside = index.locate(seg.x0, seg.y0) >= 0
    last = np.r_[seg.part[1:] != seg.part[:-1], True] if len(seg) else np.zeros(0, bool)  # the end of each part
    inside[last] |= index.locate(seg.x1[last], seg.y1[last]) >= 0  # other ends start the next segment
    touches = np.bincount(seg.row, weights=inside, minlength=len(lines)) > 0
    drawn = np.bincount(seg.row, weights=seg.length_m, minlength=len(lines)) > 0
    return flag_outside(lines, touches, drawn, index)


def warn_outside(n_lines: int, ids: np.ndarray) -> None:
    """Warn that ``n_lines`` chained lines of the corridors ``ids`` lie outside every country
    where no corridor is laid (see :func:`implausible_offshore`).

    The warning names the user's call (the first frame outside this package).
    """
    shown = ", ".join(map(str, ids[:5])) + (" ..." if len(ids) > 5 else "")
    warnings.warn(
        f"{n_lines} line(s) of {len(ids)} corridor(s) lie wholly outside every country and farther "
        f"than {OFFSHORE_LIMIT_KM:g} km from any ({shown}); are latitude and longitude swapped?",
        OutsideCountriesWarning,
        stacklevel=caller_stacklevel(),
    )


def name_crossings(raw: pd.DataFrame, places: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The :func:`corridors.analysis.border_crossings` table from ``Analysis.crossing_rows`` rows: checkpoints and points added."""
    x, y = raw["_x"].to_numpy(), raw["_y"].to_numpy()
    out = raw.drop(columns=["_x", "_y"])
    out["checkpoint"], out["checkpoint_km"] = _nearest_checkpoint(x, y, places)
    return gpd.GeoDataFrame(out, geometry=shapely.points(x, y), crs=WGS84)


@lru_cache(maxsize=1)
def _bundled_places() -> gpd.GeoDataFrame:
    """The bundled places (name, kind, point), read once per process."""
    gdf = catalog.places()
    return gpd.GeoDataFrame({"name": gdf["name"].to_numpy(), "kind": gdf["kind"].to_numpy()},
                            geometry=gdf.geometry.values, crs=gdf.crs)


def _nearest_checkpoint(x: np.ndarray, y: np.ndarray, places: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    return nearest_place(x, y, places, kind="border-checkpoint")


def nearest_place(
    x: np.ndarray, y: np.ndarray, places: gpd.GeoDataFrame | None, kind: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Name of and geodesic distance (km) to the nearest place within :data:`CHECKPOINT_RADIUS_KM`.

    Parameters
    ----------
    x, y : ndarray
        Longitude and latitude of the query points, degrees.
    places : GeoDataFrame or None
        Points with ``name`` (and ``kind``); the bundled places when None.
    kind : str, optional
        Only places of this ``kind``.

    Returns
    -------
    names : ndarray of str
        "" where no place is near enough.
    dist : ndarray of float
        Kilometres; NaN where no place is near enough.
    """
    names = np.full(len(x), "", dtype=object)
    dist = np.full(len(x), np.nan)
    if places is None:
        places = _bundled_places()
    if kind is not None:
        places = places[places["kind"] == kind] if "kind" in places.columns else places.iloc[0:0]
    if not len(x) or not len(places):
        return names, dist
    px, py = shapely.get_x(places.geometry.values), shapely.get_y(places.geometry.values)
    d = geodesic_distance_m(x[:, None], y[:, None], px[None, :], py[None, :]) / 1000.0
    best = np.argmin(d, axis=1)
    best_d = d[np.arange(len(x)), best]
    near = best_d <= CHECKPOINT_RADIUS_KM
    names[near] = places["name"].to_numpy()[best[near]]
    dist[near] = np.where(best_d[near] < 1e-6, 0.0, best_d[near])  # below 1 mm: the place itself
    return names, dist


def overlay_lines(lines: gpd.GeoDataFrame, index: BorderIndex, edges: str = "geodesic") -> Analysis:
    """:func:`corridors.analysis.analyse` of checked lines (from :func:`corridors._checks.checked_lines`), not remembered."""
    chains, _ = chain_lines(lines)
    tol = ALONG_BORDER_DEG if index.along_border_deg is None else index.along_border_deg
    pieces = overlay(chains.geometry.values, index, along_border_deg=tol, edges=edges)
    bridged = bridge_gaps(pieces, index, SAME_COUNTRY_GAP_KM * 1000.0)
    return Analysis(lines=lines, chains=chains, index=index, pieces=pieces, bridged=bridged)


def bridge_gaps(p: Pieces, index: BorderIndex, max_m: float) -> np.ndarray | None:
    """Count short stretches outside every country between two stretches in one country for it.

    A run of pieces (consecutive, in one region) outside every country or in a named sea,
    shorter than ``max_m`` metres in all, whose neighbours on both sides along the same
    line part are in the same country, takes that country. Modifies ``p.region`` in place.

    Returns
    -------
    ndarray of bool or None
        True for the pieces that changed; None if none did.
    """
    n = len(p)
    if n < 3:
        return None
    country = np.append(index.is_country, False)  # region -1 maps to the last entry
    new_line = np.r_[True, (p.row[1:] != p.row[:-1]) | (p.part[1:] != p.part[:-1])]
    new_run = new_line | np.r_[True, p.region[1:] != p.region[:-1]]
    start = np.flatnonzero(new_run)
    reg = p.region[start]
    line = np.cumsum(new_line)[start]
    run_m = np.add.reduceat(p.length_m, start)
    prev_reg, next_reg = np.r_[-1, reg[:-1]], np.r_[reg[1:], -1]
    same_line = np.r_[False, line[1:] == line[:-1]] & np.r_[line[:-1] == line[1:], False]
    gap = (same_line & ~country[reg] & country[prev_reg] & (prev_reg == next_reg) & (run_m < max_m))
    if not gap.any():
        return None
    run = np.cumsum(new_run) - 1
    fill = np.where(gap, prev_reg, reg)
    changed = gap[run]
    p.region[:] = fill[run]
    return changed
