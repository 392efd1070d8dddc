"""corridors against DuckDB spatial: per-country geodesic lengths of every line, in one run.

Each tool runs in its own fresh process, on the same lines (the GEM pipeline-route corpus
by default) and the same country polygons (the bundled Natural Earth borders), and reports
its compute time and its peak resident memory (``VmHWM``, the whole process: Python, the
libraries, the lines and the borders included):

- ``corridors``: :func:`corridors.lengths_by_country` then :func:`corridors.border_crossings`
  (both tables; the border index loaded before the timer starts);
- ``duckdb``: DuckDB with the ``spatial`` extension, the countries subdivided to at most
  256 vertices (:func:`corridors.border_index.subdivide`, as ``ST_Subdivide`` would, written
  to GeoParquet by the parent), an ``ST_Intersects`` join, ``ST_Intersection`` and
  ``ST_Length_Spheroid``, summed per corridor and country (DuckDB reads both GeoParquet files
  into tables before the timer starts; no geopandas in its process);
- ``floor``: one vectorised ``pyproj.Geod.inv`` over every vertex pair (the least a
  geodesic length computation with GeographicLib has to do);
- ``naive`` (``--naive``): ``geopandas.overlay`` of every line with the countries, then
  ``Geod.geometry_length`` of each piece (slow: over a minute).

The stages alternate in rounds (``--repeat``), so that they share the machine's load; the
best time of each and the ratios round by round are printed and written to
``benchmarks/results/duckdb.json``. The two tools' tables are compared pair by pair
(corridor, country). DuckDB is an optional benchmark dependency: ``pip install duckdb
duckdb-extension-spatial`` (the PyPI package carrying the ``spatial`` extension binary;
``INSTALL spatial`` would download it from DuckDB's own extension site instead).

Usage::

    python benchmarks/bench_duckdb.py                       # GEM corpus in ../shared/data
    python benchmarks/bench_duckdb.py --lines my.parquet    # any GeoParquet of lines
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engine import DEFAULT_GEM, _prepare  # noqa: E402
from bench_scaling import _reset_peak, _status_mb  # noqa: E402

from corridors._atomic import write_text  # noqa: E402  the project's one atomic writer (temp file + rename)

#: Largest vertex count of a country piece on the DuckDB side (as in the issue's run).
DUCKDB_MAX_VERTICES = 256


def _load_lines(path: str):
    """The lines as a GeoDataFrame, then pyarrow's pool emptied of what the read left unused.

    ``geopandas.read_parquet`` leaves about 190 MB of freed buffers in pyarrow's memory pool
    (mimalloc), which keeps them for later reads; ``release_unused()`` returns them to the
    system, as a user who reads once can. Both resident sizes are reported.
    """
    import geopandas as gpd
    import pyarrow as pa

    gdf = gpd.read_parquet(path)
    _READ_RSS.append(_status_mb("VmRSS"))
    pa.default_memory_pool().release_unused()
    return gdf


#: Resident MB right after reading the lines, before pyarrow's pool was emptied (see :func:`_load_lines`).
_READ_RSS: list[float | None] = []


def _descendants(pid: int) -> list[int]:
    """This process's children, their children, ... (Linux ``/proc/<pid>/task/*/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def _pss_mb(pid: int) -> float:
    """Proportional set size of one process, MB (0 if it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class TreePss:
    """Samples the summed PSS of this process and its descendants every ``every`` seconds.

    PSS shares each page among the processes that map it, so the sum counts the pages that
    forked workers share with their parent once: it is the memory the process tree takes
    from the machine. Sampling walks page tables, so it runs only in the memory round, not
    in the timed ones.
    """

    def __init__(self, every: float = 0.02) -> None:
        import threading

        self.every, self.peak, self.samples, self.most_processes = every, 0.0, 0, 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            tree = [me, *_descendants(me)]
            self.peak = max(self.peak, sum(_pss_mb(p) for p in tree))
            self.most_processes = max(self.most_processes, len(tree))
            self.samples += 1
            self._stop.wait(self.every)

    def __enter__(self) -> TreePss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _timed_tables(lines: object, edges: str, sample: bool) -> dict:
    """``lengths_by_country`` + ``border_crossings`` of ``lines`` (a GeoDataFrame or a path), timed.

    The border index is loaded first. CPU seconds count this process and its forked batch
    workers (``RUSAGE_CHILDREN``).
    """
    import resource
    from contextlib import nullcontext

    import corridors
    from corridors import batches
    from corridors.catalog import bundled_index

    bundled_index()
    kw = {} if edges == "geodesic" else {"edges": edges}
    ready, load_peak = _status_mb("VmRSS"), _status_mb("VmHWM")
    _reset_peak()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = TreePss() if sample else None
    with sampler or nullcontext():
        t0, c0 = time.perf_counter(), time.process_time()
        table = corridors.lengths_by_country(lines, **kw)
        cross = corridors.border_crossings(lines, **kw)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (done.ru_utime - kids.ru_utime) + (done.ru_stime - kids.ru_stime)
    return {"seconds": took, "cpu_seconds": cpu, "rss_ready_mb": ready, "load_peak_mb": load_peak,
            "executor": f"{getattr(batches, 'EXECUTOR', 'threads')} x {batches.THREADS}",
            "workers_peak_rss_mb": done.ru_maxrss / 1024.0,
            "tree_pss_peak_mb": sampler.peak if sampler else None,
            "tree_processes": sampler.most_processes if sampler else None,
            "compute_peak_mb": _status_mb("VmHWM"), "rows": len(table), "crossings": len(cross),
            "km": float(table["length_km"].sum()),
            "pairs": {f"{c}\t{i}": k for c, i, k in zip(table["corridor_id"], table["iso3"], table["length_km"])}}


def _corridors(path: str, edges: str, countries: str, sample: bool = False) -> dict:
    """lengths_by_country + border_crossings of a GeoDataFrame read before the timer."""
    gdf = _load_lines(path)
    return {**_timed_tables(gdf, edges, sample), "rss_read_mb": _READ_RSS[-1]}


def _corridors_file(path: str, edges: str, countries: str, sample: bool = False) -> dict:
    """lengths_by_country + border_crossings given the GeoParquet path: the timer includes reading it.

    The file's columns are read as Arrow (WKB) and made into geometries batch by batch in
    the forked workers, so the process never holds all the lines as shapely geometries.
    """
    return _timed_tables(path, edges, sample)


def _countries_parquet(workdir: Path) -> str:
    """The bundled countries cut into pieces of at most :data:`DUCKDB_MAX_VERTICES` vertices, as GeoParquet."""
    import geopandas as gpd

    import corridors
    from corridors.border_index import subdivide

    countries = corridors.borders()
    pieces, owner = subdivide(countries.geometry.values, DUCKDB_MAX_VERTICES)
    path = workdir / "countries.parquet"
    gpd.GeoDataFrame({"iso3": countries["iso3"].to_numpy()[owner]}, geometry=pieces, crs=4326).to_parquet(path)
    return str(path)


def _duckdb(path: str, edges: str, countries: str, sample: bool = False) -> dict:
    """The issue's DuckDB query: subdivided countries, ST_Intersects join, ST_Intersection, ST_Length_Spheroid.

    DuckDB reads both GeoParquet files itself (no geopandas in this process), as a user of
    DuckDB would; loading them into tables is not timed, as reading is not for corridors.
    """
    import duckdb

    try:
        import duckdb_extension_spatial  # the extension binary, from PyPI
        ext = Path(duckdb_extension_spatial.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    except ImportError:
        ext = None
    con = duckdb.connect()
    con.execute(f"LOAD '{ext}'" if ext is not None and ext.exists() else "LOAD spatial")
    con.execute(f"CREATE TABLE lines AS SELECT corridor_id, geometry AS geom FROM read_parquet('{path}') "
                "WHERE geometry IS NOT NULL AND NOT ST_IsEmpty(geometry)")
    con.execute(f"CREATE TABLE countries AS SELECT iso3, geometry AS geom FROM read_parquet('{countries}')")
    ready, load_peak = _status_mb("VmRSS"), _status_mb("VmHWM")
    _reset_peak()
    # ST_Length_Spheroid reads x as latitude: flip lon/lat first
    query = """
        SELECT l.corridor_id, c.iso3,
               SUM(ST_Length_Spheroid(ST_FlipCoordinates(ST_Intersection(l.geom, c.geom)))) / 1000.0 AS km
        FROM lines l JOIN countries c ON ST_Intersects(l.geom, c.geom)
        GROUP BY l.corridor_id, c.iso3
    """
    from contextlib import nullcontext

    sampler = TreePss() if sample else None
    with sampler or nullcontext():
        t0, c0 = time.perf_counter(), time.process_time()
        rows = con.execute(query).fetchall()
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": took, "cpu_seconds": cpu, "rss_ready_mb": ready, "load_peak_mb": load_peak,
            "tree_pss_peak_mb": sampler.peak if sampler else None,
            "compute_peak_mb": _status_mb("VmHWM"), "rows": len(rows), "km": float(sum(r[2] for r in rows)),
            "threads": int(con.execute("SELECT current_setting('threads')").fetchone()[0]),
            "version": duckdb.__version__, "pairs": {f"{c}\t{i}": k for c, i, k in rows}}


def _floor(path: str, edges: str, countries: str, sample: bool = False) -> dict:
    """One Geod.inv pass over every vertex pair."""
    from bench_engine import _floor as floor

    gdf = _load_lines(path)
    t0, c0 = time.perf_counter(), time.process_time()
    info = floor(gdf)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, **info}


def _naive(path: str, edges: str, countries: str, sample: bool = False) -> dict:
    """geopandas.overlay of every line with the countries, then Geod.geometry_length."""
    from bench_engine import _naive as naive

    import corridors

    gdf = _load_lines(path)
    corridors.borders()
    t0 = time.perf_counter()
    info = naive(gdf)
    return {"seconds": time.perf_counter() - t0, **info}


_STAGES = {"corridors": _corridors, "corridors-file": _corridors_file, "duckdb": _duckdb, "floor": _floor,
           "naive": _naive}


def _run_child(stage: str, lines: str, edges: str, countries: str, python: str = sys.executable,
               sample: bool = False) -> dict:
    cmd = [python, __file__, "--child", stage, "--lines", lines, "--edges", edges, "--countries", countries]
    if sample:
        cmd.append("--sample")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"stage {stage} failed:\n{done.stderr}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["load_1min"] = os.getloadavg()[0]
    return out


def _agreement(a: dict, b: dict, rel: float = 0.01, abs_km: float = 0.01) -> dict:
    """Share of (corridor, country) pairs of either table on which both agree within ``rel`` or ``abs_km``."""
    keys = {k for k in set(a) | set(b) if not k.endswith("\t")}  # outside every country: DuckDB has no row
    same = sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) <= max(abs_km, rel * max(a.get(k, 0.0), b.get(k, 0.0)))
               for k in keys)
    return {"pairs": len(keys), "agree": same, "share": same / len(keys) if keys else 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gem", default=str(DEFAULT_GEM), help="GEM tarball or extracted folder")
    parser.add_argument("--lines", help="use this GeoParquet of lines (skips reading the corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (best time of each stage is kept)")
    parser.add_argument("--edges", default="geodesic", help="corridors' edges= option")
    parser.add_argument("--naive", action="store_true", help="also time geopandas.overlay on every line (once)")
    parser.add_argument("--before", metavar="PYTHON",
                        help="also time the corridors stage with this interpreter (another corridors version)")
    parser.add_argument("-o", "--output", default=str(HERE / "results" / "duckdb.json"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--countries", help=argparse.SUPPRESS)
    parser.add_argument("--synthetic", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        warnings.simplefilter("ignore")
        out = _STAGES[args.child](args.lines, args.edges, args.countries, args.sample)
        out["peak_mb"] = _status_mb("VmHWM")
        print(json.dumps(out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        lines, source = (args.lines, {"data": args.lines}) if args.lines else _prepare(args, Path(tmp))
        countries = _countries_parquet(Path(tmp))
        runs: dict[str, list[dict]] = {"corridors": [], "corridors-file": [], "duckdb": [], "floor": []}
        if args.before:
            runs["before"] = []
        for _ in range(args.repeat):
            for stage in runs:
                python = args.before if stage == "before" else sys.executable
                runs[stage].append(_run_child("corridors" if stage == "before" else stage, lines, args.edges,
                                              countries, python))
        # one more round of both tools, with the process tree's PSS sampled (not timed)
        memory = {k: _run_child(k, lines, args.edges, countries, sample=True)
                  for k in ("corridors", "corridors-file", "duckdb")}
        naive = _run_child("naive", lines, args.edges, countries) if args.naive else None
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    by_round = {
        "corridors_over_duckdb": [round(c["seconds"] / d["seconds"], 3) for c, d in zip(runs["corridors"], runs["duckdb"])],
        "file_over_duckdb": [round(c["seconds"] / d["seconds"], 3) for c, d in zip(runs["corridors-file"], runs["duckdb"])],
        "corridors_over_floor": [round(c["seconds"] / f["seconds"], 3) for c, f in zip(runs["corridors"], runs["floor"])],
        "duckdb_over_floor": [round(d["seconds"] / f["seconds"], 3) for d, f in zip(runs["duckdb"], runs["floor"])],
    }
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    cpu = {k: min(r["cpu_seconds"] for r in v) for k, v in runs.items()}
    result = {
        "source": source, "edges": args.edges,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_1min_per_run": {k: [round(r["load_1min"], 2) for r in v] for k, v in runs.items()}},
        "seconds": {k: [round(r["seconds"], 3) for r in v] for k, v in runs.items()},
        "best_seconds": {k: round(v["seconds"], 3) for k, v in best.items()},
        "peak_mb": {k: [round(r["peak_mb"], 1) for r in v] for k, v in runs.items()},
        "cpu_seconds": {k: [round(r["cpu_seconds"], 3) for r in v] for k, v in runs.items()},
        "rss_ready_mb": {k: [round(r["rss_ready_mb"], 1) for r in runs[k]] for k in ("corridors", "corridors-file", "duckdb")},
        "load_peak_mb": {k: [round(r["load_peak_mb"], 1) for r in runs[k]] for k in ("corridors", "corridors-file", "duckdb")},
        "compute_peak_mb": {k: [round(r["compute_peak_mb"], 1) for r in runs[k]] for k in ("corridors", "corridors-file", "duckdb")},
        "corridors_over_duckdb_cpu": cpu["corridors"] / cpu["duckdb"],
        "rounds": by_round,
        "corridors_over_duckdb_best": best["corridors"]["seconds"] / best["duckdb"]["seconds"],
        "corridors_over_floor_best": best["corridors"]["seconds"] / best["floor"]["seconds"],
        "peak_corridors_over_duckdb": peak["corridors"] / peak["duckdb"],
        "tables": {"corridors_rows": best["corridors"]["rows"], "crossings": best["corridors"]["crossings"],
                   "duckdb_rows": best["duckdb"]["rows"], "duckdb_version": best["duckdb"]["version"],
                   "duckdb_threads": best["duckdb"]["threads"],
                   "agreement_1pct": _agreement(best["corridors"]["pairs"], best["duckdb"]["pairs"])},
        "rss_read_mb": [round(r["rss_read_mb"], 1) for r in runs["corridors"]],
        "corridors_executor": best["corridors"]["executor"],
        "workers_peak_rss_mb": [round(r["workers_peak_rss_mb"], 1) for r in runs["corridors"]],
        "memory_round": {k: {"tree_pss_peak_mb": round(v["tree_pss_peak_mb"], 1), "vmhwm_mb": round(v["peak_mb"], 1),
                             "seconds": round(v["seconds"], 3), "processes": v.get("tree_processes", 1),
                             "load_1min": round(v["load_1min"], 2)} for k, v in memory.items()},
        "pss_corridors_over_duckdb": memory["corridors"]["tree_pss_peak_mb"] / memory["duckdb"]["tree_pss_peak_mb"],
        "pss_file_over_duckdb": memory["corridors-file"]["tree_pss_peak_mb"] / memory["duckdb"]["tree_pss_peak_mb"],
        "file_over_duckdb_best": best["corridors-file"]["seconds"] / best["duckdb"]["seconds"],
        "targets": {"corridors_over_duckdb": "<= 0.5", "peak_corridors_over_duckdb": "<= 1"},
    }
    if args.before:
        result["before_over_corridors"] = best["before"]["seconds"] / best["corridors"]["seconds"]
        result["tables"]["before_agreement_1pct"] = _agreement(best["before"]["pairs"], best["corridors"]["pairs"])
    if naive is not None:
        result["naive"] = {k: v for k, v in naive.items() if k != "pairs"}
        result["naive_over_corridors"] = naive["seconds"] / best["corridors"]["seconds"]
    write_text(args.output, json.dumps(result, indent=2) + "\n", [p for p in (args.lines, args.gem) if p], make_parents=True)
    print(f"data: {source}; corridors edges={args.edges}; DuckDB {result['tables']['duckdb_version']} "
          f"({result['tables']['duckdb_threads']} threads)")
    print(f"{'stage':10} {'best s':>8} {'cpu s':>7} {'peak MB':>8}   runs (s) / load")
    for k in runs:
        print(f"{k:10} {best[k]['seconds']:8.2f} {cpu[k]:7.2f} {peak[k]:8.0f}   {result['seconds'][k]} / "
              f"{result['machine']['load_1min_per_run'][k]}")
    for k in ("corridors", "corridors-file", "duckdb"):
        print(f"  {k}: resident before computing {result['rss_ready_mb'][k]} MB (peak while loading "
              f"{result['load_peak_mb'][k]}); peak while computing {result['compute_peak_mb'][k]} MB")
    print(f"corridors / duckdb  = {result['corridors_over_duckdb_best']:.2f} (best times; by round "
          f"{by_round['corridors_over_duckdb']}; target <= 0.5)")
    print(f"corridors / duckdb, CPU seconds (both threads counted) = {result['corridors_over_duckdb_cpu']:.2f}")
    print(f"corridors ran its batches on {result['corridors_executor']}; the peak MB above is the main "
          f"process's VmHWM (a forked worker's own VmHWM, shared pages included: "
          f"{max(result['workers_peak_rss_mb']):.0f} MB)")
    mem = result["memory_round"]
    print(f"memory round (PSS of the whole process tree, sampled every 20 ms): corridors "
          f"{mem['corridors']['tree_pss_peak_mb']:.0f} MB ({mem['corridors']['processes']} processes at most), "
          f"duckdb {mem['duckdb']['tree_pss_peak_mb']:.0f} MB; corridors / duckdb = "
          f"{result['pss_corridors_over_duckdb']:.2f} (target <= 1)")
    print(f"  corridors-file (the GeoParquet path given, reading timed): {mem['corridors-file']['tree_pss_peak_mb']:.0f} MB; "
          f"/ duckdb = {result['pss_file_over_duckdb']:.2f}; time / duckdb = {result['file_over_duckdb_best']:.2f} "
          f"(by round {by_round['file_over_duckdb']})")
    print(f"peak MB (VmHWM of the main process) corridors / duckdb = {result['peak_corridors_over_duckdb']:.2f}")
    print(f"  corridors resident right after reading the lines (before pyarrow's pool was emptied): "
          f"{result['rss_read_mb']} MB")
    print(f"corridors / floor   = {result['corridors_over_floor_best']:.2f} (by round {by_round['corridors_over_floor']})")
    agree = result["tables"]["agreement_1pct"]
    print(f"agreement (corridor, country) within 1% or 10 m: {agree['agree']}/{agree['pairs']} = {agree['share']:.1%}")
    if args.before:
        print(f"before / corridors = {result['before_over_corridors']:.2f}; tables agree on "
              f"{result['tables']['before_agreement_1pct']['share']:.1%} of pairs")
    if naive is not None:
        print(f"naive geopandas.overlay: {naive['seconds']:.1f} s, {naive['peak_mb']:.0f} MB; "
              f"naive / corridors = {result['naive_over_corridors']:.1f}")
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
