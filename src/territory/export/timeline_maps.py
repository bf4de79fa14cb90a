"""A Folium map with a time slider over who held what.

:func:`timeline_map` draws a period with a slider.  The zone geometry goes
into the HTML once; each step only changes the zones' styles, and those are
sent compactly (a small table of distinct styles and, per zone, run lengths
of style numbers): see :class:`territory.export.slider.ControlTimeSlider`.
:func:`timeline_map_from_frames` is the core, on plain frames.

Examples
--------
>>> [d.day for d in timeline_steps(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-20"), "W")]
[3, 7, 14, 20]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.dates import date_grid
from territory.errors import DateRangeError, TerritoryError
from territory.export.frames import simplify_for_web, zone_geometries
from territory.export.layers import to_rfc7946
from territory.export.mapparts import (
    CONTESTED_STYLE,
    DEFAULT_TILES,
    FILL_OPACITY,
    MAP_DECIMALS,
    NO_DATA_COLOUR,
    add_overlay_html,
    bounds,
    check_date,
    escape,
    legend_html,
    new_map,
    title_html,
)

if TYPE_CHECKING:
    import folium

    from territory.timeline import ControlTimeline

__all__ = ["timeline_map", "timeline_map_from_frames", "timeline_steps", "zone_style"]


def zone_style(colour: str, contested: bool, label: str) -> dict[str, Any]:
    style: dict[str, Any] = {
        "fillColor": colour,
        "fillOpacity": FILL_OPACITY,
        "color": "#333333",
        "weight": 0.8,
        "dashArray": None,
        "label": escape(label),
    }
    if contested:
        style.update(
            color=CONTESTED_STYLE["color"],
            weight=CONTESTED_STYLE["weight"],
            dashArray=CONTESTED_STYLE["dashArray"],
        )
    return style


def timeline_map_from_frames(
    zones: gpd.GeoDataFrame,
    steps: pd.DatetimeIndex,
    style_index: np.ndarray,
    styles: list[dict[str, Any]],
    *,
    title: str,
    legend: Sequence[tuple[str, dict[str, Any]]] = (),
    tiles: str | None = DEFAULT_TILES,
    init_step: int = 0,
) -> folium.Map:
    """A Folium map with a time slider, from zones and a step × zone style table.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        One row per zone: ``zone_id``, optional ``name``, geometry.  Written
        into the HTML once.
    steps : DatetimeIndex
        The slider's days.
    style_index : numpy.ndarray
        Integers of shape (len(steps), len(zones)): for each step and zone, the
        position of its style in ``styles``.
    styles : list of dict
        Distinct Leaflet path styles with a ``label`` (see
        :class:`territory.export.slider.ControlTimeSlider`).
    title : str
    legend : sequence of (label, style)
    tiles : str or None
    init_step : int, default 0
        The step shown when the map opens.

    Returns
    -------
    folium.Map
    """
    from territory.export.slider import ControlTimeSlider, run_lengths

    if style_index.shape != (len(steps), len(zones)):
        raise TerritoryError(
            f"style_index: shape {style_index.shape}; expected (steps, zones) = "
            f"({len(steps)}, {len(zones)})"
        )
    m = new_map(bounds([zones]), tiles)
    frame = zones.copy()
    frame["name"] = [
        escape(str(n)) for n in (frame["name"] if "name" in frame.columns else frame["zone_id"])
    ]
    document = to_rfc7946(
        frame[["zone_id", "name", frame.geometry.name]], id_column="zone_id", decimals=MAP_DECIMALS
    )
    for feature in document["features"]:
        feature["properties"] = {"name": feature["properties"]["name"]}
    seconds = (pd.DatetimeIndex(steps).normalize() - pd.Timestamp("1970-01-01")) // pd.Timedelta(
        seconds=1
    )
    runs = {
        str(zone): run_lengths(style_index[:, i].tolist())
        for i, zone in enumerate(frame["zone_id"])
    }
    ControlTimeSlider(
        document,
        [int(s) for s in seconds],
        styles,
        runs,
        init_timestamp=init_step,
        name="Control over time",
    ).add_to(m)
    add_overlay_html(m, legend_html(legend, "Held by"))
    add_overlay_html(m, title_html(title))
    return m


def timeline_steps(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """Slider days: :func:`territory.dates.date_grid` (both ends, pandas' dates between).

    Examples
    --------
    >>> [d.day for d in timeline_steps(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-20"), "W")]
    [3, 7, 14, 20]
    """
    return date_grid(start, end, freq, ends=True)


def timeline_map(
    tl: ControlTimeline,
    start: object | None = None,
    end: object | None = None,
    *,
    freq: str = "W",
    tiles: str | None = DEFAULT_TILES,
    simplify_m: float = 100.0,
) -> folium.Map:
    """A Folium map with a slider over who held what from ``start`` to ``end``.

    Each zone's geometry is written once; every step only changes its style
    (holder colour; contested zones get the dashed outline of
    :data:`CONTESTED_STYLE`).

    Parameters
    ----------
    tl : ControlTimeline
    start, end : date-like, optional
        Default: the dataset's baseline date and as-of date.
    freq : str, default "W"
        A pandas frequency for the steps (``"D"``, ``"W"``, ``"MS"`` …); the
        first and last day are always steps.
    tiles : str or None
    simplify_m : float, default 100
        Simplify zones by this many metres (shared edges stay shared).

    Returns
    -------
    folium.Map

    Raises
    ------
    DateRangeError
        When ``start`` or ``end`` is outside the data, or ``end`` < ``start``.
    """
    ds = tl.dataset
    first = check_date(tl, tl.baseline_date if start is None else start, "start")
    last = check_date(tl, tl.as_of if end is None else end, "end")
    if last < first:
        raise DateRangeError(f"end: {last.date()} is before start {first.date()}")
    steps = timeline_steps(first, last, freq)
    intervals = tl.intervals()
    zones = simplify_for_web(zone_geometries(intervals), tolerance_m=simplify_m)
    zone_ids = list(zones["zone_id"])
    if "name" not in zones.columns:
        names = ds.places["name"] if "name" in ds.places.columns else pd.Series(dtype=str)
        zones["name"] = [names.get(z, z) for z in zone_ids]
    rows = tl.active_intervals(steps, zone_ids)
    colours = ds.actors["colour"].to_dict()
    actor_names = ds.actors["name"].to_dict()
    keys = list(zip(intervals["actor"], intervals["status"] == "contested", strict=True))
    distinct = sorted(
        set(keys), key=lambda k: (list(colours).index(k[0]) if k[0] in colours else 999, k[1])
    )
    styles = [zone_style(NO_DATA_COLOUR, False, "no data")]
    styles[0]["fillOpacity"] = 0.0
    number = {}
    for actor, is_contested in distinct:
        number[(actor, is_contested)] = len(styles)
        label = actor_names.get(actor, actor) + (" (contested)" if is_contested else "")
        styles.append(zone_style(colours.get(actor, "#808080"), is_contested, label))
    style_of_row = np.array([number[k] for k in keys] + [0], dtype=np.int64)
    style_index = style_of_row[rows]
    used = {k for k in keys}
    legend = [
        (actor_names.get(a, a), {"fillColor": c, "fillOpacity": FILL_OPACITY})
        for a, c in colours.items()
        if (a, False) in used or (a, True) in used
    ]
    if any(contested for _, contested in used):
        legend.append(("Contested", CONTESTED_STYLE))
    title = f"Control from {first.date()} to {last.date()}"
    return timeline_map_from_frames(
        zones,
        steps,
        style_index,
        styles,
        title=title,
        legend=legend,
        tiles=tiles,
    )
