"""The corridors and their links as one graph: places and junctions joined by line pieces.

:func:`network` turns lines (the bundled corridors and links, or a user's own lines) into
a :class:`networkx.MultiGraph`. Line ends within :data:`SNAP_KM` of each other become one
node; an end within :data:`SNAP_KM` of the inside of another line splits that line there
(a junction). Each edge is one piece of a line between two nodes, with its geodesic length
and its km in each country. :func:`topology_gaps` lists the ends left unjoined near
another line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.ops import substring

from .analysis import border_crossings, lengths_by_country
from .catalog import load_all, places
from .errors import DataError
from .geodesy import geodesic_distance_m, geodesic_length_m
from .links import in_service_from, link_places, load_links

#: Default snap distance (km): line ends closer than this are one node, and an end this
#: close to the inside of another line joins it there. The bundled lines meet at shared
#: vertices (0 km), so 1 km only absorbs rounding in users' files.
SNAP_KM: float = 1.0
#: Modes that carry freight; pipelines form a network of their own.
FREIGHT_MODES: tuple[str, ...] = ("rail", "road", "sea")
_KM_PER_DEG = 111.32


def bundled_lines() -> gpd.GeoDataFrame:
    """The bundled corridors and links in one GeoDataFrame (segment columns + link columns)."""
    corridors_ = load_all()
    links = load_links()
    out = gpd.GeoDataFrame(pd.concat([corridors_, links], ignore_index=True), crs="EPSG:4326")
    out.attrs = {"corridors": corridors_.attrs["corridors"], "links": links.attrs["links"],
                 "sources": links.attrs["sources"]}
    return out


def bundled_places() -> gpd.GeoDataFrame:
    """The bundled places together with the places the links add."""
    return gpd.GeoDataFrame(pd.concat([places(), link_places()], ignore_index=True), crs="EPSG:4326")


def _deg(km: float, lat: np.ndarray | float) -> np.ndarray:
    """Degrees that cover ``km`` in every direction around points at latitude ``lat`` (one per point)."""
    top = np.minimum(np.abs(np.asarray(lat, dtype=float)) + 0.5, 89.0)
    return km / (_KM_PER_DEG * np.cos(np.radians(top)))


def _select(lines: gpd.GeoDataFrame, year: int | None, modes: Sequence[str] | None) -> gpd.GeoDataFrame:
    if "mode" in lines.columns:
        mode = lines["mode"].astype(object).where(lines["mode"].notna(), None)
    else:
        mode = pd.Series([None] * len(lines), index=lines.index, dtype=object)
    if modes is None:
        known = set(mode.dropna())
        modes = FREIGHT_MODES if known - {"pipeline"} else ("pipeline",)
        keep = mode.isin(modes) | mode.isna()
    else:
        modes = tuple(modes)
        if "pipeline" in modes and set(modes) - {"pipeline"}:
            raise DataError("pipelines are a network of their own: pass modes=['pipeline'] alone, "
                            f"not together with {', '.join(sorted(set(modes) - {'pipeline'}))}")
        keep = mode.isin(modes)
    if year is not None:
        keep &= in_service_from(lines) <= year
    return lines[keep.to_numpy()]


def _parts(lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One LineString per row (MultiLineStrings exploded), with the columns routing reads."""
    cols = {"segment_id": None, "corridor_id": "lines", "name": None, "mode": None, "gauge_mm": None,
            "status": None, "sources": None, "branch": None, "link_id": None, "from_place": None, "to_place": None}
    geoms = lines.geometry.values
    if lines.crs is not None and not lines.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs("EPSG:4326")
    df = pd.DataFrame({c: (lines[c].astype(object).to_numpy() if c in lines.columns else np.full(len(lines), d, dtype=object))
                       for c, d in cols.items()})
    if "segment_id" not in lines.columns:
        df["segment_id"] = [f"line-{i}" for i in lines.index]
    df["in_service_from"] = in_service_from(lines)
    out = gpd.GeoDataFrame(df, geometry=np.asarray(geoms, dtype=object), crs="EPSG:4326")
    out = out[~(out.geometry.isna() | out.geometry.is_empty)].explode(index_parts=False, ignore_index=True)
    return out[out.geometry.geom_type == "LineString"].reset_index(drop=True)


def _split_at_junctions(parts: gpd.GeoDataFrame, snap_km: float) -> gpd.GeoDataFrame:
    """Split every line where another line's end lies within ``snap_km`` of its inside."""
    g = np.asarray(parts.geometry.values, dtype=object)
    first, last = shapely.get_point(g, 0), shapely.get_point(g, -1)
    fx, fy, lx, ly = shapely.get_x(first), shapely.get_y(first), shapely.get_x(last), shapely.get_y(last)
    ends = np.concatenate([first, last])
    ex_all, ey_all = np.concatenate([fx, lx]), np.concatenate([fy, ly])
    owner = np.tile(np.arange(len(g)), 2)
    pt, ln = shapely.STRtree(g).query(ends, predicate="dwithin", distance=_deg(snap_km, ey_all))
    keep = owner[pt] != ln
    pt, ln = pt[keep], ln[keep]
    ex, ey = ex_all[pt], ey_all[pt]
    # an end near the other line's own end is a plain join (the clustering of ends makes it)
    tol = _deg(snap_km, ey)
    at_end = ((np.hypot(ex - fx[ln], ey - fy[ln]) <= tol) | (np.hypot(ex - lx[ln], ey - ly[ln]) <= tol))
    pt, ln, ex, ey = pt[~at_end], ln[~at_end], ex[~at_end], ey[~at_end]
    if not len(pt):
        return parts
    loc = shapely.line_locate_point(g[ln], ends[pt])
    on = shapely.line_interpolate_point(g[ln], loc)
    ox, oy = shapely.get_x(on), shapely.get_y(on)
    m = snap_km * 1000.0
    inside = ((geodesic_distance_m(ex, ey, ox, oy) <= m) & (loc > 0) & (loc < shapely.length(g[ln]))
              & (geodesic_distance_m(ox, oy, fx[ln], fy[ln]) > m) & (geodesic_distance_m(ox, oy, lx[ln], ly[ln]) > m))
    if not inside.any():
        return parts
    cuts = pd.Series(loc[inside]).groupby(ln[inside]).agg(lambda v: sorted(set(v)))
    rows, new_geoms = [], []
    for i in range(len(parts)):
        if i not in cuts.index:
            rows.append(i)
            new_geoms.append(g[i])
            continue
        stops = [0.0, *cuts[i], float(shapely.length(g[i]))]
        for a, b in zip(stops[:-1], stops[1:]):
            if b > a:
                rows.append(i)
                new_geoms.append(substring(g[i], a, b))
    out = parts.iloc[rows].reset_index(drop=True)
    return out.set_geometry(np.asarray(new_geoms, dtype=object), crs="EPSG:4326")


def _cluster_ends(x: np.ndarray, y: np.ndarray, snap_km: float) -> np.ndarray:
    """Label points so that points within ``snap_km`` of each other (transitively) share a label."""
    xy, back = np.unique(np.c_[x, y], axis=0, return_inverse=True)  # many lines share an end
    if len(xy) < len(x):
        return _cluster_ends(xy[:, 0], xy[:, 1], snap_km)[back.ravel()]
    pts = np.asarray(shapely.points(x, y), dtype=object)
    a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=_deg(snap_km, y))
    keep = a < b
    a, b = a[keep], b[keep]
    close = geodesic_distance_m(x[a], y[a], x[b], y[b]) <= snap_km * 1000.0
    a, b = a[close], b[close]
    label = np.arange(len(x))
    while True:  # label propagation with pointer jumping: each point ends with its cluster's least index
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    return np.unique(label, return_inverse=True)[1]


def _name_nodes(x: np.ndarray, y: np.ndarray, pl: gpd.GeoDataFrame | None, snap_km: float) -> list[dict[str, Any]]:
    """Node attributes: the place within ``snap_km`` (its id, name, kind, iso3) or a junction."""
    out = [{"name": f"junction {xi:.3f},{yi:.3f}", "place_id": None, "kind": "junction", "iso3": None,
            "x": float(xi), "y": float(yi)} for xi, yi in zip(x, y)]
    if pl is None or not len(pl):
        return out
    pts = shapely.points(x, y)
    ppts = np.asarray(pl.geometry.values, dtype=object)
    ni, pi = shapely.STRtree(ppts).query(pts, predicate="dwithin", distance=_deg(snap_km, y))
    d = geodesic_distance_m(x[ni], y[ni], shapely.get_x(ppts[pi]), shapely.get_y(ppts[pi]))
    order = np.lexsort((d, ni))
    seen: set[int] = set()
    for k in order:
        n = int(ni[k])
        if n in seen or d[k] > snap_km * 1000.0:
            continue
        seen.add(n)
        row = pl.iloc[int(pi[k])]
        out[n].update(name=str(row["name"]), place_id=str(row.get("place_id", row["name"])),
                      kind=row.get("kind"), iso3=row.get("iso3"))
    return out


def _name_junctions(attrs: list[dict[str, Any]], label: np.ndarray, parts: gpd.GeoDataFrame) -> None:
    """Name unnamed nodes after the lines' own end names (``from_place`` / ``to_place``) there.

    Only a node that is a line's *original* end takes its name (a piece cut at a junction
    keeps the line's names on its outer ends only).
    """
    names = np.concatenate([parts["from_place"].to_numpy(dtype=object), parts["to_place"].to_numpy(dtype=object)])
    seg = parts["segment_id"].to_numpy(dtype=object)
    first = np.r_[True, seg[1:] != seg[:-1]]  # the first piece of a line (pieces of a line are consecutive)
    last = np.r_[seg[1:] != seg[:-1], True]
    original = np.concatenate([first, last])
    done: set[int] = set()
    for k, name in zip(label[original], names[original]):
        if attrs[k]["kind"] == "junction" and k not in done and isinstance(name, str) and name.strip():
            attrs[k]["name"] = name.strip()
            done.add(int(k))


def _countries(pieces: gpd.GeoDataFrame) -> tuple[list[dict[str, float]], list[list[dict[str, Any]]]]:
    """Km per country and the ordered land-border crossings of each piece."""
    keyed = gpd.GeoDataFrame({"corridor_id": [f"e{i}" for i in range(len(pieces))],
                              "branch": ["main"] * len(pieces)}, geometry=pieces.geometry.values, crs="EPSG:4326")
    by = lengths_by_country(keyed)
    km: list[dict[str, float]] = [{} for _ in range(len(pieces))]
    for cid, iso3, length in zip(by["corridor_id"], by["iso3"], by["length_km"]):
        km[int(cid[1:])][iso3 or "sea"] = km[int(cid[1:])].get(iso3 or "sea", 0.0) + float(length)
    cross = border_crossings(keyed, places=bundled_places())
    found: list[list[dict[str, Any]]] = [[] for _ in range(len(pieces))]
    for row in cross.itertuples():
        found[int(row.corridor_id[1:])].append({"km": float(row.km), "from_iso3": row.from_iso3, "to_iso3": row.to_iso3,
                                                "checkpoint": row.checkpoint, "x": row.geometry.x, "y": row.geometry.y})
    return km, found


def network(
    lines: gpd.GeoDataFrame | None = None,
    *,
    year: int | None = None,
    modes: Sequence[str] | None = None,
    snap_km: float = SNAP_KM,
    places: gpd.GeoDataFrame | None = None,
    countries: bool = True,
) -> nx.MultiGraph:
    """The lines as a graph of places and junctions joined by line pieces.

    Parameters
    ----------
    lines : geopandas.GeoDataFrame, optional
        Lines (any CRS; used in EPSG:4326). By default the bundled corridors and links.
        Columns read when present: ``segment_id``, ``corridor_id``, ``name``, ``mode``,
        ``gauge_mm``, ``status``, ``sources``, ``branch``, ``link_id``, ``opened``,
        ``planned_opening``.
    year : int, optional
        Keep only lines in service in that year (see :func:`corridors.links.in_service_from`:
        opened, or planned to open by then at the latest date sources give, or operating
        with no recorded date). All lines, whatever their status, by default.
    modes : sequence of str, optional
        Modes to keep, e.g. ``["rail"]``. By default the freight modes (rail, road, sea,
        and lines without a mode) when there are any, else the pipelines. Pipelines are a
        network of their own: mixing ``"pipeline"`` with a freight mode is an error.
    snap_km : float, default :data:`SNAP_KM`
        Ends within this geodesic distance (km) become one node; an end this close to the
        inside of another line splits it there (a junction).
    places : geopandas.GeoDataFrame, optional
        Named points (``place_id``, ``name``, ``kind``, ``iso3``) naming the nodes within
        ``snap_km``; the bundled places (with those of the links) by default.
    countries : bool, default True
        Measure each edge's km per country and its border crossings (an overlay with the
        bundled borders); False skips it (faster on large inputs; routes then have no
        country figures).

    Returns
    -------
    networkx.MultiGraph
        Nodes are place ids (or ``"junction x,y"``) with ``name``, ``place_id``, ``kind``,
        ``iso3``, ``x``, ``y`` (lon/lat). Edges (one per line piece, keyed ``0, 1, ...``)
        carry ``segment_id``, ``corridor_id``, ``branch``, ``link_id``, ``name``, ``mode``,
        ``gauge_mm``, ``status``, ``sources``, ``in_service_from``, ``length_km``
        (geodesic, WGS84), ``km_by_country`` (iso3 -> km; ``"sea"`` outside land),
        ``country`` (the iso3 with most km), ``crossings`` (land-border crossings, ordered
        from the edge's ``start`` node), ``start`` (the node its geometry begins at) and
        ``geometry``. ``graph.graph`` holds ``snap_km``, ``year`` and ``modes``.

    Raises
    ------
    DataError
        If the lines mix pipelines with freight modes in ``modes``.
    """
    if lines is None:
        lines = bundled_lines()
        if places is None:
            places = bundled_places()
    elif not isinstance(lines, gpd.GeoDataFrame):
        raise DataError(f"expected a GeoDataFrame of lines, got {type(lines).__name__}")
    chosen = _select(lines, year, modes)
    parts = _split_at_junctions(_parts(chosen), snap_km)
    geoms = np.asarray(parts.geometry.values, dtype=object)
    x = np.concatenate([shapely.get_x(shapely.get_point(geoms, 0)), shapely.get_x(shapely.get_point(geoms, -1))])
    y = np.concatenate([shapely.get_y(shapely.get_point(geoms, 0)), shapely.get_y(shapely.get_point(geoms, -1))])
    label = _cluster_ends(x, y, snap_km) if len(x) else np.zeros(0, dtype=np.int64)
    first = pd.Series(np.arange(len(label))).groupby(label).first().to_numpy() if len(label) else np.zeros(0, int)
    attrs = _name_nodes(x[first], y[first], places if places is not None else None, snap_km)
    _name_junctions(attrs, label, parts)
    node_ids = []
    used: set[str] = set()
    for a in attrs:
        nid = a["place_id"] if a["place_id"] and a["place_id"] not in used else a["name"]
        used.add(nid)
        node_ids.append(nid)
    graph = nx.MultiGraph(snap_km=snap_km, year=year, modes=tuple(modes) if modes else None)
    for nid, a in zip(node_ids, attrs):
        graph.add_node(nid, **a)
    n = len(parts)
    u, v = label[:n], label[n:]
    km = geodesic_length_m(geoms) / 1000.0
    by_country, crossings = _countries(parts) if countries and n else ([{} for _ in range(n)], [[] for _ in range(n)])
    records = parts.drop(columns="geometry").to_dict("records")
    for i, rec in enumerate(records):
        if u[i] == v[i] and km[i] <= snap_km:
            continue
        gauge = rec["gauge_mm"]
        main = max(by_country[i], key=lambda iso: by_country[i][iso]) if by_country[i] else None
        graph.add_edge(node_ids[u[i]], node_ids[v[i]], key=i, **{
            **rec, "gauge_mm": None if gauge is None or pd.isna(gauge) else int(gauge),
            "length_km": float(km[i]), "km_by_country": by_country[i], "country": main,
            "crossings": crossings[i], "start": node_ids[u[i]], "geometry": geoms[i]})
    return graph


def topology_gaps(graph: nx.MultiGraph, near_km: float = 10.0) -> pd.DataFrame:
    """Line ends left unjoined near a line of another part of the network (topology gaps).

    Parameters
    ----------
    graph : networkx.MultiGraph
        A graph from :func:`network`.
    near_km : float, default 10
        Report ends within this geodesic distance (km) of a line they are not connected to.

    Returns
    -------
    pandas.DataFrame
        ``node``, ``name``, ``x``, ``y`` (the dangling end), ``segment_id`` (its line),
        ``near_segment_id`` (the nearest line of another connected component) and
        ``gap_km``, sorted by ``gap_km``. Empty when every end near a line is joined to it.
    """
    comp = {n: k for k, c in enumerate(nx.connected_components(graph)) for n in c}
    edges = list(graph.edges(keys=True, data=True))
    if not edges:
        return pd.DataFrame(columns=["node", "name", "x", "y", "segment_id", "near_segment_id", "gap_km"])
    geoms = np.asarray([d["geometry"] for *_, d in edges], dtype=object)
    tree = shapely.STRtree(geoms)
    ends = [n for n in graph.nodes if graph.degree(n) == 1]
    xs = np.array([graph.nodes[n]["x"] for n in ends])
    ys = np.array([graph.nodes[n]["y"] for n in ends])
    pts = np.asarray(shapely.points(xs, ys), dtype=object)
    pi, ei = tree.query(pts, predicate="dwithin", distance=_deg(near_km, ys)) if len(ends) else (np.zeros(0, int),) * 2
    rows = []
    for p, e in zip(pi, ei):
        n, (a, _, _, d) = ends[p], edges[e]
        if comp[a] == comp[n]:
            continue
        near = shapely.line_interpolate_point(geoms[e], shapely.line_locate_point(geoms[e], pts[p]))
        gap = float(geodesic_distance_m(xs[p], ys[p], shapely.get_x(near), shapely.get_y(near))) / 1000.0
        if gap <= near_km:
            own = next(iter(graph.edges(n, data="segment_id")))[2]
            rows.append({"node": n, "name": graph.nodes[n]["name"], "x": xs[p], "y": ys[p], "segment_id": own,
                         "near_segment_id": d["segment_id"], "gap_km": gap})
    out = pd.DataFrame(rows, columns=["node", "name", "x", "y", "segment_id", "near_segment_id", "gap_km"])
    out = out.sort_values("gap_km").drop_duplicates("node") if len(out) else out
    return out.reset_index(drop=True)


def edge_frame(graph: nx.MultiGraph, edges: Iterable[tuple[Any, Any, Any]] | None = None) -> gpd.GeoDataFrame:
    """The edges of a network (or the listed ``(u, v, key)`` edges) as a GeoDataFrame."""
    chosen = graph.edges(keys=True) if edges is None else edges
    rows = [{"u": u, "v": v, "key": k, **graph.edges[u, v, k]} for u, v, k in chosen]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326") if rows else gpd.GeoDataFrame(
        {"geometry": []}, geometry="geometry", crs="EPSG:4326")
