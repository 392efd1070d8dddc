"""Benchmark of an offline map of many lines: file size, first paint and redraw after a zoom.

Measured on the GEM pipeline-route corpus (``../shared/data/gem-pipeline-routes.tar.gz``,
about 48k lines and 3.4M positions), or on any directory of line files given with ``--dir``.

1. **many**: ``render_map(gdf, offline=True)`` + ``save_map``: the lines are drawn on one
   canvas as levels of detail (``corridors._lod``); size of the HTML, seconds to write it.
2. In headless Chromium (``/usr/bin/chromium``, 1280x800): **first paint**, milliseconds
   from the start of navigation until the lines layer has drawn once
   and the next animation frame has run (``corridorsMap.drawn.firstFrame``, a
   ``performance.now()`` time, so the page's scripts have finished); then the **redraw** time
   (milliseconds of the layer's draw call) and the **frame** time (from ``setZoom`` to the
   next animation frame after the redraw) after zooming into a dense area, zooms 3 to 13.
3. **baseline** (``--baseline-every N``, default 20): every N-th file, mapped both ways in the
   same run: with every line an SVG path with its own popup (the way before levels of
   detail, forced by raising the thresholds) and as levels of detail: size and first-paint
   ratios. The baseline of the whole corpus is not run: it wrote 112 MB in 81 s and had not
   drawn after 300 s.

Targets (issue 14): HTML <= 25 MB, first paint <= 5 s, drawn line within ~1 px of the data at
every zoom (by construction; tested in ``tests/test_maps.py``). Writes
``benchmarks/results/map.json``.

Usage::

    python benchmarks/bench_map.py
    python benchmarks/bench_map.py --dir DIR --baseline-every 0
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

from corridors._atomic import write_text  # the project's one atomic writer (temp file + rename)

HERE = Path(__file__).resolve().parent
DEFAULT_GEM = HERE.parent.parent / "shared" / "data" / "gem-pipeline-routes.tar.gz"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--force-gpu-mem-available-mb=4096"]
#: A dense area to zoom into (the US Gulf coast), lat/lon.
DENSE = (29.9, -93.9)


def _write(gdf, path: Path, *, svg: bool = False) -> dict:
    from corridors import maps

    saved = maps.MANY_FEATURES, maps.MANY_VERTICES
    if svg:
        maps.MANY_FEATURES = maps.MANY_VERTICES = 10**12
    try:
        t0 = time.perf_counter()
        maps.save_map(maps.render_map(gdf, offline=True), path, offline=True)
        seconds = time.perf_counter() - t0
    finally:
        maps.MANY_FEATURES, maps.MANY_VERTICES = saved
    return {"seconds_to_write": round(seconds, 2), "mb": round(path.stat().st_size / 1e6, 2)}


def _browse(path: Path, *, svg: bool = False, zooms: tuple[int, ...] = (), timeout_s: float = 120) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(path.resolve().as_uri(), timeout=timeout_s * 1000)
        out: dict = {}
        if svg:
            page.wait_for_function("document.querySelectorAll('path.corridors-line').length > 0",
                                   timeout=timeout_s * 1000, polling=50)
            out["first_paint_ms"] = round(page.evaluate("performance.now()"))
        else:
            page.wait_for_function("window.corridorsMap && corridorsMap.drawn && corridorsMap.drawn.firstFrame",
                                   timeout=timeout_s * 1000, polling=50)
            out["first_paint_ms"] = round(page.evaluate("corridorsMap.drawn.firstFrame"))
            out["first_draw_call_ms"] = round(page.evaluate("corridorsMap.drawn.first"))
            out["parts_at_first_view"] = page.evaluate("corridorsMap.drawn.parts")
        out["dom_content_loaded_ms"] = round(page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
        if zooms:
            frames = []
            for z in zooms:
                ms = page.evaluate("""([lat, lon, z]) => new Promise(done => {
                    const map = window[document.querySelector('.folium-map').id];
                    const t0 = performance.now(), n = corridorsMap.drawn.count;
                    map.setView([lat, lon], z, {animate: false});
                    const wait = () => (corridorsMap.drawn.count > n)
                        ? requestAnimationFrame(() => done([performance.now() - t0,
                                                            corridorsMap.drawn.ms[corridorsMap.drawn.ms.length - 1],
                                                            corridorsMap.drawn.parts]))
                        : requestAnimationFrame(wait);
                    wait();
                })""", [DENSE[0], DENSE[1], z])
                frames.append({"zoom": z, "frame_ms": round(ms[0], 1), "redraw_ms": round(ms[1], 1),
                               "parts_drawn": ms[2]})
            out["after_zoom"] = frames
        browser.close()
    return out


def _gem(tmp: Path) -> Path:
    with tarfile.open(DEFAULT_GEM) as tar:
        tar.extractall(tmp, filter="data")
    return tmp


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, help="directory of line files (default: the GEM corpus, extracted)")
    ap.add_argument("--baseline-every", type=int, default=20, help="every N-th file for the SVG baseline; 0: none")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "map.json")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import geopandas as gpd
    import pandas as pd

    from corridors.io import read

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        root = args.dir or _gem(tmp / "gem")
        gdf = read(root, on_error="skip")
        gdf = gdf[["corridor_id", "segment_id", *[c for c in ("name", "status", "mode") if c in gdf.columns],
                   "geometry"]]
        import shapely

        result: dict = {"machine": platform.platform(), "python": sys.version.split()[0],
                        "lines": len(gdf), "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum())}
        result["many"] = _write(gdf, tmp / "many.html")
        result["many"] |= _browse(tmp / "many.html", zooms=(3, 5, 7, 9, 11, 13))
        if args.baseline_every:
            ids = pd.unique(gdf["corridor_id"])[::args.baseline_every]
            sub = gpd.GeoDataFrame(gdf[gdf["corridor_id"].isin(ids)])
            base = {"lines": len(sub), "vertices": int(shapely.get_num_coordinates(sub.geometry.values).sum())}
            base["svg"] = _write(sub, tmp / "svg.html", svg=True) | _browse(tmp / "svg.html", svg=True, timeout_s=300)
            base["many"] = _write(sub, tmp / "sub.html") | _browse(tmp / "sub.html")
            base["ratio_mb"] = round(base["svg"]["mb"] / base["many"]["mb"], 2)
            base["ratio_first_paint"] = round(base["svg"]["first_paint_ms"] / base["many"]["first_paint_ms"], 2)
            result["baseline_sample"] = base
    write_text(args.out, json.dumps(result, indent=2) + "\n", [args.dir] if args.dir else [], make_parents=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
