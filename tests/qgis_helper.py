"""Open our files in QGIS itself and report what it sees, as JSON on stdout.

Run by tests/test_qgis.py under Debian's /usr/bin/python3 (python3-qgis is
built for it, not for the venv), headless (QT_QPA_PLATFORM=offscreen):

    python3 qgis_helper.py vector FILE.gpkg REQUEST.json   (its layers and its project)
    python3 qgis_helper.py raster FILE.tif

REQUEST.json: {"frames": [[start, end], ...], "render": [start, end]} with
ISO days; each frame is the half-open range [start, end) the Temporal
Controller gives a frame.  The features "shown" in a frame are those QGIS's
renderer would fetch: the layer's temporal filter (createFilterString)
evaluated with the map settings' expression scope, as the map canvas does.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:
    from qgis.core import (
        QgsApplication,
        QgsDateTimeRange,
        QgsExpressionContext,
        QgsExpressionContextUtils,
        QgsFeatureRequest,
        QgsMapLayer,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsPalettedRasterRenderer,
        QgsProject,
        QgsRasterLayer,
        QgsUnitTypes,
        QgsVectorLayer,
        QgsVectorLayerTemporalContext,
    )
    from qgis.PyQt.QtCore import QDateTime, QSize, Qt
    from qgis.PyQt.QtGui import QColor
except ModuleNotFoundError:
    # pytest's doctest collection imports every module under tests/ in the venv,
    # which has no QGIS; the script itself only runs under /usr/bin/python3.
    if __name__ == "__main__":
        raise


def _day(text: str) -> QDateTime:
    return QDateTime.fromString(text + "T00:00:00", Qt.ISODate)


def _map(layer: QgsMapLayer, size: int) -> QgsMapSettings:
    """A white map of ``size`` pixels square over the whole layer."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    return settings


def _pixels(settings: QgsMapSettings) -> dict[str, int]:
    """Render the map; count every other pixel's colour."""
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    counts: dict[str, int] = {}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            name = QColor(image.pixel(x, y)).name()
            counts[name] = counts.get(name, 0) + 1
    return counts


def _settings(layer: QgsVectorLayer, start: str, end: str) -> QgsMapSettings:
    settings = _map(layer, 400)
    settings.setIsTemporal(True)
    settings.setTemporalRange(QgsDateTimeRange(_day(start), _day(end), True, False))
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
    settings.setExpressionContext(context)
    return settings


def _shown(layer: QgsVectorLayer, start: str, end: str) -> list[list[str]]:
    settings = _settings(layer, start, end)
    temporal = QgsVectorLayerTemporalContext()
    temporal.setLayer(layer)
    expression = layer.temporalProperties().createFilterString(temporal, settings.temporalRange())
    request = QgsFeatureRequest()
    request.setExpressionContext(settings.expressionContext())
    if expression:
        request.setFilterExpression(expression)
    return [[f["zone_id"], f["actor"]] for f in layer.getFeatures(request)]


def _describe(layer: QgsVectorLayer) -> dict[str, object]:
    props = layer.temporalProperties()
    renderer = layer.renderer()
    info: dict[str, object] = {
        "valid": layer.isValid(),
        "crs": layer.crs().authid(),
        "features": layer.featureCount(),
        "temporal": props.isActive(),
        "mode": int(props.mode()),
        "limit_mode": int(props.limitMode()),
        "start_expression": props.startExpression(),
        "end_expression": props.endExpression(),
        "renderer": renderer.type() if renderer else None,
        "labels": layer.labelsEnabled(),
        "label_field": layer.labeling().settings().fieldName if layer.labeling() else None,
    }
    if renderer is not None and renderer.type() == "RuleRenderer":
        info["rules"] = [
            {
                "label": rule.label(),
                "filter": rule.filterExpression(),
                "colour": rule.symbol().color().name() if rule.symbol() else None,
                "symbol_layers": [sl.layerType() for sl in rule.symbol().symbolLayers()]
                if rule.symbol()
                else [],
            }
            for rule in renderer.rootRule().children()
        ]
    return info


def vector(path: str, request_file: str) -> dict[str, object]:
    """The project stored in the GeoPackage, and each layer added on its own."""
    with open(request_file, encoding="utf-8") as stream:
        request = json.load(stream)
    out: dict[str, object] = {"alone": {}, "project": {}}
    names = ("control_intervals", "places", "crossings", "events", "changes")
    for name in names:
        # Added on its own, a layer takes the default style from layer_styles
        # (renderer, labels); QGIS then resets its temporal settings (QGIS
        # issue 42223), so the project below is what opens ready to animate.
        alone = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        out["alone"][name] = _describe(alone)  # type: ignore[index]
    project = QgsProject.instance()
    out["project_read"] = project.read(f"geopackage:{path}?projectName=territory")
    settings = project.timeSettings()
    out["time_range"] = [
        settings.temporalRange().begin().toString(Qt.ISODate),
        settings.temporalRange().end().toString(Qt.ISODate),
    ]
    out["time_step"] = [settings.timeStep(), QgsUnitTypes.toString(settings.timeStepUnit())]
    out["tree"] = [node.name() for node in project.layerTreeRoot().findLayers()]
    for layer in project.mapLayers().values():
        out["project"][layer.name()] = _describe(layer)  # type: ignore[index]
        if layer.name() == "control_intervals":
            out["frames"] = [_shown(layer, start, end) for start, end in request["frames"]]
            if "render" in request:
                out["render"] = _pixels(_settings(layer, *request["render"]))
    return out


def raster(path: str) -> dict[str, object]:
    layer = QgsRasterLayer(path, "stack", "gdal")
    renderer = layer.renderer()
    out: dict[str, object] = {
        "valid": layer.isValid(),
        "bands": layer.bandCount(),
        "renderer": renderer.type(),
        "band_names": [layer.bandName(b) for b in range(1, layer.bandCount() + 1)],
    }
    if renderer.type() == "paletted":
        out["classes"] = [[c.value, c.label, c.color.name()] for c in renderer.classes()]
        # Switch the renderer to each band, as a user does in Symbology: the
        # classes stay, so every band is drawn in actor colours.
        classes = renderer.classes()  # before setRenderer deletes the renderer
        per_band = []
        for band in range(1, layer.bandCount() + 1):
            layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), band, classes))
            colours = sorted(_pixels(_map(layer, 200)))
            per_band.append({"band": layer.renderer().band(), "colours": colours})
        out["per_band"] = per_band
    return out


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    kind, *args = sys.argv[1:]
    result = vector(*args) if kind == "vector" else raster(*args)
    print(json.dumps(result))
    app.exitQgis()


if __name__ == "__main__":
    main()
