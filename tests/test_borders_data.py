"""Facts about the committed country borders, ``geodata/borders/countries.parquet``.

Reads only the committed file (built by ``scripts/build_borders.py``); no network.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

PARQUET = Path(__file__).resolve().parents[1] / "geodata" / "borders" / "countries.parquet"


@pytest.fixture(scope="module")
def borders() -> gpd.GeoDataFrame:
    return gpd.read_parquet(PARQUET)


@pytest.fixture(scope="module")
def by_iso3(borders: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return borders.set_index("iso3")


def _countries_at(borders: gpd.GeoDataFrame, lon: float, lat: float) -> list[str]:
    hits = borders.sindex.query(shapely.Point(lon, lat), predicate="intersects")
    return sorted(borders["iso3"].iloc[hits])


def test_schema_and_crs(borders: gpd.GeoDataFrame) -> None:
    assert list(borders.columns) == ["iso3", "name", "geometry"]
    assert borders.crs.to_epsg() == 4326
    # 255 Natural Earth units in world-atlas 2.0.2, less the Vatican (collapsed by the
    # source's quantization grid; see geodata/borders/README.md).
    assert len(borders) == 254
    assert borders["iso3"].is_monotonic_increasing


def test_geometries_valid_polygonal_non_empty(borders: gpd.GeoDataFrame) -> None:
    geoms = np.asarray(borders.geometry.values)
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert set(borders.geom_type) <= {"Polygon", "MultiPolygon"}
    xmin, ymin, xmax, ymax = borders.total_bounds
    assert -180 <= xmin and xmax <= 180 and -90 <= ymin and ymax <= 90


def test_iso3_unique_three_upper_case_letters(borders: gpd.GeoDataFrame) -> None:
    assert borders["iso3"].is_unique
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in borders["iso3"])
    assert (borders["name"].str.len() > 0).all()


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("KAZ", "Kazakhstan"), ("KGZ", "Kyrgyzstan"), ("TJK", "Tajikistan"),
        ("TKM", "Turkmenistan"), ("UZB", "Uzbekistan"), ("CHN", "China"),
        ("AZE", "Azerbaijan"), ("GEO", "Georgia"), ("TUR", "Turkey"),
        ("AFG", "Afghanistan"), ("RUS", "Russia"), ("IRN", "Iran"), ("BGR", "Bulgaria"),
        # units without an ISO 3166-1 code of their own get user-assigned X.. codes
        ("XKX", "Kosovo"), ("XBK", "Baikonur"), ("XSG", "Siachen Glacier"),
    ],
)
def test_country_present_with_name(by_iso3: gpd.GeoDataFrame, iso3: str, name: str) -> None:
    assert by_iso3.loc[iso3, "name"] == name


@pytest.mark.parametrize(
    ("place", "lon", "lat", "expected"),
    [
        ("Bishkek", 74.59, 42.87, ["KGZ"]),
        ("Dushanbe", 68.78, 38.56, ["TJK"]),
        ("Kashgar", 75.99, 39.47, ["CHN"]),
        ("Tbilisi", 44.79, 41.72, ["GEO"]),
        ("Baku", 49.87, 40.41, ["AZE"]),
        ("Aktau", 51.2, 43.65, ["KAZ"]),
        ("middle of the Caspian Sea", 50.5, 42.0, []),
        # Chukotka inland on both sides of the antimeridian
        ("Chukotka, 179.9E", 179.9, 68.0, ["RUS"]),
        ("Chukotka, 179.9W", -179.9, 68.0, ["RUS"]),
        ("Chukotka, 174W", -174.0, 66.0, ["RUS"]),
        # Viti Levu interior, Fiji
        ("Viti Levu", 178.0, -17.8, ["FJI"]),
        # Antarctica is closed through the pole, so the pole is inside it
        ("near the South Pole", 0.0, -89.9, ["ATA"]),
    ],
)
def test_point_in_country(borders: gpd.GeoDataFrame, place: str, lon: float, lat: float, expected: list[str]) -> None:
    assert _countries_at(borders, lon, lat) == expected, place


@pytest.mark.parametrize("iso3", ["RUS", "FJI", "USA", "KIR", "NZL"])
def test_no_part_wraps_round_the_globe(by_iso3: gpd.GeoDataFrame, iso3: str) -> None:
    parts = shapely.get_parts(by_iso3.geometry[iso3])
    bounds = shapely.bounds(parts)
    assert (bounds[:, 2] - bounds[:, 0] <= 180.0).all()


def test_only_antarctica_spans_all_longitudes(borders: gpd.GeoDataFrame) -> None:
    parts, index = shapely.get_parts(np.asarray(borders.geometry.values), return_index=True)
    bounds = shapely.bounds(parts)
    wide = bounds[:, 2] - bounds[:, 0] > 180.0
    assert sorted(set(borders["iso3"].iloc[index[wide]])) == ["ATA"]
    assert bounds[wide, 1].min() == -90.0


def test_russia_and_fiji_straddle_the_antimeridian(by_iso3: gpd.GeoDataFrame) -> None:
    for iso3 in ("RUS", "FJI"):
        xmin, _, xmax, _ = by_iso3.geometry[iso3].bounds
        assert xmin == -180.0 and xmax == 180.0


def test_kyrgyzstan_geodesic_area(by_iso3: gpd.GeoDataFrame) -> None:
    # Published total area of Kyrgyzstan: 199,951 km^2 (CIA World Factbook,
    # "Kyrgyzstan - Geography: Area, total"). Ring orientation is counter-clockwise,
    # so pyproj returns a positive area.
    area_m2, _ = pyproj.Geod(ellps="WGS84").geometry_area_perimeter(by_iso3.geometry["KGZ"])
    assert area_m2 > 0
    assert abs(area_m2 / 1e6 - 199_951) / 199_951 < 0.02
