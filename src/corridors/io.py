"""Reading users' line files into the corridor shape, and writing layers out.

:func:`read` accepts GeoJSON (``.geojson``/``.json``), GeoPackage (``.gpkg``) and
GeoParquet (``.parquet``/``.geoparquet``) files, or a directory holding any of them
(searched recursively). Every feature is checked; a bad one raises :class:`DataError`
naming the file, the feature and the reason, or, with ``on_error="skip"``, is left out
and recorded in ``.attrs["skipped"]`` with a warning. Nothing is dropped silently.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from .errors import DataError, SkippedFeaturesWarning, format_problem

OnError = Literal["raise", "skip"]
#: File suffixes :func:`read` understands.
SUFFIXES: dict[str, str] = {
    ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
    ".parquet": "parquet", ".geoparquet": "parquet",
}
_LINE_TYPES = {"LineString", "MultiLineString"}
_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon", "GeometryCollection"}
_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "CRS84", "OGC:CRS84",
          "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326"}


@dataclass
class Skip:
    """One skipped file or feature."""

    file: str
    feature: str | None
    reason: str

    def __str__(self) -> str:
        return format_problem(self.file, self.feature, self.reason)


class _Problems:
    """Collects problems: raises at once (``raise``) or records them (``skip``)."""

    def __init__(self, on_error: OnError) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
        self.on_error = on_error
        self.skipped: list[Skip] = []

    def __call__(self, path: Path | str, feature: str | int | None, reason: str) -> None:
        if self.on_error == "raise":
            raise DataError(reason, path, feature)
        self.skipped.append(Skip(str(path), None if feature is None else str(feature), reason))


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not found:
            raise DataError(f"no GeoJSON/GeoPackage/GeoParquet files in the directory "
                            f"(looked for {', '.join(sorted(SUFFIXES))})", path)
        return found
    if not path.exists():
        raise DataError("no such file or directory", path)
    if path.suffix.lower() not in SUFFIXES:
        raise DataError(f"unsupported file type {path.suffix or '(none)'!r}; "
                        f"use one of {', '.join(sorted(SUFFIXES))}", path)
    return [path]


def _feature_label(i: int, fid: object) -> str:
    return f"{i}" if fid is None else f"{i} (id {fid!r})"


def _crs_from_member(member: object, path: Path) -> CRS | None:
    """CRS named by a legacy GeoJSON ``crs`` member (None for CRS84/absent)."""
    if member is None:
        return None
    name = None
    if isinstance(member, dict):
        props = member.get("properties")
        if member.get("type") == "name" and isinstance(props, dict):
            name = props.get("name")
        elif member.get("type") in ("EPSG", "epsg") and isinstance(props, dict):
            name = f"EPSG:{props.get('code')}"
    if not isinstance(name, str):
        raise DataError(f"legacy 'crs' member not understood: {json.dumps(member)[:120]}", path)
    if name in _CRS84:
        return None
    try:
        crs = CRS.from_user_input(name)
    except CRSError as exc:
        raise DataError(f"legacy 'crs' member names an unknown CRS {name!r}", path) from exc
    if crs.equals("OGC:CRS84") or crs.equals("EPSG:4326"):
        return None
    return crs


def _json_geometry(geom: Any) -> tuple[shapely.Geometry | None, str | None]:
    """Turn a GeoJSON geometry object into a 2D shapely line, or say why it cannot be."""
    if geom is None:
        return None, "null geometry"
    if not isinstance(geom, dict):
        return None, f"geometry is {type(geom).__name__}, not an object"
    gtype = geom.get("type")
    if gtype not in _GEOMETRY_TYPES:
        return None, f"unknown geometry type {gtype!r}"
    if gtype not in _LINE_TYPES:
        return None, f"{gtype} geometry; lines (LineString/MultiLineString) are needed"
    coords = geom.get("coordinates")
    if not isinstance(coords, list):
        return None, "geometry has no coordinate list"
    lines = coords if gtype == "MultiLineString" else [coords]
    arrays = []
    for line in lines:
        if not isinstance(line, list):
            return None, "malformed coordinates"
        try:
            arr = np.array(line, dtype=float)
        except (TypeError, ValueError):
            return None, "coordinates are not all numbers, or positions differ in size"
        if arr.ndim != 2 and arr.size == 0:
            arr = arr.reshape(0, 2)
        if arr.ndim != 2 or arr.shape[1] not in (2, 3, 4):
            return None, "positions must have 2 or 3 numbers"
        arrays.append(arr[:, :2])
    if not arrays:
        return shapely.MultiLineString(), None
    for arr in arrays:
        if 0 < len(arr) < 2:
            return None, "a line needs at least 2 positions"
    nonempty = [a for a in arrays if len(a)]
    if not nonempty:
        return shapely.LineString(), None
    try:
        if gtype == "LineString":
            return shapely.linestrings(nonempty[0]), None
        return shapely.multilinestrings([shapely.linestrings(a) for a in nonempty]), None
    except shapely.errors.GEOSException as exc:  # pragma: no cover - defensive
        return None, f"invalid geometry: {exc}"


def _scalar(value: Any) -> Any:
    """Keep scalars; encode nested JSON values as JSON text so every column is flat."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _read_geojson(path: Path, problems: _Problems) -> gpd.GeoDataFrame | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems(path, None, f"cannot read file: {exc.strerror or exc}")
        return None
    if not raw.strip():
        problems(path, None, "empty file")
        return None
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        problems(path, None, "not a text file (binary data?); expected GeoJSON")
        return None
    except json.JSONDecodeError as exc:
        problems(path, None, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
                             "truncated file?")
        return None
    if not isinstance(data, dict):
        problems(path, None, f"JSON {type(data).__name__} at top level; expected a GeoJSON object")
        return None
    kind = data.get("type")
    if kind == "Topology":
        problems(path, None, "TopoJSON is not supported; convert it to GeoJSON first "
                             "(e.g. `ogr2ogr out.geojson in.json`)")
        return None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            problems(path, None, "FeatureCollection without a 'features' list")
            return None
    elif kind == "Feature":
        features = [data]
    elif kind in _GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        problems(path, None, f"not GeoJSON (top-level type {kind!r})")
        return None
    try:
        src_crs = _crs_from_member(data.get("crs"), path)
    except DataError as exc:
        problems(path, None, exc.reason)
        return None
    if not features:
        problems(path, None, "no features (empty collection)")
        return None
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry] = []
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems(path, i, "not a GeoJSON Feature object")
            continue
        fid = feat.get("id")
        label = _feature_label(i, fid)
        geom, reason = _json_geometry(feat.get("geometry"))
        if reason is not None:
            problems(path, label, reason)
            continue
        props = feat.get("properties")
        if props is not None and not isinstance(props, dict):
            problems(path, label, "properties is not an object")
            continue
        row = {k: _scalar(v) for k, v in (props or {}).items()}
        row["_feature"] = label
        row["_fid"] = fid
        rows.append(row)
        geoms.append(geom)
    if not rows:
        return _empty()
    gdf = gpd.GeoDataFrame(pd.DataFrame.from_records(rows), geometry=np.array(geoms, dtype=object),
                           crs=src_crs or "EPSG:4326")
    return gdf


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"_feature": pd.Series(dtype=object), "_fid": pd.Series(dtype=object)},
                            geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def _read_with_gdal(path: Path, fmt: str, problems: _Problems) -> gpd.GeoDataFrame | None:
    try:
        if fmt == "parquet":
            gdf = gpd.read_parquet(path)
        else:
            import pyogrio

            layers = pyogrio.list_layers(path)
            frames = [gpd.read_file(path, layer=name, engine="pyogrio") for name, gtype in layers]
            frames = [f for f in frames if isinstance(f, gpd.GeoDataFrame)]
            if not frames:
                problems(path, None, "no layer with geometries")
                return None
            gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    except Exception as exc:  # GDAL/arrow raise many types; name the file and reason
        problems(path, None, f"cannot read as {'GeoParquet' if fmt == 'parquet' else 'GeoPackage'}: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        return None
    if gdf.empty:
        problems(path, None, "no features (empty layer)")
        return None
    labels = [_feature_label(i, None) for i in range(len(gdf))]
    geom = gdf.geometry
    reasons = np.full(len(gdf), None, dtype=object)
    gtype = geom.geom_type.to_numpy()
    reasons[geom.isna().to_numpy()] = "null geometry"
    wrong = geom.notna().to_numpy() & ~np.isin(gtype, list(_LINE_TYPES))
    reasons[wrong & (reasons == None)] = [f"{t} geometry; lines (LineString/MultiLineString) are needed"  # noqa: E711
                                          for t in gtype[wrong & (reasons == None)]]  # noqa: E711
    for i in np.flatnonzero(reasons != None):  # noqa: E711
        problems(path, labels[i], reasons[i])
    ok = reasons == None  # noqa: E711
    gdf = gdf.loc[ok].copy()
    gdf["_feature"] = [labels[i] for i in np.flatnonzero(ok)]
    gdf["_fid"] = None
    gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.values), crs=gdf.crs)
    return gdf


def _check_coordinates(gdf: gpd.GeoDataFrame, path: Path, problems: _Problems) -> gpd.GeoDataFrame:
    """Reject non-finite, out-of-range and degenerate lines (vectorised)."""
    if gdf.empty:
        return gdf
    geoms = gdf.geometry.values
    coords, idx = shapely.get_coordinates(np.asarray(geoms, dtype=object), return_index=True)
    n = len(gdf)
    nonfinite = np.zeros(n, bool)
    np.logical_or.at(nonfinite, idx, ~np.isfinite(coords).all(axis=1))
    lon_bad = np.zeros(n, bool)
    lat_bad = np.zeros(n, bool)
    with np.errstate(invalid="ignore"):
        np.logical_or.at(lon_bad, idx, np.abs(coords[:, 0]) > 180)
        np.logical_or.at(lat_bad, idx, np.abs(coords[:, 1]) > 90)
    empty = shapely.is_empty(np.asarray(geoms, dtype=object))
    parts, pidx = shapely.get_parts(np.asarray(geoms, dtype=object), return_index=True)
    degenerate = np.zeros(n, bool)
    if len(parts):
        # a part whose vertices are all the same point has no length and no direction
        pc, pci = shapely.get_coordinates(parts, return_index=True)
        first = pc[np.searchsorted(pci, pci)]
        moves = np.zeros(len(parts), bool)
        np.logical_or.at(moves, pci, (pc != first).any(axis=1))
        np.logical_or.at(degenerate, pidx, ~moves)
    bad = nonfinite | lon_bad | lat_bad | empty | degenerate
    if bad.any():
        labels = gdf["_feature"].to_numpy()
        for i in np.flatnonzero(bad):
            if nonfinite[i]:
                reason = "coordinates are NaN or infinite"
            elif empty[i]:
                reason = "empty geometry"
            elif lon_bad[i] or lat_bad[i]:
                c = coords[idx == i]
                what = f"longitude {c[np.argmax(np.abs(c[:, 0])), 0]:g}" if lon_bad[i] else \
                    f"latitude {c[np.argmax(np.abs(c[:, 1])), 1]:g}"
                reason = (f"{what} is out of range (|lon| <= 180, |lat| <= 90); projected coordinates "
                          "given as lon/lat, or a missing CRS?")
            else:
                reason = "a line whose positions are all the same point"
            problems(path, labels[i], reason)
        gdf = gdf.loc[~bad]
    return gdf


def _read_one(path: Path, problems: _Problems) -> gpd.GeoDataFrame | None:
    fmt = SUFFIXES[path.suffix.lower()]
    gdf = _read_geojson(path, problems) if fmt == "geojson" else _read_with_gdal(path, fmt, problems)
    if gdf is None:
        return None
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        # check in the source CRS first: a projected file must have finite coordinates
        try:
            gdf = gdf.to_crs("EPSG:4326")
        except Exception as exc:  # pyproj raises several types
            problems(path, None, f"cannot transform from {gdf.crs.to_string()} to EPSG:4326: {exc}")
            return None
    gdf = _check_coordinates(gdf, path, problems)
    gdf["source_file"] = str(path)
    return gdf


def read(
    path: str | os.PathLike[str],
    on_error: OnError = "raise",
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> gpd.GeoDataFrame:
    """Read a user's lines from a file or a directory of files.

    Parameters
    ----------
    path : str or PathLike
        A GeoJSON, GeoPackage or GeoParquet file, or a directory searched recursively for them.
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
        ``<corridor_id>/<feature number>``), ``branch`` (property, else ``"main"``), the
        features' other properties (nested values as JSON text), ``source_file``,
        ``source_feature`` and geometry (z dropped). A legacy GeoJSON ``crs`` member naming
        another CRS is honoured (coordinates are transformed to lon/lat).

    Raises
    ------
    DataError
        On the first bad input with ``on_error="raise"``; also when ``path`` does not exist
        or holds no readable files.
    """
    problems = _Problems(on_error)
    root = Path(path)
    files = _files(root)
    frames = []
    for file in progress(files) if progress else files:
        gdf = _read_one(file, problems)
        if gdf is None or gdf.empty:
            continue
        stem = file.stem
        cid = gdf["corridor_id"] if "corridor_id" in gdf.columns else pd.Series(None, index=gdf.index, dtype=object)
        cid = cid.where(cid.notna() & (cid.astype(str).str.strip() != ""), stem).astype(str)
        gdf["corridor_id"] = cid
        frames.append(gdf)
    if frames:
        out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    else:
        out = _empty()
        out["corridor_id"] = pd.Series(dtype=object)
        out["source_file"] = pd.Series(dtype=object)
    out = out.rename(columns={"_feature": "source_feature"})
    fid = out.pop("_fid")
    number = out.groupby("corridor_id", sort=False).cumcount().astype(str)
    default_seg = out["corridor_id"] + "/" + fid.where(fid.notna(), number).astype(str)
    seg = out["segment_id"] if "segment_id" in out.columns else pd.Series(None, index=out.index, dtype=object)
    out["segment_id"] = seg.where(seg.notna(), default_seg).astype(str) if len(out) else seg
    branch = out["branch"] if "branch" in out.columns else pd.Series(None, index=out.index, dtype=object)
    out["branch"] = branch.where(branch.notna(), "main")
    dup = out["segment_id"].duplicated(keep=False) & out["segment_id"].notna()
    if dup.any():
        dups = out.loc[dup]
        if problems.on_error == "raise":
            first = dups.iloc[0]
            raise DataError(f"duplicate segment id {first['segment_id']!r} "
                            f"({int((out['segment_id'] == first['segment_id']).sum())} features share it)",
                            first["source_file"], first["source_feature"])
        # keep every feature but make the ids unique, and say so
        for (_, r) in dups.iterrows():
            problems.skipped.append(Skip(r["source_file"], r["source_feature"],
                                         f"duplicate segment id {r['segment_id']!r}: kept, renamed with a '#n' suffix"))
        n = out.loc[dup].groupby("segment_id").cumcount() + 1
        out.loc[dup, "segment_id"] = out.loc[dup, "segment_id"] + "#" + n.astype(str)
    front = ["corridor_id", "segment_id", "branch"]
    rest = [c for c in out.columns if c not in front and c not in ("source_file", "source_feature", "geometry")]
    out = out[[*front, *rest, "source_file", "source_feature", "geometry"]]
    out.attrs["skipped"] = [vars(s) for s in problems.skipped]
    if problems.skipped:
        dropped = sum(1 for s in problems.skipped if "kept, renamed" not in s.reason)
        sample = "; ".join(str(s) for s in problems.skipped[:3])
        warnings.warn(f"{len(problems.skipped)} problem(s) in the input, {dropped} left out "
                      f"(see .attrs['skipped']): {sample}{' ...' if len(problems.skipped) > 3 else ''}",
                      SkippedFeaturesWarning, stacklevel=2)
    return out
