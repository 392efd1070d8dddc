"""Interactive corridor maps (folium / Leaflet), online or as one self-contained offline file.

:func:`render_map` draws bundled corridors or a user's own lines with their border crossings,
places, country borders and an optional country context layer, and returns a
:class:`folium.Map`. Save it with the map's own ``.save(path)``; it displays inline in Jupyter.

Controls are written for this package (``_assets/map.js``, Leaflet only) and are the same on
online and offline maps, so neither needs a plugin from a CDN: a categorical legend, a layer
control, full screen (the browser's Fullscreen API), a measuring tool (click points; the
distance is the WGS84 geodesic, by Vincenty's formulae, between them; each leg is drawn
along the great circle, a vertex every 25 km), a mini-map (the bundled borders in a second Leaflet map, with the
main view outlined; shown when ``borders`` is on) and Leaflet's scale bar. Labels (countries
crossed, corridor ends, breaks of gauge, checkpoints, ports, towns) are placed in the page by
rank so that none overlaps another or a control; the title, legend and credits sit beside the
first view. Maps of many lines draw them on one canvas as levels of detail (:mod:`corridors._lod`).

Safety: every value taken from the data (names, ids, sources, URLs, ...) is escaped in Python
for the HTML it becomes, and all data reach the page as JSON made safe for a ``<script>``
element (``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes). Links are made
only from ``http``/``https`` URLs. folium's own ``Popup``/``Tooltip`` classes, which paste
text into JavaScript template literals, are not used.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from branca.element import Element, MacroElement
from folium.template import Template

from . import analysis, catalog
from ._atomic import write_text
from .errors import DataError
from .geodesy import drawn_lines, unwrap_longitudes

#: Colour of each bundled corridor (others get :data:`PALETTE` colours in order).
CORRIDOR_COLOURS: dict[str, str] = {
    "cku-railway": "#d62728",
    "line-d": "#ff7f0e",
    "trans-caspian": "#6a3d9a",
    "dushanbe-kulma": "#2ca02c",
}
#: Colours for corridors without a fixed colour, used in turn.
PALETTE: tuple[str, ...] = ("#1f77b4", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
                            "#393b79", "#637939", "#8c6d31", "#843c39")
#: Line style by status: Leaflet/SVG dash pattern (px, None = solid), width (px), opacity.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "operating": {"dash": None, "weight": 4.0, "opacity": 0.95},
    "construction": {"dash": "10 6", "weight": 4.0, "opacity": 0.95},
    "proposed": {"dash": "1 7", "weight": 4.0, "opacity": 0.95},
    "stalled": {"dash": "12 5 2 5", "weight": 4.0, "opacity": 0.95},
    "shelved": {"dash": "4 4", "weight": 3.0, "opacity": 0.6},
    "cancelled": {"dash": "1 5", "weight": 2.5, "opacity": 0.45},
}
#: Style of lines whose status is missing or not in :data:`STATUS_STYLES`.
OTHER_STATUS: dict[str, Any] = {"dash": None, "weight": 3.0, "opacity": 0.8}
#: Sea legs (mode ``sea``): thin, blue, dashed, whatever the corridor or status.
SEA_STYLE: dict[str, Any] = {"color": "#1f9bd1", "dash": "7 5", "weight": 2.5, "opacity": 0.95}
#: Marker colour of each place kind.
PLACE_COLOURS: dict[str, str] = {
    "city": "#444444", "station": "#1f77b4", "port": "#17becf", "border-checkpoint": "#000000",
    "break-of-gauge": "#e31a1c", "pass": "#8c564b", "facility": "#ff7f0e",
}
#: Words a reader uses for each place kind (legend and labels).
KIND_WORDS: dict[str, str] = {
    "city": "Town", "station": "Station", "port": "Port", "border-checkpoint": "Border checkpoint",
    "break-of-gauge": "Break of gauge", "pass": "Mountain pass", "facility": "Facility",
}
#: Words for each status (legend).
STATUS_WORDS: dict[str, str] = {
    "operating": "Operating", "construction": "Under construction", "proposed": "Proposed",
    "stalled": "Stalled", "shelved": "Shelved", "cancelled": "Cancelled", "other": "Other or not stated",
}
#: Place kinds labelled at the first view (the others when zoomed in by :data:`LABEL_DEEPER` levels).
KEY_KINDS: tuple[str, ...] = ("break-of-gauge", "border-checkpoint", "port")
#: Zoom levels past the first view at which the labels of passes and facilities show.
LABEL_DEEPER = 1.5
#: Place kinds labelled only from :data:`LABEL_DEEPER` zoom levels past the first view.
DEEP_KINDS: tuple[str, ...] = ("pass", "facility")
#: Maps of more vertices or features than these draw the lines on one canvas with levels of detail.
MANY_VERTICES = 150_000
MANY_FEATURES = 2_000
#: Deepest zoom of a many-lines map (each level of detail departs from the data by <= 0.7 px).
MANY_MAX_ZOOM = 13
#: Colour of the lines of a many-lines map.
MANY_COLOUR = "#1f4e9a"
#: Tolerance of the world land layer under offline maps, degrees (drawn outside the detailed box).
WORLD_TOLERANCE_DEG = 0.12
#: Display borders: margin around the data (longitude, latitude degrees) and simplification
#: tolerance (degrees, about 3 km: finer than a screen pixel at the zooms that show a corridor).
BORDER_MARGIN_DEG = (30.0, 14.0)
BORDER_TOLERANCE_DEG = 0.03
#: Sea colour of offline maps (inside the area the borders were clipped to; outside it is grey).
SEA_COLOUR = "#d7e9f3"
#: Borders attribution shown on every map that draws them.
BORDERS_ATTRIBUTION = ('Land and borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a> '
                       "1:10m (public domain)")
#: Leaflet from its CDN, for online maps (offline maps inline the copy in ``xstatic-leaflet``).
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
#: The context layers :func:`render_map` knows.
CONTEXT_LAYERS: tuple[str, ...] = ("trade",)


# ----------------------------------------------------------------------------- escaping

def _text(value: Any) -> str:
    """A value as HTML text (also safe inside a double- or single-quoted attribute)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _url(value: Any) -> str | None:
    """The URL, escaped for an ``href``, if it is an absolute http(s) URL; else None."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(parts.geturl(), quote=True)


def _link(label: Any, url: Any) -> str:
    """``<a>`` to an http(s) URL (opened in a new tab), or the label as plain text."""
    href = _url(url)
    if href is None:
        return _text(label)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{_text(label)}</a>'


def _script_json(obj: Any) -> str:
    """JSON text that is safe to place inside a ``<script>`` element."""
    return _script_safe(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def _script_safe(text: str) -> str:
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _km(value: float) -> str:
    return f"{value:,.1f} km"


def _table(title: str, header: Sequence[str], rows: list[tuple[str, ...]]) -> str:
    """A titled table (empty string when there are no rows); cells already escaped."""
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h4>{title}</h4><table><tr>{head}</tr>{body}</table>"


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    """Two-column table; labels are ours, values already escaped."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in pairs if v)
    return f"<table>{body}</table>"


# ----------------------------------------------------------------------------- data

def _select(data: Any) -> gpd.GeoDataFrame:
    """The lines to draw, in EPSG:4326, from an id, a list of ids, a GeoDataFrame or None."""
    if data is None:
        return catalog.load_all()
    if isinstance(data, str):
        return catalog.load_all([data])
    if isinstance(data, gpd.GeoDataFrame):
        gdf = data if data.crs is None or data.crs.equals("EPSG:4326") else data.to_crs("EPSG:4326")
        geom = gdf.geometry
        gdf = gdf[geom.notna() & ~geom.is_empty]
        if gdf.empty:
            raise DataError("nothing to map: the GeoDataFrame has no non-empty geometry")
        analysis.check_lines(gdf)
        return gdf
    if isinstance(data, (list, tuple)) and all(isinstance(d, str) for d in data):
        return catalog.load_all(list(data))
    raise DataError(f"render_map needs a corridor id, a list of ids or a GeoDataFrame, not {type(data).__name__}")


def _metadata(gdf: gpd.GeoDataFrame) -> dict[str, dict[str, Any]]:
    """Corridor id -> metadata record, from ``.attrs`` (bundled data) or empty (user data)."""
    records = dict(gdf.attrs.get("corridors") or {})
    one = gdf.attrs.get("corridor")
    if isinstance(one, dict) and "id" in one:
        records.setdefault(one["id"], one)
    return {k: v for k, v in records.items() if isinstance(v, dict)}


def _order(ids: Sequence[Any]) -> list[Any]:
    """Corridor ids in catalogue order, then the others in order of first appearance."""
    present = list(pd.unique(pd.Series(ids, dtype=object)))
    known = [c for c in catalog.CORRIDOR_ORDER if c in present]
    return known + [c for c in present if c not in known]


def corridor_colours(ids: Sequence[Any]) -> dict[Any, str]:
    """Colour of each corridor id: the fixed colour of a bundled id, else the next palette colour.

    Parameters
    ----------
    ids : sequence
        Corridor ids, in display order.

    Returns
    -------
    dict
        Id -> CSS hex colour.
    """
    out: dict[Any, str] = {}
    spare = iter(PALETTE * (len(ids) // len(PALETTE) + 1))
    for cid in ids:
        out[cid] = CORRIDOR_COLOURS.get(cid) if isinstance(cid, str) and cid in CORRIDOR_COLOURS else next(spare)
    return out


def line_style(status: Any, mode: Any, colour: str) -> dict[str, Any]:
    """Leaflet path style of one segment.

    Parameters
    ----------
    status, mode : str or None
        Segment status and mode (see ``docs/DATA_FORMAT.md``).
    colour : str
        The corridor's colour.

    Returns
    -------
    dict
        ``color``, ``weight`` (px), ``opacity``, ``dashArray`` (px pattern or None), ``lineCap``.
    """
    if mode == "sea":
        s, colour = SEA_STYLE, SEA_STYLE["color"]
    else:
        s = STATUS_STYLES.get(status, OTHER_STATUS) if isinstance(status, str) else OTHER_STATUS
    return {"color": colour, "weight": s["weight"], "opacity": s["opacity"], "dashArray": s["dash"],
            "lineCap": "round" if s["dash"] and s["dash"].startswith("1 ") else "butt"}


def _col(gdf: pd.DataFrame, name: str) -> np.ndarray:
    """A column as an object array (all None when the column is missing)."""
    if name not in gdf.columns:
        return np.full(len(gdf), None, dtype=object)
    values = gdf[name].astype(object).to_numpy()
    return np.where(pd.isna(values), None, values)


def _geojson_features(geoms: np.ndarray, props: list[dict[str, Any]], decimals: int,
                      edges: str | None = None) -> str:
    """A FeatureCollection's ``features`` array as JSON text (coordinates rounded, 2D); with
    ``edges``, long line segments get vertices along the way the analysis reads them."""
    geoms = shapely.force_2d(geoms)
    if edges is not None:
        geoms = drawn_lines(geoms, edges)
    geoms = shapely.transform(unwrap_longitudes(geoms), lambda c: np.round(c, decimals))
    texts = shapely.to_geojson(geoms)
    items = [f'{{"type":"Feature","geometry":{g},"properties":{json.dumps(p, ensure_ascii=False, allow_nan=False)}}}'
             for g, p in zip(texts, props)]
    return "[" + ",".join(items) + "]"


# ----------------------------------------------------------------------------- popups

def _sources_html(ids: Any, sources: dict[str, dict[str, Any]], brief: bool = False) -> str:
    """A list of source links from ``; ``-separated ids (unknown ids shown as text).

    ``brief``: publisher and date only, on one line, the title in the link's tooltip.
    """
    if not ids:
        return ""
    items = []
    for sid in (s.strip() for s in str(ids).split(";")):
        if not sid:
            continue
        src = sources.get(sid)
        if src is None:
            items.append(f"<li>{_text(sid)}</li>")
            continue
        date = f" ({_text(src.get('date'))})" if src.get("date") else ""
        if brief:
            link = _link(src.get("publisher") or sid, src.get("url"))
            items.append(link.replace("<a ", f'<a title="{_text(src.get("title"))}" ', 1) + date)
            continue
        label = " ".join(x for x in (src.get("publisher"), src.get("title")) if x) or sid
        items.append(f"<li>{_link(label, src.get('url'))}{date}</li>")
    if brief:
        return f'<p class="corridors-sources">{"; ".join(items)}</p>'
    return f"<ul>{''.join(items)}</ul>"


def _corridor_html(cid: Any, meta: dict[str, Any], km: float, by_country: pd.DataFrame,
                   crossings: pd.DataFrame) -> str:
    """A corridor's summary popup (opened from any of its segment popups)."""
    sources = {s.get("id"): s for s in meta.get("sources", []) if isinstance(s, dict)}
    name = meta.get("name") or cid
    operators = "; ".join(_text(o.get("name")) for o in meta.get("operator", []) if isinstance(o, dict))
    parts = [f'<div class="corridors-popup"><h3>{_text(name)}</h3>', _rows([
        ("Corridor id", _text(cid)),
        ("Status", _text(_status_words(meta.get("status")))),
        ("Kind", _text(meta.get("kind"))),
        ("Operator", operators),
        ("Computed length", _km(km) + " (WGS84 geodesic)"),
    ])]
    parts.append(_table("Length by country", ("Country", "", "km", "share"), [
        (_text(r.country), _text(r.iso3), f"{r.length_km:,.1f}", f"{100 * r.share:.1f}%")
        for r in by_country.itertuples()]))
    parts.append(_table("Border crossings", ("From → to", "branch", "km", "checkpoint"), [
        (f"{_text(r.from_iso3)} → {_text(r.to_iso3)}", _text(r.branch), f"{r.km:,.1f}", _text(r.checkpoint))
        for r in crossings.itertuples()]))
    stated = [s for s in meta.get("stated_lengths", []) if isinstance(s, dict)]
    if stated:
        items = "".join(
            f"<li>{_text(s.get('value'))} {_text(s.get('unit'))}"
            f"{' — ' + _text(s.get('note')) if s.get('note') else ''} "
            f"[{_link(s.get('source'), (sources.get(s.get('source')) or {}).get('url'))}]</li>"
            for s in stated)
        parts.append(f"<h4>Stated lengths</h4><ul>{items}</ul>")
    if sources:
        parts.append("<h4>Sources</h4>" + _sources_html("; ".join(map(str, sources)), sources))
    return "".join(parts) + '<button type="button" class="corridors-back-btn">Back to the segment</button></div>'


def _status_words(status: Any) -> Any:
    """A status id in words (:data:`STATUS_WORDS`); other values unchanged."""
    return STATUS_WORDS.get(status, status) if isinstance(status, str) else status


def _segment_html(row: dict[str, Any], km: float, sources: dict[str, dict[str, Any]], corridor: str) -> str:
    """A segment popup: its facts, accuracy and sources, and a button for the corridor summary.

    ``corridor`` is the corridor's name, already escaped.
    """
    gauge = row.get("gauge_mm")
    route = (f"{_text(row.get('from_place'))} → {_text(row.get('to_place'))}"
             if row.get("from_place") or row.get("to_place") else "")
    acc = row.get("accuracy_km")
    how = "; ".join(x for x in (f"± {_text(acc)} km" if acc is not None else "", _text(row.get("method"))) if x)
    kind = " · ".join(x for x in (_text(_status_words(row.get("status"))),
                                  _text(row.get("mode")),
                                  f"{_text(gauge)} mm gauge" if gauge is not None else "") if x)
    return ('<div class="corridors-popup">'
            f"<h3>{_text(row.get('name') or row.get('segment_id') or row.get('corridor_id'))}</h3>"
            + _rows([
                ("Route", route),
                ("What", kind),
                ("Length", _km(km) + " (WGS84 geodesic)"),
                ("Branch", _text(row.get("branch")) if row.get("branch") not in (None, "main") else ""),
                ("Accuracy", how),
            ])
            + (f"<details><summary>Traced through</summary>{_text(row.get('via'))}</details>" if row.get("via") else "")
            + (f"<h4>Sources</h4>{_sources_html(row.get('sources'), sources, brief=True)}"
               if row.get("sources") else "")
            + f'<button type="button" class="corridors-summary-btn">Corridor summary: {corridor}</button></div>')


# ----------------------------------------------------------------------------- layers

class _Layer(MacroElement):
    """A layer drawn by ``corridorsMap.<kind>(data)`` and added to its parent (a FeatureGroup)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        corridorsMap.{{ this.kind }}({{ this.data }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, kind: str, data_json: str) -> None:
        super().__init__()
        self._name = "CorridorsLayer"
        self.kind = kind
        self.data = data_json


class _Controls(MacroElement):
    """Legend, fullscreen, measure and mini-map controls (see ``_assets/map.js``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        corridorsMap.controls({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CorridorsControls"
        self.options = _script_json(options)


def _collection(features_json: str, **extra: Any) -> str:
    head = _script_json({"type": "FeatureCollection", **extra})
    return head[:-1] + ',"features":' + _script_safe(features_json) + "}"


def places_of(corridor_ids: Sequence[Any]) -> gpd.GeoDataFrame:
    """The bundled places that belong to any of the given corridors.

    Parameters
    ----------
    corridor_ids : sequence of str
        Corridor ids.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of :func:`corridors.places` whose ``corridor_ids`` name one of them.
    """
    pl = catalog.places()
    wanted = set(corridor_ids)
    ids = pl["corridor_ids"].fillna("").str.split(r"\s*;\s*")
    return pl[ids.apply(lambda xs: bool(wanted.intersection(xs))).to_numpy()]


def _corridor_layers(gdf: gpd.GeoDataFrame, order: list[Any], colours: dict[Any, str],
                     by_country: pd.DataFrame, crossings: pd.DataFrame,
                     casing: bool = False, edges: str = "geodesic") -> list[tuple[Any, str, str]]:
    """(id, layer-control label, data JSON) for each corridor, in display order; ``casing``: a
    white edge under each line, so that it stands out on a filled context layer."""
    meta = _metadata(gdf)
    seg_km = analysis.length_km(gdf.assign(corridor_id=np.arange(len(gdf)))).to_numpy()
    total_km = analysis.length_km(gdf)
    cid = _col(gdf, "corridor_id")
    records = {c: _col(gdf, c) for c in ("segment_id", "name", "mode", "status", "gauge_mm", "from_place",
                                          "to_place", "branch", "accuracy_km", "method", "via", "sources")}
    out = []
    for c in order:
        idx = np.flatnonzero(cid == c)
        m = meta.get(c, {})
        sources = {s.get("id"): s for s in m.get("sources", []) if isinstance(s, dict)}
        props = []
        for i in idx:
            row = {k: v[i] for k, v in records.items()}
            row["corridor_id"] = c
            title = row["name"] or row["segment_id"] or c
            tip = " · ".join(_text(x) for x in (title, row["status"], row["mode"]) if x)
            style = line_style(row["status"], row["mode"], colours[c])
            seg = f"corridors-s{i}"  # links the drawn line to its (transparent, wider) click target
            style["className"] = f"corridors-line {seg}" + (" corridors-sea" if row["mode"] == "sea" else "")
            props.append({"style": style, "tip": tip, "seg": seg,
                          "html": _segment_html(row, float(seg_km[i]), sources, _text(m.get("name") or c))})
        corridor_html = _corridor_html(c, m, float(total_km.get(c, 0.0)),
                                       by_country[by_country["corridor_id"] == c],
                                       crossings[crossings["corridor_id"] == c] if len(crossings) else crossings)
        data = _collection(_geojson_features(gdf.geometry.values[idx], props, 5, edges), corridor_html=corridor_html,
                           casing=casing)
        label = (f'<span style="color:{colours[c]}">■</span> '
                 f"{_text(m.get('name') or c)}")
        out.append((c, label, data))
    return out


def _crossings_data(crossings: gpd.GeoDataFrame, meta: dict[str, dict[str, Any]], canvas: bool = False) -> str:
    props = []
    for r in crossings.itertuples():
        name = (meta.get(r.corridor_id) or {}).get("name") or r.corridor_id
        cp = _text(r.checkpoint)
        cp_km = "" if not cp or pd.isna(r.checkpoint_km) else f" ({r.checkpoint_km:.1f} km from the crossing)"
        html_ = ('<div class="corridors-popup"><h3>Border crossing</h3>' + _rows([
            ("Corridor", _text(name)),
            ("Branch", _text(r.branch)),
            ("From → to", f"{_text(r.from_country)} ({_text(r.from_iso3)}) → "
                          f"{_text(r.to_country)} ({_text(r.to_iso3)})"),
            ("Along the line", f"km {r.km:,.1f} (crossing {int(r.seq)} of its branch)"),
            ("Checkpoint", (cp + cp_km) if cp else "none named within 25 km"),
        ]) + "</div>")
        props.append({"style": {"radius": 3 if canvas else 6, "color": "#000", "weight": 1.2 if canvas else 2,
                                "fillColor": "#fff", "fillOpacity": 1, "className": "corridors-crossing"},
                      "tip": f"{_text(r.from_iso3)} → {_text(r.to_iso3)}, km {r.km:,.1f}" + (f", {cp}" if cp else ""),
                      "html": html_})
    return _collection(_geojson_features(crossings.geometry.values, props, 5), canvas=canvas)


def _places_data(places: gpd.GeoDataFrame) -> str:
    sources = places.attrs.get("sources", {})
    props = []
    for r in places.itertuples():
        html_ = ('<div class="corridors-popup">'
                 f"<h3>{_text(r.name)}</h3>" + _rows([
                     ("Local name", _text(r.local_name)),
                     ("Kind", _text(r.kind)),
                     ("Country", _text(r.iso3)),
                     ("Corridors", _text(r.corridor_ids)),
                     ("Accuracy", f"± {_text(r.accuracy_km)} km"),
                 ]) + f"<p>{_text(r.description)}</p><h4>Sources</h4>{_sources_html(r.sources, sources)}</div>")
        props.append({"style": {"radius": 4, "color": "#fff", "weight": 1, "fillOpacity": 1,
                                "fillColor": PLACE_COLOURS.get(r.kind, "#444"), "className": "corridors-place"},
                      "tip": f"{_text(r.name)} ({_text(r.kind)})", "html": html_})
    return _collection(_geojson_features(places.geometry.values, props, 5))


@lru_cache(maxsize=8)
def _display_borders(box: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Bundled borders clipped to a lon/lat box and simplified for display (shared edges kept shared).

    The tolerance is :data:`BORDER_TOLERANCE_DEG` for a box up to 60° wide and grows with a
    wider box (a map of the whole world starts zoomed out), so the base map stays light.
    """
    b = catalog.borders()
    b = b[b.intersects(shapely.box(*box))]
    geoms = shapely.clip_by_rect(b.geometry.values, *box)
    geoms = shapely.coverage_simplify(geoms, BORDER_TOLERANCE_DEG * max(1.0, (box[2] - box[0]) / 60.0))
    geoms = shapely.set_precision(geoms, 0.001)  # 3 decimals, kept valid (collapsed slivers dropped)
    out = gpd.GeoDataFrame({"iso3": b["iso3"].to_numpy(), "name": b["name"].to_numpy()}, geometry=geoms, crs=b.crs)
    return out[~out.geometry.is_empty].reset_index(drop=True)


def _borders_data(borders: gpd.GeoDataFrame, offline: bool, box: tuple[float, float, float, float]) -> str:
    """Country outlines; offline also the sea (the box they were clipped to) under them."""
    style = {"color": "#8a8a8a", "weight": 0.8, "fillColor": "#f4f1ea", "fillRule": "nonzero",
             "fillOpacity": 1.0 if offline else 0.0, "className": "corridors-border"}
    props = [{"style": style, "tip": _text(n), "html": None} for n in borders["name"]]
    geoms = borders.geometry.values
    if offline:
        sea = {"style": {"stroke": False, "fillColor": SEA_COLOUR, "fillOpacity": 1.0,
                         "className": "corridors-sea-area"}, "tip": None, "html": None}
        props, geoms = [sea, *props], np.concatenate([[shapely.box(*box)], geoms])
    return _collection(_geojson_features(geoms, props, 3), base=True, attribution=BORDERS_ATTRIBUTION)


@lru_cache(maxsize=1)
def _world_land() -> str:
    """Every country of the bundled borders, simplified by :data:`WORLD_TOLERANCE_DEG`: the land
    of an offline map outside the detailed box (the map's background is the sea colour)."""
    b = catalog.borders()
    geoms = shapely.set_precision(shapely.coverage_simplify(b.geometry.values, WORLD_TOLERANCE_DEG), 0.01)
    keep = ~shapely.is_empty(geoms)
    style = {"color": "#b5b0a8", "weight": 0.5, "fillColor": "#f4f1ea", "fillOpacity": 1.0,
             "className": "corridors-world"}
    props = [{"style": style, "tip": None, "html": None}] * int(keep.sum())
    return _collection(_geojson_features(geoms[keep], props, 2))


def _box(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = gdf.total_bounds
    mx, my = BORDER_MARGIN_DEG
    return (max(math.floor(x0 - mx), -180.0), max(math.floor(y0 - my), -85.0),
            min(math.ceil(x1 + mx), 180.0), min(math.ceil(y1 + my), 85.0))


def _is_many(gdf: gpd.GeoDataFrame) -> bool:
    """Whether the lines are drawn on one canvas with levels of detail (see :data:`MANY_VERTICES`)."""
    return len(gdf) > MANY_FEATURES or int(shapely.get_num_coordinates(gdf.geometry.values).sum()) > MANY_VERTICES


def _many_lines_data(gdf: gpd.GeoDataFrame) -> str:
    """The lines of a large map as levels of detail for ``corridorsMap.manyLines``.

    Each feature's popup gives its name, ids, status and geodesic length (exact, from the
    whole data); the drawing is simplified per zoom band (:mod:`corridors._lod`).
    """
    from . import _lod

    geoms = shapely.force_2d(gdf.geometry.values)
    parts, index = shapely.get_parts(geoms, return_index=True)
    px = shapely.transform(parts, _lod.to_world_px)
    levels = _lod.encode_levels(px, _lod.bands_for(MANY_MAX_ZOOM))
    km = analysis.length_km(gdf.assign(corridor_id=np.arange(len(gdf)))).to_numpy()
    # popup facts, dictionary-encoded (values escaped here; the page only joins them with its markup)
    facts = []
    for label, values in (("Name", _col(gdf, "name")), ("Corridor id", _col(gdf, "corridor_id")),
                          ("Segment id", _col(gdf, "segment_id")), ("Status", _col(gdf, "status")),
                          ("Mode", _col(gdf, "mode")),
                          ("Length", np.array([f"{k:,.1f} km" for k in km], dtype=object))):
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        if len(uniques):
            facts.append({"label": label, "values": [_text(u) for u in uniques], "codes": codes.tolist()})
    first = np.diff(index, prepend=0)  # feature of each part, as deltas
    data = {"levels": levels, "part_feature": base64.b64encode(_lod.varint(first)).decode("ascii"),
            "colour": [0] * len(gdf), "colours": [MANY_COLOUR], "weight": 1.5, "facts": facts,
            "note": "Length: WGS84 geodesic of the whole line. Drawn within 1 screen pixel of the data."}
    return _script_json(data)


# ----------------------------------------------------------------------------- context

@lru_cache(maxsize=1)
def trade_context() -> dict[str, Any]:
    """The bundled 2024 trade figures of the Central Asian countries with China, with sources.

    Returns
    -------
    dict
        The record in ``geodata/context/trade_china_2024.json`` (values in USD).
    """
    path = catalog.geodata_dir() / "context" / "trade_china_2024.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the trade context file: {exc}", path) from exc


@lru_cache(maxsize=1)
def towns() -> gpd.GeoDataFrame:
    """The main towns drawn under the corridors: Natural Earth 1:110m populated places (public domain).

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` and Point geometry (EPSG:4326); ``.attrs["source"]`` names the source
        (built by ``scripts/build_towns.py``).
    """
    path = catalog.geodata_dir() / "context" / "towns.geojson"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the towns file: {exc}", path) from exc
    gdf = gpd.GeoDataFrame({"name": [f["properties"]["name"] for f in doc["features"]]},
                           geometry=[shapely.Point(f["geometry"]["coordinates"]) for f in doc["features"]],
                           crs="EPSG:4326")
    gdf.attrs["source"] = doc["source"]
    return gdf


def _towns_near(gdf: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The towns inside the lines' box (plus 1°), less those a bundled place already marks (within 10 km)."""
    x0, y0, x1, y1 = gdf.total_bounds
    t = towns()
    xy = shapely.get_coordinates(t.geometry.values)
    keep = (xy[:, 0] >= x0 - 1) & (xy[:, 0] <= x1 + 1) & (xy[:, 1] >= y0 - 1) & (xy[:, 1] <= y1 + 1)
    if places is not None and len(places):
        pxy = shapely.get_coordinates(places.geometry.values)
        d = np.hypot(xy[:, None, 0] - pxy[None, :, 0], xy[:, None, 1] - pxy[None, :, 1]).min(axis=1)
        keep &= d > 0.1
    return t[keep]


def _towns_data(near: gpd.GeoDataFrame) -> str:
    src = towns().attrs["source"]
    cite = _link(f"{src['publisher']} {src['title']} ({src['licence']})", src["url"])
    props = [{"style": {"radius": 2.5, "color": "#555", "weight": 1, "fillColor": "#fff", "fillOpacity": 1,
                        "className": "corridors-town"},
              "tip": _text(n), "html": f'<div class="corridors-popup"><h3>{_text(n)}</h3><p>Main town. {cite}</p></div>'}
             for n in near["name"]]
    return _collection(_geojson_features(near.geometry.values, props, 4))


def _usd(value: float) -> str:
    return f"USD {value / 1e9:,.1f} bn" if value >= 1e9 else f"USD {value / 1e6:,.1f} mn"


#: Lon/lat box that holds the five Central Asian countries (drawn whole when the trade layer is on).
TRADE_BOX: tuple[float, float, float, float] = (46.0, 35.0, 88.0, 56.0)
#: Fill colours of the trade choropleth, lowest class first: four steps of cividis (readable
#: with every common colour-vision deficiency, and none of them a corridor colour).
TRADE_RAMP: tuple[str, ...] = ("#f3db42", "#b4a76f", "#7d7c78", "#4a536c")


def trade_classes(values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Classes of the trade choropleth: Fisher-Jenks natural breaks (mapclassify) in up to four classes.

    Parameters
    ----------
    values : sequence of float
        Total trade of each country with China, USD.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Class of each value (0 = lowest) and the upper bound of each class, USD.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify's note that numba is not installed
        import mapclassify

        k = min(len(TRADE_RAMP), len(set(values)))
        cls = mapclassify.FisherJenks(np.asarray(values, dtype=float), k=k)
    return np.asarray(cls.yb), np.asarray(cls.bins)


def _trade_data(borders: gpd.GeoDataFrame) -> tuple[str, str]:
    """(layer data JSON, legend HTML) of the trade choropleth."""
    ctx = trade_context()
    sources = {s["id"]: s for s in ctx["sources"]}
    shown = ctx["shown"]
    rows = {r["iso3"]: r for r in ctx["countries"]}
    sel = borders[borders["iso3"].isin(list(rows))]
    values = [rows[i][shown["field"]] for i in sel["iso3"]]
    classes, bins = trade_classes(values)

    def cite(sid: str) -> str:
        return _sources_html(sid, sources, brief=True)

    props = []
    for iso3, name, total, k in zip(sel["iso3"], sel["name"], values, classes):
        r = rows[iso3]
        html_ = ('<div class="corridors-popup">'
                 f"<h3>{_text(name)}: trade with China, {_text(ctx['year'])}</h3>" + _rows([
                     ("Total trade (shown)", f"{_usd(total)} {cite(r['gac_total_source'])}"),
                     ("Imports from China", f"{_usd(r['imports_from_china_usd'])} {cite(r['source'])}"),
                     ("Exports to China", f"{_usd(r['exports_to_china_usd'])} {cite(r['source'])}"),
                 ]) + f"<p>{_text(shown['why'])}</p></div>")
        props.append({"style": {"color": "#666", "weight": 1, "fillColor": TRADE_RAMP[int(k)], "fillOpacity": 0.75,
                                "className": "corridors-context"},
                      "tip": f"{_text(name)}: {_usd(total)} with China ({_text(ctx['year'])})", "html": html_})
    data = _collection(_geojson_features(sel.geometry.values, props, 3))
    ramp = "".join(
        f'<div class="row"><span style="display:inline-block;width:14px;height:10px;background:{TRADE_RAMP[i]}">'
        f"</span>{lo / 1e9:,.1f}{'' if lo == hi else f'–{hi / 1e9:,.1f}'} bn</div>"
        for i, (lo, hi) in enumerate(zip([min(v for v, c in zip(values, classes) if c == j) for j in range(len(bins))],
                                         bins)))
    src = sources[shown["source"]]
    legend = (f"<h4>Trade with China, {_text(ctx['year'])} (USD, natural breaks)</h4>{ramp}"
              f'<div class="note">Shown: China\'s customs totals, {_link(src["publisher"], src.get("url"))} '
              f"({_text(src.get('date'))}); why, and the other source's figures, in each country's popup.</div>")
    return data, legend


# ----------------------------------------------------------------------------- legend and assets

def _dash_svg(style: dict[str, Any]) -> str:
    dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
    return (f'<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}" stroke-opacity="{style["opacity"]}" '
            f'stroke-linecap="{style["lineCap"]}"{dash}/></svg>')


def _legend_html(order: list[Any], colours: dict[Any, str], meta: dict[str, dict[str, Any]],
                 statuses: set[str], has_sea: bool, place_kinds: list[str], crossings: bool,
                 context_legend: str) -> str:
    """The legend: a collapsible ``<details>`` with corridors, line styles, points and context."""
    parts = ["<summary>Legend</summary>"]
    if order:
        parts.append("<h4>Corridors</h4>")
    for c in order:
        st = line_style("operating", None, colours[c])
        parts.append(f'<div class="row">{_dash_svg(st)}{_text((meta.get(c) or {}).get("name") or c)}</div>')
    shown = [s for s in STATUS_STYLES if s in statuses]
    if statuses - set(STATUS_STYLES):
        shown.append("other")
    if shown or has_sea:
        parts.append("<h4>Line style</h4>")
    for s in shown:
        parts.append(f'<div class="row">{_dash_svg(line_style(s, None, "#333"))}{_text(STATUS_WORDS[s])}</div>')
    if has_sea:
        parts.append(f'<div class="row">{_dash_svg(line_style(None, "sea", ""))}Ferry / sea leg</div>')
    if crossings or place_kinds:
        parts.append('<h4>Points</h4><div class="grid">')
    if crossings:
        parts.append('<div class="row"><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" '
                     'stroke="#000" stroke-width="2"/></svg>Border crossing</div>')
    for k in place_kinds:
        parts.append(f'<div class="row"><svg width="14" height="10"><circle cx="7" cy="5" r="4" '
                     f'fill="{PLACE_COLOURS.get(k, "#444")}"/></svg>{_text(KIND_WORDS.get(k, k))}</div>')
    if crossings or place_kinds:
        parts.append("</div>")
    return "".join(parts) + context_legend


def _short(name: Any) -> str:
    """A place name without its bracketed note, for a label."""
    return re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)


def _termini(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Lon/lat of the ends of each corridor's network: segment ends that no other segment shares."""
    ends = []
    cid = _col(gdf, "corridor_id")
    for c in pd.unique(pd.Series(cid, dtype=object)):
        geoms = shapely.force_2d(gdf.geometry.values[cid == c])
        parts = shapely.get_parts(geoms)
        pts = np.concatenate([shapely.get_coordinates(shapely.get_point(parts, 0)),
                              shapely.get_coordinates(shapely.get_point(parts, -1))])
        near = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1]) < 0.02
        ends.append(pts[near.sum(axis=1) == 1])  # no other segment end within about 2 km
    return np.concatenate(ends) if ends else np.empty((0, 2))


def _labels_data(gdf: gpd.GeoDataFrame, shown: gpd.GeoDataFrame | None, iso3s: Iterable[str],
                 places: gpd.GeoDataFrame | None) -> list[dict[str, Any]]:
    """Label records for the page (placed there by rank, without overlap).

    Countries the lines cross are labelled at the pole of inaccessibility of their part inside
    the lines' bounding box (rank 1); the places at the ends of each corridor (rank 0), the breaks of gauge,
    checkpoints and ports (rank 2), the towns and stations (rank 3) at the first view, passes
    and facilities (rank 3) from :data:`LABEL_DEEPER` zoom levels deeper.
    """
    out: list[dict[str, Any]] = []
    x0, y0, x1, y1 = gdf.total_bounds
    if shown is not None:
        near = shown[shown["iso3"].isin(set(iso3s))]
        # within the lines' own box, so that the label is in the first view
        box = (x0 - 0.05, y0 - 0.05, x1 + 0.05, y1 + 0.05)  # never empty, even round one level line
        for name, geom in zip(near["name"], shapely.clip_by_rect(near.geometry.values, *box)):
            polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
            if not polys:
                continue
            big = max(polys, key=lambda p: p.area)
            pt = shapely.ops.polylabel(big, tolerance=0.05)
            out.append({"lat": round(pt.y, 4), "lon": round(pt.x, 4), "text": _text(name),
                        "cls": "corridors-label-country", "rank": 1, "dz": 0})
    if places is not None and len(places):
        xy = shapely.get_coordinates(places.geometry.values)
        ends = _termini(gdf)
        is_end = np.zeros(len(places), dtype=bool)
        for e in ends:
            d = np.hypot(*(xy - e).T)
            if d.min() < 0.25:
                is_end[int(d.argmin())] = True
        seen: list[tuple[str, float, float]] = []
        for (lon, lat), name, kind, end in zip(xy, places["name"], places["kind"], is_end):
            if any(t == _short(name) and abs(lon - x) + abs(lat - y) < 0.5 for t, x, y in seen):
                continue  # one label for two places of one name side by side (the two posts of a border)
            seen.append((_short(name), lon, lat))
            rank, cls, dz = ((0, "corridors-label-end", 0) if end else (2, "corridors-label-key", 0)
                             if kind in KEY_KINDS else (3, "corridors-label-place",
                                                        LABEL_DEEPER if kind in DEEP_KINDS else 0))
            out.append({"lat": round(float(lat), 5), "lon": round(float(lon), 5), "text": _text(_short(name)),
                        "cls": f"corridors-label {cls}", "rank": rank, "dz": dz})
    return out


@lru_cache(maxsize=2)
def _assets(offline: bool) -> str:
    """The ``<head>`` markup: Leaflet (inlined offline, CDN online) and our own CSS/JS (inlined)."""
    own = resources.files("corridors") / "_assets"
    css = (own / "map.css").read_text(encoding="utf-8")
    js = (own / "map.js").read_text(encoding="utf-8")
    if offline:
        from xstatic.pkg import leaflet as xs_leaflet

        data = Path(xs_leaflet.BASE_DIR)
        leaflet_css = re.sub(r"url\((images/[\w.-]+\.png)\)",
                             lambda m: "url(data:image/png;base64,"
                             + base64.b64encode((data / m.group(1)).read_bytes()).decode("ascii") + ")",
                             (data / "leaflet.css").read_text(encoding="utf-8"))
        leaflet_js = (data / "leaflet.js").read_text(encoding="utf-8")
        head = f"<style>{leaflet_css}</style>\n<script>{leaflet_js}</script>"
    else:
        head = (f'<link rel="stylesheet" href="{LEAFLET_CDN}leaflet.css"/>\n'
                f'<script src="{LEAFLET_CDN}leaflet.js"></script>')
    for text in (css, js):
        if re.search(r"</(script|style)", text, re.I):
            raise DataError("an inlined asset contains a closing </script> or </style> tag")
    return f"{head}\n<style>{css}</style>\n<script>{js}</script>"


# ----------------------------------------------------------------------------- public

def render_map(
    data: str | Sequence[str] | gpd.GeoDataFrame | None = None,
    *,
    borders: bool = True,
    crossings: bool = True,
    places: bool = True,
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
    context: str | None = None,
    legend: bool = True,
    minimap: bool = True,
    title: str | None = None,
    subtitle: str | None = None,
    labels: bool = True,
    edges: str = "geodesic",
) -> folium.Map:
    """An interactive map of corridors with crossings, places, borders, labels and a legend.

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        A bundled corridor id, a list of ids, or a GeoDataFrame of the user's own lines
        (with ``corridor_id``; metadata in ``.attrs`` is used where present). None: every
        bundled corridor.
    borders : bool
        Draw the bundled Natural Earth borders, clipped to the data (plus
        :data:`BORDER_MARGIN_DEG`) and simplified by :data:`BORDER_TOLERANCE_DEG` degrees.
        On an offline map they are the (filled) base map, over the whole world's land
        simplified by :data:`WORLD_TOLERANCE_DEG` and the sea colour, so every zoom is covered.
    crossings : bool
        Mark every border crossing (from :func:`corridors.analysis.border_crossings`).
    places : bool
        Mark the bundled places that belong to the drawn corridors.
    offline : bool
        Make one self-contained page: Leaflet inlined from ``xstatic-leaflet``, no tile
        layer, no request to any other host. Online maps load Leaflet and tiles from the web.
    tiles : str or None
        folium/xyzservices tile name or URL for online maps; ignored when ``offline``.
    context : {"trade"} or None
        ``"trade"``: a choropleth of each Central Asian country's 2024 trade with China,
        with its sources in the popups.
    legend, minimap : bool
        Show the collapsible legend and the mini-map (the mini-map needs ``borders``).
    title, subtitle : str, optional
        Shown at the top of the map (escaped). By default the corridor's name (one corridor),
        a title for the bundled network (several), or none (the user's lines).
    labels : bool
        Label the countries the lines cross and the corridors' places (ends, breaks of gauge,
        checkpoints and ports at the first view, the others when zoomed in); labels that
        would overlap a label of higher rank are hidden.
    edges : {"geodesic", "planar"}
        How a long segment is drawn between its vertices: along the geodesic (default) or
        straight in lon/lat, as :func:`corridors.lengths_by_country` reads it with the same
        option (segments over :data:`corridors.geodesy.DRAW_KM` km get vertices along the way).

    Returns
    -------
    folium.Map
        One toggleable layer per corridor (in catalogue order) plus layers for crossings,
        places, borders and the context; the first view fits the lines. Save it with
        :func:`save_map`. Lines of more than :data:`MANY_VERTICES` vertices or
        :data:`MANY_FEATURES` features are drawn on one canvas as levels of detail
        (within 1 screen pixel of the data at every zoom up to :data:`MANY_MAX_ZOOM`).

    Raises
    ------
    UnknownCorridorError
        For an id that is not bundled.
    DataError
        For data of another type, without ``corridor_id``, or with non-line geometry.
    """
    if context is not None and context not in CONTEXT_LAYERS:
        raise DataError(f"unknown context layer {context!r}; known: {', '.join(CONTEXT_LAYERS)}")
    gdf = _select(data)
    many = _is_many(gdf)
    meta = _metadata(gdf)
    order = _order(gdf["corridor_id"].to_numpy())
    colours = corridor_colours(order) if not many else {}
    if title is None and subtitle is None and not isinstance(data, gpd.GeoDataFrame):
        title, subtitle = _default_titles(order, meta, context)

    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_start=4, zoom_snap=0.25, zoom_delta=0.5,
                   **({"max_zoom": MANY_MAX_ZOOM, "prefer_canvas": True, "zoom_animation": False} if many else {}))
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(_assets(offline)), name="corridors_assets")
    if not offline and tiles:
        folium.TileLayer(tiles, control=True, overlay=False).add_to(m)

    box = _box(gdf)
    if context == "trade":
        box = (min(box[0], TRADE_BOX[0]), min(box[1], TRADE_BOX[1]),
               max(box[2], TRADE_BOX[2]), max(box[3], TRADE_BOX[3]))
    shown = _display_borders(box) if (borders or context) else None
    if borders:
        fg = folium.FeatureGroup(name="Country borders", overlay=True, control=True)
        if offline and box[2] - box[0] < 300:  # (a box round the world needs no second, coarser land)
            _Layer("areas", _world_land()).add_to(fg)
        _Layer("areas", _borders_data(shown, offline, box)).add_to(fg)
        fg.add_to(m)
    context_legend = ""
    if context == "trade":
        data_json, context_legend = _trade_data(shown)
        fg = folium.FeatureGroup(name="Trade with China, 2024", overlay=True, control=True)
        _Layer("areas", data_json).add_to(fg)
        fg.add_to(m)
    if many:
        cross = analysis.border_crossings(gdf) if crossings else pd.DataFrame()
        by_country = analysis.lengths_by_country(gdf) if labels else pd.DataFrame({"iso3": []})
        fg = folium.FeatureGroup(name=f"Lines ({len(gdf):,})", overlay=True, control=True)
        _Layer("manyLines", _many_lines_data(gdf)).add_to(fg)
        fg.add_to(m)
    else:
        result = analysis.analyse(gdf, edges=edges)
        cross, by_country = result.border_crossings(), result.lengths_by_country()
        for _cid, label, data_json in _corridor_layers(gdf, order, colours, by_country, pd.DataFrame(cross),
                                                       casing=context is not None, edges=edges):
            fg = folium.FeatureGroup(name=label, overlay=True, control=True)
            _Layer("lines", data_json).add_to(fg)
            fg.add_to(m)
    if crossings and len(cross):
        fg = folium.FeatureGroup(name="Border crossings", overlay=True, control=True)
        _Layer("points", _crossings_data(cross, meta, canvas=many)).add_to(fg)
        fg.add_to(m)
    kinds: list[str] = []
    pl = places_of(order) if places else None
    near_towns = _towns_near(gdf, pl) if (borders and not many) else None
    if near_towns is not None and len(near_towns):
        fg = folium.FeatureGroup(name="Main towns", overlay=True, control=True)
        _Layer("points", _towns_data(near_towns)).add_to(fg)
        fg.add_to(m)
    if pl is not None and len(pl):
        kinds = [k for k in PLACE_COLOURS if k in set(pl["kind"])]
        fg = folium.FeatureGroup(name="Places", overlay=True, control=True)
        _Layer("points", _places_data(pl)).add_to(fg)
        fg.add_to(m)
    mode = _col(gdf, "mode")
    statuses = set(pd.Series(_col(gdf, "status"))[pd.Series(mode) != "sea"].dropna().astype(str)) if not many else set()
    legend_html = _legend_html(order if not many else [], colours, meta, statuses, bool((mode == "sea").any()),
                               kinds, crossings and len(cross) > 0, context_legend) if legend else ""
    if legend and near_towns is not None and len(near_towns):
        legend_html += ('<div class="row"><svg width="14" height="10"><circle cx="7" cy="5" r="3" fill="#fff" '
                        'stroke="#555"/></svg>Main town (Natural Earth)</div>')
    if many and legend:
        legend_html += (f'<h4>Lines</h4><div class="row">{_dash_svg(line_style(None, None, MANY_COLOUR))}'
                        f"{len(gdf):,} lines (click one for its facts)</div>")
    label_data = _labels_data(gdf, shown if borders else None,
                              by_country["iso3"].dropna().unique() if len(by_country) else [],
                              pl) if labels and not many else []
    if labels and near_towns is not None:  # last in rank: where they fit
        label_data += [{"lat": round(p.y, 4), "lon": round(p.x, 4), "text": _text(n),
                        "cls": "corridors-label corridors-label-town", "rank": 4, "dz": 0}
                       for n, p in zip(near_towns["name"], near_towns.geometry)]
    x0, y0, x1, y1 = gdf.total_bounds
    # room for the title (top), the zoom/measure buttons (left), the legend and mini-map (right)
    top = 70 if (title or subtitle) else 20
    m.fit_bounds([[float(y0), float(x0)], [float(y1), float(x1)]], padding_top_left=(50, top),
                 padding_bottom_right=(230 if (legend or minimap) else 20, 40))
    folium.LayerControl(collapsed=True).add_to(m)
    _Controls({"offline": offline, "legend": legend_html, "minimap": bool(minimap and borders),
               "title": _text(title) if title else "", "subtitle": _text(subtitle) if subtitle else "",
               "labels": label_data, "credits": _credits(meta, bool(borders), context)}).add_to(m)
    return m


def _default_titles(order: list[Any], meta: dict[str, dict[str, Any]], context: str | None) -> tuple[str, str]:
    """Title and subtitle of a map of bundled corridors."""
    if context == "trade":
        return ("Corridors and Central Asia's trade with China, 2024",
                "Country fill: total trade with China by China's customs figures; lines: the corridors by status")
    if len(order) == 1:
        md = meta.get(order[0]) or {}
        return (str(md.get("name") or order[0]),
                "Route by status, border crossings and key places; lengths are WGS84 geodesic")
    return ("Corridors linking China, Central Asia, the Caucasus and Turkey",
            "Routes by status, border crossings and key places; click a line for its facts and sources")


def _credits(meta: dict[str, dict[str, Any]], borders: bool, context: str | None) -> str:
    """The attribution line: the corridor data's sources, Natural Earth and the trade sources."""
    parts = []
    if meta:
        parts.append("Corridors: the corridors dataset (sources in each popup)")
    if borders:
        parts.append("Towns: Natural Earth populated places")
    if context == "trade":
        parts.append("Trade: " + "; ".join(_text(s["publisher"]) for s in trade_context()["sources"]))
    return " | ".join(parts)


#: What an offline page must not contain: an asset loaded from another host.
_OUTSIDE_ASSET = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def save_map(m: folium.Map, path: str | PathLike[str], *, offline: bool | None = None) -> Path:
    """Write a map from :func:`render_map` to one HTML file (UTF-8).

    Parameters
    ----------
    m : folium.Map
        The map.
    path : str or PathLike
        Output file; missing parent folders are made.
    offline : bool, optional
        When True, check that the page loads nothing from another host (as
        ``render_map(..., offline=True)`` guarantees) and raise otherwise.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DataError
        If ``offline`` is True and the page references an outside asset.
    """
    out = Path(path)
    page = m.get_root().render()
    if offline and _OUTSIDE_ASSET.search(page):
        raise DataError("the map loads assets from the web; make it with render_map(..., offline=True)", out)
    write_text(out, page, make_parents=True)
    return out
