"""The bundled data: which corridors ship, where their files are, how to load them, and the
shipped border index of the bundled borders."""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ._atomic import atomic_output
from .border_index import BorderIndex, border_index, index_arrays, index_from_arrays
from .errors import DataError, UnknownCorridorError
from .schema import PLACE_COLUMNS, SEGMENT_COLUMNS, validate_metadata, validate_places, validate_segments

#: Display and listing order of the bundled corridors.
CORRIDOR_ORDER: tuple[str, ...] = ("cku-railway", "line-d", "trans-caspian", "dushanbe-kulma")


def geodata_dir() -> Path:
    """Directory of the bundled geodata (inside the installed package).

    Returns
    -------
    pathlib.Path
    """
    return Path(str(resources.files("corridors.geodata")))


def list_corridors() -> list[str]:
    """Ids of the bundled corridors, in display order.

    Returns
    -------
    list of str
        e.g. ``["cku-railway", "line-d", "trans-caspian", "dushanbe-kulma"]``.
    """
    present = {p.stem for p in (geodata_dir() / "corridors").glob("*.geojson")}
    ordered = [c for c in CORRIDOR_ORDER if c in present]
    return ordered + sorted(present - set(ordered))


def read_collection(path: Path) -> dict[str, Any]:
    """A bundled GeoJSON FeatureCollection as parsed JSON.

    Raises
    ------
    DataError
        If the file cannot be read or is not a FeatureCollection.
    """
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read bundled layer: {exc}", path) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError("bundled layer is not a GeoJSON FeatureCollection", path)
    return data


def frame_of(features: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """GeoJSON features as a GeoDataFrame (EPSG:4326) with at least ``columns`` (None where absent)."""
    gdf = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    for col in columns:
        if col not in gdf.columns:
            gdf[col] = None
    return gdf[[*columns, "geometry"]]


@cache
def _load_cached(corridor_id: str) -> gpd.GeoDataFrame:
    path = geodata_dir() / "corridors" / f"{corridor_id}.geojson"
    data = read_collection(path)
    meta: dict[str, Any] = data.get("corridor")  # type: ignore[assignment]  # checked on the next line
    validate_metadata(meta, str(path))
    gdf = frame_of(data.get("features", []), SEGMENT_COLUMNS)
    if gdf.empty:
        raise DataError("bundled layer has no segments", path)
    gdf["gauge_mm"] = gdf["gauge_mm"].astype("Int64")
    gdf["accuracy_km"] = gdf["accuracy_km"].astype(float)
    validate_segments(gdf, meta["sources"], str(path))
    if set(gdf["corridor_id"]) != {corridor_id}:
        raise DataError(f"segments carry corridor_id other than {corridor_id!r}", path)
    gdf.attrs["corridor"] = meta
    return gdf


def load(corridor_id: str) -> gpd.GeoDataFrame:
    """Load one bundled corridor.

    Parameters
    ----------
    corridor_id : str
        One of :func:`list_corridors`.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString row per segment, EPSG:4326, columns
        :data:`corridors.schema.SEGMENT_COLUMNS`; the corridor metadata record
        (names, stated lengths with sources, cost, dates, ...) in ``.attrs["corridor"]``.

    Raises
    ------
    UnknownCorridorError
        If the id is not bundled; the message lists the valid ids.
    """
    valid = list_corridors()
    if corridor_id not in valid:
        raise UnknownCorridorError(corridor_id, valid)
    gdf = _load_cached(corridor_id).copy()
    gdf.attrs = copy.deepcopy(_load_cached(corridor_id).attrs)
    return gdf


def metadata(corridor_id: str) -> dict[str, Any]:
    """The metadata record of one bundled corridor (a copy).

    Parameters
    ----------
    corridor_id : str
        One of :func:`list_corridors`.

    Returns
    -------
    dict
        See ``docs/DATA_FORMAT.md``.
    """
    return load(corridor_id).attrs["corridor"]


def load_all(corridor_ids: list[str] | None = None) -> gpd.GeoDataFrame:
    """Load several bundled corridors into one GeoDataFrame.

    Parameters
    ----------
    corridor_ids : list of str, optional
        Which corridors; all bundled ones (in display order) by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Segments of every corridor; ``.attrs["corridors"]`` maps id -> metadata record.
    """
    ids = list_corridors() if corridor_ids is None else list(corridor_ids)
    layers = [load(cid) for cid in ids]
    gdf = gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs="EPSG:4326")
    gdf.attrs = {"corridors": {layer.attrs["corridor"]["id"]: layer.attrs["corridor"] for layer in layers}}
    return gdf


@lru_cache(maxsize=1)
def _places_cached() -> gpd.GeoDataFrame:
    frames = []
    sources: dict[str, dict[str, Any]] = {}
    for path in sorted((geodata_dir() / "places").glob("*.geojson")):
        data = read_collection(path)
        gdf = frame_of(data.get("features", []), PLACE_COLUMNS)
        gdf["accuracy_km"] = gdf["accuracy_km"].astype(float)
        validate_places(gdf, data.get("sources", []), str(path))
        for src in data.get("sources", []):
            known = sources.get(src["id"])
            if known is not None and known != src:
                raise DataError(f"source id {src['id']!r} means two different sources across place files", path)
            sources[src["id"]] = src
        frames.append(gdf)
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    dup = gdf["place_id"][gdf["place_id"].duplicated()]
    if len(dup):
        raise DataError(f"place_id(s) defined in two place files: {', '.join(dup)}", geodata_dir() / "places")
    gdf.attrs["sources"] = sources
    return gdf


def places() -> gpd.GeoDataFrame:
    """The bundled places: stations, ports, border checkpoints, break-of-gauge points, facilities.

    Returns
    -------
    geopandas.GeoDataFrame
        Points, EPSG:4326, columns :data:`corridors.schema.PLACE_COLUMNS`;
        ``.attrs["sources"]`` maps source id -> source record.
    """
    gdf = _places_cached().copy()
    gdf.attrs = copy.deepcopy(_places_cached().attrs)
    return gdf


@lru_cache(maxsize=1)
def _borders_cached() -> gpd.GeoDataFrame:
    path = geodata_dir() / "borders" / "countries.parquet"
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the bundled borders: {exc}", path) from exc


def borders() -> gpd.GeoDataFrame:
    """World country borders (Natural Earth 1:10m admin-0, public domain).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso3``, ``name``, ``geometry`` (valid (Multi)Polygons), EPSG:4326.
    """
    return _borders_cached().copy()


#: Version of the derived index file format; bump when the index changes meaning.
DERIVED_FORMAT = 3  # 2: mixed cells marked by boundary edge, not by chunk; 3: chunks stored, borders not read
#: The shipped index of the bundled borders, relative to the geodata folder.
DERIVED_PATH = "derived/border_index.npz"
#: The settings the shipped index is built with (the defaults of :func:`corridors.border_index.border_index`).
INDEX_BUILD: dict[str, Any] = {"max_vertices": 64, "chunk_size": 32, "cell_deg": 0.1}


def index_source_digest(parquet: Path) -> str:
    """What a derived index was built from: the borders file, the build settings, the format."""
    digest = hashlib.sha256(parquet.read_bytes())
    digest.update(json.dumps({**INDEX_BUILD, "format": DERIVED_FORMAT}, sort_keys=True).encode())
    return digest.hexdigest()


def save_index(index: BorderIndex, path: Path, source: str) -> None:
    """Write an index (with every grid cell resolved) to a compressed ``.npz`` (no pickles).

    Parameters
    ----------
    index : BorderIndex
        The index (see :func:`corridors.border_index.index_arrays`).
    path : pathlib.Path
        Output file.
    source : str
        Digest of what the index was built from (see :func:`index_source_digest`).
    """
    arrays: dict[str, Any] = {**index_arrays(index), "source": np.str_(source)}
    with atomic_output(path, make_parents=True) as tmp, open(tmp, "wb") as fh:  # never a half-written index
        np.savez_compressed(fh, **arrays)


def load_index(path: Path, source: str) -> BorderIndex | None:
    """Read an index written by :func:`save_index`; None if it is missing or built from other data.

    Parameters
    ----------
    path : pathlib.Path
        The ``.npz`` file.
    source : str
        The digest the index must have been built from (see :func:`index_source_digest`).

    Returns
    -------
    BorderIndex or None
        Made from the file alone (the borders layer is not read).
    """
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        if "source" not in data.files or str(data["source"]) != source:
            return None
        return index_from_arrays(data)


def write_bundled_index() -> Path:
    """Build the index of the bundled borders and write it to :data:`DERIVED_PATH` (for the builder script)."""
    parquet = geodata_dir() / "borders" / "countries.parquet"
    path = geodata_dir() / DERIVED_PATH
    save_index(border_index(borders(), **INDEX_BUILD), path, index_source_digest(parquet))
    return path


@lru_cache(maxsize=1)
def bundled_index() -> BorderIndex:
    """The analysis index of the bundled borders, once per process.

    Read from the shipped derived file (``geodata/derived/border_index.npz``, written by
    ``scripts/build_border_index.py``) when it was built from the bundled borders file as it
    is now, without reading the borders themselves (about 60 MB resident instead of 220 MB
    when the borders were read and the boundary rebuilt); built from the borders otherwise
    (a few seconds).
    """
    source = index_source_digest(geodata_dir() / "borders" / "countries.parquet")
    return load_index(geodata_dir() / DERIVED_PATH, source) or border_index(borders(), **INDEX_BUILD)
