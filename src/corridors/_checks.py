"""Checks of the lines every analysis function takes, and the branch rules they share.

Private: imported by the engine, the executors and the public API; no public module
re-exports these names except :func:`corridors.analysis.check_lines`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._crs import WGS84, to_wgs84
from ._values import MAIN_BRANCH
from .errors import DataError
from .schema import column_type_problems, text_columns_as_objects

#: Rows per step of the coordinate checks of :func:`check_values` (bounds their temporary
#: copy of the coordinates: about 8 MB on the GEM corpus instead of 80 MB for all of it).
CHECK_ROWS = 5_000

#: Columns the analysis functions read (when present); others are left behind by :func:`checked_lines`.
USED_COLUMNS = ("corridor_id", "branch", "mode", "status", "gauge_mm")


def checked_lines(gdf: gpd.GeoDataFrame, extra: tuple[str, ...] = (), *, check: bool = True) -> gpd.GeoDataFrame:
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
    values = to_wgs84(gdf.geometry.values)
    kind = shapely.get_type_id(np.asarray(values, dtype=object))
    bad = (kind >= 0) & ~np.isin(kind, (1, 5)) & ~shapely.is_empty(np.asarray(values, dtype=object))
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        first = gdf.index[at]
        raise DataError(f"row {first!r}: {values[at].geom_type} geometry; lines are needed", feature=first)
    if check:
        check_values(gdf, np.asarray(values, dtype=object))
    cols = [c for c in dict.fromkeys((*USED_COLUMNS, *extra)) if c in gdf.columns and c != gdf.geometry.name]
    return text_columns_as_objects(gpd.GeoDataFrame({c: gdf[c].array for c in cols},
                                                    geometry=np.asarray(values, dtype=object),
                                                    crs=WGS84, index=gdf.index))


def row_name(gdf: gpd.GeoDataFrame, at: int) -> str:
    """How a message names row ``at``: its index label, and its segment id where it has one."""
    label = repr(gdf.index[at]) if not isinstance(gdf.index[at], (int, np.integer)) else str(gdf.index[at])
    if "segment_id" in gdf.columns and isinstance(gdf["segment_id"].iloc[at], str):
        label += f" (segment {gdf['segment_id'].iloc[at]!r})"
    return label


def check_values(gdf: gpd.GeoDataFrame, geoms: np.ndarray) -> None:
    """Refuse what cannot be measured: a missing ``corridor_id``, and coordinates that are
    NaN, infinite or out of range (|lon| > 180, |lat| > 90), which would otherwise give a
    silently wrong length (0 km, or 8,527 km for a longitude of 540)."""
    ids = gdf["corridor_id"].to_numpy(dtype=object)
    missing = pd.isna(ids)
    if missing.any():
        at = int(np.flatnonzero(missing)[0])
        raise DataError("corridor_id is missing; every line needs one", feature=row_name(gdf, at))
    wrong = column_type_problems(gdf)
    if wrong:
        at = min(wrong)
        raise DataError(wrong[at], feature=row_name(gdf, at))
    for start in range(0, len(geoms), CHECK_ROWS):  # in steps: a bounded copy of the coordinates
        xy = shapely.get_coordinates(geoms[start:start + CHECK_ROWS])
        with np.errstate(invalid="ignore"):  # one test first: False for NaN and infinities too
            if ((np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)).all():
                continue
            xy, owner = shapely.get_coordinates(geoms[start:start + CHECK_ROWS], return_index=True)
            nonfinite = ~(np.isfinite(xy[:, 0]) & np.isfinite(xy[:, 1]))
            out = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
        for bad, why in ((nonfinite, "coordinates are NaN or infinite"),
                         (out, "a coordinate is out of range (|lon| <= 180, |lat| <= 90): projected "
                               "coordinates in a frame without a CRS, or longitude past the antimeridian?")):
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                at = start + int(owner[k])
                raise DataError(f"{why} (lon {xy[k, 0]:g}, lat {xy[k, 1]:g})", feature=row_name(gdf, at))


def main_rows(corridor_id: np.ndarray, branch: np.ndarray) -> np.ndarray:
    """True for the rows of each corridor's main line.

    The main line is the rows whose branch is ``"main"`` (a missing branch is the main
    line); a corridor without such rows is all main line.
    """
    main = branch == MAIN_BRANCH
    has_main = pd.Series(main).groupby(pd.Series(corridor_id), sort=False).transform("any").to_numpy(bool)
    return main | ~has_main


def branch_of(gdf: pd.DataFrame) -> np.ndarray:
    """The branch of each row (``"main"`` where there is no ``branch`` column or value)."""
    if "branch" not in gdf.columns:
        return np.full(len(gdf), MAIN_BRANCH, dtype=object)
    return gdf["branch"].fillna(MAIN_BRANCH).astype(str).to_numpy(dtype=object)
