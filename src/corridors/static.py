"""Static publication figures (matplotlib): borders, corridors by status, crossings, labels,
title, legend, scale bar, north arrow, graticule and an optional locator inset.

Colours and line styles are those of the interactive map (:mod:`corridors.maps`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops

from . import analysis
from ._atomic import atomic_output
from ._context import display_borders, map_box, water_in
from ._mapdata import display_order, labels_data, metadata, places_of, select, towns_near
from ._style import (
    KIND_WORDS,
    LAKE_OUTLINE,
    LAND_COLOUR,
    OUTLINE_COLOUR,
    PLACE_COLOURS,
    RIVER_COLOUR,
    SEA_COLOUR,
    SEA_STYLE,
    STATUS_STYLES,
    STATUS_WORDS,
    corridor_colours,
    default_titles,
    line_style,
)
from .errors import DataError
from .geodesy import GEOD

#: Figure colours: land and country outlines (the sea is :data:`corridors.maps.SEA_COLOUR`).
LAND = LAND_COLOUR
OUTLINE = OUTLINE_COLOUR
#: Lengths a scale bar may take, km.
_NICE_KM = (10, 20, 50, 100, 200, 250, 500, 1000, 2000)


def _dashes(style: dict[str, Any]) -> Any:
    """matplotlib linestyle for a Leaflet dash pattern (px; matplotlib scales dashes by width)."""
    if not style["dashArray"]:
        return "-"
    on_off = [max(float(v) / style["weight"] * 1.6, 0.1) for v in style["dashArray"].split()]
    return (0, tuple(on_off))


def _scale_bar(ax: Any, lat: float) -> None:
    """A horizontal scale bar in the lower left, about a fifth of the map wide.

    On the equirectangular axes (aspect 1/cos of ``lat``) the scale is true along the
    parallel ``lat``, so the bar measures that parallel: its length in degrees is the
    distance (km) divided by the parallel's radius N(lat) cos(lat) on WGS84. The label
    names the latitude.
    """
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    a, f = GEOD.a, GEOD.f
    e2 = f * (2 - f)
    phi = math.radians(lat)
    parallel_m = a / math.sqrt(1 - e2 * math.sin(phi) ** 2) * math.cos(phi)  # metres per radian of longitude
    width_km = parallel_m * math.radians((x1 - x0) / 5) / 1000
    km = max([k for k in _NICE_KM if k <= width_km] or [_NICE_KM[0]])
    start_lon, bar_lat = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    end_lon = start_lon + math.degrees(km * 1000 / parallel_m)
    ax.plot([start_lon, end_lon], [bar_lat, bar_lat], color="black", lw=3, solid_capstyle="butt", zorder=10)
    ax.plot([start_lon, (start_lon + end_lon) / 2], [bar_lat, bar_lat], color="white", lw=1.5, solid_capstyle="butt",
            zorder=11)
    ns = "N" if lat >= 0 else "S"
    ax.text((start_lon + end_lon) / 2, bar_lat + 0.015 * (y1 - y0), f"{km:,} km (at {abs(lat):.0f}°{ns})",
            ha="center", va="bottom", fontsize=8, zorder=11)


def _north_arrow(ax: Any) -> None:
    ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.84), xycoords="axes fraction", ha="center", va="center",
                fontsize=11, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5}, zorder=12)


#: Width of a new figure, inches (a report's text width); the height follows the data.
FIG_WIDTH_IN = 7.5
#: Aspect ratios (width / height of the map) a figure is widened or heightened into.
ASPECT_RANGE = (0.75, 2.0)


def _frame(gdf: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float], float]:
    """x and y limits (degrees) around the data, padded and stretched into :data:`ASPECT_RANGE`,
    and the mid latitude where the equirectangular scale is true."""
    x0, y0, x1, y1 = gdf.total_bounds
    padx, pady = max(0.6, 0.09 * (x1 - x0)), max(0.6, 0.10 * (y1 - y0))  # room for end labels
    x0, x1, y0, y1 = x0 - padx, x1 + padx, y0 - pady, y1 + pady
    mid = (y0 + y1) / 2
    k = math.cos(math.radians(mid))
    aspect = (x1 - x0) * k / (y1 - y0)
    lo, hi = ASPECT_RANGE
    if aspect > hi:  # too wide: add latitude
        grow = ((x1 - x0) * k / hi - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    elif aspect < lo:  # too tall: add longitude
        grow = (lo * (y1 - y0) / k - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    return (x0, x1), (y0, y1), (y0 + y1) / 2


def _label(ax: Any, gdf: gpd.GeoDataFrame, shown: gpd.GeoDataFrame | None, places: gpd.GeoDataFrame | None,
           by_country: Any, all_places: bool, towns: gpd.GeoDataFrame | None = None) -> list[Any]:
    """Country, place and town labels without overlaps; returns the texts kept.

    Labels are chosen as :func:`corridors.maps.render_map` chooses them and placed by rank.
    The corridors' ends go first, beside their points (:func:`_beside`). Each country
    crossed follows, at the most central spot of its part inside the frame where the label
    crosses no corridor line, marker or label (:func:`_place_country`). The other places
    follow beside their points where there is room; those without are moved apart with
    adjustText (with a leader line), clear of the labels placed, and a label that still
    overlaps one kept before it is removed. Last, the main towns, nearest the corridors first, are
    labelled beside their dots where there is room (:func:`_place_towns`).
    """
    import html

    from adjustText import adjust_text

    records = labels_data(gdf, shown, by_country, places)
    countries = [r for r in records if "country" in r["cls"]]
    records = sorted((r for r in records if "country" not in r["cls"] and (all_places or r["rank"] <= 2)),
                     key=lambda r: r["rank"])
    renderer = ax.figure.canvas.get_renderer()
    scene = _Scene(ax, gdf, places, towns)
    kept: list[Any] = []
    for r in records:  # the corridors' ends (rank 0) beside their points, wherever there is room
        if r["rank"] == 0:
            t = _beside(ax, html.unescape(r["text"]), (r["lon"], r["lat"]), scene, _END_STYLE, must=True)
            kept += [t] if t is not None else []
    for r in countries:  # then the countries (rank 1)
        t = ax.text(r["lon"], r["lat"], html.unescape(r["text"]).upper(), fontsize=7.5, color="#6b6157",
                    fontweight="bold", ha="center", va="center", zorder=9)
        part = shown[shown["name"] == html.unescape(r["text"])].geometry.values if shown is not None else []
        if len(part) and _place_country(t, part[0], scene):
            kept.append(t)
            scene.add(t.get_window_extent(renderer))
        else:
            t.remove()
    rest = []
    for r in records:  # the other places beside their points where there is room, else moved by adjustText
        if r["rank"] > 0:
            t = _beside(ax, html.unescape(r["text"]), (r["lon"], r["lat"]), scene, _PLACE_STYLE)
            if t is None:
                rest.append(r)
            else:
                kept.append(t)
    records = rest
    texts = [ax.text(r["lon"], r["lat"], html.unescape(r["text"]), fontsize=6.5, color="#111",
                     fontweight="normal", ha="center", va="center", zorder=9, bbox=_HALO) for r in records]
    anchors = [(r["lon"], r["lat"]) for r in records]
    if texts:
        adjust_text(texts, x=[a[0] for a in anchors], y=[a[1] for a in anchors], ax=ax, expand=(1.15, 1.3),
                    only_move={"text": "xy"}, objects=[k.get_window_extent(renderer) for k in kept] or None)
    leaders: dict[int, Any] = {}
    # what adjustText could not separate: keep the label placed first, drop the other
    for t, anchor in zip(texts, anchors):
        box = t.get_window_extent(renderer)
        if not scene.clear(np.array([shapely.box(box.x0, box.y0, box.x1, box.y1)]), lines=False)[0]:
            t.remove()
            continue
        kept.append(t)
        scene.add(box)
        moved = np.hypot(*(ax.transData.transform(t.get_position()) - ax.transData.transform(anchor)))
        if moved > 0.7 * box.height + 6:  # a leader line from the point to a label moved away
            leaders[id(t)] = ax.annotate("", xy=anchor, xytext=t.get_position(), zorder=8,
                                         arrowprops={"arrowstyle": "-", "color": "#777", "lw": 0.4, "shrinkA": 5,
                                                     "shrinkB": 2})
    if towns is not None and len(towns):
        kept += _place_towns(ax, towns, scene)
    # last, on the drawn figure (the layout may have moved by a pixel): a label that overlaps
    # one placed before it, or leaves the axes, goes
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    final: list[Any] = []
    boxes: list[Any] = []
    for t in kept:
        box = t.get_window_extent(renderer)
        inside = ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
        if inside and not any(box.overlaps(b) for b in boxes):
            final.append(t)
            boxes.append(box)
            continue
        t.remove()
        if id(t) in leaders:
            leaders.pop(id(t)).remove()
    return final


class _Scene:
    """What a label must not cover on the axes, in display pixels: the corridor lines, the
    point markers, the labels already placed, the other texts (scale bar, north arrow) and
    the locator inset; and the axes box it must stay inside."""

    def __init__(self, ax: Any, gdf: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None,
                 towns: gpd.GeoDataFrame | None) -> None:
        self.ax = ax
        renderer = ax.figure.canvas.get_renderer()
        px = ax.transData.transform
        lines = shapely.transform(shapely.force_2d(gdf.geometry.values), px)
        points = [shapely.get_coordinates(g.geometry.values) for g in (places, towns) if g is not None and len(g)]
        marks = shapely.buffer(shapely.points(px(np.concatenate(points))), 3.0) if points else []
        fixed = [t.get_window_extent(renderer) for t in ax.texts if t.get_zorder() != 9 and t.get_text()]
        fixed += [c.get_window_extent(renderer) for c in ax.child_axes]
        fixed += [line.get_window_extent(renderer) for line in ax.lines if line.get_zorder() >= 10]  # scale bar
        self.drawn = [*shapely.buffer(lines, 2.5, cap_style="flat"), *marks]
        self.labels: list[Any] = [shapely.box(b.x0, b.y0, b.x1, b.y1) for b in fixed]
        self.frame = ax.bbox

    def add(self, box: Any) -> None:
        """A label placed: later ones keep clear of it."""
        self.labels.append(shapely.box(box.x0, box.y0, box.x1, box.y1))

    def clear(self, boxes: np.ndarray, lines: bool = True) -> np.ndarray:
        """Which of the boxes (shapely polygons, display px) lie inside the axes and touch no
        label, text, inset and (unless ``lines`` is False) no corridor line or marker."""
        ok = np.ones(len(boxes), dtype=bool)
        f = self.frame
        x0, y0, x1, y1 = shapely.bounds(boxes).T
        ok &= (x0 >= f.x0) & (y0 >= f.y0) & (x1 <= f.x1) & (y1 <= f.y1)
        for g in (self.drawn if lines else []) + self.labels:
            ok &= ~shapely.intersects(boxes, g)
        return ok


def _place_country(t: Any, polygon: Any, scene: _Scene) -> bool:
    """Move a country's label to the spot of the country's part inside the frame that is
    farthest from its edge (up to 40 px) and nearest its pole of inaccessibility, where the
    label lies inside the country and crosses no line, marker or label; failing that, one
    whose centre is in the country; failing both, the same at 80 % and 67 % of the font size,
    then at 80 % clear of the other labels only, over the fewest lines and markers. Returns
    False when there is no room at all."""
    ax = scene.ax
    (fx0, fx1), (fy0, fy1) = ax.get_xlim(), ax.get_ylim()
    part = shapely.transform(shapely.clip_by_rect(polygon, fx0, fy0, fx1, fy1), ax.transData.transform)
    if part.is_empty:
        return False
    size = t.get_fontsize()
    for strict, scale in ((True, 1.0), (True, 0.8), (True, 0.67), (False, 0.8)):  # smaller, then over lines
        t.set_fontsize(size * scale)
        if _country_spot(t, part, scene, strict):
            return True
    t.set_fontsize(size)
    return False


def _country_spot(t: Any, part: Any, scene: _Scene, strict: bool) -> bool:
    """Move ``t`` to the best spot in ``part`` (display px) as :func:`_place_country` says;
    ``strict``: clear of the corridor lines and markers too."""
    ax = scene.ax
    box = t.get_window_extent(ax.figure.canvas.get_renderer())
    w, h = box.width / 2 + 2, box.height / 2 + 2
    x0, y0, x1, y1 = part.bounds
    gx, gy = np.meshgrid(np.arange(x0 + w, x1 - w + 1, 6.0), np.arange(y0 + h, y1 - h + 1, 6.0))
    cx, cy = gx.ravel(), gy.ravel()
    if not len(cx):
        return False
    boxes = shapely.box(cx - w, cy - h, cx + w, cy + h)
    within = shapely.contains(part, boxes)
    shapely.prepare(part)
    pole = shapely.ops.polylabel(max(shapely.get_parts(part), key=lambda p: p.area), tolerance=2.0)
    score = (np.minimum(shapely.distance(shapely.boundary(part), shapely.points(cx, cy)), 40.0)
             - 0.05 * np.hypot(cx - pole.x, cy - pole.y))
    centred = shapely.intersects(part, shapely.points(cx, cy))
    free = scene.clear(boxes, lines=strict)
    if not strict:  # over the fewest lines and markers
        hits = np.sum([shapely.intersects(boxes, g) for g in scene.drawn], axis=0)
        score = score - 1000.0 * hits
    for ok in (within & free, centred & free):
        if ok.any():
            i = int(np.flatnonzero(ok)[np.argmax(score[ok])])
            t.set_position(ax.transData.inverted().transform((cx[i], cy[i])))
            return True
    return False


#: Where a label may sit beside its point: (dx, dy) in points, horizontal and vertical alignment.
_SPOTS = ((4, 0, "left", "center"), (-4, 0, "right", "center"), (0, 4, "center", "bottom"),
          (0, -4, "center", "top"), (3, 3, "left", "bottom"), (-3, -3, "right", "top"),
          (-3, 3, "right", "bottom"), (3, -3, "left", "top"))


def _beside(ax: Any, name: str, xy: tuple[float, float], scene: _Scene, style: dict[str, Any],
            must: bool = False) -> Any:
    """A label beside a point at the first spot of :data:`_SPOTS` that is clear (``must``:
    failing that, the first clear of the other labels only); None when there is none."""
    renderer = ax.figure.canvas.get_renderer()
    for strict in (True, False) if must else (True,):
        for dx, dy, ha, va in _SPOTS:
            t = ax.annotate(name, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, zorder=9, **style)
            b = t.get_window_extent(renderer)
            if scene.clear(np.array([shapely.box(b.x0, b.y0, b.x1, b.y1)]), lines=strict)[0]:
                scene.add(b)
                return t
            t.remove()
    return None


def _place_towns(ax: Any, towns: gpd.GeoDataFrame, scene: _Scene) -> list[Any]:
    """Label the towns in order (the first has the highest rank) beside their dots where
    there is room (:func:`_beside`); a town without room goes unlabelled."""
    kept = [_beside(ax, str(name), (p.x, p.y), scene, _TOWN_STYLE)
            for name, p in zip(towns["name"], towns.geometry.values)]
    return [t for t in kept if t is not None]


#: A light box behind each label (a path-effect halo would turn the text into paths in SVG/PDF).
_HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
#: Text styles of the corridors' ends and of the main towns.
_END_STYLE = {"fontsize": 6.5, "fontweight": "bold", "color": "#111", "bbox": _HALO}
_PLACE_STYLE = {"fontsize": 6.5, "color": "#111", "bbox": _HALO}
_TOWN_STYLE = {"fontsize": 6, "fontstyle": "italic", "color": "#555",
               "bbox": {"boxstyle": "round,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.5}}


def _inset(ax: Any, gdf: gpd.GeoDataFrame, xlim: tuple[float, float], ylim: tuple[float, float]) -> Any:
    """A locator inset: the land around the map, the map's frame in red, in the corner of the
    map (other than the lower left, the scale bar's) with the fewest of the data's vertices."""
    from matplotlib.patches import Rectangle

    xy = shapely.get_coordinates(gdf.geometry.values)
    fx = (xy[:, 0] - xlim[0]) / (xlim[1] - xlim[0])
    fy = (xy[:, 1] - ylim[0]) / (ylim[1] - ylim[0])
    corners = {(0.74, 0.03): (fx > 0.72) & (fy < 0.3), (0.02, 0.73): (fx < 0.28) & (fy > 0.7),
               (0.66, 0.73): (fx > 0.64) & (fy > 0.7)}
    where = min(corners, key=lambda k: int(corners[k].sum()))

    cx, cy = (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2
    half = max(xlim[1] - xlim[0], 30.0) * 1.6
    box = (max(cx - half, -180.0), max(cy - half / 2, -85.0), min(cx + half, 180.0), min(cy + half / 2, 85.0))
    inset = ax.inset_axes([where[0], where[1], 0.24, 0.24])
    inset.set_facecolor(SEA_COLOUR)
    display_borders(tuple(float(v) for v in box)).plot(ax=inset, color=LAND, edgecolor=OUTLINE, linewidth=0.2)
    inset.add_patch(Rectangle((xlim[0], ylim[0]), xlim[1] - xlim[0], ylim[1] - ylim[0], fill=False,
                              edgecolor="#c00", linewidth=1.0))
    inset.set_xlim(box[0], box[2])
    inset.set_ylim(box[1], box[3])
    inset.set_aspect(1 / math.cos(math.radians(cy)))
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_label("locator")
    return inset


def plot(
    data: str | Sequence[str] | gpd.GeoDataFrame | None = None,
    ax: Any = None,
    *,
    borders: bool = True,
    crossings: bool = True,
    places: bool = True,
    legend: bool = True,
    title: str | None = None,
    labels: bool = True,
    towns: bool = True,
    inset: bool = False,
    figsize: tuple[float, float] | None = None,
) -> Any:
    """A static map of corridors for a report.

    Projection: equidistant cylindrical (equirectangular) with its standard parallel at the
    middle latitude of the frame, i.e. lon/lat axes with an aspect of 1/cos(mid latitude):
    distances along that parallel and along every meridian are true to scale, which suits the
    mid-latitude east-west corridors here (scale error under 10 % within about 13° of latitude
    of the middle, the frames of one or two corridors). The frame is fitted to the data and
    widened or heightened only into :data:`ASPECT_RANGE`.

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        As for :func:`corridors.render_map`: a bundled id, ids, a user's lines, or None (all).
    ax : matplotlib Axes, optional
        Where to draw; a new figure :data:`FIG_WIDTH_IN` inches wide, as high as the frame needs.
    borders, crossings, places, legend : bool
        Draw country borders (Natural Earth), border crossings, the bundled places of the
        drawn corridors, and the legend (below the map, in columns).
    title : str, optional
        Figure title; by default the corridor's name, or a title for the bundled network
        (none for a user's lines).
    labels : bool
        Label the countries crossed and the key places (ends, breaks of gauge, checkpoints,
        ports; on a one-corridor figure every place), moved apart with adjustText; labels
        that would still overlap are left out, the lower rank first.
    towns : bool
        Label the main towns in the frame (Natural Earth), nearest the corridors first, where
        there is room (with ``borders`` and ``labels``).
    inset : bool
        Add a locator inset (in the corner with the fewest of the data's vertices).
    figsize : (float, float), optional
        Size of a new figure, inches (default: fitted to the data).

    Returns
    -------
    matplotlib.axes.Axes
        Longitude/latitude axes with degree graticule, geodesic scale bar and north arrow.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    gdf = select(data)
    meta = metadata(gdf)
    order = display_order(gdf["corridor_id"].to_numpy())
    colours = corridor_colours(order)
    xlim, ylim, mid = _frame(gdf)
    if ax is None:
        if figsize is None:
            aspect = (xlim[1] - xlim[0]) * math.cos(math.radians(mid)) / (ylim[1] - ylim[0])
            figsize = (FIG_WIDTH_IN, FIG_WIDTH_IN / aspect + (1.3 if legend else 0.5))
        _fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.set_facecolor(SEA_COLOUR)
    shown = None
    if borders:
        shown = display_borders(map_box(gdf))
        shown.plot(ax=ax, color=LAND, edgecolor=OUTLINE, linewidth=0.5, zorder=1)
        frame = (xlim[0], ylim[0], xlim[1], ylim[1])
        lakes, rivers = water_in("lakes", frame), water_in("rivers", frame)
        if len(lakes):
            gpd.GeoSeries(lakes).plot(ax=ax, color=SEA_COLOUR, edgecolor=LAKE_OUTLINE, linewidth=0.3, zorder=1.2,
                                      gid="lakes")
        if len(rivers):
            gpd.GeoSeries(rivers).plot(ax=ax, color=RIVER_COLOUR, linewidth=0.55, zorder=1.3, gid="rivers")
    mode = gdf["mode"].to_numpy() if "mode" in gdf.columns else np.full(len(gdf), None)
    status = gdf["status"].to_numpy() if "status" in gdf.columns else np.full(len(gdf), None)
    cid = gdf["corridor_id"].to_numpy()
    for c in order:
        for i in np.flatnonzero(cid == c):
            st = line_style(status[i], mode[i], colours[c])
            for part in shapely.get_parts(shapely.force_2d(gdf.geometry.values[i:i + 1])):
                xy = shapely.get_coordinates(part)
                ax.plot(xy[:, 0], xy[:, 1], color=st["color"], lw=st["weight"] * 0.5, alpha=st["opacity"],
                        linestyle=_dashes(st), solid_capstyle="round", dash_capstyle=st["lineCap"], zorder=4)
    if crossings:
        cross = analysis.border_crossings(gdf)
        if len(cross):
            ax.scatter(shapely.get_x(cross.geometry.values), shapely.get_y(cross.geometry.values), s=14,
                       facecolor="white", edgecolor="black", linewidth=0.9, zorder=6)
    kinds: list[str] = []
    pl = None
    if places:
        pl = places_of(order)
        kinds = [k for k in PLACE_COLOURS if k in set(pl["kind"])]
        ax.scatter(shapely.get_x(pl.geometry.values), shapely.get_y(pl.geometry.values), s=9,
                   c=[PLACE_COLOURS.get(k, "#444") for k in pl["kind"]], edgecolor="white", linewidth=0.4, zorder=5)
    near = None
    if towns and borders and labels:  # the main towns in the frame, nearest the corridors first
        near = towns_near(gdf, pl, box=(xlim[0], ylim[0], xlim[1], ylim[1]))
        lines = shapely.union_all(shapely.force_2d(gdf.geometry.values))
        near = near.iloc[np.argsort(shapely.distance(near.geometry.values, lines), kind="stable")]
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(1 / math.cos(math.radians(mid)))
    ax.grid(True, color="white", linewidth=0.6, alpha=0.8, zorder=2)
    ax.set_axisbelow(False)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}°E" if v >= 0 else f"{-v:g}°W")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}°N" if v >= 0 else f"{-v:g}°S")
    ax.tick_params(labelsize=7)
    ax.set_ylabel("")
    _scale_bar(ax, mid)
    _north_arrow(ax)
    if title is None and not isinstance(data, gpd.GeoDataFrame):
        title = default_titles(order, meta, None)[0]
    if title:
        ax.set_title(title, fontsize=11, fontweight="bold", loc="left")
    credits = ["Projection: equirectangular, true scale at " f"{abs(mid):.0f}°{'N' if mid >= 0 else 'S'}"]
    if borders:
        credits.append("Borders, rivers, lakes" + (", towns" if near is not None and len(near) else "")
                       + ": Natural Earth (public domain)")
    if meta:
        credits.append("Corridors: corridors dataset (sources per segment)")
    ax.set_xlabel(" · ".join(credits), fontsize=5.5, color="#555", loc="left")
    if inset:
        _inset(ax, gdf, xlim, ylim)
    if legend:
        handles = [Line2D([], [], color=colours[c], lw=2.2, label=(meta.get(c) or {}).get("name") or str(c))
                   for c in order]
        present = {s for s, m in zip(status, mode) if m != "sea"}
        for s in STATUS_STYLES:
            if s in present:
                st = line_style(s, None, "#333")
                handles.append(Line2D([], [], color="#333", lw=st["weight"] * 0.5, linestyle=_dashes(st),
                                      dash_capstyle=st["lineCap"], label=STATUS_WORDS[s]))
        if (mode == "sea").any():
            st = line_style(None, "sea", "")
            handles.append(Line2D([], [], color=SEA_STYLE["color"], lw=st["weight"] * 0.5, linestyle=_dashes(st),
                                  label="Ferry / sea leg"))
        if crossings:
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=4, markerfacecolor="white",
                                  markeredgecolor="black", label="Border crossing"))
        handles += [Line2D([], [], marker="o", linestyle="", markersize=3.5, markerfacecolor=PLACE_COLOURS[k],
                           markeredgecolor="white", label=KIND_WORDS.get(k, k)) for k in kinds]
        if near is not None and len(near):
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=3, markerfacecolor="white",
                                  markeredgecolor="#555", label="Main town"))
        if ax.figure.get_layout_engine() is not None:  # a figure of ours: the legend below the map
            ax.figure.legend(handles=handles, loc="outside lower center", fontsize=6.5, handlelength=3.0,
                             ncol=min(4, len(handles)), frameon=False, columnspacing=1.2)
        else:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=6.5,
                      handlelength=3.0, ncol=min(4, len(handles)), frameon=False, columnspacing=1.2)
    if labels:  # last, on the final layout
        by_country = analysis.lengths_by_country(gdf)["iso3"].dropna().unique() if borders else []
        ax.figure.canvas.draw()  # the layout and text sizes adjustText works with
        named = _label(ax, gdf, shown, pl, by_country, all_places=len(order) == 1, towns=near)
        if near is not None and len(near):
            shown_towns = near[near["name"].isin({t.get_text() for t in named})]
            ax.scatter(shapely.get_x(shown_towns.geometry.values), shapely.get_y(shown_towns.geometry.values), s=7,
                       facecolor="white", edgecolor="#555", linewidth=0.6, zorder=5, gid="towns")
    return ax


def save_figure(
    data: str | Sequence[str] | gpd.GeoDataFrame | None,
    path: str | PathLike[str],
    *,
    dpi: int = 300,
    **kwargs: Any,
) -> Path:
    """Draw :func:`plot` and save it as PNG, SVG or PDF (by the file's suffix).

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        What to draw (see :func:`plot`).
    path : str or PathLike
        Output file ending in ``.png``, ``.svg`` or ``.pdf``; missing folders are made.
        SVG and PDF keep the text as text (``svg.fonttype`` "none", ``pdf.fonttype`` 42).
    dpi : int
        Resolution of a PNG, dots per inch.
    **kwargs
        Passed to :func:`plot`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DataError
        For another file suffix.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise DataError("a figure is written as .png, .svg or .pdf", out)
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        ax = plot(data, **kwargs)
        try:
            with atomic_output(out, make_parents=True) as tmp:
                ax.figure.savefig(tmp, dpi=dpi, bbox_inches="tight", pad_inches=0.05)
        finally:
            plt.close(ax.figure)
    return out
