"""Benchmark of :func:`corridors.read` on a directory of thousands of GeoJSON files.

Measured on the GEM pipeline-route corpus (``../shared/data/gem-pipeline-routes.tar.gz``,
6,769 files, about 48k lines and 3.4M positions), extracted once into a temporary directory,
or on any directory given with ``--dir``. Stages, each in a fresh subprocess so that its
peak memory (``ru_maxrss``) is its own:

1. floor: ``json.loads`` of every file and nothing else (the least any reader must do);
2. read: ``corridors.read(dir, on_error="skip")`` -- parsing, checking every feature,
   building the geometries and the property table;
3. geopandas: ``geopandas.read_file`` (pyogrio/GDAL) of every file and one ``pandas.concat``,
   a user's usual way (it checks nothing and does not transform legacy CRSs), on the first
   ``--sample`` files, against ``read`` on the same files.

Prints a table and writes ``benchmarks/results/read.json``.

Usage::

    python benchmarks/bench_read.py              # the GEM corpus
    python benchmarks/bench_read.py --dir DIR    # any directory of GeoJSON files
    python benchmarks/bench_read.py --synthetic 48000 --compare-sample 0   # no corpus needed
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


def _files(root: Path, sample: int | None) -> list[Path]:
    files = sorted(root.rglob("*.geojson"))
    return files[:sample] if sample else files


def _stage(stage: str, root: Path, sample: int | None) -> dict:
    """Run one stage in this process; return its timing and what it produced."""
    warnings.simplefilter("ignore")
    if stage == "floor":
        files = _files(root, sample)
        t0 = time.perf_counter()
        n = sum(len(json.loads(f.read_bytes()).get("features") or [1]) for f in files)
        return {"seconds": time.perf_counter() - t0, "features_parsed": n, "files": len(files)}
    if stage == "read":
        import shapely

        import corridors

        target = root
        if sample:  # the same first files, through a directory of links
            target = Path(tempfile.mkdtemp(prefix="bench-read-"))
            for f in _files(root, sample):
                (target / f.name).symlink_to(f)
        t0 = time.perf_counter()
        gdf = corridors.read(target, on_error="skip")
        dt = time.perf_counter() - t0
        return {"seconds": dt, "lines": len(gdf), "columns": gdf.shape[1],
                "positions": int(shapely.get_num_coordinates(gdf.geometry.to_numpy()).sum()),
                "skipped": len(gdf.attrs["skipped"])}
    if stage == "geopandas":
        import geopandas as gpd
        import pandas as pd

        files = _files(root, sample)
        t0 = time.perf_counter()
        frames = []
        for f in files:
            try:
                frames.append(gpd.read_file(f, engine="pyogrio"))
            except Exception:  # the usual way has no error handling to speak of
                pass
        gdf = pd.concat(frames, ignore_index=True)
        return {"seconds": time.perf_counter() - t0, "rows": len(gdf), "files": len(files)}
    raise ValueError(stage)


def _write_synthetic(n: int, root: Path) -> None:
    """``n`` synthetic route lines (``benchmarks/synthetic.py``), one GeoJSON file per corridor."""
    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_lines

    import corridors

    gdf = synthetic_lines(n, seed=0)
    for cid, group in gdf.groupby("corridor_id", sort=True):
        corridors.write(group.drop(columns="corridor_id"), root / f"{cid}.geojson")


def _run(stage: str, root: Path, sample: int | None) -> dict:
    cmd = [sys.executable, __file__, "--stage", stage, "--dir", str(root)]
    if sample:
        cmd += ["--sample", str(sample)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, help="directory of GeoJSON files (default: the GEM corpus)")
    ap.add_argument("--tarball", type=Path, default=DEFAULT_GEM)
    ap.add_argument("--synthetic", type=int, metavar="N",
                    help="benchmark on N synthetic lines written as GeoJSON files (no corpus needed)")
    ap.add_argument("--sample", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--compare-sample", type=int, default=1000,
                    help="files for the geopandas comparison (default 1000; 0 skips it)")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage == "synthetic":
        _write_synthetic(args.sample, args.dir)
        return
    if args.stage:
        result = _stage(args.stage, args.dir, args.sample)
        result["peak_mb"] = round(_peak_mb(), 1)
        print(json.dumps(result))
        return
    tmp = None
    root = args.dir
    if args.synthetic:
        tmp = tempfile.TemporaryDirectory(prefix="synthetic-read-")
        root = Path(tmp.name)
        # in a subprocess, so that this process stays small (children inherit its peak RSS)
        subprocess.run([sys.executable, __file__, "--stage", "synthetic", "--dir", str(root),
                        "--sample", str(args.synthetic)], check=True)
    elif root is None:
        if not args.tarball.exists():
            sys.exit(f"no corpus: {args.tarball} not found; give --dir")
        tmp = tempfile.TemporaryDirectory(prefix="gem-")
        with tarfile.open(args.tarball) as tar:
            tar.extractall(tmp.name, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        root = Path(tmp.name)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "floor": _run("floor", root, None),
        "read": _run("read", root, None),
    }
    results["read_vs_floor"] = results["read"]["seconds"] / results["floor"]["seconds"]
    if args.compare_sample:
        results["geopandas_sample"] = _run("geopandas", root, args.compare_sample)
        results["read_sample"] = _run("read", root, args.compare_sample)
        results["geopandas_vs_read_sample"] = (results["geopandas_sample"]["seconds"]
                                               / results["read_sample"]["seconds"])
    (HERE / "results").mkdir(exist_ok=True)
    write_text(HERE / "results" / "read.json", json.dumps(results, indent=2) + "\n", make_parents=True)
    f, r = results["floor"], results["read"]
    print(f"files: {f['files']}, lines read: {r['lines']}, positions: {r['positions']}, skipped: {r['skipped']}, "
          f"columns: {r['columns']}")
    print(f"{'stage':<34}{'seconds':>9}{'peak MB':>9}")
    print(f"{'floor (json.loads of every file)':<34}{f['seconds']:>9.1f}{f['peak_mb']:>9.0f}")
    print(f"{'corridors.read, on_error=skip':<34}{r['seconds']:>9.1f}{r['peak_mb']:>9.0f}")
    print(f"read / floor = {results['read_vs_floor']:.2f}x")
    if args.compare_sample:
        g, rs = results["geopandas_sample"], results["read_sample"]
        print(f"{'geopandas.read_file x ' + str(g['files']) + ' + concat':<34}{g['seconds']:>9.1f}{g['peak_mb']:>9.0f}")
        print(f"{'corridors.read, same files':<34}{rs['seconds']:>9.1f}{rs['peak_mb']:>9.0f}")
        print(f"geopandas / read on the sample = {results['geopandas_vs_read_sample']:.2f}x")
    print(f"load average {results['machine']['load_average'][0]:.1f} on {results['machine']['cpus']} cores")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
