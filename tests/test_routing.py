"""The corridor network and routing: expectations worked out independently of the code.

Lengths are recomputed with pyproj's Geod (GeographicLib) straight from the coordinates
of the bundled files or the test lines; the expected paths are read off the data (the CKU
railway's own segment list, its planned opening year in its sources).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

import corridors
from corridors import catalog
from corridors.cli import main
from corridors.errors import DataError, NoRouteError, UnknownPlaceError
from corridors.graph import network, topology_gaps
from corridors.routing import TransitModel, compare

GEOD = Geod(ellps="WGS84")


def geodesic_km(geom) -> float:
    lon, lat = zip(*shapely.get_coordinates(geom))
    return GEOD.line_length(lon, lat) / 1000.0


def cku_main() -> list[str]:
    data = json.loads((catalog.geodata_dir() / "corridors" / "cku-railway.geojson").read_text(encoding="utf-8"))
    return [f["properties"]["segment_id"] for f in data["features"] if f["properties"]["branch"] == "main"]


def test_public_network_is_the_function_after_the_modules_load():
    import corridors.graph  # noqa: F401  (a submodule named like a public function would replace it)
    import corridors.routing  # noqa: F401

    assert callable(corridors.network) and corridors.network.__name__ == "network"


def test_kashgar_andijan_is_the_cku_main_line():
    r = corridors.route("Kashgar", "Andijan")
    assert list(r.legs["segment_id"]) == cku_main()
    data = json.loads((catalog.geodata_dir() / "corridors" / "cku-railway.geojson").read_text(encoding="utf-8"))
    expected = sum(GEOD.line_length(*zip(*f["geometry"]["coordinates"])) for f in data["features"]) / 1000.0
    assert r.total_km == pytest.approx(expected, abs=0.01)
    assert list(r.crossings["from_iso3"]) == ["CHN", "KGZ"] and list(r.crossings["to_iso3"]) == ["KGZ", "UZB"]
    assert list(r.transfers["kind"]) == ["break-of-gauge"] and r.transfers["place"].iloc[0] == "Makmal"


def test_total_is_the_geodesic_sum_of_the_legs_and_legs_join():
    r = corridors.route("Kashgar", "Baku", year=2025)
    legs = [geodesic_km(g) for g in r.legs.geometry]
    assert r.total_km == pytest.approx(sum(legs), rel=1e-9)
    assert r.by_country["length_km"].sum() == pytest.approx(r.total_km, rel=1e-6)
    ends = shapely.get_coordinates(shapely.get_point(r.legs.geometry.values, -1))[:-1]
    starts = shapely.get_coordinates(shapely.get_point(r.legs.geometry.values, 0))[1:]
    assert (abs(ends - starts) < 1e-9).all()  # each leg starts where the last one ended (travel order)


def test_year_keeps_the_cku_railway_out_before_its_planned_opening():
    # the CKU sources (Railway Gazette 2025-01-07, Trend 2025-11-26) both give 2030
    before = corridors.route("Kashgar", "Andijan", year=2029)
    assert not before.legs["segment_id"].str.startswith("cku-railway/").any()
    assert "Khorgos (Horgos) station" in before.places
    after = corridors.route("Kashgar", "Andijan", year=2030)
    assert list(after.legs["segment_id"]) == cku_main()
    assert after.total_km < before.total_km


def test_closing_turkmenbashi_forces_the_kazakh_ports():
    open_ = corridors.route("Kashgar", "Baku", year=2031)
    assert "Turkmenbashi port" in open_.places
    shut = corridors.route("Kashgar", "Baku", year=2031, closed=["Turkmenbashi port"])
    assert "Turkmenbashi port" not in shut.places
    assert {"Arys", "Aktau port"} <= set(shut.places)  # Tashkent – Saryagash – Arys onto the Kazakh line
    assert shut.total_km > open_.total_km
    # CHN-KGZ, KGZ-UZB, UZB-KAZ by land, KAZ-AZE by sea; the Baikonur lease (XBK) is listed, not counted
    counted = shut.crossings[shut.crossings["counted"]]
    assert [(r.from_iso3, r.to_iso3, r.by) for r in counted.itertuples()] == [
        ("CHN", "KGZ", "land"), ("KGZ", "UZB", "land"), ("UZB", "KAZ", "land"), ("KAZ", "AZE", "sea")]
    assert shut.summary()["border_crossings"] == 4
    # a country pair closes the sea lane between them too
    no_tkm_aze = corridors.route("Kashgar", "Baku", year=2031, closed=["TKM-AZE"])
    assert "Turkmenbashi port" not in no_tkm_aze.places
    with pytest.raises(NoRouteError):
        corridors.route("Kashgar", "Baku", closed=["KAZ-AZE", "TKM-AZE"])


def test_unknown_place_lists_the_nearest_matches():
    with pytest.raises(UnknownPlaceError) as err:
        corridors.route("Kashgr", "Baku")
    assert "Kashgar" in err.value.matches
    assert "unknown place 'Kashgr'" in str(err.value)


def test_alternatives_are_distinct_and_compared():
    found = corridors.routes("Kashgar", "Baku", year=2031, k=3)
    assert len(found) == 3
    assert len({tuple(r.legs["segment_id"]) for r in found}) == 3
    assert [r.total_km for r in found] == sorted(r.total_km for r in found)
    table = compare(found)
    assert list(table["route"]) == [1, 2, 3]
    assert table["total_km"].iloc[0] == pytest.approx(found[0].total_km)


def _grid() -> gpd.GeoDataFrame:
    """A (10E,0N) - (10E,1N) - (11E,1N) square missing one side, plus a T onto the middle of its first side."""
    lines = [
        shapely.LineString([(10, 0), (10, 1)]),           # a: meridian, 1 degree
        shapely.LineString([(10, 1), (11, 1)]),           # b: along 1N
        shapely.LineString([(10, 0), (11, 0), (11, 1)]),  # c: the long way round
        shapely.LineString([(9.5, 0.5), (10, 0.5)]),      # d: ends on the middle of a
    ]
    return gpd.GeoDataFrame({"corridor_id": ["mine"] * 4, "segment_id": ["a", "b", "c", "d"],
                             "mode": ["rail"] * 4, "gauge_mm": [1435] * 4}, geometry=lines, crs="EPSG:4326")


def test_network_from_user_lines_routes_correctly():
    lines = _grid()
    g = network(lines, countries=False)
    r = corridors.route((9.5, 0.5), (11.0, 1.0), graph=g)
    # d, then the upper half of a, then b; the T split a at 0.5N
    assert list(r.legs["segment_id"]) == ["d", "a", "b"]
    expected = (GEOD.inv(9.5, 0.5, 10, 0.5)[2] + GEOD.line_length([10, 10], [0.5, 1]) + GEOD.inv(10, 1, 11, 1)[2]) / 1000
    assert r.total_km == pytest.approx(expected, abs=1e-6)
    # the meridian degree from the equator is 110.574 km on WGS84 (a published figure)
    assert g.edges[next(iter(g.edges(keys=True)))]["length_km"] > 0
    full_a = [d["length_km"] for *_, d in g.edges(keys=True, data=True) if d["segment_id"] == "a"]
    assert sum(full_a) == pytest.approx(110.574, abs=0.001)
    # closing b forces the long way round
    r2 = corridors.route((9.5, 0.5), (11.0, 1.0), graph=g, closed=["b"])
    assert list(r2.legs["segment_id"]) == ["d", "a", "c"]


def test_hours_follow_the_stated_model():
    g = network(_grid(), countries=False)
    model = TransitModel().with_overrides(speed_kmh={"rail": 50.0})
    r = corridors.route((9.5, 0.5), (11.0, 1.0), graph=g, weight="hours", model=model)
    assert r.hours == pytest.approx(r.total_km / 50.0)
    assert any("rail 50 km/h (set by the user)" in a for a in model.assumptions())
    assert "rail 50 km/h" in r.to_text()


def test_pipelines_are_a_network_of_their_own():
    lines = _grid()
    lines.loc[3, "mode"] = "pipeline"
    lines.loc[3, "gauge_mm"] = None
    g = network(lines, countries=False)
    assert "d" not in {d["segment_id"] for *_, d in g.edges(keys=True, data=True)}
    assert {d["segment_id"] for *_, d in network(lines, modes=["pipeline"], countries=False).edges(keys=True, data=True)} == {"d"}
    with pytest.raises(DataError, match="network of their own"):
        network(lines, modes=["pipeline", "rail"])


def test_topology_gaps_lists_an_unjoined_end_near_another_line():
    lines = _grid()
    # move d's end 0.01 degree (1.113 km at the equator) west of line a
    lines.loc[3, "geometry"] = shapely.LineString([(9.5, 0.5), (9.99, 0.5)])
    g = network(lines, countries=False, snap_km=0.5)
    gaps = topology_gaps(g, near_km=5)
    assert list(gaps["segment_id"]) == ["d"]
    assert gaps["gap_km"].iloc[0] == pytest.approx(GEOD.inv(9.99, 0.5, 10, 0.5)[2] / 1000, abs=0.01)
    assert topology_gaps(network(lines, countries=False, snap_km=2.0), near_km=5).empty


def test_bundled_network_is_one_freight_network_without_gaps():
    g = network()
    import networkx as nx

    assert nx.is_connected(g)
    assert topology_gaps(g).empty
    assert not any(d["mode"] == "pipeline" for *_, d in g.edges(keys=True, data=True))
    assert corridors.list_corridors() == ["cku-railway", "line-d", "trans-caspian", "dushanbe-kulma"]


def test_links_and_timeline_carry_sources():
    links = corridors.load_links()
    sources = links.attrs["sources"]
    assert {"southern-xinjiang", "northern-xinjiang", "jinghe-khorgos", "fergana-tashkent", "central-asian-railway",
            "trans-caspian-railway", "tashkent-arys", "kashgar-tashkurgan-kulma"} <= set(links["link_id"])
    for ids in links["sources"]:
        assert set(corridors.schema.split_ids(ids)) <= set(sources)
    for rec in links.attrs["links"]:
        for entry in rec["dates"] + rec["stated_lengths"]:
            assert entry["source"] in sources
    t = corridors.timeline()
    cku = t[t["segment_id"].str.startswith("cku-railway/")]
    assert (cku["in_service_from"] == 2030).all() and (cku["sources"] != "").all()
    dated = t[t["opened"].notna() | t["planned_to"].notna()]
    assert (dated["sources"] != "").all()


def test_cli_route(capsys):
    assert main(["route", "Kashgar", "Andijan", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["segment_id"] for row in rows] == cku_main()
    assert main(["route", "Kashgr", "Andijan"]) == 1
    assert "nearest matches: Kashgar" in capsys.readouterr().err


def test_route_map_escapes_text(tmp_path):
    from corridors.maps import save_map
    from corridors.routemap import route_map

    lines = _grid()
    lines["name"] = ["<img src=x onerror=window.__pwned=1>", "${window.__pwned=1}`", "c", "d"]
    lines["status"] = "operating"
    g = network(lines, countries=False)
    r = corridors.route((9.5, 0.5), (11.0, 1.0), graph=g)
    path = save_map(route_map(r, offline=True, base=lines, links=False), tmp_path / "r.html", offline=True)
    page = path.read_text()
    assert "Route 1, leg 2</b>: junction" in page  # the route's own tooltips are there
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in page and "&#36;{window.__pwned=1}&#96;" in page
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        outside: list[str] = []
        tab.route("**/*", lambda rt: (outside.append(rt.request.url), rt.abort()) if not rt.request.url.startswith("file:")
                  else rt.continue_())
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(path.as_uri())
        tab.wait_for_timeout(500)
        for path_el in tab.query_selector_all("path.leaflet-interactive"):
            path_el.dispatch_event("mouseover")
        assert "Route 1, leg" in tab.inner_text("body")  # a route tooltip opened, as text
        assert tab.evaluate("window.__pwned") is None
        assert not outside and not errors
        browser.close()


def test_network_map_as_of_a_year(tmp_path):
    from corridors.maps import save_map
    from corridors.routemap import network_map

    cku = corridors.metadata("cku-railway")["name"]
    before = save_map(network_map(2025, offline=True), tmp_path / "a.html", offline=True).read_text()
    after = save_map(network_map(2031, offline=True), tmp_path / "b.html", offline=True).read_text()
    assert cku not in before and cku in after
    assert "Corridors and links in service in 2025" in before


def test_cli_route_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["route", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "corridors route Kashgar Baku --year 2031 --alternatives 3" in out
    for flag in ("--via", "--avoid", "--closed", "--year", "--mode", "--alternatives", "--weight", "--format", "--map"):
        assert flag in out, flag


def test_hours_add_up_by_hand_with_cli_overrides(capsys):
    model = corridors.TransitModel().with_overrides(speed_kmh={"rail": 50.0}, border_hours=24.0)
    r = corridors.route("Kashgar", "Baku", year=2031, weight="hours", model=model)
    km = dict(zip(r.by_mode["mode"], r.by_mode["length_km"]))
    # 3 land borders + 1 by sea (24 h each), one break of gauge (6 h), two transshipments (12 h each)
    expected = km["rail"] / 50.0 + km["sea"] / 12.0 + 4 * 24.0 + 6.0 + 2 * 12.0
    assert r.hours == pytest.approx(expected, rel=1e-9)
    assert main(["route", "Kashgar", "Baku", "--year", "2031", "--weight", "hours", "--speed", "rail=50",
                 "--dwell", "border=24"]) == 0
    out = capsys.readouterr().out
    assert f"{expected:,.0f} h" in out and "border hours 24 (set by the user)" in out


def test_example_routes_script(tmp_path):
    import subprocess
    import sys

    import pandas as pd

    script = Path(__file__).resolve().parents[1] / "examples" / "routes.py"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(tmp_path / "routes_comparison.csv")
    assert list(table["scenario"]) == ["2025", "2031 (CKU railway open)", "2031, Turkmenbashi closed", "2025, Aktau closed"]
    km = dict(zip(table["scenario"], table["total_km"]))
    assert km["2031 (CKU railway open)"] < km["2031, Turkmenbashi closed"] < km["2025"]
    assert "Turkmenbashi port" in proc.stdout
    assert "cdn.jsdelivr" not in (tmp_path / "routes_map.html").read_text(encoding="utf-8")


def test_via_avoid_and_a_planned_range():
    via = corridors.route("Kashgar", "Baku", year=2025, via="Tashkent")
    assert "Tashkent" in via.places and via.total_km > corridors.route("Kashgar", "Baku", year=2025).total_km
    assert via.total_km == pytest.approx(sum(geodesic_km(g) for g in via.legs.geometry), rel=1e-9)
    assert "KAZ" not in corridors.route("Kashgar", "Baku", year=2031, avoid=["Kazakhstan"]).by_country["iso3"].tolist()
    with pytest.raises(NoRouteError):  # before the CKU railway every rail way west crosses Kazakhstan
        corridors.route("Kashgar", "Baku", year=2025, avoid=["KAZ"])
    # a user's line planned for "2029/2031" (sources disagree) is in service from the later year
    lines = _grid()
    lines["status"] = ["operating", "proposed", "operating", "operating"]
    lines["planned_opening"] = [None, "2029/2031", None, None]
    for year, expected in ((2030, ["d", "a", "c"]), (2031, ["d", "a", "b"])):
        g = network(lines, year=year, countries=False)
        assert list(corridors.route((9.5, 0.5), (11.0, 1.0), graph=g).legs["segment_id"]) == expected


def test_a_place_off_the_network_is_not_joined_far_away():
    # Dushanbe is on the Dushanbe-Kulma road, far from any railway of the network
    with pytest.raises(NoRouteError, match="Dushanbe is not on this network"):
        corridors.route("Kashgar", "Dushanbe", modes=["rail"])
    assert corridors.route("Kashgar", "Dushanbe").places[-1] == "Dushanbe"


def test_cli_map_of_the_network_as_of_a_year(tmp_path):
    cku = corridors.metadata("cku-railway")["name"]
    out = tmp_path / "net.html"
    assert main(["map", "--year", "2025", "--offline", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Connecting links" in page and "Corridors and links in service in 2025" in page
    assert cku not in page  # planned for 2030: not in the 2025 network
    assert main(["map", "--network", "--offline", "-o", str(out)]) == 0
    assert cku in out.read_text(encoding="utf-8")
    assert main(["map", "--network", "cku-railway", "-o", str(out)]) == 2
