"""Peak memory of :func:`corridors.read` on a file where every feature has a property key of its own.

The hostile case of issue 11: a 4.7 MB GeoJSON of 30,000 features, each with its own
property key, took 12 GB to read, because the property table had one column per key
(30,000 x 30,000 cells). The table is now bounded by ``corridors.io.CELL_BUDGET`` cells: the
rarest keys are kept together, per feature, as JSON text in one column.

Each case is read in a fresh process; its peak resident memory is that process's VmHWM.
The baseline is the same number of features with one shared key, read in the same run,
so the figure that matters is the ratio (own keys / shared key), with a budget of 3x.

Usage::

    python benchmarks/bench_memory.py               # 30,000 features
    python benchmarks/bench_memory.py --features 60000

Prints a table and writes ``benchmarks/results/memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Most peak memory a read of the own-keys file may take, as a multiple of the shared-key read.
BUDGET_RATIO = 3.0


def _vmhwm_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _make(path: Path, n: int, own_keys: bool) -> None:
    feats = [{"type": "Feature", "properties": {(f"k{i}" if own_keys else "k"): i},
              "geometry": {"type": "LineString", "coordinates": [[70 + i * 1e-4, 40.0], [71.0, 41.0]]}}
             for i in range(n)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")


def _child(path: str) -> None:
    import warnings

    warnings.simplefilter("ignore")
    import corridors

    base = _vmhwm_mb()
    t0 = time.perf_counter()
    gdf = corridors.read(path)
    print(json.dumps({"seconds": time.perf_counter() - t0, "peak_mb": _vmhwm_mb(), "import_mb": base,
                      "rows": len(gdf), "columns": gdf.shape[1]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=30_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case, own in (("shared key", False), ("own keys", True)):
            path = Path(tmp) / f"{case.replace(' ', '-')}.geojson"
            _make(path, args.features, own)
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,
                                 text=True, check=True)
            results[case] = json.loads(out.stdout.strip().splitlines()[-1])
            results[case]["file_mb"] = path.stat().st_size / 2**20
    ratio = results["own keys"]["peak_mb"] / results["shared key"]["peak_mb"]
    print(f"{'case':<12} {'file MB':>8} {'read s':>7} {'peak MB':>8} {'columns':>8}")
    for case, r in results.items():
        print(f"{case:<12} {r['file_mb']:8.1f} {r['seconds']:7.2f} {r['peak_mb']:8.0f} {r['columns']:8d}")
    print(f"own keys / shared key peak memory: {ratio:.2f} (budget {BUDGET_RATIO:.0f}x); "
          f"load {os.getloadavg()[0]:.2f}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "memory.json").write_text(json.dumps(
        {"features": args.features, "cases": results, "ratio": ratio, "budget_ratio": BUDGET_RATIO}, indent=2))
    if ratio > BUDGET_RATIO:
        sys.exit(f"over budget: {ratio:.2f} > {BUDGET_RATIO}")


if __name__ == "__main__":
    main()
