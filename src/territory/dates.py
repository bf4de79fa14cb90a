"""Days: the one date policy of territory.

Every date argument of the API and the CLI goes through :func:`parse_day`,
and every grid of dates through :func:`date_grid`.

Accepted forms
    An ISO day ``'YYYY-MM-DD'`` (text), a :class:`datetime.date`, a
    :class:`datetime.datetime`, a :class:`pandas.Timestamp` or a
    :class:`numpy.datetime64`.  A time of day is dropped (dates are days); a
    time zone is refused.  Ambiguous text such as ``'03/08/2024'`` (3 August
    or 8 March?) and numbers (an int would be read as nanoseconds since 1970)
    are refused with :class:`~territory.errors.DateFormatError` (a
    ``ValueError``) or :class:`~territory.errors.DateTypeError` (also a
    ``TypeError``), whose message lists the accepted forms.
Date grids
    ``date_grid(start, end, freq)`` gives the days of ``pandas.date_range(
    start, end, freq=freq)``: ``freq`` is a pandas frequency and means the
    same in every function (``series``, ``timeline_map``,
    ``trade_share_series``, the CLI's ``--freq``).  ``"D"`` is every day;
    ``"W"`` every Sunday (pandas' ``W`` is ``W-SUN``; ``"W-MON"`` anchors
    weeks on Mondays; ``"7D"`` steps seven days from ``start``); ``"MS"`` the
    first of every month; ``"ME"`` the last.  So ``start`` is included only
    when it falls on the grid (always for ``"D"`` and ``"7D"``).  Sliders and
    the CLI's steps, which must show both ends of the range, ask for
    ``ends=True``: the same grid, plus ``start`` and ``end``.

Examples
--------
>>> import pandas as pd
>>> parse_day("2024-08-03")
Timestamp('2024-08-03 00:00:00')
>>> parse_day("03/08/2024")
Traceback (most recent call last):
...
territory.errors.DateFormatError: date: '03/08/2024' is not a date; expected an ISO day 'YYYY-MM-DD' (e.g. '2024-08-03'), a datetime.date, a datetime.datetime or a pandas.Timestamp
>>> [d.day for d in date_grid("2024-01-03", "2024-01-20", "W")]
[7, 14]
>>> [d.day for d in date_grid("2024-01-03", "2024-01-20", "W", ends=True)]
[3, 7, 14, 20]
>>> to_day("2030-01-01", "end", pd.Timestamp("2023-10-26"), pd.Timestamp("2025-12-23"))
Traceback (most recent call last):
...
territory.errors.DateRangeError: end: 2030-01-01 is outside the data; expected a day from the baseline 2023-10-26 to the as-of date 2025-12-23
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from territory.errors import DateFormatError, DateRangeError, DateTypeError, TerritoryError

__all__ = ["ACCEPTED", "date_grid", "day_range", "parse_day", "parse_days", "to_day"]

#: The accepted forms, as error messages state them.
ACCEPTED = (
    "an ISO day 'YYYY-MM-DD' (e.g. '2024-08-03'), a datetime.date, a datetime.datetime "
    "or a pandas.Timestamp"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: Any, name: str = "date") -> pd.Timestamp:
    """``value`` as a day: a :class:`pandas.Timestamp` at midnight, without time zone.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, pandas.Timestamp or numpy.datetime64
        Text must be an ISO day, ``YYYY-MM-DD``.
    name : str
        The argument's name, for the error message.

    Raises
    ------
    DateTypeError
        For a number, a bool or any other type that is not a date.
    DateFormatError
        For text that is not an ISO day, a day that does not exist, a missing
        date (NaT) or a date with a time zone.

    Examples
    --------
    >>> import datetime
    >>> parse_day(datetime.datetime(2024, 8, 3, 15, 30))
    Timestamp('2024-08-03 00:00:00')
    >>> parse_day(20240803)
    Traceback (most recent call last):
    ...
    territory.errors.DateTypeError: date: 20240803 (int) is not a date; expected an ISO day 'YYYY-MM-DD' (e.g. '2024-08-03'), a datetime.date, a datetime.datetime or a pandas.Timestamp
    """
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DAY.fullmatch(text):
            raise DateFormatError(f"{name}: {value!r} is not a date; expected {ACCEPTED}")
        try:
            day = pd.Timestamp(text)
        except ValueError:
            raise DateFormatError(
                f"{name}: {value!r} is not a real day; expected {ACCEPTED}"
            ) from None
    elif isinstance(value, (pd.Timestamp, datetime.date, np.datetime64)):
        day = pd.Timestamp(value)
    else:
        raise DateTypeError(
            f"{name}: {value!r} ({type(value).__name__}) is not a date; expected {ACCEPTED}"
        )
    if pd.isna(day):
        raise DateFormatError(f"{name}: {value!r} is a missing date; expected {ACCEPTED}")
    if day.tzinfo is not None:
        raise DateFormatError(f"{name}: {value!r} has a time zone; expected a plain day")
    return day.normalize()


def to_day(value: Any, name: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """:func:`parse_day`, then checked to lie within ``[first, last]``.

    Raises
    ------
    DateFormatError, DateTypeError
        As :func:`parse_day`.
    DateRangeError
        When the day is outside ``[first, last]``; the message gives the range.
    """
    day = parse_day(value, name)
    if day < first or day > last:
        raise DateRangeError(
            f"{name}: {day.date()} is outside the data; expected a day from the baseline "
            f"{first.date()} to the as-of date {last.date()}"
        )
    return day


def parse_days(
    values: Any, name: str, first: pd.Timestamp, last: pd.Timestamp
) -> pd.DatetimeIndex:
    """One date-like or an iterable of them, each through :func:`to_day`.

    Examples
    --------
    >>> first, last = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    >>> parse_days("2024-02-01", "dates", first, last).day.tolist()
    [1]
    """
    if isinstance(values, (str, pd.Timestamp, datetime.date, np.datetime64)):
        values = [values]
    if not isinstance(values, Iterable):
        values = [values]  # to_day names the bad type
    return pd.DatetimeIndex([to_day(v, name, first, last) for v in values])


def date_grid(start: Any, end: Any, freq: str = "D", *, ends: bool = False) -> pd.DatetimeIndex:
    """The days from ``start`` to ``end`` at ``freq`` (pandas' grid).

    Parameters
    ----------
    start, end : date-like
    freq : str, default "D"
        A pandas frequency (see the module docs: ``"W"`` = Sundays).
    ends : bool, default False
        Add ``start`` and ``end`` to the grid.

    Raises
    ------
    DateRangeError
        When ``end`` is before ``start``.
    TerritoryError
        When ``freq`` is not a pandas frequency of a day or longer.

    Examples
    --------
    >>> date_grid("2024-01-30", "2024-03-15", "MS").strftime("%m-%d").tolist()
    ['02-01', '03-01']
    >>> date_grid("2024-01-30", "2024-03-15", "MS", ends=True).strftime("%m-%d").tolist()
    ['01-30', '02-01', '03-01', '03-15']
    """
    first, last = parse_day(start, "start"), parse_day(end, "end")
    if last < first:
        raise DateRangeError(f"end: {last.date()} is before start {first.date()}")
    try:
        steps = pd.date_range(first, last, freq=freq)
    except (TypeError, ValueError) as error:
        raise TerritoryError(
            f"freq: {freq!r} is not a pandas frequency; expected e.g. 'D', 'W' or 'MS' ({error})"
        ) from error
    days = steps.normalize()
    if ends:
        days = days.union(pd.DatetimeIndex([first, last]))
    return pd.DatetimeIndex(days.unique().sort_values(), name=None)


def day_range(
    start: Any,
    end: Any,
    freq: str,
    first: pd.Timestamp,
    last: pd.Timestamp,
    *,
    ends: bool = False,
) -> pd.DatetimeIndex:
    """:func:`date_grid` with ``start`` and ``end`` checked against ``[first, last]``.

    Examples
    --------
    >>> first, last = pd.Timestamp("2023-10-26"), pd.Timestamp("2025-12-23")
    >>> day_range("2024-01-01", "2024-01-03", "D", first, last).day.tolist()
    [1, 2, 3]
    """
    return date_grid(
        to_day(start, "start", first, last), to_day(end, "end", first, last), freq, ends=ends
    )
