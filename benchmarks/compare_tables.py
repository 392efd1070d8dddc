"""Before/after check of the engine: the per-country and crossing tables of two versions agree.

``dump`` writes, with whichever ``corridors`` the running interpreter imports, the
:func:`corridors.lengths_by_country` and :func:`corridors.border_crossings` tables of the
bundled corridors and (if given) of a GeoParquet of lines such as the GEM corpus, plus each
corridor's vertex count, to a folder. ``compare`` reads two such folders and checks that they
hold the same rows in the same order (corridors, countries, crossings, their order) and that
every length and crossing km differs by no more than the stated bound of the short-segment
geodesic (:data:`corridors.geodesy.SHORT_REL_ERROR` of the corridor's length plus
:data:`corridors.geodesy.SHORT_ABS_ERROR` per vertex). Exit status 1 if not.

Usage::

    python benchmarks/compare_tables.py dump before/ --lines gem.parquet   # with the old version
    python benchmarks/compare_tables.py dump after/ --lines gem.parquet    # with the new one
    python benchmarks/compare_tables.py compare before/ after/
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: The bound, as stated in corridors.geodesy (repeated so that an old version can be dumped).
REL, ABS_M = 1e-7, 1e-8


def dump(folder: Path, lines: str | None) -> None:
    import geopandas as gpd
    import shapely

    import corridors

    folder.mkdir(parents=True, exist_ok=True)
    inputs = {"bundled": corridors.load_all()}
    if lines:
        inputs["lines"] = gpd.read_parquet(lines)
    for name, gdf in inputs.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = corridors.lengths_by_country(gdf)
            cross = corridors.border_crossings(gdf)
        table.to_csv(folder / f"{name}-lengths.csv", index=False, float_format="%.17g")
        pd.DataFrame(cross.drop(columns="geometry")).to_csv(folder / f"{name}-crossings.csv", index=False,
                                                             float_format="%.17g")
        n = shapely.get_num_coordinates(gdf.geometry.values)
        pd.Series(n, index=gdf["corridor_id"].astype(str).to_numpy()).groupby(level=0).sum().rename(
            "vertices").to_csv(folder / f"{name}-vertices.csv", index_label="corridor_id")
        print(f"{name}: {len(table)} length rows, {len(cross)} crossings -> {folder}")


def _allowed_km(ids: pd.Series, total_km: pd.Series, vertices: pd.Series) -> np.ndarray:
    """Largest allowed difference (km) for rows of these corridors."""
    return (REL * total_km.reindex(ids).to_numpy() + ABS_M * vertices.reindex(ids).to_numpy() / 1000.0)


def compare(before: Path, after: Path) -> bool:
    ok = True
    for name in sorted({p.name.split("-")[0] for p in before.glob("*-lengths.csv")}):
        read = {k: {w: pd.read_csv(d / f"{name}-{k}.csv", keep_default_na=False, dtype={"corridor_id": str})
                    for w, d in (("before", before), ("after", after))} for k in ("lengths", "crossings")}
        vertices = pd.read_csv(before / f"{name}-vertices.csv", dtype={"corridor_id": str},
                               keep_default_na=False).set_index("corridor_id")["vertices"]
        a, b = read["lengths"]["before"], read["lengths"]["after"]
        total = a.groupby("corridor_id")["length_km"].sum()
        keys = ["corridor_id", "iso3", "country"]
        same = len(a) == len(b) and a[keys].equals(b[keys])
        diff = np.abs(a["length_km"].to_numpy() - b["length_km"].to_numpy()) if same else np.array([np.inf])
        allowed = _allowed_km(a["corridor_id"], total, vertices) if same else np.array([0.0])
        within = bool(np.all(diff <= allowed))
        print(f"{name} lengths: {len(a)} rows before, {len(b)} after; same rows in the same order: {same}; "
              f"largest difference {diff.max():.3g} km ({np.max(diff / np.maximum(allowed, 1e-300)):.3g} of the bound)"
              f"; within the bound: {within}")
        ok &= same and within
        a, b = read["crossings"]["before"], read["crossings"]["after"]
        keys = ["corridor_id", "branch", "seq", "part", "from_iso3", "to_iso3", "checkpoint"]
        same = len(a) == len(b) and a[keys].astype(str).equals(b[keys].astype(str))
        diff = np.abs(a["km"].to_numpy() - b["km"].to_numpy()) if same else np.array([np.inf])
        allowed = _allowed_km(a["corridor_id"], total, vertices) if same else np.array([0.0])
        within = bool(np.all(diff <= allowed)) if len(a) else True
        print(f"{name} crossings: {len(a)} before, {len(b)} after; same crossings in the same order: {same}; "
              f"largest km difference {diff.max() if len(diff) else 0:.3g}; within the bound: {within}")
        ok &= same and within
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("folder", type=Path)
    d.add_argument("--lines", help="a GeoParquet of lines (e.g. the GEM corpus) besides the bundled corridors")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.folder, args.lines)
    elif not compare(args.before, args.after):
        sys.exit(1)


if __name__ == "__main__":
    main()
