"""Lengths per corridor, country, mode and status; ordered border crossings; transfers.

Every function takes a GeoDataFrame of lines in EPSG:4326 with a ``corridor_id`` column
(the bundled layers from :func:`corridors.load`, or a user's lines from
:func:`corridors.read`). Lengths are WGS84 geodesic lengths in kilometres.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .borders import BorderIndex, border_index, bundled_index
from .errors import DataError, OutsideCountriesWarning
from .geodesy import geodesic_distance_m, geodesic_length_m
from .overlay import Pieces, overlay

#: Largest distance from a crossing to a named border checkpoint, km.
CHECKPOINT_RADIUS_KM = 25.0
_LINE_TYPES = ("LineString", "MultiLineString")


def _lines(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check the input of every analysis function; return it in EPSG:4326."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise DataError(f"expected a GeoDataFrame of lines, got {type(gdf).__name__}")
    if "corridor_id" not in gdf.columns:
        raise DataError("the GeoDataFrame has no 'corridor_id' column")
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geom = gdf.geometry
    present = geom.notna() & ~geom.is_empty
    bad = present & ~geom.geom_type.isin(_LINE_TYPES)
    if bad.any():
        first = gdf.index[bad.to_numpy()][0]
        raise DataError(f"row {first!r}: {geom[first].geom_type} geometry; lines are needed", feature=first)
    return gdf


def _index(borders: gpd.GeoDataFrame | BorderIndex | None) -> BorderIndex:
    if borders is None:
        return bundled_index()
    if isinstance(borders, BorderIndex):
        return borders
    return border_index(borders)


def _first_seen(values: pd.Series) -> dict[Any, int]:
    return {v: i for i, v in enumerate(pd.unique(values))}


def length_km(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic length of each corridor on WGS84.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.

    Returns
    -------
    pandas.Series
        Kilometres, indexed by ``corridor_id`` in order of first appearance.
    """
    gdf = _lines(gdf)
    km = pd.Series(geodesic_length_m(gdf.geometry.values) / 1000.0, index=gdf.index)
    out = km.groupby(gdf["corridor_id"].to_numpy(), sort=False).sum()
    out.index.name = "corridor_id"
    out.name = "length_km"
    return out


@dataclass
class Analysis:
    """One overlay of lines with borders, from which the per-country tables are read.

    Build it with :func:`analyse`; :func:`lengths_by_country` and
    :func:`border_crossings` are shortcuts that build one and read one table.
    """

    lines: gpd.GeoDataFrame
    chains: gpd.GeoDataFrame
    index: BorderIndex
    pieces: Pieces = field(repr=False)

    def lengths_by_country(self) -> pd.DataFrame:
        """See :func:`lengths_by_country`."""
        p = self.pieces
        cid = self.chains["corridor_id"].to_numpy()[p.row]
        df = pd.DataFrame({"corridor_id": cid, "region": p.region, "length_m": p.length_m,
                           "order": np.arange(len(p))})
        grouped = df.groupby(["corridor_id", "region"], sort=False).agg(
            length_m=("length_m", "sum"), order=("order", "min")).reset_index()
        iso3, name = self.index.label(grouped["region"].to_numpy())
        corridor_rank = grouped["corridor_id"].map(_first_seen(self.lines["corridor_id"]))
        out = pd.DataFrame({
            "corridor_id": grouped["corridor_id"],
            "iso3": iso3,
            "country": name,
            "length_km": grouped["length_m"] / 1000.0,
        })
        total = out.groupby("corridor_id")["length_km"].transform("sum")
        out["share"] = np.where(total > 0, out["length_km"] / total.where(total > 0, 1.0), 0.0)
        out = out.assign(_c=corridor_rank, _o=grouped["order"]).sort_values(["_c", "_o"])
        self._warn_outside()
        return out.drop(columns=["_c", "_o"]).reset_index(drop=True)

    def _warn_outside(self) -> None:
        p = self.pieces
        inside = np.zeros(len(self.chains), bool)
        inside[p.row[p.region >= 0]] = True
        if "mode" in self.chains.columns:
            inside |= (self.chains["mode"] == "sea").to_numpy()
        has_len = np.bincount(p.row, weights=p.length_m, minlength=len(self.chains)) > 0
        outside = ~inside & has_len
        if outside.any():
            ids = pd.unique(self.chains["corridor_id"].to_numpy()[outside])
            shown = ", ".join(map(str, ids[:5])) + (" ..." if len(ids) > 5 else "")
            warnings.warn(
                f"{int(outside.sum())} line(s) of {len(ids)} corridor(s) lie wholly outside every "
                f"country ({shown}); are latitude and longitude swapped?",
                OutsideCountriesWarning,
                stacklevel=3,
            )

    def border_crossings(self, places: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """See :func:`border_crossings`."""
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
        x, y = p.x1[k], p.y1[k]
        out["checkpoint"], out["checkpoint_km"] = _nearest_checkpoint(x, y, places)
        out.insert(2, "seq", out.groupby(["corridor_id", "branch"], sort=False).cumcount() + 1)
        return gpd.GeoDataFrame(out, geometry=shapely.points(x, y), crs="EPSG:4326")


def _nearest_checkpoint(x: np.ndarray, y: np.ndarray, places: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    names = np.full(len(x), "", dtype=object)
    dist = np.full(len(x), np.nan)
    if places is None:
        from .catalog import places as bundled_places

        places = bundled_places()
    cp = places[places["kind"] == "border-checkpoint"] if "kind" in places.columns else places.iloc[0:0]
    if not len(x) or not len(cp):
        return names, dist
    px, py = shapely.get_x(cp.geometry.values), shapely.get_y(cp.geometry.values)
    d = geodesic_distance_m(x[:, None], y[:, None], px[None, :], py[None, :]) / 1000.0
    best = np.argmin(d, axis=1)
    best_d = d[np.arange(len(x)), best]
    near = best_d <= CHECKPOINT_RADIUS_KM
    names[near] = cp["name"].to_numpy()[best[near]]
    dist[near] = best_d[near]
    return names, dist


def chain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Join the segments of each corridor and branch into continuous lines.

    Segments may come in any order and direction. Segments meeting end to end are merged;
    each merged line keeps the direction of the majority (by length) of its segments.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines with ``corridor_id`` and optionally ``branch`` (default ``"main"``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``corridor_id``, ``branch``, ``part`` (1, 2, ... for pieces that do not connect,
        in order of their first segment in the input), LineString geometry; plus
        ``mode`` where the input has one and it is the same for the whole line.
    """
    gdf = _lines(gdf)
    branch = gdf["branch"].fillna("main").astype(str) if "branch" in gdf.columns else pd.Series("main", index=gdf.index)
    parts, src = shapely.get_parts(gdf.geometry.values, return_index=True)
    keep = ~shapely.is_empty(parts)
    parts, src = parts[keep], src[keep]
    cid = gdf["corridor_id"].to_numpy()[src]
    br = branch.to_numpy()[src]
    mode = gdf["mode"].to_numpy()[src] if "mode" in gdf.columns else None
    records: list[tuple[Any, str, int, Any, Any]] = []
    key = pd.DataFrame({"c": cid, "b": br})
    for (c, b), idx in key.groupby(["c", "b"], sort=False).indices.items():
        merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(parts[idx])))
        members = parts[idx]
        owner = _owner(merged, members)
        first = np.array([idx[owner == m].min() if (owner == m).any() else np.iinfo(np.intp).max
                          for m in range(len(merged))])
        for number, m in enumerate(np.argsort(first, kind="stable"), start=1):
            line = merged[m]
            mine = members[owner == m]
            if len(mine) and _reversed_majority(line, mine):
                line = shapely.reverse(line)
            seg_modes = pd.unique(mode[idx][owner == m]) if mode is not None else []
            records.append((c, b, number, seg_modes[0] if len(seg_modes) == 1 else None, line))
    out = gpd.GeoDataFrame(records, columns=["corridor_id", "branch", "part", "mode", "geometry"],
                           geometry="geometry", crs="EPSG:4326")
    if mode is None:
        out = out.drop(columns="mode")
    return out


def _owner(merged: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Which merged line each member segment belongs to."""
    if len(merged) == 1:
        return np.zeros(len(members), dtype=np.intp)
    mid = shapely.line_interpolate_point(members, 0.5, normalized=True)
    d = shapely.distance(merged[:, None], mid[None, :])
    return np.argmin(d, axis=0)


def _reversed_majority(line: shapely.LineString, members: np.ndarray) -> bool:
    start = shapely.line_locate_point(line, shapely.get_point(members, 0))
    end = shapely.line_locate_point(line, shapely.get_point(members, -1))
    weight = shapely.length(members)
    return float(weight[end < start].sum()) > float(weight[end > start].sum())


def analyse(gdf: gpd.GeoDataFrame, borders: gpd.GeoDataFrame | BorderIndex | None = None) -> Analysis:
    """Chain the lines and overlay them with the borders once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons with ``iso3`` and ``name``; the bundled Natural Earth borders by default.

    Returns
    -------
    Analysis
        Read ``.lengths_by_country()`` and ``.border_crossings()`` from it.
    """
    lines = _lines(gdf)
    index = _index(borders)
    chains = chain(lines)
    pieces = overlay(chains.geometry.values, index)
    return Analysis(lines=lines, chains=chains, index=index, pieces=pieces)


def lengths_by_country(gdf: gpd.GeoDataFrame, borders: gpd.GeoDataFrame | BorderIndex | None = None) -> pd.DataFrame:
    """Geodesic length of each corridor in each country.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (EPSG:4326) with ``corridor_id``.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons (``iso3``, ``name``); the bundled borders by default.

    Returns
    -------
    pandas.DataFrame
        ``corridor_id``, ``iso3``, ``country``, ``length_km``, ``share`` (0-1 of the
        corridor's length), in route order. Parts outside every country have ``iso3 == ""``
        and ``country`` "Caspian Sea" (where they are in it) or "outside any country".
        The rows of a corridor add up to its :func:`length_km`.

    Warns
    -----
    OutsideCountriesWarning
        If a (non-sea) line lies wholly outside every country.
    """
    return analyse(gdf, borders).lengths_by_country()


def border_crossings(
    gdf: gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    places: gpd.GeoDataFrame | None = None,
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

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing: ``corridor_id``, ``branch``, ``seq`` (1, 2, ... along the
        branch), ``part``, ``km`` (geodesic km from the start of the line),
        ``from_iso3``, ``to_iso3``, ``from_country``, ``to_country``, ``checkpoint``
        (nearest border checkpoint within 25 km, else ""), ``checkpoint_km``, Point
        geometry. Leaving land for the sea (or a sea for land) is not a crossing.
    """
    return analyse(gdf, borders).border_crossings(places)
