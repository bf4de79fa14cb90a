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
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.dates import to_day

if TYPE_CHECKING:
    import folium

    from territory.timeline import ControlTimeline

__all__ = [
    "CONTESTED_STYLE",
    "DEFAULT_TILES",
    "FILL_OPACITY",
    "MAP_DECIMALS",
    "NO_DATA_COLOUR",
    "add_overlay_html",
    "bounds",
    "check_date",
    "escape",
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


def missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
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
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
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
        swatch = (
            f"<span style='display:inline-block;width:14px;height:14px;margin-right:6px;"
            f"vertical-align:middle;background:{html.escape(str(style.get('fillColor', '#fff')))};"
            f"opacity:{max(float(style.get('fillOpacity', FILL_OPACITY)), 0.35)};"
            f"border:{border}'></span>"
        )
        items.append(f"<div>{swatch}{html.escape(label)}</div>")
    items += [f"<div style='color:#444'>{html.escape(note)}</div>" for note in notes]
    return (
        "<div class='territory-legend' style='position:absolute;bottom:24px;left:10px;"
        "z-index:1000;background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;"
        "font:12px/1.5 sans-serif;box-shadow:0 0 4px rgba(0,0,0,0.3)'>"
        f"<b>{html.escape(heading)}</b>{''.join(items)}</div>"
    )


def title_html(title: str) -> str:
    return (
        "<div class='territory-title' style='position:absolute;top:8px;left:50%;"
        "transform:translateX(-50%);z-index:1000;background:rgba(255,255,255,0.9);"
        "padding:4px 10px;border-radius:4px;font:bold 14px/1.4 sans-serif;"
        f"box-shadow:0 0 4px rgba(0,0,0,0.3)'>{html.escape(title)}</div>"
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
    element.content = content
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
    import folium

    m = folium.Map(tiles=tiles, control_scale=True, prefer_canvas=False)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def points(
    frame: gpd.GeoDataFrame,
) -> Iterable[tuple[float, float, dict[str, Any]]]:
    points = frame.to_crs("EPSG:4326").geometry
    for (_, record), geom in zip(frame.iterrows(), points, strict=True):
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        yield round(point.y, MAP_DECIMALS), round(point.x, MAP_DECIMALS), record.to_dict()


def check_date(tl: ControlTimeline, date: object, name: str = "date") -> pd.Timestamp:
    return to_day(date, name, tl.baseline_date, tl.as_of)
