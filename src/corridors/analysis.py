"""Lengths per corridor, country, mode and status; ordered border crossings; transfers.

Every function takes a GeoDataFrame of lines in EPSG:4326 with a ``corridor_id`` column
(the bundled layers from :func:`corridors.load`, or a user's lines from
:func:`corridors.read`). Lengths are WGS84 geodesic lengths in kilometres.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .border_index import BorderIndex, border_index, bundled_index
from .errors import DataError, OutsideCountriesWarning, caller_stacklevel
from .geodesy import check_edges, geodesic_distance_m, geodesic_length_m
from .overlay import ALONG_BORDER_DEG, Pieces, overlay
from .schema import column_type_problems, text_columns_as_objects

if TYPE_CHECKING:
    from .profiles import Profile

#: Largest distance from a crossing to a named border checkpoint, km.
CHECKPOINT_RADIUS_KM = 25.0
_LINE_TYPES = ("LineString", "MultiLineString")


#: The CRS of every result (one object: parsing "EPSG:4326" each time is slow).
WGS84 = CRS.from_epsg(4326)


@lru_cache(maxsize=16)
def _is_wgs84(crs: CRS) -> bool:
    return bool(crs.equals(WGS84))


#: Columns the analysis functions read (when present); others are left behind by :func:`_lines`.
_USED_COLUMNS = ("corridor_id", "branch", "mode", "status", "gauge_mm")


def _lines(gdf: gpd.GeoDataFrame, extra: tuple[str, ...] = (), *, check: bool = True) -> gpd.GeoDataFrame:
    """Check the input of every analysis function; return a lean copy in EPSG:4326.

    The copy holds only the columns the analysis reads (and ``extra``) and no ``attrs``, so
    that pandas does not deep-copy large metadata (e.g. the skip records of
    :func:`corridors.read`) into every intermediate result. ``check=False`` skips the
    value checks, for rows of a frame this function has already checked (a batch).
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise DataError(f"expected a GeoDataFrame of lines, got {type(gdf).__name__}")
    if "corridor_id" not in gdf.columns:
        raise DataError("the GeoDataFrame has no 'corridor_id' column")
    values = gdf.geometry.values
    if gdf.crs is not None and not _is_wgs84(gdf.crs):
        values = values.to_crs(WGS84)
    kind = shapely.get_type_id(np.asarray(values, dtype=object))
    bad = (kind >= 0) & ~np.isin(kind, (1, 5)) & ~shapely.is_empty(np.asarray(values, dtype=object))
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        first = gdf.index[at]
        raise DataError(f"row {first!r}: {values[at].geom_type} geometry; lines are needed", feature=first)
    if check:
        _check_values(gdf, np.asarray(values, dtype=object))
    cols = [c for c in dict.fromkeys((*_USED_COLUMNS, *extra)) if c in gdf.columns and c != gdf.geometry.name]
    return text_columns_as_objects(gpd.GeoDataFrame({c: gdf[c].array for c in cols},
                                                    geometry=np.asarray(values, dtype=object),
                                                    crs=WGS84, index=gdf.index))


def check_lines(gdf: gpd.GeoDataFrame) -> None:
    """Check lines as every analysis function does before it measures (for maps and figures).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines with ``corridor_id``.

    Raises
    ------
    DataError
        For another type, no ``corridor_id``, a geometry that is not a line, a missing id,
        a wrong-typed known column, or coordinates that are NaN, infinite or out of range;
        the message names the row.
    """
    _lines(gdf)


def _row_name(gdf: gpd.GeoDataFrame, at: int) -> str:
    """How a message names row ``at``: its index label, and its segment id where it has one."""
    label = repr(gdf.index[at]) if not isinstance(gdf.index[at], (int, np.integer)) else str(gdf.index[at])
    if "segment_id" in gdf.columns and isinstance(gdf["segment_id"].iloc[at], str):
        label += f" (segment {gdf['segment_id'].iloc[at]!r})"
    return label


def _check_values(gdf: gpd.GeoDataFrame, geoms: np.ndarray) -> None:
    """Refuse what cannot be measured: a missing ``corridor_id``, and coordinates that are
    NaN, infinite or out of range (|lon| > 180, |lat| > 90), which would otherwise give a
    silently wrong length (0 km, or 8,527 km for a longitude of 540)."""
    ids = gdf["corridor_id"].to_numpy(dtype=object)
    missing = pd.isna(ids)
    if missing.any():
        at = int(np.flatnonzero(missing)[0])
        raise DataError("corridor_id is missing; every line needs one", feature=_row_name(gdf, at))
    wrong = column_type_problems(gdf)
    if wrong:
        at = min(wrong)
        raise DataError(wrong[at], feature=_row_name(gdf, at))
    xy, owner = shapely.get_coordinates(geoms, return_index=True)
    with np.errstate(invalid="ignore"):
        nonfinite = ~np.isfinite(xy).all(axis=1)
        out = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    for bad, why in ((nonfinite, "coordinates are NaN or infinite"),
                     (out, "a coordinate is out of range (|lon| <= 180, |lat| <= 90): projected "
                           "coordinates in a frame without a CRS, or longitude past the antimeridian?")):
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            at = int(owner[k])
            raise DataError(f"{why} (lon {xy[k, 0]:g}, lat {xy[k, 1]:g})", feature=_row_name(gdf, at))


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


def _index(borders: gpd.GeoDataFrame | BorderIndex | None, admin_units: bool = False,
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


def _with_settings(table: pd.DataFrame, admin_units: bool, border_tolerance_km: float | None) -> Any:
    """``table`` with the settings it was computed with in ``attrs`` (``admin_units``, ``border_tolerance_km``)."""
    table.attrs.update(admin_units=bool(admin_units),
                       border_tolerance_km=BORDER_TOLERANCE_KM if border_tolerance_km is None else float(border_tolerance_km))
    return table


def _main_rows(corridor_id: np.ndarray, branch: np.ndarray) -> np.ndarray:
    """True for the rows of each corridor's main line.

    The main line is the rows whose branch is ``"main"`` (a missing branch is the main
    line); a corridor without such rows is all main line.
    """
    main = branch == "main"
    has_main = pd.Series(main).groupby(pd.Series(corridor_id), sort=False).transform("any").to_numpy(bool)
    return main | ~has_main


def length_km(gdf: gpd.GeoDataFrame, by_branch: bool = False) -> pd.Series:
    """Geodesic length of each corridor's main line (or of each branch) on WGS84.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id`` (and optionally ``branch``).
    by_branch : bool
        False (default): one length per corridor, that of its main line: the rows whose
        ``branch`` is ``"main"`` or missing (all rows of a corridor that has none).
        Alternative branches are alternatives, not additions, so they are not summed in.
        True: one length per corridor and branch.

    Returns
    -------
    pandas.Series
        Kilometres, indexed by ``corridor_id`` (and ``branch``) in order of first appearance.
    """
    gdf = _lines(gdf)
    km = geodesic_length_m(gdf.geometry.values) / 1000.0
    cid = gdf["corridor_id"].to_numpy()
    branch = _branch_of(gdf)
    if by_branch:
        out = pd.Series(km).groupby([cid, branch], sort=False).sum()
        out.index.names = ["corridor_id", "branch"]
    else:
        keep = _main_rows(cid, branch)
        out = pd.Series(np.where(keep, km, 0.0)).groupby(cid, sort=False).sum()
        out.index.name = "corridor_id"
    out.name = "length_km"
    return out


def _branch_of(gdf: pd.DataFrame) -> np.ndarray:
    """The branch of each row (``"main"`` where there is no ``branch`` column or value)."""
    if "branch" not in gdf.columns:
        return np.full(len(gdf), "main", dtype=object)
    return gdf["branch"].fillna("main").astype(str).to_numpy(dtype=object)


def _finish_lengths(table: pd.DataFrame, by_branch: bool) -> pd.DataFrame:
    """The public lengths table from the per-branch rows of ``Analysis._lengths``.

    Keeps each corridor's main line (see :func:`length_km`), or every branch with a
    ``branch`` column; recomputes ``share``; turns the hidden ``_moved_km`` and
    ``_bridged_km`` columns into ``attrs`` (``moved_km``, ``bridged_km``: totals, and
    ``moved_km_by_corridor``, ``bridged_km_by_corridor``: the non-zero ones).
    """
    keys = ["corridor_id", "branch"] if by_branch else ["corridor_id"]
    if not by_branch:
        keep = _main_rows(table["corridor_id"].to_numpy(), table["branch"].to_numpy(dtype=object))
        table = table[keep]
    sums = {"length_km": "sum", "_moved_km": "sum", "_bridged_km": "sum"}
    out = table.groupby([*keys, "iso3", "country"], sort=False, dropna=False).agg(sums).reset_index()
    total = out.groupby(keys, sort=False)["length_km"].transform("sum").to_numpy()
    out["share"] = np.where(total > 0, out["length_km"] / np.where(total > 0, total, 1.0), 0.0)
    attrs = {}
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

    Build it with :func:`analyse`; :func:`lengths_by_country` and
    :func:`border_crossings` are shortcuts that build one and read one table (on inputs
    of more than :data:`BATCH_VERTICES` vertices they read the same tables batch by
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
        """See :func:`lengths_by_country`."""
        out = _finish_lengths(self._lengths(), by_branch)
        outside = self._outside()
        if outside.any():
            ids = pd.unique(self.chains["corridor_id"].to_numpy()[outside])
            _warn_outside(int(outside.sum()), ids)
        return out

    def _lengths(self) -> pd.DataFrame:
        """Per corridor, branch and region, in route order, without the warning.

        Columns ``corridor_id``, ``branch``, ``iso3``, ``country``, ``length_km``,
        ``share`` (of the branch), ``_moved_km`` (length settled on the row's country by
        the border tolerance) and ``_bridged_km`` (length outside every country counted
        for it); :func:`_finish_lengths` makes the public table.
        """
        p = self.pieces
        ids = pd.unique(self.lines["corridor_id"])  # corridors in order of first appearance
        chain_code = pd.Index(ids).get_indexer(self.chains["corridor_id"]).astype(np.int64)
        br_code, br_values = pd.factorize(self.chains["branch"].to_numpy(dtype=object))
        n_br = max(len(br_values), 1)
        chain_cb = chain_code * n_br + br_code
        n_reg = len(self.index.iso3) + 1
        key = chain_cb[p.row] * n_reg + (p.region + 1)
        uniq, first, inv = np.unique(key, return_index=True, return_inverse=True)
        km = np.bincount(inv, weights=p.length_m, minlength=len(uniq)) / 1000.0
        extra = {}
        for col, mask in (("_moved_km", p.moved), ("_bridged_km", self.bridged)):
            weights = p.length_m * mask if mask is not None else np.zeros(len(p))
            extra[col] = np.bincount(inv, weights=weights, minlength=len(uniq)) / 1000.0
        cb = uniq // n_reg
        cb_first = pd.Series(first).groupby(cb).transform("min").to_numpy()
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

    def _outside(self) -> np.ndarray:
        """Per chained line: True where it has length, is not a sea leg, lies outside every
        country and is implausible there (see :func:`implausible_offshore`)."""
        p = self.pieces
        inside = np.zeros(len(self.chains), bool)
        inside[p.row[p.region >= 0]] = True
        if "mode" in self.chains.columns:
            inside |= (self.chains["mode"] == "sea").to_numpy()
        has_len = np.bincount(p.row, weights=p.length_m, minlength=len(self.chains)) > 0
        out = ~inside & has_len
        at = np.flatnonzero(out)
        out[at] = implausible_offshore(self.chains.geometry.values[at], self.index)
        return out

    def border_crossings(self, places: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """See :func:`border_crossings`."""
        return _name_crossings(self._crossings(), places)

    def _crossings(self) -> pd.DataFrame:
        """The crossings without checkpoints: the columns of :meth:`border_crossings` up to
        ``to_country``, then ``_x`` and ``_y`` (the crossing point, degrees)."""
        p = self.pieces
        km_end = np.cumsum(p.length_m)
        start_of_row = np.r_[0.0, km_end][np.searchsorted(p.row, p.row)]
        km_end = (km_end - start_of_row) / 1000.0
        same_row = p.row[1:] == p.row[:-1]
        ra, rb = p.region[:-1], p.region[1:]
        country = self.index.is_country
        change = same_row & (ra != rb) & (ra >= 0) & (rb >= 0)
        change &= np.append(country, False)[ra] & np.append(country, False)[rb]
        k = np.flatnonzero(change)
        rows = p.row[k]
        chains = self.chains
        iso_a, name_a = self.index.label(ra[k])
        iso_b, name_b = self.index.label(rb[k])
        out = pd.DataFrame({
            "corridor_id": chains["corridor_id"].to_numpy()[rows],
            "branch": chains["branch"].to_numpy()[rows],
            "part": chains["part"].to_numpy()[rows],
            "km": km_end[k],
            "from_iso3": iso_a,
            "to_iso3": iso_b,
            "from_country": name_a,
            "to_country": name_b,
        })
        out.insert(2, "seq", out.groupby(["corridor_id", "branch"], sort=False).cumcount() + 1)
        out["_x"], out["_y"] = p.x1[k], p.y1[k]
        return out


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


def _warn_outside(n_lines: int, ids: np.ndarray) -> None:
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


def _name_crossings(raw: pd.DataFrame, places: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The :func:`border_crossings` table from ``Analysis._crossings`` rows: checkpoints and points added."""
    x, y = raw["_x"].to_numpy(), raw["_y"].to_numpy()
    out = raw.drop(columns=["_x", "_y"])
    out["checkpoint"], out["checkpoint_km"] = _nearest_checkpoint(x, y, places)
    return gpd.GeoDataFrame(out, geometry=shapely.points(x, y), crs=WGS84)


@lru_cache(maxsize=1)
def _bundled_places() -> gpd.GeoDataFrame:
    """The bundled places (name, kind, point), read once per process."""
    from .catalog import places

    gdf = places()
    return gpd.GeoDataFrame({"name": gdf["name"].to_numpy(), "kind": gdf["kind"].to_numpy()},
                            geometry=gdf.geometry.values, crs=gdf.crs)


def _nearest_checkpoint(x: np.ndarray, y: np.ndarray, places: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    return _nearest_place(x, y, places, kind="border-checkpoint")


def _nearest_place(
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


@dataclass
class Members:
    """Where each input line part lies on the chained lines.

    Attributes
    ----------
    src : ndarray of int
        Position (row number) of the input feature the part comes from.
    chain : ndarray of int
        Row of the chained line (in :func:`chain` output) the part lies on.
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


def chain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Join the segments of each corridor and branch into continuous lines.

    Segments may come in any order and direction. Segments meeting end to end are merged
    (``shapely.line_merge``, all groups at once); each merged line keeps the direction of
    the majority (by length) of its segments.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines with ``corridor_id`` and optionally ``branch`` (default ``"main"``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``corridor_id``, ``branch``, ``part`` (1, 2, ... for pieces that do not connect,
        in order of their first segment in the input), LineString geometry (2D); plus
        ``mode`` where the input has one and it is the same for the whole line (else None).
    """
    return _chain(_lines(gdf))[0]


def _chain(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Members]:
    """:func:`chain` of checked lines, with the position of every input part on the chains."""
    n_rows = len(gdf)
    branch = (gdf["branch"].fillna("main").astype(str).to_numpy() if "branch" in gdf.columns
              else np.full(n_rows, "main", dtype=object))
    parts, src = shapely.get_parts(gdf.geometry.values, return_index=True)
    keep = ~shapely.is_empty(parts)
    parts, src = shapely.force_2d(parts[keep]), src[keep]
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
    a = shapely.get_coordinates(shapely.get_point(members, 0))
    b = shapely.get_coordinates(shapely.get_point(members, 1))
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


def analyse(gdf: gpd.GeoDataFrame, borders: gpd.GeoDataFrame | BorderIndex | None = None, *,
            admin_units: bool = False, border_tolerance_km: float | None = None,
            edges: str = "geodesic") -> Analysis:
    """Chain the lines and overlay them with the borders once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons with ``iso3`` and ``name``; the bundled Natural Earth borders by default.
    admin_units, border_tolerance_km
        As for :func:`lengths_by_country`.
    edges : {"geodesic", "planar"}
        Where a segment runs between two vertices when it is cut at borders: along the
        geodesic (the default), or straight in lon/lat, as RFC 7946, GEOS, DuckDB and
        QGIS read it. Lengths are geodesic either way; only a long segment's split
        between countries differs (see the README, "Edges").

    Returns
    -------
    Analysis
        Read ``.lengths_by_country()`` and ``.border_crossings()`` from it.

    Notes
    -----
    The result holds the overlay of all the lines at once, so its memory grows with the
    input (about 350 bytes per input vertex). :func:`lengths_by_country` and
    :func:`border_crossings` do not call this on inputs of more than
    :data:`BATCH_VERTICES` vertices: they analyse whole corridors in batches and keep only
    the tables (see :func:`corridors.batches.run`), in bounded memory.

    The most recent result is remembered, keyed by the content of the lines (coordinates,
    ``corridor_id``, ``branch``, ``mode``) and the border index, so that calling
    :func:`lengths_by_country` and then :func:`border_crossings` on the same lines
    overlays them once.
    """
    lines = _lines(gdf)
    index = _index(borders, admin_units, border_tolerance_km)
    key = (id(index), _fingerprint(lines), check_edges(edges))
    last = _recall(key)
    if isinstance(last, Analysis):
        return last
    return _remember(key, index, _overlay(lines, index, edges))


def _overlay(lines: gpd.GeoDataFrame, index: BorderIndex, edges: str = "geodesic") -> Analysis:
    """:func:`analyse` of checked lines (from :func:`_lines`), not remembered."""
    chains, _ = _chain(lines)
    tol = ALONG_BORDER_DEG if index.along_border_deg is None else index.along_border_deg
    pieces = overlay(chains.geometry.values, index, along_border_deg=tol, edges=edges)
    bridged = _bridge_gaps(pieces, index, SAME_COUNTRY_GAP_KM * 1000.0)
    return Analysis(lines=lines, chains=chains, index=index, pieces=pieces, bridged=bridged)


def _bridge_gaps(p: Pieces, index: BorderIndex, max_m: float) -> np.ndarray | None:
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


#: A progress wrapper: takes the list of work items, yields them (e.g. a progress bar).
Progress = Callable[[Iterable[Any]], Iterable[Any]]

#: Inputs of more than this many vertices are analysed by :func:`lengths_by_country` and
#: :func:`border_crossings` in batches of whole corridors of at most this many vertices
#: (a corridor with more is a batch of its own). The overlay needs about 350 bytes per
#: vertex, so a batch adds about 0.7 GB to the input's own memory.
BATCH_VERTICES = 2_000_000

#: The most recent analysis: ``key`` (border index id, fingerprint of the lines),
#: ``result`` (an :class:`Analysis`, or the tables of a batched run,
#: :class:`corridors.batches.Batched`) and ``index`` (kept alive: its id is in the key).
_LAST: dict[str, Any] = {}


_LAST_LOCK = threading.Lock()


def _recall(key: tuple[int, tuple[int, str], str]) -> Any:
    """The remembered result for ``key``, else None (safe to call from several threads)."""
    with _LAST_LOCK:
        return _LAST["result"] if _LAST.get("key") == key else None


def _remember(key: tuple[int, tuple[int, str], str], index: BorderIndex, result: Any) -> Any:
    """Remember ``result`` as the most recent analysis (replacing the previous one)."""
    with _LAST_LOCK:
        _LAST.clear()
        _LAST.update(key=key, result=result, index=index)
    return result


def _tables(gdf: gpd.GeoDataFrame, borders: gpd.GeoDataFrame | BorderIndex | None,
            progress: Progress | None = None, admin_units: bool = False,
            border_tolerance_km: float | None = None, edges: str = "geodesic") -> Any:
    """Where :func:`lengths_by_country` and :func:`border_crossings` read their tables.

    The remembered result for the same lines and borders if there is one (an
    :class:`Analysis` or a batched run's tables); else one :func:`analyse` when the lines
    have at most :data:`BATCH_VERTICES` vertices, and a batched run
    (:func:`corridors.batches.run`, which computes and keeps both tables) when they have
    more. Either way it is remembered, so the second table costs no second overlay.
    ``progress`` wraps the list of batches of a batched run.
    """
    from . import batches

    lines = _lines(gdf)
    index = _index(borders, admin_units, border_tolerance_km)
    key = (id(index), _fingerprint(lines), check_edges(edges))
    last = _recall(key)
    if last is not None:
        return last
    vertices = shapely.get_num_coordinates(np.asarray(lines.geometry.values, dtype=object))
    if int(vertices.sum()) <= BATCH_VERTICES:
        return _remember(key, index, _overlay(lines, index, edges))
    step = min(BATCH_VERTICES, batches.STEP_VERTICES)
    return _remember(key, index, batches.run(lines, index, vertices, step, progress=progress, edges=edges))


#: Rows per step of :func:`_fingerprint` (bounds its temporary copy of the coordinates).
_FINGERPRINT_ROWS = 5_000


def _fingerprint(lines: gpd.GeoDataFrame) -> tuple[int, str]:
    """A digest of what an analysis depends on: geometry coordinates and the key columns."""
    geoms = np.asarray(lines.geometry.values, dtype=object)
    digest = hashlib.blake2b(digest_size=16)
    for start in range(0, len(geoms), _FINGERPRINT_ROWS):
        chunk = geoms[start:start + _FINGERPRINT_ROWS]
        digest.update(np.ascontiguousarray(shapely.get_coordinates(chunk)))  # no bytes copy
        digest.update(shapely.get_num_coordinates(chunk).tobytes())
    digest.update(shapely.get_num_geometries(geoms).tobytes())
    for col in ("corridor_id", "branch", "mode"):
        if col in lines.columns:
            digest.update(col.encode())
            digest.update(pd.util.hash_array(lines[col].astype(str).to_numpy(dtype=object)).tobytes())
    return len(lines), digest.hexdigest()


def lengths_by_country(
    gdf: gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    *,
    progress: Progress | None = None,
    by_branch: bool = False,
    admin_units: bool = False,
    border_tolerance_km: float | None = None,
    edges: str = "geodesic",
) -> pd.DataFrame:
    """Geodesic length of each corridor's main line (or of each branch) in each country.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons (``iso3``, ``name``); the bundled borders by default.
    progress : callable, optional
        Wraps the list of batches when a large input is analysed in batches (see Notes),
        e.g. a progress bar; as ``progress`` of :func:`corridors.read`. Not called otherwise.
    by_branch : bool
        False (default): each corridor's main line (rows whose ``branch`` is ``"main"``
        or missing; every row of a corridor without such rows), as :func:`length_km`.
        True: every branch, with a ``branch`` column.
    admin_units : bool
        False (default): countries are sovereign states; an admin unit whose sovereign is
        another state counts for that state (Baikonur for Kazakhstan, Hong Kong for
        China; the table is :data:`corridors.sovereignty.SOVEREIGN_OF`). True: Natural
        Earth's admin units as drawn (Baikonur as ``XBK``).
    border_tolerance_km : float, optional
        A stretch of line that leaves a country and comes back while staying this close
        to the border is settled on the country before it: the noise of a line traced
        along a border river, not two crossings. Default :data:`BORDER_TOLERANCE_KM`
        (0.005 degrees, about 0.56 km; applied as a planar lon/lat distance, converted
        at :data:`KM_PER_DEG` km per degree). 0 settles nothing: every piece counts for
        the country its points lie in, as a point-in-polygon test of the densified line
        gives. The length moved is reported in the lengths table's ``attrs["moved_km"]``.
    edges : {"geodesic", "planar"}
        Where a segment runs between two vertices when it is cut at borders: along the
        geodesic (the default), or straight in lon/lat, as RFC 7946, GEOS, DuckDB and
        QGIS read it. Lengths are geodesic either way; only a long segment's split
        between countries differs (see the README, "Edges").

    Returns
    -------
    pandas.DataFrame
        ``corridor_id`` (, ``branch``), ``iso3``, ``country``, ``length_km``, ``share``
        (0-1 of the corridor's or branch's length), in route order. Parts outside every
        country have ``iso3 == ""`` and ``country`` "Caspian Sea" (where they are in it)
        or "at sea"; such a part shorter than :data:`SAME_COUNTRY_GAP_KM`
        between two parts in the same country (a strait, a tunnel, a gap in the drawn
        coastline) counts for that country. The rows of a corridor add up to its
        :func:`length_km`. ``attrs``: ``admin_units``, ``border_tolerance_km``,
        ``moved_km`` (the length the tolerance settled on another country than the one
        its points lie in), ``bridged_km`` (the length outside every country counted for
        the country around it), and per corridor ``moved_km_by_corridor``,
        ``bridged_km_by_corridor`` (non-zero values only).

    Warns
    -----
    OutsideCountriesWarning
        If a (non-sea) line lies wholly outside every country where it is implausible:
        farther than :data:`OFFSHORE_LIMIT_KM` from every country (see
        :func:`implausible_offshore`). Offshore lines near a coast are reported as "at sea",
        without a warning.

    Notes
    -----
    Memory is bounded on large inputs: lines with more than :data:`BATCH_VERTICES`
    vertices in all are analysed in batches of whole corridors (all rows of a
    ``corridor_id`` together, never split), at most :data:`BATCH_VERTICES` vertices each
    (a larger corridor is a batch of its own), and only the small tables are kept. The
    result is the same table (rows in the same order, same warning, once). The tables of
    both this function and :func:`border_crossings` are computed in one pass and
    remembered (keyed by the content of the lines and the borders, like :func:`analyse`),
    so that calling both on the same lines overlays them once. A
    ``dask_geopandas.GeoDataFrame`` is analysed partition by partition on dask (see
    ``docs/SCALING.md``).
    """
    if type(gdf).__module__.startswith("dask_geopandas"):  # dask backend, corridors[dask]
        from . import distributed

        out = distributed.lengths_by_country(gdf, borders, by_branch=by_branch, admin_units=admin_units,
                                             border_tolerance_km=border_tolerance_km, edges=check_edges(edges))
    else:
        out = _tables(gdf, borders, progress, admin_units, border_tolerance_km,
                      edges).lengths_by_country(by_branch)
    return _with_settings(out, admin_units, border_tolerance_km)


def border_crossings(
    gdf: gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    places: gpd.GeoDataFrame | None = None,
    *,
    progress: Progress | None = None,
    admin_units: bool = False,
    border_tolerance_km: float | None = None,
    edges: str = "geodesic",
) -> gpd.GeoDataFrame:
    """Where each corridor and branch crosses a land border, in order along the line.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id`` (and optionally ``branch``).
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons; the bundled borders by default.
    places : GeoDataFrame, optional
        Points with ``name`` and ``kind``; those of kind ``border-checkpoint`` name the
        crossings. The bundled places by default.
    progress : callable, optional
        As for :func:`lengths_by_country`.
    admin_units, border_tolerance_km
        As for :func:`lengths_by_country`.
    edges : {"geodesic", "planar"}
        As for :func:`lengths_by_country`: where a long segment crosses a border.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing: ``corridor_id``, ``branch``, ``seq`` (1, 2, ... along the
        branch), ``part``, ``km`` (geodesic km from the start of the line),
        ``from_iso3``, ``to_iso3``, ``from_country``, ``to_country``, ``checkpoint``
        (nearest border checkpoint within 25 km, else ""), ``checkpoint_km``, Point
        geometry. Leaving land for the sea (or a sea for land) is not a crossing.
        ``attrs``: ``admin_units`` and ``border_tolerance_km`` as used.

    Notes
    -----
    Large inputs are analysed in batches of whole corridors, in bounded memory, and both
    tables remembered; see :func:`lengths_by_country`.
    """
    if type(gdf).__module__.startswith("dask_geopandas"):  # dask backend, corridors[dask]
        from . import distributed

        out = distributed.border_crossings(gdf, borders, places, admin_units=admin_units,
                                           border_tolerance_km=border_tolerance_km, edges=check_edges(edges))
    else:
        out = _tables(gdf, borders, progress, admin_units, border_tolerance_km,
                      edges).border_crossings(places)
    return _with_settings(out, admin_units, border_tolerance_km)


def lengths_by(
    gdf: gpd.GeoDataFrame,
    by: str,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    *,
    progress: Progress | None = None,
    by_branch: bool = False,
    edges: str = "geodesic",
    **country_options: Any,
) -> pd.DataFrame:
    """Geodesic length of each corridor split by country, mode, status or any column.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.
    by : str
        ``"country"`` (the same as :func:`lengths_by_country`), or the name of a column
        of ``gdf`` such as ``"mode"``, ``"status"`` or ``"gauge_mm"``.
    borders : GeoDataFrame or BorderIndex, optional
        Only for ``by="country"``.
    progress : callable, optional
        Only for ``by="country"``; as for :func:`lengths_by_country`.
    by_branch : bool
        False (default): each corridor's main line (see :func:`length_km`); True: every
        branch, with a ``branch`` column. ``by="branch"`` splits by branch either way.
    edges : {"geodesic", "planar"}
        Only matters for ``by="country"``; as for :func:`lengths_by_country`.
    **country_options
        Only for ``by="country"``: ``admin_units``, ``border_tolerance_km`` of
        :func:`lengths_by_country`.

    Returns
    -------
    pandas.DataFrame
        ``corridor_id`` (, ``branch``), the ``by`` column (missing values kept as their
        own row), ``length_km``, ``share`` (0-1 of the corridor's or branch's length);
        corridors in order of first appearance, values in order of first appearance
        within each corridor. The rows of a corridor add up to its :func:`length_km`.

    Raises
    ------
    DataError
        If ``by`` is neither ``"country"`` nor a column of ``gdf``.
    """
    if by == "country":
        return lengths_by_country(gdf, borders, progress=progress, by_branch=by_branch, edges=edges,
                                  **country_options)
    check_edges(edges)
    lines = _lines(gdf, extra=(by,))
    if by not in lines.columns or by in ("corridor_id", lines.geometry.name):
        cols = [c for c in lines.columns if c not in ("corridor_id", lines.geometry.name)]
        raise DataError(f"cannot split lengths by {by!r}; use 'country' or one of the columns: {', '.join(map(str, cols))}")
    cid, branch = lines["corridor_id"].to_numpy(), _branch_of(lines)
    keys = ["corridor_id", "branch"] if by_branch and by != "branch" else ["corridor_id"]
    keep = np.ones(len(lines), bool) if by == "branch" or by_branch else _main_rows(cid, branch)
    df = pd.DataFrame({
        "corridor_id": cid,
        "branch": branch,
        by: (branch if by == "branch" else lines[by].to_numpy()),
        "length_km": geodesic_length_m(lines.geometry.values) / 1000.0,
    })[keep]
    out = df.groupby([*keys, by], sort=False, dropna=False)["length_km"].sum().reset_index()
    total = out.groupby(keys, sort=False)["length_km"].transform("sum")
    out["share"] = np.where(total > 0, out["length_km"] / total.where(total > 0, 1.0), 0.0)
    return out


#: Kinds of transfer event reported by :func:`transfers`.
TRANSFER_KINDS: tuple[str, ...] = ("transshipment", "break-of-gauge")


def transfers(gdf: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Where goods change mode (transshipment) or track gauge along each corridor and branch.

    The segments of each corridor and branch are chained first (see :func:`chain`), then
    walked in order; an event is reported wherever two consecutive segments differ in
    ``mode`` (e.g. rail to sea at a port: a transshipment) or, both being rail, in
    ``gauge_mm`` (a break of gauge). Missing values never make an event.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id`` and ``mode`` and/or ``gauge_mm``
        (and optionally ``branch``).
    places : GeoDataFrame, optional
        Named points (``name``); the bundled places by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per event, in order along each line: ``corridor_id``, ``branch``,
        ``seq`` (1, 2, ... along the branch), ``part``, ``km`` (geodesic km from the start
        of the chained line), ``kind`` (``"transshipment"`` or ``"break-of-gauge"``),
        ``from_mode``, ``to_mode``, ``from_gauge_mm``, ``to_gauge_mm``, ``place`` (the
        nearest named place within 25 km, else ""), ``place_km``, Point geometry (EPSG:4326).
    """
    lines = _lines(gdf)
    chains, mem = _chain(lines)
    n = len(mem.src)
    mode = (lines["mode"].to_numpy(dtype=object)[mem.src] if "mode" in lines.columns
            else np.full(n, None, dtype=object))
    gauge = (pd.array(lines["gauge_mm"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)[mem.src]
             if "gauge_mm" in lines.columns else np.full(n, np.nan))
    order = np.lexsort((mem.loc1, mem.loc0, mem.chain))
    a, b = order[:-1], order[1:]
    same = mem.chain[a] == mem.chain[b]
    has_mode = pd.notna(mode)
    mode_change = same & has_mode[a] & has_mode[b] & (mode[a] != mode[b])
    rail = has_mode & (mode == "rail") | ~has_mode
    gauge_change = (same & ~mode_change & rail[a] & rail[b] & ~np.isnan(gauge[a]) & ~np.isnan(gauge[b])
                    & (gauge[a] != gauge[b]))
    event = np.flatnonzero(mode_change | gauge_change)
    ea, eb = a[event], b[event]
    which, loc = mem.chain[eb], mem.loc0[eb]
    geoms = chains.geometry.values
    pts = shapely.line_interpolate_point(geoms[which], loc)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    out = pd.DataFrame({
        "corridor_id": chains["corridor_id"].to_numpy()[which],
        "branch": chains["branch"].to_numpy()[which],
        "part": chains["part"].to_numpy()[which],
        "km": _km_along(geoms, which, loc),
        "kind": np.where(mode_change[event], TRANSFER_KINDS[0], TRANSFER_KINDS[1]),
        "from_mode": mode[ea],
        "to_mode": mode[eb],
        "from_gauge_mm": pd.array(gauge[ea], dtype="Float64").astype("Int64"),
        "to_gauge_mm": pd.array(gauge[eb], dtype="Float64").astype("Int64"),
    })
    out["place"], out["place_km"] = _nearest_place(x, y, places)
    out.insert(2, "seq", out.groupby(["corridor_id", "branch"], sort=False).cumcount() + 1)
    return gpd.GeoDataFrame(out, geometry=pts, crs=WGS84)


def _km_along(lines: np.ndarray, which: np.ndarray, loc: np.ndarray) -> np.ndarray:
    """Geodesic km from the start of ``lines[which]`` to the point at planar distance ``loc``.

    Parameters
    ----------
    lines : ndarray of shapely.LineString
        Lon/lat lines.
    which : ndarray of int
        Line of each query.
    loc : ndarray of float
        Planar distance along the line (degrees, as from ``shapely.line_locate_point``).

    Returns
    -------
    ndarray of float
        Kilometres; within a segment the geodesic length is shared out in proportion to
        the planar distance.
    """
    if not len(which):
        return np.zeros(0)
    used, inv = np.unique(which, return_inverse=True)
    coords, ci = shapely.get_coordinates(lines[used], return_index=True)
    same = ci[1:] == ci[:-1]
    geo = np.where(same, geodesic_distance_m(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1]), 0.0)
    flat = np.where(same, np.hypot(*(coords[1:] - coords[:-1]).T), 1.0)  # 1-degree gap between lines
    cum_geo = np.r_[0.0, np.cumsum(geo)]
    cum_flat = np.r_[0.0, np.cumsum(flat)]
    first = np.searchsorted(ci, np.arange(len(used)))
    at = cum_flat[first][inv] + loc
    return (np.interp(at, cum_flat, cum_geo) - cum_geo[first][inv]) / 1000.0


def profile(
    corridor: str | gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    places: gpd.GeoDataFrame | None = None,
    *,
    admin_units: bool = False,
    border_tolerance_km: float | None = None,
) -> Profile:
    """A one-corridor summary for a report: lengths, crossings, transfers, stated lengths.

    Parameters
    ----------
    corridor : str or geopandas.GeoDataFrame
        A bundled corridor id (see :func:`corridors.list_corridors`), or the lines of one
        corridor (one ``corridor_id``); stated lengths are then read from
        ``gdf.attrs["corridor"]`` (or ``gdf.attrs["corridors"][id]``) when present.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons; the bundled borders by default.
    places : GeoDataFrame, optional
        Named places for checkpoints and transfer points; the bundled places by default.
    admin_units, border_tolerance_km
        As for :func:`lengths_by_country`.

    Returns
    -------
    corridors.profiles.Profile
        The main line's length, countries, crossings and transfers, then each other
        branch as an alternative with its own; tables and figures; ``.to_dict()`` gives JSON-ready data, ``str()`` / ``.to_text()``
        a plain-text report.

    Raises
    ------
    UnknownCorridorError
        If a corridor id is not bundled.
    DataError
        If the GeoDataFrame holds more than one corridor, or none.
    """
    from .catalog import load
    from .profiles import Profile, stated_lengths

    given = load(corridor) if isinstance(corridor, str) else corridor
    gdf = _lines(given)
    ids = pd.unique(gdf["corridor_id"])
    if len(ids) != 1:
        raise DataError(f"profile() takes the lines of one corridor; got {len(ids)} corridor ids")
    cid = ids[0]
    meta = given.attrs.get("corridor") or given.attrs.get("corridors", {}).get(cid) or {}
    result = analyse(gdf, borders, admin_units=admin_units, border_tolerance_km=border_tolerance_km)
    table = result.lengths_by_country()
    by_country = table.drop(columns="corridor_id")
    every = _finish_lengths(result._lengths(), by_branch=True).drop(columns="corridor_id")
    total = float(length_km(gdf).iloc[0])
    moves = transfers(gdf, places)
    cross = result.border_crossings(places)
    split = {col: (lengths_by(gdf, col).drop(columns="corridor_id") if col in gdf.columns else None)
             for col in ("mode", "status")}

    def events(kind: str) -> gpd.GeoDataFrame:
        """One kind of transfer, numbered 1, 2, ... along each branch."""
        out = moves[moves["kind"] == kind].reset_index(drop=True)
        out["seq"] = out.groupby("branch", sort=False).cumcount() + 1
        return out

    branch_km = length_km(gdf, by_branch=True).droplevel("corridor_id")
    main = set(_branch_of(gdf)[_main_rows(gdf["corridor_id"].to_numpy(), _branch_of(gdf))])
    others = [b for b in branch_km.index if b not in main]
    return Profile(
        corridor_id=str(cid),
        name=str(meta.get("name", cid)),
        length_km=total,
        by_country=by_country,
        by_mode=split["mode"],
        by_status=split["status"],
        crossings=cross,
        gauge_breaks=events("break-of-gauge"),
        transshipments=events("transshipment"),
        stated=stated_lengths(meta.get("stated_lengths", []), total, by_country),
        branches=pd.DataFrame({"branch": others, "length_km": [float(branch_km[b]) for b in others]}),
        branch_by_country=every[every["branch"].isin(others)].reset_index(drop=True),
        border_tolerance_km=BORDER_TOLERANCE_KM if border_tolerance_km is None else float(border_tolerance_km),
        moved_km=float(table.attrs["moved_km"]),
        bridged_km=float(table.attrs["bridged_km"]),
    )
