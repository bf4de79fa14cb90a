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
from territory.export.credits import as_of_line, attribution_lines
from territory.export.frames import simplify_for_web, zone_frame
from territory.export.layers import to_rfc7946
from territory.export.mapparts import (
    CONTESTED_STYLE,
    DEFAULT_TILES,
    FILL_OPACITY,
    MAP_DECIMALS,
    add_attribution,
    add_context,
    add_labels,
    add_overlay_html,
    bounds,
    check_date,
    escape,
    legend_html,
    new_map,
    title_html,
)
from territory.export.palette import CONTESTED, actor_colours, colour_of, reserved_key

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
    subtitle: str | None = None,
    credits: Sequence[str] = (),
    neighbours: gpd.GeoDataFrame | None = None,
    borders: gpd.GeoDataFrame | None = None,
    places: gpd.GeoDataFrame | None = None,
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
        The step shown when the map opens (the URL hash ``#date=YYYY-MM-DD``
        overrides it).
    subtitle : str, optional
        A second title line (the "data as of …; model …" line).
    credits : sequence of str
        Data attributions, added to Leaflet's attribution box.
    neighbours, borders : geopandas.GeoDataFrame, optional
        Neighbouring countries and international border lines, for context.
    places : geopandas.GeoDataFrame, optional
        Places (``name``, ``kind``) labelled by zoom.

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
    add_context(m, neighbours, borders)
    # The title first: the slider's box goes inside it.
    add_overlay_html(m, title_html(title, subtitle))
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
    if places is not None and len(places):
        add_labels(m, places)
    notes = ["● ring: border crossing, in its holder's colour (dashed: contested)"]
    has_points = bool((zones.geometry.geom_type == "Point").any())
    add_overlay_html(m, legend_html(legend, "Held by", notes if has_points else ()))
    if credits:
        add_attribution(m, credits)
    return m


#: Place kinds drawn on the slider map as crossings.
GATE_KINDS = ("crossing", "trade_zone")


def _gate_features(tl: ControlTimeline) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The crossings as slider features (``zone_id`` ``gate:<id>``) and their place ids."""
    places = tl.dataset.places
    ids = [str(p) for p, kind in places["kind"].items() if kind in GATE_KINDS]
    gates = gpd.GeoDataFrame(
        {"zone_id": [f"gate:{p}" for p in ids], "name": [str(places.loc[p, "name"]) for p in ids]},
        geometry=list(places.geometry.reindex(ids)),
        crs=places.crs,
    )
    return gates, ids


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
    from territory.checks import check_at_least, check_dates, check_str, check_timeline

    check_timeline("tl", tl)
    for name, day in (("start", start), ("end", end)):
        if day is not None:
            check_dates(name, day, one=True)
    check_str("freq", freq)
    check_at_least("simplify_m", simplify_m, 0, unit="m")
    check_str("tiles", tiles, optional=True)
    ds = tl.dataset
    first = check_date(tl, tl.baseline_date if start is None else start, "start")
    last = check_date(tl, tl.as_of if end is None else end, "end")
    if last < first:
        raise DateRangeError(f"end: {last.date()} is before start {first.date()}")
    steps = timeline_steps(first, last, freq)
    zones = simplify_for_web(zone_frame(tl), tolerance_m=simplify_m)
    zone_ids = list(zones["zone_id"])
    names = ds.places["name"] if "name" in ds.places.columns else pd.Series(dtype=str)
    zones["name"] = [names.get(z, z) for z in zone_ids]
    gates, gate_ids = _gate_features(tl)
    # The state matrix on the steps: each zone's and crossing's holder and status.
    state = tl.holders(steps, zone_ids + gate_ids)
    contested = state.status == state.statuses.index("contested")
    cell = state.holder.astype(np.int64) * 2 + contested
    shown, inverse = np.unique(cell, return_inverse=True)
    keys = [(state.actors[int(c) // 2], bool(c % 2)) for c in shown]
    colours = actor_colours(ds.actors)
    actor_names = {str(k): str(v) for k, v in ds.actors["name"].items()}
    order = list(colours)
    distinct = sorted(keys, key=lambda k: (order.index(k[0]) if k[0] in colours else 999, k[1]))
    styles = []
    for actor, is_contested in distinct:
        label = actor_names.get(actor, actor) + (" (contested)" if is_contested else "")
        styles.append(
            zone_style(
                colour_of(actor, colours), is_contested or reserved_key(actor) == CONTESTED, label
            )
        )
    style_of_shown = np.array([distinct.index(k) for k in keys], dtype=np.int64)
    style_index = style_of_shown[inverse.reshape(cell.shape)]
    used = set(keys)
    legend = [
        (actor_names.get(a, a), {"fillColor": c, "fillOpacity": FILL_OPACITY})
        for a, c in colours.items()
        if (a, False) in used or (a, True) in used
    ]
    if any(is_contested for _, is_contested in used):
        legend.append(("Contested", CONTESTED_STYLE))
    title = f"Control from {first.date()} to {last.date()}"
    return timeline_map_from_frames(
        pd.concat([zones, gates.to_crs(zones.crs)], ignore_index=True),
        steps,
        style_index,
        styles,
        title=title,
        legend=legend,
        tiles=tiles,
        subtitle=as_of_line(tl),
        credits=attribution_lines(tl),
        neighbours=ds.neighbours,
        borders=ds.borders,
        places=ds.places,
    )
