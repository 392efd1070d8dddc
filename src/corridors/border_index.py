"""Country borders as an analysis index.

:func:`border_index` turns a borders GeoDataFrame (``iso3``, ``name``, polygons) into a
:class:`BorderIndex`: the countries cut into small pieces (as PostGIS ``ST_Subdivide``
does) in an STRtree for point-in-polygon, the boundary linework cut into short chunks in
an STRtree for segment/border intersections, and a coarse lon/lat grid that marks which
cells no boundary passes through, so that most segments are assigned to a country by a
table look-up. Named enclosed seas (the Caspian) are derived from the borders so that
offshore parts can be labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from ._crs import to_wgs84
from .errors import DataError
from .sovereignty import SOVEREIGN_OF

#: Named water bodies enclosed by country borders: label -> search box (lon/lat degrees).
ENCLOSED_SEAS: dict[str, tuple[float, float, float, float]] = {
    "Caspian Sea": (45.5, 36.0, 55.5, 47.8),
}
_NO_REGION = -1
_MIXED = -2
_UNKNOWN = -3


@dataclass
class BorderIndex:
    """Countries (and named seas) prepared for fast overlay with many line segments.

    Attributes
    ----------
    iso3, name : ndarray of str
        Per region: ISO 3166-1 alpha-3 code ("" for a sea) and name.
    is_country : ndarray of bool
        False for named seas.
    chunks : ndarray of shapely.LineString
        Boundary linework cut into chunks of at most ``chunk_size`` segments.
    pieces : ndarray of shapely.Polygon
        Regions cut into pieces of at most ``max_vertices`` vertices.
    piece_region : ndarray of int
        Region number of each piece.
    cell_deg : float
        Grid cell size, degrees.
    mixed : ndarray of bool, shape (ny, nx)
        True where the bounding box of a boundary edge (one segment of a ring) touches the cell.
    admin_units : bool
        True (as built): every Natural Earth admin unit is its own region. False in the
        views of :meth:`view`, whose regions are sovereign states (see
        :mod:`corridors.sovereignty`).
    along_border_deg : float or None
        How far from a border (planar degrees) a stretch of line is settled on the
        country before it (see :func:`corridors.overlay.overlay_segments`); None for the
        overlay's default.
    """

    iso3: NDArray[np.object_]
    name: NDArray[np.object_]
    is_country: NDArray[np.bool_]
    chunks: NDArray[np.object_]
    pieces: NDArray[np.object_]
    piece_region: NDArray[np.intp]
    cell_deg: float
    mixed: NDArray[np.bool_]
    chunk_tree: shapely.STRtree = field(repr=False)
    piece_tree: shapely.STRtree = field(repr=False)
    _cell_region: NDArray[np.int16] = field(repr=False)
    admin_units: bool = True
    along_border_deg: float | None = None
    _views: dict[tuple[bool, float | None], BorderIndex] = field(default_factory=dict, repr=False, compare=False)

    def view(self, admin_units: bool = True, along_border_deg: float | None = None) -> BorderIndex:
        """This index with other analysis settings (made once per setting, then reused).

        Parameters
        ----------
        admin_units : bool
            False merges every admin unit whose sovereign is another region of the index
            into that region (:data:`corridors.sovereignty.SOVEREIGN_OF`, e.g. Baikonur
            into Kazakhstan): its pieces and grid cells take the sovereign's number, so
            no crossing or row is reported for it.
        along_border_deg : float or None
            See the class attributes.

        Returns
        -------
        BorderIndex
            Shares the polygons, boundary chunks and trees with this index.
        """
        key = (bool(admin_units), along_border_deg)
        if key == (self.admin_units, self.along_border_deg):
            return self
        if key not in self._views:
            piece_region, cell_region = self.piece_region, self._cell_region
            if not admin_units and self.admin_units:
                remap = sovereign_regions(self.iso3)
                piece_region = remap[piece_region]
                # one look-up: cell values -3 (not located yet), -2 (mixed), -1 (outside), then regions
                lut = np.r_[_UNKNOWN, _MIXED, _NO_REGION, remap].astype(np.int16)
                cell_region = lut[cell_region - _UNKNOWN]
            self._views[key] = replace(self, piece_region=piece_region, _cell_region=cell_region,
                                       admin_units=bool(admin_units), along_border_deg=along_border_deg, _views={})
        return self._views[key]

    @property
    def shape(self) -> tuple[int, int]:
        """Grid shape (ny, nx)."""
        return self.mixed.shape

    def locate(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.intp]:
        """Region number of each point (-1 outside every region).

        A point in a grid cell that no border touches takes the cell's region (a table
        look-up); the others are located in the polygon pieces. A point on a shared
        boundary goes to the lower region number (countries come before seas, then by
        ``iso3``).

        Parameters
        ----------
        x, y : array_like
            Longitude and latitude, degrees.

        Returns
        -------
        ndarray of int
        """
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        on_grid = (np.abs(x) <= 180.0) & (np.abs(y) <= 90.0)  # False for NaN too
        ix, iy = self.cells(np.where(on_grid, x, 0.0), np.where(on_grid, y, 0.0))
        out = self.cell_region(iy * self.shape[1] + ix)
        mixed = np.flatnonzero((out == -2) | ~on_grid)
        out[mixed] = self._in_pieces(x[mixed], y[mixed])
        return out

    def near_border(self, x: ArrayLike, y: ArrayLike, tol_deg: float) -> NDArray[np.bool_]:
        """True for points within ``tol_deg`` (planar lon/lat degrees) of a border line.

        A point whose surrounding box of half-width ``tol_deg`` lies in grid cells that no
        border passes through is not near one (the grid tells); the others are measured
        against the boundary chunks.

        Parameters
        ----------
        x, y : array_like
            Longitude and latitude, degrees (finite).
        tol_deg : float
            Distance, degrees.

        Returns
        -------
        ndarray of bool
        """
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        near = np.zeros(len(x), dtype=bool)
        if not len(x):
            return near
        pad = tol_deg * (1.0 + 1e-9) + 1e-12  # a hair wider: never too few cells
        ix0, iy0 = self.cells(x - pad, y - pad)
        ix1, iy1 = self.cells(x + pad, y + pad)
        span = int(max((ix1 - ix0).max(), (iy1 - iy0).max()))
        if span <= 2:  # the box covers at most 3 x 3 cells (a tolerance below a cell's width)
            maybe = np.zeros(len(x), dtype=bool)
            for dy in range(span + 1):
                for dx in range(span + 1):
                    maybe |= self.mixed[np.minimum(iy0 + dy, iy1), np.minimum(ix0 + dx, ix1)]
            at = np.flatnonzero(maybe)
        else:
            at = np.arange(len(x))
        hit = self.chunk_tree.query(shapely.points(x[at], y[at]), predicate="dwithin", distance=tol_deg)[0]
        near[at[hit]] = True
        return near

    def _in_pieces(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.intp]:
        """:meth:`locate` by point-in-polygon in the pieces alone (no grid)."""
        out = np.full(len(x), np.iinfo(np.intp).max, dtype=np.intp)
        if len(x):
            pts, pieces = self.piece_tree.query(shapely.points(x, y), predicate="intersects")
            np.minimum.at(out, pts, self.piece_region[pieces])
        out[out == np.iinfo(np.intp).max] = _NO_REGION
        return out

    def cells(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Grid column and row of each point (clipped to the grid)."""
        ny, nx = self.shape
        ix = np.clip(np.floor((np.asarray(x, float) + 180.0) / self.cell_deg), 0, nx - 1).astype(np.intp)
        iy = np.clip(np.floor((np.asarray(y, float) + 90.0) / self.cell_deg), 0, ny - 1).astype(np.intp)
        return ix, iy

    def cell_region(self, cell: ArrayLike) -> NDArray[np.intp]:
        """Region of each clean grid cell (flat cell numbers); -2 for mixed cells.

        Regions of clean cells are found once (point-in-polygon of the cell centre) and
        remembered.
        """
        cell = np.asarray(cell, dtype=np.intp)
        known = self._cell_region[cell]
        todo = np.unique(cell[known == _UNKNOWN])
        todo = todo[~self.mixed.ravel()[todo]]
        if len(todo):
            nx = self.shape[1]
            cx = (todo % nx + 0.5) * self.cell_deg - 180.0
            cy = (todo // nx + 0.5) * self.cell_deg - 90.0
            self._cell_region[todo] = self._in_pieces(cx, cy)
            known = self._cell_region[cell]
        return known.astype(np.intp)

    def label(self, region: ArrayLike) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
        """``(iso3, name)`` of region numbers; -1 gives ``("", "at sea")`` (outside every country).

        Natural Earth's country polygons cover the land and the lakes, so what lies outside
        every country and every named sea is the sea (or a gap in a generalised coastline).
        """
        region = np.asarray(region, dtype=np.intp)
        iso3 = np.append(self.iso3, "")[region]
        name = np.append(self.name, "at sea")[region]
        return iso3, name


def sovereign_regions(iso3: ArrayLike) -> NDArray[np.intp]:
    """Region number of the sovereign of each region (its own where it has none in ``iso3``).

    Parameters
    ----------
    iso3 : array_like of str
        Code of each region, as in :attr:`BorderIndex.iso3`.

    Returns
    -------
    ndarray of int
        ``out[r]`` is the region of :data:`corridors.sovereignty.SOVEREIGN_OF` ``[iso3[r]]``
        when that code is a region too, else ``r``.
    """
    codes = [str(c) for c in np.asarray(iso3, dtype=object)]
    at = {c: i for i, c in enumerate(codes) if c}
    return np.array([at.get(SOVEREIGN_OF.get(c, ""), i) for i, c in enumerate(codes)], dtype=np.intp)


def subdivide(polygons: ArrayLike, max_vertices: int = 64, max_depth: int = 40) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Cut polygons into pieces with at most ``max_vertices`` vertices (like ``ST_Subdivide``).

    Parameters
    ----------
    polygons : array_like of shapely (Multi)Polygons
        Input shapes.
    max_vertices : int
        Largest vertex count of a piece.
    max_depth : int
        Safety limit on the number of halvings.

    Returns
    -------
    pieces : ndarray of shapely.Polygon
    owner : ndarray of int
        Position of the input shape each piece came from.
    """
    parts, owner = shapely.get_parts(np.asarray(polygons, dtype=object), return_index=True)
    done_geoms: list[NDArray[np.object_]] = []
    done_owner: list[NDArray[np.intp]] = []
    for _ in range(max_depth):
        n = shapely.get_num_coordinates(parts)
        small = n <= max_vertices
        done_geoms.append(parts[small])
        done_owner.append(owner[small])
        parts, owner = parts[~small], owner[~small]
        if not len(parts):
            break
        b = shapely.bounds(parts)
        wide = (b[:, 2] - b[:, 0]) >= (b[:, 3] - b[:, 1])
        midx = (b[:, 0] + b[:, 2]) / 2
        midy = (b[:, 1] + b[:, 3]) / 2
        lo = shapely.intersection(parts, shapely.box(b[:, 0], b[:, 1], np.where(wide, midx, b[:, 2]), np.where(wide, b[:, 3], midy)))
        hi = shapely.intersection(parts, shapely.box(np.where(wide, midx, b[:, 0]), np.where(wide, b[:, 1], midy), b[:, 2], b[:, 3]))
        halves = np.concatenate([lo, hi])
        h_owner = np.concatenate([owner, owner])
        parts, idx = shapely.get_parts(halves, return_index=True)
        owner = h_owner[idx]
        poly = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
        parts, owner = parts[poly], owner[poly]
    else:  # pragma: no cover - pathological input
        done_geoms.append(parts)
        done_owner.append(owner)
    return np.concatenate(done_geoms), np.concatenate(done_owner).astype(np.intp)


def boundary_chunks(polygons: ArrayLike, chunk_size: int = 32) -> NDArray[np.object_]:
    """Cut the rings of polygons into LineStrings of at most ``chunk_size`` segments.

    Parameters
    ----------
    polygons : array_like of shapely (Multi)Polygons
    chunk_size : int
        Segments per chunk.

    Returns
    -------
    ndarray of shapely.LineString
    """
    parts = shapely.get_parts(np.asarray(polygons, dtype=object))
    rings = shapely.get_rings(parts)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    pos = np.arange(len(ring)) - np.searchsorted(ring, ring)  # vertex number within its ring
    nseg_ring = np.bincount(ring) - 1
    nchunk_ring = -(-np.maximum(nseg_ring, 1) // chunk_size)
    chunk_base = np.concatenate([[0], np.cumsum(nchunk_ring)[:-1]])
    nseg = nseg_ring[ring]
    own = chunk_base[ring] + np.minimum(pos // chunk_size, np.maximum(nseg - 1, 0) // chunk_size)
    # a vertex where one chunk ends and the next begins belongs to both
    shared = (pos % chunk_size == 0) & (pos > 0) & (pos < nseg)
    ids = np.concatenate([own, own[shared] - 1])
    xy = np.concatenate([coords, coords[shared]])
    order = np.lexsort((np.concatenate([pos, pos[shared]]), ids))
    return np.asarray(shapely.linestrings(xy[order], indices=ids[order]), dtype=object)


def enclosed_seas(polygons: ArrayLike) -> tuple[list[str], list[shapely.Geometry]]:
    """Derive the named enclosed seas (:data:`ENCLOSED_SEAS`) from country polygons.

    The sea is the largest area inside its search box that no country covers and that
    does not touch the box edge.

    Returns
    -------
    names : list of str
    shapes : list of shapely.Polygon
    """
    polygons = np.asarray(polygons, dtype=object)
    names, shapes = [], []
    for label, box in ENCLOSED_SEAS.items():
        frame = shapely.box(*box)
        near = polygons[shapely.intersects(polygons, frame)]
        water = shapely.difference(frame, shapely.union_all(shapely.intersection(near, frame)))
        inner = [p for p in shapely.get_parts(water) if not p.intersects(frame.exterior)]
        if inner:
            names.append(label)
            shapes.append(max(inner, key=lambda p: p.area))
    return names, shapes


def border_index(
    borders: gpd.GeoDataFrame,
    *,
    max_vertices: int = 64,
    chunk_size: int = 32,
    cell_deg: float = 0.1,
) -> BorderIndex:
    """Build the analysis index of a borders layer.

    Parameters
    ----------
    borders : geopandas.GeoDataFrame
        Columns ``iso3``, ``name`` and polygon geometries in EPSG:4326.
    max_vertices : int
        Largest vertex count of a country piece.
    chunk_size : int
        Segments per boundary chunk.
    cell_deg : float
        Grid cell size, degrees.

    Returns
    -------
    BorderIndex
    """
    geoms, iso3, name = _checked(borders)
    sea_names, sea_shapes = enclosed_seas(geoms)
    regions = np.concatenate([geoms, np.asarray(sea_shapes, dtype=object)])
    pieces, piece_region = subdivide(regions, max_vertices)
    chunks = boundary_chunks(geoms, chunk_size)
    mixed = _mixed_grid(_edge_bounds(geoms), cell_deg)
    return _assemble(
        iso3=np.concatenate([iso3, np.full(len(sea_names), "", dtype=object)]).astype(object),
        name=np.concatenate([name, np.asarray(sea_names, dtype=object)]).astype(object),
        is_country=np.concatenate([np.ones(len(iso3), bool), np.zeros(len(sea_names), bool)]),
        chunks=chunks, pieces=pieces, piece_region=piece_region, cell_deg=cell_deg,
        cell_region=np.where(mixed.ravel(), _MIXED, _UNKNOWN).astype(np.int16),
    )


def _checked(borders: gpd.GeoDataFrame) -> tuple[NDArray[np.object_], NDArray[np.object_], NDArray[np.object_]]:
    """Geometries, ``iso3`` and ``name`` of a borders layer in ``iso3`` order (EPSG:4326)."""
    for col in ("iso3", "name"):
        if col not in borders.columns:
            raise DataError(f"borders lack the column {col!r}")
    borders = to_wgs84(borders)
    geoms = np.asarray(borders.geometry.values, dtype=object)
    if not np.isin(shapely.get_type_id(geoms), (3, 6)).all():
        raise DataError("borders must be Polygons or MultiPolygons")
    order = np.argsort(borders["iso3"].astype(str).to_numpy(), kind="stable")
    return geoms[order], borders["iso3"].astype(str).to_numpy()[order], borders["name"].astype(str).to_numpy()[order]


def _edge_bounds(polygons: ArrayLike) -> NDArray[np.float64]:
    """Bounding box (xmin, ymin, xmax, ymax) of every edge of the polygons' rings."""
    rings = shapely.get_rings(shapely.get_parts(np.asarray(polygons, dtype=object)))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    return np.column_stack([np.minimum(a, b), np.maximum(a, b)])


def _mixed_grid(b: NDArray[np.float64], cell_deg: float) -> NDArray[np.bool_]:
    """Cells (ny, nx) that some of the boxes ``b`` (rows of xmin, ymin, xmax, ymax) touch.

    Given the boundary's edges, these are the cells a border may pass through: marking
    edge by edge (not by 32-edge chunk) leaves 2.6 % of the cells mixed instead of 9 %.
    """
    ny, nx = int(round(180 / cell_deg)), int(round(360 / cell_deg))
    mixed = np.zeros((ny, nx), dtype=bool)
    ix0 = np.clip(np.floor((b[:, 0] + 180) / cell_deg), 0, nx - 1).astype(np.intp)
    ix1 = np.clip(np.floor((b[:, 2] + 180) / cell_deg), 0, nx - 1).astype(np.intp)
    iy0 = np.clip(np.floor((b[:, 1] + 90) / cell_deg), 0, ny - 1).astype(np.intp)
    iy1 = np.clip(np.floor((b[:, 3] + 90) / cell_deg), 0, ny - 1).astype(np.intp)
    w, h = ix1 - ix0 + 1, iy1 - iy0 + 1
    count = w * h
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    mixed[np.repeat(iy0, count) + k // np.repeat(w, count), np.repeat(ix0, count) + k % np.repeat(w, count)] = True
    return mixed


def _assemble(*, iso3, name, is_country, chunks, pieces, piece_region, cell_deg, cell_region) -> BorderIndex:
    ny, nx = int(round(180 / cell_deg)), int(round(360 / cell_deg))
    if len(iso3) > np.iinfo(np.int16).max:
        raise DataError(f"a border index holds at most {np.iinfo(np.int16).max} regions, got {len(iso3)}")
    cell_region = np.asarray(cell_region, dtype=np.int16)  # 2 bytes a cell: 13 MB at 0.1 degrees
    return BorderIndex(
        iso3=iso3, name=name, is_country=is_country, chunks=chunks, pieces=pieces,
        piece_region=np.asarray(piece_region, dtype=np.intp), cell_deg=cell_deg,
        mixed=(cell_region == _MIXED).reshape(ny, nx),
        chunk_tree=shapely.STRtree(chunks), piece_tree=shapely.STRtree(pieces), _cell_region=cell_region,
    )


def index_arrays(index: BorderIndex) -> dict[str, np.ndarray]:
    """An index as plain arrays (no pickles), with every grid cell resolved, for storing.

    Parameters
    ----------
    index : BorderIndex
        The index.

    Returns
    -------
    dict of str to ndarray
        The arrays :func:`index_from_arrays` takes back: the pieces as WKB, the boundary
        chunks as their vertices (lon/lat degrees, float64, so that a loaded index cuts
        lines exactly where a fresh build does) and vertex counts, the regions and the grid.
    """
    index.cell_region(np.arange(index.mixed.size))  # resolve every clean cell now
    wkb = shapely.to_wkb(index.pieces)
    sizes = np.fromiter((len(w) for w in wkb), dtype=np.int64, count=len(wkb))
    return {
        "piece_wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
        "piece_offsets": np.r_[0, np.cumsum(sizes)],
        "piece_region": index.piece_region.astype(np.int32),
        "chunk_xy": shapely.get_coordinates(index.chunks),
        "chunk_vertices": shapely.get_num_coordinates(index.chunks).astype(np.int32),
        "iso3": index.iso3.astype(str), "name": index.name.astype(str), "is_country": index.is_country,
        "cell_deg": np.float64(index.cell_deg), "cell_region": index._cell_region.astype(np.int16),
    }


def index_from_arrays(data: Mapping[str, np.ndarray]) -> BorderIndex:
    """The index stored by :func:`index_arrays`.

    Parameters
    ----------
    data : mapping of str to ndarray
        The arrays (e.g. an opened ``.npz``).

    Returns
    -------
    BorderIndex
        Built from the stored arrays alone: the borders layer is not read.
    """
    blob, off = data["piece_wkb"].tobytes(), data["piece_offsets"]
    pieces = shapely.from_wkb(np.array([blob[a:b] for a, b in zip(off[:-1], off[1:])], dtype=object))
    del blob
    counts = data["chunk_vertices"]
    chunks = shapely.linestrings(data["chunk_xy"], indices=np.repeat(np.arange(len(counts)), counts))
    return _assemble(
        iso3=data["iso3"].astype(object), name=data["name"].astype(object), is_country=data["is_country"],
        chunks=np.asarray(chunks, dtype=object), pieces=pieces,
        piece_region=data["piece_region"], cell_deg=float(data["cell_deg"]), cell_region=data["cell_region"],
    )
