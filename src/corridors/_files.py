"""Which files a read takes from a path: regular files only, every other kind reported.

Private: used by :func:`corridors.read` (re-exported as :func:`corridors.io.input_files`)
and the command line.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ._atomic import TMP_PREFIX
from ._formats import READ_SUFFIXES
from ._problems import OnError
from .errors import DataError


def _kind_of(mode: int) -> str:
    """Words for a file type that is neither a regular file nor a folder."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _stat(path: Path) -> tuple[os.stat_result | None, str | None]:
    """``os.stat`` (links followed), or why the path cannot be used."""
    try:
        return os.stat(path), None
    except FileNotFoundError:
        if path.is_symlink():
            return None, "a symbolic link to a missing file"
        return None, "no such file or directory"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "a symbolic link that loops"
        return None, f"cannot open: {exc.strerror or exc}"


def input_files(path: str | os.PathLike[str], on_error: OnError = "raise",
                problems: Callable[[Path, str | int | None, str], None] | None = None) -> list[Path]:
    """The files :func:`read` reads for ``path``: the file itself, or every readable file in a folder.

    A folder is searched recursively, following links to folders but never twice into the
    same folder (a loop of links ends there). Only regular files are read: a FIFO, a
    device or a socket, an unreadable sub-folder, a broken link or a link that loops is a
    problem, reported through ``problems`` (or raised), never passed over silently and
    never opened (opening a FIFO would wait for a writer forever).

    Parameters
    ----------
    path : str or PathLike
        A file or a folder.
    on_error : {"raise", "skip"}
        Without ``problems``: raise the first problem as :class:`DataError` ("raise") or
        leave the file out silently ("skip"; for callers that only need the list).
    problems : callable, optional
        Called as ``problems(path, None, reason)`` for each problem (:func:`read` passes
        its problem log, which raises or records).

    Returns
    -------
    list of pathlib.Path
        In a stable (sorted) order.

    Raises
    ------
    DataError
        When ``path`` itself cannot be read, or holds no readable file.
    """
    def report(where: Path, reason: str) -> None:
        if problems is not None:
            problems(where, None, reason)
        elif on_error == "raise":
            raise DataError(reason, where)

    path = Path(path)
    st, why = _stat(path)
    if st is None:
        raise DataError(why or "cannot open", path)
    if stat.S_ISREG(st.st_mode):
        if path.suffix.lower() not in READ_SUFFIXES:
            raise DataError(f"unsupported file type {path.suffix or '(none)'!r}; "
                            f"use one of {', '.join(sorted(READ_SUFFIXES))}", path)
        return [path]
    if not stat.S_ISDIR(st.st_mode):
        raise DataError(f"{_kind_of(st.st_mode)}, not a file or folder of lines", path)
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = [path]
    while pending:
        folder = pending.pop()
        try:
            fst = os.stat(folder)
            if (fst.st_dev, fst.st_ino) in seen:
                report(folder, "a link to a folder already searched (a loop of links, or a second link "
                               "to one folder): not searched again")
                continue
            seen.add((fst.st_dev, fst.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            report(folder, f"cannot read the folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            item = Path(entry.path)
            est, why = _stat(item)
            if est is None:
                if item.suffix.lower() in READ_SUFFIXES or why != "a symbolic link to a missing file":
                    report(item, why or "cannot open")
                continue
            if stat.S_ISDIR(est.st_mode):
                if entry.name.startswith(TMP_PREFIX):
                    report(item, "a temporary folder left by an interrupted write (it holds no finished "
                                 "file): not read; delete it")
                    continue
                pending.append(item)
            elif item.suffix.lower() in READ_SUFFIXES:
                if stat.S_ISREG(est.st_mode):
                    found.append(item)
                else:
                    report(item, f"{_kind_of(est.st_mode)}, not a regular file: not read")
    if not found:
        raise DataError(f"no GeoJSON/GeoPackage/GeoParquet/CSV files in the directory "
                        f"(looked for {', '.join(sorted(READ_SUFFIXES))})", path)
    return sorted(found)
