"""Days: how every public function turns a user's date into a day in range.

Examples
--------
>>> import pandas as pd
>>> to_day("2024-08-03", "date", pd.Timestamp("2023-10-26"), pd.Timestamp("2025-12-23"))
Timestamp('2024-08-03 00:00:00')
>>> to_day("2030-01-01", "end", pd.Timestamp("2023-10-26"), pd.Timestamp("2025-12-23"))
Traceback (most recent call last):
...
territory.errors.DateRangeError: end: 2030-01-01 is outside the data; expected a day from the baseline 2023-10-26 to the as-of date 2025-12-23
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from territory.errors import ArgumentError, DateRangeError

__all__ = ["day_range", "to_day"]


def to_day(value: Any, name: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """``value`` as a day (midnight, no time zone) within ``[first, last]``.

    Parameters
    ----------
    value : str, date, datetime or pandas.Timestamp
    name : str
        The argument's name, for the error message.
    first, last : pandas.Timestamp
        The first and last valid days, both included.

    Raises
    ------
    TerritoryError
        When ``value`` is not a date, or carries a time zone.
    DateRangeError
        When the day is outside ``[first, last]``; the message gives the range.
    """
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ArgumentError(f"{name}: {value!r} is not a date; expected YYYY-MM-DD") from error
    if pd.isna(day):
        raise ArgumentError(f"{name}: {value!r} is not a date; expected YYYY-MM-DD")
    if day.tzinfo is not None:
        raise ArgumentError(f"{name}: {value!r} has a time zone; expected a plain day")
    day = day.normalize()
    if day < first or day > last:
        raise DateRangeError(
            f"{name}: {day.date()} is outside the data; expected a day from the baseline "
            f"{first.date()} to the as-of date {last.date()}"
        )
    return day


def day_range(
    start: Any, end: Any, freq: str, first: pd.Timestamp, last: pd.Timestamp
) -> pd.DatetimeIndex:
    """The days from ``start`` to ``end`` at ``freq``, both checked against ``[first, last]``.

    Examples
    --------
    >>> first, last = pd.Timestamp("2023-10-26"), pd.Timestamp("2025-12-23")
    >>> day_range("2024-01-01", "2024-01-03", "D", first, last).day.tolist()
    [1, 2, 3]
    """
    start_day, end_day = to_day(start, "start", first, last), to_day(end, "end", first, last)
    if end_day < start_day:
        raise DateRangeError(f"end: {end_day.date()} is before start {start_day.date()}")
    try:
        return pd.date_range(start_day, end_day, freq=freq).normalize()
    except ValueError as error:
        raise ArgumentError(f"freq: {freq!r} is not a pandas frequency ({error})") from error
