"""The problem log of a read: one record per skipped file or feature, raised or kept.

Private: shared by the readers (:mod:`corridors.io` and its private parsers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import DataError, format_problem

OnError = Literal["raise", "skip"]


@dataclass
class Skip:
    """One skipped file or feature."""

    file: str
    feature: str | None
    reason: str

    def __str__(self) -> str:
        return format_problem(self.file, self.feature, self.reason)


class Problems:
    """Collects problems: raises at once (``raise``) or records them (``skip``)."""

    def __init__(self, on_error: OnError) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
        self.on_error = on_error
        self.skipped: list[Skip] = []

    def __call__(self, path: Path | str, feature: str | int | None, reason: str) -> None:
        if self.on_error == "raise":
            raise DataError(reason, path, feature)
        self.skipped.append(Skip(str(path), None if feature is None else str(feature), reason))


class FileProblems(Problems):
    """Gathers one file's problems so they are reported in feature order.

    The checks run in stages (structure, numbers, coordinates), so problems are found out
    of order; :meth:`flush` passes them on sorted by feature position (the number every
    feature label starts with), and with ``on_error="raise"`` the first bad feature raises.
    """

    def __init__(self, parent: Problems) -> None:
        super().__init__("skip")
        self.parent = parent

    def flush(self) -> None:
        def position(skip: Skip) -> int:
            return -1 if skip.feature is None else int(skip.feature.split()[0])

        for skip in sorted(self.skipped, key=position):
            self.parent(skip.file, skip.feature, skip.reason)
        self.skipped = []


def feature_label(i: int, fid: object) -> str:
    return f"{i}" if fid is None else f"{i} (id {fid!r})"


class SkipRecords(list):
    """The list in ``.attrs["skipped"]``: one dict (file, feature, reason) per skip.

    pandas deep-copies a frame's ``attrs`` into every frame or column derived from it (each
    ``gdf["col"]``); a deep copy of thousands of records took 60 ms per column access on
    the GEM corpus. This list is copied shallowly instead: the copy is a new list holding
    the same (read-only by convention) records.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> SkipRecords:
        return SkipRecords(self)
