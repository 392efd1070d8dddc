"""Per-country lengths and border crossings of a ``dask_geopandas.GeoDataFrame``.

The dask backend of :func:`corridors.lengths_by_country` and
:func:`corridors.border_crossings` (install it with ``pip install "corridors[dask]"``):
both accept a ``dask_geopandas.GeoDataFrame`` and dispatch here. The results are the
same tables as the in-memory path (same rows, same order, lengths equal to floating-point
rounding), **computed**, as a ``pandas.DataFrame`` / ``geopandas.GeoDataFrame``: they
have one row per corridor and country, or per crossing, so they are small even when the
input has millions of lines.

How the work is split:

1. The border index (:class:`corridors.border_index.BorderIndex`, about 50 MB pickled
   for the bundled borders) is built or loaded once on the client and installed on every
   worker once per client, in a worker plugin (see :func:`_broadcast`); later calls send
   nothing, and every task on a worker uses the same in-memory copy. Sending it inside
   each call's graph instead cost 20-30 s per call on two workers (measured).
2. The frame is shuffled on ``corridor_id`` so that every corridor lies whole in one
   partition, and each partition is sorted back into input order. This is needed because
   the per-country split of a line depends on the whole chained line: segments are
   chained end to end, and short stretches that run along a border are settled on the
   region before them (see :mod:`corridors.overlay`), so a corridor cut at a partition
   boundary near a border can move tens of metres from one country to the other
   (27.6 m measured on a synthetic corridor). Crossings also need the whole line to be
   numbered and measured from its start.
3. Each partition is analysed in memory as one batch of whole corridors
   (:func:`corridors.batches.batch_tables`, as the in-memory path does on large inputs);
   the small tables are brought back and joined in the order the in-memory path gives,
   by each corridor's (or corridor and branch's) first row in the input
   (:func:`corridors.batches.join`).

One corridor is never split, so the largest corridor must fit in one worker's memory
(with the index and the partition's other corridors); see ``docs/SCALING.md``.

Run on several processes or machines with a ``distributed`` client: create it before
calling (``Client("tcp://scheduler:8786")`` for an existing cluster) and dask uses it.
Without one, dask's default threaded scheduler runs the partitions in this process.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .batches import Batched, BatchTables, batch_tables, join

if TYPE_CHECKING:  # pragma: no cover - typing only
    import dask_geopandas

    from .border_index import BorderIndex

#: Spacing of the global row numbers: row ``i`` of partition ``p`` is ``p * _STRIDE + i``
#: (partitions must hold fewer than 2**40 rows).
_STRIDE = 1 << 40

#: The border index last installed on the cluster: (client id, index, token). One entry,
#: replaced when the client or the index changes.
_BROADCAST: list[tuple[str, Any, str]] = []
#: On a worker: the border indexes installed by :func:`_broadcast`, by token.
_INSTALLED: dict[str, Any] = {}


def _require_dask() -> None:
    try:
        import dask  # noqa: F401
        import dask_geopandas  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError('the dask backend needs the "dask" extra: pip install "corridors[dask]"') from exc


def _broadcast(index: BorderIndex) -> Any:
    """Install the border index on every worker, once per client and index.

    With a ``distributed`` client the index travels in a worker plugin: each worker (also
    one that joins later) receives and unpickles it once and keeps it in
    :data:`_INSTALLED`; tasks get only its token. (A scattered future does not stay put:
    the scheduler's active memory manager drops the extra replicas within seconds, and
    every later task fetched and unpickled the 50 MB index again, 1-9 s each, measured.)
    Without a client (dask's threaded scheduler) the object itself is returned: the
    threads share it.

    Returns
    -------
    BorderIndex or str
        The index, or its token on the cluster.
    """
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        return index
    if _BROADCAST and _BROADCAST[0][0] == client.id and _BROADCAST[0][1] is index:
        return _BROADCAST[0][2]
    from distributed.diagnostics.plugin import WorkerPlugin

    class IndexPlugin(WorkerPlugin):
        idempotent = True

        def __init__(self, token: str, index: BorderIndex) -> None:
            self.token, self.index = token, index

        def setup(self, worker: Any) -> None:
            import corridors.distributed as here  # noqa: PLW0406 - the class is pickled by value

            here._INSTALLED[self.token] = self.index

        def teardown(self, worker: Any) -> None:
            import corridors.distributed as here  # noqa: PLW0406 - the class is pickled by value

            here._INSTALLED.pop(self.token, None)

    if _BROADCAST and _BROADCAST[0][0] == client.id:
        client.unregister_worker_plugin(_BROADCAST[0][2])
    token = f"corridors-border-index-{uuid.uuid4().hex}"
    client.register_plugin(IndexPlugin(token, index), name=token)
    _BROADCAST[:] = [(client.id, index, token)]
    return token


def _resolve(index: BorderIndex | str) -> BorderIndex:
    """The border index a task was given, or the one installed on this worker under a token."""
    if not isinstance(index, str):
        return index
    try:
        return _INSTALLED[index]
    except KeyError:
        raise RuntimeError(f"border index {index} is not installed on this worker "
                           "(its worker plugin was removed?)") from None


def _with_position(part: gpd.GeoDataFrame, partition_info: dict[str, Any] | None = None) -> gpd.GeoDataFrame:
    """Add ``_pos``, the global input row number, and drop ``.attrs``.

    pandas deep-copies ``.attrs`` in every operation; the skip records that
    :func:`corridors.read` leaves there (thousands for a large corpus) made each
    partition's analysis several times slower.
    """
    number = partition_info["number"] if partition_info else 0
    part = part.assign(_pos=number * _STRIDE + np.arange(len(part), dtype=np.int64))
    part.attrs = {}
    return part


def _in_order(part: pd.DataFrame, geometry: str, crs: Any) -> gpd.GeoDataFrame:
    """A shuffled partition sorted back into input order (and a GeoDataFrame again)."""
    return gpd.GeoDataFrame(part.sort_values("_pos", kind="stable"), geometry=geometry, crs=crs)


def by_corridor(ddf: dask_geopandas.GeoDataFrame) -> dask_geopandas.GeoDataFrame:
    """Shuffle a frame so that every corridor lies whole in one partition, in input order.

    Parameters
    ----------
    ddf : dask_geopandas.GeoDataFrame
        Lines with ``corridor_id``.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Same rows and number of partitions, plus ``_pos`` (the global input row number);
        each partition is sorted by ``_pos``.
    """
    meta = ddf._meta.assign(_pos=np.zeros(0, np.int64))
    positioned = ddf.map_partitions(_with_position, meta=meta)
    # task-based: the peer-to-peer shuffle converts partitions to Arrow, which fails on
    # geometry columns held as shapely objects
    shuffled = positioned.shuffle(on="corridor_id", npartitions=ddf.npartitions, shuffle_method="tasks")
    return shuffled.map_partitions(_in_order, meta._geometry_column_name, ddf.crs, meta=meta)


def _partition_tables(part: gpd.GeoDataFrame, index: BorderIndex | str, lengths: bool,
                      crossings: bool, edges: str = "geodesic") -> BatchTables | None:
    """The tables of the whole corridors of one partition (:func:`corridors.batches.batch_tables`)."""
    if not len(part):
        return None
    return batch_tables(part, part["_pos"].to_numpy(), _resolve(index), lengths=lengths, crossings=crossings,
                        edges=edges)


def run(ddf: dask_geopandas.GeoDataFrame, index: BorderIndex, lengths: bool = True, crossings: bool = True,
        edges: str = "geodesic") -> Batched:
    """Both tables of a dask frame: shuffled by corridor, each partition analysed, joined in input order.

    The tables of the in-memory path: same rows in the same order, lengths equal to
    floating-point rounding. :func:`corridors.lengths_by_country` and
    :func:`corridors.border_crossings` call this for a ``dask_geopandas.GeoDataFrame``.

    Parameters
    ----------
    ddf : dask_geopandas.GeoDataFrame
        Lines (EPSG:4326, or any CRS, transformed per partition) with ``corridor_id``,
        in any number of partitions; a corridor may be spread over several.
    index : BorderIndex
        The borders, sent once to each worker.
    lengths, crossings : bool
        Which tables to compute.
    edges : {"geodesic", "planar"}
        How segments run between vertices (see :func:`corridors.lengths_by_country`).

    Returns
    -------
    Batched
        Read like an in-memory :class:`corridors.engine.Analysis`; it warns once, counting
        the lines of every partition.
    """
    _require_dask()
    import dask

    shared = _broadcast(index)
    task = dask.delayed(_partition_tables)
    parts = by_corridor(ddf).to_delayed()
    results = [r for r in dask.compute(*[task(p, shared, lengths, crossings, edges) for p in parts]) if r is not None]
    if not results:
        results = [batch_tables(ddf._meta, np.zeros(0, dtype=np.int64), index, lengths=lengths, crossings=crossings,
                                edges=edges)]
    return join(results)
