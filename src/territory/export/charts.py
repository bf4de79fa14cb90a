"""Charts for print: the trade share over time and the ground each actor holds.

Both charts carry a caption under the plot: where the figures come from, the
reference period of the trade weights, the spatial model and the as-of date.
The trade-share chart takes its caption (and band label) as arguments;
:func:`trade_caption` is the one builder of its default caption, from the
series and the timeline.  Figures are 9 × 5 inches and
:data:`CHART_DPI` (200) dpi when saved with :func:`save_chart`.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> fig = area_chart(tl, "2023-10-26", "2024-03-01")
>>> fig.axes[0].get_ylabel()
'area held (thousand km²)'
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from territory.export.credits import as_of_line
from territory.export.palette import actor_colours, colour_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from territory.timeline import ControlTimeline

__all__ = ["CHART_DPI", "area_chart", "save_chart", "trade_caption", "trade_share_chart"]

#: Dots per inch of saved charts.
CHART_DPI = 200
_SIZE = (9.0, 5.0)
#: Label of the trade share's range band.
BAND_LABEL = "range: low (gates cut by the incumbent) – high (all held gates count)"


def _plain(text: str) -> str:
    return text.replace("$", r"\$")


def _wrap(text: str, width: int) -> str:
    lines = text.splitlines() or [text]
    return _plain("\n".join("\n".join(textwrap.wrap(line, width)) or line for line in lines))


def _figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=_SIZE, dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _date_axis(ax: Any) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _caption(fig: Figure, caption: str, lines: int = 110) -> None:
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(part, lines)) for part in caption.splitlines() if part.strip()
    )
    fig.text(
        0.01, 0.01, _plain(wrapped), fontsize=7.5, color="#333333", va="bottom", linespacing=1.35
    )


def trade_caption(tl: ControlTimeline | None, series: pd.DataFrame) -> str:
    """The caption of a trade-share chart: what the band is, the side, the periods, the model.

    The one caption builder for trade-share charts.  Three lines: what the
    band and the line show, with the series' definition and the side named by
    the dataset's label; the reference period(s) of the trade weights, each
    with the sources of its trade figures; and the timeline's "data as of …;
    model …" line.  Without ``tl`` (only the deprecated
    ``territory.trade.chart_caption`` passes none) the side keeps its id and
    the last line is left out.

    Parameters
    ----------
    tl : ControlTimeline or None
        The timeline the series was computed on.
    series : DataFrame
        From :func:`territory.trade_share_series` (its ``reference_period``
        column and its ``attrs``: ``definition``, ``sides``,
        ``reference_sources``).

    Examples
    --------
    >>> import territory
    >>> from territory.trade import trade_share_series
    >>> tl = territory.ControlTimeline(territory.load_shan())
    >>> s = trade_share_series(tl, "2023-11-01", "2024-01-01", freq="MS")
    >>> print(trade_caption(tl, s).splitlines()[1].split(" (trade:")[0])
    Reference period of the trade weights: FY2023-24 April-August 2023
    """
    head = "The band is the estimate (low–high); the dashed line is its central value."
    definition = series.attrs.get("definition")
    if definition:
        head += f" {definition[0].upper()}{definition[1:]}"
        sides = list(series.attrs.get("sides") or ())
        if sides and tl is None:
            head += f" (side: {' + '.join(sides)})"
        elif sides and tl is not None:
            vocabulary = tl.dataset.sides
            sides.sort(key=lambda s: vocabulary.ids.index(s) if s in vocabulary.ids else 99)
            named = " + ".join(vocabulary.label(s) for s in sides)
            if set(sides) == set(vocabulary.others) and len(sides) > 1:
                named += f", {vocabulary.out_of_hands}"
            head += f" ({'side' if len(sides) == 1 else 'sides'}: {named})"
        head += "."
    column = series.get("reference_period", pd.Series(dtype=object))
    labels = [str(p) for p in dict.fromkeys(column.dropna()) if str(p)]
    sources: dict[str, str] = series.attrs.get("reference_sources", {})
    periods = "; ".join(
        f"{label} (trade: {sources[label]})" if sources.get(label) else label for label in labels
    )
    word = "Reference periods" if len(labels) > 1 else "Reference period"
    lines = [head, f"{word} of the trade weights: {periods or 'none'}"]
    if tl is not None:
        lines.append(as_of_line(tl))
    return "\n".join(lines)


def trade_share_chart(
    series: pd.DataFrame,
    *,
    title: str,
    caption: str,
    band_label: str = BAND_LABEL,
    value_label: str = "share of border trade through the gates the side holds",
) -> Figure:
    """The trade share over time with its labelled low–high band.

    Parameters
    ----------
    series : DataFrame
        From :func:`territory.trade_share_series`: ``value``, ``low``,
        ``high`` (fractions) indexed by date.
    title : str
    caption : str
        Printed under the plot; give the source line, the reference period
        and the model (e.g. :func:`trade_caption`).
    band_label, value_label : str
        Legend texts of the band and of the line.
    """
    fig = _figure()
    ax = fig.add_axes((0.08, 0.22, 0.9, 0.62))
    index = pd.to_datetime(series.index)
    low = 100 * series["low"].astype(float)
    high = 100 * series["high"].astype(float)
    ax.fill_between(
        index, low, high, step="post", color="#d55e00", alpha=0.22, lw=0, label=_plain(band_label)
    )
    ax.step(
        index,
        100 * series["value"].astype(float),
        where="post",
        color="#000000",
        lw=1.8,
        label=_plain(value_label),
    )
    _date_axis(ax)
    ax.set_ylabel("share of border trade (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.set_title(_wrap(title, 105), fontsize=10, loc="left")
    _caption(fig, caption)
    return fig


def area_chart(
    tl: ControlTimeline,
    start: object = None,
    end: object = None,
    *,
    by: Literal["actor", "side"] = "actor",
    caption: str | None = None,
) -> Figure:
    """The ground each actor (or side) holds, stacked, from ``start`` to ``end``.

    Areas come from :meth:`ControlTimeline.series` (km², equal-area CRS);
    the caption gives the data credits' short form, the model and the as-of
    date unless ``caption`` is given.
    """
    from territory.export.palette import side_colours

    ds = tl.dataset
    first = ds.baseline_date if start is None else start
    last = tl.as_of if end is None else end
    table = tl.series(first, last, by=by)
    table = table.loc[:, (table > 0).any()]
    colours = actor_colours(ds.actors) if by == "actor" else side_colours(ds.sides)
    order = [c for c in colours if c in table.columns] + [
        c for c in table.columns if c not in colours
    ]
    table = table[order]
    names = ds.actors["name"].to_dict() if by == "actor" else {}
    fig = _figure()
    ax = fig.add_axes((0.08, 0.2, 0.58, 0.7))
    index = pd.to_datetime(table.index)
    ax.stackplot(
        index,
        *(table[c].to_numpy() / 1000 for c in order),
        colors=[colour_of(c, colours) for c in order],
        edgecolor="#ffffff",
        lw=0.3,
        step="post",
        labels=[_wrap(f"{c}: {names.get(c, c)}", 36) for c in order],
    )
    _date_axis(ax)
    ax.set_ylabel("area held (thousand km²)")
    ax.set_xlim(index.min(), index.max())  # type: ignore[arg-type]
    ax.grid(alpha=0.3, axis="y")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles[::-1],
        labels[::-1],
        loc="upper left",
        bbox_to_anchor=(0.68, 0.91),
        fontsize=7.5,
        frameon=False,
    )
    ax.set_title(_plain(f"{ds.name}: ground held by {by}"), fontsize=10, loc="left")
    _caption(
        fig,
        caption
        or (
            "Areas of the model's zones in the Albers equal-area projection; holders from "
            f"{len(ds.events)} dated, sourced events and the baseline.\n{as_of_line(tl)}"
        ),
    )
    return fig


def save_chart(fig: Figure, path: str | Path, *, dpi: int = CHART_DPI) -> Path:
    """Save a chart atomically (PNG, SVG or PDF from the extension) at ``dpi``."""
    from territory.export.static import save_static_map

    return save_static_map(fig, path, dpi=dpi)
