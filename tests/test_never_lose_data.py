"""A user's data is never lost: one test per case of the hostile review (issue 11).

Each test names the numbered case it reproduces. The command line runs as a real process
(the installed console script), on real files.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString
from test_cli import EXE, feature, one_error_line, run

import corridors
from corridors.errors import DataError

GEOD = Geod(ellps="WGS84")


def collection(*features: dict, **members: object) -> str:
    return json.dumps({"type": "FeatureCollection", **members, "features": list(features)})


def good_file(path: Path, n: int = 2) -> bytes:
    path.write_text(collection(*[feature([[70.0 + i, 40.0], [70.5 + i, 40.5]], {"corridor_id": f"c{i}"})
                                 for i in range(n)]), encoding="utf-8")
    return path.read_bytes()


def infinite_file(path: Path) -> None:
    """A file whose property reads as infinity (the JSON number 1e999)."""
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":1e999},'
                    '"geometry":{"type":"LineString","coordinates":[[70,40],[71,41]]}}]}', encoding="utf-8")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".corridors-tmp-"))


# --------------------------------------------------------------------------- 1. failed export


@pytest.mark.parametrize("suffix", ["geojson", "gpkg"])
def test_1_a_failed_export_keeps_the_previous_file(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"b.{suffix}"
    corridors.write(corridors.load("cku-railway"), target)
    before = target.read_bytes()
    bad = tmp_path / "a.geojson"
    infinite_file(bad)
    if suffix == "gpkg":  # GeoPackage stores infinity; a NUL character in text is what it refuses
        bad.write_text(collection(feature([[70, 40], [71, 41]], {"v": "a\u0000b"})), encoding="utf-8")
    proc = run("export", "--input", str(bad), "-o", str(target))
    assert proc.returncode == 1, proc.stderr
    assert "holds infinite numbers" in proc.stderr or "NUL character" in proc.stderr
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- 2. interrupted export


def _big_layer(path: Path, n: int) -> int:
    """``n`` lines written as GeoParquet, quick to read, slow enough to export."""
    rng = np.random.default_rng(7)
    x0 = rng.uniform(60, 80, n)
    y0 = rng.uniform(35, 45, n)
    coords = np.stack([np.column_stack([x0, y0]), np.column_stack([x0 + 0.3, y0 + 0.2]),
                       np.column_stack([x0 + 0.5, y0 + 0.1])], axis=1)
    gdf = gpd.GeoDataFrame({"corridor_id": [f"l{i}" for i in range(n)], "note": ["x" * 40] * n},
                           geometry=shapely.linestrings(coords), crs=4326)
    gdf.to_parquet(path)
    return n


def _kill_while_writing(cmd: list[str], folder: Path, after_s: float) -> bool:
    """Start ``cmd``, SIGKILL it ``after_s`` seconds after its temporary folder appears in
    ``folder`` (the write has begun); True if it was killed while writing."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not leftovers(folder) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    writing = proc.poll() is None
    time.sleep(after_s)
    writing &= proc.poll() is None
    proc.kill()
    proc.wait(timeout=60)
    for tmp in leftovers(folder):  # what a killed run leaves: only its own temporary folder
        shutil.rmtree(folder / tmp)
    return writing


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "gpkg", "geojson", "parquet"])
def test_2_sigkill_during_an_export_leaves_the_old_or_the_whole_new_file(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "big.parquet"
    n = _big_layer(src, 60_000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / f"routes.{fmt}"
    corridors.write(corridors.load("line-d"), target)  # the old file: 5 segments
    files = sorted(out_dir.iterdir())  # the CSV and its .csvt sidecar, or the one file
    old = [f.read_bytes() for f in files]
    cmd = [EXE, "export", "--input", str(src), "-o", str(target)]
    mid_write = 0
    for after_s in (0.0, 0.05, 0.2, 0.5, 1.0):
        mid_write += _kill_while_writing(cmd, out_dir, after_s)
        now = [f.read_bytes() for f in files]
        if now != old:  # the renames happened before the kill: the new file, whole, with its sidecar
            assert all(a != b for a, b in zip(now, old))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert len(corridors.read(target)) == n
            for f, data in zip(files, old):
                f.write_bytes(data)
    assert mid_write >= 2  # the kills did land while the file was being written
    assert sorted(out_dir.iterdir()) == files  # besides the killed runs' temporary folders (removed), nothing
    proc = run(*cmd[1:])
    assert proc.returncode == 0, proc.stderr
    assert len(corridors.read(target)) == n


def test_2_interrupt_during_an_export_exits_130_and_keeps_the_old_file(tmp_path: Path) -> None:
    src = tmp_path / "big.parquet"
    _big_layer(src, 60_000)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "routes.geojson"
    old = good_file(target)
    proc = subprocess.Popen([EXE, "export", "--input", str(src), "-o", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
    deadline = time.monotonic() + 120
    while not leftovers(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # until the write has begun (its temporary folder appears)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # the write finished before the signal arrived: the new file is whole
        assert len(corridors.read(target)) == 60_000
    else:
        assert proc.returncode == 130, err
        assert err.strip().splitlines()[-1] == "corridors: interrupted"
        assert target.read_bytes() == old
    assert leftovers(out) == []


def test_2_a_truncated_csv_cannot_come_from_an_export(tmp_path: Path) -> None:
    """The CSV is written whole to a temporary file and renamed: the target never holds a
    part of it, so a reader never sees a CSV that an interrupted export cut short."""
    target = tmp_path / "x.csv"
    layer = corridors.load("trans-caspian")
    seen: list[int] = []

    import corridors._atomic as atomic

    real_replace = os.replace

    def watch(src, dst):  # noqa: ANN001 - os.replace's own signature
        if Path(dst) == target:
            seen.append(0 if not target.exists() else len(target.read_bytes()))
            assert Path(src).stat().st_size > 0
        return real_replace(src, dst)

    atomic.os.replace = watch
    try:
        corridors.write(layer, target)
    finally:
        atomic.os.replace = real_replace
    assert seen == [0]  # the target did not exist until the one rename put the whole file there
    assert len(corridors.read(target)) == len(layer)


# --------------------------------------------------------------------------- 3. output = input


@pytest.mark.parametrize("args", [
    ["validate", "{F}", "-o", "{F}"],
    ["lengths", "--input", "{F}", "-o", "{F}"],
    ["map", "--input", "{F}", "-o", "{F}"],
    ["export", "--input", "{F}", "-o", "{F}"],
    ["crossings", "--input", "{D}", "-o", "{F}"],     # a file of the input folder
    ["lengths", "--input", "{F}", "-o", "{L}"],      # a link to the input
])
def test_3_an_output_that_is_an_input_is_refused_before_reading(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    f = folder / "routes.geojson"
    before = good_file(f)
    link = tmp_path / "link.geojson"
    link.symlink_to(f)
    proc = run(*[a.format(F=f, D=folder, L=link) for a in args])
    assert proc.returncode == 2, proc.stderr
    assert "the output is an input of this command" in one_error_line(proc)
    assert f.read_bytes() == before


def test_3_the_library_refuses_to_export_over_the_file_a_layer_was_read_from(tmp_path: Path) -> None:
    f = tmp_path / "routes.geojson"
    before = good_file(f)
    with pytest.raises(DataError, match="the output is an input"):
        corridors.write(corridors.read(f), f)
    assert f.read_bytes() == before


def test_3_writing_to_a_link_writes_through_it(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    proc = run("list", "--format", "csv", "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("corridor_id,")


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null"])
def test_3_a_device_as_output_is_refused(target: str) -> None:
    mode = os.stat(target).st_mode
    proc = run("list", "-o", target)
    assert proc.returncode == 1
    assert "not a regular file" in one_error_line(proc)
    assert os.stat(target).st_mode == mode and stat.S_ISCHR(mode)


def test_3_a_folder_as_output_is_refused(tmp_path: Path) -> None:
    proc = run("export", "--all", "--format", "geojson", "-o", str(tmp_path))
    assert proc.returncode == 1 and "is a folder" in one_error_line(proc)


def test_3_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    target.write_text("x\n")
    target.chmod(0o640)
    assert run("list", "--format", "csv", "-o", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --------------------------------------------------------------------------- 4. antimeridian


def _densified_reference(coords: list[list[float]], step_km: float = 0.5) -> dict[str, float]:
    """km per country by walking the geodesics in ``step_km`` steps and locating each step's
    midpoint in the bundled borders (point in polygon): an independent reference."""
    borders = corridors.borders()
    out: dict[str, float] = {}
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:]):
        az, _, dist = GEOD.inv(x0, y0, x1, y1)
        n = max(int(np.ceil(dist / 1000 / step_km)), 1)
        mids = (np.arange(n) + 0.5) * dist / n
        lon, lat, _ = GEOD.fwd(np.full(n, x0), np.full(n, y0), np.full(n, az), mids)
        lon = (np.asarray(lon) + 180) % 360 - 180
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
        hit = gpd.sjoin(pts, borders[["iso3", "geometry"]], predicate="within", how="left")
        hit = hit[~hit.index.duplicated()]
        for iso in hit["iso3"].fillna("outside"):
            out[iso] = out.get(iso, 0.0) + dist / n / 1000
    return out


def test_4_a_line_over_the_antimeridian_is_measured_per_country(tmp_path: Path) -> None:
    coords = [[170.0, 66.0], [180.0, 66.0], [-180.0, 66.0], [-170.0, 66.0]]
    f = tmp_path / "chukotka.geojson"
    f.write_text(collection(feature(coords, {"corridor_id": "chukotka"})), encoding="utf-8")
    assert run("validate", str(f)).returncode == 0
    proc = run("lengths", "--input", str(f), "--by", "country", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(pd.io.common.StringIO(proc.stdout))
    total = sum(GEOD.inv(*a, *b)[2] for a, b in zip(coords[:-1], coords[1:])) / 1000
    assert table["length_km"].sum() == pytest.approx(total, abs=5e-4 * len(table))  # CSV km to metres (issue 13)
    ref = _densified_reference(coords)
    rus = float(table.loc[table["iso3"] == "RUS", "length_km"].sum())
    assert rus == pytest.approx(ref["RUS"], abs=1.0)  # 0.5 km steps
    assert run("crossings", "--input", str(f)).returncode == 0
    proc = run("map", "--input", str(f), "--offline", "-o", str(tmp_path / "m.html"))
    assert proc.returncode == 0, proc.stderr


def test_4_a_segment_along_the_antimeridian_does_not_spoil_other_lines() -> None:
    rail = corridors.load("cku-railway")
    alone = corridors.border_crossings(rail)
    extra = gpd.GeoDataFrame({"corridor_id": ["edge"]}, geometry=[LineString([[180, 40], [-180, 41]])], crs=4326)
    both = pd.concat([rail[["corridor_id", "geometry"]], extra], ignore_index=True)
    both = gpd.GeoDataFrame(both, geometry="geometry", crs=4326)
    km = corridors.length_km(both)
    # the meridian arc 40N-41N, by GeographicLib (180 and -180 are one meridian)
    assert km["edge"] == pytest.approx(GEOD.inv(180, 40, 180, 41)[2] / 1000, abs=1e-9)
    with_edge = corridors.border_crossings(both)
    assert not with_edge["km"].isna().any()
    np.testing.assert_allclose(with_edge.loc[with_edge["corridor_id"] == "cku-railway", "km"].to_numpy(),
                               alone["km"].to_numpy(), rtol=0, atol=1e-9)
    table = corridors.lengths_by_country(both)
    assert not table["length_km"].isna().any()


# --------------------------------------------------------------------------- 5. memory


def test_5_a_file_where_every_feature_has_its_own_key_stays_small(tmp_path: Path) -> None:
    from corridors.io import CELL_BUDGET, OTHER_PROPERTIES

    n = 5_000
    f = tmp_path / "keys.geojson"
    f.write_text(collection(*[feature([[70 + i * 1e-3, 40], [71, 41]], {"common": i, f"k{i}": i}) for i in range(n)]),
                 encoding="utf-8")
    with pytest.warns(UserWarning, match=f"kept together as JSON text in the column '{OTHER_PROPERTIES}'"), \
            pytest.MonkeyPatch.context() as mp:
        mp.setattr("corridors.io.CELL_BUDGET", 200_000)
        gdf = corridors.read(f)
    assert len(gdf) * (gdf.shape[1]) <= 200_000 + 6 * n  # the budget, plus the columns read() adds
    assert CELL_BUDGET >= 200_000
    # nothing is lost: each feature's own key is in a column or in the JSON text
    for i in (0, 17, n - 1):
        row = gdf.iloc[i]
        own = row[f"k{i}"] if f"k{i}" in gdf.columns else json.loads(row[OTHER_PROPERTIES])[f"k{i}"]
        assert own == i and row["common"] == i


# --------------------------------------------------------------------------- 6. one bad member or value


def test_6_one_bad_file_in_a_folder_does_not_stop_the_folder(tmp_path: Path) -> None:
    good_file(tmp_path / "a.geojson")
    (tmp_path / "b.geojson").write_text(collection(feature([[70, 40], [71, 41]], {"corridor_id": "b"}),
                                                   corridor={"id": "b", "stated_lengths": "long"}), encoding="utf-8")
    (tmp_path / "c.geojson").write_text(collection(feature([[70, 40], [71, 41]], {"corridor_id": "c", "gauge_mm": [1]}),
                                                   feature([[72, 40], [73, 41]], {"corridor_id": "c2"})),
                                        encoding="utf-8")
    proc = run("lengths", "--input", str(tmp_path), "--on-error", "skip", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    problems = [ln for ln in proc.stderr.splitlines() if ln.startswith("problem:")]
    assert len(problems) == 2
    assert "b.geojson: metadata member 'corridor' left out: 'stated_lengths' must be a list" in problems[0]
    assert "c.geojson: feature 0: property 'gauge_mm' must be a finite number, not str '[1]'" in problems[1]
    assert sorted(pd.read_csv(pd.io.common.StringIO(proc.stdout))["corridor_id"]) == ["b", "c0", "c1", "c2"]
    # validate lists exactly these two problems
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 1 and len(proc.stdout.splitlines()) == 2


# --------------------------------------------------------------------------- 7. API checks


@pytest.mark.parametrize("coords, reason", [
    ([[70, 40], [np.nan, 41]], "NaN or infinite"),
    ([[70, 40], [np.inf, 41]], "NaN or infinite"),
    ([[540, 40], [541, 41]], "out of range"),
    ([[70, 91], [71, 41]], "out of range"),
])
def test_7_the_api_checks_coordinates_before_measuring(coords: list, reason: str) -> None:
    gdf = gpd.GeoDataFrame({"corridor_id": ["a", "b"], "segment_id": ["a/0", "b/0"]},
                           geometry=[LineString([[70, 40], [71, 41]]), LineString(coords)], crs=4326)
    for call in (corridors.length_km, corridors.lengths_by_country, corridors.border_crossings,
                 corridors.transfers, corridors.render_map):
        with pytest.raises(DataError, match=reason) as info:
            call(gdf)
        assert "feature 1 (segment 'b/0')" in str(info.value)


def test_7_a_missing_corridor_id_is_an_error_not_a_dropped_line() -> None:
    gdf = gpd.GeoDataFrame({"corridor_id": ["a", None]}, geometry=[LineString([[70, 40], [71, 41]])] * 2, crs=4326)
    for call in (corridors.length_km, corridors.render_map):
        with pytest.raises(DataError, match="feature 1: corridor_id is missing"):
            call(gdf)


# --------------------------------------------------------------------------- 8. special inputs


def test_8_a_fifo_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    start = time.monotonic()
    proc = run("lengths", "--input", str(fifo))
    assert time.monotonic() - start < 30  # it used to wait for a writer forever
    assert proc.returncode == 1 and "a FIFO (named pipe), not a file or folder of lines" in one_error_line(proc)


def test_8_special_files_and_link_loops_in_a_folder_are_each_reported(tmp_path: Path) -> None:
    good_file(tmp_path / "a.geojson")
    os.mkfifo(tmp_path / "b.geojson")
    (tmp_path / "c.geojson").symlink_to(tmp_path / "c.geojson")  # a link to itself
    (tmp_path / "d.geojson").symlink_to(tmp_path / "missing.geojson")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a loop of folders
    start = time.monotonic()
    proc = run("validate", str(tmp_path))
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines == [
        f"{tmp_path}/b.geojson: a FIFO (named pipe), not a regular file: not read",
        f"{tmp_path}/c.geojson: a symbolic link that loops",
        f"{tmp_path}/d.geojson: a symbolic link to a missing file",
        f"{tmp_path}/sub/up: a link to a folder already searched (a loop of links, or a second link to one "
        "folder): not searched again",
    ]
    assert "2 line feature(s) from 1 file(s) are fine" in proc.stderr


#: As root, run the command without the rights to read any folder (CAP_DAC_*), as a user would.
_WITHOUT_DAC = (["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                 "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else [])


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root, and no setpriv")
def test_8_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    good_file(tmp_path / "a.geojson")
    locked = tmp_path / "locked"
    locked.mkdir()
    good_file(locked / "b.geojson")
    locked.chmod(0)
    try:
        proc = subprocess.run([*_WITHOUT_DAC, EXE, "validate", str(tmp_path)], capture_output=True,
                              encoding="utf-8", timeout=120)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [f"{locked}: cannot read the folder: Permission denied"]


def test_8_a_file_name_cannot_forge_a_line_of_output(tmp_path: Path) -> None:
    name = "x.geojson\nproblem: forged.geojson: feature 0: fake"
    (tmp_path / f"{name}.geojson").write_text("{", encoding="utf-8")
    good_file(tmp_path / "a.geojson")
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 1
    assert "x.geojson\\nproblem: forged.geojson" in proc.stdout
    assert all("forged" not in ln or "\\n" in ln for ln in proc.stderr.splitlines())


# --------------------------------------------------------------------------- 9. GeoPackage layers


def test_9_geopackage_layers_are_read_one_by_one_and_named(tmp_path: Path) -> None:
    import pyogrio

    f = tmp_path / "two.gpkg"
    a = gpd.GeoDataFrame({"corridor_id": ["a"]}, geometry=[LineString([[70, 40], [71, 41]])], crs=4326)
    b = gpd.GeoDataFrame({"corridor_id": ["b", "b2"]},
                         geometry=[LineString([[72, 40], [73, 41]]), LineString([[72, 40], [72, 40]])],
                         crs=4326).to_crs(3857)
    pyogrio.write_dataframe(a, f, layer="rail")
    pyogrio.write_dataframe(b, f, layer="mercator")
    with pytest.raises(DataError) as info:
        corridors.read(f)
    assert info.value.feature == "1 (layer 'mercator')"
    assert "a line whose positions are all the same point" in info.value.reason
    with pytest.warns(UserWarning):
        gdf = corridors.read(f, on_error="skip")
    assert gdf["corridor_id"].tolist() == ["a", "b"]
    # the Web Mercator layer comes back in lon/lat
    np.testing.assert_allclose(shapely.get_coordinates(gdf.geometry.iloc[1]), [[72, 40], [73, 41]], atol=1e-9)


# --------------------------------------------------------------------------- 10. concurrent writers


def test_10_two_exports_to_one_geopackage_leave_one_whole_file(tmp_path: Path) -> None:
    one = tmp_path / "one.parquet"
    two = tmp_path / "two.parquet"
    _big_layer(one, 20_000)
    corridors.load_all()[["corridor_id", "segment_id", "geometry"]].to_parquet(two)
    target = tmp_path / "out.gpkg"
    procs = [subprocess.Popen([EXE, "export", "--input", str(src), "-o", str(target)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
             for src in (one, two, one, two)]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    back = corridors.read(target)
    assert len(back) in (20_000, len(corridors.load_all()))  # one writer's complete file
    assert leftovers(tmp_path) == []



def test_4_the_map_draws_a_line_over_the_antimeridian_not_across_the_world() -> None:
    from corridors.geodesy import unwrap_longitudes

    line = LineString([[170.0, 66.0], [180.0, 66.0], [-180.0, 66.0], [-170.0, 66.0]])
    # by hand: each step keeps under 180 degrees; the first vertex keeps its longitude
    assert shapely.get_coordinates(unwrap_longitudes([line])[0]).tolist() == [[170, 66], [180, 66], [180, 66],
                                                                             [190, 66]]
    gdf = gpd.GeoDataFrame({"corridor_id": ["chukotka"]}, geometry=[line], crs=4326)
    page = corridors.render_map(gdf, offline=True).get_root().render()
    assert "[190.0,66.0]" in page and "[-170.0,66.0]" not in page
