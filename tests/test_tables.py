"""Tables a user can publish as they are (issue 13): branches, sovereign states, same-country
gaps, the border tolerance, rounding.

Expected values are worked out independently of the engine: meridian arcs from the series in
``test_geodesy`` on synthetic borders whose edges lie on parallels, GeographicLib (pyproj.Geod)
lengths of the raw segments, and a point-in-polygon walk along the geodesic in 10 m steps
against the raw border polygons (no border index, no overlay).
"""

from __future__ import annotations

import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from test_geodesy import meridian_arc_m as arc

import corridors
from corridors.analysis import border_crossings, length_km, lengths_by, lengths_by_country, transfers
from corridors.profiles import profile

GEOD = Geod(ellps="WGS84")


def lines(geoms, **cols) -> gpd.GeoDataFrame:
    n = len(geoms)
    data = {"corridor_id": cols.pop("corridor_id", ["t"] * n), **cols}
    return gpd.GeoDataFrame(data, geometry=list(geoms), crs="EPSG:4326")


def km(lat0: float, lat1: float) -> float:
    """Meridian arc between two latitudes, km."""
    return abs(arc(lat1) - arc(lat0)) / 1000.0


def geod_km(gdf: gpd.GeoDataFrame) -> float:
    return sum(GEOD.geometry_length(g) for g in gdf.geometry) / 1000.0


# ----------------------------------------------------------------------------- branches


def test_corridor_length_is_its_main_line() -> None:
    main = shapely.LineString([(100.0, 45.0), (100.0, 44.0)])  # Mongolia
    alt = shapely.LineString([(100.0, 44.0), (100.0, 40.0)])  # an alternative into China
    gdf = lines([main, alt], branch=["main", "alt"])
    assert length_km(gdf).to_dict() == {"t": pytest.approx(km(45, 44), abs=1e-6)}
    per = length_km(gdf, by_branch=True)
    assert per[("t", "main")] == pytest.approx(km(45, 44), abs=1e-6)
    assert per[("t", "alt")] == pytest.approx(km(44, 40), abs=1e-6)
    table = lengths_by_country(gdf)
    assert table[["iso3", "share"]].values.tolist() == [["MNG", 1.0]]
    assert table["length_km"].iloc[0] == pytest.approx(km(45, 44), abs=1e-3)
    split = lengths_by_country(gdf, by_branch=True)
    assert split[["branch", "iso3"]].values.tolist() == [["main", "MNG"], ["alt", "MNG"], ["alt", "CHN"]]
    assert split.groupby("branch", sort=False)["length_km"].sum().to_numpy() == pytest.approx(
        [km(45, 44), km(44, 40)], abs=1e-3)
    modes = lengths_by(gdf.assign(mode="rail"), "mode")
    assert modes["length_km"].tolist() == pytest.approx([km(45, 44)], abs=1e-6)
    assert lengths_by(gdf, "branch")["branch"].tolist() == ["main", "alt"]


def test_a_corridor_without_a_main_branch_is_measured_whole() -> None:
    gdf = lines([shapely.LineString([(100.0, 45.0), (100.0, 44.0)]),
                 shapely.LineString([(101.0, 45.0), (101.0, 44.0)])], branch=["north", "south"])
    assert length_km(gdf).iloc[0] == pytest.approx(2 * km(45, 44), abs=1e-6)


def test_trans_caspian_main_line_and_branches_agree_everywhere() -> None:
    gdf = corridors.load("trans-caspian")
    main_km = geod_km(gdf[gdf["branch"] == "main"])  # GeographicLib on the raw segments
    assert length_km(gdf).iloc[0] == pytest.approx(main_km, rel=1e-9)
    p = profile("trans-caspian")
    assert p.length_km == pytest.approx(main_km, rel=1e-9)
    assert p.branches["branch"].tolist() == ["dostyk", "kuryk", "turkmenbashi", "poti", "batumi"]
    for b, value in zip(p.branches["branch"], p.branches["length_km"]):
        # the engine measures segments up to 50 km by its fast geodesic: 0.1 mm per km at most
        assert value == pytest.approx(geod_km(gdf[gdf["branch"] == b]), rel=1e-7)
    # the stated 7,000 km is compared with the main line
    whole = p.stated[p.stated["scope"] == "whole"].iloc[0]
    assert whole["geometry_km"] == pytest.approx(main_km, rel=1e-9)
    # the per-country table of the main line adds up to it and has no branch's country
    table = lengths_by_country(gdf)
    assert table["length_km"].sum() == pytest.approx(main_km, rel=1e-9)
    assert "TKM" not in set(table["iso3"])  # Turkmenbashi is an alternative ferry port
    # each branch's own countries and crossings
    text = p.to_text()
    assert "Alternative branch dostyk: " + f"{geod_km(gdf[gdf['branch'] == 'dostyk']):,.3f} km" in text
    dostyk = p.to_dict()["branches"][0]
    assert [c["to_iso3"] for c in dostyk["crossings"]] == ["KAZ"]
    assert [r["iso3"] for r in dostyk["by_country"]] == ["CHN", "KAZ"]
    # the README table states the same main-line length, rounded to the km
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"| {main_km:,.0f} km (" in readme


# ----------------------------------------------------------------------------- sovereignty


@pytest.fixture(scope="module")
def leased() -> gpd.GeoDataFrame:
    """A state ("KAZ") with an enclave admin unit ("XBK", sovereign KAZ) between 44 and 46 N."""
    inner = shapely.box(64.0, 44.0, 66.0, 46.0)
    return gpd.GeoDataFrame({"iso3": ["KAZ", "XBK"], "name": ["Kazakhstan", "Baikonur"]},
                            geometry=[shapely.box(60.0, 40.0, 70.0, 50.0).difference(inner), inner],
                            crs="EPSG:4326")


def test_an_admin_unit_counts_for_its_sovereign(leased: gpd.GeoDataFrame) -> None:
    gdf = lines([shapely.LineString([(65.0, 42.0), (65.0, 48.0)])])
    states = lengths_by_country(gdf, leased)
    assert states["iso3"].tolist() == ["KAZ"]
    assert states["length_km"].iloc[0] == pytest.approx(km(42, 48), abs=1e-3)
    assert len(border_crossings(gdf, leased)) == 0
    units = lengths_by_country(gdf, leased, admin_units=True).set_index("iso3")["length_km"]
    assert units["KAZ"] == pytest.approx(km(42, 44) + km(46, 48), abs=1e-3)
    assert units["XBK"] == pytest.approx(km(44, 46), abs=1e-3)
    cross = border_crossings(gdf, leased, admin_units=True)
    assert cross[["from_iso3", "to_iso3"]].values.tolist() == [["KAZ", "XBK"], ["XBK", "KAZ"]]
    assert cross["km"].tolist() == pytest.approx([km(42, 44), km(42, 46)], abs=1e-3)


def test_baikonur_is_kazakhstan_on_the_middle_corridor() -> None:
    gdf = corridors.load("trans-caspian")
    states = lengths_by_country(gdf)
    units = lengths_by_country(gdf, admin_units=True)
    assert "XBK" not in set(states["iso3"]) and "XBK" in set(units["iso3"])
    kaz = states.set_index("iso3")["length_km"]["KAZ"]
    u = units.set_index("iso3")["length_km"]
    assert kaz == pytest.approx(u["KAZ"] + u["XBK"], abs=1e-6)
    pairs = set(zip(border_crossings(gdf)["from_iso3"], border_crossings(gdf)["to_iso3"]))
    assert not any("XBK" in pair for pair in pairs)


# ----------------------------------------------------------------------------- same-country gaps


@pytest.fixture(scope="module")
def coasts() -> gpd.GeoDataFrame:
    """Country AAA in three parts: a 0.02-degree strait (2.2 km) and a 0.1-degree sea (11 km)
    between them; country BBB 0.03 degrees (3.3 km) north of AAA."""
    a = shapely.MultiPolygon([shapely.box(10.0, 39.8, 11.0, 39.9), shapely.box(10.0, 40.0, 11.0, 41.0),
                              shapely.box(10.0, 41.02, 11.0, 42.0)])
    return gpd.GeoDataFrame({"iso3": ["AAA", "BBB"], "name": ["A", "B"]},
                            geometry=[a, shapely.box(10.0, 42.03, 11.0, 43.0)], crs="EPSG:4326")


def test_a_strait_inside_one_country_counts_for_it(coasts: gpd.GeoDataFrame) -> None:
    gdf = lines([shapely.LineString([(10.5, 40.5), (10.5, 41.5)])])
    table = lengths_by_country(gdf, coasts)
    assert table["iso3"].tolist() == ["AAA"]
    assert table["length_km"].iloc[0] == pytest.approx(km(40.5, 41.5), abs=1e-3)
    assert table.attrs["bridged_km"] == pytest.approx(km(41.0, 41.02), abs=1e-3)


def test_a_sea_between_countries_or_a_long_gap_stays_at_sea(coasts: gpd.GeoDataFrame) -> None:
    gdf = lines([shapely.LineString([(10.5, 41.5), (10.5, 42.5)]),  # AAA -> 3.3 km sea -> BBB
                 shapely.LineString([(10.5, 39.85), (10.5, 40.5)])],  # AAA -> 11 km sea -> AAA
                corridor_id=["between", "long"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a real sea leg is not an error
        table = lengths_by_country(gdf, coasts).set_index(["corridor_id", "country"])["length_km"]
    assert table[("between", "at sea")] == pytest.approx(km(42.0, 42.03), abs=1e-3)
    assert table[("long", "at sea")] == pytest.approx(km(39.9, 40.0), abs=1e-3)


def test_the_bosphorus_tunnel_counts_for_turkey() -> None:
    gdf = corridors.load("trans-caspian")
    table = lengths_by_country(gdf)
    assert "at sea" not in set(table["country"])
    # 1.971 km was the Marmaray's "at sea" row before (Natural Earth's land stops
    # at the coast); it now counts for Turkey
    assert table.attrs["bridged_km"] == pytest.approx(1.971, abs=0.001)
    assert "Caspian Sea" in set(table["country"])  # the ferry between two countries stays at sea


# ----------------------------------------------------------------------------- border tolerance


LINE = shapely.LineString([(75.4085, 39.7945), (79.4687, 41.8999)])  # from issue 13


@pytest.fixture(scope="module")
def reference() -> dict:
    """The issue's 2-point line walked along the geodesic in 10 m steps, each step located
    by point-in-polygon of its middle in the raw Natural Earth polygons."""
    (lon0, lat0), (lon1, lat1) = LINE.coords
    az, _, dist = GEOD.inv(lon0, lat0, lon1, lat1)
    n = int(np.ceil(dist / 10.0))
    s = (np.arange(n) + 0.5) * dist / n
    x, y, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), np.full(n, az), s)
    b = corridors.borders().set_index("iso3").geometry
    in_kgz = shapely.contains_xy(b["KGZ"], x, y)
    changes = (s[np.flatnonzero(np.diff(in_kgz.astype(int)))] + dist / n / 2) / 1000.0
    return {"CHN": shapely.contains_xy(b["CHN"], x, y).sum() * dist / n / 1000.0,
            "KGZ": in_kgz.sum() * dist / n / 1000.0, "changes": changes}


def test_zero_tolerance_equals_point_in_polygon(reference: dict) -> None:
    gdf = lines([LINE])
    table = lengths_by_country(gdf, border_tolerance_km=0).set_index("iso3")["length_km"]
    # equal to the reference within 20 m (5 km chords of the densified geodesic vs 10 m steps)
    assert table["CHN"] == pytest.approx(reference["CHN"], abs=0.02)
    assert table["KGZ"] == pytest.approx(reference["KGZ"], abs=0.02)
    cross = border_crossings(gdf, border_tolerance_km=0)
    assert len(reference["changes"]) == 5
    assert cross["km"].to_numpy() == pytest.approx(reference["changes"], abs=0.01)
    assert cross["to_iso3"].tolist() == ["KGZ", "CHN", "KGZ", "CHN", "KGZ"]


def test_default_tolerance_settles_the_excursion_and_says_how_much(reference: dict) -> None:
    gdf = lines([LINE])
    table = lengths_by_country(gdf)
    excursion = reference["changes"][3] - reference["changes"][2]  # into Kyrgyzstan and back
    assert excursion == pytest.approx(3.9, abs=0.05)  # as the issue reports
    assert table.attrs["border_tolerance_km"] == pytest.approx(0.005 * 111.32)
    assert table.attrs["moved_km"] == pytest.approx(excursion, abs=0.02)
    kgz = table.set_index("iso3")["length_km"]["KGZ"]
    assert kgz == pytest.approx(reference["KGZ"] - excursion, abs=0.02)
    assert len(border_crossings(gdf)) == 3
    assert "3.88" in profile(gdf).to_text().split("Border tolerance:")[1].split("\n")[0]
    with pytest.raises(corridors.DataError, match="border_tolerance_km"):
        lengths_by_country(gdf, border_tolerance_km=-1)


# ----------------------------------------------------------------------------- output hygiene


def test_no_floating_noise_and_numbering_per_kind() -> None:
    moves = transfers(corridors.load("trans-caspian"))
    aktau = moves[moves["place"] == "Aktau port"]
    assert aktau["place_km"].tolist() == [0.0]  # the port is the transfer point itself
    p = profile("trans-caspian")
    assert p.gauge_breaks[p.gauge_breaks["branch"] == "main"]["seq"].tolist() == [1, 2]
    assert p.transshipments[p.transshipments["branch"] == "main"]["seq"].tolist() == [1, 2]
    text = p.to_text()
    gauge = text.split("Breaks of gauge:")[1].split("\n\n")[0]
    assert re.findall(r"^\s+(\d+)\.", gauge, re.M) == ["1", "2"]


def test_rendered_tables_round_km_to_metres() -> None:
    from corridors.tables import render

    table = lengths_by_country(corridors.load("cku-railway"))
    records = json.loads(render(table, "json"))
    for r, full in zip(records, table["length_km"]):
        assert r["length_km"] == round(full, 3)
    csv = render(table, "csv")
    for line in csv.strip().split("\n")[1:]:
        km_field = line.split(",")[3]
        assert len(km_field.split(".")[-1]) <= 3
    assert profile("cku-railway").to_dict(decimals=3)["length_km"] == round(length_km(corridors.load("cku-railway")).iloc[0], 3)


# ----------------------------------------------------------------------------- offshore lines


def test_offshore_lines_are_at_sea_not_errors() -> None:
    from corridors import OutsideCountriesWarning

    # a North Sea pipeline (about 130 km from Scotland, 250 km from Norway) and a Gulf of
    # Mexico one (about 100 km off Louisiana): real offshore lines, no warning
    gdf = lines([shapely.LineString([(1.0, 57.5), (2.0, 57.0)]), shapely.LineString([(-90.5, 28.0), (-90.0, 27.8)])],
                corridor_id=["north-sea", "gulf"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountriesWarning)
        table = lengths_by_country(gdf)
    assert table["country"].tolist() == ["at sea", "at sea"]
    assert table["length_km"].tolist() == pytest.approx([geod_km(gdf.iloc[[0]]), geod_km(gdf.iloc[[1]])], rel=1e-9)
    # the same North Sea line with latitude and longitude swapped lies in the Indian Ocean,
    # some 650 km from the Seychelles: farther than 370 km from every country
    far = lines([shapely.LineString([(57.5, 1.0), (57.0, 2.0)])], corridor_id=["swapped"])
    with pytest.warns(OutsideCountriesWarning, match="swapped"):
        lengths_by_country(far)
    # a line near Tashkent with latitude and longitude swapped lies in the Barents Sea, about
    # 100 km off the Kola coast: as plausible there as an offshore line, so reported at sea
    barents = lines([shapely.LineString([(41.0, 69.0), (41.5, 70.0)])], corridor_id=["barents"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountriesWarning)
        assert lengths_by_country(barents)["country"].tolist() == ["at sea"]


# ----------------------------------------------------------------------------- the last border


def test_middle_corridor_crosses_into_bulgaria_at_kapikule() -> None:
    gdf = corridors.load("trans-caspian")
    main = gdf[gdf["branch"] == "main"]
    last = main[main["segment_id"] == "trans-caspian/kapikule-svilengrad"]
    assert len(last) == 1 and last["from_place"].iloc[0] == "Kapıkule" and last["to_place"].iloc[0] == "Svilengrad"
    cross = border_crossings(gdf)
    cross = cross[cross["branch"] == "main"]
    tur_bgr = cross[(cross["from_iso3"] == "TUR") & (cross["to_iso3"] == "BGR")]
    assert len(tur_bgr) == 1 and cross.iloc[-1]["to_iso3"] == "BGR"
    row = tur_bgr.iloc[0]
    # km: every main segment before the last one, plus Kapıkule -> the border point (GeographicLib)
    (kx, ky), (bx, by) = shapely.get_coordinates(last.geometry.iloc[0])[:2]
    before = geod_km(main[main["segment_id"] != "trans-caspian/kapikule-svilengrad"])
    assert row["km"] == pytest.approx(before + GEOD.inv(kx, ky, bx, by)[2] / 1000.0, abs=0.01)
    assert row["checkpoint"].startswith("Kapıkule")
    places = corridors.places().set_index("name")
    px, py = places.geometry["Kapıkule (Kapikule) border station"].coords[0]
    assert row["checkpoint_km"] == pytest.approx(GEOD.inv(px, py, bx, by)[2] / 1000.0, abs=0.01)
    assert "BGR" in corridors.load("trans-caspian").attrs["corridor"]["countries"]


# ----------------------------------------------------------------------------- the command line


def _cli(*args: str, cwd=None) -> str:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "corridors", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_list_info_profile_and_readme_agree_on_the_main_line() -> None:
    gdf = corridors.load("trans-caspian")
    main_km = geod_km(gdf[gdf["branch"] == "main"])
    listed = {r["corridor_id"]: r["length_km"] for r in json.loads(_cli("list", "--format", "json"))}
    assert listed["trans-caspian"] == pytest.approx(main_km, abs=5e-4)
    assert f"drawn:     {main_km:,.3f} km geodesic (main line)" in _cli("info", "trans-caspian")
    report = json.loads(_cli("profile", "trans-caspian", "--format", "json"))
    assert report["length_km"] == pytest.approx(main_km, abs=5e-4)
    assert [b["branch"] for b in report["branches"]] == ["dostyk", "kuryk", "turkmenbashi", "poti", "batumi"]
    by_branch = json.loads(_cli("lengths", "trans-caspian", "--by", "branch", "--format", "json"))
    assert by_branch[0] == {"corridor_id": "trans-caspian", "branch": "main", "length_km": round(main_km, 3),
                            "share": pytest.approx(main_km / geod_km(gdf), abs=1e-6)}
    # --by takes any column, --by-branch splits by branch, --admin-units keeps Baikonur
    rows = json.loads(_cli("lengths", "trans-caspian", "--by", "gauge_mm", "--by-branch", "--format", "json"))
    assert {(r["branch"], r["gauge_mm"]) for r in rows} >= {("main", 1435), ("main", 1520), ("dostyk", 1435)}
    units = json.loads(_cli("lengths", "trans-caspian", "--by", "country", "--admin-units", "--format", "json"))
    assert "XBK" in {r["iso3"] for r in units}


def test_map_writes_a_default_file(tmp_path) -> None:
    _cli("map", "cku-railway", "--offline", cwd=tmp_path)
    out = tmp_path / "corridors.html"
    assert out.exists() and out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_the_sovereignty_table_is_consistent_with_the_borders() -> None:
    from corridors.sovereignty import SOVEREIGN_OF

    codes = set(corridors.borders()["iso3"])
    assert set(SOVEREIGN_OF) <= codes and set(SOVEREIGN_OF.values()) <= codes
    assert not set(SOVEREIGN_OF.values()) & set(SOVEREIGN_OF)  # a sovereign is not itself a dependency
    # a line across Greenland (Natural Earth unit GRL; Danish realm): Denmark by default
    gdf = lines([shapely.LineString([(-45.0, 70.0), (-44.0, 71.0)])])
    assert lengths_by_country(gdf)["iso3"].tolist() == ["DNK"]
    table = lengths_by_country(gdf, admin_units=True)
    assert table["iso3"].tolist() == ["GRL"] and table.attrs["admin_units"] is True
    assert border_crossings(gdf, border_tolerance_km=0).attrs["border_tolerance_km"] == 0.0


def test_command_line_tolerance_must_be_a_distance() -> None:
    import subprocess
    import sys

    for bad in ("-1", "nan", "inf", "half"):
        proc = subprocess.run([sys.executable, "-m", "corridors", "crossings", "cku-railway", "--border-tolerance-km", bad],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2 and "not a distance in km" in proc.stderr, (bad, proc.stderr)
    rows = json.loads(_cli("crossings", "cku-railway", "--border-tolerance-km", "0", "--format", "json"))
    assert [r["to_iso3"] for r in rows][:1] == ["KGZ"]


def test_a_line_turning_back_across_a_border_is_cut_on_both_ways(leased: gpd.GeoDataFrame) -> None:
    # up from KAZ 2.2 km into the enclave and back down the same way: the two passes meet the
    # border at the same point, which must cut both (the overlay joins consecutive segments
    # near a border into one line only where that line does not touch itself). 1e-4 km: a piece
    # is its planar share of a segment of at most 5 km, about 1 cm off along a meridian here
    gdf = lines([shapely.LineString([(65.0, 42.0), (65.0, 44.02), (65.0, 42.0)])])
    units = lengths_by_country(gdf, leased, admin_units=True).set_index("iso3")["length_km"]
    assert units["XBK"] == pytest.approx(2 * km(44, 44.02), abs=1e-4)
    assert units["KAZ"] == pytest.approx(2 * km(42, 44), abs=1e-4)
    cross = border_crossings(gdf, leased, admin_units=True)
    assert cross[["from_iso3", "to_iso3"]].values.tolist() == [["KAZ", "XBK"], ["XBK", "KAZ"]]
    assert cross["km"].tolist() == pytest.approx([km(42, 44), km(42, 44) + 2 * km(44, 44.02)], abs=1e-4)
