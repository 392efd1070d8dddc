"""Build the bundled connecting-links layer, ``geodata/links/``, from its waypoint data.

Inputs (committed data, not code):

- ``scripts/data/links_waypoints.csv``: the named waypoints of every link, in order, with
  the source and positional accuracy of each coordinate. A row whose ``place_id`` is a
  bundled place (``geodata/places``) takes that place's point, so links meet the corridors
  exactly; ``node = 0`` marks a shaping point that is not a network place.
- ``scripts/data/links.json``: one record per link (name, kind, mode, gauge, status,
  dates, stated lengths, source ids) and the source records.
- optionally the railway graph of the PyPI package ``scgraph-data`` (MIT licence; the data
  are derived from OpenStreetMap, (c) OpenStreetMap contributors, ODbL 1.0): pass
  ``--scgraph path/to/scgraph_data/world_railways.py`` (from ``pip download scgraph-data``)
  and each rail section is traced along the shortest path of that graph between its
  waypoints. Without it (or where the graph has a gap) a section is the straight geodesic
  chord between its waypoints, with a wider stated accuracy.

Outputs: ``geodata/links/links.geojson`` (segments in the corridor schema plus ``kind``,
``link_id``, ``opened``, ``planned_opening``; the link records and sources as foreign
members) and ``geodata/links/places.geojson`` (the waypoints that are new places).

Run: ``python scripts/build_links.py [--scgraph FILE]``.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scripts" / "data"
OUT = ROOT / "geodata" / "links"
GEOD = Geod(ellps="WGS84")
#: A waypoint is joined to the railway graph only if a graph node lies this close (km).
SNAP_KM = 15.0
#: A traced path longer than this multiple of the chord is treated as a gap of the graph.
MAX_DETOUR = 1.8
#: Stated accuracy of a section traced along the graph (km): the graph's 0.001 degree
#: rounding and ~4 km node spacing keep it within about 2 km of the OSM track; 3 km stated.
TRACED_ACCURACY_KM = 3.0
#: Stated accuracy of a straight chord between waypoints (km), added to the waypoints' own.
CHORD_ACCURACY_KM = 25.0
#: Gaps of the railway graph up to this long (km) are bridged by a straight line when a
#: section cannot be traced otherwise; the longest bridge widens the stated accuracy.
BRIDGE_KM = 12.0


def _bundled_places() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "geodata" / "places").glob("*.geojson")):
        for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = dict(feat["properties"])
            props["lon"], props["lat"] = feat["geometry"]["coordinates"]
            out[props["place_id"]] = props
    return out


class RailGraph:
    """The scgraph-data railway graph (networkx, km weights) with an STRtree of its nodes."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        g0, n0, end = text.index("graph="), text.index("\nnodes="), text.rindex("\nworld_")
        adjacency = ast.literal_eval(text[g0 + len("graph="):n0].strip())
        nodes = np.asarray(ast.literal_eval(text[n0 + len("\nnodes="):end].strip()), dtype=float)
        self.lat, self.lon = nodes[:, 0], nodes[:, 1]
        self.graph = nx.Graph()
        self.graph.add_weighted_edges_from((i, k, v) for i, adj in enumerate(adjacency) for k, v in adj.items() if i != k)
        self.tree = shapely.STRtree(shapely.points(self.lon, self.lat))

    def snap(self, lon: float, lat: float) -> tuple[int, float]:
        """Nearest graph node and its geodesic distance (km)."""
        i = int(self.tree.nearest(shapely.Point(lon, lat)))
        return i, GEOD.inv(lon, lat, self.lon[i], self.lat[i])[2] / 1000.0

    def path(self, a: int, b: int, limit_km: float) -> tuple[list[tuple[float, float]], float] | None:
        """(lon, lat) vertices of the shortest path a -> b and its longest bridged gap (km).

        The graph is tried as it is first; failing that (no path within ``limit_km``), its
        nodes around the section are joined across gaps of up to :data:`BRIDGE_KM`. None
        when neither gives a path within ``limit_km``.
        """
        for graph in (self.graph, None):
            graph = graph if graph is not None else self._bridged(a, b)
            try:
                _, nodes = nx.single_source_dijkstra(graph, a, b, cutoff=limit_km, weight="weight")
            except nx.NetworkXNoPath:
                continue
            bridges = [graph.edges[u, v]["weight"] for u, v in zip(nodes[:-1], nodes[1:]) if graph.edges[u, v].get("bridge")]
            return [(float(self.lon[k]), float(self.lat[k])) for k in nodes], max(bridges, default=0.0)
        return None

    def _bridged(self, a: int, b: int) -> nx.Graph:
        """The graph around nodes a and b (1 degree margin) with gaps up to BRIDGE_KM joined."""
        x0, x1 = sorted((self.lon[a], self.lon[b]))
        y0, y1 = sorted((self.lat[a], self.lat[b]))
        near = np.flatnonzero((self.lon > x0 - 1) & (self.lon < x1 + 1) & (self.lat > y0 - 1) & (self.lat < y1 + 1))
        sub = nx.Graph(self.graph.subgraph(near.tolist()))
        comp = {n: i for i, c in enumerate(nx.connected_components(sub)) for n in c}
        pts = shapely.points(self.lon[near], self.lat[near])
        i, j = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=BRIDGE_KM / 111.32 / np.cos(np.radians(y1 + 1)))
        for p, q in zip(near[i], near[j]):
            if p < q and comp[p] != comp[q]:
                km = GEOD.inv(self.lon[p], self.lat[p], self.lon[q], self.lat[q])[2] / 1000.0
                if km <= BRIDGE_KM:
                    sub.add_edge(int(p), int(q), weight=km, bridge=True)
        return sub


def _section(a: dict[str, Any], b: dict[str, Any], mode: str, rail: RailGraph | None) -> tuple[list, float, str]:
    """Coordinates, accuracy (km) and method of one section between waypoints a and b."""
    ends = [(a["lon"], a["lat"]), (b["lon"], b["lat"])]
    chord_km = GEOD.inv(*ends[0], *ends[1])[2] / 1000.0
    wp_acc = max(float(a["accuracy_km"]), float(b["accuracy_km"]))
    if rail is not None and mode == "rail":
        (ia, da), (ib, db) = rail.snap(*ends[0]), rail.snap(*ends[1])
        if da <= SNAP_KM and db <= SNAP_KM:
            found = rail.path(ia, ib, MAX_DETOUR * chord_km)
            if found is not None:
                track, bridge = found
                method = "traced along the scgraph-data (OpenStreetMap) railway graph between named waypoints"
                if bridge:
                    method += f"; gaps of the graph up to {bridge:.1f} km bridged by straight lines"
                return [ends[0], *track, ends[1]], max(TRACED_ACCURACY_KM, da, db, bridge), method
    return ends, wp_acc + CHORD_ACCURACY_KM, "approximate: geodesic chord between named waypoints"


def _dedupe(coords: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in coords:
        pt = [round(lon, 5), round(lat, 5)]
        if not out or pt != out[-1]:
            out.append(pt)
    return out


def build(scgraph: Path | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the links and link-places FeatureCollections."""
    spec = json.loads((DATA / "links.json").read_text(encoding="utf-8"))
    links = {rec["link_id"]: rec for rec in spec["links"]}
    known = _bundled_places()
    rail = RailGraph(scgraph) if scgraph else None
    rows: dict[str, list[dict[str, Any]]] = {}
    new_places: dict[str, dict[str, Any]] = {}
    with (DATA / "links_waypoints.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pid = row["place_id"]
            if pid in known:
                wp = {**known[pid], "accuracy_km": known[pid]["accuracy_km"], "node": "1"}
            elif pid in new_places:
                wp = dict(new_places[pid])
            else:
                wp = {"place_id": pid, "name": row["name"], "kind": row["kind"], "iso3": row["iso3"],
                      "lon": float(row["lon"]), "lat": float(row["lat"]), "accuracy_km": float(row["accuracy_km"]),
                      "sources": row["source"], "node": row["node"]}
                if row["node"] == "1":
                    new_places[pid] = wp
            rows.setdefault(row["link_id"], []).append(wp)
    features = []
    for link_id, wps in rows.items():
        rec = links[link_id]
        nodes = [i for i, wp in enumerate(wps) if wp.get("node", "1") == "1"]
        for i0, i1 in zip(nodes[:-1], nodes[1:]):
            coords, acc, methods = [], 0.0, []
            for a, b in zip(wps[i0:i1], wps[i0 + 1:i1 + 1]):
                part, part_acc, part_method = _section(a, b, rec["mode"], rail)
                coords += part if not coords else part[1:]
                acc = max(acc, part_acc)
                methods.append(part_method)
            method = "; ".join(dict.fromkeys(methods))
            a, b = wps[i0], wps[i1]
            srcs = list(dict.fromkeys([*rec["sources"], *(w["sources"] for w in wps[i0:i1 + 1] if w["place_id"] in new_places)]))
            if "traced" in method:
                srcs.append("scgraph-data")
            props = {
                "corridor_id": "links", "segment_id": f"links/{a['place_id']}-{b['place_id']}",
                "name": f"{a['name']} – {b['name']}", "mode": rec["mode"], "status": rec["status"],
                "gauge_mm": rec["gauge_mm"], "from_place": a["name"], "to_place": b["name"], "branch": link_id,
                "accuracy_km": round(acc, 1), "method": method,
                "via": "; ".join(w["name"] for w in wps[i0:i1 + 1]), "sources": "; ".join(srcs),
                "kind": rec["kind"], "link_id": link_id, "opened": rec.get("opened"),
                "planned_opening": rec.get("planned_opening"),
            }
            features.append({"type": "Feature", "properties": props,
                             "geometry": {"type": "LineString", "coordinates": _dedupe(coords)}})
    used = {s for f in features for s in f["properties"]["sources"].split("; ")}
    used |= {d["source"] for rec in links.values() for d in [*rec["dates"], *rec["stated_lengths"]]}
    sources = [s for s in spec["sources"] if s["id"] in used]
    records = [{k: v for k, v in rec.items() if k != "trace"} for rec in spec["links"]]
    layer = {"type": "FeatureCollection", "links": records, "sources": sources,
             "licence": "Geometry traced along scgraph-data: (c) OpenStreetMap contributors, ODbL 1.0 "
                        "(https://www.openstreetmap.org/copyright); facts from the cited sources.",
             "features": features}
    place_feats = [{"type": "Feature", "properties": {
        "place_id": p["place_id"], "name": p["name"], "local_name": None, "kind": p["kind"], "iso3": p["iso3"],
        "corridor_ids": "links", "description": f"Waypoint of the {links[_first_link(rows, p['place_id'])]['name']}.",
        "accuracy_km": p["accuracy_km"], "sources": p["sources"]},
        "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]}} for p in new_places.values()]
    place_sources = [s for s in spec["sources"] if s["id"] in {p["sources"] for p in new_places.values()}]
    return layer, {"type": "FeatureCollection", "sources": place_sources, "features": place_feats}


def _first_link(rows: dict[str, list[dict[str, Any]]], pid: str) -> str:
    return next(link for link, wps in rows.items() if any(w["place_id"] == pid for w in wps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scgraph", type=Path, help="scgraph_data/world_railways.py of scgraph-data 2.0.0")
    args = parser.parse_args()
    layer, places = build(args.scgraph)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("links.geojson", layer), ("places.geojson", places)):
        (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT / name}: {len(data['features'])} features")


if __name__ == "__main__":
    main()
