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

Each stage runs in a fresh subprocess (so that peak memory, ``ru_maxrss``, is that stage's
own) after the lines are cached as GeoParquet. The border index is built (or loaded) once
per process before the timer starts; its cost is reported separately. Results go to stdout
and ``benchmarks/results/engine.json``.

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

HERE = Path(__file__).resolve().parent
DEFAULT_GEM = HERE.parent.parent / "shared" / "data" / "gem-pipeline-routes.tar.gz"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _stage(stage: str, lines: str, sample: int, repeat: int) -> dict:
    """Run one stage in this process; return its timings."""
    import geopandas as gpd
    import numpy as np
    import shapely
    from pyproj import Geod

    import corridors
    from corridors.border_index import bundled_index

    warnings.simplefilter("ignore")
    gdf = gpd.read_parquet(lines)
    if stage in ("naive", "engine-sample"):
        gdf = gdf.sample(n=min(sample, len(gdf)), random_state=0)
    t0 = time.perf_counter()
    index = bundled_index()
    index_s = time.perf_counter() - t0
    rss_before = _peak_mb()
    best = float("inf")
    out: dict = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        if stage in ("engine", "engine-sample"):
            table = corridors.lengths_by_country(gdf)
            cross = corridors.border_crossings(gdf)
            out.update(rows=len(table), crossings=len(cross), km=float(table["length_km"].sum()))
        elif stage == "engine-once":
            result = corridors.analyse(gdf)
            table, cross = result.lengths_by_country(), result.border_crossings()
            out.update(rows=len(table), crossings=len(cross), km=float(table["length_km"].sum()))
        elif stage == "floor":
            coords, part = shapely.get_coordinates(
                shapely.get_parts(gdf.geometry.values), return_index=True)
            same = part[1:] == part[:-1]
            d = Geod(ellps="WGS84").inv(coords[:-1, 0][same], coords[:-1, 1][same],
                                        coords[1:, 0][same], coords[1:, 1][same])[2]
            out.update(pairs=int(same.sum()), km=float(np.sum(d)) / 1000.0)
        elif stage == "naive":
            countries = corridors.borders()
            pieces = gpd.overlay(gdf[["corridor_id", "geometry"]], countries, how="intersection",
                                 keep_geom_type=True)
            geod = Geod(ellps="WGS84")
            pieces["km"] = pieces.geometry.apply(geod.geometry_length) / 1000.0
            table = pieces.groupby(["corridor_id", "iso3"])["km"].sum()
            out.update(rows=len(table), km=float(table.sum()))
        best = min(best, time.perf_counter() - t0)
    geoms = gdf.geometry.values
    out.update(stage=stage, seconds=best, index_s=index_s, lines=len(gdf),
               vertices=int(shapely.get_num_coordinates(geoms).sum()),
               peak_rss_mb=_peak_mb(), rss_before_mb=rss_before, index_pieces=len(index.pieces))
    return out


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
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs per stage")
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
        stages = {s: _run_child(s, lines, args.sample, args.repeat)
                  for s in ("floor", "engine", "engine-once", "naive", "engine-sample")}
    floor, engine, naive, small = (stages[s]["seconds"] for s in ("floor", "engine", "naive", "engine-sample"))
    result = {
        "source": source,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg_1min": os.getloadavg()[0]},
        "stages": stages,
        "engine_over_floor": engine / floor,
        "engine_once_over_floor": stages["engine-once"]["seconds"] / floor,
        "naive_over_engine_sample": naive / small,
        "peak_rss_mb_engine": stages["engine"]["peak_rss_mb"],
        "targets": {"engine_over_floor": "<= 3", "naive_over_engine_sample": ">= 100", "peak_rss_mb_engine": "< 2048"},
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    print(f"data: {source}")
    for name, s in stages.items():
        print(f"{name:14} {s['seconds']:8.2f} s  lines {s['lines']:>6}  vertices {s['vertices']:>8}  "
              f"peak RSS {s['peak_rss_mb']:7.0f} MB  (index {s['index_s']:.1f} s)")
    print(f"engine / floor          = {result['engine_over_floor']:.2f}  (target <= 3; analyse once: "
          f"{result['engine_once_over_floor']:.2f})")
    print(f"naive / engine (sample) = {result['naive_over_engine_sample']:.0f}  (target >= 100)")
    print(f"engine peak memory      = {result['peak_rss_mb_engine']:.0f} MB  (target < 2048)")
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
