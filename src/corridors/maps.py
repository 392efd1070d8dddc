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

This module builds the page; the pieces it puts together live in private modules: the styling
(``_style``), HTML escaping (``_html``), the context data (``_context``), the lines, places and
labels shown (``_mapdata``) and each layer's data (``_layers``). Their public names used to be
defined here and are still importable from here.

Safety: every value taken from the data (names, ids, sources, URLs, ...) is escaped in Python
for the HTML it becomes, and all data reach the page as JSON made safe for a ``<script>``
element (``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes). Links are made
only from ``http``/``https`` URLs. folium's own ``Popup``/``Tooltip`` classes, which paste
text into JavaScript template literals, are not used.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template

from . import analysis
from ._atomic import write_text
from ._context import (
    BORDER_MARGIN_DEG,
    BORDER_TOLERANCE_DEG,
    TRADE_BOX,
    WORLD_TOLERANCE_DEG,
    display_borders,
    map_box,
    towns,
    trade_classes,
    trade_context,
)
from ._html import script_json, text, url_href
from ._layers import (
    BORDERS_ATTRIBUTION,
    borders_data,
    corridor_layers,
    crossings_data,
    many_lines_data,
    places_data,
    towns_data,
    trade_data,
    water_data,
    world_land_data,
)
from ._mapdata import (
    DEEP_KINDS,
    KEY_KINDS,
    LABEL_DEEPER,
    column,
    display_order,
    labels_data,
    metadata,
    places_of,
    select,
    towns_near,
)
from ._style import (
    CORRIDOR_COLOURS,
    KIND_WORDS,
    MANY_COLOUR,
    OTHER_STATUS,
    PALETTE,
    PLACE_COLOURS,
    SEA_COLOUR,
    SEA_STYLE,
    STATUS_STYLES,
    STATUS_WORDS,
    TRADE_RAMP,
    corridor_colours,
    dash_svg,
    default_titles,
    line_style,
)
from .errors import DataError

__all__ = [
    "BORDERS_ATTRIBUTION", "BORDER_MARGIN_DEG", "BORDER_TOLERANCE_DEG", "CONTEXT_LAYERS", "CORRIDOR_COLOURS",
    "DEEP_KINDS", "KEY_KINDS", "KIND_WORDS", "LABEL_DEEPER", "LEAFLET_CDN", "MANY_COLOUR", "MANY_FEATURES",
    "MANY_MAX_ZOOM", "MANY_VERTICES", "OTHER_STATUS", "PALETTE", "PLACE_COLOURS", "SEA_COLOUR", "SEA_STYLE",
    "STATUS_STYLES", "STATUS_WORDS", "TRADE_BOX", "TRADE_RAMP", "WORLD_TOLERANCE_DEG", "corridor_colours",
    "line_style", "places_of", "render_map", "save_map", "towns", "trade_classes", "trade_context",
]

# Names the tests have used since before the split into private modules (kept as aliases).
_display_borders = display_borders
_script_json = script_json
_url = url_href

#: Maps of more vertices or features than these draw the lines on one canvas with levels of detail.
MANY_VERTICES = 150_000
MANY_FEATURES = 2_000
#: Deepest zoom of a many-lines map (each level of detail departs from the data by <= 0.7 px).
MANY_MAX_ZOOM = 13
#: Leaflet from its CDN, for online maps (offline maps inline the copy in ``xstatic-leaflet``).
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
#: The context layers :func:`render_map` knows.
CONTEXT_LAYERS: tuple[str, ...] = ("trade",)


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
        self.options = script_json(options)


def _is_many(gdf: gpd.GeoDataFrame) -> bool:
    """Whether the lines are drawn on one canvas with levels of detail (see :data:`MANY_VERTICES`)."""
    return len(gdf) > MANY_FEATURES or int(shapely.get_num_coordinates(gdf.geometry.values).sum()) > MANY_VERTICES


# ----------------------------------------------------------------------------- legend and assets

def _legend_html(order: list[Any], colours: dict[Any, str], meta: dict[str, dict[str, Any]],
                 statuses: set[str], has_sea: bool, place_kinds: list[str], crossings: bool,
                 context_legend: str) -> str:
    """The legend: a collapsible ``<details>`` with corridors, line styles, points and context."""
    parts = ["<summary>Legend</summary>"]
    if order:
        parts.append("<h4>Corridors</h4>")
    for c in order:
        st = line_style("operating", None, colours[c])
        parts.append(f'<div class="row">{dash_svg(st)}{text((meta.get(c) or {}).get("name") or c)}</div>')
    shown = [s for s in STATUS_STYLES if s in statuses]
    if statuses - set(STATUS_STYLES):
        shown.append("other")
    if shown or has_sea:
        parts.append("<h4>Line style</h4>")
    for s in shown:
        parts.append(f'<div class="row">{dash_svg(line_style(s, None, "#333"))}{text(STATUS_WORDS[s])}</div>')
    if has_sea:
        parts.append(f'<div class="row">{dash_svg(line_style(None, "sea", ""))}Ferry / sea leg</div>')
    if crossings or place_kinds:
        parts.append('<h4>Points</h4><div class="grid">')
    if crossings:
        parts.append('<div class="row"><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" '
                     'stroke="#000" stroke-width="2"/></svg>Border crossing</div>')
    for k in place_kinds:
        parts.append(f'<div class="row"><svg width="14" height="10"><circle cx="7" cy="5" r="4" '
                     f'fill="{PLACE_COLOURS.get(k, "#444")}"/></svg>{text(KIND_WORDS.get(k, k))}</div>')
    if crossings or place_kinds:
        parts.append("</div>")
    return "".join(parts) + context_legend


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
    for asset in (css, js):
        if re.search(r"</(script|style)", asset, re.I):
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
    gdf = select(data)
    many = _is_many(gdf)
    meta = metadata(gdf)
    order = display_order(gdf["corridor_id"].to_numpy())
    colours = corridor_colours(order) if not many else {}
    if title is None and subtitle is None and not isinstance(data, gpd.GeoDataFrame):
        title, subtitle = default_titles(order, meta, context)

    canvas: dict[str, Any] = {"max_zoom": MANY_MAX_ZOOM, "prefer_canvas": True, "zoom_animation": False}
    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_start=4, zoom_snap=0.25, zoom_delta=0.5,
                   **(canvas if many else {}))
    m.default_js, m.default_css = [], []
    root: Any = m.get_root()
    root.header.add_child(Element(_assets(offline)), name="corridors_assets")
    if not offline and tiles:
        folium.TileLayer(tiles, control=True, overlay=False).add_to(m)

    box = map_box(gdf)
    if context == "trade":
        box = (min(box[0], TRADE_BOX[0]), min(box[1], TRADE_BOX[1]),
               max(box[2], TRADE_BOX[2]), max(box[3], TRADE_BOX[3]))
    shown = display_borders(box) if (borders or context) else None
    if borders:
        fg = folium.FeatureGroup(name="Country borders", overlay=True, control=True)
        if offline and box[2] - box[0] < 300:  # (a box round the world needs no second, coarser land)
            _Layer("areas", world_land_data()).add_to(fg)
        _Layer("areas", borders_data(shown, offline, box)).add_to(fg)
        if offline:  # (online tiles draw their own rivers and lakes)
            _Layer("areas", water_data(box)).add_to(fg)
        fg.add_to(m)
    context_legend = ""
    if context == "trade":
        data_json, context_legend = trade_data(shown)
        fg = folium.FeatureGroup(name="Trade with China, 2024", overlay=True, control=True)
        _Layer("areas", data_json).add_to(fg)
        fg.add_to(m)
    if many:
        cross = analysis.border_crossings(gdf) if crossings else pd.DataFrame()
        by_country = analysis.lengths_by_country(gdf) if labels else pd.DataFrame({"iso3": []})
        fg = folium.FeatureGroup(name=f"Lines ({len(gdf):,})", overlay=True, control=True)
        _Layer("manyLines", many_lines_data(gdf, MANY_MAX_ZOOM)).add_to(fg)
        fg.add_to(m)
    else:
        result = analysis.analyse(gdf, edges=edges)
        cross, by_country = result.border_crossings(), result.lengths_by_country()
        for _cid, label, data_json in corridor_layers(gdf, order, colours, by_country, pd.DataFrame(cross),
                                                       casing=context is not None, edges=edges):
            fg = folium.FeatureGroup(name=label, overlay=True, control=True)
            _Layer("lines", data_json).add_to(fg)
            fg.add_to(m)
    if crossings and len(cross):
        fg = folium.FeatureGroup(name="Border crossings", overlay=True, control=True)
        _Layer("points", crossings_data(cross, meta, canvas=many)).add_to(fg)
        fg.add_to(m)
    kinds: list[str] = []
    pl = places_of(order) if places else None
    near_towns = towns_near(gdf, pl) if (borders and not many) else None
    if near_towns is not None and len(near_towns):
        fg = folium.FeatureGroup(name="Main towns", overlay=True, control=True)
        _Layer("points", towns_data(near_towns)).add_to(fg)
        fg.add_to(m)
    if pl is not None and len(pl):
        kinds = [k for k in PLACE_COLOURS if k in set(pl["kind"])]
        fg = folium.FeatureGroup(name="Places", overlay=True, control=True)
        _Layer("points", places_data(pl)).add_to(fg)
        fg.add_to(m)
    mode = column(gdf, "mode")
    statuses = set(pd.Series(column(gdf, "status"))[pd.Series(mode) != "sea"].dropna().astype(str)) if not many else set()
    legend_html = _legend_html(order if not many else [], colours, meta, statuses, bool((mode == "sea").any()),
                               kinds, crossings and len(cross) > 0, context_legend) if legend else ""
    if legend and near_towns is not None and len(near_towns):
        legend_html += ('<div class="row"><svg width="14" height="10"><circle cx="7" cy="5" r="3" fill="#fff" '
                        'stroke="#555"/></svg>Main town (Natural Earth)</div>')
    if many and legend:
        legend_html += (f'<h4>Lines</h4><div class="row">{dash_svg(line_style(None, None, MANY_COLOUR))}'
                        f"{len(gdf):,} lines (click one for its facts)</div>")
    label_data = labels_data(gdf, shown if borders else None,
                              by_country["iso3"].dropna().unique() if len(by_country) else [],
                              pl) if labels and not many else []
    if labels and near_towns is not None:  # last in rank: where they fit
        label_data += [{"lat": round(p.y, 4), "lon": round(p.x, 4), "text": text(n),
                        "cls": "corridors-label corridors-label-town", "rank": 4, "dz": 0}
                       for n, p in zip(near_towns["name"], near_towns.geometry)]
    x0, y0, x1, y1 = gdf.total_bounds
    # room for the title (top), the zoom/measure buttons (left), the legend and mini-map (right)
    top = 70 if (title or subtitle) else 20
    m.fit_bounds([[float(y0), float(x0)], [float(y1), float(x1)]], padding_top_left=(50, top),
                 padding_bottom_right=(230 if (legend or minimap) else 20, 40))
    folium.LayerControl(collapsed=True).add_to(m)
    _Controls({"offline": offline, "legend": legend_html, "minimap": bool(minimap and borders),
               "title": text(title) if title else "", "subtitle": text(subtitle) if subtitle else "",
               "labels": label_data, "credits": _credits(meta, bool(borders), context)}).add_to(m)
    return m


def _credits(meta: dict[str, dict[str, Any]], borders: bool, context: str | None) -> str:
    """The attribution line: the corridor data's sources, Natural Earth and the trade sources."""
    parts = []
    if meta:
        parts.append("Corridors: the corridors dataset (sources in each popup)")
    if borders:
        parts.append("Towns: Natural Earth populated places")
    if context == "trade":
        parts.append("Trade: " + "; ".join(text(s["publisher"]) for s in trade_context()["sources"]))
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
