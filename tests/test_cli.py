"""The ``corridors`` command line, run as a real process (the installed console script)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import corridors
from corridors import catalog
from corridors.analysis import border_crossings, length_km, lengths_by_country, transfers
from corridors.profiles import profile
from corridors.schema import SEGMENT_COLUMNS

# the console script of the Python running the tests (a venv need not be on PATH), else PATH's
_SIBLING = Path(sys.executable).with_name("corridors")
EXE = str(_SIBLING) if _SIBLING.exists() else shutil.which("corridors")
#: WGS84 meridian arc from 40 N to 41 N, km: the integral of the meridian radius of curvature
#: a(1-e^2)/(1-e^2 sin^2 phi)^(3/2) d(phi), evaluated by hand (midpoint rule, 1e5 steps).
MERIDIAN_40_41_KM = 111.04426


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``corridors ARGS`` with stdout and stderr captured (neither is a terminal)."""
    assert EXE is not None, "the `corridors` console script is not installed (pip install -e .)"
    return subprocess.run([EXE, *args], capture_output=True, cwd=cwd, timeout=600, encoding="utf-8")


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    """The single stderr line of a failed command (and check there is no traceback)."""
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, proc.stderr
    return lines[0]


def feature(coords: list, props: dict | None = None, fid: object = None, gtype: str = "LineString") -> dict:
    f = {"type": "Feature", "properties": props or {},
         "geometry": None if coords is None else {"type": gtype, "coordinates": coords}}
    if fid is not None:
        f["id"] = fid
    return f


def write_fc(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bundled() -> dict:
    """Library results for the bundled corridors, computed once, to compare the CLI with."""
    gdf = catalog.load_all()
    return {"gdf": gdf, "km": length_km(gdf), "by_country": lengths_by_country(gdf),
            "crossings": border_crossings(gdf)}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A file with one good line (a meridian at 75 E, 40-41 N) and two bad features."""
    return write_fc(tmp_path / "mixed.geojson", [
        feature([[75.0, 40.0], [75.0, 41.0]], {"corridor_id": "mine"}, fid="good"),
        feature(None, {"corridor_id": "mine"}, fid="nullgeom"),
        feature([1.0, 2.0], {"corridor_id": "mine"}, fid="pt", gtype="Point"),
    ])


# --------------------------------------------------------------------------- basics


def test_version_matches_package() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"corridors {corridors.__version__}"


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = subprocess.run([sys.executable, "-m", "corridors", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"corridors {corridors.__version__}"


@pytest.mark.parametrize("command", ["list", "info", "profile", "lengths", "crossings", "transfers", "validate",
                                     "export", "map", "figure"])
def test_every_command_help_has_examples(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0
    examples = proc.stdout.split("examples:\n", 1)[1]
    assert f"corridors {command}" in examples
    # RawDescriptionHelpFormatter keeps one example per line
    assert all(line.startswith("  corridors ") for line in examples.strip("\n").splitlines())


@pytest.mark.parametrize("args", [["bogus"], ["lengths", "--by", "colour"], ["lengths", "--format", "xml"], []])
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "error:" in proc.stderr


# --------------------------------------------------------------------------- list / info


def test_list_csv(bundled: dict) -> None:
    proc = run("list", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout))
    assert df["corridor_id"].tolist() == corridors.list_corridors()
    for row in df.itertuples():
        meta = corridors.metadata(row.corridor_id)
        assert row.name == meta["name"]
        assert row.countries.split() == meta["countries"]
        assert row.segments == int((bundled["gdf"]["corridor_id"] == row.corridor_id).sum())
        assert row.length_km == pytest.approx(bundled["km"][row.corridor_id], abs=5e-4)


def test_info_text_and_json() -> None:
    meta = corridors.metadata("cku-railway")
    proc = run("info", "cku-railway", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == meta
    text = run("info", "cku-railway").stdout
    assert text.splitlines()[0] == meta["name"]
    # every source is cited with its URL, every stated length is shown with its source id
    for src in meta["sources"]:
        assert src["url"] in text
    for item in meta["stated_lengths"]:
        assert f"{item['value']:g} {item['unit']}" in text and f"[{item['source']}]" in text


def test_unknown_corridor_lists_valid_ids() -> None:
    for args in (["info", "no-such-line"], ["lengths", "cku-railway", "no-such-line"]):
        proc = run(*args)
        assert proc.returncode == 1
        assert proc.stdout == ""
        line = one_error_line(proc)
        assert "no-such-line" in line
        for cid in corridors.list_corridors():
            assert cid in line


# --------------------------------------------------------------------------- lengths / crossings


def test_lengths_json_matches_library(bundled: dict) -> None:
    proc = run("lengths", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["corridor_id"] for r in rows] == list(bundled["km"].index)
    for r in rows:
        assert r["length_km"] == pytest.approx(bundled["km"][r["corridor_id"]], abs=5e-4)


def test_lengths_by_country_csv_matches_library(bundled: dict) -> None:
    proc = run("lengths", "--by", "country", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(io.StringIO(proc.stdout), keep_default_na=False)
    want = bundled["by_country"]
    assert list(got.columns) == list(want.columns)
    assert got[["corridor_id", "iso3", "country"]].values.tolist() == \
        want[["corridor_id", "iso3", "country"]].values.tolist()
    assert got["length_km"].to_numpy() == pytest.approx(want["length_km"].to_numpy(), abs=5e-4)
    # the per-country rows of each corridor add up to its total length
    sums = got.groupby("corridor_id", sort=False)["length_km"].sum()
    for cid, total in sums.items():
        assert total == pytest.approx(bundled["km"][cid], rel=1e-3)


def md_cells(line: str) -> list[str]:
    """Cells of one Markdown table row (``\\|`` is an escaped pipe inside a cell)."""
    assert line.startswith("| ") and line.endswith(" |"), line
    cells = line[2:-2].replace("\\|", "\0").split(" | ")
    return [c.replace("\0", "|").replace("\\\\", "\\") for c in cells]


def test_list_markdown_table_shape() -> None:
    proc = run("list", "--format", "md")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip("\n").splitlines()
    ids = corridors.list_corridors()
    assert len(lines) == 2 + len(ids)
    rows = [md_cells(line) for line in lines]
    assert rows[0] == ["corridor_id", "name", "kind", "status", "countries", "segments", "length_km"]
    assert rows[1] == ["---"] * 5 + ["---:"] * 2  # numbers right-aligned
    assert [r[0] for r in rows[2:]] == ids
    assert [r[1] for r in rows[2:]] == [corridors.metadata(i)["name"] for i in ids]


def test_markdown_escapes_pipes_in_values(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "pipes.geojson", [feature([[75.0, 40.0], [75.0, 41.0]], {"corridor_id": "a|b"})])
    proc = run("lengths", "--input", str(path), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip("\n").splitlines()
    assert lines[2] == "| a\\|b | 111.044 |"
    assert md_cells(lines[2]) == ["a|b", "111.044"]


def test_lengths_default_table_for_people(bundled: dict) -> None:
    proc = run("lengths")
    assert proc.returncode == 0, proc.stderr
    header, rule, *rows = proc.stdout.rstrip("\n").splitlines()
    assert header.split() == ["corridor_id", "length_km"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert len(rows) == len(bundled["km"])
    for line, (cid, km) in zip(rows, bundled["km"].items()):
        assert line.split()[0] == cid
        assert line.endswith(f"{km:,.3f}")  # rounded to metres (issue 13), right-aligned
        assert len(line) == len(header)


def test_lengths_output_file(tmp_path: Path, bundled: dict) -> None:
    out = tmp_path / "lengths.csv"
    proc = run("lengths", "--format", "csv", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    df = pd.read_csv(out)
    assert df["length_km"].to_numpy() == pytest.approx(bundled["km"].to_numpy(), abs=5e-4)


def test_unwritable_output_is_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "x.csv"
    proc = run("list", "-o", str(target))
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert str(target) in line and "cannot write" in line


def test_crossings_json_matches_library(bundled: dict) -> None:
    proc = run("crossings", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    want = bundled["crossings"]
    assert len(rows) == len(want)
    keys = ["corridor_id", "branch", "seq", "from_iso3", "to_iso3", "checkpoint"]
    assert [[r[k] for k in keys] for r in rows] == want[keys].values.tolist()
    assert [r["km"] for r in rows] == pytest.approx(want["km"].tolist(), abs=5e-4)
    assert [r["lon"] for r in rows] == pytest.approx(want.geometry.x.tolist(), abs=5e-7)
    # a crossing without a checkpoint nearby has no distance to one: null, not NaN (invalid JSON)
    assert all((r["checkpoint_km"] is None) == (r["checkpoint"] == "") for r in rows)
    assert "NaN" not in proc.stdout
    assert [r["lat"] for r in rows] == pytest.approx(want.geometry.y.tolist(), abs=5e-7)


def test_transfers_csv_matches_library(bundled: dict) -> None:
    proc = run("transfers", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(io.StringIO(proc.stdout))
    got["place"] = got["place"].fillna("")
    want = transfers(bundled["gdf"])
    keys = ["corridor_id", "branch", "seq", "kind", "place"]
    assert got[keys].values.tolist() == want[keys].values.tolist()
    assert got["km"].to_numpy() == pytest.approx(want["km"].to_numpy(), abs=5e-4)
    # the CKU railway changes gauge (1,435 -> 1,520 mm) at Makmal (GUIDE.md)
    cku = got[(got["corridor_id"] == "cku-railway") & (got["kind"] == "break-of-gauge")]
    assert cku[["from_gauge_mm", "to_gauge_mm", "place"]].values.tolist() == [[1435, 1520, "Makmal"]]


def test_profile_text_and_json_match_library() -> None:
    report = profile("cku-railway")
    proc = run("profile", "cku-railway", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    want = report.to_dict()
    assert got.keys() == want.keys()
    assert got["length_km"] == pytest.approx(want["length_km"], abs=5e-4)
    assert [r["iso3"] for r in got["by_country"]] == ["CHN", "KGZ", "UZB"]
    assert got["crossings"][0]["checkpoint"].startswith("Torugart")
    text = run("profile", "cku-railway").stdout
    assert text == report.to_text().rstrip("\n") + "\n"


def test_profile_of_own_lines(mixed: Path) -> None:
    proc = run("profile", "mine", "--input", str(mixed), "--on-error", "skip", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["corridor_id"] == "mine"
    assert got["length_km"] == pytest.approx(MERIDIAN_40_41_KM, abs=1e-3)
    # 75 E, 40-41 N lies in Kyrgyzstan and China (Torugart pass is at 75.4 E, 40.6 N)
    assert {r["iso3"] for r in got["by_country"]} <= {"KGZ", "CHN"}
    assert sum(r["length_km"] for r in got["by_country"]) == pytest.approx(MERIDIAN_40_41_KM, rel=1e-3)
    assert len([line for line in proc.stderr.splitlines() if line.startswith("problem: ")]) == 2


@pytest.mark.slow
def test_map_offline_writes_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "cku.html"
    proc = run("map", "cku-railway", "--offline", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert corridors.metadata("cku-railway")["name"] in page
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", page)


@pytest.mark.slow
def test_figure_png_and_bad_suffix(tmp_path: Path) -> None:
    out = tmp_path / "cku.png"
    proc = run("figure", "cku-railway", "--dpi", "40", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert 100 < width < 2000 and 100 < height < 2000  # 40 dpi: a few hundred pixels
    bad = tmp_path / "cku.txt"
    proc = run("figure", "cku-railway", "-o", str(bad))
    assert proc.returncode == 1
    assert str(bad) in one_error_line(proc)
    assert not bad.exists()


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet", "csv"])
def test_export_then_read_round_trip(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"cku.{fmt}"
    proc = run("export", "cku-railway", "--format", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    want = corridors.load("cku-railway")
    got = corridors.read(out)
    assert len(got) == len(want)
    for col in SEGMENT_COLUMNS:
        assert got[col].tolist() == want[col].tolist(), col
    assert shapely.equals_exact(got.geometry.values, want.geometry.values, 0).all()
    if fmt != "csv":  # CSV carries no metadata (documented in corridors.write)
        assert got.attrs["corridors"]["cku-railway"] == want.attrs["corridor"]


def test_exported_file_measures_like_the_bundled_one(tmp_path: Path, bundled: dict) -> None:
    out = tmp_path / "all.gpkg"
    assert run("export", "--all", "-o", str(out)).returncode == 0  # format from the suffix
    proc = run("lengths", "--input", str(out), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    got = {r["corridor_id"]: r["length_km"] for r in json.loads(proc.stdout)}
    assert got == pytest.approx(bundled["km"].to_dict(), abs=5e-4)


def test_export_crossings_layer(tmp_path: Path, bundled: dict) -> None:
    out = tmp_path / "crossings.geojson"
    proc = run("export", "line-d", "--layer", "crossings", "--format", "geojson", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    got = gpd.read_file(out)
    want = bundled["crossings"]
    want = want[want["corridor_id"] == "line-d"]
    assert got[["from_iso3", "to_iso3"]].values.tolist() == want[["from_iso3", "to_iso3"]].values.tolist()
    assert got.geometry.x.to_numpy() == pytest.approx(want.geometry.x.to_numpy(), abs=1e-9)


@pytest.mark.parametrize("args", [["export", "-o", "x.csv"], ["export", "--all", "cku-railway", "-o", "x.csv"]])
def test_export_needs_ids_or_all(tmp_path: Path, args: list[str]) -> None:
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "error:" in one_error_line(proc)
    assert not (tmp_path / "x.csv").exists()


# --------------------------------------------------------------------------- user input and errors


def test_bad_feature_is_one_line_naming_file_feature_reason(mixed: Path) -> None:
    proc = run("lengths", "--input", str(mixed))
    assert proc.returncode == 1
    assert proc.stdout == ""
    line = one_error_line(proc)
    assert str(mixed) in line
    assert "feature 1" in line and "'nullgeom'" in line
    assert "null geometry" in line


def test_debug_shows_traceback(mixed: Path) -> None:
    for args in (["--debug", "lengths", "--input", str(mixed)], ["lengths", "--input", str(mixed), "--debug"]):
        proc = run(*args)
        assert proc.returncode == 1
        assert "Traceback (most recent call last)" in proc.stderr
        assert "DataError" in proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("corridors: error:")


def test_skip_lists_problems_on_stderr_keeps_stdout_clean(mixed: Path) -> None:
    proc = run("lengths", "--input", str(mixed), "--on-error", "skip", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout))
    assert df.to_dict("records") == [{"corridor_id": "mine", "length_km": pytest.approx(MERIDIAN_40_41_KM, abs=1e-3)}]
    problems = [line for line in proc.stderr.splitlines() if line.startswith("problem: ")]
    assert problems == [
        f"problem: {mixed}: feature 1 (id 'nullgeom'): null geometry",
        f"problem: {mixed}: feature 2 (id 'pt'): Point geometry; lines (LineString/MultiLineString) are needed",
    ]
    assert "2 input problem(s)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_lines_outside_every_country_warn_in_one_line(tmp_path: Path) -> None:
    # a line in the open Pacific: what swapped or wrong coordinates often look like
    path = write_fc(tmp_path / "pacific.geojson", [feature([[-150.0, 0.0], [-149.0, 1.0]], {"corridor_id": "sea"})])
    proc = run("lengths", "--input", str(path), "--by", "country", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout), keep_default_na=False)
    assert df["corridor_id"].tolist() == ["sea"]
    warning = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1 and "outside every country" in warning[0]
    assert "Traceback" not in proc.stderr and "warnings.warn" not in proc.stderr


def test_library_error_about_input_names_the_input(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "nomode.geojson", [feature([[75.0, 40.0], [75.0, 41.0]])])
    proc = run("lengths", "--input", str(path), "--by", "mode")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert line.startswith(f"corridors: error: {path}: ") and "'mode'" in line


def test_ids_select_from_input(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "two.geojson", [
        feature([[75.0, 40.0], [75.0, 41.0]], {"corridor_id": "a"}),
        feature([[75.0, 40.0], [75.0, 40.5]], {"corridor_id": "b"}),
    ])
    proc = run("lengths", "b", "--input", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["corridor_id"] for r in rows] == ["b"]
    proc = run("lengths", "c", "--input", str(path))
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "'c'" in line and "a, b" in line


def test_validate_reports_every_problem(mixed: Path, tmp_path: Path) -> None:
    (tmp_path / "truncated.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0] == f"{mixed}: feature 1 (id 'nullgeom'): null geometry"
    assert lines[1].startswith(f"{mixed}: feature 2 (id 'pt'): Point geometry")
    assert lines[2].startswith(f"{tmp_path / 'truncated.geojson'}: not valid JSON")
    assert "3 problem(s)" in proc.stderr
    proc = run("validate", str(tmp_path), "--format", "json")
    rows = json.loads(proc.stdout)
    assert [(r["file"], r["feature"]) for r in rows] == [
        (str(mixed), "1 (id 'nullgeom')"), (str(mixed), "2 (id 'pt')"), (str(tmp_path / "truncated.geojson"), None)]


def test_validate_good_file_exits_0(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "ok.geojson", [feature([[75.0, 40.0], [75.0, 41.0]])])
    proc = run("validate", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "OK, 1 line feature(s) in 1 file(s)" in proc.stderr


def test_validate_warns_of_lines_outside_every_country(tmp_path: Path) -> None:
    path = write_fc(tmp_path / "mixed.geojson", [
        feature([[69.0, 41.0], [70.0, 41.5]], {"corridor_id": "tashkent"}),       # Uzbekistan
        feature([[41.0, 69.0], [41.5, 70.0]], {"corridor_id": "swapped"}),        # the same, lat/lon swapped: Barents Sea
        feature([[51.0, 42.0], [50.0, 40.5]], {"corridor_id": "ferry"}),          # in the Caspian: a sea, not outside
        feature([[-30.0, 0.0], [-29.0, 1.0]], {"corridor_id": "leg", "mode": "sea"}),  # a sea leg: no warning
        feature([[-30.0, 5.0], [-29.0, 6.0]], {"corridor_id": "atlantic"}),       # mid-Atlantic
    ])
    proc = run("validate", str(path))
    assert proc.returncode == 0, proc.stderr  # warnings do not fail validation: offshore lines are real
    assert proc.stdout == ""
    warned = [line for line in proc.stderr.splitlines() if "warning:" in line]
    # the swapped line lies in the Barents Sea near the Kola coast, where an offshore line is
    # plausible: only the mid-Atlantic one, 370+ km from every country, is warned about (issue 13)
    assert warned == [f"corridors: warning: {path}: feature {n}: lies wholly outside every country and sea of "
                      "the borders, farther than 370 km from any (latitude and longitude swapped?)" for n in (4,)]
    assert "OK, 5 line feature(s) in 1 file(s); 1 warning(s)" in proc.stderr
    proc = run("validate", str(catalog.geodata_dir() / "corridors" / "trans-caspian.geojson"))
    assert proc.returncode == 0 and "warning" not in proc.stderr


def test_missing_path_is_one_line() -> None:
    proc = run("validate", "/no/such/dir")
    assert proc.returncode == 1
    assert one_error_line(proc) == "corridors: error: /no/such/dir: no such file or directory"


# --------------------------------------------------------------------------- progress bar


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    for i in range(40):
        write_fc(tmp_path / f"line{i:02d}.geojson", [feature([[75.0, 40.0], [75.0, 40.0 + 0.01 * (i + 1)]])])
    return tmp_path


def test_no_progress_bar_when_stderr_is_not_a_terminal(many_files: Path) -> None:
    proc = run("lengths", "--input", str(many_files), "--format", "csv")
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert len(pd.read_csv(io.StringIO(proc.stdout))) == 40


def run_on_terminal(*args: str) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal: exit code, stdout, what the terminal got."""
    assert EXE is not None
    master, slave = pty.openpty()
    proc = subprocess.Popen([EXE, *args], stdout=subprocess.PIPE, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    stdout = proc.stdout.read().decode()
    proc.wait(60)
    os.close(master)
    return proc.returncode, stdout, b"".join(chunks).decode()


def test_progress_bar_on_a_terminal(many_files: Path) -> None:
    code, stdout, err = run_on_terminal("lengths", "--input", str(many_files), "--format", "csv")
    assert code == 0
    assert "40/40 files" in err and "100%" in err and "\r" in err
    # stdout is untouched by the bar
    assert len(pd.read_csv(io.StringIO(stdout))) == 40


@pytest.mark.slow
def test_progress_bar_over_the_batches_of_one_large_file(tmp_path: Path) -> None:
    from corridors.analysis import BATCH_VERTICES

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import synthetic_lines

    lines = synthetic_lines(30_000, seed=3)  # one GeoParquet file of more vertices than one batch holds
    vertices = int(shapely.get_num_coordinates(lines.geometry.values).sum())
    assert vertices > BATCH_VERTICES
    path = tmp_path / "large.parquet"
    lines.to_parquet(path)
    code, stdout, err = run_on_terminal("crossings", "--input", str(path), "--format", "csv")
    assert code == 0, err[-2000:]
    assert "reading [" in err and "1/1 files" in err
    n = -(-vertices // BATCH_VERTICES)  # at least this many batches
    done = re.findall(r"measuring \[[#.]+\] (\d+)/(\d+) batches of corridors", err)
    assert done and int(done[-1][0]) == int(done[-1][1]) >= n
    assert "Traceback" not in err
    crossings = pd.read_csv(io.StringIO(stdout))
    assert list(crossings.columns[:4]) == ["corridor_id", "branch", "seq", "part"]


# --------------------------------------------------------------------------- GEM corpus


def count_features(root: Path) -> int:
    """Features in every GeoJSON file under ``root``, counted with the json module alone."""
    total = 0
    for path in root.rglob("*.geojson"):
        data = json.loads(path.read_bytes())
        total += len(data["features"]) if data.get("type") == "FeatureCollection" else 1
    return total


@pytest.mark.slow
def test_gem_corpus_lengths_skip(gem_dir: Path) -> None:
    root = gem_dir  # the shared corpus, extracted once per session (conftest.py; skips when absent)
    proc = run("lengths", "--input", str(root), "--on-error", "skip", "--format", "csv")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout))
    problems = [line for line in proc.stderr.splitlines() if line.startswith("problem: ")]
    summary = [line for line in proc.stderr.splitlines() if "input problem(s) listed above" in line]
    assert len(summary) == 1
    n_problems = int(summary[0].split()[1])
    n_lines = int(summary[0].split("; ")[1].split()[0])
    # every problem is listed, each naming a corpus file, a feature and a reason
    assert n_problems == len(problems) > 0
    pattern = re.compile(r"^problem: (?P<file>[^:]+\.geojson): feature (?P<n>\d+)[^:]*: (?P<reason>.+)$")
    parsed = [pattern.match(line) for line in problems]
    assert all(m is not None and Path(m["file"]).is_file() for m in parsed), problems[:3]
    # nothing dropped silently: lines measured + features skipped = features in the files
    assert n_lines + n_problems == count_features(root)
    assert n_lines > 40_000
    # one row per corridor (file stem), each with a positive geodesic length
    assert df["corridor_id"].is_unique and (df["length_km"] > 0).all()


# --------------------------------------------------------------------------- unexpected errors (in process)


@pytest.mark.parametrize("exc, code, text", [(RuntimeError("boom"), 3, "unexpected error: RuntimeError: boom"),
                                             (KeyboardInterrupt(), 130, "interrupted")])
def test_unexpected_errors_are_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                        exc: BaseException, code: int, text: str) -> None:
    from corridors import cli

    def failing(args: object) -> int:  # a command that fails in a way the library never should
        raise exc

    monkeypatch.setattr(cli, "cmd_list", failing)
    assert cli.main(["list"]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and text in err and "Traceback" not in err
    if code == 3:
        assert "--debug" in err
        assert cli.main(["--debug", "list"]) == 3
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and err.strip().endswith(text)
