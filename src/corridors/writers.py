"""Writing layers out: GeoJSON, GeoPackage, GeoParquet, CSV (WKT) and JSON, metadata included.

:func:`write` exports any layer (segments, places, crossings, a user's lines, or a table
without geometry) with its ``.attrs`` metadata (see :func:`write` for where each format
keeps it); :func:`corridors.io.read` brings the metadata back into ``.attrs``, so that an
export read back gives the same rows, columns, values and geometry.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._atomic import atomic_output
from ._formats import EXPORT_FORMATS, FORMAT_ALIASES, METADATA_KEY, RESERVED_MEMBERS, export_format
from ._values import json_default
from .errors import DataError, caller_stacklevel


def _format_of(path: Path, format: str | None, has_geometry: bool) -> str:
    """The export format named by ``format`` or, failing that, by the file suffix."""
    if format is not None:
        fmt = FORMAT_ALIASES.get(format.lower(), format.lower())
    else:
        by_suffix = export_format(path.suffix, has_geometry)
        if by_suffix is None:
            raise DataError(f"cannot tell the export format from the suffix {path.suffix.lower() or '(none)'!r}; "
                            f"give format= one of {', '.join(EXPORT_FORMATS)}", path)
        fmt = by_suffix
    if fmt not in EXPORT_FORMATS:
        raise DataError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}", path)
    if not has_geometry and fmt in ("geojson", "gpkg"):
        raise DataError(f"a table without geometry cannot be written as {fmt}; use csv, json or parquet", path)
    return fmt


def _json_attrs(attrs: dict[str, Any], path: Path) -> dict[str, Any]:
    """The ``.attrs`` entries that are JSON data (numpy scalars made plain)."""
    try:
        return json.loads(json.dumps(attrs, default=json_default, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise DataError(f"the layer's .attrs metadata cannot be stored as JSON: {exc}", path) from exc


def _export_table(df: pd.DataFrame, fmt: str, path: Path) -> pd.DataFrame:
    """The attribute columns as the format can store them.

    Nested values (dicts, lists) become JSON text. In the typed formats (GeoPackage,
    GeoParquet, CSV) a column holding values of several types (e.g. text in some rows,
    numbers in others) is written as text, and an ``object`` column of integers as
    nullable integers; GeoJSON keeps every JSON value as it is.
    """
    out = pd.DataFrame(df).copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if series.dtype.kind == "M" and fmt in ("geojson", "csv"):
            out[col] = series.map(lambda v: None if pd.isna(v) else v.isoformat()).astype(object)
            continue
        if series.dtype != object:
            continue
        values = series.to_numpy()
        present = ~pd.isna(values)
        kind = pd.api.types.infer_dtype(values[present], skipna=True)
        if kind in ("string", "empty"):
            continue
        nested = np.array([isinstance(v, (dict, list, tuple)) for v in values[present]], dtype=bool)
        if nested.any():
            values = values.copy()
            idx = np.flatnonzero(present)[nested]
            values[idx] = [json.dumps(v, ensure_ascii=False, default=json_default) for v in values[idx]]
            kind = pd.api.types.infer_dtype(values[present], skipna=True)
        if fmt == "geojson":
            out[col] = values
        elif kind == "integer" and _fits_int64(values[present]):
            out[col] = pd.array(np.where(present, values, None), dtype="Int64")
        elif kind in ("floating", "mixed-integer-float") and _fits_float(values[present]):
            out[col] = np.array([float(v) if p else np.nan for v, p in zip(values, present)], dtype=float)
        elif kind == "boolean" and present.all():
            out[col] = values.astype(bool)
        else:  # mixed types: text, missing values stay missing
            out[col] = np.array([str(v) if p else None for v, p in zip(values, present)], dtype=object)
    return out


def _fits_int64(values: np.ndarray) -> bool:
    """True if every value is an integer that a 64-bit integer column can hold."""
    return all(-(2**63) <= int(v) < 2**63 for v in values)


def _fits_float(values: np.ndarray) -> bool:
    """True if every value converts to a float (an integer beyond 1.8e308 does not)."""
    try:
        [float(v) for v in values]
    except OverflowError:
        return False
    return True


def _geojson_value_lists(table: pd.DataFrame, path: Path) -> list[list[Any]]:
    """Each column as a list of JSON values (missing -> None)."""
    lists = []
    for col in table.columns:
        series = table[col]
        values = series.astype(object).where(series.notna(), None).tolist()
        if series.dtype.kind == "f" and not np.isfinite(series.dropna().to_numpy()).all():
            raise DataError(f"column {col!r} holds infinite numbers, which GeoJSON cannot store", path)
        lists.append([v.item() if isinstance(v, np.generic) else v for v in values]
                     if series.dtype == object else values)
    return lists


def _write_geojson(gdf: gpd.GeoDataFrame, table: pd.DataFrame, attrs: dict[str, Any], path: Path) -> None:
    geoms = gdf.geometry.to_crs("EPSG:4326").to_numpy() if gdf.crs is not None else gdf.geometry.to_numpy()
    names = list(table.columns)
    columns = _geojson_value_lists(table, path)
    features = [{"type": "Feature", "properties": dict(zip(names, values)),
                 "geometry": None if g is None else g.__geo_interface__}
                for g, values in zip(geoms, zip(*columns) if columns else [()] * len(geoms))]
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    for key, value in attrs.items():
        if key in RESERVED_MEMBERS:
            raise DataError(f".attrs key {key!r} clashes with a GeoJSON member name", path)
        doc[key] = value
    doc["features"] = features
    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, default=json_default)
    except (TypeError, ValueError) as exc:
        raise DataError(f"cannot write as GeoJSON: {exc}", path) from exc
    path.write_text(text, encoding="utf-8")


def _case_renames(columns: list[str]) -> dict[str, str]:
    """New names for columns equal to an earlier one but for case (``Name`` after ``name`` -> ``Name_2``)."""
    taken = {c.lower() for c in columns}
    seen: set[str] = set()
    renames = {}
    for col in columns:
        if col.lower() in seen:
            k = 2
            while f"{col}_{k}".lower() in taken:
                k += 1
            renames[col] = f"{col}_{k}"
            taken.add(renames[col].lower())
        seen.add(col.lower())
    return renames


def _write_gpkg(gdf: gpd.GeoDataFrame, table: pd.DataFrame, attrs: dict[str, Any], path: Path) -> None:
    import pyogrio

    for col in table.columns:
        if table[col].dtype.kind in "OT" or str(table[col].dtype) == "str":
            text = table[col].dropna().astype(str)
            if text.str.contains("\x00", regex=False).any():
                raise DataError(f"column {col!r} holds a NUL character, which GeoPackage text cannot store", path)
    renames = _case_renames(list(table.columns))
    if renames:
        warnings.warn(f"{path.name}: GeoPackage column names ignore case; renamed "
                      + ", ".join(f"{a!r} -> {b!r}" for a, b in renames.items()), UserWarning, stacklevel=caller_stacklevel())
        table = table.rename(columns=renames)
    out = gpd.GeoDataFrame(table, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    kinds = set(shapely.get_type_id(out.geometry.to_numpy()[out.geometry.notna().to_numpy()]).tolist())
    try:
        # the feature-id column gets a name of its own, so a property called "fid" stays a property
        pyogrio.write_dataframe(out, path, layer=path.stem, driver="GPKG", promote_to_multi=False,
                                geometry_type=None if len(kinds) <= 1 else "Unknown",
                                layer_options={"FID": "corridors_fid"},
                                layer_metadata={METADATA_KEY: json.dumps(attrs, ensure_ascii=False)} if attrs else None)
    except pyogrio.errors.DataSourceError as exc:
        raise DataError(f"cannot write the GeoPackage: {exc}", path) from exc
    except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
        raise DataError(f"cannot write as GeoPackage: {exc}", path) from exc


def _write_parquet(df: pd.DataFrame, table: pd.DataFrame, attrs: dict[str, Any], path: Path) -> None:
    import pyarrow.parquet as pq

    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        gpd.GeoDataFrame(table, geometry=df.geometry.to_numpy(), crs=df.crs).to_parquet(path, index=False)
    else:
        table.to_parquet(path, index=False)
    if attrs:  # add the metadata to the file's key-value metadata next to 'geo' and 'pandas'
        arrow = pq.read_table(path)
        meta = dict(arrow.schema.metadata or {})
        meta[METADATA_KEY.encode()] = json.dumps(attrs, ensure_ascii=False).encode()
        pq.write_table(arrow.replace_schema_metadata(meta), path)


def _wkt_body(gtype: str, coords: Any) -> str:
    """WKT text of a geometry's coordinates, every number as Python's shortest exact repr."""
    def pos(p: Any) -> str:
        return " ".join(repr(float(v)) for v in p)

    def ring(r: Any) -> str:
        return "(" + ", ".join(pos(p) for p in r) + ")"

    if gtype == "Point":
        return "(" + pos(coords) + ")"
    if gtype in ("LineString", "MultiPoint"):
        return ring(coords) if gtype == "LineString" else "(" + ", ".join("(" + pos(p) + ")" for p in coords) + ")"
    if gtype in ("Polygon", "MultiLineString"):
        return "(" + ", ".join(ring(r) for r in coords) + ")"
    return "(" + ", ".join("(" + ", ".join(ring(r) for r in poly) + ")" for poly in coords) + ")"  # MultiPolygon


def _wkt(geom: Any) -> str | None:
    """Exact WKT (GEOS rounds to a fixed number of decimals, losing digits of small numbers)."""
    if geom is None:
        return None
    if geom.is_empty:
        return geom.wkt
    gi = geom.__geo_interface__
    if gi["type"] == "GeometryCollection":
        return "GEOMETRYCOLLECTION (" + ", ".join(_wkt(g) or "" for g in geom.geoms) + ")"
    z = " Z" if geom.has_z else ""
    return f"{gi['type'].upper()}{z} {_wkt_body(gi['type'], gi['coordinates'])}"


def _write_csv(df: pd.DataFrame, table: pd.DataFrame, path: Path) -> None:
    out = table.copy()
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geoms = df.geometry.to_crs("EPSG:4326") if df.crs is not None else df.geometry
        out["geometry"] = [_wkt(g) for g in geoms.to_numpy()]
    types = []
    for col in out.columns:
        kind = out[col].dtype.kind
        types.append("WKT" if col == "geometry" and "geometry" not in table.columns else
                     "Integer64" if kind in "iu" else "Real" if kind == "f" else "String")
    # CRLF line ends (RFC 4180) make the csv writer quote any field holding \r or \n
    out.to_csv(path, index=False, lineterminator="\r\n", float_format="%.17g")
    path.with_suffix(".csvt").write_text(",".join(f'"{t}"' for t in types) + "\n", encoding="utf-8")


def write(data: pd.DataFrame, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Export a layer or a table: GeoJSON, GeoPackage, GeoParquet, CSV (WKT) or JSON.

    Parameters
    ----------
    data : geopandas.GeoDataFrame or pandas.DataFrame
        Any loaded or computed layer (segments, places, border crossings, a user's lines)
        or a table without geometry (e.g. lengths by country).
    path : str or PathLike
        The file to write. An existing file is replaced atomically: the new file is
        written in full next to it and renamed over it, so that on any failure the old
        file is untouched. A symbolic link is written through (the file it points to is
        replaced). A folder, a special file or a file the layer was read from
        (its ``source_file`` column) is refused.
    format : {"geojson", "gpkg", "parquet", "csv", "json"}, optional
        Default: from the suffix (``.geojson``, ``.gpkg``, ``.parquet``/``.geoparquet``,
        ``.csv``, ``.json`` = GeoJSON for layers, a JSON list of row objects for tables).

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    The ``.attrs`` metadata (``corridor``, ``corridors``, ``skipped``, ``sources``, ...)
    goes where each format keeps metadata, and :func:`read` brings it back:

    - GeoJSON (RFC 7946, lon/lat, other CRSs are transformed): each entry is a foreign
      member of the FeatureCollection, as in the bundled files (``"corridor": {...}``).
    - GeoPackage: one layer named after the file; the entries as JSON text in the layer's
      metadata item ``corridors`` (GDAL stores it in the ``gpkg_metadata`` table, linked
      to the layer by ``gpkg_metadata_reference``).
    - GeoParquet: the entries as JSON text under the key ``corridors`` of the file's
      key-value metadata (next to ``geo``).
    - CSV: geometry as a WKT column ``geometry`` (lon/lat, every number exact) and a
      GDAL ``.csvt`` sidecar naming each column's type; no metadata. Empty strings come
      back as missing values. The sidecar is renamed into place just before the CSV, so
      only a kill between those two renames could pair an old CSV with a new sidecar.
    - JSON (tables): a list of row objects; no metadata.

    GeoPackage column names ignore case: a column equal to an earlier one but for case is
    renamed with a ``_2`` (``_3``, ...) suffix, with a warning.

    In the typed formats (GeoPackage, GeoParquet, CSV) a column mixing value types (e.g.
    ``OBJECTID`` as text in one source file and a number in another), or holding integers
    beyond 64 bits, is written as text;
    nested values are written as JSON text in every format. NaN becomes null.

    Raises
    ------
    DataError
        For an unknown format, a table without geometry as GeoJSON/GeoPackage, values a
        format cannot store (a NUL character in GeoPackage text, an infinite number in
        GeoJSON), metadata that is not JSON data, a refused target, or a file that cannot
        be written (the target is then unchanged).
    """
    target = Path(path)
    has_geometry = isinstance(data, gpd.GeoDataFrame) and data._geometry_column_name in data.columns
    fmt = _format_of(target, format, has_geometry)
    attrs = _json_attrs(dict(data.attrs), target)
    # pandas deep-copies .attrs on every operation; work on a copy without them (large skip lists are slow)
    data = data.copy(deep=False)
    data.attrs = {}
    attributes = data.drop(columns=data.geometry.name) if has_geometry else data
    table = None if fmt == "json" else _export_table(attributes, fmt, target)
    with atomic_output(target, _source_files(data), sidecars=(".csvt",) if fmt == "csv" else ()) as tmp:
        try:
            if fmt == "json":
                from .tables import render

                tmp.write_text(render(data, "json"), encoding="utf-8")
            elif fmt == "geojson":
                _write_geojson(data, table, attrs, tmp)
            elif fmt == "gpkg":
                _write_gpkg(data, table, attrs, tmp)
            elif fmt == "parquet":
                _write_parquet(data, table, attrs, tmp)
            else:
                _write_csv(data, table, tmp)
        except DataError as exc:  # name the user's file, not the temporary one
            raise DataError(exc.reason.replace(str(tmp), str(target)), target, exc.feature) from exc
    return target


def _source_files(data: pd.DataFrame) -> list[str]:
    """The files a layer was read from (its ``source_file`` column), which an export may not replace."""
    if "source_file" not in data.columns:
        return []
    return [str(f) for f in pd.unique(data["source_file"].dropna().astype(str))]
