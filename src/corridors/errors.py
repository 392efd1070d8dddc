"""The library's own exceptions and warnings.

Every error raised on bad input is a :class:`CorridorsError`, so a caller (and the
command line) can catch one type. Errors about input data name the file, the feature
and the reason.
"""

from __future__ import annotations

import re
import sys
from os import PathLike
from pathlib import Path
from types import FrameType

#: This package's folder, as imported and with links resolved (frames may name either).
_PACKAGE_DIRS = tuple({str(Path(__file__).parent), str(Path(__file__).resolve().parent)})


class CorridorsError(Exception):
    """Base class of every error raised by ``corridors``."""


class DataError(CorridorsError, ValueError):
    """A file or a feature cannot be used.

    Parameters
    ----------
    reason : str
        What is wrong, in words a user can act on.
    path : str or PathLike, optional
        The file the problem is in (None for in-memory data).
    feature : str or int, optional
        The feature: its position in the file (0-based) and, where it has one, its id.
    """

    def __init__(
        self,
        reason: str,
        path: str | PathLike[str] | None = None,
        feature: str | int | None = None,
    ) -> None:
        self.reason = reason
        self.path = None if path is None else str(path)
        self.feature = feature
        super().__init__(format_problem(self.path, feature, reason))


class UnknownCorridorError(CorridorsError, LookupError):
    """A corridor id that is not bundled; the message lists the valid ids."""

    def __init__(self, corridor_id: object, valid: list[str]) -> None:
        self.corridor_id = corridor_id
        self.valid = list(valid)
        super().__init__(
            f"unknown corridor id {corridor_id!r}; valid ids: {', '.join(self.valid)}"
        )


class SkippedFeaturesWarning(UserWarning):
    """Some features or files were skipped (``on_error="skip"``); see ``.attrs["skipped"]``."""


class OutsideCountriesWarning(UserWarning):
    """Some lines lie wholly outside every country (often swapped latitude/longitude)."""


def format_problem(path: str | None, feature: str | int | None, reason: str) -> str:
    """Format one problem as ``file: feature N: reason`` (parts omitted when unknown).

    Parameters
    ----------
    path : str or None
        File name.
    feature : str, int or None
        Feature position/id.
    reason : str
        What is wrong.

    Returns
    -------
    str
        One line of text.
    """
    parts = []
    if path is not None:
        parts.append(printable(str(path)))
    if feature is not None:
        parts.append(f"feature {printable(str(feature))}")
    parts.append(printable(str(reason)))
    return ": ".join(parts)


#: Characters that would break a one-line message: C0/C1 controls, line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``, ...).

    File names and values may hold newlines or terminal escape sequences; escaped, a
    message stays on one line and cannot forge another line of output.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def caller_stacklevel() -> int:
    """The ``stacklevel`` for ``warnings.warn`` that names the first caller outside this package.

    Call it from the function that calls ``warnings.warn``; the public function a user
    called may be several calls up (``lengths_by`` -> ``lengths_by_country`` -> ...).
    """
    frame: FrameType | None = sys._getframe(1)  # the function about to warn is level 1
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIRS):
        frame, level = frame.f_back, level + 1
    return level


class UnknownPlaceError(CorridorsError, LookupError):
    """A place name that is not in the network; the message lists the nearest matches."""

    def __init__(self, name: object, matches: list[str]) -> None:
        self.name = name
        self.matches = list(matches)
        hint = f"; nearest matches: {', '.join(self.matches)}" if self.matches else ""
        super().__init__(f"unknown place {name!r}{hint}")


class NoRouteError(CorridorsError, LookupError):
    """No route joins the origin and the destination under the given conditions."""
