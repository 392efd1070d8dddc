"""Two installed versions of corridors, side by side in one run: read, engine and scaling.

For a change that must not slow anything down (a restructuring, say), the same three jobs
run under two Python interpreters, each with its own installed version, every job in a
fresh process, alternating in rounds so that both versions share the machine's load:

- ``read``: :func:`corridors.read` of the GEM corpus folder (about 5,400 GeoJSON files);
- ``engine``: :func:`corridors.lengths_by_country` then :func:`corridors.border_crossings` of
  the corpus (the lines read from GeoParquet before the timer starts; the bundled border
  index loaded before it too);
- ``scaling``: the same two calls on synthetic lines (``--synthetic``, 200,000 by default:
  many batches of whole corridors).

Each job reports its wall time, CPU time and peak resident memory (``VmHWM``, the whole
process). The best time of each job and version, the after/before ratio of every round
and the machine's load are printed and written to ``benchmarks/results/versions.json``.

Usage::

    python benchmarks/bench_versions.py --before /path/to/old/venv/bin/python \\
        --after /path/to/new/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from corridors._atomic import write_text  # the project's one atomic writer (temp file + rename)

HERE = Path(__file__).resolve().parent
DEFAULT_GEM = HERE.parent.parent / "shared" / "data" / "gem-pipeline-routes.tar.gz"

CHILD = r"""
import json, os, sys, time, warnings
from pathlib import Path

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0

job, arg = sys.argv[1], sys.argv[2]
import geopandas as gpd
import corridors
warnings.simplefilter("ignore")
if job == "read":
    t0, c0 = time.perf_counter(), time.process_time()
    gdf = corridors.read(arg, on_error="skip")
    rows = len(gdf)
else:
    lines = gpd.read_parquet(arg)
    try:
        from corridors.catalog import bundled_index
    except ImportError:  # before the bundled index moved to the catalog
        from corridors.border_index import bundled_index
    bundled_index()
    Path("/proc/self/clear_refs").write_text("5")
    t0, c0 = time.perf_counter(), time.process_time()
    table = corridors.lengths_by_country(lines)
    cross = corridors.border_crossings(lines)
    rows = len(table) + len(cross)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
                  "peak_mb": status("VmHWM"), "rows": rows, "version": corridors.__version__,
                  "module": corridors.__file__}))
"""


def _child(python: str, job: str, arg: str) -> dict:
    done = subprocess.run([python, "-c", CHILD, job, arg], capture_output=True, text=True, check=False,
                          cwd=tempfile.gettempdir())
    if done.returncode:
        raise SystemExit(f"{python} {job} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="Python of the old version")
    ap.add_argument("--after", default=sys.executable, help="Python of the new version (default: this one)")
    ap.add_argument("--gem", type=Path, default=DEFAULT_GEM, help="GEM tarball")
    ap.add_argument("--synthetic", type=int, default=200_000, help="synthetic lines of the scaling job")
    ap.add_argument("--repeat", type=int, default=3, help="rounds")
    ap.add_argument("--jobs", nargs="+", default=["read", "engine", "scaling"])
    ap.add_argument("-o", "--output", type=Path, default=HERE / "results" / "versions.json")
    args = ap.parse_args()

    import warnings

    import corridors

    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_lines

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "gem"
        with tarfile.open(args.gem) as tar:
            tar.extractall(folder, filter="data")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gem = corridors.read(folder, on_error="skip")
        gem = gem[["corridor_id", "branch", "geometry"]].copy()
        gem.attrs = {}
        gem.to_parquet(work / "gem.parquet")
        synthetic_lines(args.synthetic, seed=0).to_parquet(work / "synthetic.parquet")
        inputs = {"read": str(folder), "engine": str(work / "gem.parquet"), "scaling": str(work / "synthetic.parquet")}
        runs: dict[str, dict[str, list[dict]]] = {j: {"before": [], "after": []} for j in args.jobs}
        load = []
        for r in range(args.repeat):
            for job in args.jobs:
                order = ("before", "after") if r % 2 == 0 else ("after", "before")
                for which in order:
                    runs[job][which].append(_child(getattr(args, which), job, inputs[job]))
            load.append(os.getloadavg())
            print(f"round {r + 1}: load {load[-1][0]:.2f}", flush=True)
    result: dict = {"repeat": args.repeat, "load_avg": load, "cpus": os.cpu_count(), "jobs": {}}
    print(f"{'job':8} {'version':7} {'best s':>7} {'cpu s':>7} {'peak MB':>8}   rounds (s)")
    for job, by in runs.items():
        entry: dict = {}
        for which, rs in by.items():
            best = min(rs, key=lambda x: x["seconds"])
            entry[which] = {"best_s": round(best["seconds"], 3), "cpu_s": round(best["cpu_seconds"], 3),
                            "peak_mb": round(max(x["peak_mb"] for x in rs), 1),
                            "seconds": [round(x["seconds"], 3) for x in rs], "rows": rs[0]["rows"],
                            "version": rs[0]["version"]}
            print(f"{job:8} {which:7} {best['seconds']:7.2f} {best['cpu_seconds']:7.2f} "
                  f"{entry[which]['peak_mb']:8.0f}   {entry[which]['seconds']}")
        if entry["before"]["rows"] != entry["after"]["rows"]:
            print(f"  {job}: row counts differ: {entry['before']['rows']} vs {entry['after']['rows']}")
        ratios = [a["seconds"] / b["seconds"] for a, b in zip(by["after"], by["before"])]
        entry["after_over_before_per_round"] = [round(x, 3) for x in ratios]
        entry["peak_after_over_before"] = round(entry["after"]["peak_mb"] / entry["before"]["peak_mb"], 3)
        print(f"  {job}: after / before per round {entry['after_over_before_per_round']}, "
              f"peak {entry['peak_after_over_before']}")
        result["jobs"][job] = entry
    write_text(args.output, json.dumps(result, indent=1) + "\n", [args.gem], make_parents=True)


if __name__ == "__main__":
    main()
