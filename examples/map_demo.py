"""Maps: an offline HTML map of every bundled corridor with the 2024 trade context, an online
map of one corridor, a map of your own lines, and a publication figure.

Run:  python examples/map_demo.py [OUTPUT_DIR]
Writes corridors_offline.html (one self-contained file: mail it, open it without internet),
cku_online.html (loads Leaflet and OpenStreetMap tiles from the web), my_lines.html and
corridors.png / corridors.svg.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
from shapely import LineString

import corridors

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

# 1. Every bundled corridor, offline, with the choropleth of trade with China in 2024.
m = corridors.render_map(offline=True, context="trade")
print("wrote", corridors.save_map(m, out / "corridors_offline.html", offline=True))

# 2. One corridor on OpenStreetMap tiles (needs internet to view).
m = corridors.render_map("cku-railway", tiles="OpenStreetMap")
print("wrote", corridors.save_map(m, out / "cku_online.html"))

# 3. Your own lines: any GeoDataFrame with a corridor_id column (or corridors.read("file.geojson")).
mine = gpd.GeoDataFrame(
    {"corridor_id": ["my-route", "my-route"], "name": ["Almaty – Bishkek", "Bishkek – Osh"],
     "status": ["operating", "proposed"], "mode": ["road", "road"]},
    geometry=[LineString([(76.95, 43.24), (74.59, 42.87)]), LineString([(74.59, 42.87), (72.80, 40.53)])],
    crs="EPSG:4326",
)
print("wrote", corridors.save_map(corridors.render_map(mine, offline=True), out / "my_lines.html", offline=True))

# 4. A figure for a report: PNG for slides, SVG for print.
print("wrote", corridors.save_figure(None, out / "corridors.png", dpi=200))
print("wrote", corridors.save_figure(None, out / "corridors.svg"))
