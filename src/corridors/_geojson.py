"""The GeoJSON parser of :func:`corridors.read`: the standard library's JSON, checked and
assembled in bulk (positions of all files in one coordinate array, one
:func:`shapely.linestrings` call).

Private: used by :mod:`corridors.io`, which builds the property table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from ._formats import FOREIGN_MEMBERS
from ._linearrays import LineArrays, check_line_arrays, select, to_lonlat
from ._problems import FileProblems, Problems, feature_label
from .errors import DataError, printable

_LINE_TYPES = {"LineString", "MultiLineString"}


_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon", "GeometryCollection"}


_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "CRS84", "OGC:CRS84",
          "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326"}


@lru_cache(maxsize=256)
def _crs_from_name(name: str) -> CRS | None:
    if name in _CRS84:
        return None
    crs = CRS.from_user_input(name)
    if crs.equals("OGC:CRS84") or crs.equals("EPSG:4326"):
        return None
    return crs


def crs_from_member(member: object, path: Path) -> CRS | None:
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
    try:
        return _crs_from_name(name)
    except CRSError as exc:
        raise DataError(f"legacy 'crs' member names an unknown CRS {name!r}", path) from exc


def _geometry_parts(geom: Any) -> tuple[list[Any] | None, bool, str | None]:
    """The coordinate parts of a GeoJSON line geometry, whether it is Multi, or why not."""
    if geom is None:
        return None, False, "null geometry"
    if type(geom) is not dict:
        return None, False, f"geometry is {type(geom).__name__}, not an object"
    gtype = geom.get("type")
    if gtype == "LineString":
        coords = geom.get("coordinates")
        return ([coords], False, None) if type(coords) is list else (None, False, "geometry has no coordinate list")
    if gtype == "MultiLineString":
        coords = geom.get("coordinates")
        if type(coords) is not list:
            return None, True, "geometry has no coordinate list"
        if not all(type(p) is list for p in coords):
            return None, True, "malformed coordinates"
        return coords, True, None
    if gtype in _GEOMETRY_TYPES:
        return None, False, f"{gtype} geometry; lines (LineString/MultiLineString) are needed"
    return None, False, f"unknown geometry type {gtype!r}"


_NUMBER = (int, float)


def _part_array(part: list[Any]) -> tuple[np.ndarray | None, str | None]:
    """Slow, exact check of one part's positions (used only when the fast path fails)."""
    for pos in part:
        if type(pos) is not list or not 2 <= len(pos) <= 4:
            return None, "positions must have 2 or 3 numbers"
        for v in pos:
            if type(v) not in _NUMBER:
                return None, "coordinates are not all numbers"
    try:
        return np.array([[float(p[0]), float(p[1])] for p in part], dtype=float).reshape(-1, 2), None
    except OverflowError:
        return None, "a coordinate is too large to be a number (overflow)"


def _positions(parts: list[list[Any]], may_hold_bools: bool) -> np.ndarray | None:
    """Fast path: all positions of a file as one (n, 2) float array, or None if irregular.

    numpy would read ``true``/``false`` as 1/0, so when the file has any, every value is
    checked to be a number (``may_hold_bools``).
    """
    flat = list(chain.from_iterable(parts))
    if not flat:
        return np.empty((0, 2))
    if may_hold_bools and any(type(v) is bool for pos in flat if type(pos) is list for v in pos):
        return None
    try:
        arr = np.array(flat)
    except (ValueError, TypeError, OverflowError):
        return None
    if arr.ndim != 2 or arr.dtype.kind not in "fi" or not 2 <= arr.shape[1] <= 4:
        return None
    return arr[:, :2].astype(float)


class GeoJSONBatch:
    """Features of many GeoJSON files gathered for one vectorised build."""

    def __init__(self) -> None:
        self.lines: list[LineArrays] = []
        self.props: list[dict[str, Any] | None] = []
        self.labels: list[str] = []
        self.fids: list[Any] = []
        self.file_ids: list[np.ndarray] = []

    def add_file(self, path: Path, file_id: int, problems: Problems) -> dict[str, Any] | None:
        """Parse one file, check it and keep its good features; return its foreign members."""
        mine = FileProblems(problems)
        members = self._add_file(path, file_id, mine)
        mine.flush()
        return members

    def _add_file(self, path: Path, file_id: int, problems: Problems) -> dict[str, Any] | None:
        data, bools = _load_json(path, problems)
        if data is None:
            return None
        if data.pop(_SURROGATES, False):
            data = _drop_surrogates(data, path, problems)
            if data is None:
                return None
        features, src_crs = _collection(data, path, problems)
        if features is None:
            return None
        props: list[dict[str, Any] | None] = []
        labels: list[str] = []
        fids: list[Any] = []
        parts: list[list[Any]] = []
        nparts: list[int] = []
        multi: list[bool] = []
        for i, feat in enumerate(features):
            if feat is _DROPPED:
                continue
            if type(feat) is not dict or feat.get("type") != "Feature":
                problems(path, i, "not a GeoJSON Feature object")
                continue
            fid = feat.get("id")
            geom_parts, is_multi, reason = _geometry_parts(feat.get("geometry"))
            prop = feat.get("properties")
            if reason is None and prop is not None and type(prop) is not dict:
                reason = "properties is not an object"
            if reason is not None:
                problems(path, feature_label(i, fid), reason)
                continue
            assert geom_parts is not None  # a geometry without parts has a reason
            props.append(prop)
            labels.append(feature_label(i, fid))
            fids.append(fid)
            parts.extend(geom_parts)
            nparts.append(len(geom_parts))
            multi.append(is_multi)
        if not props:
            return _members(data)
        part_len_arr = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        part_feat = np.repeat(np.arange(len(props)), nparts)
        lines = LineArrays(np.empty((0, 2)), part_len_arr, part_feat, np.array(multi, dtype=bool))
        keep = np.ones(len(props), bool)
        xy = _positions(parts, bools)
        if xy is None:  # irregular positions somewhere: find the features at fault
            arrays = []
            for k, part in enumerate(parts):
                arr, reason = _part_array(part)
                fi = part_feat[k]
                if reason is not None and keep[fi]:
                    problems(path, labels[fi], reason)
                keep[fi] &= reason is None
                arrays.append(arr if arr is not None else np.empty((0, 2)))
            lines.part_len = np.array([len(a) for a in arrays], dtype=np.int64)
            xy = np.concatenate(arrays) if arrays else np.empty((0, 2))
        lines.coords = xy
        note = ""
        if src_crs is not None:
            lines.coords = to_lonlat(xy, src_crs)
            note = f" (after transforming from {src_crs.to_string()})"
        lines = lines.take(keep)
        props, labels, fids = select(props, keep), select(labels, keep), select(fids, keep)
        good = check_line_arrays(lines, labels, path, problems, note)
        self.lines.append(lines.take(good))
        self.props.extend(select(props, good))
        self.labels.extend(select(labels, good))
        self.fids.extend(select(fids, good))
        self.file_ids.append(np.full(int(good.sum()), file_id))
        return _members(data)

    def frame(self, property_table: Callable[[list[dict[str, Any] | None]], pd.DataFrame]
              ) -> tuple[pd.DataFrame, np.ndarray] | None:
        """One table of every kept feature and its geometries (None if there are none).

        ``property_table`` turns the features' properties into the table
        (:mod:`corridors.io` bounds its size).
        """
        if not self.props:
            return None
        table = property_table(self.props)
        table["_feature"] = np.array(self.labels, dtype=object)
        table["_fid"] = np.array(self.fids + [None], dtype=object)[:-1]
        table["_file"] = np.concatenate(self.file_ids)
        return table, LineArrays.concat(self.lines).geometries()


def _load_json(path: Path, problems: Problems) -> tuple[dict[str, Any] | None, bool]:
    """Parse a file as a JSON object, or report why it is not one.

    Also says whether the text holds ``true`` or ``false`` anywhere (see :func:`_positions`).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems(path, None, f"cannot read file: {exc.strerror or exc}")
        return None, False
    if not raw.strip():
        problems(path, None, "empty file")
        return None, False
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        problems(path, None, "not UTF-8 text (binary data, or another encoding?); expected GeoJSON")
        return None, False
    except json.JSONDecodeError as exc:
        problems(path, None, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
                             "truncated file?")
        return None, False
    except RecursionError:
        problems(path, None, "JSON nested too deeply")
        return None, False
    if not isinstance(data, dict):
        problems(path, None, f"JSON {type(data).__name__} at top level; expected a GeoJSON object")
        return None, False
    if _SURROGATE_ESCAPE.search(raw):  # rare: look for unpaired ones only then
        data[_SURROGATES] = True
    # (UTF-16/32 text, NUL bytes among the first four, is not searched: assume it may)
    return data, b"true" in raw or b"false" in raw or b"\x00" in raw[:4]


#: A JSON escape of a UTF-16 surrogate; alone (unpaired) it is not a Unicode character.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


_SURROGATES = "\x00surrogates"  # a key no JSON member can clash with


_DROPPED = object()  # a feature already reported and left out


def _unicode_ok(value: Any) -> bool:
    """False if ``value`` holds text with an unpaired surrogate (which no file can store)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _drop_surrogates(data: dict[str, Any], path: Path, problems: Problems) -> dict[str, Any] | None:
    """Report each feature and metadata member holding an unpaired surrogate, and leave it out."""
    why = "text holds an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape), which is not valid Unicode"
    for key in [k for k in data if k not in ("features", "type")]:
        if not _unicode_ok(key) or not _unicode_ok(data[key]):
            problems(path, None, f"metadata member {printable(ascii(key))} left out: {why}")
            del data[key]
    features = data.get("features")
    if isinstance(features, list):
        kept = []
        for i, feat in enumerate(features):
            if _unicode_ok(feat):
                kept.append(feat)
            else:
                fid = feat.get("id") if isinstance(feat, dict) else None
                problems(path, feature_label(i, fid if _unicode_ok(fid) else ascii(fid)), why)
                kept.append(_DROPPED)  # keeps the other features' positions
        data["features"] = kept
    return data


def _collection(data: dict[str, Any], path: Path, problems: Problems) -> tuple[list[Any] | None, CRS | None]:
    """The feature list of a GeoJSON object and the CRS of its legacy ``crs`` member."""
    kind = data.get("type")
    if kind == "Topology":
        problems(path, None, "TopoJSON is not supported; convert it to GeoJSON first "
                             "(e.g. `ogr2ogr out.geojson in.json`)")
        return None, None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            problems(path, None, "FeatureCollection without a 'features' list")
            return None, None
    elif kind == "Feature":
        features = [data]
    elif kind in _GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        problems(path, None, f"not GeoJSON (top-level type {kind!r})")
        return None, None
    try:
        src_crs = crs_from_member(data.get("crs"), path)
    except DataError as exc:
        problems(path, None, exc.reason)
        return None, None
    if not features:
        problems(path, None, "no features (empty collection)")
        return None, None
    return features, src_crs


def _members(data: dict[str, Any]) -> dict[str, Any]:
    """The metadata foreign members of a GeoJSON FeatureCollection."""
    if data.get("type") != "FeatureCollection":
        return {}
    return {k: data[k] for k in FOREIGN_MEMBERS if k in data}
