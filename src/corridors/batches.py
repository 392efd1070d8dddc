"""Per-country lengths and crossings of whole corridors in batches, joined in input order.

Both large-input paths use this module: the in-memory :func:`corridors.lengths_by_country`
and :func:`corridors.border_crossings` on more than
:data:`corridors.analysis.BATCH_VERTICES` vertices (:func:`run`), and the dask backend,
whose partitions are batches (:mod:`corridors.distributed`).

A batch always holds whole corridors (every row of a ``corridor_id``): the per-country
split of a line depends on the whole chained corridor (segments are chained end to end,
and short stretches along a border are settled on the region before them), and crossings
are numbered and measured from the start of each branch. Each batch gives small tables
(:func:`batch_tables`), each row tagged with the input position of its corridor's first
row; :func:`join` puts them together in the order the unbatched path gives.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyproj
import shapely

from ._checks import USED_COLUMNS, branch_of, checked_lines
from .border_index import BorderIndex
from .engine import finish_lengths, name_crossings, overlay_lines, warn_outside
from .errors import DataError

_KEY = ["corridor_id", "branch"]

#: Vertices per batch of a batched run (at most; a larger corridor is a batch of its own).
#: Small batches keep the overlay's working set small (about 350 bytes per vertex: 50 MB)
#: and are as fast as large ones: on the GEM corpus (3.4M vertices) 150k-vertex batches took
#: as much CPU time as 250k ones and less than 2M ones, and added 0-50 MB to the input's
#: memory instead of about 480 MB.
STEP_VERTICES = 150_000

#: Batches analysed at once (see :data:`EXECUTOR`): 2 on a machine with two cores or more.
#: On threads, on the GEM corpus (a shared 2-core machine), two took 1.60-2.04 s against
#: 1.91-2.12 s for one, and 80-90 MB more at the peak; set it to 1 to trade that time for the
#: memory.
THREADS = 2 if (os.cpu_count() or 1) >= 2 else 1

#: How the batches are spread over :data:`THREADS` workers: ``"processes"`` (worker processes
#: forked from this one, on Linux, where forking a process with threads is safe: they share the
#: lines and the border index with it copy-on-write, and each holds its own batch's overlay), or
#: ``"threads"``. Processes escape the interpreter lock, which threads hold for the Python
#: between the vectorised calls, but each worker keeps 80-100 MB of its own (PSS; the whole
#: process tree is reported by ``benchmarks/bench_duckdb.py``). Tables are the same either way
#: (tested bit for bit). On the GEM corpus on a shared 2-core machine, processes took 4.1-4.6 s
#: and threads 4.7-4.9 s at a load of 2.6-3.1 (one thread: 3.3 s: with both cores busy
#: elsewhere, parallel work only adds overhead); see benchmarks/README.md for the quieter runs.
EXECUTOR = "processes" if sys.platform.startswith("linux") else "threads"  # fork is not safe on macOS

#: The inputs of the batched run in progress, read by its forked workers (see :func:`run`).
_FORKED: list[tuple[Any, BorderIndex, list[np.ndarray], str]] = []


@dataclass
class BatchTables:
    """The tables of one batch, each with ``_first`` (see :class:`FirstPositions`).

    Attributes
    ----------
    lengths : DataFrame or None
        ``Analysis.lengths_table`` rows.
    crossings : DataFrame or None
        ``Analysis.crossing_rows`` rows (no checkpoints yet).
    outside : DataFrame or None
        One row per chained line wholly outside every country: ``corridor_id`` and
        ``_first``, the first input position of its corridor and branch.
    """

    lengths: pd.DataFrame | None
    crossings: pd.DataFrame | None
    outside: pd.DataFrame | None


@dataclass
class Batched:
    """The joined tables of a batched run; read like an :class:`corridors.engine.Analysis`.

    Attributes
    ----------
    lengths : DataFrame or None
        The :func:`corridors.lengths_by_country` table (None if not computed).
    crossings : DataFrame or None
        The crossings before the checkpoints are named (None if not computed).
    outside : tuple of (int, ndarray) or None
        Lines wholly outside every country and their corridors, in the unbatched
        warning's order; None if there are none.
    """

    lengths: pd.DataFrame | None
    crossings: pd.DataFrame | None
    outside: tuple[int, np.ndarray] | None

    def lengths_by_country(self, by_branch: bool = False) -> pd.DataFrame:
        """The lengths table (a copy); warns as :meth:`Analysis.lengths_by_country`, once."""
        if self.outside is not None:
            warn_outside(*self.outside)
        return finish_lengths(self.lengths, by_branch)

    def border_crossings(self, places: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """The crossings table, checkpoints named from ``places`` (the bundled places by default)."""
        return name_crossings(self.crossings, places)


def plan(corridor_id: np.ndarray, vertices: np.ndarray, budget: int) -> list[np.ndarray]:
    """Split rows into batches of whole corridors of at most ``budget`` vertices.

    Corridors are taken in order of first appearance and packed greedily; a corridor of
    more than ``budget`` vertices is a batch of its own.

    Parameters
    ----------
    corridor_id : ndarray
        Corridor of each row.
    vertices : ndarray of int
        Vertices of each row.
    budget : int
        Vertices per batch.

    Returns
    -------
    list of ndarray of int
        Row positions of each batch, ascending (input order).
    """
    code, uniques = pd.factorize(corridor_id, use_na_sentinel=False)
    size = np.bincount(code, weights=vertices, minlength=len(uniques)).astype(np.int64)
    batch_of = np.empty(len(size), dtype=np.intp)
    batch, used = 0, 0
    for i, s in enumerate(size.tolist()):  # one step per corridor (not per row or vertex)
        if used and used + s > budget:
            batch, used = batch + 1, 0
        batch_of[i] = batch
        used += s
    row_batch = batch_of[code]
    order = np.argsort(row_batch, kind="stable")
    return np.split(order, np.searchsorted(row_batch[order], np.arange(1, batch + 1))) if len(order) else []


class FirstPositions:
    """The first input position of each value of ``corridor_id`` (and ``branch``) among the
    rows of a batch, for ordering its tables as the unbatched path does.

    Parameters
    ----------
    lines : DataFrame
        The rows of a batch (``corridor_id``, optionally ``branch``).
    pos : ndarray of int
        Input position of each row of ``lines``.
    drawn : ndarray of bool
        The rows with a drawn geometry (the only ones :meth:`of` counts with ``drawn_only``).
    """

    def __init__(self, lines: pd.DataFrame, pos: np.ndarray, drawn: np.ndarray) -> None:
        self.pos, self.drawn = np.asarray(pos, dtype=np.int64), np.asarray(drawn, dtype=bool)
        self.codes = {c: pd.factorize(branch_of(lines) if c == "branch" else lines[c].to_numpy(), use_na_sentinel=False)
                      for c in _KEY}

    def of(self, table: pd.DataFrame, columns: list[str], drawn_only: bool = False) -> np.ndarray:
        """For each row of ``table``, the first position of its value of ``columns``
        (``["corridor_id"]`` or ``["corridor_id", "branch"]``; each value that of some row)."""
        key, want, size = np.zeros(len(self.pos), np.int64), np.zeros(len(table), np.int64), 1
        for c in columns:  # one integer key per row: the codes of the columns combined
            code, uniques = self.codes[c]
            wanted = pd.Index(uniques).get_indexer(table[c].astype(str).to_numpy() if c == "branch" else table[c].to_numpy())
            if (wanted < 0).any():
                raise ValueError(f"a value of {c!r} is not among the batch's rows")
            key, want, size = key * len(uniques) + code, want * len(uniques) + wanted, size * max(len(uniques), 1)
        pos = self.pos
        if drawn_only:
            key, pos = key[self.drawn], pos[self.drawn]
        first = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, key, pos)
        return first[want]


def batch_tables(part: gpd.GeoDataFrame, pos: np.ndarray, index: BorderIndex,
                 lengths: bool = True, crossings: bool = True, edges: str = "geodesic",
                 checked: bool = False) -> BatchTables:
    """Analyse the whole corridors of one batch; return its tables tagged with ``_first``.

    Parameters
    ----------
    part : GeoDataFrame
        Lines holding whole corridors, in input order (other columns are ignored).
    pos : ndarray of int
        Input position of each row (increasing).
    index : BorderIndex
    lengths, crossings : bool
        Which tables to compute (the lengths come with the outside-every-country lines).
    edges : {"geodesic", "planar"}
        How segments run between vertices (see :func:`corridors.lengths_by_country`).
    checked : bool
        True when ``part`` is rows of :func:`corridors._checks.checked_lines`' output (the
        in-memory batches), used as they are; a dask partition (False) is checked here.

    Returns
    -------
    BatchTables
        ``_first`` orders the lengths by corridor, the crossings and outside lines by
        corridor and branch, counting only rows with a drawn geometry for the latter (the
        chained lines are ordered by the first such row, see :func:`corridors.analysis.chain`).
    """
    lines = part if checked else checked_lines(part)  # checked rows are lean already (checked_lines' output)
    result = overlay_lines(lines, index, edges)
    geoms = np.asarray(lines.geometry.values, dtype=object)
    first = FirstPositions(lines, pos, ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    out = BatchTables(None, None, None)
    if lengths:
        out.lengths = result.lengths_table()
        out.lengths["_first"] = first.of(out.lengths, ["corridor_id"])
        outside = result.outside_lines()
        keys = pd.DataFrame({c: result.chains[c].to_numpy()[outside] for c in _KEY})
        out.outside = pd.DataFrame({"corridor_id": keys["corridor_id"], "_first": first.of(keys, _KEY, drawn_only=True)})
    if crossings:
        out.crossings = result.crossing_rows()
        out.crossings["_first"] = first.of(out.crossings, _KEY, drawn_only=True)
    return out


def _in_order(tables: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    """The tables of all batches as one, rows in order of ``_first`` (stable), ``_first`` dropped."""
    present = [t for t in tables if t is not None]
    if not present:
        return None
    present = [t for t in present if len(t)] or present[:1]
    out = pd.concat(present, ignore_index=True) if len(present) > 1 else present[0]
    return out.sort_values("_first", kind="stable").drop(columns="_first").reset_index(drop=True)


def join(results: list[BatchTables]) -> Batched:
    """The tables of all batches, in the order and form of the unbatched path.

    Parameters
    ----------
    results : list of BatchTables
        At least one (an empty batch gives the empty tables' columns and dtypes).

    Returns
    -------
    Batched
    """
    outside = _in_order([r.outside for r in results])
    warn = None
    if outside is not None and len(outside):
        ids = pd.unique(outside["corridor_id"].to_numpy())
        warn = (len(outside), ids)
    return Batched(lengths=_in_order([r.lengths for r in results]),
                   crossings=_in_order([r.crossings for r in results]), outside=warn)


def run(lines: gpd.GeoDataFrame, index: BorderIndex, vertices: np.ndarray, budget: int,
        progress: Callable[[Iterable[np.ndarray]], Iterable[np.ndarray]] | None = None,
        edges: str = "geodesic") -> Batched:
    """Both tables of checked lines, analysed in batches of whole corridors.

    Peak memory is that of the input plus :data:`THREADS` batches' overlays (about 350
    bytes per vertex of a batch), instead of the whole input's overlay. The first batch is
    analysed alone then the others :data:`THREADS` at a time on threads, or all of them on
    :data:`THREADS` forked processes (:data:`EXECUTOR`); the tables are joined in input order
    either way.

    Parameters
    ----------
    lines : GeoDataFrame
        Checked lines (:func:`corridors._checks.checked_lines`).
    index : BorderIndex
    vertices : ndarray of int
        Vertices of each row.
    budget : int
        Vertices per batch (see :func:`plan`).
    progress : callable, optional
        Wraps the list of batches (each the row positions of one batch), e.g. a progress bar.
    edges : {"geodesic", "planar"}
        How segments run between vertices (see :func:`corridors.lengths_by_country`).

    Returns
    -------
    Batched
        The lengths, the crossings and the outside lines; equal to the unbatched tables.
    """
    return run_source(FrameLines(lines), index, vertices, budget, progress, edges)


@dataclass
class FrameLines:
    """Checked lines in memory, handed to the batches row by row (:func:`run`)."""

    lines: gpd.GeoDataFrame
    path: None = None

    def part(self, rows: np.ndarray) -> tuple[gpd.GeoDataFrame, bool]:
        """The rows of one batch, and True: they are checked already."""
        return self.lines.iloc[rows], True


@dataclass
class ParquetLines:
    """The lines of a GeoParquet file held as Arrow columns (geometries as WKB), made into a
    GeoDataFrame batch by batch (:func:`parquet_lines`).

    Attributes
    ----------
    path : pathlib.Path
    table : pyarrow.Table
        The columns the analysis reads.
    column : str
        The geometry column (GeoParquet's primary column).
    crs : pyproj.CRS or None
        Its CRS, as the file's ``geo`` metadata gives it (OGC:CRS84 when it gives none).
    wkb : bool
        True for WKB geometries, False for a native GeoArrow encoding.
    """

    path: Path
    table: pa.Table
    column: str
    crs: Any
    wkb: bool

    def part(self, rows: np.ndarray) -> tuple[gpd.GeoDataFrame, bool]:
        """The rows of one batch as a GeoDataFrame (index: row numbers in the file), and
        False: they are yet to be checked."""
        t = _take(self.table, rows)
        if self.wkb:
            geoms = shapely.from_wkb(np.asarray(t.column(self.column).to_numpy(zero_copy_only=False), dtype=object))
        else:
            geoms = gpd.GeoDataFrame.from_arrow(t.select([self.column])).geometry.values
        gdf = gpd.GeoDataFrame(t.drop_columns([self.column]).to_pandas(), geometry=geoms, crs=self.crs)
        gdf.index = pd.Index(rows)
        return gdf, False


def _take(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """Rows ``rows`` (ascending) of a table read record batch by record batch, taken chunk by
    chunk: a take over all chunks at once would first join them into one copy of the table."""
    batches = table.to_batches()
    ends = np.cumsum([len(b) for b in batches])
    which = np.searchsorted(ends, rows, side="right")
    starts = np.r_[0, ends[:-1]]
    parts = [batches[k].take(pa.array(rows[which == k] - starts[k], type=pa.int64())) for k in np.unique(which)]
    return pa.Table.from_batches(parts, schema=table.schema)


def file_key(path: str | os.PathLike[str]) -> tuple[str, int, int]:
    """What identifies a file's content for the remembered result: its resolved path, size
    and modification time (ns)."""
    p = Path(path).resolve()
    try:
        st = p.stat()
    except OSError as exc:
        raise DataError(f"cannot read the lines: {exc.strerror}", path) from exc
    return str(p), st.st_size, st.st_mtime_ns


def parquet_lines(path: str | os.PathLike[str]) -> tuple[ParquetLines, np.ndarray]:
    """Open a GeoParquet file of lines for a batched run, without making its geometries.

    Reads the columns the analysis uses (:data:`corridors._checks.USED_COLUMNS` and the
    primary geometry column) as Arrow: WKB takes about 16 bytes a vertex, where shapely
    geometries take 40-50.

    Returns
    -------
    ParquetLines
    ndarray of int
        An estimate of each row's vertex count from its WKB size, for :func:`plan`.

    Raises
    ------
    DataError
        If the file is not GeoParquet, or has no ``corridor_id`` column.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if path.suffix.lower() not in (".parquet", ".geoparquet"):
        raise DataError("only GeoParquet files (.parquet) are analysed from a path; read other files "
                        "with corridors.read() and pass the GeoDataFrame", path)
    try:
        schema = pq.read_schema(path)
        geo = json.loads((schema.metadata or {}).get(b"geo", b"{}"))
        column = geo.get("primary_column")
        if column is None:
            raise DataError("not a GeoParquet file (no 'geo' metadata)", path)
        if "corridor_id" not in schema.names:
            raise DataError("the file has no 'corridor_id' column", path)
        # record batch by record batch, one thread, without buffering whole column chunks: on
        # the GEM corpus (one row group) the read peaks 80 MB lower and takes 0.16 s instead of
        # 0.41 s; then the buffers the read freed go back to the system instead of staying in
        # pyarrow's pool
        file = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
        columns = [c for c in (*USED_COLUMNS, column) if c in schema.names]
        parts = list(file.iter_batches(batch_size=_READ_ROWS, columns=columns, use_threads=False))
        table = pa.Table.from_batches(parts) if parts else file.schema_arrow.empty_table().select(columns)
        del parts
        pa.default_memory_pool().release_unused()
    except (OSError, ValueError, pa.ArrowException) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"cannot read the lines: {exc}", path) from exc
    meta = geo.get("columns", {}).get(column, {})
    crs = pyproj.CRS.from_user_input(meta.get("crs", "OGC:CRS84")) if meta.get("crs", "") is not None else None
    geoms = table.column(column)
    wkb = pa.types.is_binary(geoms.type) or pa.types.is_large_binary(geoms.type)
    source = ParquetLines(path, table, column, crs, wkb)
    if wkb:
        sizes = pc.fill_null(pc.binary_length(geoms), 0).to_numpy()
        vertices = np.maximum(sizes - 9, 0) // 16  # a LineString's WKB: 9 bytes of header, 16 a vertex
    else:  # a native GeoArrow encoding: count on the geometries, a step at a time
        steps = [np.arange(i, min(i + _COUNT_ROWS, len(table))) for i in range(0, len(table), _COUNT_ROWS)]
        vertices = np.concatenate([np.zeros(0, np.int64)] + [
            shapely.get_num_coordinates(np.asarray(source.part(r)[0].geometry.values, dtype=object)) for r in steps])
    return source, vertices.astype(np.int64)


#: Rows per record batch read from a GeoParquet file (:func:`parquet_lines`).
_READ_ROWS = 8_192

#: Rows per step when vertex counts are taken from geometries (:func:`parquet_lines`).
_COUNT_ROWS = 5_000


def run_source(source: FrameLines | ParquetLines, index: BorderIndex, vertices: np.ndarray, budget: int,
               progress: Callable[[Iterable[np.ndarray]], Iterable[np.ndarray]] | None = None,
               edges: str = "geodesic") -> Batched:
    """:func:`run` on lines in memory (:class:`FrameLines`) or in a GeoParquet file
    (:class:`ParquetLines`, from :func:`parquet_lines`); a batch of a file is checked as it
    is made, and a problem raises a :class:`corridors.errors.DataError` naming the file and
    the row."""
    table = source.table if isinstance(source, ParquetLines) else source.lines
    ids = table.column("corridor_id").to_numpy(zero_copy_only=False) if isinstance(source, ParquetLines) \
        else table["corridor_id"].to_numpy()
    batches = plan(ids, vertices, budget) or [np.zeros(0, dtype=np.intp)]
    todo = iter(progress(batches) if progress else batches)
    if len(batches) > 1 and THREADS > 1 and EXECUTOR == "processes":
        results = _on_processes(source, index, batches, edges, todo)
    else:
        results = _on_threads(source, index, batches, edges, todo)
    failed = next((r for r in results if isinstance(r, DataError)), None)
    if failed is not None:
        raise failed
    return join([r for r in results if isinstance(r, BatchTables)])


def _batch(source: FrameLines | ParquetLines, rows: np.ndarray, index: BorderIndex, edges: str) -> BatchTables | DataError:
    """The tables of one batch, or the problem that stopped it (named with the file)."""
    part, checked = source.part(rows)
    try:
        return batch_tables(part, rows, index, edges=edges, checked=checked)
    except DataError as exc:
        if source.path is None:
            raise
        return DataError(exc.reason, source.path, exc.feature)


def _on_threads(source: FrameLines | ParquetLines, index: BorderIndex, batches: list[np.ndarray], edges: str,
                todo: Iterable[np.ndarray]) -> list[BatchTables | DataError]:
    """The tables of the batches ``todo`` yields: the first alone (lazily built parts of the
    index settle before the threads share it), then :data:`THREADS` at a time on threads."""
    results: list[BatchTables | DataError] = []
    pending: deque[Future[BatchTables | DataError]] = deque()
    with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="corridors-batch") as pool:
        for i, rows in enumerate(todo):
            if i == 0 or THREADS == 1:
                results.append(_batch(source, rows, index, edges))
                continue
            pending.append(pool.submit(_batch, source, rows, index, edges))
            if len(pending) >= THREADS:
                results.append(pending.popleft().result())
        results.extend(f.result() for f in pending)
    return results


def _forked_batch(i: int) -> tuple[BatchTables | None, tuple[str, Any] | None]:  # pragma: no cover - in a worker
    """In a forked worker: the tables of batch ``i`` of the run in :data:`_FORKED`, or the
    reason and feature of the problem that stopped it (a DataError does not unpickle whole)."""
    source, index, batches, edges = _FORKED[-1]
    out = _batch(source, batches[i], index, edges)
    return (out, None) if isinstance(out, BatchTables) else (None, (out.reason, out.feature))


def _on_processes(source: FrameLines | ParquetLines, index: BorderIndex, batches: list[np.ndarray], edges: str,
                  todo: Iterable[np.ndarray]) -> list[BatchTables | DataError]:
    """The tables of every batch (``todo`` yields the batches as they are done) on
    :data:`THREADS` forked processes; only the small tables travel back (pickled). Each
    worker settles lazily built parts of the index (grid cells of an index built from
    user borders) in its own copy."""
    _FORKED.append((source, index, batches, edges))
    gc.freeze()  # the workers' garbage collector leaves this process's objects (and pages) alone
    try:
        with multiprocessing.get_context("fork").Pool(THREADS) as pool:
            results: list[BatchTables | DataError] = []
            for _, (tables, problem) in zip(todo, pool.imap(_forked_batch, range(len(batches)))):
                if problem is not None:
                    results.append(DataError(problem[0], source.path, problem[1]))
                elif tables is not None:
                    results.append(tables)
            return results
    finally:
        gc.unfreeze()
        _FORKED.pop()
