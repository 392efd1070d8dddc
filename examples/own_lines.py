"""Analyse your own lines: any GeoJSON / GeoPackage / GeoParquet file or folder of them.

Run:  python examples/own_lines.py [PATH]
Without PATH a small GeoJSON (a made-up pipeline from Turkmenistan to China) is written and used.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import corridors

if len(sys.argv) > 1:
    path = Path(sys.argv[1])
else:
    path = Path(tempfile.mkdtemp()) / "my-pipeline.geojson"
    # two hand-placed points: a long straight leg is densified along the geodesic before the overlay,
    # so it is attributed to every country the geodesic really crosses
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Galkynysh - Kashgar (straight)", "status": "proposed"},
             "geometry": {"type": "LineString", "coordinates": [[62.36, 37.30], [75.99, 39.47]]}},
        ],
    }))

lines = corridors.read(path, on_error="skip")
for skip in lines.attrs["skipped"]:
    print("skipped:", skip)
print(corridors.length_km(lines).round(1).to_string())
print(corridors.lengths_by_country(lines).round({"length_km": 1, "share": 3}).to_string(index=False))
print(corridors.border_crossings(lines)[["corridor_id", "seq", "km", "from_iso3", "to_iso3"]].round(1).to_string(index=False))
