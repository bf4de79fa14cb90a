"""The main job: the headline dates and the demo's trade-share outputs.

``territory demo`` (``make demo``) writes maps, layers, the weekly
trade-share series as CSV and as a PNG chart, and prints the summary for the
:func:`headline_dates`: the days a dataset lists in its dataset.json
(``headline_dates``, read by :func:`parse_headline`), else its baseline, the
middle of its range and its as-of date.  The command lives in
:mod:`territory.cli`; the pieces here are plain functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

if TYPE_CHECKING:
    from territory.dataset import Dataset
    from territory.timeline import ControlTimeline

__all__ = [
    "HeadlineDate",
    "headline_dates",
    "parse_headline",
    "render_ground",
    "save_map",
    "trade_chart",
    "write_series_csv",
]


class HeadlineDate(NamedTuple):
    """One day the demo summarises (dataset.json ``headline_dates``)."""

    day: pd.Timestamp
    #: Why the day matters, as the demo prints it.
    label: str
    #: The publications and dates behind the day's choice ("" when it is not a fact).
    source: str = ""
    #: Why this day, in a sentence.
    note: str = ""


def headline_dates(dataset: Dataset, *, embedded: bool = True) -> list[tuple[pd.Timestamp, str]]:
    """The days the demo summarises, each with why it was chosen.

    Parameters
    ----------
    dataset : Dataset
    embedded : bool
        ``True``: the dataset's own ``headline_dates`` (dataset.json) when it
        lists any.  ``False``, or a dataset that lists none: its baseline, the
        middle of its range and its as-of date.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(baseline_date=pd.Timestamp("2024-01-01"),
    ...                      as_of=pd.Timestamp("2024-12-31"), headline_dates=())
    >>> [(d.date().isoformat(), why) for d, why in headline_dates(ds)]
    [('2024-01-01', 'baseline date'), ('2024-07-01', 'middle of the period'), ('2024-12-31', 'as-of date')]
    >>> import territory
    >>> headline_dates(territory.load_shan())[0]
    (Timestamp('2023-10-26 00:00:00'), 'eve of Operation 1027')
    """
    if embedded and dataset.headline_dates:
        return [(h.day, h.label) for h in dataset.headline_dates]
    middle = (dataset.baseline_date + (dataset.as_of - dataset.baseline_date) / 2).normalize()
    return [
        (dataset.baseline_date, "baseline date"),
        (middle, "middle of the period"),
        (dataset.as_of, "as-of date"),
    ]


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


def render_ground(tl: ControlTimeline, day: pd.Timestamp) -> str:
    """Ground by side with its range over the spatial models, and the township roll-up.

    Examples
    --------
    >>> import territory
    >>> tl = territory.ControlTimeline(territory.load_shan())
    >>> print(render_ground(tl, pd.Timestamp("2023-10-26")).splitlines()[0])
    ground by side (km², model 'layered'; range over layered, nearest, seat):
    """
    from territory.ranges import available_models, model_timelines
    from territory.rollup import township_counts

    ranged = tl.series(day, day, model_range=True).iloc[0]
    lines = [
        f"ground by side (km², model {tl.model!r}; range over {', '.join(available_models(tl))}):"
    ]
    for side in ranged["value"].index:
        value, low, high = (float(ranged[(band, side)]) for band in ("value", "low", "high"))
        if high > 0:
            lines.append(f"  {side:<11} {value:>10,.0f}   range {low:,.0f} – {high:,.0f}")
    if tl.townships is not None:
        regions = set(tl.townships["ST"]) if "ST" in tl.townships.columns else set()
        region = tl.dataset.rollup_region  # dataset.json; None: every township
        lines.append("townships (roll-up):")
        for model, other in model_timelines(tl).items():
            counts = township_counts(other, day, region=region if region in regions else None)
            lines.append(f"  {model:<8} {counts.attrs['text']}")
    return "\n".join(lines)


def write_series_csv(series: pd.DataFrame, path: Path) -> Path:
    """Write a trade-share series as CSV: ISO dates, lists joined with ``;``, notes with ``|``."""
    from territory.export.atomic import atomic_path

    table = series.copy()
    for column, joiner in (("crossings", ";"), ("posts", ";"), ("notes", " | ")):
        if column in table.columns:
            table[column] = table[column].map(
                lambda v, j=joiner: j.join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
    from territory.export.cells import spreadsheet_safe

    table = spreadsheet_safe(table)
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
    return path


def save_map(m: Any, path: Path) -> Path:
    """Save a folium map atomically: an existing file is replaced only on success."""
    from territory.export.atomic import atomic_path

    with atomic_path(path) as temporary:
        m.save(str(temporary))
    return path


def trade_chart(
    series: pd.DataFrame,
    path: Path,
    title: str,
    caption: str | None = None,
    band_label: str | None = None,
    tl: Any = None,
) -> Path:
    """A PNG chart (200 dpi) of a trade-share series with its labelled range band.

    ``caption`` is printed under the plot (source line, reference period,
    model); without it, :func:`territory.export.charts.trade_caption` writes one
    (with the model and as-of line when ``tl`` is given).  See :func:`territory.export.charts.trade_share_chart`.
    """
    from territory.export.charts import BAND_LABEL, save_chart, trade_caption, trade_share_chart

    if caption is None:
        caption = trade_caption(tl, series)
    fig = trade_share_chart(
        series, title=title, caption=caption, band_label=band_label or BAND_LABEL
    )
    return save_chart(fig, path)
