"""Large line sets: the in-memory engine in bounded memory, then the same tables on dask.

Run:  python examples/large_lines.py [N_LINES]        (default 30,000 synthetic lines)

1. Makes N route-like lines over Eurasia with the project's generator (benchmarks/synthetic.py;
   use ``corridors.read("folder/")`` for your own files instead).
2. Measures them in memory. Inputs of more than ``corridors.analysis.BATCH_VERTICES`` vertices
   are analysed in batches of whole corridors; a ``progress`` callable sees the batches.
3. If the ``dask`` extra is installed (``pip install ".[dask]"``), measures them again on a
   two-worker ``distributed.LocalCluster`` and checks the tables are the same. To use an existing
   cluster instead, create ``Client("tcp://scheduler-host:8786")``.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import shapely

import corridors
from corridors.analysis import BATCH_VERTICES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import synthetic_lines  # noqa: E402


def report_batches(batches):
    """A minimal progress callable: say how many batches there are, then pass them on."""
    batches = list(batches)
    print(f"in memory: {len(batches)} batch(es) of whole corridors, at most {BATCH_VERTICES:,} vertices each")
    return batches


def main() -> int:
    # random lines wander into the oceans: expected here, so the warning that says so is silenced
    warnings.simplefilter("ignore", corridors.OutsideCountriesWarning)
    # dask warns that a frame built in memory makes a large task graph; real data would be read
    # by the workers themselves: dask_geopandas.read_parquet("routes/*.parquet")
    warnings.filterwarnings("ignore", message="Sending large graph")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    lines = synthetic_lines(n, seed=1)
    vertices = int(shapely.get_num_coordinates(lines.geometry.values).sum())
    print(f"{len(lines):,} lines, {vertices:,} vertices, {lines['corridor_id'].nunique():,} corridors")

    start = time.perf_counter()
    table = corridors.lengths_by_country(lines, progress=report_batches)
    crossings = corridors.border_crossings(lines)  # the same run's tables: no second overlay
    print(f"in memory: {len(table):,} corridor/country rows, {len(crossings):,} crossings, "
          f"{table['length_km'].sum():,.0f} km in {time.perf_counter() - start:.1f} s")
    print(table.groupby("country")["length_km"].sum().sort_values(ascending=False).head(5).round(0).to_string())

    try:
        import dask_geopandas
        from distributed import Client, LocalCluster
    except ImportError:
        print('dask: not installed (pip install ".[dask]")')
        return 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster):
        start = time.perf_counter()
        parts = dask_geopandas.from_geopandas(lines, npartitions=4)
        on_dask = corridors.lengths_by_country(parts)
        print(f"dask: {len(on_dask):,} rows in {time.perf_counter() - start:.1f} s (2 local workers)")
    same = (on_dask[["corridor_id", "iso3"]].equals(table[["corridor_id", "iso3"]])
            and np.allclose(on_dask["length_km"], table["length_km"], rtol=1e-9, atol=0.0))
    print(f"dask tables equal the in-memory ones: {same}")
    return 0 if same else 1


if __name__ == "__main__":  # dask's worker processes import this file: the work runs only here
    sys.exit(main())
