"""The data model of corridor layers, places and corridor metadata, and its validation.

This is the one place that says what a valid bundled layer looks like (see
``docs/DATA_FORMAT.md``). The loaders call these validators; the test suite runs them
over every bundled file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._values import is_missing as is_missing  # public here; written once, in corridors._values
from .errors import DataError

#: Transport modes of a segment.
MODES: tuple[str, ...] = ("rail", "road", "pipeline", "sea")
#: Project status vocabulary, shared by segments and corridors, roughly in life-cycle order.
STATUSES: tuple[str, ...] = ("proposed", "construction", "stalled", "operating", "shelved", "cancelled")
#: Kinds of place in the places layer.
PLACE_KINDS: tuple[str, ...] = (
    "city", "station", "port", "border-checkpoint", "break-of-gauge", "pass", "facility",
)
#: Columns of a segment layer, in order (geometry follows).
SEGMENT_COLUMNS: tuple[str, ...] = (
    "corridor_id", "segment_id", "name", "mode", "status", "gauge_mm", "from_place",
    "to_place", "branch", "accuracy_km", "method", "via", "sources",
)
#: Columns of the places layer, in order (geometry follows).
PLACE_COLUMNS: tuple[str, ...] = (
    "place_id", "name", "local_name", "kind", "iso3", "corridor_ids", "description",
    "accuracy_km", "sources",
)
#: Keys every corridor metadata record must have.
METADATA_KEYS: tuple[str, ...] = (
    "id", "name", "local_names", "kind", "countries", "status", "stated_lengths", "cost",
    "capacity", "counts", "dates", "developer", "operator", "financiers", "description",
    "notes", "sources",
)
_QUANTITY_KEYS = ("stated_lengths", "cost", "capacity", "counts")
_PARTY_KEYS = ("developer", "operator", "financiers")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_SOURCE_KEYS = ("id", "publisher", "title", "url", "date")


def split_ids(value: object) -> list[str]:
    """Split a ``"; "``-separated id list (as stored in ``sources`` / ``corridor_ids``).

    Parameters
    ----------
    value : object
        The cell value; None/NaN gives an empty list.

    Returns
    -------
    list of str
    """
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def validate_sources(sources: object, where: str) -> list[str]:
    """Check a list of source records; return the problems found (empty if none).

    Parameters
    ----------
    sources : object
        Expected: a list of mappings with ``id``, ``publisher``, ``title``, ``url``, ``date``.
    where : str
        Prefix for the problem messages.

    Returns
    -------
    list of str
    """
    problems: list[str] = []
    if not isinstance(sources, list) or not sources:
        return [f"{where}: 'sources' must be a non-empty list of source records"]
    seen: set[str] = set()
    for i, src in enumerate(sources):
        if not isinstance(src, Mapping):
            problems.append(f"{where}: source {i} is not an object")
            continue
        bad = [k for k in _SOURCE_KEYS if k in src and not isinstance(src[k], str)]
        if bad:
            problems.append(f"{where}: source {i}: {', '.join(bad)} must be text")
            continue
        missing = [k for k in _SOURCE_KEYS if not src.get(k)]
        if missing:
            problems.append(f"{where}: source {src.get('id', i)!r} lacks {', '.join(missing)}")
        sid = src.get("id")
        if sid in seen:
            problems.append(f"{where}: duplicate source id {sid!r}")
        seen.add(str(sid))
        url = str(src.get("url", ""))
        if url and not url.startswith(("http://", "https://")):
            problems.append(f"{where}: source {sid!r} url is not http(s): {url!r}")
        date = str(src.get("date", ""))
        if date and not _DATE_RE.match(date):
            problems.append(f"{where}: source {sid!r} date {date!r} is not YYYY[-MM[-DD]]")
    return problems


def _source_ids(sources: object) -> set[str]:
    if not isinstance(sources, list):
        return set()
    return {s["id"] for s in sources if isinstance(s, Mapping) and isinstance(s.get("id"), str)}


def metadata_type_problems(meta: Mapping[str, Any]) -> list[str]:
    """Wrong-typed members of a corridor metadata record (absent members are not checked).

    The record of a user's own corridor may hold only some members (a name, a stated
    length); whatever it holds must have the type the tables, profiles and maps read, so
    that a bad record is reported when it is read, not as a crash later.

    Parameters
    ----------
    meta : Mapping
        The record.

    Returns
    -------
    list of str
        One text per problem (empty if none).
    """
    problems: list[str] = []
    for key in ("id", "name", "kind", "status", "description"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            problems.append(f"{key!r} must be text")
    for key in (*_QUANTITY_KEYS, *_PARTY_KEYS, "dates", "notes", "countries", "sources"):
        if meta.get(key) is not None and not isinstance(meta[key], list):
            problems.append(f"{key!r} must be a list")
    if problems:
        return problems
    for key in ("notes", "countries"):
        if not all(isinstance(v, str) for v in meta.get(key) or []):
            problems.append(f"{key!r} must be a list of text")
    if meta.get("local_names") is not None and not (
            isinstance(meta["local_names"], Mapping) and all(isinstance(v, str) for v in meta["local_names"].values())):
        problems.append("'local_names' must map languages to text")
    text_fields = {**{k: ("unit", "source", "note") for k in _QUANTITY_KEYS},
                   **{k: ("name", "source", "note") for k in _PARTY_KEYS},
                   "dates": ("date", "event", "source", "note"), "sources": _SOURCE_KEYS}
    for key, fields in text_fields.items():
        for i, entry in enumerate(meta.get(key) or []):
            if not isinstance(entry, Mapping):
                problems.append(f"{key}[{i}] must be an object")
                continue
            wrong = [f for f in fields if entry.get(f) is not None and not isinstance(entry[f], str)]
            if wrong:
                problems.append(f"{key}[{i}]: {', '.join(wrong)} must be text")
            if key in _QUANTITY_KEYS:
                value = entry.get("value")
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    problems.append(f"{key}[{i}]: 'value' must be a finite number")
    return problems


def validate_metadata(meta: object, path: str | None = None) -> None:
    """Validate one corridor metadata record.

    Parameters
    ----------
    meta : object
        The ``corridor`` member of a corridor layer.
    path : str, optional
        File name used in the error message.

    Raises
    ------
    DataError
        Listing every problem found.
    """
    if not isinstance(meta, Mapping):
        raise DataError("corridor metadata ('corridor' member) is missing or not an object", path)
    problems: list[str] = []
    missing = [k for k in METADATA_KEYS if k not in meta]
    if missing:
        problems.append(f"metadata lacks {', '.join(missing)}")
    problems += metadata_type_problems(meta)
    if problems:
        raise DataError("invalid corridor metadata: " + "; ".join(problems), path)
    problems += validate_sources(meta.get("sources"), "metadata")
    ids = _source_ids(meta.get("sources"))
    if meta.get("status") not in STATUSES:
        problems.append(f"metadata status {meta.get('status')!r} not in {STATUSES}")
    countries = meta.get("countries")
    if not isinstance(countries, list) or not all(
        isinstance(c, str) and _ISO3_RE.match(c) for c in countries
    ):
        problems.append("metadata 'countries' must be a list of ISO 3166-1 alpha-3 codes")
    for key in _QUANTITY_KEYS:
        for i, entry in enumerate(meta.get(key) or []):
            value = entry.get("value") if isinstance(entry, Mapping) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                problems.append(f"{key}[{i}]: 'value' must be a finite number")
            if not isinstance(entry, Mapping) or not entry.get("unit"):
                problems.append(f"{key}[{i}]: lacks a 'unit'")
            if not isinstance(entry, Mapping) or entry.get("source") not in ids:
                problems.append(f"{key}[{i}]: source {entry.get('source') if isinstance(entry, Mapping) else None!r} is not in sources")
    if not meta.get("stated_lengths"):
        problems.append("metadata has no stated_lengths")
    for i, entry in enumerate(meta.get("stated_lengths") or []):
        if isinstance(entry, Mapping) and entry.get("unit") != "km":
            problems.append(f"stated_lengths[{i}]: unit must be 'km'")
    for i, entry in enumerate(meta.get("dates") or []):
        if not isinstance(entry, Mapping) or not _DATE_RE.match(str(entry.get("date", ""))):
            problems.append(f"dates[{i}]: 'date' must be YYYY[-MM[-DD]]")
        elif entry.get("source") not in ids:
            problems.append(f"dates[{i}]: source {entry.get('source')!r} is not in sources")
    for key in _PARTY_KEYS:
        for i, entry in enumerate(meta.get(key) or []):
            if not isinstance(entry, Mapping) or not entry.get("name"):
                problems.append(f"{key}[{i}]: lacks a 'name'")
            elif entry.get("source") not in ids:
                problems.append(f"{key}[{i}]: source {entry.get('source')!r} is not in sources")
    if problems:
        raise DataError("invalid corridor metadata: " + "; ".join(problems), path)


def _check_columns(df: pd.DataFrame, columns: Iterable[str], what: str, path: str | None) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what} lacks column(s) {', '.join(missing)}", path)


def _row_problems(df: pd.DataFrame, key: str, label: str) -> list[tuple[Any, str]]:
    """Problems shared by segments and places: geometry, accuracy and source ids."""
    out: list[tuple[Any, str]] = []
    geom = df.geometry
    bad_geom = geom.isna() | geom.is_empty | ~geom.is_valid
    for ident in df.loc[bad_geom, key]:
        out.append((ident, f"{label} geometry is missing, empty or invalid"))
    acc = pd.to_numeric(df["accuracy_km"], errors="coerce")
    for ident in df.loc[~(acc > 0), key]:
        out.append((ident, "accuracy_km must be a positive number"))
    dup = df[key].duplicated(keep=False)
    for ident in df.loc[dup, key].unique():
        out.append((ident, f"duplicate {key}"))
    return out


def validate_segments(
    gdf: pd.DataFrame, sources: list[Mapping[str, Any]], path: str | None = None
) -> None:
    """Validate a bundled segment layer against the data model.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Segments with :data:`SEGMENT_COLUMNS`.
    sources : list of mapping
        The corridor's source records (ids referenced by ``sources`` cells).
    path : str, optional
        File name for messages.

    Raises
    ------
    DataError
        Naming the first offending feature(s) and every reason.
    """
    _check_columns(gdf, SEGMENT_COLUMNS, "segment layer", path)
    problems = _row_problems(gdf, "segment_id", "segment")
    ids = _source_ids(sources)
    types = gdf.geometry.geom_type
    for seg, gtype, mode, status, gauge, srcs in zip(
        gdf["segment_id"], types, gdf["mode"], gdf["status"], gdf["gauge_mm"], gdf["sources"]
    ):
        if gtype != "LineString":
            problems.append((seg, f"geometry is {gtype}, expected LineString"))
        if mode not in MODES:
            problems.append((seg, f"mode {mode!r} not in {MODES}"))
        if status not in STATUSES:
            problems.append((seg, f"status {status!r} not in {STATUSES}"))
        has_gauge = not is_missing(gauge)
        if mode == "rail" and not has_gauge:
            problems.append((seg, "rail segment without gauge_mm"))
        if mode != "rail" and has_gauge:
            problems.append((seg, f"{mode} segment with a gauge_mm"))
        refs = split_ids(srcs)
        if not refs:
            problems.append((seg, "no sources"))
        for ref in refs:
            if ref not in ids:
                problems.append((seg, f"source {ref!r} is not in the corridor's sources"))
    for col in ("name", "from_place", "to_place", "branch", "method", "via"):
        for seg in gdf.loc[gdf[col].isna() | (gdf[col].astype(str).str.strip() == ""), "segment_id"]:
            problems.append((seg, f"empty {col}"))
    if problems:
        seg, _ = problems[0]
        raise DataError("; ".join(f"{s}: {r}" for s, r in problems), path, feature=seg)


def validate_places(
    gdf: pd.DataFrame, sources: list[Mapping[str, Any]], path: str | None = None
) -> None:
    """Validate a bundled places layer against the data model.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Points with :data:`PLACE_COLUMNS`.
    sources : list of mapping
        The file's source records.
    path : str, optional
        File name for messages.

    Raises
    ------
    DataError
        Naming the offending place(s) and every reason.
    """
    _check_columns(gdf, PLACE_COLUMNS, "places layer", path)
    problems = _row_problems(gdf, "place_id", "place")
    ids = _source_ids(sources)
    for pid, gtype, kind, iso3, srcs in zip(
        gdf["place_id"], gdf.geometry.geom_type, gdf["kind"], gdf["iso3"], gdf["sources"]
    ):
        if gtype != "Point":
            problems.append((pid, f"geometry is {gtype}, expected Point"))
        if kind not in PLACE_KINDS:
            problems.append((pid, f"kind {kind!r} not in {PLACE_KINDS}"))
        if not isinstance(iso3, str) or not _ISO3_RE.match(iso3):
            problems.append((pid, f"iso3 {iso3!r} is not an ISO 3166-1 alpha-3 code"))
        refs = split_ids(srcs)
        if not refs:
            problems.append((pid, "no sources"))
        for ref in refs:
            if ref not in ids:
                problems.append((pid, f"source {ref!r} is not in the file's sources"))
    if problems:
        pid, _ = problems[0]
        raise DataError("; ".join(f"{p}: {r}" for p, r in problems), path, feature=pid)


#: Columns the analysis and the maps read, and the type each must hold where present.
COLUMN_TYPES: dict[str, str] = {
    "corridor_id": "id", "segment_id": "id", "branch": "text", "mode": "text", "status": "text",
    "sources": "text", "gauge_mm": "number", "accuracy_km": "number",
}


def column_type_problems(df: pd.DataFrame) -> dict[int, str]:
    """Rows whose value in a column of :data:`COLUMN_TYPES` has the wrong type.

    Text columns hold text (or a missing value); id columns text or whole numbers; number
    columns finite numbers (or a missing value; ``True``/``False`` are not numbers).

    Parameters
    ----------
    df : pandas.DataFrame
        Lines, with any of these columns.

    Returns
    -------
    dict
        Row position -> the reason of its first problem (empty if none).
    """
    found: dict[int, str] = {}
    for col, kind in COLUMN_TYPES.items():
        if col not in df.columns:
            continue
        series = df[col]
        dtype = series.dtype
        if kind in ("text", "id") and (pd.api.types.is_string_dtype(dtype) and dtype is not np.dtype(object)):
            continue  # pandas' string type: text or missing only
        if kind == "id" and pd.api.types.is_integer_dtype(dtype):
            continue
        if kind == "number" and pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            values = pd.array(series, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
            bad = np.flatnonzero(np.isinf(values))
            for i in bad:
                found.setdefault(int(i), f"property {col!r} must be a finite number, not {values[i]}")
            continue
        for j, value in enumerate(series.to_numpy(dtype=object)):
            if is_missing(value):  # (a list or dict is a value, not missing)
                continue
            if kind == "text":
                ok = isinstance(value, str)
            elif kind == "id":
                ok = isinstance(value, (str, int, np.integer)) and not isinstance(value, bool)
            else:
                ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
                      and math.isfinite(float(value)))
            if not ok:
                what = {"text": "text", "id": "text or a whole number", "number": "a finite number"}[kind]
                found.setdefault(j, f"property {col!r} must be {what}, not {_describe(value)}")
    return found


def _describe(value: object) -> str:
    """A short description of a value for a message: its type, and the value when short."""
    shown = repr(value)
    return f"{type(value).__name__} {shown}" if len(shown) <= 40 else type(value).__name__


def text_columns_as_objects(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each text column of :data:`COLUMN_TYPES` that holds no text (all values
    missing, e.g. a nullable integer column left after bad rows were removed) as ``object``,
    so that comparisons with text (``mode == "sea"``) give plain booleans."""
    for col, kind in COLUMN_TYPES.items():
        if kind == "text" and col in df.columns and not pd.api.types.is_string_dtype(df[col].dtype):
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df
