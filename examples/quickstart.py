"""Quick tour: load the bundled corridors, measure them, list their border crossings, map them.

Run:  python examples/quickstart.py [OUTPUT_DIR]
Writes corridors_map.html (self-contained, works offline) and lengths_by_country.csv.
"""

from __future__ import annotations

import sys
from pathlib import Path

import corridors

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

print("Bundled corridors:", ", ".join(corridors.list_corridors()))

rail = corridors.load("cku-railway")
meta = rail.attrs["corridor"]
print(f"\n{meta['name']}: {len(rail)} segments, status {meta['status']}")
print("Geodesic length (km):", round(float(corridors.length_km(rail).iloc[0]), 1))

lines = corridors.load_all()
by_country = corridors.lengths_by_country(lines)
print("\nLength by country (km):")
print(by_country.round({"length_km": 1, "share": 3}).to_string(index=False))
by_country.to_csv(out / "lengths_by_country.csv", index=False)

crossings = corridors.border_crossings(lines)
print("\nBorder crossings:")
cols = ["corridor_id", "branch", "seq", "km", "from_iso3", "to_iso3", "checkpoint"]
print(crossings[cols].round({"km": 1}).to_string(index=False))

print()
print(corridors.profile("cku-railway").to_text())

m = corridors.render_map(offline=True)
m.save(str(out / "corridors_map.html"))
print(f"\nMap written to {out / 'corridors_map.html'}")
