"""Scaling benchmark: in-memory against dask, from 1k to 1M lines.

Sizes: the first 1,000 and 10,000 lines and all (about 48,000) of the GEM pipeline-route
corpus (``../shared/data/gem-pipeline-routes.tar.gz``), and synthetic line sets from
``benchmarks/synthetic.py`` (100,000 and 1,000,000 lines by default). For every size and
backend one fresh subprocess:

- ``memory``: reads the GeoParquet file with geopandas, then calls
  :func:`corridors.lengths_by_country` and :func:`corridors.border_crossings` (inputs over
  ``corridors.analysis.BATCH_VERTICES`` vertices are analysed in batches of whole corridors);
- ``memory-whole`` (not run by default): the same with batching off, one overlay of the
  whole input, for comparison;
- ``dask``: starts ``distributed.LocalCluster(n_workers=W, threads_per_worker=1)``,
  scatters the border index (timed apart: once per client), reads the partitioned
  GeoParquet with ``dask_geopandas.read_parquet`` and ``persist()``s it, then makes the
  same two calls on the dask frame.

Peak memory is each process's own peak resident set (``VmHWM``): the run's process for ``memory`` (also
noted after reading the input, ``read_peak_mb``, and then reset, so that ``analysis_peak_mb``
is the peak during the two calls, with the input, ``input_mb`` resident, held); for
``dask`` the client process (which also hosts the scheduler) and every worker (read with
``Client.run`` at the end). Time per line and per 1,000 vertices show whether the cost
grows linearly. Results go to stdout and ``benchmarks/results/scaling.json``.

Usage::

    nice python benchmarks/bench_scaling.py                       # every size
    nice python benchmarks/bench_scaling.py --sizes gem-1k syn-100k --backends dask
    nice python benchmarks/bench_scaling.py --sizes gem-48k syn-100k --backends memory-whole

Each run replaces the earlier record of its size and backend in the output file; the others
are kept.
"""

from __future__ import annotations

import argparse
import json
import math
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
#: Size name -> (source, number of lines; None: all).
SIZES: dict[str, tuple[str, int | None]] = {
    "gem-1k": ("gem", 1_000),
    "gem-10k": ("gem", 10_000),
    "gem-48k": ("gem", None),
    "syn-100k": ("syn", 100_000),
    "syn-1m": ("syn", 1_000_000),
}
#: Lines per dask partition (and per GeoParquet file of the partitioned copy).
PARTITION_LINES = 25_000
#: Synthetic lines are generated in chunks of this many, to bound the generator's memory.
SYN_CHUNK = 100_000


def _status_mb(field: str = "VmHWM") -> float | None:
    """A memory field of ``/proc/self/status`` in MB (None where there is none: not Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return None


def _peak_mb() -> float:
    """This process's peak resident memory, MB: ``VmHWM`` of ``/proc/self/status``.

    Not ``ru_maxrss``: on Linux it survives fork and exec, so a run started by a driver that
    had just prepared a large data set reported the driver's peak (1,212 MB for 1,000 lines).
    """
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _reset_peak() -> bool:
    """Reset ``VmHWM`` to the current resident size (Linux >= 4.0); False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _run(backend: str, data: str, workers: int) -> dict:
    """One measured run in this (fresh) process."""
    import geopandas as gpd

    import corridors
    from corridors.catalog import bundled_index

    warnings.simplefilter("ignore")
    out: dict = {}
    t = time.perf_counter()
    index = bundled_index()
    out["index_s"] = time.perf_counter() - t
    if backend == "memory-whole":  # the unbatched overlay, for comparison
        from corridors import analysis

        analysis.BATCH_VERTICES = 2**62
    if backend.startswith("memory"):
        t = time.perf_counter()
        lines = gpd.read_parquet(Path(data) / "lines.parquet")
        out["read_s"] = time.perf_counter() - t
        out["read_peak_mb"] = _peak_mb()  # the peak so far: reading the input
        out["input_mb"] = _status_mb("VmRSS")  # resident after reading: holding the input
        reset = _reset_peak()
        frame = lines
    else:
        import dask_geopandas
        from distributed import Client, LocalCluster

        from corridors.distributed import _broadcast

        t = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=0)
        client = Client(cluster)
        out["cluster_s"] = time.perf_counter() - t
        t = time.perf_counter()
        _broadcast(index)
        out["scatter_s"] = time.perf_counter() - t
        t = time.perf_counter()
        frame = dask_geopandas.read_parquet(Path(data) / "parts").persist()
        from distributed import wait

        wait(frame)
        out["read_s"] = time.perf_counter() - t
        out["partitions"] = frame.npartitions
    t = time.perf_counter()
    table = corridors.lengths_by_country(frame, index)
    out["lengths_s"] = time.perf_counter() - t
    t = time.perf_counter()
    cross = corridors.border_crossings(frame, index)
    out["crossings_s"] = time.perf_counter() - t
    out["rows"] = len(table)
    out["crossings"] = len(cross)
    out["total_km"] = float(table["length_km"].sum())
    if backend.startswith("memory"):
        if reset:  # the analysis' own peak, the input held
            out["analysis_peak_mb"] = _peak_mb()
        out["peak_mb"] = max(out["read_peak_mb"], _peak_mb())
    else:
        worker_peaks = client.run(_peak_mb)
        out["client_peak_mb"] = _peak_mb()
        out["worker_peak_mb"] = sorted(worker_peaks.values())
        out["peak_mb"] = out["client_peak_mb"] + sum(out["worker_peak_mb"])
        client.close()
        cluster.close()
    return out


def _prepare(size: str, work: Path, gem_tar: Path) -> Path | None:
    """Write ``lines.parquet`` and the partitioned ``parts/`` for one size; return its folder."""
    import dask_geopandas
    import geopandas as gpd
    import pandas as pd
    import shapely

    source, n = SIZES[size]
    folder = work / size
    if (folder / "meta.json").exists():
        return folder
    if source == "gem":
        cache = work / "gem-all.parquet"
        if not cache.exists():
            if not gem_tar.exists():
                print(f"{size}: GEM corpus not found at {gem_tar}; skipped")
                return None
            import corridors

            with tempfile.TemporaryDirectory() as tmp:
                with tarfile.open(gem_tar) as tar:
                    tar.extractall(tmp, filter="data")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    gdf = corridors.read(tmp, on_error="skip")
            gdf.attrs = {}
            gdf[["corridor_id", "segment_id", "branch", "geometry"]].to_parquet(cache)
        gdf = gpd.read_parquet(cache)
        gdf = gdf.iloc[:n] if n else gdf
    else:
        sys.path.insert(0, str(HERE))
        from synthetic import synthetic_lines

        chunks = []
        for k, start in enumerate(range(0, n, SYN_CHUNK)):
            chunk = synthetic_lines(min(SYN_CHUNK, n - start), seed=k)
            chunk["corridor_id"] = f"c{k}-" + chunk["corridor_id"].astype(str)
            chunks.append(chunk)
        gdf = gpd.GeoDataFrame(pd.concat(chunks, ignore_index=True), crs="EPSG:4326")
    gdf = gdf.reset_index(drop=True)
    folder.mkdir(parents=True, exist_ok=True)
    gdf.to_parquet(folder / "lines.parquet")
    nparts = max(2, math.ceil(len(gdf) / PARTITION_LINES))
    dask_geopandas.from_geopandas(gdf, npartitions=nparts).to_parquet(folder / "parts")
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    (folder / "meta.json").write_text(json.dumps({"lines": len(gdf), "vertices": vertices,
                                                   "corridors": int(gdf["corridor_id"].nunique())}))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--backends", nargs="+", default=["memory", "dask"], choices=["memory", "memory-whole", "dask"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gem", type=Path, default=DEFAULT_GEM)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "corridors-bench-scaling")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "scaling.json")
    parser.add_argument("--run", nargs=3, metavar=("BACKEND", "DATA", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(args.run[0], args.run[1], int(args.run[2]))))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    results = {r["size"] + "/" + r["backend"]: r for r in previous.get("runs", [])}
    for size in args.sizes:
        folder = _prepare(size, args.work, args.gem)
        if folder is None:
            continue
        for backend in args.backends:
            cmd = [sys.executable, __file__, "--run", backend, str(folder), str(args.workers)]
            t = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=False)
            except subprocess.TimeoutExpired:
                record = {"error": f"timed out after {args.timeout:.0f} s"}
            else:
                if proc.returncode:
                    record = {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else
                              f"exit code {proc.returncode}"}
                else:
                    record = json.loads(proc.stdout.strip().splitlines()[-1])
            record.update(json.loads((folder / "meta.json").read_text()))
            record.update(size=size, backend=backend, wall_s=time.perf_counter() - t)
            if "lengths_s" in record:
                record["analysis_s"] = record["lengths_s"] + record["crossings_s"]
            results[f"{size}/{backend}"] = record
            print(json.dumps(record), flush=True)
            _write(args, results)
    _write(args, results)


def _write(args: argparse.Namespace, results: dict) -> None:
    runs = list(results.values())
    for r in runs:  # per-line and per-vertex cost, so that linear growth shows as a flat number
        if "analysis_s" in r:
            r["us_per_line"] = 1e6 * r["analysis_s"] / r["lines"]
            r["us_per_1k_vertices"] = 1e9 * r["analysis_s"] / r["vertices"]
    write_text(args.output, json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "workers": args.workers,
        "partition_lines": PARTITION_LINES,
        "runs": sorted(runs, key=lambda r: (list(SIZES).index(r["size"]), r["backend"])),
    }, indent=1) + "\n", [args.gem], make_parents=True)


if __name__ == "__main__":
    main()
