"""A dataset's story: the days its summaries tell, read from dataset.json.

``headline_dates`` (each a day, why it matters and the sources behind it),
``headline_map_date`` and ``rollup_region`` are optional keys of
dataset.json.  :func:`parse_headline` checks them when a dataset loads
(:mod:`territory.dataset`); :func:`territory.demo.headline_dates` uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

__all__ = ["HeadlineDate", "parse_headline"]


class HeadlineDate(NamedTuple):
    """One day the demo summarises (dataset.json ``headline_dates``)."""

    day: pd.Timestamp
    #: Why the day matters, as the demo prints it.
    label: str
    #: The publications and dates behind the day's choice ("" when it is not a fact).
    source: str = ""
    #: Why this day, in a sentence.
    note: str = ""


def parse_headline(
    meta: Mapping[str, Any], baseline_date: pd.Timestamp, as_of: pd.Timestamp
) -> tuple[tuple[HeadlineDate, ...], pd.Timestamp | None, str | None, list[tuple[str, str]]]:
    """dataset.json's ``headline_dates``, ``headline_map_date`` and ``rollup_region``, checked.

    Each headline date is ``{"date": "YYYY-MM-DD" or "as_of", "label": ...,
    "source": ..., "note": ...}`` (``source`` and ``note`` optional), a day
    within [baseline_date, as_of], listed once.  Returns the dates, the map
    date, the region and the problems as (key, message) pairs; an absent key
    gives ``()`` or None.

    Examples
    --------
    >>> days, map_day, region, problems = parse_headline(
    ...     {"headline_dates": [{"date": "2024-03-01", "label": "the spring offensive"},
    ...                         {"date": "as_of", "label": "as-of date"}],
    ...      "headline_map_date": "2024-03-01"},
    ...     pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    >>> [(h.day.date().isoformat(), h.label) for h in days], map_day.date(), region, problems
    ([('2024-03-01', 'the spring offensive'), ('2024-12-31', 'as-of date')], datetime.date(2024, 3, 1), None, [])
    >>> parse_headline({"headline_map_date": "2030-01-01"}, pd.Timestamp("2024-01-01"),
    ...                pd.Timestamp("2024-12-31"))[3]
    [('headline_map_date', "'2030-01-01' is not a day from baseline_date 2024-01-01 to as_of 2024-12-31")]
    """
    problems: list[tuple[str, str]] = []

    def day_of(value: Any, key: str, where: str = "") -> pd.Timestamp | None:
        from territory.dates import parse_day

        if value == "as_of" and where:
            return as_of
        try:
            day = parse_day(value, key) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None or not baseline_date <= day <= as_of:
            problems.append(
                (
                    key,
                    f"{where}{value!r} is not a day from baseline_date {baseline_date.date()} "
                    f"to as_of {as_of.date()}" + (' (or "as_of")' if where else ""),
                )
            )
            return None
        return day

    chosen: list[HeadlineDate] = []
    listed = meta.get("headline_dates")
    if listed is not None and not isinstance(listed, list):
        problems.append(("headline_dates", f'{listed!r}; expected a list of {{"date", "label"}}'))
        listed = []
    for number, entry in enumerate(listed or [], start=1):
        where = f"entry {number}: "
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            problems.append(("headline_dates", f'{where}{entry!r}; expected {{"date", "label"}}'))
            continue
        day = day_of(entry.get("date"), "headline_dates", where)
        if day is not None and day in {h.day for h in chosen}:
            problems.append(("headline_dates", f"{where}{day.date()} is listed twice"))
        elif day is not None:
            extra = {k: str(entry.get(k, "")) for k in ("source", "note")}
            chosen.append(HeadlineDate(day, entry["label"], **extra))
    map_value = meta.get("headline_map_date")
    map_day = None if map_value is None else day_of(map_value, "headline_map_date")
    region = meta.get("rollup_region")
    if region is not None and (not isinstance(region, str) or not region):
        problems.append(("rollup_region", f"{region!r}; expected a region name (the ST column)"))
        region = None
    return tuple(chosen), map_day, region, problems
