"""QGIS styles and a QGIS project, stored inside the GeoPackage.

Two tables, both as QGIS itself writes them:

* ``layer_styles``: a default style per layer (what QGIS's "Save as
  default" writes), applied whenever a layer is added: actor colours, a hatch
  over contested ground, place labels, and temporal settings for the layers
  with holder intervals.  Each style is stored as QML (QGIS's format) and
  SLD 1.1 (for other tools).
* ``qgis_projects``: a project named ``territory`` holding every layer with
  its style, temporal settings on, and the Temporal Controller set to the
  data's range in weekly steps.  Open it from the Browser (it is listed under
  the file) or with *Project > Open From > GeoPackage*.  It is needed because
  QGIS, when it adds a layer on its own, applies the default style's renderer
  and labels but then resets its temporal settings from the data provider
  (QGIS issue 42223; *Style > Default* applies them).

The XML is written here from templates; QGIS is not needed to write it (the
tests open it in QGIS 3.22).

Temporal rules of the interval layers (``control_intervals``, ``crossings``):

* a feature is shown in a frame when its interval holds on the frame's
  *first* instant: ``valid_from <= start < valid_to``.  QGIS's own rule for
  a feature with a start and an end is an overlap (the interval meets any
  part of the frame), which, with week-long frames, draws a zone twice when
  it changed hands inside the week.  The start expression hides intervals
  that begin after the frame's start (``@map_start_time``); where that
  variable is not set the overlap rule applies;
* ``valid_to`` is exclusive (limit mode "include start, exclude end");
* an open interval (NULL ``valid_to``) ends the day after the dataset's
  as-of date: the last state is shown on the as-of date, and not after it.

Examples
--------
>>> qml = interval_qml({"SAC": "#4d4d33", "TNLA": "#009e73"}, as_of="2025-12-23")
>>> 'mode="4"' in qml and "make_datetime(2025,12,24,0,0,0)" in qml
True
"""

from __future__ import annotations

import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from territory.errors import TerritoryError

__all__ = [
    "END_OF_OPEN_INTERVAL",
    "LayerStyle",
    "interval_qml",
    "layer_styles_for",
    "qgis_project",
    "raster_qml",
    "write_layer_styles",
    "write_qgis_project",
]

#: The name of the QGIS project stored in the GeoPackage.
PROJECT_NAME = "territory"

#: The QGIS version the QML declares (the oldest tested: Debian's 3.22).
QGIS_VERSION = "3.22.0"
#: Grey for holders the actors table has no colour for.
_OTHER_COLOUR = "#9a9a9a"
#: The hatch drawn over contested ground.
_HATCH_COLOUR = "#202020"
#: What an open interval's end becomes in the temporal properties (see the module docs).
END_OF_OPEN_INTERVAL = "the day after the dataset's as-of date"


@dataclass(frozen=True)
class LayerStyle:
    """One layer's default style: QML and SLD, as QGIS stores them."""

    qml: str
    sld: str
    name: str = "territory default"
    description: str = "written by territory"


# --------------------------------------------------------------------------- helpers
def _rgba(colour: str, alpha: int = 255) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a``.

    >>> _rgba("#d55e00")
    '213,94,0,255'
    """
    text = colour.lstrip("#")
    if len(text) != 6:
        raise TerritoryError(f"colour: {colour!r}; expected #rrggbb")
    return ",".join(str(int(text[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _quote(value: str) -> str:
    """A QGIS expression string literal.

    >>> _quote("Ta'ang")
    "'Ta''ang'"
    """
    return "'" + value.replace("'", "''") + "'"


def _props(layer: ET.Element, props: Mapping[str, str]) -> None:
    """Symbol-layer properties, in both forms QGIS 3.22 writes (Option map and prop)."""
    option = ET.SubElement(layer, "Option", type="Map")
    for key, value in props.items():
        ET.SubElement(option, "Option", type="QString", name=key, value=value)
    for key, value in props.items():
        ET.SubElement(layer, "prop", k=key, v=value)


def _symbol(
    parent: ET.Element, name: str, kind: str, layers: Sequence[tuple[str, dict[str, str]]]
) -> None:
    symbol = ET.SubElement(
        parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    for cls, props in layers:
        layer = ET.SubElement(
            symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"}
        )
        _props(layer, props)


def _fill(colour: str, alpha: int = 255) -> tuple[str, dict[str, str]]:
    return (
        "SimpleFill",
        {
            "color": _rgba(colour, alpha),
            "style": "solid",
            "outline_color": "255,255,255,255",
            "outline_style": "solid",
            "outline_width": "0.2",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )


def _hatch() -> tuple[str, dict[str, str]]:
    return (
        "LinePatternFill",
        {
            "angle": "45",
            "distance": "1.6",
            "distance_unit": "MM",
            "line_width": "0.3",
            "line_width_unit": "MM",
            "color": _rgba(_HATCH_COLOUR),
        },
    )


def _hatch_line() -> tuple[str, dict[str, str]]:
    # LinePatternFill draws its lines with a sub-symbol; QGIS adds a default
    # one when it is missing, in the fill's colour.
    return ("SimpleLine", {"line_color": _rgba(_HATCH_COLOUR), "line_width": "0.3"})


def _marker(colour: str, shape: str, size: str) -> tuple[str, dict[str, str]]:
    return (
        "SimpleMarker",
        {
            "name": shape,
            "color": _rgba(colour),
            "outline_color": "35,35,35,255",
            "outline_width": "0.3",
            "outline_width_unit": "MM",
            "size": size,
            "size_unit": "MM",
        },
    )


@dataclass(frozen=True)
class _Rule:
    label: str
    filter: str
    layers: tuple[tuple[str, dict[str, str]], ...]


def _rules_renderer(root: ET.Element, kind: str, rules: Sequence[_Rule]) -> None:
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="RuleRenderer",
        symbollevels="0",
        forceraster="0",
        enableorderby="0",
        referencescale="-1",
    )
    tree = ET.SubElement(renderer, "rules", key="root")
    symbols = ET.SubElement(renderer, "symbols")
    for number, rule in enumerate(rules):
        ET.SubElement(
            tree,
            "rule",
            key=f"r{number}",
            symbol=str(number),
            label=rule.label,
            filter=rule.filter,
        )
        _symbol(symbols, str(number), kind, rule.layers)


def _labels(root: ET.Element, field: str, *, size: str, placement: str) -> None:
    """Simple labels from ``field``, with a white buffer, never duplicated per part."""
    root.set("labelsEnabled", "1")
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    style = ET.SubElement(
        settings,
        "text-style",
        fieldName=field,
        isExpression="0",
        fontFamily="Sans Serif",
        fontSize=size,
        fontSizeUnit="Point",
        textColor="20,20,20,255",
        textOpacity="1",
        namedStyle="Regular",
        fontWeight="50",
        multilineHeight="1",
        previewBkgrdColor="255,255,255,255",
    )
    ET.SubElement(
        style,
        "text-buffer",
        bufferDraw="1",
        bufferSize="0.8",
        bufferSizeUnits="MM",
        bufferColor="255,255,255,230",
        bufferOpacity="1",
        bufferJoinStyle="128",
        bufferNoFill="1",
    )
    ET.SubElement(settings, "text-format", wrapChar="", multilineAlign="3", plussign="0")
    ET.SubElement(
        settings, "placement", placement=placement, dist="1", distUnits="MM", priority="5"
    )
    ET.SubElement(
        settings,
        "rendering",
        drawLabels="1",
        labelPerPart="0",
        obstacle="1",
        displayAll="0",
        upsidedownLabels="0",
        scaleVisibility="0",
        limitNumLabels="0",
        maxNumLabels="2000",
        minFeatureSize="0",
        fontMinPixelSize="3",
        fontMaxPixelSize="10000",
        mergeLines="0",
    )


def _temporal(
    root: ET.Element,
    *,
    mode: str,
    start: str = "",
    end: str = "",
    start_field: str = "",
    end_field: str = "",
) -> None:
    temporal = ET.SubElement(
        root,
        "temporal",
        enabled="1",
        mode=mode,
        startExpression=start,
        endExpression=end,
        startField=start_field,
        endField=end_field,
        durationField="",
        durationUnit="d",
        fixedDuration="0",
        accumulate="0",
        limitMode="0",
    )
    fixed = ET.SubElement(temporal, "fixedRange")
    ET.SubElement(fixed, "start")
    ET.SubElement(fixed, "end")


def _interval_temporal(root: ET.Element, as_of: Any) -> None:
    """Start and end from expressions: the state on each frame's first instant."""
    end_day = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    _temporal(
        root,
        mode="4",  # ModeFeatureDateTimeStartAndEndFromExpressions
        start='if("valid_from" > @map_start_time, NULL, "valid_from")',
        end=f'coalesce("valid_to", make_datetime({end_day.year},{end_day.month},{end_day.day},0,0,0))',
        start_field="valid_from",
        end_field="valid_to",
    )


def _document() -> ET.Element:
    return ET.Element(
        "qgis",
        version=QGIS_VERSION,
        styleCategories="AllStyleCategories",
        labelsEnabled="0",
        hasScaleBasedVisibilityFlag="0",
        minScale="100000000",
        maxScale="0",
        readOnly="0",
    )


def _finish(root: ET.Element, geometry: int) -> str:
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = "1"
    ET.SubElement(root, "layerGeometryType").text = str(geometry)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def _actor_rules(
    colours: Mapping[str, str],
    field: str,
    kind: str,
    *,
    shape: str = "circle",
    alpha: int = 255,
    label: str = "{}",
) -> list[_Rule]:
    rules = []
    for actor, colour in colours.items():
        if kind == "fill":
            layers: tuple[tuple[str, dict[str, str]], ...] = (_fill(colour, alpha),)
        else:
            layers = (_marker(colour, shape, "2.6"),)
        rules.append(_Rule(label.format(actor), f'"{field}" = {_quote(actor)}', layers))
    other = _fill(_OTHER_COLOUR, alpha) if kind == "fill" else _marker(_OTHER_COLOUR, shape, "2.6")
    rules.append(_Rule("other or unassessed", "ELSE", (other,)))
    return rules


# --------------------------------------------------------------------------- QML per layer
def interval_qml(colours: Mapping[str, str], *, as_of: Any) -> str:
    """The QML of ``control_intervals``: actor fills, contested hatch, labels, temporal.

    Parameters
    ----------
    colours : mapping of actor id to ``#rrggbb``
    as_of : date-like
        The dataset's as-of date: open intervals end the day after it.

    Returns
    -------
    str
        A QML document.
    """
    root = _document()
    _interval_temporal(root, as_of)
    rules = _actor_rules(colours, "actor", "fill")
    rules.append(_Rule("contested", "\"status\" = 'contested'", (_hatch(),)))
    _rules_renderer(root, "fill", rules)
    _labels(root, "name", size="7", placement="1")  # 1 = around a point (the centroid)
    return _finish(root, 2)


def _points_qml(
    colours: Mapping[str, str], field: str, *, shape: str, as_of: Any | None, instant: str | None
) -> str:
    root = _document()
    if as_of is not None:
        _interval_temporal(root, as_of)
    elif instant is not None:
        _temporal(root, mode="1", start_field=instant)  # ModeFeatureDateTimeInstantFromField
    if colours:
        _rules_renderer(root, "marker", _actor_rules(colours, field, "marker", shape=shape))
    else:
        _rules_renderer(root, "marker", [_Rule("event", "", (_marker("#f0e442", shape, "2.4"),))])
    if instant is None:
        _labels(root, "name", size="8", placement="6")  # 6 = cartographic, around the point
    return _finish(root, 0)


def _changes_qml(colours: Mapping[str, str]) -> str:
    root = _document()
    _rules_renderer(
        root, "fill", _actor_rules(colours, "to_actor", "fill", alpha=170, label="gained by {}")
    )
    return _finish(root, 2)


def raster_qml(classes: Sequence[tuple[int, str, str]]) -> str:
    """The QML of a code raster: a paletted renderer, one class per actor.

    Parameters
    ----------
    classes : sequence of (code, actor, ``#rrggbb``)

    Examples
    --------
    >>> 'type="paletted"' in raster_qml([(1, "SAC", "#4d4d33")])
    True
    """
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="AllStyleCategories")
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe,
        "rasterrenderer",
        type="paletted",
        band="1",
        opacity="1",
        alphaBand="-1",
        nodataColor="",
    )
    ET.SubElement(renderer, "rasterTransparency")
    palette = ET.SubElement(renderer, "colorPalette")
    for code, actor, colour in classes:
        _rgba(colour)  # checks the form
        ET.SubElement(
            palette,
            "paletteEntry",
            value=str(code),
            color=colour.lower(),
            alpha="255",
            label=actor,
        )
    ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
    ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
    ET.SubElement(root, "blendMode").text = "0"
    ET.indent(root)
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


# --------------------------------------------------------------------------- SLD
_SLD = "http://www.opengis.net/sld"
_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"


def _sld(layer: str, field: str | None, colours: Mapping[str, str], kind: str, hatch: bool) -> str:
    """SLD 1.1 with one rule per actor (and the contested hatch), as QGIS exports it."""
    ET.register_namespace("", _SLD)
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    root = ET.Element(f"{{{_SLD}}}StyledLayerDescriptor", version="1.1.0")
    named = ET.SubElement(root, f"{{{_SLD}}}NamedLayer")
    ET.SubElement(named, f"{{{_SE}}}Name").text = layer
    user = ET.SubElement(named, f"{{{_SLD}}}UserStyle")
    ET.SubElement(user, f"{{{_SE}}}Name").text = layer
    fts = ET.SubElement(user, f"{{{_SE}}}FeatureTypeStyle")

    def param(parent: ET.Element, name: str, value: str) -> None:
        ET.SubElement(parent, f"{{{_SE}}}SvgParameter", name=name).text = value

    def rule(name: str, prop: str | None, value: str | None) -> ET.Element:
        element = ET.SubElement(fts, f"{{{_SE}}}Rule")
        ET.SubElement(element, f"{{{_SE}}}Name").text = name
        if prop is not None and value is not None:
            flt = ET.SubElement(element, f"{{{_OGC}}}Filter")
            equal = ET.SubElement(flt, f"{{{_OGC}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{_OGC}}}PropertyName").text = prop
            ET.SubElement(equal, f"{{{_OGC}}}Literal").text = value
        return element

    items = list(colours.items()) if field else [("event", "#f0e442")]
    for actor, colour in items:
        element = rule(actor, field, actor if field else None)
        if kind == "fill":
            sym = ET.SubElement(element, f"{{{_SE}}}PolygonSymbolizer")
            fill = ET.SubElement(sym, f"{{{_SE}}}Fill")
            param(fill, "fill", colour)
            stroke = ET.SubElement(sym, f"{{{_SE}}}Stroke")
            param(stroke, "stroke", "#ffffff")
            param(stroke, "stroke-width", "0.5")
        else:
            sym = ET.SubElement(element, f"{{{_SE}}}PointSymbolizer")
            graphic = ET.SubElement(sym, f"{{{_SE}}}Graphic")
            mark = ET.SubElement(graphic, f"{{{_SE}}}Mark")
            ET.SubElement(mark, f"{{{_SE}}}WellKnownName").text = "circle"
            fill = ET.SubElement(mark, f"{{{_SE}}}Fill")
            param(fill, "fill", colour)
            ET.SubElement(graphic, f"{{{_SE}}}Size").text = "8"
    if hatch:
        element = rule("contested", "status", "contested")
        sym = ET.SubElement(element, f"{{{_SE}}}PolygonSymbolizer")
        fill = ET.SubElement(sym, f"{{{_SE}}}Fill")
        graphic = ET.SubElement(ET.SubElement(fill, f"{{{_SE}}}GraphicFill"), f"{{{_SE}}}Graphic")
        mark = ET.SubElement(graphic, f"{{{_SE}}}Mark")
        ET.SubElement(mark, f"{{{_SE}}}WellKnownName").text = "horline"
        stroke = ET.SubElement(mark, f"{{{_SE}}}Stroke")
        param(stroke, "stroke", _HATCH_COLOUR)
        ET.SubElement(graphic, f"{{{_SE}}}Size").text = "6"
        ET.SubElement(graphic, f"{{{_SE}}}Rotation").text = "45"
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    )


# --------------------------------------------------------------------------- the table
def layer_styles_for(colours: Mapping[str, str], as_of: Any) -> dict[str, LayerStyle]:
    """The default style of each layer :func:`~territory.export.write_geopackage` writes.

    Parameters
    ----------
    colours : mapping of actor id to ``#rrggbb``
        The dataset's actor colours, in its order.
    as_of : date-like
        The dataset's as-of date (where open intervals end).

    Returns
    -------
    dict of str to LayerStyle
        For ``control_intervals``, ``places``, ``crossings``, ``events`` and ``changes``.
    """
    colours = {str(a): str(c) for a, c in colours.items()}
    return {
        "control_intervals": LayerStyle(
            interval_qml(colours, as_of=as_of),
            _sld("control_intervals", "actor", colours, "fill", True),
        ),
        "places": LayerStyle(
            _points_qml(colours, "holder", shape="circle", as_of=None, instant=None),
            _sld("places", "holder", colours, "marker", False),
        ),
        "crossings": LayerStyle(
            _points_qml(colours, "holder", shape="diamond", as_of=as_of, instant=None),
            _sld("crossings", "holder", colours, "marker", False),
        ),
        "events": LayerStyle(
            _points_qml({}, "", shape="triangle", as_of=None, instant="date"),
            _sld("events", None, {}, "marker", False),
        ),
        "changes": LayerStyle(
            _changes_qml(colours), _sld("changes", "to_actor", colours, "fill", False)
        ),
    }


_CREATE = (
    'CREATE TABLE IF NOT EXISTS "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)


def write_layer_styles(path: str | Path, styles: Mapping[str, LayerStyle]) -> int:
    """Store default styles in a GeoPackage's ``layer_styles`` table, as QGIS does.

    The table has the columns QGIS creates, is registered in ``gpkg_contents``
    as an attribute table, and each style is marked ``useAsDefault`` so QGIS
    applies it when it opens the layer.  Styles already stored for these
    layers are replaced.

    Parameters
    ----------
    path : str or Path
        An existing GeoPackage (write into the temporary file of an atomic write).
    styles : mapping of layer name to LayerStyle
        Every name must be a feature table of the file.

    Returns
    -------
    int
        The number of styles stored.

    Raises
    ------
    TerritoryError
        When a layer named in ``styles`` is not in the file.
    """
    with sqlite3.connect(path) as db:
        geometry_columns = dict(
            db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
        )
        missing = sorted(set(styles) - set(geometry_columns))
        if missing:
            raise TerritoryError(
                f"styles: layers {missing} are not in {str(path)!r}; expected some of "
                f"{sorted(geometry_columns)}"
            )
        db.execute(_CREATE)
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )
        for layer, style in styles.items():
            db.execute('DELETE FROM "layer_styles" WHERE f_table_name = ?', (layer,))
            db.execute(
                'INSERT INTO "layer_styles" (f_table_catalog, f_table_schema, f_table_name, '
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner, ui) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', '')",
                (
                    layer,
                    geometry_columns[layer],
                    style.name,
                    style.qml,
                    style.sld,
                    style.description,
                ),
            )
        (count,) = db.execute(
            'SELECT count(*) FROM "layer_styles" WHERE useAsDefault = 1'
        ).fetchone()
    db.close()
    return int(count)


# --------------------------------------------------------------------------- the project
#: QGIS's geometry class and WKB type for each GeoPackage geometry type name.
_GEOMETRY = {
    "POINT": ("Point", "Point"),
    "MULTIPOINT": ("Point", "MultiPoint"),
    "LINESTRING": ("Line", "LineString"),
    "MULTILINESTRING": ("Line", "MultiLineString"),
    "POLYGON": ("Polygon", "Polygon"),
    "MULTIPOLYGON": ("Polygon", "MultiPolygon"),
}
#: Layers drawn but switched off when the project opens.
_HIDDEN = {"changes"}


def qgis_project(
    gpkg_name: str,
    layers: Sequence[tuple[str, str]],
    styles: Mapping[str, LayerStyle],
    *,
    start: Any,
    end: Any,
    title: str = "territory",
) -> str:
    """A QGIS project (``.qgs`` XML) with the GeoPackage's layers, styled and temporal.

    Parameters
    ----------
    gpkg_name : str
        The GeoPackage's file name: layers are ``./<gpkg_name>|layername=<layer>``,
        relative to the file that holds the project.
    layers : sequence of (layer name, GeoPackage geometry type name)
        Drawn bottom to top.
    styles : mapping of layer name to LayerStyle
    start, end : date-like
        The project's time range, for the Temporal Controller (weekly steps).
    title : str

    Returns
    -------
    str
    """
    root = ET.Element("qgis", projectname=title, version=QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    crs = ET.SubElement(ET.SubElement(root, "projectCrs"), "spatialrefsys")
    ET.SubElement(crs, "authid").text = "EPSG:4326"
    tree = ET.SubElement(root, "layer-tree-group")
    maplayers = ET.SubElement(root, "projectlayers")
    for name, _ in reversed(list(layers)):  # the layer tree lists the top first
        source = f"./{gpkg_name}|layername={name}"
        ET.SubElement(
            tree,
            "layer-tree-layer",
            id=name,
            name=name,
            source=source,
            providerKey="ogr",
            checked="Qt::Unchecked" if name in _HIDDEN else "Qt::Checked",
            expanded="1",
        )
    for name, geometry_type in layers:
        kind, wkb = _GEOMETRY.get(geometry_type.upper(), ("Unknown", "Unknown"))
        layer = ET.SubElement(
            maplayers,
            "maplayer",
            type="vector",
            geometry=kind,
            wkbType=wkb,
            styleCategories="AllStyleCategories",
        )
        ET.SubElement(layer, "id").text = name
        ET.SubElement(layer, "datasource").text = f"./{gpkg_name}|layername={name}"
        ET.SubElement(layer, "layername").text = name
        srs = ET.SubElement(ET.SubElement(layer, "srs"), "spatialrefsys")
        ET.SubElement(srs, "authid").text = "EPSG:4326"
        ET.SubElement(layer, "provider", encoding="UTF-8").text = "ogr"
        if name in styles:
            style = ET.fromstring(styles[name].qml.split("\n", 1)[1])
            for key in ("labelsEnabled",):
                if key in style.attrib:
                    layer.set(key, style.attrib[key])
            layer.extend(list(style))
    first = pd.Timestamp(start).normalize()
    last = pd.Timestamp(end).normalize()
    settings = ET.SubElement(
        root,
        "ProjectTimeSettings",
        timeStep="7",
        timeStepUnit="d",
        frameRate="1",
        cumulativeTemporalRange="0",
    )
    span = ET.SubElement(settings, "TemporalRange")
    ET.SubElement(span, "start").text = first.strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.SubElement(span, "end").text = last.strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.indent(root)
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def write_qgis_project(
    path: str | Path,
    styles: Mapping[str, LayerStyle],
    *,
    start: Any,
    end: Any,
    gpkg_name: str | None = None,
) -> None:
    """Store a QGIS project in the GeoPackage (table ``qgis_projects``), as QGIS does.

    QGIS's Browser lists it under the file, and *Project > Open From >
    GeoPackage* opens it: every layer styled, the interval layers temporal
    and the Temporal Controller set to the data's range in weekly steps.  (A
    layer added on its own gets its style from ``layer_styles``, but QGIS
    resets a default style's temporal settings when it adds a layer, QGIS
    issue 42223: there, *Style > Default* switches them on.)

    Parameters
    ----------
    path : str or Path
        The GeoPackage (already holding the layers).
    styles : mapping of layer name to LayerStyle
    start, end : date-like
        The project's time range.
    gpkg_name : str, optional
        The file name the layers are found under; default the name of ``path``.
    """
    name = gpkg_name or Path(path).name
    with sqlite3.connect(path) as db:
        layers = db.execute(
            "SELECT c.table_name, g.geometry_type_name FROM gpkg_contents c JOIN "
            "gpkg_geometry_columns g ON g.table_name = c.table_name ORDER BY c.rowid"
        ).fetchall()
        polygons_first = sorted(layers, key=lambda layer: "POLYGON" not in layer[1].upper())
        qgs = qgis_project(name, polygons_first, styles, start=start, end=end)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{PROJECT_NAME}.qgs", qgs)
        db.execute(
            "CREATE TABLE IF NOT EXISTS qgis_projects"
            "(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
        )
        metadata = json.dumps(
            {
                "last_modified_time": pd.Timestamp.now().strftime("%Y-%m-%dT%H:%M:%S"),
                "last_modified_user": "territory",
            }
        )
        db.execute(
            "INSERT OR REPLACE INTO qgis_projects (name, metadata, content) VALUES (?, ?, ?)",
            (PROJECT_NAME, metadata, buffer.getvalue().hex().upper()),
        )
    db.close()
