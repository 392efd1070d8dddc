"""Reading users' line files into the corridor shape.

:func:`read` accepts GeoJSON (``.geojson``/``.json``), GeoPackage (``.gpkg``), GeoParquet
(``.parquet``/``.geoparquet``) and CSV with a WKT ``geometry`` column (``.csv``, as
:func:`write` makes it) files, or a directory holding any of them (searched recursively).
Every feature is checked; a bad one raises :class:`DataError` naming the file, the feature
and the reason, or, with ``on_error="skip"``, is left out and recorded in
``.attrs["skipped"]`` with a warning. Nothing is dropped silently.

GeoJSON is parsed with the standard library and assembled in bulk: positions of all files
go into one coordinate array, are checked with array operations and become geometries in
one :func:`shapely.linestrings` call; properties become one table at the end.

Writing is in :mod:`corridors.writers` (:func:`corridors.write`); :func:`read` brings the
metadata it stores back into ``.attrs``.
"""

from __future__ import annotations

import csv
import json
import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from ._files import input_files as input_files  # public here: the files read takes from a path
from ._formats import METADATA_KEY, READ_SUFFIXES
from ._geojson import GeoJSONBatch
from ._linearrays import LineArrays, check_line_arrays, select, to_lonlat
from ._problems import FileProblems, OnError, Problems, SkipRecords
from ._problems import Skip as Skip  # public here: the record of one skipped file or feature
from ._values import MAIN_BRANCH, is_missing
from .errors import DataError, SkippedFeaturesWarning, caller_stacklevel

#: GeoJSON names of shapely's geometry type ids.
_TYPE_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
               "GeometryCollection")
#: Columns :func:`read` adds; a property of the same name is kept as the value (provenance of a re-read export).
_PROVENANCE = ("source_file", "source_feature")
_GDAL_CSV_TYPES = {"String": "str", "Integer": "Int64", "Integer64": "Int64", "Real": "float64",
                   "WKT": "wkt"}


# ----------------------------------------------------------------------------- problems
















# ----------------------------------------------------------------------------- line arrays












# ----------------------------------------------------------------------------- GeoJSON






























def _column(rows: np.ndarray, values: list[Any], n: int) -> tuple[str, Any]:
    """One property column of ``n`` rows from the values present at ``rows``.

    Returns the kind (``"str"`` for text, else ``"other"``) and the column: integers stay
    integers (nullable ``Int64`` when some rows lack them), numbers become float64, text
    becomes an Arrow string array (pandas' string type), anything else stays ``object``.
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    full = len(values) == n and not any(v is None for v in values)
    if kind == "integer":
        try:
            data = np.zeros(n, dtype=np.int64)
            data[rows] = [0 if v is None else v for v in values]
        except OverflowError:
            kind = "mixed"
        else:
            mask = np.ones(n, bool)
            mask[rows] = [v is None for v in values]
            return "other", data if full else pd.arrays.IntegerArray(data, mask)
    if kind in ("floating", "mixed-integer-float"):
        data = np.full(n, np.nan)
        try:
            data[rows] = [np.nan if v is None else v for v in values]
        except OverflowError:  # an integer too large for a float: keep the values as they are
            kind = "mixed"
        else:
            return "other", data
    obj = np.full(n, None, dtype=object)
    obj[rows] = values
    if kind == "boolean" and full:
        return "other", obj.astype(bool)
    if kind == "string":
        return "str", pa.array(obj, type=pa.large_string())
    return "other", obj


#: Most cells (features x property columns) of the table :func:`read` builds; beyond it the
#: rarest property keys are kept together as JSON text in :data:`OTHER_PROPERTIES`.
CELL_BUDGET = 20_000_000
#: The column holding, as a JSON object per feature, the properties folded by :data:`CELL_BUDGET`.
OTHER_PROPERTIES = "other_properties"


def _fold_rare_keys(rows: dict[str, list[int]], vals: dict[str, list[Any]], n: int) -> int:
    """Keep the table within :data:`CELL_BUDGET` cells: fold the rarest keys into one column.

    A file where every feature has keys of its own (30,000 features, 30,000 keys) would
    otherwise make a 30,000 x 30,000 table (12 GB). The most used keys keep columns of
    their own as long as ``n`` times their number fits the budget; the others go, per
    feature, into one JSON object in :data:`OTHER_PROPERTIES`. Returns how many keys were folded.
    """
    if n * len(rows) <= CELL_BUDGET:
        return 0
    by_use = sorted(rows, key=lambda k: -len(rows[k]))
    keep = max(CELL_BUDGET // max(n, 1) - 1, 1)
    folded = by_use[keep:]
    other: dict[int, dict[str, Any]] = {}
    for key in folded:
        for i, value in zip(rows.pop(key), vals.pop(key)):
            other.setdefault(i, {})[key] = value
    name = OTHER_PROPERTIES
    while name in rows:
        name += "_"
    order = sorted(other)
    rows[name] = order
    vals[name] = [json.dumps(other[i], ensure_ascii=False) for i in order]
    return len(folded)


def _property_table(props: list[dict[str, Any] | None]) -> pd.DataFrame:
    """One table from the features' property objects (nested values as JSON text).

    Its size is bounded by :data:`CELL_BUDGET` (see :func:`_fold_rare_keys`).
    """
    rows: dict[str, list[int]] = {}
    vals: dict[str, list[Any]] = {}
    for i, prop in enumerate(props):
        if not prop:
            continue
        for key, value in prop.items():
            if type(value) in (dict, list):
                value = json.dumps(value, ensure_ascii=False)
            if key not in rows:
                rows[key] = []
                vals[key] = []
            rows[key].append(i)
            vals[key].append(value)
    n = len(props)
    folded = _fold_rare_keys(rows, vals, n)
    if folded:
        warnings.warn(f"{folded:,} rarely used property keys (of {folded + len(rows) - 1:,}) are kept together "
                      f"as JSON text in the column {OTHER_PROPERTIES!r}, so that the table of {n:,} features "
                      f"stays within {CELL_BUDGET:,} cells", UserWarning, stacklevel=caller_stacklevel())
    built = {_safe_name(k): _column(np.array(rows[k], dtype=np.int64), vals[k], n) for k in rows}
    text = [k for k, (kind, _) in built.items() if kind == "str"]
    # text columns convert to pandas' string type in one Arrow call, much faster than one by one
    strings = pa.table({k: built[k][1] for k in text}).to_pandas() if text else pd.DataFrame()
    columns = {k: strings[k] if kind == "str" else col for k, (kind, col) in built.items()}
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def _safe_name(key: str) -> str:
    """A property may not be called like the geometry column or the internal columns."""
    return f"{key}_" if key in ("geometry", "_feature", "_fid", "_file", "_path") else key


# ----------------------------------------------------------------------------- GPKG, Parquet, CSV


def _attrs_from_text(text: Any, path: Path, problems: Problems) -> dict[str, Any]:
    if text in (None, b"", ""):
        return {}
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        problems(path, None, f"'{METADATA_KEY}' metadata is not valid JSON")
        return {}
    return value if isinstance(value, dict) else {}


def _read_table(path: Path, fmt: str, problems: Problems) -> list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]]:
    """Read a GeoPackage (layer by layer), GeoParquet or WKT-CSV file and its stored metadata.

    Returns ``(layer name, frame, metadata)`` for each layer with features; the layer name
    is None for single-layer formats and for a GeoPackage with one layer of lines.
    """
    what = {"parquet": "GeoParquet", "gpkg": "GeoPackage", "csv": "CSV"}[fmt]
    layers: list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]]
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            meta = (pq.read_schema(path).metadata or {}).get(METADATA_KEY.encode())
            attrs = _attrs_from_text(meta, path, problems)
            layers = [(None, gpd.read_parquet(path), attrs)]
        elif fmt == "csv":
            layers = [(None, _read_csv(path), {})]
        else:
            layers = _read_gpkg(path, problems)
    except DataError as exc:
        problems(path, None, exc.reason)
        return []
    except Exception as exc:  # GDAL/arrow raise many types; name the file and reason
        problems(path, None, f"cannot read as {what}: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        return []
    out = []
    for name, gdf, attrs in layers:
        if gdf is None or gdf.empty:
            problems(path, None if name is None else f"(layer {name!r})", "no features (empty layer)")
            continue
        out.append((name, gdf, attrs))
    return out


def _read_gpkg(path: Path, problems: Problems) -> list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]]:
    """Every layer of a GeoPackage that has geometries, each with its own CRS and metadata."""
    import pyogrio

    layers: list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]] = []
    for name, _gtype in pyogrio.list_layers(path):
        info = pyogrio.read_info(path, layer=name)
        if info.get("geometry_type") is None:
            continue
        # through Arrow, integer fields holding nulls stay (nullable) integers instead of floats
        gdf = pyogrio.read_dataframe(path, layer=name, use_arrow=True, arrow_to_pandas_kwargs={
            "types_mapper": {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype()}.get})
        for col in gdf.columns:
            if isinstance(gdf[col].dtype, pd.Int64Dtype) and not gdf[col].isna().any():
                gdf[col] = gdf[col].astype(np.int64)
        attrs = _attrs_from_text((info.get("layer_metadata") or {}).get(METADATA_KEY), path, problems)
        layers.append((str(name), gdf, attrs))
    if not layers:
        raise DataError("no layer with geometries", path)
    if len(layers) == 1:
        return [(None, layers[0][1], layers[0][2])]
    return layers


def _read_csv(path: Path) -> gpd.GeoDataFrame:
    """A CSV with a WKT ``geometry`` column, typed by its GDAL ``.csvt`` sidecar when present."""
    types: dict[str, str] = {}
    header = pd.read_csv(path, nrows=0).columns.tolist()
    csvt = path.with_suffix(".csvt")
    if csvt.exists():
        names = next(csv.reader(csvt.read_text(encoding="utf-8").splitlines()), [])
        if len(names) != len(header):
            raise DataError(f"{csvt.name} lists {len(names)} types for {len(header)} columns", path)
        types = {col: _GDAL_CSV_TYPES.get(t.strip(), "str") for col, t in zip(header, names)}
    if "geometry" not in header:
        raise DataError("CSV without a WKT 'geometry' column", path)
    dtype = {c: ("str" if t in ("str", "wkt") else t) for c, t in types.items()}
    dtype["geometry"] = "str"
    df = pd.read_csv(path, dtype=dtype or None, keep_default_na=False, na_values=[""])
    wkt = df.pop("geometry")
    try:
        geoms = shapely.from_wkt(wkt.to_numpy(dtype=object, na_value=None))
    except shapely.errors.GEOSException as exc:
        raise DataError(f"bad WKT in the 'geometry' column: {exc}", path) from exc
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")


def _table_lines(gdf: gpd.GeoDataFrame, path: Path, file_id: int,
                 problems: Problems, layer: str | None = None) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Check the features of a GDAL/Arrow/CSV table the same way as GeoJSON ones.

    Features of a GeoPackage with several layers are labelled ``N (layer 'NAME')``.
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        src_crs = gdf.crs
    else:
        src_crs = None
    where = "" if layer is None else f" (layer {layer!r})"
    labels = [f"{i}{where}" for i in range(len(gdf))]
    geom = gdf.geometry.to_numpy()
    gtype = shapely.get_type_id(geom)
    ok = np.isin(gtype, (1, 5))
    for i in np.flatnonzero(~ok):
        problems(path, labels[i], "null geometry" if gtype[i] < 0 else
                 f"{_TYPE_NAMES[gtype[i]]} geometry; lines (LineString/MultiLineString) are needed")
    lines = LineArrays.from_geometries(geom[ok])
    note = ""
    if src_crs is not None:
        lines.coords = to_lonlat(lines.coords, src_crs)
        note = f" (after transforming from {src_crs.to_string()})"
    kept_labels = select(labels, ok)
    good = check_line_arrays(lines, kept_labels, path, problems, note)
    if not good.any():
        return None
    out = pd.DataFrame(gdf.drop(columns=gdf.geometry.name).loc[ok].loc[good]).reset_index(drop=True)
    out = out.rename(columns={c: _safe_name(c) for c in out.columns})
    out["_feature"] = np.array(select(kept_labels, good), dtype=object)
    out["_fid"] = None
    out["_file"] = file_id
    return out, lines.take(good).geometries()


# ----------------------------------------------------------------------------- read


def _checked_members(members: dict[str, Any], path: Path, problems: Problems) -> dict[str, Any]:
    """The file-level metadata that the other functions can use; each bad member is a problem.

    ``corridor`` (one corridor record) and each record of ``corridors`` must pass
    :func:`corridors.schema.validate_metadata`, ``sources`` must be a list of source
    records, ``skipped`` a list of skip records (file, feature, reason as text). A bad
    member raises, or with ``on_error="skip"`` is left out and listed as a problem of the
    file (the features are kept).
    """
    from .schema import metadata_type_problems

    def record(value: Any) -> list[str]:
        return ["must be an object"] if not isinstance(value, dict) else metadata_type_problems(value)

    out: dict[str, Any] = {}
    for key, value in members.items():
        reasons: list[str] = []
        if key == "corridor":
            reasons += record(value)
        elif key == "corridors":
            if not isinstance(value, dict):
                reasons.append("must be an object of corridor records keyed by id")
            else:
                for cid, rec in value.items():
                    reasons += [f"record {cid!r}: {why}" for why in record(rec)]
        elif key == "sources":
            # a list of source records, or (the places layer) an object of them keyed by id
            items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else None
            reasons += (["must be a list of source records"] if items is None
                        else metadata_type_problems({"sources": items}))
        elif key == "skipped":
            ok = isinstance(value, list) and all(
                isinstance(r, dict) and isinstance(r.get("file"), str) and isinstance(r.get("reason"), str)
                and (r.get("feature") is None or isinstance(r.get("feature"), str)) for r in value)
            reasons += [] if ok else ["must be a list of {file, feature, reason} text records"]
        if reasons:
            problems(path, None, f"metadata member {key!r} left out: " + "; ".join(reasons))
        else:
            out[key] = value
    return out


def _merge_attrs(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Metadata of all files: one ``corridor`` record, or ``corridors`` keyed by id."""
    records: dict[str, Any] = {}
    out: dict[str, Any] = {}
    skipped: list[dict[str, Any]] = []
    for attrs in found:
        for key, value in attrs.items():
            if key == "corridor" and isinstance(value, dict):
                records[str(value.get("id"))] = value
            elif key == "corridors" and isinstance(value, dict):
                records.update(value)
            elif key == "skipped" and isinstance(value, list):
                skipped.extend(value)
            else:
                out.setdefault(key, value)
    if len(records) == 1 and not any("corridors" in a for a in found):
        out["corridor"] = next(iter(records.values()))
    elif records:
        out["corridors"] = records
    if skipped:
        out["skipped"] = skipped
    return out


def read(
    path: str | os.PathLike[str],
    on_error: OnError = "raise",
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> gpd.GeoDataFrame:
    """Read a user's lines from a file or a directory of files.

    Parameters
    ----------
    path : str or PathLike
        A GeoJSON, GeoPackage, GeoParquet or CSV (WKT ``geometry`` column, typed by a GDAL
        ``.csvt`` sidecar when present) file, or a directory searched recursively for them.
    on_error : {"raise", "skip"}
        ``"raise"`` (default): the first bad file or feature raises :class:`DataError`
        naming the file, the feature and the reason. ``"skip"``: bad files and features are
        left out, each recorded (file, feature, reason) in ``.attrs["skipped"]``, and a
        :class:`SkippedFeaturesWarning` says how many.
    progress : callable, optional
        Wraps the list of files (e.g. a progress bar); used by the command line.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 lines with ``corridor_id`` (the feature's ``corridor_id`` property
        when present, else the file's stem), ``segment_id`` (property, else
        ``<corridor_id>/<feature id or number>``), ``branch`` (property, else ``"main"``),
        the features' other properties (nested values as JSON text; a property called
        ``geometry`` becomes ``geometry_``), ``source_file`` and ``source_feature`` (the
        file and the feature's 0-based position and id; kept from the properties when a
        file written by :func:`write` already carries them) and geometry (z dropped).
        A legacy GeoJSON ``crs`` member, or a GeoPackage/GeoParquet CRS, other than
        lon/lat is honoured: coordinates are transformed to lon/lat. Integer properties
        stay integers (``Int64`` when some features lack them); a column whose values
        mix types (e.g. text in one file, numbers in another) keeps each value as read
        (``object``). Metadata stored by :func:`write` (and the ``corridor`` member of
        the bundled files) comes back in ``.attrs``: ``corridor`` for one corridor
        record, ``corridors`` (id -> record) for several; ``.attrs["skipped"]`` lists the
        skips recorded in the files followed by this read's own.

    Raises
    ------
    DataError
        On the first bad input with ``on_error="raise"``; also when ``path`` does not exist
        or holds no readable files.
    """
    problems = Problems(on_error)
    files = input_files(path, problems=problems)
    batch = GeoJSONBatch()
    tables: list[tuple[pd.DataFrame, np.ndarray]] = []
    found: list[dict[str, Any]] = []
    for file_id, file in enumerate(progress(files) if progress else files):
        fmt = READ_SUFFIXES[file.suffix.lower()]
        if fmt == "geojson":
            members = batch.add_file(file, file_id, problems)
        else:
            members = {}
            for layer, gdf, attrs in _read_table(file, fmt, problems):
                mine = FileProblems(problems)
                table = _table_lines(gdf, file, file_id, mine, layer)
                mine.flush()
                if table is not None:
                    tables.append(table)
                members = members or attrs
        if members:
            found.append(_checked_members(members, file, problems))
    frames = [f for f in [batch.frame(_property_table), *tables] if f is not None]
    out = _typed_rows(_assemble(frames, files, problems), problems)
    attrs = _merge_attrs(found)
    attrs["skipped"] = SkipRecords(attrs.get("skipped", []) + [vars(s) for s in problems.skipped])
    out.attrs = attrs
    if problems.skipped:
        dropped = sum(1 for s in problems.skipped if "kept, renamed" not in s.reason)
        sample = "; ".join(str(s) for s in problems.skipped[:3])
        warnings.warn(f"{len(problems.skipped)} problem(s) in the input, {dropped} left out "
                      f"(see .attrs['skipped']): {sample}{' ...' if len(problems.skipped) > 3 else ''}",
                      SkippedFeaturesWarning, stacklevel=caller_stacklevel())
    return out


def _typed_rows(gdf: gpd.GeoDataFrame, problems: Problems) -> gpd.GeoDataFrame:
    """Report (raise, or record and leave out) each feature whose known columns have a wrong
    type (:func:`corridors.schema.column_type_problems`), e.g. ``"gauge_mm": []``."""
    from .schema import column_type_problems, text_columns_as_objects

    bad = column_type_problems(gdf)
    if not bad:
        return text_columns_as_objects(gdf)
    files, features = gdf["source_file"].to_numpy(), gdf["source_feature"].to_numpy()
    for i in sorted(bad):
        problems(files[i], features[i], bad[i])
    keep = np.ones(len(gdf), bool)
    keep[list(bad)] = False
    return text_columns_as_objects(gdf.iloc[np.flatnonzero(keep)].reset_index(drop=True))




def _text_or_default(values: np.ndarray, default: np.ndarray) -> np.ndarray:
    """``values`` as text where present and not blank, else ``default`` (object arrays)."""
    return np.array([d if is_missing(v) or not str(v).strip() else str(v) for v, d in zip(values, default)],
                    dtype=object)


def _given_or(out: pd.DataFrame, column: str, default: np.ndarray) -> np.ndarray:
    """The column's values where present, else ``default``."""
    if column not in out:
        return default
    values = out[column].to_numpy(dtype=object)
    return np.where(pd.isna(values), default, values)


def _assemble(frames: list[tuple[pd.DataFrame, np.ndarray]], files: list[Path],
              problems: Problems) -> gpd.GeoDataFrame:
    """Concatenate the readers' tables once and derive the corridor columns."""
    if not frames:
        empty = {c: pd.Series(dtype=object) for c in
                 ("corridor_id", "segment_id", "branch", "source_file", "source_feature")}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    if len(frames) == 1:
        out, geoms = frames[0]
    else:  # keep file order when GeoJSON and other formats are mixed
        out = pd.concat([t for t, _ in frames], ignore_index=True)
        geoms = np.concatenate([g for _, g in frames])
        order = np.argsort(out["_file"].to_numpy(), kind="stable")
        out, geoms = out.iloc[order].reset_index(drop=True), geoms[order]
    file_ids = out["_file"].to_numpy()
    stems = np.array([f.stem for f in files], dtype=object)[file_ids]
    paths = np.array([str(f) for f in files], dtype=object)[file_ids]
    n = len(out)
    cid = _text_or_default(out["corridor_id"].to_numpy(dtype=object), stems) if "corridor_id" in out else stems
    fid = out["_fid"].to_numpy(dtype=object)
    number = pd.Series(cid).groupby(cid, sort=False).cumcount().to_numpy()
    default_seg = np.array([f"{c}/{k if is_missing(f) else f}" for c, f, k in zip(cid, fid, number)], dtype=object)
    seg = _text_or_default(out["segment_id"].to_numpy(dtype=object), default_seg) if "segment_id" in out \
        else default_seg
    front = {"corridor_id": cid, "segment_id": seg, "branch": _given_or(out, "branch", np.full(n, MAIN_BRANCH, object))}
    prov = {"source_file": _given_or(out, "source_file", paths),
            "source_feature": _given_or(out, "source_feature", out["_feature"].to_numpy(dtype=object))}
    dup = pd.Series(seg).duplicated(keep=False).to_numpy()
    if dup.any():
        first = np.flatnonzero(dup)[0]
        if problems.on_error == "raise":
            raise DataError(f"duplicate segment id {seg[first]!r} ({int((seg == seg[first]).sum())} features share it)",
                            prov["source_file"][first], prov["source_feature"][first])
        # keep every feature but make the ids unique, and say so
        for f, feat, s in zip(prov["source_file"][dup], prov["source_feature"][dup], seg[dup]):
            problems.skipped.append(Skip(f, feat, f"duplicate segment id {s!r}: kept, renamed with a '#n' suffix"))
        k = pd.Series(seg[dup]).groupby(seg[dup]).cumcount().to_numpy() + 1
        seg = seg.copy()
        seg[dup] = [f"{s}#{j}" for s, j in zip(seg[dup], k)]
        front["segment_id"] = seg
    rest = [c for c in out.columns if c not in (*front, *prov, "_feature", "_fid", "_file")]
    table = pd.concat([pd.DataFrame(front).infer_objects(), out[rest], pd.DataFrame(prov).infer_objects()], axis=1)
    table["geometry"] = gpd.array.from_shapely(geoms, crs="EPSG:4326")
    return gpd.GeoDataFrame(table, geometry="geometry", copy=False)
