"""The one CRS of every result, and the one way to bring geometries into it.

Private: imported by the modules that read, check or build lon/lat geometries.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pyproj import CRS

#: The CRS of every result (one object: parsing "EPSG:4326" each time is slow).
WGS84 = CRS.from_epsg(4326)


@lru_cache(maxsize=16)
def is_wgs84(crs: CRS) -> bool:
    """True if ``crs`` is EPSG:4326 (lon/lat order as geopandas reads it)."""
    return bool(crs.equals(WGS84))


def to_wgs84(values: Any) -> Any:
    """Geometries (a GeoSeries, GeometryArray or GeoDataFrame) in EPSG:4326.

    Parameters
    ----------
    values : geopandas.GeoSeries, GeometryArray or GeoDataFrame
        Geometries with a CRS, or without one (taken to be lon/lat already).

    Returns
    -------
    The same kind of object: ``values`` itself when it is already in EPSG:4326 or has
    no CRS, else a transformed copy.
    """
    crs = values.crs
    if crs is None or is_wgs84(crs):
        return values
    return values.to_crs(WGS84)
