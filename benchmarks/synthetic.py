"""Synthetic line sets for the engine benchmark, for users without the GEM corpus.

The lines imitate real infrastructure routes over Eurasia: log-normal lengths (median about
60 km, a few over 1,000 km), vertices every 0.5-3 km, headings that wander slowly, starts
spread over 20-60 N, 25-135 E (so that many lines cross borders and some reach the sea).
Several consecutive lines share a ``corridor_id`` (like the features of one GEM file).

Run ``python benchmarks/synthetic.py 50000 -o lines.parquet`` to write a GeoParquet file.
"""

from __future__ import annotations

import argparse

import geopandas as gpd
import numpy as np
import shapely

KM_PER_DEG = 111.32


def synthetic_lines(n: int, seed: int = 0, lines_per_corridor: int = 7) -> gpd.GeoDataFrame:
    """Make ``n`` random route-like lines over Eurasia.

    Parameters
    ----------
    n : int
        Number of LineStrings.
    seed : int
        Random seed (the same seed gives the same lines).
    lines_per_corridor : int
        Consecutive lines sharing one ``corridor_id``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``corridor_id``, ``name``, ``mode`` ("pipeline"), LineString geometry (EPSG:4326).
    """
    rng = np.random.default_rng(seed)
    length_km = np.clip(rng.lognormal(np.log(60.0), 1.1, n), 2.0, 3000.0)
    step_km = rng.uniform(0.5, 3.0, n)
    nseg = np.maximum(np.ceil(length_km / step_km).astype(np.intp), 1)
    nvert = nseg + 1
    line = np.repeat(np.arange(n), nvert)
    first = np.r_[0, np.cumsum(nvert)[:-1]]
    pos = np.arange(nvert.sum()) - np.repeat(first, nvert)  # vertex number within its line
    heading = np.repeat(rng.uniform(0, 2 * np.pi, n), nvert)
    wander = rng.normal(0.0, 0.08, len(line))
    wander[pos == 0] = 0.0
    heading += np.cumsum(wander) - np.repeat(np.cumsum(wander)[first], nvert)
    step = np.where(pos == 0, 0.0, np.repeat(step_km, nvert))
    lat0 = np.repeat(rng.uniform(20.0, 60.0, n), nvert)
    lon0 = np.repeat(rng.uniform(25.0, 135.0, n), nvert)
    dy = step * np.cos(heading) / KM_PER_DEG
    dx = step * np.sin(heading) / (KM_PER_DEG * np.cos(np.radians(lat0)))
    y = lat0 + np.cumsum(dy) - np.repeat(np.cumsum(dy)[first] - dy[first], nvert)
    x = lon0 + np.cumsum(dx) - np.repeat(np.cumsum(dx)[first] - dx[first], nvert)
    y = np.clip(y, -89.0, 89.0)
    x = (x + 180.0) % 360.0 - 180.0
    geoms = shapely.linestrings(np.column_stack([x, y]), indices=line)
    corridor = np.arange(n) // max(lines_per_corridor, 1)
    return gpd.GeoDataFrame({
        "corridor_id": np.char.add("syn-", corridor.astype(str)).astype(object),
        "name": np.char.add("line ", np.arange(n).astype(str)).astype(object),
        "mode": "pipeline",
    }, geometry=geoms, crs="EPSG:4326")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of lines")
    parser.add_argument("-o", "--output", required=True, help="GeoParquet file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    gdf = synthetic_lines(args.n, args.seed)
    gdf.to_parquet(args.output)
    print(f"{len(gdf)} lines, {shapely.get_num_coordinates(gdf.geometry.values).sum()} vertices -> {args.output}")


if __name__ == "__main__":
    main()
