"""Benchmark of the analysis engine: ratios against a floor and a naive baseline in one run.

Measured on the GEM pipeline-route corpus (``../shared/data/gem-pipeline-routes.tar.gz``)
or on a synthetic line set (``--synthetic N``), against the bundled world borders:

1. engine: :func:`corridors.lengths_by_country` + :func:`corridors.border_crossings` on
   every line (as a user calls them: two calls);
2. floor: one vectorised ``pyproj.Geod.inv`` pass over every vertex pair of the same lines
   (the least any geodesic length computation must do);
3. naive: ``geopandas.overlay`` of a sample of routes (300) with the countries, then the
   geodesic length of every piece (``Geod.geometry_length``), against the engine on the
   same sample.

The lines are first cached as GeoParquet; then three child processes run: ``full`` (floor,
engine and engine-once on every line, alternating in rounds so that they share the machine's
load; best of ``--repeat``), ``sample`` (naive and engine on the same routes, alternating)
and ``memory`` (the engine alone, once: its peak resident set, ``ru_maxrss``, includes the
libraries, the lines and the border index). The border index is loaded (or built) before any
timer starts; its cost is reported separately. Results go to stdout and
``benchmarks/results/engine.json``.

Usage::

    python benchmarks/bench_engine.py                     # the GEM corpus
    python benchmarks/bench_engine.py --synthetic 50000   # no corpus needed
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

from corridors._atomic import write_text  # the project's one atomic writer (temp file + rename)

HERE = Path(__file__).resolve().parent
DEFAULT_GEM = HERE.parent.parent / "shared" / "data" / "gem-pipeline-routes.tar.gz"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _floor(gdf) -> dict:
    """One vectorised Geod.inv pass over every vertex pair (the least a geodesic length needs)."""
    import numpy as np
    import shapely
    from pyproj import Geod

    coords, part = shapely.get_coordinates(shapely.get_parts(gdf.geometry.values), return_index=True)
    same = part[1:] == part[:-1]
    d = Geod(ellps="WGS84").inv(coords[:-1, 0][same], coords[:-1, 1][same],
                                coords[1:, 0][same], coords[1:, 1][same])[2]
    return {"pairs": int(same.sum()), "km": float(np.sum(d)) / 1000.0}


def _engine(gdf) -> dict:
    """The two public calls a user makes, from a cold start (no remembered analysis)."""
    import corridors
    import corridors.analysis

    corridors.analysis.clear_cache()
    table = corridors.lengths_by_country(gdf)
    cross = corridors.border_crossings(gdf)
    return {"rows": len(table), "crossings": len(cross), "km": float(table["length_km"].sum())}


def _engine_once(gdf) -> dict:
    """Both tables from one :func:`corridors.analyse`."""
    import corridors
    import corridors.analysis

    corridors.analysis.clear_cache()
    result = corridors.analyse(gdf)
    table, cross = result.lengths_by_country(), result.border_crossings()
    return {"rows": len(table), "crossings": len(cross), "km": float(table["length_km"].sum())}


def _naive(gdf) -> dict:
    """What a user writes by hand: geopandas.overlay with the countries, then geodesic lengths."""
    import geopandas as gpd
    from pyproj import Geod

    import corridors

    countries = corridors.borders()
    pieces = gpd.overlay(gdf[["corridor_id", "geometry"]], countries, how="intersection", keep_geom_type=True)
    geod = Geod(ellps="WGS84")
    pieces["km"] = pieces.geometry.apply(geod.geometry_length) / 1000.0
    table = pieces.groupby(["corridor_id", "iso3"])["km"].sum()
    return {"rows": len(table), "km": float(table.sum())}


_STAGES = {"floor": _floor, "engine": _engine, "engine-once": _engine_once, "naive": _naive}


def _stage(stage: str, lines: str, sample: int, repeat: int) -> dict:
    """Run one child stage; timed methods alternate so that they share the machine's load.

    ``full``: floor, engine, engine-once on every line (best of ``repeat`` rounds);
    ``sample``: naive and engine on ``sample`` routes; ``memory``: the engine alone, once,
    for its peak resident memory.
    """
    import geopandas as gpd
    import shapely

    from corridors.catalog import bundled_index

    warnings.simplefilter("ignore")
    gdf = gpd.read_parquet(lines)
    if stage == "sample":
        gdf = gdf.sample(n=min(sample, len(gdf)), random_state=0)
    t0 = time.perf_counter()
    bundled_index()
    out: dict = {"index_s": time.perf_counter() - t0, "lines": len(gdf),
                 "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
                 "rss_before_engine_mb": _peak_mb()}
    methods = {"full": ["floor", "engine", "engine-once"], "sample": ["naive", "engine", "floor"],
               "memory": ["engine"]}[stage]
    rounds = 1 if stage == "memory" else repeat
    for _ in range(rounds):
        for name in methods:
            t0 = time.perf_counter()
            info = _STAGES[name](gdf)
            took = time.perf_counter() - t0
            best = out.setdefault(name, {"seconds": float("inf"), "runs": []})
            best["runs"].append(round(took, 3))
            best.update(info, seconds=min(best["seconds"], took))
    out["peak_rss_mb"] = _peak_mb()
    return out


def _ratios(top: list[float], bottom: list[float]) -> list[float]:
    return [round(a / b, 2) for a, b in zip(top, bottom)]


def _run_child(stage: str, lines: str, sample: int, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--child", stage, "--lines", lines, "--sample", str(sample),
           "--repeat", str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"stage {stage} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prepare(args: argparse.Namespace, workdir: Path) -> tuple[str, dict]:
    """Write the benchmark lines to a GeoParquet file; return its path and a description."""
    import shapely

    import corridors

    if args.synthetic:
        sys.path.insert(0, str(HERE))
        from synthetic import synthetic_lines

        gdf = synthetic_lines(args.synthetic, seed=0)
        source = {"data": f"synthetic ({args.synthetic} lines, seed 0)"}
    else:
        gem = Path(args.gem)
        if not gem.exists():
            raise SystemExit(f"GEM corpus not found at {gem}; use --gem PATH or --synthetic N")
        t0 = time.perf_counter()
        if gem.is_dir():
            folder = gem
        else:
            folder = workdir / "gem"
            with tarfile.open(gem) as tar:
                tar.extractall(folder, filter="data")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = corridors.read(folder, on_error="skip")
        source = {"data": f"GEM pipeline routes ({gem.name})", "read_s": time.perf_counter() - t0,
                  "skipped": len(gdf.attrs.get("skipped", []))}
    gdf = gdf[[c for c in ("corridor_id", "branch", "geometry") if c in gdf.columns]].copy()
    gdf.attrs = {}
    path = workdir / "lines.parquet"
    gdf.to_parquet(path)
    source.update(lines=len(gdf), vertices=int(shapely.get_num_coordinates(gdf.geometry.values).sum()))
    return str(path), source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gem", default=str(DEFAULT_GEM), help="GEM tarball or extracted folder")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N", help="use N synthetic lines instead")
    parser.add_argument("--lines", help="use this GeoParquet of lines (skips reading the corpus)")
    parser.add_argument("--sample", type=int, default=300, help="routes in the naive comparison")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many rounds")
    parser.add_argument("-o", "--output", default=str(HERE / "results" / "engine.json"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_stage(args.child, args.lines, args.sample, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.lines:
            lines, source = args.lines, {"data": args.lines}
        else:
            lines, source = _prepare(args, Path(tmp))
        full = _run_child("full", lines, args.sample, args.repeat)
        small = _run_child("sample", lines, args.sample, args.repeat)
        memory = _run_child("memory", lines, args.sample, 1)
    floor, engine, once = (full[k]["seconds"] for k in ("floor", "engine", "engine-once"))
    result = {
        "source": source,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg_1min_at_end": os.getloadavg()[0]},
        "full": full,
        "sample": small,
        "memory": memory,
        "engine_over_floor": engine / floor,
        "engine_once_over_floor": once / floor,
        "naive_over_engine_sample": small["naive"]["seconds"] / small["engine"]["seconds"],
        # the most any geodesic engine could reach on the sample: naive over the floor
        "naive_over_floor_sample": small["naive"]["seconds"] / small["floor"]["seconds"],
        # the same ratios round by round (each round's methods ran back to back)
        "rounds": {
            "engine_over_floor": _ratios(full["engine"]["runs"], full["floor"]["runs"]),
            "engine_once_over_floor": _ratios(full["engine-once"]["runs"], full["floor"]["runs"]),
            "naive_over_engine_sample": _ratios(small["naive"]["runs"], small["engine"]["runs"]),
        },
        "peak_rss_mb_engine": memory["peak_rss_mb"],
        "targets": {"engine_over_floor": "<= 3", "naive_over_engine_sample": ">= 100", "peak_rss_mb_engine": "< 2048"},
    }
    write_text(args.output, json.dumps(result, indent=2) + "\n", [p for p in (args.lines, args.gem) if p], make_parents=True)
    print(f"data: {source}")
    print(f"all lines: {full['lines']} lines, {full['vertices']} vertices; border index ready in {full['index_s']:.1f} s")
    for name in ("floor", "engine", "engine-once"):
        print(f"  {name:12} {full[name]['seconds']:8.2f} s   (runs {full[name]['runs']})")
    print(f"sample: {small['lines']} routes, {small['vertices']} vertices")
    for name in ("naive", "engine", "floor"):
        print(f"  {name:12} {small[name]['seconds']:8.3f} s   (runs {small[name]['runs']})")
    rounds = result["rounds"]
    print(f"engine / floor          = {result['engine_over_floor']:.2f}  (target <= 3; best times; by round "
          f"{rounds['engine_over_floor']}; one analyse(): {result['engine_once_over_floor']:.2f}, by round "
          f"{rounds['engine_once_over_floor']})")
    print(f"naive / engine (sample) = {result['naive_over_engine_sample']:.0f}  (target >= 100; by round "
          f"{rounds['naive_over_engine_sample']}; naive / floor on the sample: "
          f"{result['naive_over_floor_sample']:.0f})")
    print(f"engine peak memory      = {result['peak_rss_mb_engine']:.0f} MB RSS (target < 2048; "
          f"{memory['rss_before_engine_mb']:.0f} MB before the engine ran)")
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
