"""The main job: the headline dates and the demo's trade-share outputs.

``territory demo`` (``make demo``) writes maps, layers, the weekly
trade-share series as CSV and as a PNG chart, and prints the summary for the
:func:`headline_dates`: the days a dataset lists in its dataset.json
(``headline_dates``, read by :func:`territory.story.parse_headline`), else its baseline, the
middle of its range and its as-of date.  The command lives in
:mod:`territory.cli`; the pieces here are plain functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from territory.dataset import Dataset
    from territory.timeline import ControlTimeline

__all__ = [
    "headline_dates",
    "render_ground",
    "save_map",
    "trade_chart",
    "write_series_csv",
]


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
