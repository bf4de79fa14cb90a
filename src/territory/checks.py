"""Argument checks at the door of every public function.

Each check returns the value (converted where that is the whole point, e.g.
a path) or raises :class:`~territory.errors.ArgumentTypeError` (also a
``TypeError``) or :class:`~territory.errors.ArgumentError` (also a
``ValueError``).  The message names the argument, the value and what was
expected, so ``except ValueError`` and ``except TypeError`` keep working.

Resource-sized arguments have bounds here, in one place: a grid may hold at
most :data:`MAX_PIXELS` cells per band, and coordinates keep 0 to
:data:`MAX_DECIMALS` decimals.

Examples
--------
>>> check_int_range("decimals", 6, 0, MAX_DECIMALS)
6
>>> check_int_range("decimals", -1, 0, MAX_DECIMALS)
Traceback (most recent call last):
...
territory.errors.ArgumentError: decimals: -1 is out of range; expected a whole number from 0 to 15
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from territory.errors import ArgumentError, ArgumentTypeError

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = [
    "MAX_DECIMALS",
    "MAX_PIXELS",
    "check_at_least",
    "check_bool",
    "check_dates",
    "check_frame",
    "check_grid_size",
    "check_int_range",
    "check_pair",
    "check_path",
    "check_positive",
    "check_str",
    "check_strings",
    "check_timeline",
    "check_trade_frame",
    "describe",
]

#: Decimals a coordinate can keep: a float64 holds about 15 significant digits.
MAX_DECIMALS = 15
#: Cells per band of a raster: 100 million (100 MB of uint8 per band).
MAX_PIXELS = 100_000_000


def describe(value: object) -> str:
    """A short text for a value in a message: its repr, cut, and its type.

    >>> describe(None)
    'None'
    >>> describe([1, 2])
    '[1, 2] (a list)'
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)[:80]
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} (a {type(value).__name__})"


def check_bool(name: str, value: object) -> bool:
    """``value`` if it is a bool.

    >>> check_bool("strict", "yes")
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: strict: 'yes' is not a bool; expected True or False
    """
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{name}: {describe(value)} is not a bool; expected True or False")
    return value


def check_path(name: str, value: object) -> Path:
    """``value`` as a Path, if it is a str or os.PathLike.

    >>> check_path("path", 3)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: path: 3 is not a path; expected a str or pathlib.Path
    """
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value and "\x00" not in value:
        return Path(value)
    try:
        return Path(value)  # type: ignore[arg-type]  # os.PathLike
    except TypeError:
        pass
    raise ArgumentTypeError(
        f"{name}: {describe(value)} is not a path; expected a str or pathlib.Path"
    )


def check_int_range(name: str, value: object, low: int, high: int) -> int:
    """``value`` if it is a whole number in ``[low, high]``.

    >>> check_int_range("decimals", 2.5, 0, 15)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: decimals: 2.5 is not a whole number; expected a whole number from 0 to 15
    """
    expected = f"a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(
            f"{name}: {describe(value)} is not a whole number; expected {expected}"
        )
    if not low <= int(value) <= high:
        raise ArgumentError(f"{name}: {value!r} is out of range; expected {expected}")
    return int(value)


def check_positive(name: str, value: object, *, unit: str = "") -> float:
    """``value`` if it is a finite number above 0.

    >>> check_positive("resolution_m", float("nan"), unit="m")
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentError: resolution_m: nan is not valid; expected a finite number of m above 0
    """
    what = f"a finite number of {unit} above 0" if unit else "a finite number above 0"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}: {describe(value)} is not a number; expected {what}")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ArgumentError(f"{name}: {value!r} is not valid; expected {what}")
    return number


def check_at_least(name: str, value: object, low: float, *, unit: str = "") -> float:
    """``value`` if it is a finite number ``>= low``.

    >>> check_at_least("simplify_m", "x", 0, unit="m")
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: simplify_m: 'x' is not a number; expected a finite number of m >= 0
    """
    what = f"a finite number of {unit} >= {low:g}" if unit else f"a finite number >= {low:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}: {describe(value)} is not a number; expected {what}")
    number = float(value)
    if not math.isfinite(number) or number < low:
        raise ArgumentError(f"{name}: {value!r} is not valid; expected {what}")
    return number


def check_str(name: str, value: object, *, optional: bool = False) -> str | None:
    """``value`` if it is a str (or None, when ``optional``).

    >>> check_str("crs", None)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: crs: None is not a str; expected a str
    """
    if isinstance(value, str) or (optional and value is None):
        return value
    expected = "a str or None" if optional else "a str"
    raise ArgumentTypeError(f"{name}: {describe(value)} is not a str; expected {expected}")


def check_strings(name: str, value: object) -> list[str]:
    """One str or an iterable of str, as a list.

    >>> check_strings("side", 3)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: side: 3 is not a str or a list of str; expected e.g. 'a' or ['a', 'b']
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return items
    raise ArgumentTypeError(
        f"{name}: {describe(value)} is not a str or a list of str; expected e.g. 'a' or ['a', 'b']"
    )


def check_pair(name: str, value: object, *, optional: bool = True) -> tuple[Any, Any] | None:
    """``value`` if it is a (start, end) pair (or None, when ``optional``).

    >>> check_pair("changes_between", "2024")
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: changes_between: '2024' is not a (start, end) pair; expected e.g. ('2024-01-01', '2024-06-30')
    """
    if value is None and optional:
        return None
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1]
    raise ArgumentTypeError(
        f"{name}: {describe(value)} is not a (start, end) pair; "
        "expected e.g. ('2024-01-01', '2024-06-30')"
    )


def check_frame(name: str, value: object) -> Any:
    """``value`` if it is a GeoDataFrame or a GeoSeries.

    >>> check_frame("geometries", [1])
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: geometries: [1] (a list) is not a GeoDataFrame or GeoSeries; expected e.g. tl.at(date)
    """
    import geopandas as gpd

    if not isinstance(value, (gpd.GeoDataFrame, gpd.GeoSeries)):
        raise ArgumentTypeError(
            f"{name}: {describe(value)} is not a GeoDataFrame or GeoSeries; expected e.g. tl.at(date)"
        )
    return value


def check_grid_size(name: str, value: float, columns: int, rows: int) -> None:
    """Refuse a cell size ``value`` that makes a grid of more than :data:`MAX_PIXELS` cells.

    >>> check_grid_size("resolution_m", 1.0, 400_000, 500_000)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentError: resolution_m: 1.0 gives a grid of 400000 x 500000 cells; expected at most 100000000 cells per band: use at least 45
    """
    if columns * rows > MAX_PIXELS:
        floor = math.ceil(value * math.sqrt(columns * rows / MAX_PIXELS))
        raise ArgumentError(
            f"{name}: {value!r} gives a grid of {columns} x {rows} cells; expected at most "
            f"{MAX_PIXELS} cells per band: use at least {floor}"
        )


def check_timeline(name: str, value: object) -> ControlTimeline:
    """``value`` if it is a :class:`~territory.ControlTimeline`.

    >>> check_timeline("tl", None)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: tl: None is not a ControlTimeline; expected territory.ControlTimeline(dataset)
    """
    from territory.timeline import ControlTimeline

    if not isinstance(value, ControlTimeline):
        raise ArgumentTypeError(
            f"{name}: {describe(value)} is not a ControlTimeline; "
            "expected territory.ControlTimeline(dataset)"
        )
    return value


def check_dates(name: str, value: object, *, one: bool = False) -> list[Any]:
    """One date-like or an iterable of them, each a str, date or Timestamp (not None).

    Returns a list (of one item when ``one``, which refuses lists); the
    dates are parsed by the caller, with :mod:`territory.dates`.

    >>> check_dates("dates", [None])
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: dates: item 0 is None; expected a date such as '2024-08-03'
    >>> check_dates("date", None, one=True)
    Traceback (most recent call last):
    ...
    territory.errors.ArgumentTypeError: date: None is not a date; expected a date such as '2024-08-03'
    """
    import datetime

    import numpy as np
    import pandas as pd

    kinds = (str, datetime.date, pd.Timestamp, np.datetime64)
    if isinstance(value, kinds) and not pd.isna(value):
        return [value]
    if one:
        raise ArgumentTypeError(
            f"{name}: {describe(value)} is not a date; expected a date such as '2024-08-03'"
        )
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
        items = list(value)
    else:
        raise ArgumentTypeError(
            f"{name}: {describe(value)} is not a date or a list of dates; "
            "expected e.g. '2024-08-03' or ['2024-01-01', '2024-08-03']"
        )
    for position, item in enumerate(items):
        if not isinstance(item, kinds) or pd.isna(item):
            raise ArgumentTypeError(
                f"{name}: item {position} is {describe(item)}; expected a date such as '2024-08-03'"
            )
    return items


def check_trade_frame(trade: Any, file: str) -> None:
    """Refuse trade figures that are not finite numbers >= 0 (a Dataset built in memory).

    ``load_dataset`` already refuses them in files; a table built by hand can
    still hold NaN, which would otherwise give a NaN share or silently fall
    back to another period.  ``trade`` has the columns of ``border_trade.csv``
    and a RangeIndex (row = position + 2).

    >>> import pandas as pd
    >>> check_trade_frame(pd.DataFrame({"total_usd": [1.0, float("nan")],
    ...     "period_start": pd.to_datetime(["2024-01-01"] * 2),
    ...     "period_end": pd.to_datetime(["2024-12-31"] * 2)}), "border_trade.csv")
    Traceback (most recent call last):
    ...
    territory.errors.DataError: border_trade.csv, row 3, column 'total_usd': nan is not valid: expected a finite number >= 0
    """
    import numpy as np
    import pandas as pd

    from territory.errors import DataError, DataProblem

    problems = []
    for column in ("total_usd", "exports_usd", "imports_usd"):
        if column not in trade.columns:
            continue
        values = pd.to_numeric(trade[column], errors="coerce").astype(float)
        given = trade[column].notna() if column != "total_usd" else True
        bad = given & ~(np.isfinite(values) & (values >= 0))
        for position in np.flatnonzero(np.asarray(bad, dtype=bool)):
            value = trade[column].iloc[position]
            shown = repr(float(value)) if isinstance(value, (float, np.floating)) else repr(value)
            problems.append(
                DataProblem(
                    file,
                    int(position) + 2,
                    column,
                    f"{shown} is not valid: expected a finite number >= 0",
                )
            )
    for column in ("period_start", "period_end"):
        if column in trade.columns:
            for position in np.flatnonzero(pd.isna(trade[column]).to_numpy()):
                problems.append(
                    DataProblem(file, int(position) + 2, column, "empty; a day is required")
                )
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
