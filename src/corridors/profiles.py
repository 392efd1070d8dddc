"""The corridor profile: one summary of a corridor that a report can print or serialise.

:func:`profile` (``corridors.profile``) builds a :class:`Profile` from the public analysis
functions; this module holds the function, the record and its text and JSON forms, and
the comparison of stated (published) lengths with the geometry length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._checks import branch_of, checked_lines, main_rows
from ._values import is_missing, json_scalar
from .analysis import analyse, length_km, lengths_by, transfers
from .border_index import BorderIndex
from .catalog import load
from .engine import BORDER_TOLERANCE_KM, finish_lengths
from .errors import DataError
from .tables import FLOAT_DECIMALS, is_km

#: Adjectives that name a country's section in a stated-length note -> ISO 3166-1 alpha-3.
SECTION_ADJECTIVES: dict[str, str] = {
    "chinese": "CHN", "kyrgyz": "KGZ", "uzbek": "UZB", "tajik": "TJK", "turkmen": "TKM",
    "kazakh": "KAZ", "azerbaijani": "AZE", "azeri": "AZE", "georgian": "GEO", "turkish": "TUR",
    "afghan": "AFG", "russian": "RUS", "iranian": "IRN",
}
_SECTION_RE = re.compile(r"\b(" + "|".join(SECTION_ADJECTIVES) + r")\s+(section|part|portion|stretch)\b", re.I)
_PART_RE = re.compile(r"\b(section|part|portion|stretch|gauge)\b", re.I)


def stated_scope(note: str | None) -> tuple[str, str]:
    """What a stated length measures, judged from its note.

    Parameters
    ----------
    note : str or None
        The ``note`` of a ``stated_lengths`` entry.

    Returns
    -------
    scope : str
        ``"whole"`` (the whole corridor: the note says so, or names no part),
        ``"country"`` (one country's section, e.g. "Kyrgyz section") or ``"part"``
        (another part, e.g. "Torugart–Makmal, 1,435 mm gauge").
    iso3 : str
        The country of a ``"country"`` scope, else "".
    """
    text = note or ""
    if re.search(r"\b(whole|total)\b", text, re.I):
        return "whole", ""
    match = _SECTION_RE.search(text)
    if match:
        return "country", SECTION_ADJECTIVES[match.group(1).lower()]
    if _PART_RE.search(text):
        return "part", ""
    return "whole", ""


def stated_lengths(entries: Iterable[Mapping[str, Any]], total_km: float, by_country: pd.DataFrame) -> pd.DataFrame:
    """Compare each published length with the geometry length of the same scope.

    Parameters
    ----------
    entries : iterable of dict
        ``stated_lengths`` of a corridor's metadata (``value``, ``unit``, ``note``, ``source``).
    total_km : float
        Geodesic length of the corridor's geometry, km.
    by_country : pandas.DataFrame
        ``iso3`` and ``length_km`` per country (see :func:`corridors.lengths_by_country`).

    Returns
    -------
    pandas.DataFrame
        One row per entry: ``value``, ``unit``, ``note``, ``source``, ``scope``, ``iso3``,
        ``geometry_km`` (the comparable geometry length, NaN for ``"part"`` scopes or
        other units), ``diff_km`` (geometry minus stated), ``diff_pct`` (of the stated value).
    """
    per_country = by_country.groupby("iso3")["length_km"].sum().to_dict() if len(by_country) else {}
    rows = []
    for e in entries:
        scope, iso3 = stated_scope(e.get("note"))
        value = float(e["value"])
        factor = {"km": 1.0, "m": 0.001, "mi": 1.609344}.get(str(e.get("unit", "km")), math.nan)
        stated_km = value * factor
        geom = total_km if scope == "whole" else per_country.get(iso3, 0.0) if scope == "country" else math.nan
        rows.append({
            "value": value, "unit": e.get("unit", "km"), "note": e.get("note") or "", "source": e.get("source") or "",
            "scope": scope, "iso3": iso3, "geometry_km": geom if not math.isnan(factor) else math.nan,
            "diff_km": geom - stated_km, "diff_pct": (geom - stated_km) / stated_km * 100.0 if stated_km else math.nan,
        })
    columns = ["value", "unit", "note", "source", "scope", "iso3", "geometry_km", "diff_km", "diff_pct"]
    return pd.DataFrame(rows, columns=columns)


@dataclass
class Profile:
    """Summary of one corridor (see :func:`corridors.profile`). Lengths are geodesic km on WGS84.

    Attributes
    ----------
    corridor_id, name : str
        Identity of the corridor (``name`` from the metadata, else the id).
    length_km : float
        Geodesic length of the main line, km (alternative branches are not added in).
    by_country : pandas.DataFrame
        The main line's ``iso3``, ``country``, ``length_km``, ``share`` in route order (sea
        and offshore parts with ``iso3 == ""``).
    by_mode, by_status : pandas.DataFrame or None
        The main line's ``mode`` / ``status``, ``length_km``, ``share`` (None when the
        lines lack the column).
    crossings : geopandas.GeoDataFrame
        Land border crossings in order, of every branch (see :func:`corridors.border_crossings`).
    gauge_breaks, transshipments : geopandas.GeoDataFrame
        Transfer events of each kind, of every branch (see :func:`corridors.transfers`);
        ``seq`` numbers the events of one kind along each branch.
    stated : pandas.DataFrame
        Published lengths and their difference from the main line (see :func:`stated_lengths`).
    branches : pandas.DataFrame
        The alternative branches (every branch but the main line): ``branch``, ``length_km``.
    branch_by_country : pandas.DataFrame
        ``branch``, ``iso3``, ``country``, ``length_km``, ``share`` of each alternative branch.
    border_tolerance_km, moved_km, bridged_km : float
        The border tolerance used, the main line's length it settled on another country
        than the one its points lie in, and the main line's length outside every country
        counted for the country around it (see :func:`corridors.lengths_by_country`).
    edges : {"geodesic", "planar"}
        How a long segment was read when it was cut at borders (see
        :func:`corridors.lengths_by_country`); transfers lie at vertices, so it does not
        change them.
    """

    corridor_id: str
    name: str
    length_km: float
    by_country: pd.DataFrame
    by_mode: pd.DataFrame | None
    by_status: pd.DataFrame | None
    crossings: pd.DataFrame
    gauge_breaks: pd.DataFrame
    transshipments: pd.DataFrame
    stated: pd.DataFrame
    branches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"branch": [], "length_km": []}))
    branch_by_country: pd.DataFrame = field(default_factory=pd.DataFrame)
    border_tolerance_km: float = math.nan
    moved_km: float = 0.0
    bridged_km: float = 0.0
    edges: str = "geodesic"

    @property
    def stated_km(self) -> float | None:
        """The first whole-corridor stated length (km), or None if there is none."""
        whole = self.stated[(self.stated["scope"] == "whole") & self.stated["geometry_km"].notna()]
        return float(whole["value"].iloc[0]) if len(whole) else None

    @property
    def diff_pct(self) -> float | None:
        """Geometry length minus :attr:`stated_km`, in % of the stated length (None if none)."""
        stated = self.stated_km
        return None if not stated else (self.length_km - stated) / stated * 100.0

    def to_dict(self, decimals: int | None = None) -> dict[str, Any]:
        """The profile as plain, JSON-serialisable data.

        Parameters
        ----------
        decimals : int, optional
            Round kilometres (``length_km``, ``km``, ``*_km`` values) to this many decimals
            and other floats to 6 (``3``: metres, as the command line writes); full
            floats by default.

        Returns
        -------
        dict
            Keys ``corridor_id``, ``name``, ``length_km`` (the main line), ``stated_km``,
            ``diff_pct``, ``border_tolerance_km``, ``moved_km``, ``bridged_km``, ``edges`` and lists
            of records ``by_country``, ``by_mode``, ``by_status``, ``crossings``,
            ``gauge_breaks``, ``transshipments``, ``stated``, ``branches`` (each
            alternative branch with its ``length_km``, ``by_country`` and
            ``crossings``); points as ``lon``/``lat``; missing values as None.
        """
        branches = [{
            "branch": b, "length_km": json_scalar(km),
            "by_country": _records(self.branch_by_country[self.branch_by_country["branch"] == b].drop(columns="branch")),
            "crossings": _records(self.crossings[self.crossings["branch"] == b]),
        } for b, km in zip(self.branches["branch"], self.branches["length_km"])]
        out = {
            "corridor_id": self.corridor_id,
            "name": self.name,
            "length_km": json_scalar(self.length_km),
            "stated_km": self.stated_km,
            "diff_pct": json_scalar(self.diff_pct),
            "border_tolerance_km": json_scalar(self.border_tolerance_km),
            "moved_km": json_scalar(self.moved_km),
            "bridged_km": json_scalar(self.bridged_km),
            "edges": self.edges,
            **{key: _records(getattr(self, key)) for key in (
                "by_country", "by_mode", "by_status", "crossings", "gauge_breaks", "transshipments", "stated")},
            "branches": branches,
        }
        return out if decimals is None else round_floats(out, decimals)

    def to_text(self) -> str:
        """A plain-text report of the profile (km with three decimals: metres).

        The main line first (length, countries, mode, status, crossings, transfers), then
        each alternative branch with its own length, countries, crossings and transfers.
        """
        out = [f"{self.name} ({self.corridor_id})",
               f"Geometry length: {self.length_km:,.3f} km (WGS84 geodesic"
               + (", main line)" if len(self.branches) else ")")]
        if self.stated_km is not None:
            out.append(f"Stated length: {self.stated_km:,g} km ({self.diff_pct:+.1f}% geometry vs stated)")
        if not math.isnan(self.border_tolerance_km):
            out.append(f"Border tolerance: {self.border_tolerance_km:.3f} km ({self.moved_km:,.3f} km settled on "
                       f"the country before it); outside every country but counted for the country around: "
                       f"{self.bridged_km:,.3f} km")
        if self.edges != "geodesic":
            out.append(f"Edges: {self.edges} (a long segment runs straight in lon/lat where it is cut at borders)")
        out += _section("By country", _country_lines(self.by_country))
        for label, table in (("mode", self.by_mode), ("status", self.by_status)):
            if table is not None:
                out += _section(f"By {label}", [
                    f"{_text(v):<18} {km:>11,.3f} km {share * 100:5.1f}%"
                    for v, km, share in zip(table[label], table["length_km"], table["share"])])
        main = self._of_branch(None)
        out += _section("Border crossings", _crossing_lines(main[0]))
        out += _section("Breaks of gauge", _event_lines(main[1], "gauge"))
        out += _section("Transshipments", _event_lines(main[2], "mode"))
        for b, km in zip(self.branches["branch"], self.branches["length_km"]):
            cross, gauge, ships = self._of_branch(b)
            out += ["", f"Alternative branch {b}: {km:,.3f} km"]
            out += _section("By country", _country_lines(
                self.branch_by_country[self.branch_by_country["branch"] == b]), indent="  ")
            out += _section("Border crossings", _crossing_lines(cross), indent="  ")
            if len(gauge):
                out += _section("Breaks of gauge", _event_lines(gauge, "gauge"), indent="  ")
            if len(ships):
                out += _section("Transshipments", _event_lines(ships, "mode"), indent="  ")
        out += _section("Stated lengths", [
            f"{r.value:>9,.2f} {r.unit:<3} {r.scope + (' ' + r.iso3 if r.iso3 else ''):<12} "
            + (f"geometry {r.geometry_km:>11,.3f} km ({r.diff_pct:+6.1f}%)" if not math.isnan(r.geometry_km) else " " * 35)
            + f"  {r.note} [{r.source}]"
            for r in self.stated.itertuples()])
        return "\n".join(out)

    def _of_branch(self, branch: str | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Crossings, breaks of gauge and transshipments of one branch (None: not an alternative)."""
        others = set(self.branches["branch"])

        def pick(table: pd.DataFrame) -> pd.DataFrame:
            on = table["branch"] == branch if branch is not None else ~table["branch"].isin(others)
            return table[on.to_numpy(bool)]
        return pick(self.crossings), pick(self.gauge_breaks), pick(self.transshipments)

    def __str__(self) -> str:
        return self.to_text()


def _section(title: str, lines: list[str], indent: str = "") -> list[str]:
    return ["", f"{indent}{title}:", *([f"{indent}  " + line for line in lines] or [f"{indent}  (none)"])]


def _country_lines(table: pd.DataFrame) -> list[str]:
    return [f"{(r.iso3 or '-'):4} {r.country:<28} {r.length_km:>11,.3f} km {r.share * 100:5.1f}%"
            for r in table.itertuples()]


def _crossing_lines(table: pd.DataFrame) -> list[str]:
    return [f"{r.seq:>2}. km {r.km:10,.3f}  {r.from_iso3} -> {r.to_iso3}"
            + (f"  at {r.checkpoint} ({r.checkpoint_km:.3f} km away)" if r.checkpoint else "")
            for r in table.itertuples()]


def _event_lines(table: pd.DataFrame, what: str) -> list[str]:
    col = "gauge_mm" if what == "gauge" else "mode"
    return [f"{r.seq:>2}. km {r.km:10,.3f}  {_text(getattr(r, 'from_' + col))} -> {_text(getattr(r, 'to_' + col))}"
            + (f"  at {r.place}" if r.place else "")
            for r in table.itertuples()]


def round_floats(value: Any, decimals: int = 3, key: str = "") -> Any:
    """Round the floats of JSON-ready data: kilometres to ``decimals``, other floats to 6.

    Parameters
    ----------
    value : Any
        Nested dicts, lists and scalars (as from :meth:`Profile.to_dict`).
    decimals : int
        Decimals for values whose key is ``km`` or ends in ``_km`` (3: metres).
    key : str
        The key ``value`` is found under (for the recursion).

    Returns
    -------
    Any
        The same structure with rounded floats; ``-0.0`` becomes ``0.0``.
    """
    if isinstance(value, dict):
        return {k: round_floats(v, decimals, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [round_floats(v, decimals, key) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return round(value, decimals if is_km(key) else FLOAT_DECIMALS) + 0.0
    return value


def _text(value: Any) -> str:
    return "-" if is_missing(value) else str(value)


def _records(table: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    if table is None:
        return None
    table = pd.DataFrame(table)
    geom = table.pop("geometry") if "geometry" in table.columns else None
    if geom is not None:
        table["lon"] = shapely.get_x(np.asarray(geom, dtype=object))
        table["lat"] = shapely.get_y(np.asarray(geom, dtype=object))
    return [{str(k): json_scalar(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def profile(
    corridor: str | gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | BorderIndex | None = None,
    places: gpd.GeoDataFrame | None = None,
    *,
    admin_units: bool = False,
    border_tolerance_km: float | None = None,
    edges: str = "geodesic",
) -> Profile:
    """A one-corridor summary for a report: lengths, crossings, transfers, stated lengths.

    Parameters
    ----------
    corridor : str or geopandas.GeoDataFrame
        A bundled corridor id (see :func:`corridors.list_corridors`), or the lines of one
        corridor (one ``corridor_id``); stated lengths are then read from
        ``gdf.attrs["corridor"]`` (or ``gdf.attrs["corridors"][id]``) when present.
    borders : GeoDataFrame or BorderIndex, optional
        Country polygons; the bundled borders by default.
    places : GeoDataFrame, optional
        Named places for checkpoints and transfer points; the bundled places by default.
    admin_units, border_tolerance_km, edges
        As for :func:`lengths_by_country`: ``edges`` decides where a long segment runs when
        it is cut at borders, so it moves km between countries and crossings along the
        line; the length, transfers and stated lengths do not depend on it.

    Returns
    -------
    corridors.profiles.Profile
        The main line's length, countries, crossings and transfers, then each other
        branch as an alternative with its own; tables and figures; ``.to_dict()`` gives JSON-ready data, ``str()`` / ``.to_text()``
        a plain-text report.

    Raises
    ------
    UnknownCorridorError
        If a corridor id is not bundled.
    DataError
        If the GeoDataFrame holds more than one corridor, or none.
    """
    given = load(corridor) if isinstance(corridor, str) else corridor
    gdf = checked_lines(given)
    ids = pd.unique(gdf["corridor_id"])
    if len(ids) != 1:
        raise DataError(f"profile() takes the lines of one corridor; got {len(ids)} corridor ids")
    cid = ids[0]
    meta = given.attrs.get("corridor") or given.attrs.get("corridors", {}).get(cid) or {}
    result = analyse(gdf, borders, admin_units=admin_units, border_tolerance_km=border_tolerance_km, edges=edges)
    table = result.lengths_by_country()
    by_country = table.drop(columns="corridor_id")
    every = finish_lengths(result.lengths_table(), by_branch=True).drop(columns="corridor_id")
    total = float(length_km(gdf).iloc[0])
    moves = transfers(gdf, places)
    cross = result.border_crossings(places)
    split = {col: (lengths_by(gdf, col).drop(columns="corridor_id") if col in gdf.columns else None)
             for col in ("mode", "status")}

    def events(kind: str) -> gpd.GeoDataFrame:
        """One kind of transfer, numbered 1, 2, ... along each branch."""
        out = moves[moves["kind"] == kind].reset_index(drop=True)
        out["seq"] = out.groupby("branch", sort=False).cumcount() + 1
        return out

    branch_km = length_km(gdf, by_branch=True).droplevel("corridor_id")
    main = set(branch_of(gdf)[main_rows(gdf["corridor_id"].to_numpy(), branch_of(gdf))])
    others = [b for b in branch_km.index if b not in main]
    return Profile(
        corridor_id=str(cid),
        name=str(meta.get("name", cid)),
        length_km=total,
        by_country=by_country,
        by_mode=split["mode"],
        by_status=split["status"],
        crossings=cross,
        gauge_breaks=events("break-of-gauge"),
        transshipments=events("transshipment"),
        stated=stated_lengths(meta.get("stated_lengths", []), total, by_country),
        branches=pd.DataFrame({"branch": others, "length_km": [float(branch_km[b]) for b in others]}),
        branch_by_country=every[every["branch"].isin(others)].reset_index(drop=True),
        border_tolerance_km=BORDER_TOLERANCE_KM if border_tolerance_km is None else float(border_tolerance_km),
        moved_km=float(table.attrs["moved_km"]),
        bridged_km=float(table.attrs["bridged_km"]),
        edges=edges,
    )
