"""The print map, rendered to real files and checked in its pixels.

Each case (the synthetic timeline and the embedded Shan data) is drawn once
and saved as PNG; the image is read back with Pillow and checked for its size,
that it is not blank, and that the colour of every actor the intervals say
holds ground on that day appears inside the map frame (not only in the
legend).  The scale bar is checked against geodesic distance (pyproj.Geod),
an oracle independent of the projection the map is drawn in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pyproj import Geod, Transformer

from export_cases import CASES, active, build
from territory.crs import MYANMAR_ALBERS, WGS84
from territory.errors import DateRangeError, TerritoryError
from territory.export.palette import CONTESTED_FILL, UNASSESSED_COLOUR, hex_to_rgb
from territory.export.static import MAP_AXES, save_static_map, static_map
from territory.timeline import ControlTimeline
from territory.townships import TOWNSHIP_ATTRIBUTION


def _day(tl: ControlTimeline) -> pd.Timestamp:
    """A day with a contested zone when there is one, else the as-of date."""
    intervals = tl.intervals()
    contested = intervals.loc[intervals["status"] == "contested", "valid_from"]
    return pd.Timestamp(contested.min()) if len(contested) else tl.dataset.as_of


@pytest.fixture(scope="module", params=CASES)
def drawn(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    tl = build(request.param)
    day = _day(tl)
    fig = static_map(tl, day)
    path = save_static_map(fig, tmp_path_factory.mktemp("static") / "map.png")
    pixels = np.asarray(Image.open(path).convert("RGB"))
    return tl, day, fig, pixels


def _rgb(colour: str) -> np.ndarray:
    return np.round(np.array(hex_to_rgb(colour)) * 255).astype(int)


def _count(pixels: np.ndarray, colour: str) -> int:
    return int(np.all(pixels == _rgb(colour), axis=2).sum())


def _map_frame(pixels: np.ndarray) -> np.ndarray:
    height, width, _ = pixels.shape
    left, bottom, w, h = MAP_AXES
    return pixels[
        int((1 - bottom - h) * height) : int((1 - bottom) * height),
        int(left * width) : int((left + w) * width),
    ]


def test_size_and_not_blank(drawn) -> None:
    _, _, _, pixels = drawn
    assert pixels.shape == (900, 1200, 3)
    distinct = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(distinct) > 200
    white = np.all(pixels == 255, axis=2).mean()
    assert white < 0.6


def test_every_holder_colour_is_drawn_in_the_map(drawn) -> None:
    tl, day, _, pixels = drawn
    held = active(tl.intervals(), day)
    held = held.assign(km2=held.to_crs(MYANMAR_ALBERS).area / 1e6).groupby("actor")["km2"].sum()
    # a pixel here is about 0.3 km²: ground of 10 km² or more must show (a base's
    # 0.5 km footprint under the layered model covers too few pixels to count)
    holders = set(held.index[held >= 10])
    colours = {**tl.dataset.actors["colour"].to_dict(), "CONTESTED": CONTESTED_FILL}
    frame = _map_frame(pixels)
    assert holders
    for actor in holders:
        assert _count(frame, colours[actor]) >= 20, actor


def test_legend_colours_appear_in_the_image(drawn) -> None:
    _, _, fig, pixels = drawn
    legend = fig.legends[0]
    patches = [h for h in legend.legend_handles if hasattr(h, "get_facecolor")]
    from matplotlib.colors import to_hex

    fills = {to_hex(h.get_facecolor()) for h in patches if h.get_facecolor()[3] > 0}
    assert fills
    for colour in fills:
        assert _count(pixels, colour) >= 20, colour


def test_title_as_of_line_and_credits(drawn) -> None:
    tl, day, fig, _ = drawn
    texts = [t.get_text() for t in fig.texts]
    assert any(day.date().isoformat() in t for t in texts)
    assert f"data as of {tl.as_of.date().isoformat()}; model: {tl.model}" in "\n".join(texts)
    credits = "\n".join(texts)
    if (
        "coord_source" in tl.dataset.places
        and tl.dataset.places["coord_source"].astype(str).str.startswith("GeoNames").any()
    ):
        assert "GeoNames (www.geonames.org), CC BY 4.0" in credits
    if tl.townships is None:
        assert "Township boundaries" not in credits
    else:  # the embedded geoBoundaries townships must be credited (CC BY 4.0)
        assert TOWNSHIP_ATTRIBUTION in credits


def test_place_labels_do_not_overlap(drawn) -> None:
    tl, _, fig, _ = drawn
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    names = set(tl.dataset.places["name"])
    labels = [t for t in ax.texts if t.get_text().strip() in names]
    assert labels
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_scale_bar_is_true_in_km(drawn) -> None:
    _, _, fig, _ = drawn
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_zorder() == 20]
    assert len(bars) == 2
    x0 = min(p.get_x() for p in bars)
    x1 = max(p.get_x() + p.get_width() for p in bars)
    y = bars[0].get_y()
    label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
    km = float(label.split()[0])
    back = Transformer.from_crs(MYANMAR_ALBERS, WGS84, always_xy=True)
    (lon0, lon1), (lat0, lat1) = back.transform([x0, x1], [y, y])
    _, _, metres = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)
    assert metres / 1000 == pytest.approx(km, rel=0.01)


def test_unassessed_ground_is_grey(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reserved holder ``unassessed`` (layered model) draws in plain grey."""
    tl = build("synthetic")
    real_at = tl.at

    def at_with_unassessed(date: object, **kwargs: Any) -> Any:
        frame = real_at(date, **kwargs)
        frame.loc[frame.index[0], "actor"] = "unassessed"
        return frame

    monkeypatch.setattr(tl, "at", at_with_unassessed)
    fig = static_map(tl, tl.dataset.as_of, labels=False)
    canvas: Any = fig.canvas
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    assert _count(_map_frame(pixels), UNASSESSED_COLOUR) >= 100
    legend = "\n".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "unassessed" in legend


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_formats_read_back(tmp_path: Path, fmt: str) -> None:
    tl = build("synthetic")
    path = save_static_map(tl, tmp_path / f"map.{fmt}", date=tl.dataset.as_of, labels=False)
    data = path.read_bytes()
    if fmt == "png":
        assert Image.open(path).size == (1200, 900)
    elif fmt == "pdf":
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    else:
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert "Control on".lower() in data.decode().lower() or b"control" in data


def test_bad_arguments_are_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    tl = build("synthetic")
    target = tmp_path / "map.gif"
    target.write_text("old")
    with pytest.raises(TerritoryError, match="format: 'gif' is not a print-map format"):
        save_static_map(tl, target, date=tl.dataset.as_of)
    assert target.read_text() == "old"
    with pytest.raises(TerritoryError, match="date: required"):
        save_static_map(tl, tmp_path / "map.png")
    with pytest.raises(DateRangeError):
        static_map(tl, "2019-01-01")
    with pytest.raises(TerritoryError, match="by: 'holder' is not valid"):
        static_map(tl, tl.dataset.as_of, by="holder")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.gif"]


# --------------------------------------------------------------------------- charts


def test_trade_share_chart_caption_band_and_dpi(tmp_path: Path) -> None:
    from territory.demo import trade_chart
    from territory.trade import trade_share_series

    tl = build("shan")
    series = trade_share_series(tl, "2023-10-26", "2024-06-01", freq="MS")
    path = trade_chart(series, tmp_path / "share.png", "Trade share", tl=tl)
    image = Image.open(path)
    assert image.size == (1800, 1000)  # 9 x 5 inches at 200 dpi
    assert round(image.info["dpi"][0]) == 200
    from territory.export.charts import trade_caption, trade_share_chart

    caption = trade_caption(tl, series)
    fig = trade_share_chart(series, title="t", caption=caption, band_label="the band")
    texts = "\n".join(t.get_text() for t in fig.texts)
    period = str(series["reference_period"].dropna().iloc[0])
    assert f"Reference period of the trade weights: {period}" in texts
    sources = tl.dataset.trade.loc[tl.dataset.trade["period_label"] == period, "source"]
    assert str(sources.iloc[0]).split(" | ")[0] in texts.replace("\\$", "$").replace("\n", " ")
    assert f"model: {tl.model}" in texts
    box = fig.axes[0].get_legend()
    assert box is not None
    legend = [t.get_text() for t in box.get_texts()]
    assert "the band" in legend


def test_area_chart_stacks_to_the_whole_study_area(tmp_path: Path) -> None:
    from territory.export.charts import area_chart, save_chart

    tl = build("shan")
    fig = area_chart(tl, "2023-10-26", "2024-03-01")
    ax = fig.axes[0]
    tops = max(float(np.asarray(p.get_paths()[0].vertices)[:, 1].max()) for p in ax.collections)
    # oracle: the state's geodesic area (pyproj.Geod), not the library's Albers areas
    geod = Geod(ellps="WGS84")
    state_km2 = abs(geod.geometry_area_perimeter(tl.dataset.state.geometry.union_all())[0]) / 1e6
    assert tops * 1000 == pytest.approx(state_km2, rel=0.02)
    assert f"model: {tl.model}" in "\n".join(t.get_text() for t in fig.texts)
    path = save_chart(fig, tmp_path / "area.png")
    assert Image.open(path).size == (1800, 1000)


def test_township_credit_follows_the_township_file() -> None:
    import geopandas as gpd

    from shared_files import shared_file
    from territory.export.credits import GEOBOUNDARIES_TOWNSHIPS, attribution_lines

    tl = build("synthetic")
    assert not any("Township" in line for line in attribution_lines(tl))
    tl.townships = gpd.read_file(shared_file("shan_townships_geoboundaries.geojson"))
    assert GEOBOUNDARIES_TOWNSHIPS in attribution_lines(tl)
    tl.townships = gpd.read_file(shared_file("shan_townships_mimu.geojson"))
    lines = attribution_lines(tl)
    assert GEOBOUNDARIES_TOWNSHIPS not in lines
    assert any(line.startswith("Township boundaries: MIMU") for line in lines)
