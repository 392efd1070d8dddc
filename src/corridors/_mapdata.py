"""What a map or figure shows (private): the lines chosen, their metadata and display order,
the places and towns that go with them, and the label records both draw by rank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from . import analysis, catalog
from ._context import towns
from ._html import text
from .errors import DataError

#: Place kinds labelled at the first view (the others when zoomed in by :data:`LABEL_DEEPER` levels).
KEY_KINDS: tuple[str, ...] = ("break-of-gauge", "border-checkpoint", "port")
#: Zoom levels past the first view at which the labels of passes and facilities show.
LABEL_DEEPER = 1.5
#: Place kinds labelled only from :data:`LABEL_DEEPER` zoom levels past the first view.
DEEP_KINDS: tuple[str, ...] = ("pass", "facility")


def select(data: Any) -> gpd.GeoDataFrame:
    """The lines to draw, in EPSG:4326, from an id, a list of ids, a GeoDataFrame or None.

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        A bundled corridor id, ids, a user's lines, or None (every bundled corridor).

    Returns
    -------
    geopandas.GeoDataFrame
        The lines (a user's lines without their null or empty geometries, checked); an
        unknown id or a bad input raises as :func:`corridors.maps.render_map` says.
    """
    if data is None:
        return catalog.load_all()
    if isinstance(data, str):
        return catalog.load_all([data])
    if isinstance(data, gpd.GeoDataFrame):
        gdf = data if data.crs is None or data.crs.equals("EPSG:4326") else data.to_crs("EPSG:4326")
        geom = gdf.geometry
        gdf = gdf[geom.notna() & ~geom.is_empty]
        if gdf.empty:
            raise DataError("nothing to map: the GeoDataFrame has no non-empty geometry")
        analysis.check_lines(gdf)
        return gdf
    if isinstance(data, (list, tuple)) and all(isinstance(d, str) for d in data):
        return catalog.load_all(list(data))
    raise DataError(f"render_map needs a corridor id, a list of ids or a GeoDataFrame, not {type(data).__name__}")


def metadata(gdf: gpd.GeoDataFrame) -> dict[Any, dict[str, Any]]:
    """Corridor id -> metadata record, from ``.attrs`` (bundled data) or empty (user data)."""
    records = dict(gdf.attrs.get("corridors") or {})
    one = gdf.attrs.get("corridor")
    if isinstance(one, dict) and "id" in one:
        records.setdefault(one["id"], one)
    return {k: v for k, v in records.items() if isinstance(v, dict)}


def display_order(ids: Sequence[Any]) -> list[Any]:
    """Corridor ids in catalogue order, then the others in order of first appearance."""
    present = list(pd.unique(pd.Series(ids, dtype=object)))
    known = [c for c in catalog.CORRIDOR_ORDER if c in present]
    return known + [c for c in present if c not in known]


def column(gdf: pd.DataFrame, name: str) -> np.ndarray:
    """A column as an object array, missing values as None (all None when the column is missing)."""
    if name not in gdf.columns:
        return np.full(len(gdf), None, dtype=object)
    values = gdf[name].astype(object).to_numpy(copy=True)
    values[pd.isna(values)] = None
    return values


def places_of(corridor_ids: Sequence[Any]) -> gpd.GeoDataFrame:
    """The bundled places that belong to any of the given corridors.

    Parameters
    ----------
    corridor_ids : sequence of str
        Corridor ids.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of :func:`corridors.places` whose ``corridor_ids`` name one of them.
    """
    pl = catalog.places()
    wanted = set(corridor_ids)
    ids = pl["corridor_ids"].fillna("").str.split(r"\s*;\s*")
    return pl[ids.apply(lambda xs: bool(wanted.intersection(xs))).to_numpy()]


def towns_near(gdf: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None,
               box: tuple[float, float, float, float] | None = None) -> gpd.GeoDataFrame:
    """The main towns inside the lines' box (plus 1°) or a given box, less those a bundled place
    already marks (within 0.1°, about 10 km).

    Parameters
    ----------
    gdf : GeoDataFrame
        The lines, EPSG:4326.
    places : GeoDataFrame or None
        The bundled places drawn with them.
    box : tuple of float, optional
        (west, south, east, north), degrees; default: the lines' bounds plus 1°.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of :func:`corridors._context.towns`.
    """
    x0, y0, x1, y1 = box if box is not None else gdf.total_bounds + np.array([-1.0, -1.0, 1.0, 1.0])
    t = towns()
    xy = shapely.get_coordinates(t.geometry.values)
    keep = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    if places is not None and len(places):
        pxy = shapely.get_coordinates(places.geometry.values)
        d = np.hypot(xy[:, None, 0] - pxy[None, :, 0], xy[:, None, 1] - pxy[None, :, 1]).min(axis=1)
        keep &= d > 0.1
    return t[keep]


def short_name(name: Any) -> str:
    """A place name without its bracketed note, for a label."""
    return re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)


def termini(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Lon/lat (n x 2, degrees) of the ends of each corridor's network: segment ends that no
    other segment end of the corridor lies within 0.02° (about 2 km) of."""
    ends = []
    cid = column(gdf, "corridor_id")
    for c in pd.unique(pd.Series(cid, dtype=object)):
        geoms = shapely.force_2d(gdf.geometry.values[cid == c])
        parts = shapely.get_parts(geoms)
        pts = np.concatenate([shapely.get_coordinates(shapely.get_point(parts, 0)),
                              shapely.get_coordinates(shapely.get_point(parts, -1))])
        near = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1]) < 0.02
        ends.append(pts[near.sum(axis=1) == 1])
    return np.concatenate(ends) if ends else np.empty((0, 2))


def labels_data(gdf: gpd.GeoDataFrame, shown: gpd.GeoDataFrame | None, iso3s: Iterable[str],
                places: gpd.GeoDataFrame | None) -> list[dict[str, Any]]:
    """Label records for the page or figure, placed there by rank without overlap.

    Countries the lines cross are labelled at the pole of inaccessibility of their part inside
    the lines' bounding box (rank 1); the places at the ends of each corridor (rank 0), the breaks of gauge,
    checkpoints and ports (rank 2), the towns and stations (rank 3) at the first view, passes
    and facilities (rank 3) from :data:`LABEL_DEEPER` zoom levels deeper.

    Parameters
    ----------
    gdf : GeoDataFrame
        The lines, EPSG:4326.
    shown : GeoDataFrame or None
        The display borders (``iso3``, ``name``); None: no country labels.
    iso3s : iterable of str
        The countries the lines cross.
    places : GeoDataFrame or None
        The bundled places drawn.

    Returns
    -------
    list of dict
        ``lat``, ``lon`` (degrees), ``text`` (escaped), ``cls`` (CSS classes), ``rank`` and
        ``dz`` (zoom levels past the first view at which the label shows).
    """
    out: list[dict[str, Any]] = []
    x0, y0, x1, y1 = gdf.total_bounds
    if shown is not None:
        near = shown[shown["iso3"].isin(set(iso3s))]
        # within the lines' own box, so that the label is in the first view
        box = (x0 - 0.05, y0 - 0.05, x1 + 0.05, y1 + 0.05)  # never empty, even round one level line
        for name, geom in zip(near["name"], shapely.clip_by_rect(near.geometry.values, *box)):
            polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
            if not polys:
                continue
            big = max(polys, key=lambda p: p.area)
            pt = shapely.ops.polylabel(big, tolerance=0.05)
            out.append({"lat": round(pt.y, 4), "lon": round(pt.x, 4), "text": text(name),
                        "cls": "corridors-label-country", "rank": 1, "dz": 0})
    if places is not None and len(places):
        xy = shapely.get_coordinates(places.geometry.values)
        ends = termini(gdf)
        is_end = np.zeros(len(places), dtype=bool)
        for e in ends:
            d = np.hypot(*(xy - e).T)
            if d.min() < 0.25:
                is_end[int(d.argmin())] = True
        seen: list[tuple[str, float, float]] = []
        for (lon, lat), name, kind, end in zip(xy, places["name"], places["kind"], is_end):
            if any(t == short_name(name) and abs(lon - x) + abs(lat - y) < 0.5 for t, x, y in seen):
                continue  # one label for two places of one name side by side (the two posts of a border)
            seen.append((short_name(name), lon, lat))
            rank, cls, dz = ((0, "corridors-label-end", 0) if end else (2, "corridors-label-key", 0)
                             if kind in KEY_KINDS else (3, "corridors-label-place",
                                                        LABEL_DEEPER if kind in DEEP_KINDS else 0))
            out.append({"lat": round(float(lat), 5), "lon": round(float(lon), 5), "text": text(short_name(name)),
                        "cls": f"corridors-label {cls}", "rank": rank, "dz": dz})
    return out
