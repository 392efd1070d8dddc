"""Benchmark of :func:`corridors.network` and :func:`corridors.route`.

Two networks:

1. the bundled corridors and links (:func:`corridors.network` with no lines);
2. a large user dataset: the GEM pipeline-route corpus
   (``../shared/data/gem-pipeline-routes.tar.gz``, about 48k lines), read with
   :func:`corridors.read` and built with the default modes (its lines have no ``mode``
   column, so every line is taken) and ``countries=False`` (no overlay), then once more
   with the country overlay on every 10th file.

For each: the build time against reading the same lines (the baseline a user already pays),
and the latency of route queries on the prebuilt graph between random pairs of connected
nodes, against a bare ``networkx.dijkstra_path_length`` between the same nodes (the floor:
the search alone, no state graph, no legs table). Ratios are printed; no timing is asserted.

Prints a table and writes ``benchmarks/results/network.json``.

Usage::

    python benchmarks/bench_network.py            # bundled + GEM (when present)
    python benchmarks/bench_network.py --no-gem   # bundled only
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

import networkx as nx

import corridors
from corridors._atomic import write_text  # the project's one atomic writer (temp file + rename)
from corridors.graph import bundled_lines, network

HERE = Path(__file__).resolve().parent
DEFAULT_GEM = HERE.parent.parent / "shared" / "data" / "gem-pipeline-routes.tar.gz"


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _queries(graph: nx.MultiGraph, n: int, seed: int, weight: str = "km") -> dict:
    """Median/p95 latency (ms) of route() between random connected node pairs, and the floor."""
    rng = random.Random(seed)
    biggest = max(nx.connected_components(graph), key=len)
    nodes = sorted(biggest, key=str)
    simple = nx.Graph()
    for u, v, d in graph.edges(data=True):
        if u != v and (not simple.has_edge(u, v) or simple[u][v]["length_km"] > d["length_km"]):
            simple.add_edge(u, v, length_km=d["length_km"])
    pairs = [tuple(rng.sample(nodes, 2)) for _ in range(n)]
    corridors.route((graph.nodes[pairs[0][0]]["x"], graph.nodes[pairs[0][0]]["y"]),
                    (graph.nodes[pairs[0][1]]["x"], graph.nodes[pairs[0][1]]["y"]), graph=graph, weight=weight)  # warm
    lat, floor = [], []
    for a, b in pairs:
        pa, pb = (graph.nodes[a]["x"], graph.nodes[a]["y"]), (graph.nodes[b]["x"], graph.nodes[b]["y"])
        r, dt = _timed(corridors.route, pa, pb, graph=graph, weight=weight)
        lat.append(dt * 1000)
        km, df = _timed(nx.dijkstra_path_length, simple, a, b, weight="length_km")
        floor.append(df * 1000)
        if weight == "km" and abs(km - r.total_km) > 1e-6 * max(km, 1):
            raise AssertionError(f"route {a}->{b}: {r.total_km} km, floor {km} km")
    q = statistics.quantiles(lat, n=20)
    return {"queries": n, "median_ms": statistics.median(lat), "p95_ms": q[-1],
            "floor_median_ms": statistics.median(floor), "ratio_to_floor": statistics.median(lat) / statistics.median(floor)}


def bench_bundled(n: int) -> dict:
    lines, t_load = _timed(bundled_lines)
    corridors.network()  # warm the border index and caches
    graph, t_build = _timed(network)
    out = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "load_s": t_load, "build_s": t_build,
           "build_over_load": t_build / t_load}
    out["route_km"] = _queries(graph, n, seed=1)
    out["route_hours"] = _queries(graph, n, seed=2, weight="hours")
    named = [("Kashgar", "Baku", {}), ("Kashgar", "Baku", {"year": 2031}),
             ("Kashgar", "Baku", {"year": 2031, "closed": ["Turkmenbashi port"]})]
    for o, d, kw in named:
        corridors.route(o, d, **kw)
        _, dt = _timed(corridors.route, o, d, **kw)
        out[f"{o}->{d} {kw}"] = dt * 1000
    return out


def bench_gem(tarball: Path, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lines, t_read = _timed(corridors.read, tmp, on_error="skip")
            graph, t_build = _timed(network, lines, countries=False)
            files = sorted(set(lines["source_file"]))[::10]
            sample = lines[lines["source_file"].isin(files)]
            g_sample, t_sample = _timed(network, sample, countries=True)
    gaps, t_gaps = _timed(corridors.topology_gaps, graph, 1.0)
    out = {"lines": len(lines), "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
           "components": nx.number_connected_components(graph), "read_s": t_read, "build_s": t_build,
           "build_over_read": t_build / t_read, "sample_lines": len(sample), "sample_build_with_countries_s": t_sample,
           "gaps_under_1km": len(gaps), "gaps_s": t_gaps}
    out["route_km"] = _queries(graph, n, seed=3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--gem", type=Path, default=DEFAULT_GEM)
    parser.add_argument("--no-gem", action="store_true")
    args = parser.parse_args()
    results = {"machine": platform.platform(), "python": platform.python_version(),
               "bundled": bench_bundled(args.queries)}
    if not args.no_gem and args.gem.exists():
        results["gem"] = bench_gem(args.gem, max(20, args.queries // 10))
    print(json.dumps(results, indent=2, default=float))
    out = HERE / "results" / "network.json"
    if "gem" not in results and out.exists():  # keep the last GEM figures when they were not re-measured
        kept = json.loads(out.read_text(encoding="utf-8")).get("gem")
        if kept:
            results["gem"] = kept
    write_text(out, json.dumps(results, indent=2, default=float) + "\n", [args.gem], make_parents=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
