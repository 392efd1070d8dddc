"""The data of each map layer, as script-safe JSON for ``_assets/map.js`` (private).

Each function returns the JSON text one ``corridorsMap.<kind>(data)`` call draws: the
corridors' segments with their popups (facts, accuracy, sources) and the corridor summary,
border crossings, places, main towns, the base map (sea, borders, world land), the trade
choropleth and the levels of detail of a map of many lines. Every value from the data is
escaped here (:mod:`corridors._html`); the page only joins it with its own markup.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _lod, analysis
from ._context import towns, trade_classes, trade_context, water, water_in, world_land
from ._html import html_rows, html_table, km_text, link, script_json, script_safe, sources_html, text
from ._mapdata import column, metadata
from ._style import (
    LAKE_OUTLINE,
    LAND_COLOUR,
    MANY_COLOUR,
    OUTLINE_COLOUR,
    PLACE_COLOURS,
    RIVER_COLOUR,
    RIVER_WEIGHT,
    SEA_COLOUR,
    TRADE_RAMP,
    line_style,
    status_words,
)
from .geodesy import drawn_lines, unwrap_longitudes

#: Borders attribution shown on every map that draws them.
BORDERS_ATTRIBUTION = ('Land and borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a> '
                       "1:10m (public domain)")


def geojson_features(geoms: np.ndarray, props: list[dict[str, Any]], decimals: int,
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



def corridor_html(cid: Any, meta: dict[str, Any], km: float, by_country: pd.DataFrame,
                   crossings: pd.DataFrame) -> str:
    """A corridor's summary popup (opened from any of its segment popups)."""
    sources: dict[Any, dict[str, Any]] = {s.get("id"): s for s in meta.get("sources", []) if isinstance(s, dict)}
    name = meta.get("name") or cid
    operators = "; ".join(text(o.get("name")) for o in meta.get("operator", []) if isinstance(o, dict))
    parts = [f'<div class="corridors-popup"><h3>{text(name)}</h3>', html_rows([
        ("Corridor id", text(cid)),
        ("Status", text(status_words(meta.get("status")))),
        ("Kind", text(meta.get("kind"))),
        ("Operator", operators),
        ("Computed length", km_text(km) + " (WGS84 geodesic)"),
    ])]
    parts.append(html_table("Length by country", ("Country", "", "km", "share"), [
        (text(r.country), text(r.iso3), f"{r.length_km:,.1f}", f"{100 * r.share:.1f}%")
        for r in by_country.itertuples()]))
    parts.append(html_table("Border crossings", ("From → to", "branch", "km", "checkpoint"), [
        (f"{text(r.from_iso3)} → {text(r.to_iso3)}", text(r.branch), f"{r.km:,.1f}", text(r.checkpoint))
        for r in crossings.itertuples()]))
    stated = [s for s in meta.get("stated_lengths", []) if isinstance(s, dict)]
    if stated:
        items = "".join(
            f"<li>{text(s.get('value'))} {text(s.get('unit'))}"
            f"{' — ' + text(s.get('note')) if s.get('note') else ''} "
            f"[{link(s.get('source'), (sources.get(s.get('source')) or {}).get('url'))}]</li>"
            for s in stated)
        parts.append(f"<h4>Stated lengths</h4><ul>{items}</ul>")
    if sources:
        parts.append("<h4>Sources</h4>" + sources_html("; ".join(map(str, sources)), sources))
    return "".join(parts) + '<button type="button" class="corridors-back-btn">Back to the segment</button></div>'


def segment_html(row: dict[str, Any], km: float, sources: dict[Any, dict[str, Any]], corridor: str) -> str:
    """A segment popup: its facts, accuracy and sources, and a button for the corridor summary.

    ``corridor`` is the corridor's name, already escaped.
    """
    gauge = row.get("gauge_mm")
    route = (f"{text(row.get('from_place'))} → {text(row.get('to_place'))}"
             if row.get("from_place") or row.get("to_place") else "")
    acc = row.get("accuracy_km")
    how = "; ".join(x for x in (f"± {text(acc)} km" if acc is not None else "", text(row.get("method"))) if x)
    kind = " · ".join(x for x in (text(status_words(row.get("status"))),
                                  text(row.get("mode")),
                                  f"{text(gauge)} mm gauge" if gauge is not None else "") if x)
    return ('<div class="corridors-popup">'
            f"<h3>{text(row.get('name') or row.get('segment_id') or row.get('corridor_id'))}</h3>"
            + html_rows([
                ("Route", route),
                ("What", kind),
                ("Length", km_text(km) + " (WGS84 geodesic)"),
                ("Branch", text(row.get("branch")) if row.get("branch") not in (None, "main") else ""),
                ("Accuracy", how),
            ])
            + (f"<details><summary>Traced through</summary>{text(row.get('via'))}</details>" if row.get("via") else "")
            + (f"<h4>Sources</h4>{sources_html(row.get('sources'), sources, brief=True)}"
               if row.get("sources") else "")
            + f'<button type="button" class="corridors-summary-btn">Corridor summary: {corridor}</button></div>')


def collection(features_json: str, **extra: Any) -> str:
    """A FeatureCollection as script-safe JSON text: ``features`` from :func:`geojson_features`,
    plus the ``extra`` members (layer options the page reads)."""
    head = script_json({"type": "FeatureCollection", **extra})
    return head[:-1] + ',"features":' + script_safe(features_json) + "}"


def corridor_layers(gdf: gpd.GeoDataFrame, order: list[Any], colours: dict[Any, str],
                     by_country: pd.DataFrame, crossings: pd.DataFrame,
                     casing: bool = False, edges: str = "geodesic") -> list[tuple[Any, str, str]]:
    """(id, layer-control label, data JSON) for each corridor, in display order; ``casing``: a
    white edge under each line, so that it stands out on a filled context layer."""
    meta = metadata(gdf)
    seg_km = analysis.length_km(gdf.assign(corridor_id=np.arange(len(gdf)))).to_numpy()
    total_km = analysis.length_km(gdf)
    cid = column(gdf, "corridor_id")
    records = {c: column(gdf, c) for c in ("segment_id", "name", "mode", "status", "gauge_mm", "from_place",
                                          "to_place", "branch", "accuracy_km", "method", "via", "sources")}
    out = []
    for c in order:
        idx = np.flatnonzero(cid == c)
        m = meta.get(c, {})
        sources: dict[Any, dict[str, Any]] = {s.get("id"): s for s in m.get("sources", []) if isinstance(s, dict)}
        props = []
        for i in idx:
            row = {k: v[i] for k, v in records.items()}
            row["corridor_id"] = c
            title = row["name"] or row["segment_id"] or c
            tip = " · ".join(text(x) for x in (title, row["status"], row["mode"]) if x)
            style = line_style(row["status"], row["mode"], colours[c])
            seg = f"corridors-s{i}"  # links the drawn line to its (transparent, wider) click target
            style["className"] = f"corridors-line {seg}" + (" corridors-sea" if row["mode"] == "sea" else "")
            props.append({"style": style, "tip": tip, "seg": seg,
                          "html": segment_html(row, float(seg_km[i]), sources, text(m.get("name") or c))})
        summary = corridor_html(c, m, float(total_km.get(c, 0.0)),
                                by_country[by_country["corridor_id"] == c],
                                crossings[crossings["corridor_id"] == c] if len(crossings) else crossings)
        data = collection(geojson_features(gdf.geometry.values[idx], props, 5, edges), corridor_html=summary,
                          casing=casing)
        label = (f'<span style="color:{colours[c]}">■</span> '
                 f"{text(m.get('name') or c)}")
        out.append((c, label, data))
    return out


def crossings_data(crossings: gpd.GeoDataFrame, meta: dict[str, dict[str, Any]], canvas: bool = False) -> str:
    """Border crossings with their popups (corridor, branch, countries, km along the line,
    checkpoint); ``canvas``: smaller markers for a map of many lines."""
    props = []
    for r in crossings.itertuples():
        name = (meta.get(r.corridor_id) or {}).get("name") or r.corridor_id
        cp = text(r.checkpoint)
        cp_km = "" if not cp or pd.isna(r.checkpoint_km) else f" ({r.checkpoint_km:.1f} km from the crossing)"
        html_ = ('<div class="corridors-popup"><h3>Border crossing</h3>' + html_rows([
            ("Corridor", text(name)),
            ("Branch", text(r.branch)),
            ("From → to", f"{text(r.from_country)} ({text(r.from_iso3)}) → "
                          f"{text(r.to_country)} ({text(r.to_iso3)})"),
            ("Along the line", f"km {r.km:,.1f} (crossing {int(r.seq)} of its branch)"),
            ("Checkpoint", (cp + cp_km) if cp else "none named within 25 km"),
        ]) + "</div>")
        props.append({"style": {"radius": 3 if canvas else 6, "color": "#000", "weight": 1.2 if canvas else 2,
                                "fillColor": "#fff", "fillOpacity": 1, "className": "corridors-crossing"},
                      "tip": f"{text(r.from_iso3)} → {text(r.to_iso3)}, km {r.km:,.1f}" + (f", {cp}" if cp else ""),
                      "html": html_})
    return collection(geojson_features(crossings.geometry.values, props, 5), canvas=canvas)


def places_data(places: gpd.GeoDataFrame) -> str:
    """The bundled places with their popups (kind, country, accuracy, description, sources)."""
    sources = places.attrs.get("sources", {})
    props = []
    for r in places.itertuples():
        html_ = ('<div class="corridors-popup">'
                 f"<h3>{text(r.name)}</h3>" + html_rows([
                     ("Local name", text(r.local_name)),
                     ("Kind", text(r.kind)),
                     ("Country", text(r.iso3)),
                     ("Corridors", text(r.corridor_ids)),
                     ("Accuracy", f"± {text(r.accuracy_km)} km"),
                 ]) + f"<p>{text(r.description)}</p><h4>Sources</h4>{sources_html(r.sources, sources)}</div>")
        props.append({"style": {"radius": 4, "color": "#fff", "weight": 1, "fillOpacity": 1,
                                "fillColor": PLACE_COLOURS.get(r.kind, "#444"), "className": "corridors-place"},
                      "tip": f"{text(r.name)} ({text(r.kind)})", "html": html_})
    return collection(geojson_features(places.geometry.values, props, 5))


def borders_data(borders: gpd.GeoDataFrame, offline: bool, box: tuple[float, float, float, float]) -> str:
    """Country outlines; offline also the sea (the box they were clipped to) under them."""
    style = {"color": OUTLINE_COLOUR, "weight": 0.8, "fillColor": LAND_COLOUR, "fillRule": "nonzero",
             "fillOpacity": 1.0 if offline else 0.0, "className": "corridors-border"}
    props: list[dict[str, Any]] = [{"style": style, "tip": text(n), "html": None} for n in borders["name"]]
    geoms = borders.geometry.values
    if offline:
        sea = {"style": {"stroke": False, "fillColor": SEA_COLOUR, "fillOpacity": 1.0,
                         "className": "corridors-sea-area"}, "tip": None, "html": None}
        props, geoms = [sea, *props], np.concatenate([[shapely.box(*box)], geoms])
    return collection(geojson_features(geoms, props, 3), base=True, attribution=BORDERS_ATTRIBUTION)


def water_data(box: tuple[float, float, float, float]) -> str:
    """The lakes (filled in the sea colour) and then the major rivers (thin blue lines) inside
    a lon/lat box, for the base map of an offline map; not interactive."""
    lakes, rivers = water_in("lakes", box), water_in("rivers", box)
    parts, index = shapely.get_parts(rivers, return_index=True)
    rivers = np.asarray(shapely.multilinestrings(parts, indices=index), dtype=object)  # one geometry type for the layer (the
    # page's first "LineString" stays the first corridor segment, as tests/test_edges.py reads it)
    lake = {"style": {"color": LAKE_OUTLINE, "weight": 0.6, "fillColor": SEA_COLOUR, "fillOpacity": 1.0,
                      "className": "corridors-lake"}, "tip": None, "html": None}
    river = {"style": {"color": RIVER_COLOUR, "weight": RIVER_WEIGHT, "opacity": 1.0, "fill": False,
                       "lineJoin": "round", "className": "corridors-river"}, "tip": None, "html": None}
    src = water("rivers").attrs["source"]
    return collection(geojson_features(np.concatenate([lakes, rivers]), [lake] * len(lakes) + [river] * len(rivers), 3),
                      attribution=f'Rivers and lakes: {link(src["publisher"], src["url"])} 1:50m ({text(src["licence"])})',
                      interactive=False)


@lru_cache(maxsize=1)
def world_land_data() -> str:
    """The world's land (:func:`corridors._context.world_land`) as the layer under an offline
    map's detailed box (the map's background is the sea colour)."""
    geoms = world_land()
    style = {"color": "#b5b0a8", "weight": 0.5, "fillColor": LAND_COLOUR, "fillOpacity": 1.0,
             "className": "corridors-world"}
    props = [{"style": style, "tip": None, "html": None}] * len(geoms)
    return collection(geojson_features(geoms, props, 2))


def many_lines_data(gdf: gpd.GeoDataFrame, max_zoom: int) -> str:
    """The lines of a large map as levels of detail for ``corridorsMap.manyLines``.

    Each feature's popup gives its name, ids, status and geodesic length (exact, from the
    whole data); the drawing is simplified per zoom band (:mod:`corridors._lod`).
    """
    geoms = shapely.force_2d(gdf.geometry.values)
    parts, index = shapely.get_parts(geoms, return_index=True)
    px = shapely.transform(parts, _lod.to_world_px)
    levels = _lod.encode_levels(px, _lod.bands_for(max_zoom))
    km = analysis.length_km(gdf.assign(corridor_id=np.arange(len(gdf)))).to_numpy()
    # popup facts, dictionary-encoded (values escaped here; the page only joins them with its markup)
    facts = []
    for label, values in (("Name", column(gdf, "name")), ("Corridor id", column(gdf, "corridor_id")),
                          ("Segment id", column(gdf, "segment_id")), ("Status", column(gdf, "status")),
                          ("Mode", column(gdf, "mode")),
                          ("Length", np.array([f"{k:,.1f} km" for k in km], dtype=object))):
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        if len(uniques):
            facts.append({"label": label, "values": [text(u) for u in uniques], "codes": codes.tolist()})
    first = np.diff(index, prepend=0)  # feature of each part, as deltas
    data = {"levels": levels, "part_feature": base64.b64encode(_lod.varint(first)).decode("ascii"),
            "colour": [0] * len(gdf), "colours": [MANY_COLOUR], "weight": 1.5, "facts": facts,
            "note": "Length: WGS84 geodesic of the whole line. Drawn within 1 screen pixel of the data."}
    return script_json(data)


def towns_data(near: gpd.GeoDataFrame) -> str:
    """Main towns as small white dots, each popup citing the towns' source."""
    src = towns().attrs["source"]
    cite = link(f"{src['publisher']} {src['title']} ({src['licence']})", src["url"])
    props = [{"style": {"radius": 2.5, "color": "#555", "weight": 1, "fillColor": "#fff", "fillOpacity": 1,
                        "className": "corridors-town"},
              "tip": text(n), "html": f'<div class="corridors-popup"><h3>{text(n)}</h3><p>Main town. {cite}</p></div>'}
             for n in near["name"]]
    return collection(geojson_features(near.geometry.values, props, 4))


def _usd(value: float) -> str:
    """An amount in USD billions or millions, one decimal."""
    return f"USD {value / 1e9:,.1f} bn" if value >= 1e9 else f"USD {value / 1e6:,.1f} mn"


def trade_data(borders: gpd.GeoDataFrame) -> tuple[str, str]:
    """(layer data JSON, legend HTML) of the trade choropleth."""
    ctx = trade_context()
    sources = {s["id"]: s for s in ctx["sources"]}
    shown = ctx["shown"]
    rows = {r["iso3"]: r for r in ctx["countries"]}
    sel = borders[borders["iso3"].isin(list(rows))]
    values = [rows[i][shown["field"]] for i in sel["iso3"]]
    classes, bins = trade_classes(values)

    def cite(sid: str) -> str:
        return sources_html(sid, sources, brief=True)

    props = []
    for iso3, name, total, k in zip(sel["iso3"], sel["name"], values, classes):
        r = rows[iso3]
        html_ = ('<div class="corridors-popup">'
                 f"<h3>{text(name)}: trade with China, {text(ctx['year'])}</h3>" + html_rows([
                     ("Total trade (shown)", f"{_usd(total)} {cite(r['gac_total_source'])}"),
                     ("Imports from China", f"{_usd(r['imports_from_china_usd'])} {cite(r['source'])}"),
                     ("Exports to China", f"{_usd(r['exports_to_china_usd'])} {cite(r['source'])}"),
                 ]) + f"<p>{text(shown['why'])}</p></div>")
        props.append({"style": {"color": "#666", "weight": 1, "fillColor": TRADE_RAMP[int(k)], "fillOpacity": 0.75,
                                "className": "corridors-context"},
                      "tip": f"{text(name)}: {_usd(total)} with China ({text(ctx['year'])})", "html": html_})
    data = collection(geojson_features(sel.geometry.values, props, 3))
    ramp = "".join(
        f'<div class="row"><span style="display:inline-block;width:14px;height:10px;background:{TRADE_RAMP[i]}">'
        f"</span>{lo / 1e9:,.1f}{'' if lo == hi else f'–{hi / 1e9:,.1f}'} bn</div>"
        for i, (lo, hi) in enumerate(zip([min(v for v, c in zip(values, classes) if c == j) for j in range(len(bins))],
                                         bins)))
    src = sources[shown["source"]]
    legend = (f"<h4>Trade with China, {text(ctx['year'])} (USD, natural breaks)</h4>{ramp}"
              f'<div class="note">Shown: China\'s customs totals, {link(src["publisher"], src.get("url"))} '
              f"({text(src.get('date'))}); why, and the other source's figures, in each country's popup.</div>")
    return data, legend
