"""Context data under the corridors on maps and figures (private): display borders, world
land, rivers and lakes, main towns and the trade figures, read from the bundled ``geodata/`` files.

Every layer here is public domain (Natural Earth) or carries its own sources (the trade file).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from . import catalog
from ._style import TRADE_RAMP
from .errors import DataError

#: Tolerance of the world land layer under offline maps, degrees (drawn outside the detailed box).
WORLD_TOLERANCE_DEG = 0.12
#: Display borders: margin around the data (longitude, latitude degrees) and simplification
#: tolerance (degrees, about 3 km: finer than a screen pixel at the zooms that show a corridor).
BORDER_MARGIN_DEG = (30.0, 14.0)
BORDER_TOLERANCE_DEG = 0.03
#: Lon/lat box that holds the five Central Asian countries (drawn whole when the trade layer is on).
TRADE_BOX: tuple[float, float, float, float] = (46.0, 35.0, 88.0, 56.0)


def map_box(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """The lon/lat box of the base map round some lines: their bounds plus :data:`BORDER_MARGIN_DEG`,
    rounded out to whole degrees and kept within ±180° longitude and ±85° latitude.

    Parameters
    ----------
    gdf : GeoDataFrame
        Lines in EPSG:4326.

    Returns
    -------
    tuple of float
        (west, south, east, north), degrees.
    """
    x0, y0, x1, y1 = gdf.total_bounds
    mx, my = BORDER_MARGIN_DEG
    return (max(math.floor(x0 - mx), -180.0), max(math.floor(y0 - my), -85.0),
            min(math.ceil(x1 + mx), 180.0), min(math.ceil(y1 + my), 85.0))


@lru_cache(maxsize=8)
def display_borders(box: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Bundled borders clipped to a lon/lat box and simplified for display (shared edges kept shared).

    The tolerance is :data:`BORDER_TOLERANCE_DEG` for a box up to 60° wide and grows with a
    wider box (a map of the whole world starts zoomed out), so the base map stays light.

    Parameters
    ----------
    box : tuple of float
        (west, south, east, north), degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        ``iso3``, ``name`` and the clipped, simplified polygons (3 decimals), EPSG:4326.
    """
    b = catalog.borders()
    b = b[b.intersects(shapely.box(*box))]
    geoms = shapely.clip_by_rect(b.geometry.values, *box)
    geoms = shapely.coverage_simplify(geoms, BORDER_TOLERANCE_DEG * max(1.0, (box[2] - box[0]) / 60.0))
    geoms = shapely.set_precision(geoms, 0.001)  # 3 decimals, kept valid (collapsed slivers dropped)
    out = gpd.GeoDataFrame({"iso3": b["iso3"].to_numpy(), "name": b["name"].to_numpy()}, geometry=geoms, crs=b.crs)
    return out[~out.geometry.is_empty].reset_index(drop=True)


@lru_cache(maxsize=1)
def world_land() -> np.ndarray:
    """Every country of the bundled borders simplified by :data:`WORLD_TOLERANCE_DEG` (2 decimals):
    the land of an offline map outside its detailed box.

    Returns
    -------
    numpy.ndarray
        Shapely polygons (no empty ones), lon/lat degrees.
    """
    b = catalog.borders()
    geoms = shapely.set_precision(shapely.coverage_simplify(b.geometry.values, WORLD_TOLERANCE_DEG), 0.01)
    return geoms[~shapely.is_empty(geoms)]


def _read_json(name: str, what: str) -> Any:
    """A JSON file of ``geodata/context``; a DataError naming the file when it cannot be read."""
    path = catalog.geodata_dir() / "context" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the {what} file: {exc}", path) from exc


@lru_cache(maxsize=1)
def trade_context() -> dict[str, Any]:
    """The bundled 2024 trade figures of the Central Asian countries with China, with sources.

    Returns
    -------
    dict
        The record in ``geodata/context/trade_china_2024.json`` (values in USD).
    """
    doc: dict[str, Any] = _read_json("trade_china_2024.json", "trade context")
    return doc


@lru_cache(maxsize=1)
def towns() -> gpd.GeoDataFrame:
    """The main towns drawn under the corridors: Natural Earth 1:110m populated places (public domain).

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` and Point geometry (EPSG:4326); ``.attrs["source"]`` names the source
        (built by ``scripts/build_towns.py``).
    """
    doc = _read_json("towns.geojson", "towns")
    gdf = gpd.GeoDataFrame({"name": [f["properties"]["name"] for f in doc["features"]]},
                           geometry=[shapely.Point(f["geometry"]["coordinates"]) for f in doc["features"]],
                           crs="EPSG:4326")
    gdf.attrs["source"] = doc["source"]
    return gdf


@lru_cache(maxsize=2)
def water(kind: str) -> gpd.GeoDataFrame:
    """The major rivers or lakes of the base map: Natural Earth 1:50m (public domain).

    Parameters
    ----------
    kind : {"rivers", "lakes"}
        Rivers and lake centre lines (lines, kept between 12°W and 150°E, 8°N and 75°N), or
        lakes and reservoirs (polygons, the whole world).

    Returns
    -------
    geopandas.GeoDataFrame
        Geometry only (EPSG:4326); ``.attrs["source"]`` names the source (built by
        ``scripts/build_context.py``).
    """
    if kind not in ("rivers", "lakes"):
        raise DataError(f"unknown water layer {kind!r}; known: rivers, lakes")
    doc = _read_json(f"{kind}.geojson", kind)
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in doc["features"]])
    gdf = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326")
    gdf.attrs["source"] = doc["source"]
    return gdf


def water_in(kind: str, box: tuple[float, float, float, float]) -> np.ndarray:
    """Rivers or lakes (:func:`water`) clipped to a lon/lat box and simplified for display by the
    tolerance :func:`display_borders` uses for that box.

    Parameters
    ----------
    kind : {"rivers", "lakes"}
        The layer.
    box : tuple of float
        (west, south, east, north), degrees.

    Returns
    -------
    numpy.ndarray
        Shapely geometries (no empty ones), lon/lat degrees, 3 decimals.
    """
    g = water(kind).geometry.values
    g = g[shapely.intersects(g, shapely.box(*box))]
    g = shapely.clip_by_rect(g, *box)
    g = shapely.simplify(g, BORDER_TOLERANCE_DEG * max(1.0, (box[2] - box[0]) / 60.0), preserve_topology=True)
    g = shapely.set_precision(g, 0.001)
    return np.asarray(g[~shapely.is_empty(g)])


def trade_classes(values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Classes of the trade choropleth: Fisher-Jenks natural breaks (mapclassify) in up to
    as many classes as :data:`corridors._style.TRADE_RAMP` has colours.

    Parameters
    ----------
    values : sequence of float
        Total trade of each country with China, USD.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Class of each value (0 = lowest) and the upper bound of each class, USD.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify's note that numba is not installed
        import mapclassify

        k = min(len(TRADE_RAMP), len(set(values)))
        cls = mapclassify.FisherJenks(np.asarray(values, dtype=float), k=k)
    return np.asarray(cls.yb), np.asarray(cls.bins)
