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
import errno
import json
import math
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from ._atomic import TMP_PREFIX
from .errors import DataError, SkippedFeaturesWarning, caller_stacklevel, format_problem, printable

OnError = Literal["raise", "skip"]
#: File suffixes :func:`read` understands, and the reader each one uses.
SUFFIXES: dict[str, str] = {
    ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
    ".parquet": "parquet", ".geoparquet": "parquet", ".csv": "csv",
}
#: Export formats of :func:`write` and the suffix each gets by default.
FORMATS: dict[str, str] = {
    "geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv", "json": ".json",
}
_FORMAT_ALIASES = {"geopackage": "gpkg", "geoparquet": "parquet", "wkt": "csv"}
#: Key under which the ``.attrs`` metadata is stored in GeoPackage and GeoParquet files.
METADATA_KEY = "corridors"
#: ``.attrs`` entries written as GeoJSON foreign members and read back from them.
_FOREIGN_MEMBERS = ("corridor", "corridors", "sources", "skipped")
_RESERVED_MEMBERS = {"type", "features", "crs", "bbox", "geometry", "properties", "id"}
_LINE_TYPES = {"LineString", "MultiLineString"}
_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon", "GeometryCollection"}
#: GeoJSON names of shapely's geometry type ids.
_TYPE_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
               "GeometryCollection")
_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "CRS84", "OGC:CRS84",
          "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326"}
#: Columns :func:`read` adds; a property of the same name is kept as the value (provenance of a re-read export).
_PROVENANCE = ("source_file", "source_feature")
_GDAL_CSV_TYPES = {"String": "str", "Integer": "Int64", "Integer64": "Int64", "Real": "float64",
                   "WKT": "wkt"}


# ----------------------------------------------------------------------------- problems


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


class _FileProblems(_Problems):
    """Gathers one file's problems so they are reported in feature order.

    The checks run in stages (structure, numbers, coordinates), so problems are found out
    of order; :meth:`flush` passes them on sorted by feature position (the number every
    feature label starts with), and with ``on_error="raise"`` the first bad feature raises.
    """

    def __init__(self, parent: _Problems) -> None:
        super().__init__("skip")
        self.parent = parent

    def flush(self) -> None:
        def position(skip: Skip) -> int:
            return -1 if skip.feature is None else int(skip.feature.split()[0])

        for skip in sorted(self.skipped, key=position):
            self.parent(skip.file, skip.feature, skip.reason)
        self.skipped = []


def _kind_of(mode: int) -> str:
    """Words for a file type that is neither a regular file nor a folder."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _stat(path: Path) -> tuple[os.stat_result | None, str | None]:
    """``os.stat`` (links followed), or why the path cannot be used."""
    try:
        return os.stat(path), None
    except FileNotFoundError:
        if path.is_symlink():
            return None, "a symbolic link to a missing file"
        return None, "no such file or directory"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "a symbolic link that loops"
        return None, f"cannot open: {exc.strerror or exc}"


def input_files(path: str | os.PathLike[str], on_error: OnError = "raise",
                problems: Callable[[Path, str | int | None, str], None] | None = None) -> list[Path]:
    """The files :func:`read` reads for ``path``: the file itself, or every readable file in a folder.

    A folder is searched recursively, following links to folders but never twice into the
    same folder (a loop of links ends there). Only regular files are read: a FIFO, a
    device or a socket, an unreadable sub-folder, a broken link or a link that loops is a
    problem, reported through ``problems`` (or raised), never passed over silently and
    never opened (opening a FIFO would wait for a writer forever).

    Parameters
    ----------
    path : str or PathLike
        A file or a folder.
    on_error : {"raise", "skip"}
        Without ``problems``: raise the first problem as :class:`DataError` ("raise") or
        leave the file out silently ("skip"; for callers that only need the list).
    problems : callable, optional
        Called as ``problems(path, None, reason)`` for each problem (:func:`read` passes
        its problem log, which raises or records).

    Returns
    -------
    list of pathlib.Path
        In a stable (sorted) order.

    Raises
    ------
    DataError
        When ``path`` itself cannot be read, or holds no readable file.
    """
    def report(where: Path, reason: str) -> None:
        if problems is not None:
            problems(where, None, reason)
        elif on_error == "raise":
            raise DataError(reason, where)

    path = Path(path)
    st, why = _stat(path)
    if st is None:
        raise DataError(why or "cannot open", path)
    if stat.S_ISREG(st.st_mode):
        if path.suffix.lower() not in SUFFIXES:
            raise DataError(f"unsupported file type {path.suffix or '(none)'!r}; "
                            f"use one of {', '.join(sorted(SUFFIXES))}", path)
        return [path]
    if not stat.S_ISDIR(st.st_mode):
        raise DataError(f"{_kind_of(st.st_mode)}, not a file or folder of lines", path)
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = [path]
    while pending:
        folder = pending.pop()
        try:
            fst = os.stat(folder)
            if (fst.st_dev, fst.st_ino) in seen:
                report(folder, "a link to a folder already searched (a loop of links, or a second link "
                               "to one folder): not searched again")
                continue
            seen.add((fst.st_dev, fst.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            report(folder, f"cannot read the folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            item = Path(entry.path)
            est, why = _stat(item)
            if est is None:
                if item.suffix.lower() in SUFFIXES or why != "a symbolic link to a missing file":
                    report(item, why or "cannot open")
                continue
            if stat.S_ISDIR(est.st_mode):
                if entry.name.startswith(TMP_PREFIX):
                    report(item, "a temporary folder left by an interrupted write (it holds no finished "
                                 "file): not read; delete it")
                    continue
                pending.append(item)
            elif item.suffix.lower() in SUFFIXES:
                if stat.S_ISREG(est.st_mode):
                    found.append(item)
                else:
                    report(item, f"{_kind_of(est.st_mode)}, not a regular file: not read")
    if not found:
        raise DataError(f"no GeoJSON/GeoPackage/GeoParquet/CSV files in the directory "
                        f"(looked for {', '.join(sorted(SUFFIXES))})", path)
    return sorted(found)


def _feature_label(i: int, fid: object) -> str:
    return f"{i}" if fid is None else f"{i} (id {fid!r})"


# ----------------------------------------------------------------------------- line arrays


@dataclass
class _Lines:
    """Lines as flat arrays: the form every reader produces and :func:`_check_lines` checks.

    ``coords`` holds the 2D positions of every part, part after part; ``part_len`` the
    number of positions of each part; ``part_feat`` the (0-based, local) feature of each
    part; ``multi`` whether each feature is a MultiLineString.
    """

    coords: np.ndarray
    part_len: np.ndarray
    part_feat: np.ndarray
    multi: np.ndarray

    @property
    def n(self) -> int:
        return len(self.multi)

    def take(self, keep: np.ndarray) -> _Lines:
        """The features where ``keep`` is True, with their parts renumbered."""
        if keep.all():
            return self
        keep_part = keep[self.part_feat]
        new_id = np.cumsum(keep) - 1
        return _Lines(self.coords[np.repeat(keep_part, self.part_len)], self.part_len[keep_part],
                      new_id[self.part_feat[keep_part]], self.multi[keep])

    @staticmethod
    def concat(items: list[_Lines]) -> _Lines:
        offsets = np.cumsum([0] + [it.n for it in items[:-1]])
        return _Lines(np.concatenate([it.coords for it in items]),
                      np.concatenate([it.part_len for it in items]),
                      np.concatenate([it.part_feat + off for it, off in zip(items, offsets)]),
                      np.concatenate([it.multi for it in items]))

    @staticmethod
    def from_geometries(geoms: np.ndarray) -> _Lines:
        """Decompose (Multi)LineStrings (any dimension) into flat 2D arrays."""
        parts, part_feat = shapely.get_parts(geoms, return_index=True)
        coords, vidx = shapely.get_coordinates(parts, return_index=True)
        part_len = np.bincount(vidx, minlength=len(parts)).astype(np.int64)
        multi = shapely.get_type_id(geoms) == 5
        return _Lines(coords, part_len, part_feat.astype(np.int64), multi)

    def geometries(self) -> np.ndarray:
        """Build the shapely geometries (one vectorised call per geometry kind)."""
        out = np.empty(self.n, dtype=object)
        if self.n == 0:
            return out
        # empty parts of a MultiLineString are dropped; checked features keep at least one part
        filled = self.part_len > 0
        part_len, part_feat = self.part_len[filled], self.part_feat[filled]
        parts = shapely.linestrings(self.coords, indices=np.repeat(np.arange(len(part_len)), part_len))
        multi_part = self.multi[part_feat]
        # a LineString feature has exactly one part, in feature order
        out[~self.multi] = parts[~multi_part]
        if self.multi.any():
            rank = np.cumsum(self.multi) - 1
            out[self.multi] = shapely.multilinestrings(parts[multi_part], indices=rank[part_feat[multi_part]])
        return out


def _per_feature(flags: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """True for each of ``n`` features owning at least one True flag."""
    return np.bincount(owner[flags], minlength=n) > 0 if n else np.zeros(0, bool)


def _check_lines(lines: _Lines, labels: list[str], path: Path, problems: _Problems,
                 crs_note: str = "") -> np.ndarray:
    """Check coordinates (vectorised); report bad features; return the mask of good ones.

    Reasons, in this order of precedence: a part with one position, NaN/infinite
    coordinates, an empty geometry, a longitude or latitude out of range, and a line whose
    positions are all the same point.
    """
    n = lines.n
    if n == 0:
        return np.zeros(0, bool)
    part_len, part_feat, xy = lines.part_len, lines.part_feat, lines.coords
    one_pos = _per_feature(part_len == 1, part_feat, n)
    nonempty = _per_feature(part_len > 0, part_feat, n)
    vert_feat = np.repeat(part_feat, part_len)
    with np.errstate(invalid="ignore"):
        nonfinite = _per_feature(~np.isfinite(xy).all(axis=1), vert_feat, n)
        lon_out = np.abs(xy[:, 0]) > 180
        lat_out = np.abs(xy[:, 1]) > 90
    lon_bad = _per_feature(lon_out, vert_feat, n)
    lat_bad = _per_feature(lat_out, vert_feat, n)
    # a part whose positions are all the same point has no length and no direction
    starts = np.cumsum(part_len) - part_len
    first = np.repeat(xy[starts[part_len > 0]], part_len[part_len > 0], axis=0)
    moving_vertex = (xy != first).any(axis=1)
    vert_part = np.repeat(np.arange(len(part_len)), part_len)
    part_moves = np.bincount(vert_part[moving_vertex], minlength=len(part_len)) > 0
    degenerate = _per_feature((part_len > 1) & ~part_moves, part_feat, n)
    bad = one_pos | nonfinite | ~nonempty | lon_bad | lat_bad | degenerate
    for i in np.flatnonzero(bad):
        if one_pos[i]:
            reason = "a line needs at least 2 positions"
        elif nonfinite[i]:
            reason = "coordinates are NaN or infinite" + crs_note
        elif not nonempty[i]:
            reason = "empty geometry"
        elif lon_bad[i] or lat_bad[i]:
            mine = vert_feat == i
            c = xy[mine]
            what = (f"longitude {c[np.argmax(np.abs(c[:, 0])), 0]:g}" if lon_bad[i]
                    else f"latitude {c[np.argmax(np.abs(c[:, 1])), 1]:g}")
            reason = (f"{what} is out of range (|lon| <= 180, |lat| <= 90); projected coordinates "
                      f"given as lon/lat, or a missing CRS?{crs_note}")
        else:
            reason = "a line whose positions are all the same point"
        problems(path, labels[i], reason)
    return ~bad


@lru_cache(maxsize=64)
def _to_lonlat(crs_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(crs_wkt), "EPSG:4326", always_xy=True)


def _transform(xy: np.ndarray, crs: CRS) -> np.ndarray:
    """Positions from ``crs`` to lon/lat (non-transformable ones become inf)."""
    if not len(xy):
        return xy
    x, y = _to_lonlat(crs.to_wkt()).transform(xy[:, 0], xy[:, 1], errcheck=False)
    return np.column_stack([x, y])


# ----------------------------------------------------------------------------- GeoJSON


@lru_cache(maxsize=256)
def _crs_from_name(name: str) -> CRS | None:
    if name in _CRS84:
        return None
    crs = CRS.from_user_input(name)
    if crs.equals("OGC:CRS84") or crs.equals("EPSG:4326"):
        return None
    return crs


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


class _GeoJSONBatch:
    """Features of many GeoJSON files gathered for one vectorised build."""

    def __init__(self) -> None:
        self.lines: list[_Lines] = []
        self.props: list[dict[str, Any] | None] = []
        self.labels: list[str] = []
        self.fids: list[Any] = []
        self.file_ids: list[np.ndarray] = []

    def add_file(self, path: Path, file_id: int, problems: _Problems) -> dict[str, Any] | None:
        """Parse one file, check it and keep its good features; return its foreign members."""
        mine = _FileProblems(problems)
        members = self._add_file(path, file_id, mine)
        mine.flush()
        return members

    def _add_file(self, path: Path, file_id: int, problems: _Problems) -> dict[str, Any] | None:
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
                problems(path, _feature_label(i, fid), reason)
                continue
            props.append(prop)
            labels.append(_feature_label(i, fid))
            fids.append(fid)
            parts.extend(geom_parts)
            nparts.append(len(geom_parts))
            multi.append(is_multi)
        if not props:
            return _members(data)
        part_len_arr = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        part_feat = np.repeat(np.arange(len(props)), nparts)
        lines = _Lines(np.empty((0, 2)), part_len_arr, part_feat, np.array(multi, dtype=bool))
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
            lines.coords = _transform(xy, src_crs)
            note = f" (after transforming from {src_crs.to_string()})"
        lines = lines.take(keep)
        props, labels, fids = _select(props, keep), _select(labels, keep), _select(fids, keep)
        good = _check_lines(lines, labels, path, problems, note)
        self.lines.append(lines.take(good))
        self.props.extend(_select(props, good))
        self.labels.extend(_select(labels, good))
        self.fids.extend(_select(fids, good))
        self.file_ids.append(np.full(int(good.sum()), file_id))
        return _members(data)

    def frame(self) -> tuple[pd.DataFrame, np.ndarray] | None:
        """One table of every kept feature and its geometries (None if there are none)."""
        if not self.props:
            return None
        table = _property_table(self.props)
        table["_feature"] = np.array(self.labels, dtype=object)
        table["_fid"] = np.array(self.fids + [None], dtype=object)[:-1]
        table["_file"] = np.concatenate(self.file_ids)
        return table, _Lines.concat(self.lines).geometries()


def _select(items: list[Any], keep: np.ndarray) -> list[Any]:
    return [x for x, k in zip(items, keep) if k]


def _load_json(path: Path, problems: _Problems) -> tuple[dict[str, Any] | None, bool]:
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


def _drop_surrogates(data: dict[str, Any], path: Path, problems: _Problems) -> dict[str, Any] | None:
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
                problems(path, _feature_label(i, fid if _unicode_ok(fid) else ascii(fid)), why)
                kept.append(_DROPPED)  # keeps the other features' positions
        data["features"] = kept
    return data


def _collection(data: dict[str, Any], path: Path, problems: _Problems) -> tuple[list[Any] | None, CRS | None]:
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
        src_crs = _crs_from_member(data.get("crs"), path)
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
    return {k: data[k] for k in _FOREIGN_MEMBERS if k in data}


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


def _attrs_from_text(text: Any, path: Path, problems: _Problems) -> dict[str, Any]:
    if text in (None, b"", ""):
        return {}
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        problems(path, None, f"'{METADATA_KEY}' metadata is not valid JSON")
        return {}
    return value if isinstance(value, dict) else {}


def _read_table(path: Path, fmt: str, problems: _Problems) -> list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]]:
    """Read a GeoPackage (layer by layer), GeoParquet or WKT-CSV file and its stored metadata.

    Returns ``(layer name, frame, metadata)`` for each layer with features; the layer name
    is None for single-layer formats and for a GeoPackage with one layer of lines.
    """
    what = {"parquet": "GeoParquet", "gpkg": "GeoPackage", "csv": "CSV"}[fmt]
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


def _read_gpkg(path: Path, problems: _Problems) -> list[tuple[str | None, gpd.GeoDataFrame, dict[str, Any]]]:
    """Every layer of a GeoPackage that has geometries, each with its own CRS and metadata."""
    import pyogrio

    layers = []
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
                 problems: _Problems, layer: str | None = None) -> tuple[pd.DataFrame, np.ndarray] | None:
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
    lines = _Lines.from_geometries(geom[ok])
    note = ""
    if src_crs is not None:
        lines.coords = _transform(lines.coords, src_crs)
        note = f" (after transforming from {src_crs.to_string()})"
    kept_labels = _select(labels, ok)
    good = _check_lines(lines, kept_labels, path, problems, note)
    if not good.any():
        return None
    out = pd.DataFrame(gdf.drop(columns=gdf.geometry.name).loc[ok].loc[good]).reset_index(drop=True)
    out = out.rename(columns={c: _safe_name(c) for c in out.columns})
    out["_feature"] = np.array(_select(kept_labels, good), dtype=object)
    out["_fid"] = None
    out["_file"] = file_id
    return out, lines.take(good).geometries()


# ----------------------------------------------------------------------------- read


def _checked_members(members: dict[str, Any], path: Path, problems: _Problems) -> dict[str, Any]:
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
    problems = _Problems(on_error)
    files = input_files(path, problems=problems)
    batch = _GeoJSONBatch()
    tables: list[tuple[pd.DataFrame, np.ndarray]] = []
    found: list[dict[str, Any]] = []
    for file_id, file in enumerate(progress(files) if progress else files):
        fmt = SUFFIXES[file.suffix.lower()]
        if fmt == "geojson":
            members = batch.add_file(file, file_id, problems)
        else:
            members = {}
            for layer, gdf, attrs in _read_table(file, fmt, problems):
                mine = _FileProblems(problems)
                table = _table_lines(gdf, file, file_id, mine, layer)
                mine.flush()
                if table is not None:
                    tables.append(table)
                members = members or attrs
        if members:
            found.append(_checked_members(members, file, problems))
    frames = [f for f in [batch.frame(), *tables] if f is not None]
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


def _typed_rows(gdf: gpd.GeoDataFrame, problems: _Problems) -> gpd.GeoDataFrame:
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


class SkipRecords(list):
    """The list in ``.attrs["skipped"]``: one dict (file, feature, reason) per skip.

    pandas deep-copies a frame's ``attrs`` into every frame or column derived from it (each
    ``gdf["col"]``); a deep copy of thousands of records took 60 ms per column access on
    the GEM corpus. This list is copied shallowly instead: the copy is a new list holding
    the same (read-only by convention) records.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> SkipRecords:
        return SkipRecords(self)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text_or_default(values: np.ndarray, default: np.ndarray) -> np.ndarray:
    """``values`` as text where present and not blank, else ``default`` (object arrays)."""
    return np.array([d if _missing(v) or not str(v).strip() else str(v) for v, d in zip(values, default)],
                    dtype=object)


def _given_or(out: pd.DataFrame, column: str, default: np.ndarray) -> np.ndarray:
    """The column's values where present, else ``default``."""
    if column not in out:
        return default
    values = out[column].to_numpy(dtype=object)
    return np.where(pd.isna(values), default, values)


def _assemble(frames: list[tuple[pd.DataFrame, np.ndarray]], files: list[Path],
              problems: _Problems) -> gpd.GeoDataFrame:
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
    default_seg = np.array([f"{c}/{k if _missing(f) else f}" for c, f, k in zip(cid, fid, number)], dtype=object)
    seg = _text_or_default(out["segment_id"].to_numpy(dtype=object), default_seg) if "segment_id" in out \
        else default_seg
    front = {"corridor_id": cid, "segment_id": seg, "branch": _given_or(out, "branch", np.full(n, "main", object))}
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
