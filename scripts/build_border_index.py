"""Build the shipped analysis index of the bundled borders: geodata/derived/border_index.npz.

The index (countries cut into pieces of at most 64 vertices, like PostGIS ST_Subdivide, plus
the country of every 0.1-degree grid cell that no border passes through) takes some seconds
to build; shipping it makes the first analysis in a process fast. The file records a digest
of geodata/borders/countries.parquet and the build settings: when the borders change, the
library ignores a stale file and builds the index itself until this script is run again.

Usage: python scripts/build_border_index.py
"""

from __future__ import annotations

import time

from corridors.catalog import write_bundled_index

if __name__ == "__main__":
    t0 = time.perf_counter()
    path = write_bundled_index()
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
