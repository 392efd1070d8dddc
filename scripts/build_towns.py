"""Build ``geodata/context/towns.geojson``: the main towns drawn and labelled on the maps.

Source: Natural Earth 1:110m *Populated Places* (capitals and other major cities; public
domain), as redistributed in the PyPI package ``geopandas`` 0.14.4 (BSD-3-Clause), file
``geopandas/datasets/naturalearth_cities/naturalearth_cities.shp`` (243 points, name only).
The builder

1. fetches the wheel with ``pip download geopandas==0.14.4 --no-deps`` (or takes a wheel
   given with ``--wheel``) and checks its SHA-256;
2. reads the shapefile from the wheel and keeps ``name`` and the point (lon/lat, rounded to
   4 decimals, about 10 m), leaving out the names whose letters the source lost (``?``);
3. writes a GeoJSON FeatureCollection with its source in the top-level ``source`` member.

Usage::

    python scripts/build_towns.py                   # fetches with pip
    python scripts/build_towns.py --wheel geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata" / "context" / "towns.geojson"
WHEEL = "geopandas-0.14.4-py3-none-any.whl"
SHA256 = "3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa"
MEMBER = "geopandas/datasets/naturalearth_cities/naturalearth_cities"


def _wheel(given: Path | None, tmp: Path) -> Path:
    if given is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "geopandas==0.14.4", "--no-deps", "-d", str(tmp)],
                       check=True)
        given = tmp / WHEEL
    digest = hashlib.sha256(given.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{given}: SHA-256 {digest}, expected {SHA256}")
    return given


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="the geopandas 0.14.4 wheel (default: fetched with pip)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    import geopandas as gpd

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        with zipfile.ZipFile(_wheel(args.wheel, tmp)) as whl:
            for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                (tmp / f"cities{ext}").write_bytes(whl.read(MEMBER + ext))
        towns = gpd.read_file(tmp / "cities.shp")
    # names whose letters the source's encoding lost ("?") are left out rather than shown broken
    features = [{"type": "Feature", "properties": {"name": str(n)},
                 "geometry": {"type": "Point", "coordinates": [round(p.x, 4), round(p.y, 4)]}}
                for n, p in zip(towns["name"], towns.geometry) if "?" not in str(n)]
    doc = {"type": "FeatureCollection",
           "source": {"publisher": "Natural Earth", "title": "1:110m Cultural Vectors, Populated Places",
                      "url": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/",
                      "licence": "public domain",
                      "package": f"PyPI geopandas 0.14.4 ({MEMBER}.shp), SHA-256 of the wheel {SHA256}"},
           "features": features}
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(features)} towns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
