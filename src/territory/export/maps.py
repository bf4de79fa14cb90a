"""Folium maps: who holds what on one date, and a time slider over a period.

:func:`control_map` draws one date: control polygons coloured by actor with a
legend, contested zones in a distinct (dashed, darkened) style, crossings as
markers whose popups give the holder, since when, the trade value and
whether the junta can reach them, places with popups, the events of the last
N days with their sources, and a title with the date and the trade share.

:func:`timeline_map` draws a period with a slider.  The zone geometry goes
into the HTML once; each step only changes the zones' styles, and those are
sent compactly (a small table of distinct styles and, per zone, run lengths
of style numbers).  See :class:`territory.export.slider.ControlTimeSlider`.

Both have a ``..._from_frames`` core that takes plain GeoDataFrames, so they
serve any data, not only a :class:`~territory.timeline.ControlTimeline`.
Every element is tagged with a CSS class (``territory-control``,
``territory-contested``, ``territory-place``, ``territory-crossing``,
``territory-event``, ``territory-zone``) for styling and testing.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> control = gpd.GeoDataFrame({"actor": ["SAC", "TNLA"]},
...     geometry=[box(96, 22, 97, 23), box(97, 22, 98, 23)], crs="EPSG:4326")
>>> m = control_map_from_frames(control, colours={"SAC": "#4d4d33", "TNLA": "#009e73"},
...                             title="Control on 2024-01-01", tiles=None)
>>> "territory-control" in m.get_root().render()
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.errors import DateRangeError, TerritoryError
from territory.export.frames import (
    event_points,
    in_window,
    interval_rows,
    simplify_for_web,
    zone_geometries,
)
from territory.export.layers import to_rfc7946

if TYPE_CHECKING:
    import folium

    from territory.timeline import ControlTimeline

__all__ = [
    "CONTESTED_STYLE",
    "DEFAULT_TILES",
    "control_map",
    "control_map_from_frames",
    "map_title",
    "timeline_map",
    "timeline_map_from_frames",
    "timeline_steps",
]

#: Base map tiles (``None`` for none: the maps then need no network at all).
DEFAULT_TILES = "OpenStreetMap"
#: Fill opacity of held ground.
FILL_OPACITY = 0.55
#: How contested ground is drawn: a heavy dashed outline over a darker fill.
CONTESTED_STYLE: dict[str, Any] = {
    "color": "#111111",
    "weight": 2.5,
    "dashArray": "6 4",
    "fillColor": "#111111",
    "fillOpacity": 0.3,
}
#: Colour of zones no interval covers.
NO_DATA_COLOUR = "#ffffff"
#: Place kinds drawn as crossing markers (gates that carry border trade).
GATE_KINDS = ("crossing", "trade_zone")
#: Decimals of the coordinates written into the HTML (~1 m).
MAP_DECIMALS = 5


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays
        return False


def _text(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def _escape(text: str) -> str:
    r"""HTML-escape ``text`` for a popup or tooltip.

    folium writes popup and tooltip HTML into JavaScript template literals
    (backquoted strings), so the backquote, ``$`` and the backslash are
    escaped too: a source note holding them must neither break the page nor
    run as code.

    >>> _escape("<b>`${x}`</b> \\")
    '&lt;b&gt;&#96;&#36;{x}&#96;&lt;/b&gt; &#92;'
    """
    return html.escape(text).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _table(title: str, rows: Iterable[tuple[str, object]]) -> str:
    """An HTML table for a popup; every value is escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:6px'>{_escape(label)}</th>"
        f"<td>{_escape(_text(value))}</td></tr>"
        for label, value in rows
        if _text(value) != ""
    )
    return f"<b>{_escape(title)}</b><table>{cells}</table>"


def _popup(content: str) -> folium.Popup:
    import folium

    return folium.Popup(folium.Html(content, script=True), max_width=360)


def _legend_html(entries: Sequence[tuple[str, dict[str, Any]]], heading: str) -> str:
    items = []
    for label, style in entries:
        border = (
            f"2px dashed {html.escape(str(style.get('color', '#111')))}"
            if style.get("dashArray")
            else "1px solid #555"
        )
        swatch = (
            f"<span style='display:inline-block;width:14px;height:14px;margin-right:6px;"
            f"vertical-align:middle;background:{html.escape(str(style.get('fillColor', '#fff')))};"
            f"opacity:{max(float(style.get('fillOpacity', FILL_OPACITY)), 0.35)};"
            f"border:{border}'></span>"
        )
        items.append(f"<div>{swatch}{html.escape(label)}</div>")
    return (
        "<div class='territory-legend' style='position:absolute;bottom:24px;left:10px;"
        "z-index:1000;background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;"
        "font:12px/1.5 sans-serif;box-shadow:0 0 4px rgba(0,0,0,0.3)'>"
        f"<b>{html.escape(heading)}</b>{''.join(items)}</div>"
    )


def _title_html(title: str) -> str:
    return (
        "<div class='territory-title' style='position:absolute;top:8px;left:50%;"
        "transform:translateX(-50%);z-index:1000;background:rgba(255,255,255,0.9);"
        "padding:4px 10px;border-radius:4px;font:bold 14px/1.4 sans-serif;"
        f"box-shadow:0 0 4px rgba(0,0,0,0.3)'>{html.escape(title)}</div>"
    )


def _add_overlay_html(m: folium.Map, content: str) -> None:
    """Put fixed HTML (title, legend) inside the map's container."""
    from branca.element import MacroElement
    from jinja2 import Template

    element = MacroElement()
    element._template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.getContainer().insertAdjacentHTML("
        "'beforeend', {{ this.content|tojson }});"
        "{% endmacro %}"
    )
    element.content = content
    m.add_child(element)


def _bounds(frames: Iterable[gpd.GeoDataFrame | None]) -> list[list[float]] | None:
    boxes = [f.to_crs("EPSG:4326").total_bounds for f in frames if f is not None and len(f)]
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    west, south = stacked[:, 0].min(), stacked[:, 1].min()
    east, north = stacked[:, 2].max(), stacked[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]


def _new_map(bounds: list[list[float]] | None, tiles: str | None) -> folium.Map:
    import folium

    m = folium.Map(tiles=tiles, control_scale=True, prefer_canvas=False)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def _points(
    frame: gpd.GeoDataFrame,
) -> Iterable[tuple[float, float, dict[str, Any]]]:
    points = frame.to_crs("EPSG:4326").geometry
    for (_, record), geom in zip(frame.iterrows(), points, strict=True):
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        yield round(point.y, MAP_DECIMALS), round(point.x, MAP_DECIMALS), record.to_dict()


_PLACE_FIELDS = [
    ("holder", "Holder"),
    ("side", "Side"),
    ("status", "Status"),
    ("challenger", "Challenged by"),
    ("held_since", "Held since"),
    ("kind", "Kind"),
    ("township", "Township"),
    ("coord_source", "Coordinate"),
    ("coord_confidence", "Coordinate confidence"),
]
_CROSSING_FIELDS = [
    ("holder", "Holder"),
    ("side", "Side"),
    ("held_since", "Held since"),
    ("post", "Trade post"),
    ("post_trade_usd", "Post's trade (USD)"),
    ("gates_in_post", "Gates in the post"),
    ("trade_value_usd", "This gate's share (USD, equal split)"),
    ("reference_period", "Trade period"),
    ("reachable_by_junta", "Junta can reach it by road"),
    ("trade_note", "Trade"),
    ("partner_country", "Partner country"),
    ("status", "Status"),
]
_EVENT_FIELDS = [
    ("date", "Date"),
    ("date_uncertainty_days", "± days"),
    ("kind", "Kind"),
    ("from_actor", "From"),
    ("to_actor", "To / other party"),
    ("confidence", "Confidence"),
    ("source", "Source"),
    ("note", "Note"),
]


#: Shown instead of a missing trade figure, so a gap never reads as zero.
NO_FIGURE = "no figure in the data"
_TRADE_COLUMNS = ("post_trade_usd", "trade_value_usd")


def _rows(record: Mapping[str, Any], fields: Sequence[tuple[str, str]]) -> list[tuple[str, Any]]:
    rows = []
    for column, label in fields:
        if column not in record:
            continue
        value = record[column]
        if column in _TRADE_COLUMNS and _missing(value):
            value = NO_FIGURE
        rows.append((label, value))
    return rows


def control_map_from_frames(
    control: gpd.GeoDataFrame,
    *,
    colours: Mapping[str, str],
    title: str,
    contested: gpd.GeoDataFrame | None = None,
    places: gpd.GeoDataFrame | None = None,
    crossings: gpd.GeoDataFrame | None = None,
    events: gpd.GeoDataFrame | None = None,
    actor_names: Mapping[str, str] | None = None,
    tiles: str | None = DEFAULT_TILES,
) -> folium.Map:
    """A Folium map of control on one date, from GeoDataFrames.

    Parameters
    ----------
    control : geopandas.GeoDataFrame
        One row per actor (``actor`` column, optional ``area_km2``): the
        control polygons, drawn in the actor's colour.
    colours : mapping
        Actor id → ``#rrggbb``.
    title : str
        Shown at the top of the map.
    contested : geopandas.GeoDataFrame, optional
        Contested zones (optional ``actor`` = holder, ``name``), drawn over the
        control polygons in :data:`CONTESTED_STYLE`.
    places, crossings : geopandas.GeoDataFrame, optional
        Points with a ``name`` and any of the popup columns (holder, side,
        status, held_since …; for crossings also trade_value_usd,
        reference_period, reachable_by_junta).  Places are drawn as circles in
        their holder's colour, crossings as markers.
    events : geopandas.GeoDataFrame, optional
        Event points (``event_id``, ``date``, ``kind``, ``from_actor``,
        ``to_actor``, ``source`` …), drawn as star markers.
    actor_names : mapping, optional
        Actor id → full name, for the legend.
    tiles : str or None
        Folium tiles; ``None`` for a map without a base layer.

    Returns
    -------
    folium.Map
    """
    import folium

    names = dict(actor_names or {})
    m = _new_map(_bounds([control, contested, places, crossings]), tiles)

    layer = control.copy()
    layer["name"] = [names.get(a, a) for a in layer["actor"]]
    layer["colour"] = [colours.get(a, "#808080") for a in layer["actor"]]
    fields = [c for c in ("actor", "name", "area_km2") if c in layer.columns]
    document = to_rfc7946(layer[[*fields, "colour", layer.geometry.name]], decimals=MAP_DECIMALS)
    folium.GeoJson(
        document,
        name="Control",
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#333333",
            "weight": 0.8,
            "fillOpacity": FILL_OPACITY,
            "className": "territory-control",
        },
        tooltip=folium.GeoJsonTooltip(fields=fields),
    ).add_to(m)

    if contested is not None and len(contested):
        shown = [c for c in ("name", "actor", "status", "challenger") if c in contested.columns]
        folium.GeoJson(
            to_rfc7946(contested[[*shown, contested.geometry.name]], decimals=MAP_DECIMALS),
            name="Contested",
            style_function=lambda f: {**CONTESTED_STYLE, "className": "territory-contested"},
            tooltip=folium.GeoJsonTooltip(fields=shown) if shown else None,
        ).add_to(m)

    if places is not None and len(places):
        group = folium.FeatureGroup(name="Places").add_to(m)
        for lat, lon, record in _points(places):
            contested_place = record.get("status") == "contested"
            folium.CircleMarker(
                [lat, lon],
                radius=5,
                color="#111111" if contested_place else "#ffffff",
                weight=2 if contested_place else 1,
                dash_array="3 2" if contested_place else None,
                fill_color=colours.get(record.get("holder"), "#808080"),
                fill_opacity=0.95,
                class_name="territory-place",
                tooltip=_escape(str(record.get("name", ""))),
                popup=_popup(_table(str(record.get("name", "")), _rows(record, _PLACE_FIELDS))),
            ).add_to(group)

    if crossings is not None and len(crossings):
        group = folium.FeatureGroup(name="Crossings").add_to(m)
        for lat, lon, record in _points(crossings):
            folium.Marker(
                [lat, lon],
                tooltip=_escape(str(record.get("name", ""))),
                popup=_popup(_table(str(record.get("name", "")), _rows(record, _CROSSING_FIELDS))),
            ).add_to(group)

    if events is not None and len(events):
        group = folium.FeatureGroup(name="Recent events").add_to(m)
        for lat, lon, record in _points(events):
            heading = f"{record.get('kind', 'event')}: {record.get('place_name', '')}"
            folium.Marker(
                [lat, lon],
                icon=folium.DivIcon(
                    html="<div style='font:bold 18px/18px sans-serif;color:#b2182b;"
                    "text-shadow:0 0 2px #fff'>&#10033;</div>",
                    icon_size=(18, 18),
                    icon_anchor=(9, 9),
                    class_name="territory-event",
                ),
                tooltip=_escape(heading),
                popup=_popup(_table(heading, _rows(record, _EVENT_FIELDS))),
            ).add_to(group)

    present = [a for a in colours if a in set(layer["actor"])]
    entries = [
        (names.get(a, a), {"fillColor": colours[a], "fillOpacity": FILL_OPACITY}) for a in present
    ]
    if contested is not None and len(contested):
        entries.append(("Contested", CONTESTED_STYLE))
    _add_overlay_html(m, _legend_html(entries, "Held by"))
    _add_overlay_html(m, _title_html(title))
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def map_title(tl: ControlTimeline, date: pd.Timestamp, *, origin: str | None = None) -> str:
    """The title of a control map: the date and, when available, the trade share.

    The share is ``territory.trade_share(tl, date)`` (resistance side, "held"
    basis, all border trade) with its low–high range; ``origin`` is the road
    origin passed to it (default: the trade module's).  When the trade module is
    missing the title gives only the date; when the share cannot be computed
    the title says so rather than showing a number.
    """
    title = f"Control on {date.date().isoformat()}"
    try:
        from territory.trade import trade_share
    except ImportError:
        return title
    try:
        share = trade_share(tl, date, **({} if origin is None else {"origin": origin}))
    except TerritoryError as error:
        first = str(error).splitlines()[0]
        return f"{title} · trade share unavailable: {first}"
    value, low, high = (getattr(share, k, None) for k in ("value", "low", "high"))
    if value is None or pd.isna(value):
        return f"{title} · trade share unavailable"
    text = f"{title} · border trade through resistance-held crossings: {value:.0%}"
    if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
        text += f" ({low:.0%}–{high:.0%})"
    period = getattr(share, "reference_period", None)
    label = getattr(period, "label", None) or (period if isinstance(period, str) else None)
    if label:
        text += f", reference period {label}"
    return text


def _check_date(tl: ControlTimeline, date: object, name: str = "date") -> pd.Timestamp:
    ds = tl.dataset
    day = pd.Timestamp(date).normalize()
    if day < ds.baseline_date or day > ds.as_of:
        raise DateRangeError(
            f"{name}: {day.date()} is outside the data's range; expected a day in "
            f"[{ds.baseline_date.date()}, {ds.as_of.date()}]"
        )
    return day


def _active(intervals: gpd.GeoDataFrame, day: pd.Timestamp) -> gpd.GeoDataFrame:
    start = pd.to_datetime(intervals["valid_from"])
    end = pd.to_datetime(intervals["valid_to"])
    return intervals[(start <= day) & (end.isna() | (day < end))]


def _crossings(
    tl: ControlTimeline, day: pd.Timestamp, places: gpd.GeoDataFrame, origin: str | None
) -> gpd.GeoDataFrame:
    """Gates with trade value and reach (``territory.trade.crossings_at``).

    When the trade module is missing or cannot answer for this dataset (no
    trade figures, no road origin …), the gates come from ``places`` with a
    ``trade_note`` that says why their popups carry no trade figure.
    """
    gates = places[places["kind"].isin(GATE_KINDS)].copy()
    try:
        from territory.trade import crossings_at
    except ImportError:
        gates["trade_note"] = "the trade module is not installed"
        return gates
    try:
        return crossings_at(tl, day, **({} if origin is None else {"origin": origin}))
    except TerritoryError as error:
        gates["trade_note"] = f"unavailable: {str(error).splitlines()[0]}"
        return gates


def control_map(
    tl: ControlTimeline,
    date: object,
    *,
    events_days: int = 30,
    tiles: str | None = DEFAULT_TILES,
    simplify_m: float = 100.0,
    origin: str | None = None,
) -> folium.Map:
    """A Folium map of who holds what on ``date``.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day in ``[baseline_date, as_of]``.
    events_days : int, default 30
        Show the events of the ``events_days`` days that end on ``date``.
    tiles : str or None, default "OpenStreetMap"
        Base map; ``None`` for none (a map that needs no network).
    simplify_m : float, default 100
        Simplify polygons by this many metres (shared edges stay shared);
        0 keeps full detail.
    origin : str, optional
        The place the junta's roads start from, for the crossings' reach and
        the trade share (default: the trade module's, ``"mandalay"``).

    Returns
    -------
    folium.Map
        Save it with ``m.save("map.html")``.

    Raises
    ------
    DateRangeError
        When ``date`` is outside the dataset's range.
    """
    day = _check_date(tl, date)
    ds = tl.dataset
    control = simplify_for_web(tl.at(day, by="actor"), tolerance_m=simplify_m)
    intervals = tl.intervals()
    contested = _active(intervals, day)
    contested = contested[contested["status"] == "contested"]
    if len(contested):
        contested = simplify_for_web(contested, tolerance_m=simplify_m)
    everything = tl.places_at(day)
    if "id" not in everything.columns:
        everything = everything.rename_axis("id").reset_index()
    crossings = _crossings(tl, day, everything, origin)
    places = everything[~everything["id"].isin(crossings["id"])]
    events = in_window(event_points(ds), day, days=events_days)
    return control_map_from_frames(
        control,
        colours=ds.actors["colour"].to_dict(),
        actor_names=ds.actors["name"].to_dict(),
        title=map_title(tl, day, origin=origin),
        contested=contested,
        places=places,
        crossings=crossings,
        events=events,
        tiles=tiles,
    )


def _zone_style(colour: str, contested: bool, label: str) -> dict[str, Any]:
    style: dict[str, Any] = {
        "fillColor": colour,
        "fillOpacity": FILL_OPACITY,
        "color": "#333333",
        "weight": 0.8,
        "dashArray": None,
        "label": html.escape(label),
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
    m = _new_map(_bounds([zones]), tiles)
    frame = zones.copy()
    frame["name"] = [
        html.escape(str(n))
        for n in (frame["name"] if "name" in frame.columns else frame["zone_id"])
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
    _add_overlay_html(m, _legend_html(legend, "Held by"))
    _add_overlay_html(m, _title_html(title))
    return m


def timeline_steps(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """Slider days: ``pd.date_range(start, end, freq=freq)`` plus both ends.

    Examples
    --------
    >>> [d.day for d in timeline_steps(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-20"), "W")]
    [3, 7, 14, 20]
    """
    days = pd.date_range(start, end, freq=freq).normalize()
    return days.union(pd.DatetimeIndex([start, end])).unique().sort_values()


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
    first = _check_date(tl, ds.baseline_date if start is None else start, "start")
    last = _check_date(tl, ds.as_of if end is None else end, "end")
    if last < first:
        raise DateRangeError(f"end: {last.date()} is before start {first.date()}")
    steps = timeline_steps(first, last, freq)
    intervals = tl.intervals()
    zones = simplify_for_web(zone_geometries(intervals), tolerance_m=simplify_m)
    zone_ids = list(zones["zone_id"])
    if "name" not in zones.columns:
        names = ds.places["name"] if "name" in ds.places.columns else pd.Series(dtype=str)
        zones["name"] = [names.get(z, z) for z in zone_ids]
    rows = interval_rows(intervals, zone_ids, steps)
    colours = ds.actors["colour"].to_dict()
    actor_names = ds.actors["name"].to_dict()
    keys = list(zip(intervals["actor"], intervals["status"] == "contested", strict=True))
    distinct = sorted(
        set(keys), key=lambda k: (list(colours).index(k[0]) if k[0] in colours else 999, k[1])
    )
    styles = [_zone_style(NO_DATA_COLOUR, False, "no data")]
    styles[0]["fillOpacity"] = 0.0
    number = {}
    for actor, is_contested in distinct:
        number[(actor, is_contested)] = len(styles)
        label = actor_names.get(actor, actor) + (" (contested)" if is_contested else "")
        styles.append(_zone_style(colours.get(actor, "#808080"), is_contested, label))
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
