"""Build the bundled corridor and link layers from their waypoint data.

No coordinates live in this code: every waypoint, with its name, and every segment, with
its accuracy, method and sources, is a row of the committed data files below.

``corridors``: for each ``scripts/data/corridors/<id>.json`` (the corridor record and its
segments, in order), ``<id>_waypoints.csv`` (every waypoint of every segment in route
order: ``segment_id, seq, name, lon, lat``) and ``<id>_places.csv`` (the places layer),
writes ``geodata/corridors/<id>.geojson`` and ``geodata/places/<id>.geojson``. A segment's
vertices are its waypoints, rounded to 5 decimals; where the segment gives ``fill_km``,
filler vertices are added on the geodesic between waypoints further apart than that.

``links``: from ``scripts/data/links_waypoints.csv`` (the named waypoints of every link, in
order, with the source and positional accuracy of each coordinate; a row whose
``place_id`` is a bundled place takes that place's point, so links meet the corridors
exactly; ``node = 0`` marks a shaping point that is not a network place) and
``scripts/data/links.json`` (one record per link and the source records), writes
``geodata/links/links.geojson`` (segments in the corridor schema plus ``kind``,
``link_id``, ``opened``, ``planned_opening``; the link records and sources as foreign
members) and ``geodata/links/places.geojson`` (the waypoints that are new places).
Rail sections are traced along the railway graph of the PyPI package ``scgraph-data``
(MIT licence; the data are derived from OpenStreetMap, (c) OpenStreetMap contributors,
ODbL 1.0): pass ``--scgraph path/to/scgraph_data/world_railways.py`` (from
``pip download scgraph-data==2.0.0``). Without it (or where the graph has a gap) a
section is the straight geodesic chord between its waypoints, with a wider stated
accuracy, so the bundled links layer is rebuilt only with ``--scgraph``.

Every layer is checked against the data model (``corridors.schema``) before it is
written, and written atomically. Run from anywhere::

    python scripts/build_layers.py corridors [--out DIR]
    python scripts/build_layers.py links --scgraph FILE [--out DIR]

``--out`` (default ``geodata/``) takes the place of the ``geodata`` folder;
``--data`` (default ``scripts/data/``) the place of the data folder.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from pyproj import Geod

from corridors._atomic import write_text
from corridors.errors import DataError
from corridors.schema import validate_metadata, validate_places, validate_segments

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scripts" / "data"
GEODATA = ROOT / "geodata"
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
#: Segment properties copied from the data, in the order written (the schema's columns; method, via and
#: sources follow).
SEGMENT_KEYS = ("segment_id", "name", "mode", "status", "gauge_mm", "from_place", "to_place", "branch",
                "accuracy_km")

#: A waypoint: (name, lon, lat), degrees WGS84.
Point = tuple[str, float, float]


# ---------------------------------------------------------------------------------------------
# Shared by corridors and links
# ---------------------------------------------------------------------------------------------

def write_layer(path: Path, data: Mapping[str, Any]) -> None:
    """Write one GeoJSON FeatureCollection atomically, in the bundled files' layout (indent 1, UTF-8)."""
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", make_parents=True)
    print(f"wrote {path}: {len(data['features'])} features")


def place_feature(place: Mapping[str, Any], corridor_ids: str, description: str) -> dict[str, Any]:
    """A places-layer feature from a record with the place columns and ``lon``/``lat`` (degrees)."""
    props = {"place_id": place["place_id"], "name": place["name"], "local_name": place.get("local_name"),
             "kind": place["kind"], "iso3": place["iso3"], "corridor_ids": corridor_ids,
             "description": description, "accuracy_km": place["accuracy_km"], "sources": place["sources"]}
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]}}


def validate_layer(layer: Mapping[str, Any], sources: list[Mapping[str, Any]], path: Path, places: bool) -> None:
    """Check a segment or places FeatureCollection against ``corridors.schema`` (raises DataError)."""
    gdf = gpd.GeoDataFrame.from_features(layer["features"], crs="EPSG:4326")
    (validate_places if places else validate_segments)(gdf, sources, str(path))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------------------------
# Corridors
# ---------------------------------------------------------------------------------------------

def read_waypoints(path: Path) -> dict[str, list[Point]]:
    """Waypoints of each segment, in order, from a ``<id>_waypoints.csv`` file.

    Raises
    ------
    DataError
        When a segment's ``seq`` values are not 1, 2, 3, ... in file order.
    """
    out: dict[str, list[Point]] = {}
    for row in _read_csv(path):
        points = out.setdefault(row["segment_id"], [])
        if int(row["seq"]) != len(points) + 1:
            raise DataError(f"waypoint seq {row['seq']} out of order (expected {len(points) + 1})", path,
                            feature=row["segment_id"])
        points.append((row["name"], round(float(row["lon"]), 5), round(float(row["lat"]), 5)))
    return out


def fill(points: list[Point], max_km: float) -> list[Point]:
    """Insert vertices on the geodesic between waypoints more than ``max_km`` (km) apart.

    Filler vertices carry the name of the waypoint before them, so that the segment's ``via``
    lists only real waypoints; they add no positional information.
    """
    out = [points[0]]
    for (name, lon0, lat0), nxt in zip(points, points[1:]):
        n = int(GEOD.inv(lon0, lat0, nxt[1], nxt[2])[2] / 1000.0 // max_km)
        out += [(name, round(lon, 5), round(lat, 5)) for lon, lat in (GEOD.npts(lon0, lat0, nxt[1], nxt[2], n) if n else [])]
        out.append(nxt)
    return out


def fill_note(max_km: float) -> str:
    """What :func:`fill` did, appended to the method of a filled segment."""
    return (f"; where waypoints are more than {max_km:.0f} km apart the line is taken as straight "
            f"(geodesic) between them, with filler vertices at most {max_km:.0f} km apart")


def check_branches(segments: list[tuple[str, str, list[Point]]], path: Path) -> None:
    """Segments of one branch chain end-to-start; every other branch starts or ends on another line.

    ``segments`` holds (segment_id, branch, vertices) in file order.
    """
    last: dict[str, tuple[float, float]] = {}
    first: dict[str, tuple[float, float]] = {}
    for seg_id, branch, points in segments:
        start = points[0][1:]
        if branch in last and last[branch] != start:
            raise DataError(f"does not chain to the previous {branch!r} segment", path, feature=seg_id)
        first.setdefault(branch, start)
        last[branch] = points[-1][1:]
    for branch in first:
        others = {p[1:] for _, b, points in segments if b != branch for p in points}
        if branch != "main" and first[branch] not in others and last[branch] not in others:
            raise DataError(f"branch {branch!r} touches no other line", path)


def build_corridor(spec_path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, float]]:
    """The segment and places FeatureCollections of one corridor, and its km per branch.

    Parameters
    ----------
    spec_path : Path
        ``scripts/data/corridors/<id>.json``; its waypoints and places files lie beside it.

    Returns
    -------
    (dict, dict, dict)
        The segment layer, the places layer and the WGS84 geodesic length (km) of each branch.
    """
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    meta = spec["corridor"]
    cid = meta["id"]
    validate_metadata(meta, str(spec_path))
    waypoints = read_waypoints(spec_path.with_name(f"{cid}_waypoints.csv"))
    unknown = set(waypoints) - {s["segment_id"] for s in spec["segments"]}
    if unknown:
        raise DataError(f"waypoints of unknown segment(s) {', '.join(sorted(unknown))}", spec_path)
    features: list[dict[str, Any]] = []
    lines: list[tuple[str, str, list[Point]]] = []
    km: dict[str, float] = {}
    for seg in spec["segments"]:
        sid = seg["segment_id"]
        points, method = waypoints.get(sid, []), seg["method"]
        if len(points) < 2:
            raise DataError("a segment needs at least two waypoints", spec_path, feature=sid)
        if seg.get("fill_km"):
            points, method = fill(points, seg["fill_km"]), method + fill_note(seg["fill_km"])
        props = {"corridor_id": cid, **{k: seg[k] for k in SEGMENT_KEYS}, "method": method,
                 "via": "; ".join(dict.fromkeys(name for name, _, _ in points)), "sources": seg["sources"]}
        features.append({"type": "Feature", "properties": props, "geometry": {
            "type": "LineString", "coordinates": [[lon, lat] for _, lon, lat in points]}})
        lines.append((sid, seg["branch"], points))
        km[seg["branch"]] = km.get(seg["branch"], 0.0) + GEOD.line_length(
            [p[1] for p in points], [p[2] for p in points]) / 1000.0
    check_branches(lines, spec_path)
    places: list[dict[str, Any]] = [
        {**row, "local_name": row["local_name"] or None, "lon": round(float(row["lon"]), 5),
         "lat": round(float(row["lat"]), 5), "accuracy_km": float(row["accuracy_km"])}
        for row in _read_csv(spec_path.with_name(f"{cid}_places.csv"))]
    used = {ref.strip() for p in places for ref in p["sources"].split(";")}
    missing = used - {s["id"] for s in meta["sources"]}
    if missing:
        raise DataError(f"places cite source(s) not in the corridor's sources: {', '.join(sorted(missing))}",
                        spec_path.with_name(f"{cid}_places.csv"))
    place_layer = {"type": "FeatureCollection", "sources": [s for s in meta["sources"] if s["id"] in used],
                   "features": [place_feature(p, cid, p["description"]) for p in places]}
    return {"type": "FeatureCollection", "corridor": meta, "features": features}, place_layer, km


def build_corridors(data: Path, out: Path) -> None:
    """Build, check and write the layers of every corridor under ``data/corridors``."""
    for spec_path in sorted((data / "corridors").glob("*.json")):
        layer, places, km = build_corridor(spec_path)
        meta = layer["corridor"]
        cid = meta["id"]
        validate_layer(layer, meta["sources"], out / "corridors" / f"{cid}.geojson", places=False)
        validate_layer(places, places["sources"], out / "places" / f"{cid}.geojson", places=True)
        write_layer(out / "corridors" / f"{cid}.geojson", layer)
        write_layer(out / "places" / f"{cid}.geojson", places)
        stated = meta["stated_lengths"][0]
        print(f"  {cid}: " + ", ".join(f"{b} {v:.1f} km" for b, v in km.items())
              + f" geodesic (WGS84); first stated length {stated['value']} km ({stated['note']})")


# ---------------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------------

def _bundled_places(folder: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.geojson")):
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


def build_links(data: Path, places_dir: Path, scgraph: Path | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The links and link-places FeatureCollections.

    Parameters
    ----------
    data : Path
        The folder of ``links.json`` and ``links_waypoints.csv``.
    places_dir : Path
        The bundled places layers whose points the links start and end on.
    scgraph : Path, optional
        ``scgraph_data/world_railways.py``; without it rail sections are chords.
    """
    spec = json.loads((data / "links.json").read_text(encoding="utf-8"))
    links = {rec["link_id"]: rec for rec in spec["links"]}
    known = _bundled_places(places_dir)
    rail = RailGraph(scgraph) if scgraph else None
    rows: dict[str, list[dict[str, Any]]] = {}
    new_places: dict[str, dict[str, Any]] = {}
    for row in _read_csv(data / "links_waypoints.csv"):
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
    features: list[dict[str, Any]] = []
    for link_id, wps in rows.items():
        rec = links[link_id]
        nodes = [i for i, wp in enumerate(wps) if wp.get("node", "1") == "1"]
        for i0, i1 in zip(nodes[:-1], nodes[1:]):
            coords: list[tuple[float, float]] = []
            acc, methods = 0.0, []
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
    layer: dict[str, Any] = {"type": "FeatureCollection", "links": records, "sources": sources,
             "licence": "Geometry traced along scgraph-data: (c) OpenStreetMap contributors, ODbL 1.0 "
                        "(https://www.openstreetmap.org/copyright); facts from the cited sources.",
             "features": features}
    place_feats = [place_feature(p, "links", f"Waypoint of the {links[_first_link(rows, p['place_id'])]['name']}.")
                   for p in new_places.values()]
    place_sources = [s for s in spec["sources"] if s["id"] in {p["sources"] for p in new_places.values()}]
    return layer, {"type": "FeatureCollection", "sources": place_sources, "features": place_feats}


def _first_link(rows: dict[str, list[dict[str, Any]]], pid: str) -> str:
    return next(link for link, wps in rows.items() if any(w["place_id"] == pid for w in wps))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("layers", choices=("corridors", "links"), help="which layers to build")
    parser.add_argument("--out", type=Path, default=GEODATA, help="folder in place of geodata/ (default: geodata/)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the data files (default: scripts/data/)")
    parser.add_argument("--scgraph", type=Path, help="links: scgraph_data/world_railways.py of scgraph-data 2.0.0")
    args = parser.parse_args(argv)
    try:
        if args.layers == "corridors":
            build_corridors(args.data, args.out)
            return
        if args.scgraph is None:
            print("warning: no --scgraph: rail sections are drawn as chords, not as the bundled layer", file=sys.stderr)
        places_dir = args.out / "places" if (args.out / "places").is_dir() else GEODATA / "places"
        layer, places = build_links(args.data, places_dir, args.scgraph)
        validate_layer(layer, layer["sources"], args.out / "links" / "links.geojson", places=False)
        validate_layer(places, places["sources"], args.out / "links" / "places.geojson", places=True)
        write_layer(args.out / "links" / "links.geojson", layer)
        write_layer(args.out / "links" / "places.geojson", places)
    except DataError as exc:
        sys.exit(f"build_layers: {exc}")


if __name__ == "__main__":
    main()
