"""The exceptions territory raises.

One base class, :class:`TerritoryError`, so that callers can catch everything
the library raises on purpose, and precise subclasses for each kind of fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DataError",
    "DataProblem",
    "DateFormatError",
    "DateRangeError",
    "DateTypeError",
    "TerritoryError",
    "UnknownPlaceError",
]


class TerritoryError(Exception):
    """Base class of every error territory raises on purpose."""


@dataclass(frozen=True)
class DataProblem:
    """One problem in one cell of an input file.

    Parameters
    ----------
    file : str
        The file's path (or name, for data built in memory).
    row : int or None
        The row as a spreadsheet numbers it: the header is row 1, so the first
        data row is row 2. ``None`` when the problem concerns the whole file.
    column : str or None
        The column, or ``None`` when the problem concerns a whole row or file.
    message : str
        What is wrong, and what was expected.

    Examples
    --------
    >>> str(DataProblem("events.csv", 4, "date", "'2202-02-02' is after the as-of date"))
    "events.csv, row 4, column 'date': '2202-02-02' is after the as-of date"
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [str(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class DataError(TerritoryError, ValueError):
    """Input data that breaks a rule.

    ``problems`` lists every :class:`DataProblem` found; the message shows the
    first ones.  ``file``, ``row`` and ``column`` are those of the first problem.
    """

    def __init__(
        self, problems: list[DataProblem] | DataProblem | str, *, file: str | Path = ""
    ) -> None:
        if isinstance(problems, str):
            problems = [DataProblem(str(file), None, None, problems)]
        elif isinstance(problems, DataProblem):
            problems = [problems]
        self.problems: list[DataProblem] = list(problems)
        first = self.problems[0]
        self.file, self.row, self.column = first.file, first.row, first.column
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n... and {more} more problem(s)"
        if len(self.problems) > 1:
            shown = f"{len(self.problems)} problems:\n{shown}"
        super().__init__(shown)


class UnknownPlaceError(TerritoryError, KeyError):
    """A place name or id that is not in the dataset; the message lists close matches."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class DateRangeError(TerritoryError, ValueError):
    """A date outside the range the data covers; the message gives the valid range."""


class DateFormatError(TerritoryError, ValueError):
    """A date that is not written in an accepted form (``03/08/2024``, ``2024-13-01``)."""


class DateTypeError(DateFormatError, TypeError):
    """A date of a type that is not a date (an int, a float, a bool)."""
