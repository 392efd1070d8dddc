"""The bundled connecting links and the dates of segments and links.

Links are the existing lines that join the four corridors into one network (trunk
railways of Xinjiang, Uzbekistan and Turkmenistan, the Kashgar–Kulma road, ...). They
share the corridor segment schema (``docs/DATA_FORMAT.md``) with a few extra columns and
live in ``geodata/links/``, built by ``scripts/build_layers.py`` from the waypoint data in
``scripts/data/``. Links are not corridors: :func:`corridors.list_corridors` stays the four.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .catalog import frame_of, geodata_dir, load_all, read_collection
from .errors import DataError
from .schema import PLACE_COLUMNS, SEGMENT_COLUMNS, is_missing, validate_places, validate_segments, validate_sources

#: Columns a links layer has after the segment columns.
LINK_COLUMNS: tuple[str, ...] = ("kind", "link_id", "opened", "planned_opening")
#: Columns of :func:`timeline`.
TIMELINE_COLUMNS: tuple[str, ...] = (
    "layer", "segment_id", "name", "mode", "status", "opened", "planned_from", "planned_to",
    "in_service_from", "sources",
)
_YEAR = re.compile(r"^(\d{4})")


@lru_cache(maxsize=1)
def _links_cached() -> gpd.GeoDataFrame:
    path = geodata_dir() / "links" / "links.geojson"
    data = read_collection(path)
    problems = validate_sources(data.get("sources"), "links")
    if problems:
        raise DataError("; ".join(problems), path)
    gdf = frame_of(data.get("features", []), SEGMENT_COLUMNS + LINK_COLUMNS)
    gdf["gauge_mm"] = gdf["gauge_mm"].astype("Int64")
    gdf["accuracy_km"] = gdf["accuracy_km"].astype(float)
    validate_segments(gdf, data["sources"], str(path))
    gdf.attrs = {"links": data.get("links", []), "sources": {s["id"]: s for s in data["sources"]},
                 "licence": data.get("licence", "")}
    return gdf


def load_links() -> gpd.GeoDataFrame:
    """The bundled connecting links between the corridors.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString row per section between named places, EPSG:4326, columns
        :data:`corridors.schema.SEGMENT_COLUMNS` (``corridor_id`` is ``"links"``,
        ``branch`` the link id) then :data:`LINK_COLUMNS`: ``kind`` (e.g. "trunk railway",
        "highway"), ``link_id``, ``opened`` (year in service), ``planned_opening``.
        ``.attrs["links"]`` holds one record per link (stated lengths and dated events,
        each with a source id), ``.attrs["sources"]`` maps source id -> record and
        ``.attrs["licence"]`` states the OpenStreetMap (ODbL) attribution of traced geometry.
    """
    gdf = _links_cached().copy()
    gdf.attrs = copy.deepcopy(_links_cached().attrs)
    return gdf


@lru_cache(maxsize=1)
def _link_places_cached() -> gpd.GeoDataFrame:
    path = geodata_dir() / "links" / "places.geojson"
    data = read_collection(path)
    gdf = frame_of(data.get("features", []), PLACE_COLUMNS)
    gdf["accuracy_km"] = gdf["accuracy_km"].astype(float)
    validate_places(gdf, data.get("sources", []), str(path))
    gdf.attrs["sources"] = {s["id"]: s for s in data.get("sources", [])}
    return gdf


def link_places() -> gpd.GeoDataFrame:
    """The places the links add to the bundled places (stations and cities on the links).

    Returns
    -------
    geopandas.GeoDataFrame
        Points with :data:`corridors.schema.PLACE_COLUMNS` (``corridor_ids`` is ``"links"``);
        ``.attrs["sources"]`` maps source id -> record.
    """
    gdf = _link_places_cached().copy()
    gdf.attrs = copy.deepcopy(_link_places_cached().attrs)
    return gdf


@lru_cache(maxsize=1)
def _segment_dates() -> dict[str, Any]:
    path = geodata_dir() / "dates" / "segments.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the segment dates: {exc}", path) from exc


def _year(value: Any) -> float:
    match = _YEAR.match(str(value)) if value is not None and not pd.isna(value) else None
    return float(match.group(1)) if match else np.nan


def _dated(lines: pd.DataFrame) -> pd.DataFrame:
    """``opened``, ``planned_from``, ``planned_to`` (years, NaN when unknown) and their sources."""
    dates = _segment_dates()["segments"]
    seg = lines["segment_id"].astype(str).to_numpy() if "segment_id" in lines.columns else np.full(len(lines), "")
    rec = [dates.get(s, {}) for s in seg]
    opened = np.array([_year(r.get("opened")) for r in rec])
    plan = [r.get("planned_opening") or [None, None] for r in rec]
    lo = np.array([_year(p[0]) for p in plan])
    hi = np.array([_year(p[-1]) for p in plan])
    if "opened" in lines.columns:
        own = np.array([_year(v) for v in lines["opened"]])
        opened = np.where(np.isnan(opened), own, opened)
    if "planned_opening" in lines.columns:
        given = [str(v).split("/") if isinstance(v, str) else [None] for v in lines["planned_opening"]]
        lo = np.where(np.isnan(lo), [_year(p[0]) for p in given], lo)
        hi = np.where(np.isnan(hi), [_year(p[-1]) for p in given], hi)
    srcs = ["; ".join(r.get("sources", [])) for r in rec]
    return pd.DataFrame({"opened": opened, "planned_from": lo, "planned_to": hi, "date_sources": srcs},
                        index=lines.index)


def in_service_from(lines: pd.DataFrame) -> np.ndarray:
    """First year each line is taken as in service (NaN: never, on present knowledge).

    A line is in service from its ``opened`` year; else, if it has a planned opening,
    from the *latest* year of the planned range (where sources disagree the later date is
    used, so a year filter never shows a line before every source expects it); else from
    the beginning of time if its ``status`` is ``operating`` (or it has no status: a user's
    line), and never otherwise (proposed, stalled, ... without a date).

    Parameters
    ----------
    lines : pandas.DataFrame
        With ``segment_id`` (bundled dates are looked up by it) and optionally
        ``status``, ``opened``, ``planned_opening`` (``"YYYY"`` or ``"YYYY/YYYY"``).

    Returns
    -------
    numpy.ndarray of float
        Years; ``-inf`` for "always", NaN for "never".
    """
    d = _dated(lines)
    status = lines["status"].to_numpy(dtype=object) if "status" in lines.columns else np.full(len(lines), None)
    always = np.array([is_missing(s) or (isinstance(s, str) and s.strip().casefold() == "operating") for s in status],
                      dtype=bool)
    out = np.where(~np.isnan(d["opened"]), d["opened"], np.where(~np.isnan(d["planned_to"]), d["planned_to"], np.nan))
    return np.where(np.isnan(out) & always, -np.inf, out)


def timeline() -> pd.DataFrame:
    """When each bundled segment and link opened or is planned to open, with sources.

    Returns
    -------
    pandas.DataFrame
        :data:`TIMELINE_COLUMNS`: ``layer`` (corridor id or ``"links"``), ``segment_id``,
        ``name``, ``mode``, ``status``, ``opened`` (year, NaN if not recorded),
        ``planned_from``/``planned_to`` (planned opening range, years), ``in_service_from``
        (the year :func:`corridors.network` uses for ``year=``; NaN = not in service in any
        year; ``-inf`` = operating, date not recorded) and ``sources`` (ids of the date's
        sources). Sorted by ``in_service_from`` then layer.
    """
    lines = pd.concat([pd.DataFrame(load_all().drop(columns="geometry")),
                       pd.DataFrame(load_links().drop(columns="geometry"))], ignore_index=True)
    d = _dated(lines)
    link_sources = {rec["link_id"]: "; ".join(dict.fromkeys(e["source"] for e in rec["dates"]))
                    for rec in load_links().attrs["links"]}
    from_links = lines["link_id"].map(link_sources).fillna("") if "link_id" in lines.columns else ""
    d["date_sources"] = d["date_sources"].where(d["date_sources"] != "", from_links)
    out = pd.DataFrame({
        "layer": lines["corridor_id"], "segment_id": lines["segment_id"], "name": lines["name"],
        "mode": lines["mode"], "status": lines["status"], "opened": d["opened"],
        "planned_from": d["planned_from"], "planned_to": d["planned_to"],
        "in_service_from": in_service_from(lines), "sources": d["date_sources"],
    })
    return out.sort_values(["in_service_from", "layer"], kind="stable", na_position="last").reset_index(drop=True)
