"""Safe file output: every file the library or the command line writes goes through here.

A file is never written in place. The writer fills a private temporary folder next to
the target (``.corridors-tmp-XXXXXXXX``, in the target's own folder, hence on the same
file system); the new file (and any sidecar, e.g. a CSV's ``.csvt``) is flushed to disk
with ``fsync`` and then replaces the target with one ``os.replace`` (an atomic rename).
If anything fails, or the process is interrupted, the old file is untouched and the
temporary folder is removed (after a SIGKILL it may be left behind, holding only the
unfinished new file; the target itself is always the old file or the complete new one).

Targets:

- a regular file or a new name in an existing folder is written;
- a symbolic link is written *through*: the file it points to is replaced (atomically,
  in that file's folder) and the link stays a link, as the user named the link to write
  to what it points at;
- a folder, a device, a FIFO or a socket is refused with a :class:`DataError`;
- a file that is also an input of the same call (the same file by any name: links and
  hard links included) is refused with a :class:`SameFileError`, before anything is
  written.

Two processes writing one target at the same time each write their own temporary folder;
the target ends as one writer's complete file (the last rename), never a mixture.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DataError

#: Prefix of the temporary folders made next to a target.
TMP_PREFIX = ".corridors-tmp-"


class SameFileError(DataError):
    """An output path names a file that is an input of the same call."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Check that ``path`` may be written; return the file that will be replaced.

    Parameters
    ----------
    path : str or PathLike
        The output the user named.
    inputs : iterable of str or PathLike
        Files read by the same call; the output may not be any of them.

    Returns
    -------
    pathlib.Path
        The regular file to write: ``path`` itself, or the file a symbolic link points to.

    Raises
    ------
    SameFileError
        If the output is one of ``inputs``.
    DataError
        If the output is a folder or a special file (device, FIFO, socket), a link that
        loops, or its folder does not exist.
    """
    named = Path(path)
    for item in inputs:
        if named.exists() and Path(item).exists() and _same_file(named, Path(item)):
            raise SameFileError("the output is an input of this command; choose another output file "
                                "(a file is never written over the data it is made from)", named)
    target = named
    if named.is_symlink():
        try:
            target = named.resolve(strict=False)
        except (RuntimeError, OSError) as exc:  # a loop of links
            raise DataError(f"the output is a symbolic link that cannot be followed ({exc})", named) from exc
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise DataError(f"cannot use the output: {exc.strerror or exc}", named) from exc
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise DataError("the output is a folder; name a file", named)
        if not stat.S_ISREG(st.st_mode):
            raise DataError("the output is not a regular file (a device, FIFO or socket); name a regular "
                            "file, or '-' for standard output where the command allows it", named)
    if not target.parent.is_dir():
        raise DataError(f"cannot write: the output's folder {str(target.parent)!r} does not exist", named)
    return target


@contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    sidecars: Iterable[str] = (),
    make_parents: bool = False,
) -> Iterator[Path]:
    """Write a file atomically: yield a temporary path, then replace the target with it.

    Parameters
    ----------
    path : str or PathLike
        The output file (see :func:`check_output` for links, folders and special files).
    inputs : iterable of str or PathLike
        Files read by the same call; the output may not be any of them.
    sidecars : iterable of str
        Suffixes of companion files the writer may make next to the temporary file
        (e.g. ``".csvt"``); each replaces its namesake next to the target, before the
        main file, under the same checks.
    make_parents : bool
        Make the target's missing parent folders first.

    Yields
    ------
    pathlib.Path
        Where to write: a path with the target's file name inside a fresh temporary
        folder in the target's folder. The writer creates the file.

    Raises
    ------
    DataError
        For a refused target (see :func:`check_output`), or an operating-system error
        while writing or renaming (a full disk, no permission); the target is unchanged.
    """
    inputs = list(inputs)
    if make_parents:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    target = check_output(path, inputs)
    extra = [target.with_suffix(s) for s in sidecars]
    for side in extra:
        check_output(side, inputs)
    try:
        folder = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
    except OSError as exc:
        raise DataError(f"cannot write in the output's folder: {exc.strerror or exc}", path) from exc
    tmp = folder / target.name
    try:
        yield tmp
        if not tmp.is_file():
            raise DataError("the writer made no file", path)
        for side in extra:  # sidecars first: the main file appears last, complete with them
            made = folder / side.name
            if made.is_file():
                _commit(made, side)
        _commit(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise DataError(f"cannot write the file: {exc.strerror or exc}", path) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _commit(made: Path, target: Path) -> None:
    """Flush ``made`` to disk, give it the old target's permissions, and rename it over ``target``."""
    with open(made, "rb+") as fh:
        os.fsync(fh.fileno())
    try:
        os.chmod(made, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:  # a new file: the writer's mode (0666 less the umask)
        pass
    os.replace(made, target)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: str | os.PathLike[str], text: str, inputs: Iterable[str | os.PathLike[str]] = (),
               *, make_parents: bool = False) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_output`); return the file written."""
    with atomic_output(path, inputs, make_parents=make_parents) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
