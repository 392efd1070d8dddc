"""A map of routes over the corridor network, built on :func:`corridors.maps.render_map`.

The corridors are drawn by :func:`~corridors.maps.render_map`; the connecting links are
added in a quieter grey; each route is a thick line with its border crossings, breaks of
gauge and transshipments marked. Every text shown comes from data and is escaped (also
for the JavaScript template strings folium puts popups in), so a property cannot run
script in the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import Element

from ._html import template_safe
from .catalog import load_all
from .links import in_service_from, load_links
from .maps import render_map
from .routing import Route

#: Colours of the first, second, third ... route drawn.
ROUTE_COLOURS: tuple[str, ...] = ("#b2182b", "#2166ac", "#762a83", "#1b7837", "#e08214")
_MARKERS = {"crossing": ("#000000", "border crossing"), "break-of-gauge": ("#ff7f00", "break of gauge"),
            "transshipment": ("#1f78b4", "transshipment (change of mode)"),
            "uncounted": ("#bdbdbd", "edge of a leased area (not a customs border)")}


def _latlon(geom: Any) -> list[list[float]]:
    return [[float(y), float(x)] for x, y in shapely.get_coordinates(geom)]


def _popup(lines: list[str]) -> folium.Tooltip:
    """A tooltip of already-escaped lines (folium's Popup needs jQuery, which the page does not load)."""
    return folium.Tooltip("<br>".join(lines), sticky=True)


def _route_layer(r: Route, n: int, colour: str) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name=f"Route {n}: {template_safe(r.origin)} – {template_safe(r.destination)}", overlay=True, control=True)
    for leg in r.legs.itertuples():
        info = [f"<b>Route {n}, leg {leg.seq}</b>: {template_safe(leg.from_name)} – {template_safe(leg.to_name)}",
                f"{template_safe(leg.name)} ({template_safe(leg.mode)}{', ' + template_safe(leg.gauge_mm) + ' mm' if leg.gauge_mm is not None and str(leg.gauge_mm) != '<NA>' else ''}, {template_safe(leg.status)})",
                f"{leg.length_km:,.1f} km; sources: {template_safe(leg.sources)}"]
        folium.PolyLine(_latlon(leg.geometry), color=colour, weight=6 if n == 1 else 4, opacity=0.85,
                        dash_array=None if n == 1 else "8 6", tooltip=_popup(info)).add_to(fg)
    for row in r.crossings.itertuples():
        pt = _point_at(r, row.km)
        text = [f"<b>Border crossing {row.seq}</b> ({template_safe(row.by)}): {template_safe(row.from_iso3)} → {template_safe(row.to_iso3)}",
                f"km {row.km:,.0f} from {template_safe(r.origin)}" + (f"; at {template_safe(row.checkpoint)}" if row.checkpoint else "")]
        if not row.counted:
            text.append("not a customs border (a Natural Earth unit without an ISO code); not counted")
        _marker(pt, "crossing" if row.counted else "uncounted", text).add_to(fg)
    for row in r.transfers.itertuples():
        pt = _point_at(r, row.km)
        text = [f"<b>{template_safe(row.kind)}</b> at {template_safe(row.place)}", f"{template_safe(row.from_mode)} → {template_safe(row.to_mode)}",
                f"km {row.km:,.0f} from {template_safe(r.origin)}"]
        _marker(pt, row.kind, text).add_to(fg)
    return fg


def _point_at(r: Route, km: float) -> tuple[float, float]:
    """(lat, lon) of the point ``km`` geodesic km along the route (to the nearest leg end or vertex)."""
    done = 0.0
    for leg in r.legs.itertuples():
        if done + leg.length_km >= km - 1e-6:
            frac = 0.0 if leg.length_km == 0 else (km - done) / leg.length_km
            p = shapely.line_interpolate_point(leg.geometry, frac, normalized=True)
            return float(p.y), float(p.x)
        done += leg.length_km
    last = r.legs.geometry.iloc[-1]
    x, y = shapely.get_coordinates(last)[-1]
    return float(y), float(x)


def _marker(pt: tuple[float, float], kind: str, text: list[str]) -> folium.CircleMarker:
    colour = _MARKERS[kind][0]
    return folium.CircleMarker(pt, radius=4 if kind == "uncounted" else 7, color="#ffffff", weight=2, fill=True, fill_color=colour,
                               fill_opacity=1.0, tooltip=_popup(text))


def _links_layer(year: int | None = None) -> folium.FeatureGroup:
    links = load_links()
    if year is not None:
        links = links[in_service_from(links) <= year]
    fg = folium.FeatureGroup(name="Connecting links", overlay=True, control=True)
    for row in links.itertuples():
        info = [f"<b>{template_safe(row.name)}</b> (connecting link: {template_safe(row.kind)})",
                f"{template_safe(row.mode)}, {template_safe(row.status)}; opened {template_safe(row.opened)}",
                f"accuracy ±{row.accuracy_km:g} km, {template_safe(row.method)}", f"sources: {template_safe(row.sources)}"]
        folium.PolyLine(_latlon(row.geometry), color="#7f7f7f", weight=2, opacity=0.7,
                        dash_array="2 4" if row.mode == "road" else None, tooltip=_popup(info)).add_to(fg)
    return fg


def _controls_last(m: folium.Map) -> None:
    """Move the layer control and render_map's controls after the layers added here.

    Leaflet's layer control must see every overlay when its script runs; folium renders
    children in insertion order.
    """
    controls = [k for k, child in m._children.items()
                if isinstance(child, folium.LayerControl) or type(child).__name__ == "_Controls"]
    for k in controls:
        m._children.move_to_end(k)


def _legend(found: Sequence[Route], colours: Sequence[str]) -> str:
    rows = "".join(
        f'<div><span style="display:inline-block;width:22px;height:4px;background:{c};vertical-align:middle"></span> '
        f"Route {i}: {template_safe(r.origin)} – {template_safe(r.destination)}, {r.total_km:,.0f} km"
        + ("" if r.hours is None else f", {r.hours / 24:.1f} days") + "</div>"
        for i, (r, c) in enumerate(zip(found, colours), 1))
    marks = "".join(f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
                    f'background:{c}"></span> {template_safe(label)}</div>' for c, label in _MARKERS.values())
    grey = ('<div><span style="display:inline-block;width:22px;height:2px;background:#7f7f7f;vertical-align:middle">'
            "</span> connecting link</div>")
    return ('<div style="position:absolute;bottom:28px;right:12px;z-index:1000;background:#fff;padding:8px 10px;'
            'font:12px sans-serif;border:1px solid #999;border-radius:4px;max-width:360px">'
            f"<b>Routes</b>{rows}{grey}{marks}"
            "<div style='color:#555;margin-top:4px'>Links: © OpenStreetMap contributors (ODbL), via scgraph-data;"
            " borders: Natural Earth</div></div>")


def route_map(
    route: Route | Sequence[Route],
    *,
    offline: bool = False,
    base: str | Sequence[str] | gpd.GeoDataFrame | None = None,
    links: bool | None = None,
    title: str | None = None,
) -> folium.Map:
    """A map of one route or several alternatives over the network.

    Parameters
    ----------
    route : Route or sequence of Route
        The first is drawn as the main route (solid), the others dashed.
    offline : bool
        One self-contained page, as :func:`corridors.maps.render_map` (``offline=True``).
    base : corridor id(s) or GeoDataFrame, optional
        What to draw under the routes: the bundled corridors (default) or the user's
        lines the routes were found on.
    links : bool, optional
        Draw the bundled connecting links in grey; default True when ``base`` is None.
    title : str, optional
        Shown at the top; by default "origin – destination".

    Returns
    -------
    folium.Map
        Save it with :func:`corridors.maps.save_map`.
    """
    found = [route] if isinstance(route, Route) else list(route)
    m = render_map(base, offline=offline, crossings=False, legend=False)
    if links if links is not None else base is None:
        _links_layer().add_to(m)
    colours = [ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i in range(len(found))]
    for n, (r, c) in reversed(list(enumerate(zip(found, colours), 1))):
        _route_layer(r, n, c).add_to(m)
    _controls_last(m)
    head = title or f"{found[0].origin} – {found[0].destination}"
    page: Any = m.get_root()
    page.html.add_child(Element(
        '<div style="position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;background:#fff;'
        f'padding:4px 12px;font:bold 15px sans-serif;border:1px solid #999;border-radius:4px">{template_safe(head)}</div>'))
    page.html.add_child(Element(_legend(found, colours)))
    b = gpd.GeoSeries(list(found[0].legs.geometry), crs="EPSG:4326").total_bounds
    m.fit_bounds([[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]], padding=(30, 30))
    return m


def network_map(year: int | None = None, *, offline: bool = False) -> folium.Map:
    """The bundled network as of a year: corridor segments and links in service then.

    Parameters
    ----------
    year : int, optional
        Draw only what is in service in that year (see :func:`corridors.links.in_service_from`);
        everything, whatever its status, by default.
    offline : bool
        One self-contained page, as :func:`corridors.maps.render_map`.

    Returns
    -------
    folium.Map
        The corridors as :func:`~corridors.maps.render_map` draws them, the links in grey,
        and the year in the title.
    """
    lines = load_all()
    if year is not None:
        lines = lines[in_service_from(lines) <= year]
    m = render_map(lines, offline=offline)
    _links_layer(year).add_to(m)
    _controls_last(m)
    head = "Corridors and links" + ("" if year is None else f" in service in {int(year)}")
    page: Any = m.get_root()
    page.html.add_child(Element(
        '<div style="position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;background:#fff;'
        f'padding:4px 12px;font:bold 15px sans-serif;border:1px solid #999;border-radius:4px">{template_safe(head)}</div>'))
    return m
