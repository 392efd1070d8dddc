"""Lengths per corridor, country, mode and status; ordered border crossings; transfers.

The public analysis functions. Every one takes a GeoDataFrame of lines in EPSG:4326 with
a ``corridor_id`` column (the bundled layers from :func:`corridors.load`, or a user's
lines from :func:`corridors.read`), checks it, and dispatches once, here, to an executor:
in memory (:func:`corridors.engine.overlay_lines`), in batches of whole corridors
(:mod:`corridors.batches`) or on dask (:mod:`corridors.distributed`). Lengths are WGS84
geodesic lengths in kilometres.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import batches, distributed
from ._cache import ResultCache, identity
from ._checks import branch_of, checked_lines, main_rows
from ._crs import WGS84
from .border_index import BorderIndex
from .chaining import chain_lines
from .engine import (
    BORDER_TOLERANCE_KM,
    CHECKPOINT_RADIUS_KM,
    KM_PER_DEG,
    OFFSHORE_LIMIT_KM,
    SAME_COUNTRY_GAP_KM,
    Analysis,
    implausible_offshore,
    index_for,
    nearest_place,
    overlay_lines,
)
from .errors import DataError
from .geodesy import check_edges, geodesic_distance_m, geodesic_length_m
from .schema import column_type_problems

__all__ = [
    "BATCH_VERTICES", "BORDER_TOLERANCE_KM", "CHECKPOINT_RADIUS_KM", "KM_PER_DEG", "OFFSHORE_LIMIT_KM",
    "SAME_COUNTRY_GAP_KM", "TRANSFER_KINDS", "WGS84", "Analysis", "Progress", "analyse", "border_crossings",
    "cached_result", "chain", "check_lines", "clear_cache", "implausible_offshore", "length_km", "lengths_by",
    "lengths_by_country", "transfers",
]

#: The most recent analysis (see :func:`clear_cache`).
_CACHE = ResultCache()


def clear_cache() -> None:
    """Forget the remembered analysis.

    :func:`analyse`, :func:`lengths_by_country` and :func:`border_crossings` remember
    their most recent overlay (one, keyed by the lines' geometry objects and key columns,
    the borders and the settings), so that reading a second table of the same lines costs
    no second overlay. It keeps the lines' geometries alive with it (their ids are its key),
    so clear it to release their memory and its own, or to time a cold run.
    """
    _CACHE.clear()


def cached_result() -> Analysis | batches.Batched | None:
    """The remembered analysis: an :class:`Analysis` (in memory), a
    :class:`corridors.batches.Batched` (tables of a run in batches or on dask's path), or
    None after :func:`clear_cache`."""
    return _CACHE.result


#: A progress wrapper: takes the list of work items, yields them (e.g. a progress bar).
Progress = Callable[[Iterable[Any]], Iterable[Any]]


#: Inputs of more than this many vertices are analysed by :func:`lengths_by_country` and
#: :func:`border_crossings` in batches of whole corridors of at most this many vertices
#: (a corridor with more is a batch of its own). The overlay needs about 350 bytes per
#: vertex, so a batch adds about 0.7 GB to the input's own memory.
BATCH_VERTICES = 2_000_000


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
    checked_lines(gdf)


def _with_settings(table: pd.DataFrame, admin_units: bool, border_tolerance_km: float | None) -> Any:
    """``table`` with the settings it was computed with in ``attrs`` (``admin_units``, ``border_tolerance_km``)."""
    table.attrs.update(admin_units=bool(admin_units),
                       border_tolerance_km=BORDER_TOLERANCE_KM if border_tolerance_km is None else float(border_tolerance_km))
    return table


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
    gdf = checked_lines(gdf)
    km = geodesic_length_m(gdf.geometry.values) / 1000.0
    cid = gdf["corridor_id"].to_numpy()
    branch = branch_of(gdf)
    if by_branch:
        out = pd.Series(km).groupby([cid, branch], sort=False).sum()
        out.index.names = ["corridor_id", "branch"]
    else:
        keep = main_rows(cid, branch)
        out = pd.Series(np.where(keep, km, 0.0)).groupby(cid, sort=False).sum()
        out.index.name = "corridor_id"
    out.name = "length_km"
    return out


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
    return chain_lines(checked_lines(gdf))[0]


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

    The most recent result is remembered, keyed by the lines (the same geometry objects,
    which shapely never changes in place, their CRS, and the values of ``corridor_id``,
    ``branch`` and ``mode``) and the border index, so that calling
    :func:`lengths_by_country` and then :func:`border_crossings` on the same lines
    overlays them once.
    """
    index = index_for(borders, admin_units, border_tolerance_km)
    key, keep, last = _remembered(gdf, index, check_edges(edges))
    if isinstance(last, Analysis):
        return last
    return _CACHE.remember(key, keep, overlay_lines(checked_lines(gdf), index, edges))


def _remembered(gdf: Any, index: BorderIndex, edges: str) -> tuple[Any, Any, Any]:
    """The key of these lines' result in the cache, what to keep alive with it, and the
    result remembered for it (or None).

    Lines with the remembered result's identity (see :func:`corridors._cache.identity`) were
    checked when it was made; only their column types (which the identity does not cover)
    are looked at again (a problem there leaves the result unused, for
    :func:`checked_lines` to report).
    """
    if not isinstance(gdf, gpd.GeoDataFrame) or "corridor_id" not in gdf.columns:
        return None, None, None  # checked_lines says what is wrong
    lines_key, geoms = identity(gdf)
    key = (id(index), lines_key, edges)
    last = _CACHE.recall(key)
    return key, (index, geoms), (last if last is not None and not column_type_problems(gdf) else None)


def _tables(gdf: Any, borders: gpd.GeoDataFrame | BorderIndex | None,
            progress: Progress | None = None, admin_units: bool = False,
            border_tolerance_km: float | None = None, edges: str = "geodesic",
            lengths: bool = True, crossings: bool = True) -> Analysis | batches.Batched:
    """The one dispatch of :func:`lengths_by_country` and :func:`border_crossings` to an executor.

    - A ``dask_geopandas.GeoDataFrame``: on dask, partition by partition
      (:func:`corridors.distributed.run`); only the tables asked for, not remembered.
    - A path to a GeoParquet file: in batches of whole corridors made from the file's
      columns as they are needed (:func:`corridors.batches.parquet_lines`), both tables,
      remembered by the file's path, size and modification time.
    - Otherwise the remembered result for the same lines, borders and settings if there is
      one; else in memory (:func:`corridors.engine.overlay_lines`) when the lines have at
      most :data:`BATCH_VERTICES` vertices, and in batches of whole corridors
      (:func:`corridors.batches.run`, both tables) when they have more. Either way it is
      remembered, so the second table costs no second overlay. ``progress`` wraps the
      list of batches of a batched run.
    """
    check_edges(edges)
    index = index_for(borders, admin_units, border_tolerance_km)
    if type(gdf).__module__.startswith("dask_geopandas"):  # dask backend, corridors[dask]
        return distributed.run(gdf, index, lengths=lengths, crossings=crossings, edges=edges)
    if isinstance(gdf, (str, os.PathLike)):  # a GeoParquet file, read batch by batch
        file = (id(index), batches.file_key(gdf), edges)
        last = _CACHE.recall(file)
        if last is not None:
            return last
        source, counts = batches.parquet_lines(gdf)
        return _CACHE.remember(file, index, batches.run_source(source, index, counts, batches.STEP_VERTICES,
                                                              progress=progress, edges=edges))
    key, keep, last = _remembered(gdf, index, edges)
    if last is not None:
        return last
    lines = checked_lines(gdf)
    vertices = shapely.get_num_coordinates(np.asarray(lines.geometry.values, dtype=object))
    if int(vertices.sum()) <= BATCH_VERTICES:
        return _CACHE.remember(key, keep, overlay_lines(lines, index, edges))
    step = min(BATCH_VERTICES, batches.STEP_VERTICES)
    return _CACHE.remember(key, keep, batches.run(lines, index, vertices, step, progress=progress, edges=edges))


def lengths_by_country(
    gdf: gpd.GeoDataFrame | str | os.PathLike[str],
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
    gdf : geopandas.GeoDataFrame, or str or path-like
        Lines (EPSG:4326) with ``corridor_id``; or the path of a GeoParquet file of such
        lines, which is analysed in batches of whole corridors without ever holding all its
        geometries (see Notes).
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
    remembered (keyed by the lines and the borders, like :func:`analyse`),
    so that calling both on the same lines overlays them once. A
    ``dask_geopandas.GeoDataFrame`` is analysed partition by partition on dask (see
    ``docs/SCALING.md``).

    A GeoParquet path is read as Arrow columns (the geometries stay WKB, about 16 bytes a
    vertex) and each batch of whole corridors is made into shapely geometries, checked and
    analysed on its own, so the file's geometries are never all in memory at once; the
    tables are those of the same lines read into a GeoDataFrame (same rows and order), and
    a problem raises a :class:`corridors.errors.DataError` naming the file and the row
    (0-based). Only the columns the analysis reads are loaded.
    """
    out = _tables(gdf, borders, progress, admin_units, border_tolerance_km, edges,
                  crossings=False).lengths_by_country(by_branch)
    return _with_settings(out, admin_units, border_tolerance_km)


def border_crossings(
    gdf: gpd.GeoDataFrame | str | os.PathLike[str],
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
    gdf : geopandas.GeoDataFrame, or str or path-like
        Lines (EPSG:4326) with ``corridor_id`` (and optionally ``branch``), or the path of
        a GeoParquet file of them (see :func:`lengths_by_country`).
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
    out = _tables(gdf, borders, progress, admin_units, border_tolerance_km, edges,
                  lengths=False).border_crossings(places)
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
    lines = checked_lines(gdf, extra=(by,))
    if by not in lines.columns or by in ("corridor_id", lines.geometry.name):
        cols = [c for c in lines.columns if c not in ("corridor_id", lines.geometry.name)]
        raise DataError(f"cannot split lengths by {by!r}; use 'country' or one of the columns: {', '.join(map(str, cols))}")
    cid, branch = lines["corridor_id"].to_numpy(), branch_of(lines)
    keys = ["corridor_id", "branch"] if by_branch and by != "branch" else ["corridor_id"]
    keep = np.ones(len(lines), bool) if by == "branch" or by_branch else main_rows(cid, branch)
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
    lines = checked_lines(gdf)
    chains, mem = chain_lines(lines)
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
    out["place"], out["place_km"] = nearest_place(x, y, places)
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
