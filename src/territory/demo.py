"""The main job: the headline dates and the demo's trade-share outputs.

``territory demo`` (``make demo``) writes maps, layers, the weekly
trade-share series as CSV and as a PNG chart, and prints the summary for the
:data:`HEADLINE_DATES`.  The command lives in :mod:`territory.cli`; the
pieces here are plain functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from territory.dataset import Dataset
    from territory.timeline import ControlTimeline

__all__ = [
    "HEADLINE_DATES",
    "HEADLINE_MAP_DATE",
    "headline_dates",
    "render_ground",
    "save_map",
    "trade_chart",
    "write_series_csv",
]

#: The dates the demo summarises, each with why it matters.  ``None`` stands
#: for the dataset's as-of date.
HEADLINE_DATES: tuple[tuple[str | None, str], ...] = (
    # Operation 1027 was launched on 27 October 2023 (DVB, 2025-01): the eve is the
    # dataset's baseline.
    ("2023-10-26", "eve of Operation 1027"),
    # The end of the offensive's first full month, before the January 2024 ceasefire.
    ("2023-11-30", "end of November 2023"),
    # The China-brokered Haigeng ceasefire was agreed at talks in Kunming on 10-11 January
    # 2024 and announced on 12 January (Narinjara, 2024-01-12; DVB, 2025-01): the 15th is
    # the first Monday after it.
    ("2024-01-15", "after the Haigeng ceasefire"),
    # The MNDAA took the Northeastern Command in Lashio on 3 August 2024 (AFP via The Star,
    # 2024-08-03; DVB, 2025-01): a week later.
    ("2024-08-10", "after the fall of Lashio"),
    # The MNDAA withdrew and junta forces re-entered Lashio on 21-22 April 2025 (Mizzima,
    # 2025-04-23; The Nation Thailand, 2025-04-23).
    ("2025-05-01", "after Lashio's return"),
    (None, "as-of date of the data"),
)
#: The date of the demo's static map: a week after the fall of Lashio.
HEADLINE_MAP_DATE = "2024-08-10"


def headline_dates(dataset: Dataset, *, embedded: bool = True) -> list[tuple[pd.Timestamp, str]]:
    """The days the demo summarises, each with why it was chosen.

    Parameters
    ----------
    dataset : Dataset
    embedded : bool
        ``True`` for the embedded Shan State dataset: the :data:`HEADLINE_DATES`
        (those within its range).  ``False`` for a user's own dataset, whose
        story is another: its baseline, the middle of its range and its as-of date.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(baseline_date=pd.Timestamp("2024-01-01"),
    ...                      as_of=pd.Timestamp("2024-12-31"))
    >>> [(d.date().isoformat(), why) for d, why in headline_dates(ds, embedded=False)]
    [('2024-01-01', 'baseline date'), ('2024-07-01', 'middle of the period'), ('2024-12-31', 'as-of date')]
    """
    if not embedded:
        middle = (dataset.baseline_date + (dataset.as_of - dataset.baseline_date) / 2).normalize()
        return [
            (dataset.baseline_date, "baseline date"),
            (middle, "middle of the period"),
            (dataset.as_of, "as-of date"),
        ]
    chosen: list[tuple[pd.Timestamp, str]] = []
    for text, why in HEADLINE_DATES:
        day = dataset.as_of if text is None else pd.Timestamp(text)
        if dataset.baseline_date <= day <= dataset.as_of and day not in {d for d, _ in chosen}:
            chosen.append((day, why))
    return chosen


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
        lines.append("townships (roll-up):")
        for model, other in model_timelines(tl).items():
            counts = township_counts(other, day, region="Shan" if "Shan" in regions else None)
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
