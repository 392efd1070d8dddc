"""Static publication figures (matplotlib): borders, corridors by status, crossings, legend,
scale bar, north arrow and graticule.

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

from . import analysis
from ._atomic import atomic_output
from .errors import DataError
from .geodesy import GEOD
from .maps import (
    PLACE_COLOURS,
    SEA_COLOUR,
    SEA_STYLE,
    STATUS_STYLES,
    _box,
    _display_borders,
    _metadata,
    _order,
    _select,
    corridor_colours,
    line_style,
    places_of,
)

#: Figure colours: land and country outlines (the sea is :data:`corridors.maps.SEA_COLOUR`).
LAND = "#f4f1ea"
OUTLINE = "#8a8a8a"
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


def plot(
    data: str | Sequence[str] | gpd.GeoDataFrame | None = None,
    ax: Any = None,
    *,
    borders: bool = True,
    crossings: bool = True,
    places: bool = True,
    legend: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] = (11.0, 6.5),
) -> Any:
    """A static map of corridors for a report.

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        As for :func:`corridors.render_map`: a bundled id, ids, a user's lines, or None (all).
    ax : matplotlib Axes, optional
        Where to draw; a new figure of ``figsize`` inches by default.
    borders, crossings, places, legend : bool
        Draw country borders (Natural Earth), border crossings, the bundled places of the
        drawn corridors, and the legend.
    title : str, optional
        Axes title.
    figsize : (float, float)
        Size of a new figure, inches.

    Returns
    -------
    matplotlib.axes.Axes
        Longitude/latitude axes with an equirectangular aspect (1/cos of the mid latitude),
        degree graticule, geodesic scale bar and north arrow.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    gdf = _select(data)
    meta = _metadata(gdf)
    order = _order(gdf["corridor_id"].to_numpy())
    colours = corridor_colours(order)
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize)
    x0, y0, x1, y1 = gdf.total_bounds
    padx, pady = max(1.0, 0.06 * (x1 - x0)), max(1.0, 0.08 * (y1 - y0))
    xlim, ylim = (x0 - padx, x1 + padx), (y0 - pady, y1 + pady)
    ax.set_facecolor(SEA_COLOUR)
    if borders:
        shown = _display_borders(_box(gdf))
        shown.plot(ax=ax, color=LAND, edgecolor=OUTLINE, linewidth=0.5, zorder=1)
    mode = gdf["mode"].to_numpy() if "mode" in gdf.columns else np.full(len(gdf), None)
    status = gdf["status"].to_numpy() if "status" in gdf.columns else np.full(len(gdf), None)
    cid = gdf["corridor_id"].to_numpy()
    for c in order:
        for i in np.flatnonzero(cid == c):
            st = line_style(status[i], mode[i], colours[c])
            for part in shapely.get_parts(shapely.force_2d(gdf.geometry.values[i:i + 1])):
                xy = shapely.get_coordinates(part)
                ax.plot(xy[:, 0], xy[:, 1], color=st["color"], lw=st["weight"] * 0.55, alpha=st["opacity"],
                        linestyle=_dashes(st), solid_capstyle="round", dash_capstyle=st["lineCap"], zorder=4)
    if crossings:
        cross = analysis.border_crossings(gdf)
        if len(cross):
            ax.scatter(shapely.get_x(cross.geometry.values), shapely.get_y(cross.geometry.values), s=28,
                       facecolor="white", edgecolor="black", linewidth=1.2, zorder=6)
    kinds: list[str] = []
    if places:
        pl = places_of(order)
        kinds = [k for k in PLACE_COLOURS if k in set(pl["kind"])]
        ax.scatter(shapely.get_x(pl.geometry.values), shapely.get_y(pl.geometry.values), s=9,
                   c=[PLACE_COLOURS.get(k, "#444") for k in pl["kind"]], edgecolor="white", linewidth=0.4, zorder=5)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    mid = (ylim[0] + ylim[1]) / 2
    ax.set_aspect(1 / math.cos(math.radians(mid)))
    ax.grid(True, color="white", linewidth=0.6, alpha=0.8, zorder=2)
    ax.set_axisbelow(False)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}°E" if v >= 0 else f"{-v:g}°W")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}°N" if v >= 0 else f"{-v:g}°S")
    ax.tick_params(labelsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _scale_bar(ax, mid)
    _north_arrow(ax)
    if title:
        ax.set_title(title)
    if borders:
        ax.text(0.995, 0.005, "Borders: Natural Earth (public domain)", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=6, color="#555", zorder=12)
    if legend:
        handles = [Line2D([], [], color=colours[c], lw=2.5, label=(meta.get(c) or {}).get("name") or str(c))
                   for c in order]
        present = {s for s, m in zip(status, mode) if m != "sea"}
        for s in STATUS_STYLES:
            if s in present:
                st = line_style(s, None, "#333")
                handles.append(Line2D([], [], color="#333", lw=st["weight"] * 0.55, linestyle=_dashes(st),
                                      dash_capstyle=st["lineCap"], label=s))
        if (mode == "sea").any():
            st = line_style(None, "sea", "")
            handles.append(Line2D([], [], color=SEA_STYLE["color"], lw=st["weight"] * 0.55, linestyle=_dashes(st),
                                  label="sea leg (ferry)"))
        if crossings:
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="black",
                                  label="border crossing"))
        handles += [Line2D([], [], marker="o", linestyle="", markersize=4, markerfacecolor=PLACE_COLOURS[k],
                           markeredgecolor="white", label=k) for k in kinds]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=7,
                  handlelength=3.5, frameon=False)
    return ax


def save_figure(
    data: str | Sequence[str] | gpd.GeoDataFrame | None,
    path: str | PathLike[str],
    *,
    dpi: int = 200,
    **kwargs: Any,
) -> Path:
    """Draw :func:`plot` and save it as PNG, SVG or PDF (by the file's suffix).

    Parameters
    ----------
    data : str, list of str, GeoDataFrame or None
        What to draw (see :func:`plot`).
    path : str or PathLike
        Output file ending in ``.png``, ``.svg`` or ``.pdf``; missing folders are made.
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
    ax = plot(data, **kwargs)
    try:
        with atomic_output(out, make_parents=True) as tmp:
            ax.figure.savefig(tmp, dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(ax.figure)
    return out
