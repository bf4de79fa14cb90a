"""The pieces the Folium maps share: styles, escaping, popups, legend, title.

Popup and tooltip HTML goes through :func:`escape`, which also neutralises
the characters that would break out of the JavaScript template literals
folium writes them into.  Legend and title are placed inside the map's
container, so they stay on screen and never scroll the page.

Examples
--------
>>> table("Lashio", [("Holder", "MNDAA"), ("Note", None)])
"<b>Lashio</b><table><tr><th style='text-align:left;padding-right:6px'>Holder</th><td>MNDAA</td></tr></table>"
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.dates import to_day
from territory.export.palette import (
    CONTESTED_STYLE,
    FILL_OPACITY,
    HATCH_CSS,
    HATCH_PATTERN_ID,
    NO_DATA_COLOUR,
)

if TYPE_CHECKING:
    import folium

    from territory.timeline import ControlTimeline

__all__ = [
    "CONTESTED_STYLE",
    "DEFAULT_TILES",
    "FILL_OPACITY",
    "LABEL_ZOOMS",
    "MAP_DECIMALS",
    "NO_DATA_COLOUR",
    "add_attribution",
    "add_context",
    "add_hatch",
    "add_labels",
    "add_overlay_html",
    "add_script",
    "bounds",
    "check_date",
    "crossing_icon",
    "escape",
    "escaped_properties",
    "fan_offsets",
    "legend_html",
    "missing",
    "new_map",
    "points",
    "popup",
    "table",
    "text",
    "title_html",
]

#: Base map tiles (``None`` for none: the maps then need no network at all).
DEFAULT_TILES = "OpenStreetMap"
#: Place kinds drawn as crossing markers (gates that carry border trade).
GATE_KINDS = ("crossing", "trade_zone")
#: Decimals of the coordinates written into the HTML (~1 m).
MAP_DECIMALS = 5


def missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(cast(Any, value)))
    except (TypeError, ValueError):  # lists and arrays
        return False


def text(value: object) -> str:
    if missing(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.0f}" if abs(float(value)) >= 100 else f"{value:.3g}"
    return str(value)


def escape(text: str) -> str:
    r"""HTML-escape ``text`` for a popup or tooltip.

    folium writes popup and tooltip HTML into JavaScript template literals
    (backquoted strings), so the backquote, ``$`` and the backslash are
    escaped too: a source note holding them must neither break the page nor
    run as code.

    >>> escape("<b>`${x}`</b> \\")
    '&lt;b&gt;&#96;&#36;{x}&#96;&lt;/b&gt; &#92;'
    """
    return html.escape(text).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def table(title: str, rows: Iterable[tuple[str, object]]) -> str:
    """An HTML table for a popup; every value is escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:6px'>{escape(label)}</th>"
        f"<td>{escape(text(value))}</td></tr>"
        for label, value in rows
        if text(value) != ""
    )
    return f"<b>{escape(title)}</b><table>{cells}</table>"


def popup(content: str) -> folium.Popup:
    import folium

    return folium.Popup(folium.Html(content, script=True), max_width=360)


def legend_html(
    entries: Sequence[tuple[str, dict[str, Any]]], heading: str, notes: Sequence[str] = ()
) -> str:
    """The legend box: a swatch per (label, style), then one line per note."""
    items = []
    for label, style in entries:
        border = (
            f"2px dashed {html.escape(str(style.get('color', '#111')))}"
            if style.get("dashArray")
            else "1px solid #555"
        )
        fill = str(style.get("fillColor", "#fff"))
        background = HATCH_CSS if fill.startswith("url(") else html.escape(fill)
        swatch = (
            f"<span style='display:inline-block;width:14px;height:14px;margin-right:6px;"
            f"vertical-align:middle;background:{background};"
            f"opacity:{max(float(style.get('fillOpacity', FILL_OPACITY)), 0.35)};"
            f"border:{border}'></span>"
        )
        items.append(f"<div>{swatch}{html.escape(label)}</div>")
    items += [f"<div style='color:#444'>{html.escape(note)}</div>" for note in notes]
    return (
        "<div class='territory-legend' style='position:absolute;top:10px;right:10px;max-height:60%;max-width:22%;overflow:auto;"
        "z-index:1000;background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;"
        "font:12px/1.5 sans-serif;box-shadow:0 0 4px rgba(0,0,0,0.3)'>"
        f"<b>{html.escape(heading)}</b>{''.join(items)}</div>"
    )


def title_html(title: str, subtitle: str | None = None) -> str:
    """The title box at the top of the map, with an optional second line."""
    second = (
        f"<div class='territory-as-of' style='font:12px/1.4 sans-serif;color:#333'>"
        f"{html.escape(subtitle)}</div>"
        if subtitle
        else ""
    )
    return (
        "<div class='territory-title' style='position:absolute;top:8px;left:50%;max-width:46%;"
        "transform:translateX(-50%);z-index:1000;background:rgba(255,255,255,0.9);box-sizing:border-box;"
        "padding:4px 10px;border-radius:4px;font:bold 14px/1.4 sans-serif;text-align:center;"
        f"box-shadow:0 0 4px rgba(0,0,0,0.3)'>{html.escape(title)}{second}</div>"
    )


def escaped_properties(document: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON document whose string properties are HTML-escaped (see :func:`escape`).

    GeoJSON tooltips (``folium.GeoJsonTooltip``) insert property values into
    the page as HTML, so every string that came from data must be escaped
    before it is written into the map.

    >>> doc = {"features": [{"properties": {"name": "<b>x</b>", "area": 1.5}}]}
    >>> escaped_properties(doc)["features"][0]["properties"]
    {'name': '&lt;b&gt;x&lt;/b&gt;', 'area': 1.5}
    """
    for feature in document.get("features", []):
        properties = feature.get("properties") or {}
        feature["properties"] = {
            key: escape(value) if isinstance(value, str) else value
            for key, value in properties.items()
        }
    return document


def add_script(m: folium.Map, script: str, **values: Any) -> None:
    """Run ``script`` once the map exists; ``map`` names it, ``values`` arrive as JSON."""
    from branca.element import MacroElement
    from jinja2 import Template

    element = MacroElement()
    element._template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (map, values) {"
        + script
        + "})({{ this._parent.get_name() }}, {{ this.values|tojson }});"
        "{% endmacro %}"
    )
    element.values = values  # type: ignore[attr-defined]
    m.add_child(element)


def add_attribution(m: folium.Map, lines: Sequence[str]) -> None:
    """Add the data credits to Leaflet's attribution box (escaped: it takes HTML)."""
    add_script(
        m,
        "var style = document.createElement('style');"
        "style.textContent = '.leaflet-container .leaflet-control-attribution'"
        "  + '{max-width:50vw;white-space:normal;font-size:10px;line-height:1.3}';"
        "document.head.appendChild(style);"
        "values.lines.forEach(function (t) { map.attributionControl.addAttribution(t); });",
        lines=[html.escape(line) for line in lines],
    )


#: Zoom from which each kind of place is labelled on the web maps.
LABEL_ZOOMS = {"township_seat": 7, "town": 9}
_LABEL_CSS = (
    ".territory-label{display:none;white-space:nowrap;font:11px/1.2 sans-serif;color:#111;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
    ".territory-label-township_seat{font-weight:bold}"
)


def add_labels(m: folium.Map, places: gpd.GeoDataFrame) -> None:
    """Permanent place labels, each shown from its kind's zoom (:data:`LABEL_ZOOMS`)."""
    import folium

    if "kind" not in places.columns:
        return
    labelled = places[places["kind"].isin(list(LABEL_ZOOMS))]
    if not len(labelled):
        return
    group = folium.FeatureGroup(name="Place labels").add_to(m)
    for lat, lon, record in points(labelled):
        kind = str(record["kind"])
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f"<span>{escape(str(record.get('name', '')))}</span>",
                icon_size=(0, 0),
                icon_anchor=(-6, 7),
                class_name=f"territory-label territory-label-{kind}",
            ),
            interactive=False,
        ).add_to(group)
    add_script(
        m,
        "var style = document.createElement('style');"
        "style.textContent = values.css + Object.keys(values.zooms).map(function (k) {"
        "  return '.territory-zoom-' + k + ' .territory-label-' + k + '{display:block}'; })"
        ".join('');"
        "document.head.appendChild(style);"
        "function update() { var z = map.getZoom(), c = map.getContainer();"
        "  Object.keys(values.zooms).forEach(function (k) {"
        "    c.classList.toggle('territory-zoom-' + k, z >= values.zooms[k]); }); }"
        "map.on('zoomend', update); map.whenReady(update);",
        css=_LABEL_CSS,
        zooms=LABEL_ZOOMS,
    )


def add_context(
    m: folium.Map, neighbours: gpd.GeoDataFrame | None, borders: gpd.GeoDataFrame | None
) -> None:
    """Neighbouring countries (grey) and the international border (dash-dot), not clickable."""
    import folium

    from territory.export.layers import to_rfc7946

    if neighbours is not None and len(neighbours):
        folium.GeoJson(
            to_rfc7946(neighbours[[neighbours.geometry.name]], decimals=3),
            name="Neighbouring countries",
            style_function=lambda f: {
                "fillColor": "#d9d9d9",
                "fillOpacity": 0.6,
                "color": "#9e9e9e",
                "weight": 0.5,
                "className": "territory-neighbour",
            },
            interactive=False,
        ).add_to(m)
    if borders is not None and len(borders):
        folium.GeoJson(
            to_rfc7946(borders[[borders.geometry.name]], decimals=4),
            name="International border",
            style_function=lambda f: {
                "color": "#000000",
                "weight": 2,
                "dashArray": "8 3 2 3",
                "className": "territory-border",
            },
            interactive=False,
        ).add_to(m)


def fan_offsets(count: int, radius_px: float = 14.0) -> list[tuple[float, float]]:
    """Pixel offsets that spread ``count`` markers sharing a point on a circle.

    >>> fan_offsets(1)
    [(0.0, 0.0)]
    >>> [tuple(round(v) for v in o) for o in fan_offsets(2)]
    [(0, -14), (0, 14)]
    """
    if count <= 1:
        return [(0.0, 0.0)]
    angles = np.pi / 2 + 2 * np.pi * np.arange(count) / count
    return [(float(radius_px * np.cos(a)), float(-radius_px * np.sin(a))) for a in angles]


def crossing_icon(
    colour: str, offset: tuple[float, float] = (0.0, 0.0), place: str = ""
) -> folium.DivIcon:
    """A crossing's own symbol: a diamond in its holder's colour, black-edged.

    ``offset`` moves it that many pixels from its point (to fan out gates that
    share one); ``place`` (the place id) goes into a ``data-place`` attribute.
    """
    import folium

    dx, dy = offset
    size = 14
    return folium.DivIcon(
        html=(
            f"<div data-place='{escape(place)}' "
            f"style='width:{size}px;height:{size}px;background:{html.escape(colour)};"
            "border:2px solid #000;box-sizing:border-box;transform:rotate(45deg);"
            "box-shadow:0 0 0 1px #fff'></div>"
        ),
        icon_size=(size, size),
        icon_anchor=(round(size / 2 - dx), round(size / 2 - dy)),
        class_name="territory-crossing",
    )


def add_overlay_html(m: folium.Map, content: str) -> None:
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
    element.content = content  # type: ignore[attr-defined]
    m.add_child(element)


def bounds(frames: Iterable[gpd.GeoDataFrame | None]) -> list[list[float]] | None:
    boxes = [f.to_crs("EPSG:4326").total_bounds for f in frames if f is not None and len(f)]
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    west, south = stacked[:, 0].min(), stacked[:, 1].min()
    east, north = stacked[:, 2].max(), stacked[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]


def new_map(bounds: list[list[float]] | None, tiles: str | None) -> folium.Map:
    """A map fitted to ``bounds``, with a scale bar and the stripe pattern defined."""
    import folium

    m = folium.Map(tiles=tiles, control_scale=True, prefer_canvas=False)
    if bounds is not None:
        m.fit_bounds(bounds)
    add_hatch(m)
    return m


def add_hatch(m: folium.Map) -> None:
    """Define the SVG stripe pattern that ``fillColor: url(#territory-hatch)`` draws."""
    add_script(
        m,
        "var ns = 'http://www.w3.org/2000/svg';"
        "if (!document.getElementById(values.id)) {"
        "  var svg = document.createElementNS(ns, 'svg');"
        "  svg.setAttribute('width', '0'); svg.setAttribute('height', '0');"
        "  svg.setAttribute('style', 'position:absolute');"
        "  svg.innerHTML = '<defs><pattern id=\"' + values.id + '\" patternUnits=\"userSpaceOnUse\"'"
        '    + \' width="8" height="8" patternTransform="rotate(45)">\''
        '    + \'<line x1="0" y1="0" x2="0" y2="8" stroke="#111111"\''
        "    + ' stroke-width=\"3\"/></pattern></defs>';"
        "  document.body.appendChild(svg); }",
        id=HATCH_PATTERN_ID,
    )


def points(
    frame: gpd.GeoDataFrame,
) -> Iterable[tuple[float, float, dict[str, Any]]]:
    """(lat, lon, record) per non-empty geometry; ``id`` defaults to the row's index."""
    points = frame.to_crs("EPSG:4326").geometry
    for (index, record), geom in zip(frame.iterrows(), points, strict=True):
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        values = record.to_dict()
        values.setdefault("id", index)
        yield round(point.y, MAP_DECIMALS), round(point.x, MAP_DECIMALS), values


def check_date(tl: ControlTimeline, date: object, name: str = "date") -> pd.Timestamp:
    return to_day(date, name, tl.baseline_date, tl.as_of)
