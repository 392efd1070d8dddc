"""Work split in two halves, the second on a helper thread (for calls that release the GIL).

numpy, shapely and hashlib release the interpreter lock in their loops over large arrays or
buffers, so two halves of such work run on two cores at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: The helper thread's pool, made on first use; a forked child (see :mod:`corridors.batches`)
#: forgets its parent's, whose threads it does not have, and makes its own.
_POOL: list[ThreadPoolExecutor] = []
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOL.clear)


def in_two(fn: Callable[[int, int], T], n: int, min_n: int) -> list[T]:
    """``[fn(0, h), fn(h, n)]`` with ``h = n // 2``, the second half on a helper thread.

    Parameters
    ----------
    fn : callable
        Takes a start and an end position (items ``start:end``) and returns a result.
    n : int
        Number of items.
    min_n : int
        Below this many items, or on a one-core machine, ``[fn(0, n)]`` on this thread.

    Returns
    -------
    list
        The results in order of the halves (one result when not split).
    """
    if n < min_n or (os.cpu_count() or 1) < 2:
        return [fn(0, n)]
    h = n // 2
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="corridors-half"))
    second = _POOL[0].submit(fn, h, n)
    first = fn(0, h)
    return [first, second.result()]
