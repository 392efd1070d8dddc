#!/usr/bin/env python
"""Build the bundled country borders, ``geodata/borders/countries.parquet``.

Source: Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries (public domain), as
redistributed in the npm package ``world-atlas`` 2.0.2 (file ``countries-10m.json``, a
TopoJSON topology quantized to a 1e5 x 1e5 grid). The builder

1. fetches the package with ``npm pack world-atlas@2.0.2`` (or takes a tarball / JSON
   file already on disk) and checks the SHA-256 of ``countries-10m.json``;
2. reads the ``countries`` object with GDAL's TopoJSON driver (through pyogrio) and
   cross-checks every geometry against an independent numpy decoding of the
   topology (quantized transform + delta-encoded arcs);
3. repairs the geometries: rings that the package's ``geostitch`` step joined across
   the antimeridian are unwrapped, closed through the pole where they wind round it
   (Antarctica) and cut at +/-180 degrees; invalid polygons are repaired with
   ``shapely.make_valid(method="structure")`` and only polygonal parts are kept;
4. maps the ISO 3166-1 numeric ids to alpha-3 codes (``iso3``), giving documented
   user-assigned ``X..`` codes to the Natural Earth units without an ISO code of
   their own;
5. checks the result (valid, non-empty, polygonal, unique codes, no part wrapping
   round the globe) and writes GeoParquet (EPSG:4326, WKB, zstd) sorted by ``iso3``.

Nothing is simplified: every vertex of the source is kept.

Run from the repository root::

    python scripts/build_borders.py                     # fetches with npm
    python scripts/build_borders.py --source world-atlas-2.0.2.tgz
    python scripts/build_borders.py --source countries-10m.json

Requires shapely >= 2.1 (``make_valid(method="structure")``, ``orient_polygons``),
pyogrio (GDAL with the TopoJSON driver), geopandas and pyarrow.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from numpy.typing import NDArray

PACKAGE = "world-atlas"
VERSION = "2.0.2"
MEMBER = "package/countries-10m.json"
OBJECT = "countries"
#: SHA-256 of ``countries-10m.json`` in world-atlas 2.0.2 (npm integrity of the tarball:
#: sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==).
SOURCE_SHA256 = "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79"

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "geodata" / "borders" / "countries.parquet"

#: ISO 3166-1 numeric code -> alpha-3 code, all 249 officially assigned entries.
#: Facts from ISO 3166-1 (ISO 3166 Maintenance Agency, Online Browsing Platform,
#: https://www.iso.org/obp/ui/#search) whose numeric codes are those of the UN
#: Statistics Division's "Standard country or area codes for statistical use" (M49,
#: https://unstats.un.org/unsd/methodology/m49/).
ISO_NUMERIC_TO_ALPHA3: dict[str, str] = {
    "004": "AFG", "008": "ALB", "010": "ATA", "012": "DZA", "016": "ASM", "020": "AND",
    "024": "AGO", "028": "ATG", "031": "AZE", "032": "ARG", "036": "AUS", "040": "AUT",
    "044": "BHS", "048": "BHR", "050": "BGD", "051": "ARM", "052": "BRB", "056": "BEL",
    "060": "BMU", "064": "BTN", "068": "BOL", "070": "BIH", "072": "BWA", "074": "BVT",
    "076": "BRA", "084": "BLZ", "086": "IOT", "090": "SLB", "092": "VGB", "096": "BRN",
    "100": "BGR", "104": "MMR", "108": "BDI", "112": "BLR", "116": "KHM", "120": "CMR",
    "124": "CAN", "132": "CPV", "136": "CYM", "140": "CAF", "144": "LKA", "148": "TCD",
    "152": "CHL", "156": "CHN", "158": "TWN", "162": "CXR", "166": "CCK", "170": "COL",
    "174": "COM", "175": "MYT", "178": "COG", "180": "COD", "184": "COK", "188": "CRI",
    "191": "HRV", "192": "CUB", "196": "CYP", "203": "CZE", "204": "BEN", "208": "DNK",
    "212": "DMA", "214": "DOM", "218": "ECU", "222": "SLV", "226": "GNQ", "231": "ETH",
    "232": "ERI", "233": "EST", "234": "FRO", "238": "FLK", "239": "SGS", "242": "FJI",
    "246": "FIN", "248": "ALA", "250": "FRA", "254": "GUF", "258": "PYF", "260": "ATF",
    "262": "DJI", "266": "GAB", "268": "GEO", "270": "GMB", "275": "PSE", "276": "DEU",
    "288": "GHA", "292": "GIB", "296": "KIR", "300": "GRC", "304": "GRL", "308": "GRD",
    "312": "GLP", "316": "GUM", "320": "GTM", "324": "GIN", "328": "GUY", "332": "HTI",
    "334": "HMD", "336": "VAT", "340": "HND", "344": "HKG", "348": "HUN", "352": "ISL",
    "356": "IND", "360": "IDN", "364": "IRN", "368": "IRQ", "372": "IRL", "376": "ISR",
    "380": "ITA", "384": "CIV", "388": "JAM", "392": "JPN", "398": "KAZ", "400": "JOR",
    "404": "KEN", "408": "PRK", "410": "KOR", "414": "KWT", "417": "KGZ", "418": "LAO",
    "422": "LBN", "426": "LSO", "428": "LVA", "430": "LBR", "434": "LBY", "438": "LIE",
    "440": "LTU", "442": "LUX", "446": "MAC", "450": "MDG", "454": "MWI", "458": "MYS",
    "462": "MDV", "466": "MLI", "470": "MLT", "474": "MTQ", "478": "MRT", "480": "MUS",
    "484": "MEX", "492": "MCO", "496": "MNG", "498": "MDA", "499": "MNE", "500": "MSR",
    "504": "MAR", "508": "MOZ", "512": "OMN", "516": "NAM", "520": "NRU", "524": "NPL",
    "528": "NLD", "531": "CUW", "533": "ABW", "534": "SXM", "535": "BES", "540": "NCL",
    "548": "VUT", "554": "NZL", "558": "NIC", "562": "NER", "566": "NGA", "570": "NIU",
    "574": "NFK", "578": "NOR", "580": "MNP", "581": "UMI", "583": "FSM", "584": "MHL",
    "585": "PLW", "586": "PAK", "591": "PAN", "598": "PNG", "600": "PRY", "604": "PER",
    "608": "PHL", "612": "PCN", "616": "POL", "620": "PRT", "624": "GNB", "626": "TLS",
    "630": "PRI", "634": "QAT", "638": "REU", "642": "ROU", "643": "RUS", "646": "RWA",
    "652": "BLM", "654": "SHN", "659": "KNA", "660": "AIA", "662": "LCA", "663": "MAF",
    "666": "SPM", "670": "VCT", "674": "SMR", "678": "STP", "682": "SAU", "686": "SEN",
    "688": "SRB", "690": "SYC", "694": "SLE", "702": "SGP", "703": "SVK", "704": "VNM",
    "705": "SVN", "706": "SOM", "710": "ZAF", "716": "ZWE", "724": "ESP", "728": "SSD",
    "729": "SDN", "732": "ESH", "740": "SUR", "744": "SJM", "748": "SWZ", "752": "SWE",
    "756": "CHE", "760": "SYR", "762": "TJK", "764": "THA", "768": "TGO", "772": "TKL",
    "776": "TON", "780": "TTO", "784": "ARE", "788": "TUN", "792": "TUR", "795": "TKM",
    "796": "TCA", "798": "TUV", "800": "UGA", "804": "UKR", "807": "MKD", "818": "EGY",
    "826": "GBR", "831": "GGY", "832": "JEY", "833": "IMN", "834": "TZA", "840": "USA",
    "850": "VIR", "854": "BFA", "858": "URY", "860": "UZB", "862": "VEN", "876": "WLF",
    "882": "WSM", "887": "YEM", "894": "ZMB",
}

#: Natural Earth units without an ISO 3166-1 code of their own, keyed by their
#: Natural Earth name: (code, note). The codes are taken from the range XAA-XZZ that
#: ISO 3166-1 leaves to users ("user-assigned code elements"), so they can never
#: clash with an official code. XKX for Kosovo is the code already used by the
#: European Commission, the IMF and the World Bank; the others are this project's.
#: A feature is listed here when its id is missing in the source or when its id is
#: the id of a larger unit (Ashmore and Cartier Is. carries Australia's 036).
UNCODED_UNITS: dict[str, tuple[str, str]] = {
    "Akrotiri": ("XAK", "UK Sovereign Base Area on Cyprus; not listed in ISO 3166-1"),
    "Ashmore and Cartier Is.": ("XAC", "Australian external territory; in AU (036) in ISO 3166-1"),
    "Baikonur": ("XBK", "Kazakh territory leased to Russia (cosmodrome); in KZ in ISO 3166-1"),
    "Bajo Nuevo Bank": ("XBN", "disputed reef in the Caribbean, administered by Colombia"),
    "Clipperton I.": ("XCL", "French Pacific island; ISO 3166-1 only reserves CP/CPT"),
    "Coral Sea Is.": ("XCS", "Australian external territory; in AU in ISO 3166-1"),
    "Cyprus U.N. Buffer Zone": ("XCB", "UN-controlled buffer zone on Cyprus"),
    "Dhekelia": ("XDK", "UK Sovereign Base Area on Cyprus; not listed in ISO 3166-1"),
    "Indian Ocean Ter.": ("XIO", "Christmas Island (CX) and Cocos (Keeling) Islands (CC) as one unit"),
    "Kosovo": ("XKX", "user-assigned code in common use (European Commission, IMF, World Bank)"),
    "N. Cyprus": ("XNC", "de facto entity in northern Cyprus; in CY in ISO 3166-1"),
    "Scarborough Reef": ("XSR", "disputed reef in the South China Sea"),
    "Serranilla Bank": ("XSB", "disputed bank in the Caribbean, administered by Colombia"),
    "Siachen Glacier": ("XSG", "disputed between India and Pakistan"),
    "Somaliland": ("XSL", "de facto entity in northern Somalia; in SO in ISO 3166-1"),
    "Spratly Is.": ("XSP", "disputed islands in the South China Sea"),
    "USNB Guantanamo Bay": ("XGT", "US naval base leased from Cuba; in CU in ISO 3166-1"),
}

#: Units whose whole area is smaller than the source's quantization grid (0.0036 x
#: 0.0017 degrees) so that every ring collapses to a line: id -> name. They are
#: dropped (and reported); their land lies inside the neighbour, whose matching hole
#: collapsed too. Any other unit that comes out empty is an error.
EXPECTED_COLLAPSED: dict[str, str] = {"336": "Vatican"}

_ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")


@dataclass
class BuildReport:
    """What the builder did, for printing.

    Attributes
    ----------
    features : int
        Features in the source object.
    degenerate_rings : list of str
        Rings with fewer than 4 positions after decoding (dropped by GDAL and by
        the numpy decoder alike), as ``"name: exterior|hole"``.
    invalid_before, invalid_after : list of str
        Names of features with invalid geometry before and after repair.
    antimeridian_fixed : list of str
        Names of features with at least one ring re-cut at the antimeridian.
    dropped : list of str
        Names of features dropped because their geometry collapsed.
    max_area_change : tuple of (str, float)
        Feature with the largest relative change of planar area through
        ``make_valid`` and that change (features re-cut at the antimeridian excluded,
        since closing a ring through the pole changes their planar area on purpose).
    """

    features: int = 0
    degenerate_rings: list[str] = field(default_factory=list)
    invalid_before: list[str] = field(default_factory=list)
    invalid_after: list[str] = field(default_factory=list)
    antimeridian_fixed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    max_area_change: tuple[str, float] = ("", 0.0)


# --------------------------------------------------------------------------- source


def fetch_source(source: Path | None, workdir: Path) -> Path:
    """Return the path of ``countries-10m.json``, fetching the npm package if needed.

    Parameters
    ----------
    source : Path or None
        ``None`` to run ``npm pack world-atlas@2.0.2`` in ``workdir``; a ``.tgz``
        tarball of the package; or the ``countries-10m.json`` file itself.
    workdir : Path
        Scratch directory for the tarball and the extracted JSON.

    Returns
    -------
    Path
        Path of the TopoJSON file.
    """
    if source is not None and source.suffix == ".json":
        return source
    if source is None:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm not found: install Node.js or pass --source <tarball or json>")
        proc = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--json"],
            cwd=workdir, capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"npm pack {PACKAGE}@{VERSION} failed:\n{proc.stderr}")
        source = workdir / json.loads(proc.stdout)[0]["filename"]
    with tarfile.open(source, "r:gz") as tar:
        try:
            member = tar.getmember(MEMBER)
        except KeyError:
            raise SystemExit(f"{source}: no {MEMBER} in the tarball") from None
        handle = tar.extractfile(member)
        if handle is None:
            raise SystemExit(f"{source}: {MEMBER} is not a regular file")
        out = workdir / "countries-10m.json"
        out.write_bytes(handle.read())
    return out


def check_sha256(path: Path, expected: str = SOURCE_SHA256) -> str:
    """Check that the file's SHA-256 is ``expected``; return the digest.

    Raises
    ------
    SystemExit
        On a mismatch, naming the file and both digests.
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise SystemExit(
            f"{path}: SHA-256 {digest} is not that of {PACKAGE} {VERSION} "
            f"countries-10m.json ({expected}); pass --no-verify to build from it anyway"
        )
    return digest


# --------------------------------------------------------------------------- reading


def read_with_gdal(path: Path, layer: str = OBJECT) -> gpd.GeoDataFrame:
    """Read one TopoJSON object with GDAL's TopoJSON driver.

    GDAL exposes each object of the topology as a layer of that name, with the
    feature ``id`` and the ``properties`` as string fields; the layer has no CRS
    (TopoJSON has none), so EPSG:4326 is set here.

    Parameters
    ----------
    path : Path
        TopoJSON file.
    layer : str
        Object name.

    Returns
    -------
    GeoDataFrame
        Columns ``id``, ``name``, ``geometry``, in source order.
    """
    layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    if layer not in layers:
        raise SystemExit(f"{path}: no object {layer!r} (layers: {layers})")
    info = pyogrio.read_info(path, layer=layer)
    if info["driver"] != "TopoJSON":
        raise SystemExit(f"{path}: GDAL opened it with {info['driver']}, not TopoJSON")
    frame = pyogrio.read_dataframe(path, layer=layer)
    return frame.set_crs(4326, allow_override=True)


def _decode_arcs(topology: dict) -> list[NDArray[np.float64]]:
    """Absolute lon/lat positions of every arc of a quantized topology."""
    transform = topology.get("transform")
    if transform is None:
        raise SystemExit("expected a quantized topology (with a 'transform')")
    scale = np.asarray(transform["scale"], dtype=np.float64)
    translate = np.asarray(transform["translate"], dtype=np.float64)
    return [
        np.cumsum(np.asarray(arc, dtype=np.int64).reshape(-1, 2), axis=0) * scale + translate
        for arc in topology["arcs"]
    ]


def _ring(arcs: list[NDArray[np.float64]], indices: list[int]) -> NDArray[np.float64]:
    """Join arcs into one ring; a negative index ``~i`` is arc ``i`` reversed."""
    pieces = []
    for k, i in enumerate(indices):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pieces.append(arc if k == 0 else arc[1:])  # consecutive arcs share an end point
    return np.concatenate(pieces)


def decode_topojson(path: Path, name: str = OBJECT) -> tuple[list[str | None], list[str], NDArray[np.object_], list[str]]:
    """Decode one GeometryCollection object of a quantized TopoJSON file with numpy.

    Positions are ``cumsum(delta) * scale + translate`` (TopoJSON specification, 2.1.3
    and 2.2); rings are concatenations of arcs. Rings with fewer than four positions
    (collapsed by quantization) are left out, as GDAL does.

    Parameters
    ----------
    path : Path
        TopoJSON file.
    name : str
        Object name.

    Returns
    -------
    ids : list of str or None
        Feature ids.
    names : list of str
        ``properties.name`` of each feature.
    geometries : ndarray of shapely geometries
        Polygons / MultiPolygons (possibly invalid, possibly empty).
    degenerate : list of str
        ``"name: exterior"`` or ``"name: hole"`` per dropped ring.
    """
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    ids: list[str | None] = []
    names: list[str] = []
    geoms: list[shapely.Geometry] = []
    degenerate: list[str] = []
    for feature in topology["objects"][name]["geometries"]:
        ids.append(feature.get("id"))
        label = str(feature.get("properties", {}).get("name", ""))
        names.append(label)
        kind = feature["type"]
        if kind not in ("Polygon", "MultiPolygon"):
            raise SystemExit(f"{path}: feature {label!r} is a {kind}, expected (Multi)Polygon")
        polygons = [feature["arcs"]] if kind == "Polygon" else feature["arcs"]
        parts = []
        for rings in polygons:
            coords = [_ring(arcs, r) for r in rings]
            if len(coords[0]) < 4:
                degenerate.append(f"{label}: exterior")
                continue
            holes = []
            for hole in coords[1:]:
                if len(hole) < 4:
                    degenerate.append(f"{label}: hole")
                else:
                    holes.append(hole)
            parts.append(shapely.Polygon(coords[0], holes))
        if kind == "Polygon":
            geoms.append(parts[0] if parts else shapely.Polygon())
        else:
            geoms.append(shapely.MultiPolygon(parts))
    return ids, names, np.array(geoms, dtype=object), degenerate


def cross_check(frame: gpd.GeoDataFrame, ids: list[str | None], names: list[str], geoms: NDArray[np.object_]) -> None:
    """Check that GDAL's reading equals the numpy decoding, feature by feature.

    Raises
    ------
    SystemExit
        Naming the first feature that differs.
    """
    if len(frame) != len(geoms):
        raise SystemExit(f"GDAL read {len(frame)} features, the decoder {len(geoms)}")
    gdal_ids = [None if v is None or v != v else str(v) for v in frame["id"]]
    same = shapely.equals_exact(np.asarray(frame.geometry.values), geoms, tolerance=1e-9)
    same |= shapely.is_empty(np.asarray(frame.geometry.values)) & shapely.is_empty(geoms)
    for i in range(len(geoms)):
        if gdal_ids[i] != ids[i] or frame["name"].iloc[i] != names[i] or not same[i]:
            raise SystemExit(f"GDAL and the numpy decoder disagree on feature {i} ({names[i]!r})")


# --------------------------------------------------------------------------- repair


def _unwrap(ring: NDArray[np.float64]) -> NDArray[np.float64]:
    """Make longitudes continuous: after a step of more than 180 degrees, shift by 360."""
    out = ring.copy()
    step = np.diff(ring[:, 0])
    shift = np.where(step > 180.0, -360.0, np.where(step < -180.0, 360.0, 0.0))
    out[1:, 0] += np.cumsum(shift)
    return out


def _wraps(ring: NDArray[np.float64]) -> bool:
    """True if the ring has a step of more than 180 degrees of longitude."""
    return bool((np.abs(np.diff(ring[:, 0])) > 180.0).any())


def fix_antimeridian_polygon(polygon: shapely.Polygon) -> list[shapely.Polygon]:
    """Re-cut a polygon whose rings jump across the antimeridian.

    Each ring is unwrapped to continuous longitudes. An exterior ring that then ends
    360 degrees from where it started winds once round the globe (Antarctica); it is
    closed through the nearer pole. The polygon, now correct in the unwrapped plane,
    is repaired, cut into the windows [-540, -180], [-180, 180] and [180, 540] and
    each piece shifted back into [-180, 180].

    Parameters
    ----------
    polygon : shapely.Polygon
        A polygon in lon/lat degrees.

    Returns
    -------
    list of shapely.Polygon
        The polygon itself if no ring jumps, else the re-cut pieces.
    """
    rings = [np.asarray(r.coords) for r in (polygon.exterior, *polygon.interiors)]
    if not any(_wraps(r) for r in rings):
        return [polygon]
    shell = _unwrap(rings[0])
    if abs(shell[-1, 0] - shell[0, 0]) > 1e-9:  # winds round a pole
        pole = -90.0 if shell[:, 1].mean() < 0 else 90.0
        shell = np.vstack([shell, [[shell[-1, 0], pole], [shell[0, 0], pole], shell[0]]])
    middle = (shell[:, 0].min() + shell[:, 0].max()) / 2.0
    shift = -360.0 * np.floor((middle + 180.0) / 360.0)
    shell[:, 0] += shift
    middle += shift
    holes = []
    for ring in rings[1:]:
        hole = _unwrap(ring)
        centre = (hole[:, 0].min() + hole[:, 0].max()) / 2.0
        hole[:, 0] -= 360.0 * np.round((centre - middle) / 360.0)
        holes.append(hole)
    unwrapped = shapely.make_valid(shapely.Polygon(shell, holes), method="structure", keep_collapsed=False)
    pieces: list[shapely.Polygon] = []
    for k in (-1, 0, 1):
        window = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = shapely.intersection(unwrapped, window)
        if k:
            piece = shapely.transform(piece, lambda xy, k=k: xy - [360.0 * k, 0.0])
        pieces.extend(_polygons(piece))
    return pieces


def _polygons(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    """The non-empty polygons of any geometry (collections flattened, rest dropped)."""
    parts = shapely.get_parts(geometry)
    out: list[shapely.Polygon] = []
    for part in parts:
        if part.geom_type == "Polygon":
            if not part.is_empty and part.area > 0:
                out.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygons(part))
    return out


def _assemble(polygons: list[shapely.Polygon]) -> shapely.Geometry:
    """Polygon for one part, MultiPolygon for several, empty Polygon for none."""
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def repair(geometries: NDArray[np.object_], names: list[str], report: BuildReport) -> NDArray[np.object_]:
    """Fix antimeridian-crossing rings, then make every geometry valid and polygonal.

    Parameters
    ----------
    geometries : ndarray of shapely geometries
        Source (Multi)Polygons in lon/lat degrees.
    names : list of str
        Feature names, for the report.
    report : BuildReport
        Filled with the invalid features before/after and the re-cut ones.

    Returns
    -------
    ndarray of shapely geometries
        Valid Polygons / MultiPolygons (empty where everything collapsed), each
        exterior ring counter-clockwise (RFC 7946 order).
    """
    report.invalid_before = [n for n, ok in zip(names, shapely.is_valid(geometries)) if not ok]
    recut = []
    for name, geometry in zip(names, geometries):
        parts = shapely.get_parts(geometry)
        fixed = [piece for part in parts for piece in fix_antimeridian_polygon(part)]
        if len(fixed) != len(parts) or any(a is not b for a, b in zip(fixed, parts)):
            report.antimeridian_fixed.append(name)
        recut.append(_assemble(fixed))
    recut_arr = np.array(recut, dtype=object)
    valid = shapely.make_valid(recut_arr, method="structure", keep_collapsed=False)
    out = np.array([_assemble(_polygons(g)) for g in valid], dtype=object)
    out = shapely.orient_polygons(out, exterior_cw=False)
    report.invalid_after = [n for n, ok in zip(names, shapely.is_valid(out)) if not ok]

    before, after = shapely.area(recut_arr), shapely.area(out)
    change = np.abs(after - before) / np.where(before > 0, before, 1.0)
    change[[n in report.antimeridian_fixed for n in names]] = 0.0
    worst = int(np.argmax(change))
    report.max_area_change = (names[worst], float(change[worst]))
    return out


# --------------------------------------------------------------------------- codes


def assign_iso3(ids: list[str | None], names: list[str]) -> list[str]:
    """ISO 3166-1 alpha-3 code of each feature (user-assigned X.. code where none).

    Parameters
    ----------
    ids : list of str or None
        ISO 3166-1 numeric codes as strings, ``None`` where the source has none.
    names : list of str
        Natural Earth names.

    Returns
    -------
    list of str
        One code per feature.

    Raises
    ------
    SystemExit
        For a feature with neither a known numeric code nor an entry in
        :data:`UNCODED_UNITS`.
    """
    codes = []
    for ident, name in zip(ids, names):
        if name in UNCODED_UNITS:
            codes.append(UNCODED_UNITS[name][0])
        elif ident is not None and ident in ISO_NUMERIC_TO_ALPHA3:
            codes.append(ISO_NUMERIC_TO_ALPHA3[ident])
        else:
            raise SystemExit(f"feature {name!r} (id {ident!r}): no ISO 3166-1 code and no entry in UNCODED_UNITS")
    return codes


# --------------------------------------------------------------------------- checks


def part_lon_extent(geometries: NDArray[np.object_]) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.bool_]]:
    """Longitude extent of every polygon part, its feature index and whether it reaches a pole."""
    parts, index = shapely.get_parts(geometries, return_index=True)
    bounds = shapely.bounds(parts)
    polar = (bounds[:, 1] <= -90.0) | (bounds[:, 3] >= 90.0)
    return bounds[:, 2] - bounds[:, 0], index, polar


def check(frame: gpd.GeoDataFrame) -> None:
    """Raise SystemExit unless the borders table meets the data contract.

    Checks: columns; every geometry a valid, non-empty Polygon/MultiPolygon inside
    [-180, 180] x [-90, 90]; ``iso3`` three upper-case letters and unique; names
    non-empty; no polygon part spanning more than 180 degrees of longitude unless it
    reaches a pole (a ring wrapped the wrong way round the globe would).
    """
    problems: list[str] = []
    if list(frame.columns) != ["iso3", "name", "geometry"]:
        problems.append(f"columns are {list(frame.columns)}")
    geoms = np.asarray(frame.geometry.values)
    for label, bad in (
        ("invalid", ~shapely.is_valid(geoms)),
        ("empty", shapely.is_empty(geoms)),
        ("not (Multi)Polygon", ~np.isin(shapely.get_type_id(geoms), [3, 6])),
    ):
        if bad.any():
            problems.append(f"{label}: {list(frame['iso3'][bad])}")
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        problems.append(f"coordinates outside lon/lat range: {(xmin, ymin, xmax, ymax)}")
    bad_codes = [c for c in frame["iso3"] if not isinstance(c, str) or not _ISO3_PATTERN.match(c)]
    if bad_codes:
        problems.append(f"malformed iso3: {bad_codes}")
    dupes = frame["iso3"][frame["iso3"].duplicated()].tolist()
    if dupes:
        problems.append(f"duplicate iso3: {dupes}")
    if (frame["name"].str.len() == 0).any():
        problems.append("empty name")
    extent, index, polar = part_lon_extent(geoms)
    wide = (extent > 180.0) & ~polar
    if wide.any():
        problems.append(f"parts spanning > 180 deg of longitude: {sorted(set(frame['iso3'].iloc[index[wide]]))}")
    if problems:
        raise SystemExit("borders check failed:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------- build


def build(path: Path, report: BuildReport) -> gpd.GeoDataFrame:
    """Read, cross-check, repair and code the countries of ``countries-10m.json``.

    Parameters
    ----------
    path : Path
        The TopoJSON file.
    report : BuildReport
        Filled in as the build goes.

    Returns
    -------
    GeoDataFrame
        Columns ``iso3``, ``name``, ``geometry`` (EPSG:4326), sorted by ``iso3``.
    """
    frame = read_with_gdal(path)
    ids, names, decoded, report.degenerate_rings = decode_topojson(path)
    cross_check(frame, ids, names, decoded)
    report.features = len(frame)

    geoms = repair(np.asarray(frame.geometry.values), names, report)
    empty = shapely.is_empty(geoms)
    unexpected = [n for n, i, e in zip(names, ids, empty) if e and EXPECTED_COLLAPSED.get(str(i)) != n]
    if unexpected:
        raise SystemExit(f"geometry collapsed to nothing for {unexpected}")
    report.dropped = [n for n, e in zip(names, empty) if e]

    keep = ~empty
    out = gpd.GeoDataFrame(
        {
            "iso3": np.array(assign_iso3(ids, names), dtype=object)[keep],
            "name": np.array(names, dtype=object)[keep],
        },
        geometry=gpd.GeoSeries(geoms[keep], crs="EPSG:4326"),
    )
    out = out.sort_values("iso3", kind="stable").reset_index(drop=True)
    check(out)
    return out


def write(frame: gpd.GeoDataFrame, output: Path) -> None:
    """Write GeoParquet (WKB geometry, zstd level 19, no index)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(output, index=False, compression="zstd", compression_level=19)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=None,
                        help=f"{PACKAGE}-{VERSION}.tgz or countries-10m.json already on disk (default: npm pack)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="GeoParquet file to write")
    parser.add_argument("--no-verify", action="store_true", help="skip the SHA-256 check of the source")
    args = parser.parse_args(argv)

    report = BuildReport()
    with tempfile.TemporaryDirectory(prefix="build_borders_") as tmp:
        path = fetch_source(args.source, Path(tmp))
        if not args.no_verify:
            check_sha256(path)
        frame = build(path, report)
    write(frame, args.output)

    vertices = int(shapely.get_num_coordinates(np.asarray(frame.geometry.values)).sum())
    print(f"source: {PACKAGE} {VERSION} {MEMBER}, {report.features} features")
    print(f"rings collapsed by quantization (left out on reading): {len(report.degenerate_rings)}: "
          + "; ".join(report.degenerate_rings))
    print(f"invalid before repair: {len(report.invalid_before)}: {', '.join(report.invalid_before)}")
    print(f"re-cut at the antimeridian: {', '.join(report.antimeridian_fixed) or 'none'}")
    print(f"largest area change through make_valid: {report.max_area_change[0]} "
          f"{100 * report.max_area_change[1]:.3f} %")
    print(f"invalid after repair: {len(report.invalid_after)}")
    print(f"dropped (collapsed entirely): {', '.join(report.dropped) or 'none'}")
    print(f"wrote {args.output}: {len(frame)} rows, {args.output.stat().st_size:,} bytes, {vertices:,} vertices")
    return 0


if __name__ == "__main__":
    sys.exit(main())
