"""Folium maps of who holds what on one date.

:func:`control_map` draws one date: control polygons coloured by actor with a
legend, contested zones in a distinct (dashed, darkened) style, crossings as
markers whose popups give the holder, since when, the trade value and
whether the incumbent can reach them, places with popups, the events of the last
N days with their sources, and a title with the date and the trade share.

:func:`control_map_from_frames` is the core: it takes plain GeoDataFrames,
so it serves any data, not only a :class:`~territory.timeline.ControlTimeline`.
Every element is tagged with a CSS class (``territory-control``,
``territory-contested``, ``territory-place``, ``territory-event``) for
styling and testing.  The slider map is in :mod:`territory.export.timeline_maps`.

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

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from territory.errors import TerritoryError
from territory.export.credits import as_of_line, attribution_lines
from territory.export.frames import event_points, in_window, simplify_for_web
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
    crossing_icon,
    escape,
    escaped_properties,
    fan_offsets,
    legend_html,
    missing,
    new_map,
    points,
    popup,
    table,
    title_html,
)
from territory.export.palette import (
    CONTESTED,
    LOW_CONFIDENCE_OPACITY,
    UNASSESSED,
    UNASSESSED_COLOUR,
    actor_colours,
    colour_of,
    reserved_key,
)

if TYPE_CHECKING:
    import folium

    from territory.timeline import ControlTimeline

__all__ = [
    "GATE_KINDS",
    "NO_FIGURE",
    "control_map",
    "control_map_from_frames",
    "map_title",
]

#: Place kinds drawn as crossing markers (gates that carry border trade).
GATE_KINDS = ("crossing", "trade_zone")


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
    ("reachable_by_incumbent", "The incumbent side can reach it by road"),
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
        if column in _TRADE_COLUMNS and missing(value):
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
    subtitle: str | None = None,
    credits: Sequence[str] = (),
    neighbours: gpd.GeoDataFrame | None = None,
    borders: gpd.GeoDataFrame | None = None,
    low_confidence: gpd.GeoDataFrame | None = None,
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
        reference_period, reachable_by_incumbent).  Places are drawn as circles in
        their holder's colour, crossings as markers.
    events : geopandas.GeoDataFrame, optional
        Event points (``event_id``, ``date``, ``kind``, ``from_actor``,
        ``to_actor``, ``source`` …), drawn as star markers.
    actor_names : mapping, optional
        Actor id → full name, for the legend.
    tiles : str or None
        Folium tiles; ``None`` for a map without a base layer.
    subtitle : str, optional
        A second title line (the "data as of …; model …" line).
    credits : sequence of str
        Data attributions, added to Leaflet's attribution box.
    neighbours, borders : geopandas.GeoDataFrame, optional
        Neighbouring countries and international border lines, for context.
    low_confidence : geopandas.GeoDataFrame, optional
        Zones whose holder rests on low-confidence sources (optional
        ``name``, ``actor``, ``source``), drawn with a dotted outline.

    Every string from the frames is HTML-escaped before it reaches a tooltip,
    popup, label or the legend.  Crossings that share a point are fanned out
    around it.

    Returns
    -------
    folium.Map
    """
    import folium

    names = dict(actor_names or {})
    m = new_map(bounds([control, contested, places, crossings]), tiles)
    add_context(m, neighbours, borders)

    layer = control.copy()
    layer["name"] = [names.get(a, a) for a in layer["actor"]]
    layer["colour"] = [colour_of(a, colours) for a in layer["actor"]]
    fields = [c for c in ("actor", "name", "area_km2") if c in layer.columns]
    document = to_rfc7946(layer[[*fields, "colour", layer.geometry.name]], decimals=MAP_DECIMALS)
    escaped_properties(document)
    folium.GeoJson(
        document,
        name="Control",
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#333333",
            "weight": 0.8,
            "fillOpacity": FILL_OPACITY,
            "className": "territory-control",
            **(
                {**CONTESTED_STYLE, "className": "territory-control"}
                if reserved_key(f["properties"]["actor"]) == CONTESTED
                else {}
            ),
        },
        tooltip=folium.GeoJsonTooltip(fields=fields),
    ).add_to(m)

    if low_confidence is not None and len(low_confidence):
        shown = [c for c in ("name", "actor", "source") if c in low_confidence.columns]
        folium.GeoJson(
            escaped_properties(
                to_rfc7946(low_confidence[[*shown, low_confidence.geometry.name]], decimals=4)
            ),
            name="Low-confidence holder",
            style_function=lambda f: {
                "fillColor": "#ffffff",
                "fillOpacity": LOW_CONFIDENCE_OPACITY,
                "color": "#ffffff",
                "weight": 1.5,
                "dashArray": "1 5",
                "className": "territory-low-confidence",
            },
            tooltip=folium.GeoJsonTooltip(fields=shown) if shown else None,
        ).add_to(m)

    if contested is not None and len(contested):
        shown = [c for c in ("name", "actor", "status", "challenger") if c in contested.columns]
        folium.GeoJson(
            escaped_properties(
                to_rfc7946(contested[[*shown, contested.geometry.name]], decimals=MAP_DECIMALS)
            ),
            name="Contested",
            style_function=lambda f: {**CONTESTED_STYLE, "className": "territory-contested"},
            tooltip=folium.GeoJsonTooltip(fields=shown) if shown else None,
        ).add_to(m)

    sharing: dict[tuple[float, float], int] = {}
    if places is not None and len(places):
        group = folium.FeatureGroup(name="Places").add_to(m)
        for lat, lon, record in points(places):
            contested_place = record.get("status") == "contested"
            folium.CircleMarker(
                [lat, lon],
                radius=5,
                color="#111111" if contested_place else "#ffffff",
                weight=2 if contested_place else 1,
                dash_array="3 2" if contested_place else None,
                fill_color=colour_of(record.get("holder"), colours),
                fill_opacity=0.95,
                class_name="territory-place",
                tooltip=escape(str(record.get("name", ""))),
                popup=popup(table(str(record.get("name", "")), _rows(record, _PLACE_FIELDS))),
            ).add_to(group)

    if crossings is not None and len(crossings):
        group = folium.FeatureGroup(name="Crossings").add_to(m)
        gates = list(points(crossings))
        for lat, lon, _ in gates:
            sharing[(lat, lon)] = sharing.get((lat, lon), 0) + 1
        fans = {spot: iter(fan_offsets(count)) for spot, count in sharing.items()}
        for lat, lon, record in gates:
            folium.Marker(
                [lat, lon],
                icon=crossing_icon(
                    colour_of(record.get("holder"), colours),
                    next(fans[(lat, lon)]),
                    place=str(record.get("id", "")),
                ),
                tooltip=escape(str(record.get("name", ""))),
                popup=popup(table(str(record.get("name", "")), _rows(record, _CROSSING_FIELDS))),
            ).add_to(group)

    if events is not None and len(events):
        group = folium.FeatureGroup(name="Recent events").add_to(m)
        for lat, lon, record in points(events):
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
                tooltip=escape(heading),
                popup=popup(table(heading, _rows(record, _EVENT_FIELDS))),
            ).add_to(group)

    if places is not None and len(places):
        add_labels(m, places)

    held = set(layer["actor"])
    reserved = {reserved_key(a) for a in held} & {UNASSESSED, CONTESTED}
    present = [a for a in colours if a in held and reserved_key(a) not in reserved]
    present += sorted(a for a in held if a not in colours and reserved_key(a) not in reserved)
    entries = [
        (names.get(a, a), {"fillColor": colour_of(a, colours), "fillOpacity": FILL_OPACITY})
        for a in present
    ]
    if UNASSESSED in reserved:
        entries.append(("Unassessed: no source says", {"fillColor": UNASSESSED_COLOUR}))
    if CONTESTED in reserved or (contested is not None and len(contested)):
        entries.append(("Contested", CONTESTED_STYLE))
    if low_confidence is not None and len(low_confidence):
        entries.append(
            ("Holder from low-confidence sources (paler, dotted)", {"fillColor": "#e0e0e0"})
        )
    notes = []
    if places is not None and len(places):
        notes.append("● place, in its holder's colour (dashed ring: contested)")
    if crossings is not None and len(crossings):
        notes.append("◆ border crossing or trade zone, in its holder's colour")
        if any(count > 1 for count in sharing.values()):
            notes.append("◆◆ fanned out: gates that share one point")
    if events is not None and len(events):
        notes.append("✱ event in the period shown; click for its sources")
    add_overlay_html(m, legend_html(entries, "Held by", notes))
    add_overlay_html(m, title_html(title, subtitle))
    if credits:
        add_attribution(m, credits)
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    return m


def map_title(tl: ControlTimeline, date: pd.Timestamp, *, origin: str | None = None) -> str:
    """The title of a control map: the date and, when available, the trade share.

    The share is ``territory.trade_share(tl, date)`` (every side but the
    incumbent: the trade out of its hands; "held" basis, all border trade),
    its low–high range first; ``origin`` is the road
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
    if value is None or low is None or high is None or pd.isna([value, low, high]).any():
        return f"{title} · trade share unavailable"
    # the range leads, then the central value and the rule that picks it
    text = (
        f"{title} · border trade through crossings {tl.dataset.sides.out_of_hands}: "
        f"{share.range_text}"
    )
    period = getattr(share, "reference_period", None)
    label = getattr(period, "label", None) or (period if isinstance(period, str) else None)
    if label:
        text += f", reference period {label}"
    return text


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
        The place the incumbent's roads start from, for the crossings' reach and
        the trade share (default: the dataset's ``origin``).

    Returns
    -------
    folium.Map
        Save it with ``m.save("map.html")``.

    Raises
    ------
    DateRangeError
        When ``date`` is outside the dataset's range.
    """
    from territory.checks import (
        check_at_least,
        check_dates,
        check_int_range,
        check_str,
        check_timeline,
    )

    check_timeline("tl", tl)
    check_dates("date", date, one=True)
    check_int_range("events_days", events_days, 0, 36_500)
    check_at_least("simplify_m", simplify_m, 0, unit="m")
    check_str("tiles", tiles, optional=True)
    check_str("origin", origin, optional=True)
    day = check_date(tl, date)
    ds = tl.dataset
    control = simplify_for_web(tl.at(day, by="actor"), tolerance_m=simplify_m)
    intervals = tl.intervals()
    active = intervals.iloc[tl.active_intervals([day])[0]]
    contested = active[active["status"] == "contested"]
    if len(contested):
        contested = simplify_for_web(contested, tolerance_m=simplify_m)
    everything = tl.places_at(day)
    if "id" not in everything.columns:
        everything = everything.rename_axis("id").reset_index()
    crossings = _crossings(tl, day, everything, origin)
    places = everything[~everything["id"].isin(crossings["id"])]
    events = in_window(event_points(ds), day, days=events_days)
    low = active[active["confidence"].astype(str) == "low"]
    if len(low):
        low = simplify_for_web(low, tolerance_m=simplify_m)
    return control_map_from_frames(
        control,
        colours=actor_colours(ds.actors),
        actor_names={str(k): str(v) for k, v in ds.actors["name"].items()},
        title=map_title(tl, day, origin=origin),
        contested=contested,
        places=places,
        crossings=crossings,
        events=events,
        tiles=tiles,
        subtitle=as_of_line(tl),
        credits=attribution_lines(tl),
        neighbours=ds.neighbours,
        borders=ds.borders,
        low_confidence=low,
    )
