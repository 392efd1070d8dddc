"""What a missing value is, how a scalar becomes JSON, and the default branch: written once.

Private: imported by the readers, the schema, the writers and the presentation modules.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

#: The branch of a line that names none: a corridor's main line.
MAIN_BRANCH = "main"


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA (any scalar that means "no value").

    A list, dict or other container is a value, never missing.
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def json_scalar(value: Any) -> Any:
    """A cell as JSON data: numpy scalars unwrapped, times as ISO 8601 text, and missing
    or non-finite numbers as None (JSON ``null``); other values unchanged."""
    if is_missing(value):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_default(value: Any) -> Any:
    """The ``default=`` of :func:`json.dumps` for data that must round-trip exactly.

    Numpy scalars are unwrapped and times written as ISO 8601 text; anything else is not
    JSON data (non-finite numbers are left for ``allow_nan=False`` to refuse).

    Raises
    ------
    TypeError
        For a value that is not JSON data.
    """
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON data")
