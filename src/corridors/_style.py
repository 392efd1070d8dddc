"""Styling shared by the interactive maps and the static figures (private): colours, line
styles, the words a reader sees for kinds and statuses, palettes and default titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
#: Colour of the lines of a many-lines map.
MANY_COLOUR = "#1f4e9a"
#: Sea colour of offline maps and figures.
SEA_COLOUR = "#d7e9f3"
#: Land fill and country outline of the base map.
LAND_COLOUR = "#f4f1ea"
OUTLINE_COLOUR = "#8a8a8a"
#: Rivers (line colour and width, px) and the outline of lakes (filled in :data:`SEA_COLOUR`).
RIVER_COLOUR = "#7fb2d6"
RIVER_WEIGHT = 1.1
LAKE_OUTLINE = "#9cc3dd"
#: Fill colours of the trade choropleth, lowest class first: four steps of cividis (readable
#: with every common colour-vision deficiency, and none of them a corridor colour).
TRADE_RAMP: tuple[str, ...] = ("#f3db42", "#b4a76f", "#7d7c78", "#4a536c")


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
        out[cid] = CORRIDOR_COLOURS[cid] if isinstance(cid, str) and cid in CORRIDOR_COLOURS else next(spare)
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


def status_words(status: Any) -> Any:
    """A status id in words (:data:`STATUS_WORDS`); other values unchanged."""
    return STATUS_WORDS.get(status, status) if isinstance(status, str) else status


def dash_svg(style: dict[str, Any]) -> str:
    """A short line drawn in a :func:`line_style` style, as inline SVG for a legend row."""
    dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
    return (f'<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}" stroke-opacity="{style["opacity"]}" '
            f'stroke-linecap="{style["lineCap"]}"{dash}/></svg>')


def default_titles(order: Sequence[Any], meta: dict[Any, dict[str, Any]], context: str | None) -> tuple[str, str]:
    """Title and subtitle of a map or figure of bundled corridors.

    Parameters
    ----------
    order : sequence
        The corridor ids shown, in display order.
    meta : dict
        Corridor id -> metadata record (its ``name`` is used for one corridor).
    context : str or None
        The context layer shown (``"trade"``) or None.

    Returns
    -------
    (str, str)
        Title and subtitle (plain text, not yet escaped).
    """
    if context == "trade":
        return ("Corridors and Central Asia's trade with China, 2024",
                "Country fill: total trade with China by China's customs figures; lines: the corridors by status")
    if len(order) == 1:
        md = meta.get(order[0]) or {}
        return (str(md.get("name") or order[0]),
                "Route by status, border crossings and key places; lengths are WGS84 geodesic")
    return ("Corridors linking China, Central Asia, the Caucasus and Turkey",
            "Routes by status, border crossings and key places; click a line for its facts and sources")
