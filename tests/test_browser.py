"""The maps in a real browser: Debian Chromium driven headless by Playwright.

The offline map is opened with every request that is not for the file itself aborted and
recorded; the online map gets Leaflet from the local ``xstatic-leaflet`` copy instead of its
CDN (this machine has no internet) and has its tile requests aborted. Screenshots go to
``tests/output/`` for a person to look at.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from corridors import catalog
from corridors.maps import LEAFLET_CDN, render_map, save_map

CHROMIUM = Path("/usr/bin/chromium")
if os.environ.get("CORRIDORS_REQUIRE_BROWSER") and not CHROMIUM.exists():
    # CI sets this: a missing browser must fail the run, not skip the browser tests quietly
    raise RuntimeError(f"CORRIDORS_REQUIRE_BROWSER is set but {CHROMIUM} does not exist")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")

#: Viewport of every page, px.
VIEW = (1280, 800)
#: Launch flags: no sandbox (root in CI), no background connections to Google's hosts, and a
#: larger tile-memory budget: with the default one, headless software compositing leaves the
#: lower part of a full-viewport screenshot unpainted (the page itself is complete there:
#: a clipped screenshot of that part shows it).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--force-gpu-mem-available-mb=4096"]

HOSTILE_IMG = "<img src=x onerror=window.__pwned=1>"
HOSTILE_SCRIPT = "</script><script>window.__pwned=1</script>"
HOSTILE_TEMPLATE = "${window.__pwned=1}`\\'\""


def hostile_lines() -> gpd.GeoDataFrame:
    """Two user corridors in Kazakhstan whose every text field is an attack."""
    gdf = gpd.GeoDataFrame({
        "corridor_id": [HOSTILE_IMG, HOSTILE_IMG, "plain"],
        "segment_id": ["a", "b", "c"],
        "name": [HOSTILE_SCRIPT, HOSTILE_TEMPLATE, "plain line"],
        "mode": ["rail", "rail", "road"],
        "status": [HOSTILE_TEMPLATE, "operating", "operating"],
        "from_place": ["<b onmouseover=window.__pwned=1>x</b>", "y", "z"],
        "to_place": ["javascript:window.__pwned=1", "y", "z"],
        "via": ["`${window.__pwned=1}`", None, None],
        "sources": ["evil; <svg onload=window.__pwned=1>", None, None],
    }, geometry=[shapely.LineString([(68.0, 48.0), (69.0, 48.2)]), shapely.LineString([(69.0, 48.2), (70.0, 48.0)]),
                 shapely.LineString([(70.0, 49.0), (71.0, 49.5)])], crs="EPSG:4326")
    gdf.attrs["corridor"] = {
        "id": HOSTILE_IMG, "name": HOSTILE_SCRIPT, "status": "<i>x</i>",
        "operator": [{"name": HOSTILE_TEMPLATE}],
        "stated_lengths": [{"value": "<img src=y onerror=window.__pwned=1>", "unit": "km", "source": "evil"}],
        "sources": [{"id": "evil", "publisher": "<script>window.__pwned=1</script>", "title": "t",
                     "url": "javascript:window.__pwned=1"},
                    {"id": "evil2", "publisher": "p", "title": "t", "url": " JaVaScRiPt:window.__pwned=1"},
                    {"id": "ok", "publisher": "p", "title": "t", "url": "https://example.org/?a=\"><b>x"}],
    }
    return gdf


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class Page:
    """A page with console errors and outside requests recorded."""

    def __init__(self, browser, path: Path, *, leaflet_from_disk: bool = False) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page = browser.new_page(viewport={"width": VIEW[0], "height": VIEW[1]})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        leaflet_dir = Path(__import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR)

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            elif leaflet_from_disk and url.startswith(LEAFLET_CDN):
                r.fulfill(path=str(leaflet_dir / url[len(LEAFLET_CDN):]))
            else:
                self.outside.append(url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.corridorsMap && document.querySelectorAll('path').length > 0")
        self.page.wait_for_timeout(300)

    def point_on(self, path_locator) -> tuple[float, float]:
        """Page coordinates of a point of a drawn line near its middle (by length) where a click
        reaches the line's own click target (not a marker or another line drawn over it)."""
        return tuple(path_locator.evaluate(r"""p => {
            const m = p.getScreenCTM(), len = p.getTotalLength();
            const seg = Array.from(p.classList).find(c => /^corridors-s\d+$/.test(c));
            const fs = Array.from({length: 49}, (_, i) => 0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.02);
            for (const f of fs) {
                const pt = p.getPointAtLength(len * f);
                const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
                const top = document.elementFromPoint(x, y);
                if (top && top.classList.contains('corridors-hit') && top.classList.contains(seg)) { return [x, y]; }
            }
            throw new Error('no clickable point on the line');
        }"""))

    def click_path(self, path_locator) -> None:
        """Click a line where it is drawn (the middle of its bounding box may be off the line)."""
        x, y = self.point_on(path_locator)
        self.page.mouse.move(x, y)
        self.page.mouse.click(x, y)

    def count(self, css: str) -> int:
        return self.page.locator(css).count()

    def map_eval(self, js: str):
        """Evaluate ``js`` with ``map`` bound to the page's Leaflet map."""
        return self.page.evaluate(f"(() => {{ const map = window[document.querySelector('.folium-map').id]; {js} }})()")


@pytest.fixture(scope="module")
def offline_page(browser, output_dir):
    path = save_map(render_map(offline=True), output_dir / "map_offline.html", offline=True)
    page = Page(browser, path)
    yield page
    page.page.close()


@pytest.fixture(scope="module")
def hostile_page(browser, output_dir):
    path = save_map(render_map(hostile_lines(), offline=True), output_dir / "map_hostile.html", offline=True)
    page = Page(browser, path)
    yield page
    page.page.close()


def test_offline_map_draws_every_segment_without_errors_or_requests(offline_page, output_dir):
    segments = catalog.load_all()
    assert offline_page.count("path.corridors-line") == len(segments)
    assert offline_page.count("path.corridors-sea") == int((segments["mode"] == "sea").sum())
    assert offline_page.count("path.corridors-border") > 5
    assert offline_page.count("path.corridors-place") > 0
    assert offline_page.count("path.corridors-crossing") > 0
    assert offline_page.count("path.corridors-sea-area") == 1
    assert offline_page.count("path.corridors-minimap-border") == offline_page.count("path.corridors-border") + 1
    offline_page.page.screenshot(path=str(output_dir / "map_offline.png"))
    assert offline_page.errors == []
    assert offline_page.outside == []


def test_popup_opens_on_click_with_segment_and_corridor_details(offline_page, output_dir):
    segments = catalog.load_all()
    view = offline_page.map_eval("return [map.getCenter().lat, map.getCenter().lng, map.getZoom()];")
    # the first segment (in display order) that markers do not cover where it is drawn
    for i in range(len(segments)):
        try:
            offline_page.click_path(offline_page.page.locator("path.corridors-line").nth(i))
            break
        except sync_api.Error:
            continue
    first = segments.iloc[i]
    popup = offline_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert first["name"] in text and "Accuracy" in text and "Sources" in text
    # the segment popup is brief: the corridor summary is one click away, not repeated on it
    assert "Length by country" not in text and "Stated lengths" not in text
    assert popup.locator("a[href^='http']").count() > 0
    assert popup.evaluate("e => e.scrollHeight") < 400  # was about 2,000 px
    popup.locator(".corridors-summary-btn").click()
    summary = popup.inner_text()
    assert "Length by country" in summary and "Stated lengths" in summary and first["name"] not in summary
    assert all(re.match(r"https?://", h) for h in popup.locator("a").evaluate_all("as => as.map(a => a.href)"))
    offline_page.page.wait_for_timeout(500)  # the popup fades in and the map pans to it
    offline_page.page.screenshot(path=str(output_dir / "map_offline_popup.png"))
    popup.locator(".corridors-back-btn").click()
    assert first["name"] in popup.inner_text()
    offline_page.page.keyboard.press("Escape")
    offline_page.map_eval("map.closePopup();")
    popup.wait_for(state="detached")
    # the popup panned the map into view: back to the first view for the next tests
    offline_page.map_eval(f"map.setView([{view[0]}, {view[1]}], {view[2]}, {{animate: false}});")


def test_crossing_and_place_markers_open_their_popups(offline_page):
    from corridors import analysis

    page = offline_page.page
    crossings = analysis.border_crossings(catalog.load_all())
    assert offline_page.count("path.corridors-crossing") == len(crossings)
    for css, expected in (("path.corridors-crossing", "Border crossing"), ("path.corridors-place", "Sources")):
        markers = page.locator(css)
        for i in range(markers.count()):
            box = markers.nth(i).bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            on_top = markers.nth(i).evaluate(f"(m) => document.elementFromPoint({x}, {y}) === m")
            if not on_top:
                continue
            page.mouse.click(x, y)
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for()
            assert expected in popup.inner_text()
            if css == "path.corridors-crossing":
                assert re.search(r"km [\d,]+\.\d", popup.inner_text())
            offline_page.map_eval("map.closePopup();")
            popup.wait_for(state="detached")
            break
        else:
            pytest.fail(f"no {css} marker could be clicked")


def test_layer_control_toggles_one_corridor(offline_page):
    segments = catalog.load_all()
    first_id = catalog.list_corridors()[0]
    n_first = int((segments["corridor_id"] == first_id).sum())
    name = catalog.metadata(first_id)["name"]
    offline_page.page.locator(".leaflet-control-layers").hover()  # the control opens on hover
    box = offline_page.page.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input")
    box.uncheck()
    assert offline_page.count("path.corridors-line") == len(segments) - n_first
    box.check()
    assert offline_page.count("path.corridors-line") == len(segments)


def test_measure_control_gives_the_wgs84_geodesic(offline_page):
    # the JavaScript (Vincenty) against GeographicLib (pyproj.Geod) for a few pairs, to 1 mm
    geod = Geod(ellps="WGS84")
    for lat1, lon1, lat2, lon2 in [(39.46, 76.05, 40.78, 72.34), (0.0, 0.0, 0.0, 1.0), (37.0, 66.0, 41.0, 29.0),
                                   (60.0, -10.0, -35.0, 150.0)]:
        js = offline_page.page.evaluate(f"corridorsMap.geodesicMetres({lat1}, {lon1}, {lat2}, {lon2})")
        assert js == pytest.approx(geod.inv(lon1, lat1, lon2, lat2)[2], abs=1e-3)
    # and through the control: click the button, then two points on the map
    page = offline_page.page
    page.locator(".corridors-measure .corridors-btn").click()
    a, b = (300, 400), (900, 450)
    for x, y in (a, b):
        page.mouse.click(x, y)
    shown = page.locator(".corridors-measure-out").inner_text()
    to_latlng = ("const r = map.getContainer().getBoundingClientRect(); "
                 "const ll = map.containerPointToLatLng([{x} - r.left, {y} - r.top]); return [ll.lat, ll.lng];")
    (lat_a, lon_a), (lat_b, lon_b) = (offline_page.map_eval(to_latlng.format(x=x, y=y)) for x, y in (a, b))
    expected_km = geod.inv(lon_a, lat_a, lon_b, lat_b)[2] / 1000
    assert shown == f"{expected_km:.1f} km"
    # the leg is drawn along the curve, not as one straight screen segment: every drawn vertex
    # lies on the path (detour through it under 0.01 %), about one per 25 km, and an east-west
    # leg in the northern hemisphere bows north of the straight lat/lon line
    drawn = offline_page.map_eval(
        "for (const l of Object.values(map._layers)) { if (l.getLatLngs && l.options.className === "
        "'corridors-measure') { return l.getLatLngs().map(p => [p.lat, p.lng]); } } return null;")
    assert len(drawn) == max(2, -(-expected_km // 25) + 1)
    assert drawn[0] == pytest.approx([lat_a, lon_a]) and drawn[-1] == pytest.approx([lat_b, lon_b])
    for lat, lon in drawn[1:-1]:
        detour = geod.inv(lon_a, lat_a, lon, lat)[2] + geod.inv(lon, lat, lon_b, lat_b)[2]
        assert detour / 1000 == pytest.approx(expected_km, rel=1e-4)
    lat_mid, lon_mid = drawn[len(drawn) // 2]
    straight = lat_a + (lat_b - lat_a) * (lon_mid - lon_a) / (lon_b - lon_a)
    assert lat_mid > straight + 0.05
    page.locator(".corridors-measure .corridors-btn").click()
    assert offline_page.count("path.corridors-measure") == 0


def test_hostile_values_are_shown_as_text_and_never_run(hostile_page, output_dir):
    page = hostile_page.page
    html = (output_dir / "map_hostile.html").read_text(encoding="utf-8")
    assert HOSTILE_IMG not in html and HOSTILE_SCRIPT not in html
    # the layer control shows the corridor's name as text
    page.locator(".leaflet-control-layers").hover()
    labels = page.locator(".leaflet-control-layers-overlays").inner_text()
    assert HOSTILE_SCRIPT in labels
    # open every segment popup and hover every segment (tooltips)
    for i in range(hostile_page.count("path.corridors-line")):
        hostile_page.click_path(page.locator("path.corridors-line").nth(i))
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert popup.locator("img, script, svg, b, i").count() == 0
        for href in popup.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
            assert re.match(r"https?://", href), href
        if i == 0:
            text = popup.inner_text()
            assert HOSTILE_SCRIPT in text and "javascript:window.__pwned=1" in text
            assert "${window.__pwned=1}" in text
            # the corridor summary (swapped in by its button) is text too, its links http(s) only
            popup.locator(".corridors-summary-btn").click()
            assert "<i>x</i>" in popup.inner_text() and HOSTILE_SCRIPT in popup.inner_text()
            assert popup.locator("img, script, svg, b, i").count() == 0
            for href in popup.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
                assert re.match(r"https?://", href), href
            popup.locator(".corridors-back-btn").click()
            page.wait_for_timeout(500)
            page.screenshot(path=str(output_dir / "map_hostile_popup.png"))
        hostile_page.map_eval("map.closePopup();")
        popup.wait_for(state="detached")
    legend = page.locator(".corridors-legend").inner_text()
    assert HOSTILE_SCRIPT in legend
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert hostile_page.errors == []
    assert hostile_page.outside == []


def test_fullscreen_button_enters_and_leaves_full_screen(offline_page):
    page = offline_page.page
    page.locator(".corridors-fullscreen .corridors-btn").click()
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.evaluate("document.fullscreenElement.classList.contains('folium-map')")
    page.locator(".corridors-fullscreen .corridors-btn").click()
    page.wait_for_function("document.fullscreenElement === null")


def test_online_map_with_leaflet_served_locally(browser, output_dir):
    path = save_map(render_map(["cku-railway"], context="trade"), output_dir / "map_online.html")
    page = Page(browser, path, leaflet_from_disk=True)
    try:
        segments = catalog.load("cku-railway")
        assert page.count("path.corridors-line") == len(segments)
        assert page.count("path.corridors-context") == 5
        # the only outside requests are the tiles (aborted here); Leaflet came from disk
        assert page.outside and all(re.search(r"tile\.openstreetmap\.org/\d+/\d+/\d+\.png", u) for u in page.outside)
        assert [e for e in page.errors if "ERR_FAILED" not in e and "Failed to load resource" not in e] == []
        kaz = page.page.locator("path.corridors-context").first
        assert math.isfinite(float(kaz.evaluate("p => p.getTotalLength()")))
        page.page.screenshot(path=str(output_dir / "map_online.png"))
    finally:
        page.page.close()


def _boxes(page, css: str) -> list[dict]:
    """Screen boxes (x, y, width, height) of the visible elements matching ``css``."""
    return page.locator(css).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null || getComputedStyle(e).display !== 'none')"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width > 0)"
        ".map(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))")


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def _label_texts(page) -> list[str]:
    return page.locator(".corridors-label").evaluate_all(
        "els => els.filter(e => e.style.display !== 'none').map(e => e.textContent)")


@pytest.mark.parametrize("zoom_in", [0, 1.5, 3])
def test_labels_exist_and_never_overlap(offline_page, zoom_in):
    page = offline_page.page
    view = offline_page.map_eval("return [map.getCenter().lat, map.getCenter().lng, map.getZoom()];")
    if zoom_in:  # into the densest part: the Fergana valley and the passes to Kashgar
        offline_page.map_eval(f"map.setView([40.3, 72.8], map.getZoom() + {zoom_in}, {{animate: false}});")
        page.wait_for_timeout(300)
    try:
        boxes = _boxes(page, ".corridors-label")
        texts = _label_texts(page)
        assert len(boxes) == len(texts) >= 8
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _overlap(a, b), (a, b)
        # no label hides under the legend, the title or another control
        for ctl in _boxes(page, ".leaflet-control, .corridors-title"):
            for a in boxes:
                assert not _overlap(a, ctl), (a, ctl)
        if not zoom_in:
            # countries crossed and the key places of the first view (ends of corridors, breaks of gauge)
            assert {"Kazakhstan", "Georgia", "Turkey", "Kyrgyzstan"} <= set(texts)
            assert {"Kashgar", "Kapıkule border station", "Aktau port"} <= set(texts)
    finally:
        offline_page.map_eval(f"map.setView([{view[0]}, {view[1]}], {view[2]}, {{animate: false}});")
        page.wait_for_timeout(300)


def test_title_legend_and_credits_at_the_first_view(offline_page):
    page = offline_page.page
    assert page.locator(".corridors-title h2").inner_text() == "Corridors linking China, Central Asia, the Caucasus and Turkey"
    legend = page.locator(".corridors-legend")
    text = legend.inner_text()
    for words in ("Border checkpoint", "Break of gauge", "Ferry / sea leg", "Under construction", "Border crossing"):
        assert words in text
    assert "break-of-gauge" not in text and "sea leg (ferry)" not in text
    # the legend covers no drawn corridor (element boxes of every drawn line at the first view)
    lbox = legend.bounding_box()
    lines = _boxes(page, "path.corridors-line")
    assert len(lines) == len(catalog.load_all())
    for b in lines:
        assert not _overlap(lbox, b), b
    # nor do the title and the mini-map
    for css in (".corridors-title", ".corridors-minimap"):
        box = page.locator(css).bounding_box()
        assert all(not _overlap(box, b) for b in lines), css
    # the first view holds every line
    assert all(b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= VIEW[0] and b["y"] + b["height"] <= VIEW[1]
               for b in lines)
    # collapsible: a click on its summary folds it to one line
    page.locator(".corridors-legend summary").click()
    assert legend.bounding_box()["height"] < 30
    page.locator(".corridors-legend summary").click()
    assert legend.bounding_box()["height"] > 100
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in credits and "corridors dataset" in credits


def many_lines(n: int = 2600, vertices: int = 70) -> gpd.GeoDataFrame:
    """``n`` random-walk lines between 30 and 40 N, and one straight line at 47 N with a hostile name."""
    import numpy as np

    rng = np.random.default_rng(7)
    start = np.column_stack([rng.uniform(50, 90, n), rng.uniform(31, 39, n)])
    walks = start[:, None, :] + np.cumsum(rng.normal(0, 0.02, (n, vertices, 2)), axis=1)
    geoms = list(shapely.linestrings(walks)) + [shapely.LineString([(60.0, 47.0), (80.0, 47.0)])]
    return gpd.GeoDataFrame({"corridor_id": [f"c{i // 10}" for i in range(n)] + [HOSTILE_IMG],
                             "name": [f"line {i}" for i in range(n)] + [HOSTILE_SCRIPT]},
                            geometry=geoms, crs="EPSG:4326")


def test_many_lines_draw_on_a_canvas_and_open_escaped_popups(browser, output_dir):
    import numpy as np

    from corridors import maps

    gdf = many_lines()
    assert shapely.get_num_coordinates(gdf.geometry.values).sum() > maps.MANY_VERTICES
    path = save_map(render_map(gdf, offline=True), output_dir / "map_many.html", offline=True)
    page = Page(browser, path)
    try:
        page.page.wait_for_function("corridorsMap.drawn && corridorsMap.drawn.count > 0")
        assert page.count("path.corridors-line") == 0  # no SVG path per line
        assert page.page.evaluate("corridorsMap.drawn.parts") == len(gdf)
        # the canvas really holds the line colour
        rgb = [int(maps.MANY_COLOUR[i:i + 2], 16) for i in (1, 3, 5)]
        pixels = page.page.evaluate("""() => {
            const c = document.querySelector('canvas.corridors-many');
            return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
        }""")
        px = np.array(pixels, dtype=int).reshape(-1, 4)
        assert ((np.abs(px[:, :3] - rgb).sum(axis=1) < 60) & (px[:, 3] > 200)).sum() > 5000
        page.page.screenshot(path=str(output_dir / "map_many.png"))
        # zoom in: the deeper level is decoded and drawn
        page.map_eval("map.setView([35, 70], 9, {animate: false});")
        page.page.wait_for_function("corridorsMap.drawn.count > 1")
        assert 0 < page.page.evaluate("corridorsMap.drawn.parts") < len(gdf)
        # a click on the hostile line opens its popup, as text
        page.map_eval("map.setView([47, 70], 6, {animate: false});")
        x, y = page.map_eval("const p = map.latLngToContainerPoint([47, 70]); "
                             "const r = map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top];")
        page.page.mouse.click(x, y + 2)
        popup = page.page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert HOSTILE_SCRIPT in popup.inner_text() and HOSTILE_IMG in popup.inner_text()
        assert popup.locator("img, script").count() == 0
        assert page.page.evaluate("typeof window.__pwned") == "undefined"
        assert page.errors == [] and page.outside == []
    finally:
        page.page.close()


@pytest.mark.slow
def test_gem_corpus_map_opens_and_draws(browser, gem_dir, output_dir):
    """The whole GEM corpus (48k lines, 3.4M vertices) as one offline map: within the 25 MB budget,
    drawn in Chromium, the tables it was made from untouched (timings: benchmarks/bench_map.py)."""
    import warnings

    import numpy as np

    from corridors import maps, read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = read(gem_dir, on_error="skip")
    coords_before = shapely.get_coordinates(gdf.geometry.values).copy()
    path = save_map(render_map(gdf, offline=True), output_dir / "map_gem.html", offline=True)
    assert path.stat().st_size <= 25_000_000
    np.testing.assert_array_equal(shapely.get_coordinates(gdf.geometry.values), coords_before)  # drawing only
    page = Page(browser, path)
    try:
        page.page.wait_for_function("corridorsMap.drawn && corridorsMap.drawn.count > 0", timeout=60_000)
        n_parts = int(shapely.get_num_geometries(gdf.geometry.values).sum())
        assert page.page.evaluate("corridorsMap.drawn.parts") == n_parts  # the world view holds every line
        page.map_eval("map.setView([29.9, -93.9], 11, {animate: false});")
        page.page.wait_for_function("corridorsMap.drawn.count > 1")
        assert page.page.evaluate("corridorsMap.drawn.parts") > 0
        rgb = [int(maps.MANY_COLOUR[i:i + 2], 16) for i in (1, 3, 5)]
        px = np.array(page.page.evaluate("""() => {
            const c = document.querySelector('canvas.corridors-many');
            return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
        }"""), dtype=int).reshape(-1, 4)
        assert ((np.abs(px[:, :3] - rgb).sum(axis=1) < 60) & (px[:, 3] > 200)).sum() > 1000
        page.page.screenshot(path=str(output_dir / "map_gem.png"))
        assert page.errors == [] and page.outside == []
    finally:
        page.page.close()


@pytest.mark.parametrize("kwargs", [{"data": "cku-railway"}, {"context": "trade"}],
                         ids=["one-corridor", "trade"])
def test_legend_and_labels_keep_clear_on_other_maps(browser, output_dir, kwargs):
    name = "_".join(str(v) for v in kwargs.values())
    kw = dict(kwargs)
    path = save_map(render_map(kw.pop("data", None), offline=True, **kw), output_dir / f"map_{name}.html", offline=True)
    page = Page(browser, path)
    try:
        assert page.page.locator(".corridors-title h2").inner_text()
        lines = _boxes(page.page, "path.corridors-line")
        assert lines
        covers = _boxes(page.page, ".corridors-legend, .corridors-title, .corridors-minimap")
        assert all(not _overlap(c, b) for c in covers for b in lines)
        labels = _boxes(page.page, ".corridors-label")
        assert len(labels) >= 5
        assert all(not _overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1:])
        assert page.errors == [] and page.outside == []
    finally:
        page.page.close()


#: Points on major lakes and rivers (Wikipedia's coordinates): a lake holds its point; a river
#: passes by its town (Termez lies on the Amu Darya, Kyzylorda on the Syr Darya).
LAKE_POINTS = {"Issyk-Kul": (42.42, 77.25), "Lake Van": (38.63, 42.82)}
RIVER_TOWNS = {"Amu Darya at Termez": (37.22, 67.28), "Syr Darya at Kyzylorda": (44.85, 65.52)}


def test_offline_basemap_draws_rivers_and_lakes_under_the_corridors(offline_page):
    from corridors._style import RIVER_COLOUR, SEA_COLOUR

    page = offline_page.page
    assert offline_page.count("path.corridors-lake") > 10 and offline_page.count("path.corridors-river") > 20
    # drawn in the base map's colours, not clickable, and under (before) every corridor line
    style = page.locator("path.corridors-river").first.evaluate(
        "p => [p.getAttribute('stroke'), p.getAttribute('fill'), getComputedStyle(p).pointerEvents]")
    assert style == [RIVER_COLOUR, "none", "none"]
    assert page.locator("path.corridors-lake").first.get_attribute("fill") == SEA_COLOUR
    order = page.evaluate("""() => {
        const all = Array.from(document.querySelectorAll('.leaflet-overlay-pane path'));
        const last = c => Math.max(...all.map((p, i) => p.classList.contains(c) ? i : -1));
        const first = c => all.findIndex(p => p.classList.contains(c));
        return [last('corridors-river'), last('corridors-lake'), first('corridors-line')];
    }""")
    assert order[0] < order[2] and order[1] < order[2]
    for name, (lat, lon) in LAKE_POINTS.items():
        inside = offline_page.map_eval(f"""const lp = map.latLngToLayerPoint([{lat}, {lon}]);
            return Array.from(document.querySelectorAll('path.corridors-lake'))
                .some(p => p.isPointInFill(new DOMPoint(lp.x, lp.y)));""")
        assert inside, name
    for name, (lat, lon) in RIVER_TOWNS.items():
        # screen px from the town to the nearest drawn river (zoom about 4: some 8 km a px)
        px = offline_page.map_eval(f"""const lp = map.latLngToLayerPoint([{lat}, {lon}]);
            let best = Infinity;
            document.querySelectorAll('path.corridors-river').forEach(p => {{
                const n = p.getTotalLength();
                for (let s = 0; s <= n; s += 0.5) {{
                    const q = p.getPointAtLength(s);
                    best = Math.min(best, Math.hypot(q.x - lp.x, q.y - lp.y));
                }}
            }});
            return best;""")
        assert px < 3, (name, px)
    # a point in the open steppe is on no lake
    assert not offline_page.map_eval("""const lp = map.latLngToLayerPoint([48.0, 68.0]);
        return Array.from(document.querySelectorAll('path.corridors-lake'))
            .some(p => p.isPointInFill(new DOMPoint(lp.x, lp.y)));""")
