"""Folium maps, opened in Debian's headless Chromium with every asset served locally.

See ``tests/browser/harness.py`` for how the browser runs offline.  Each map
is checked for: no console errors, the Leaflet container, the expected number
of polygons and markers in the DOM and, for the slider map, that moving the
slider recolours the zones to the holders the timeline gives for that step.

The small cases use hand-made frames (two squares near Lashio); the real
cases use the embedded Shan State data through the real ``ControlTimeline``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

import territory
from browser.harness import Browser, browser_session, require_browser
from export_cases import CASES, active, build, interesting_days
from territory.errors import DateRangeError, TerritoryError
from territory.export import (
    control_map,
    control_map_from_frames,
    timeline_map,
    timeline_map_from_frames,
)
from territory.export.palette import (
    FILL_OPACITY,
    MIN_CVD_DISTANCE,
    MIN_CVD_DISTANCE_WEB,
    UNASSESSED_COLOUR,
    hex_to_rgb,
)
from territory.export.timeline_maps import timeline_steps, zone_style
from territory.timeline import ControlTimeline

COLOURS = {"SAC": "#4d4d33", "TNLA": "#009e73"}
FILLS_BY_ZONE = """
return Object.fromEntries(Array.from(document.querySelectorAll('path.territory-zone'))
    .map(p => [p.getAttribute('data-zone'), p.getAttribute('fill')]));
"""
MOVE_SLIDER = """
const input = document.querySelector('.territory-slider input');
input.value = arguments[0];
input.dispatchEvent(new Event('input'));
return document.querySelector('.territory-slider output').textContent;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    with browser_session() as session:
        yield session


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"actor": ["SAC", "TNLA"]},
        geometry=[box(97.0, 22.5, 97.5, 23.0), box(97.5, 22.5, 98.0, 23.0)],
        crs="EPSG:4326",
    )


def _points(names: list[str], **columns: list[object]) -> gpd.GeoDataFrame:
    xs = np.linspace(97.1, 97.9, len(names))
    return gpd.GeoDataFrame(
        {"name": names, **columns}, geometry=[Point(x, 22.75) for x in xs], crs="EPSG:4326"
    )


def _text_of(browser: Browser, selector: str) -> str:
    """The text of an element, visible yet or not (selenium's ``.text`` needs it visible)."""
    return str(browser.driver.find_element("css selector", selector).get_attribute("textContent"))


def _check_page(browser: Browser) -> None:
    assert browser.errors() == []
    assert browser.count(".leaflet-container") == 1


def test_hand_made_control_map(browser: Browser, squares: gpd.GeoDataFrame) -> None:
    # Names and notes with HTML and JavaScript-template characters must show, not run.
    tricky = "Kut<b>kai</b> `${document.title = 'hacked'}` \\u"
    places = _points(["Lashio", "Hsenwi", tricky], holder=["SAC", "TNLA", "TNLA"])
    crossings = _points(["Kyin San Kyawt", "Mang Wein"], holder=["TNLA", "SAC"])
    events = _points(
        ["Hsenwi"],
        kind=["capture"],
        date=[pd.Timestamp("2023-12-26")],
        source=["Myanmar Now, 2023-12-27"],
        note=[tricky],
    )
    m = control_map_from_frames(
        squares,
        colours=COLOURS,
        actor_names={"SAC": "State Administration Council", "TNLA": "Ta'ang army"},
        title="Control on 2024-01-10",
        contested=squares.iloc[[1]],
        places=places,
        crossings=crossings,
        events=events,
        tiles=None,
    )
    html = m.get_root().render()
    browser.open(html)
    _check_page(browser)
    assert browser.count("path.territory-control") == 2
    assert browser.count("path.territory-contested") == 1
    assert browser.count("path.territory-place") == 3
    assert browser.count(".territory-crossing") == 2
    assert browser.count(".territory-event") == 1
    legend = _text_of(browser, ".territory-legend")
    assert "State Administration Council" in legend and "Contested" in legend
    assert "border crossing" in legend and "event in the period shown" in legend
    title = _text_of(browser, ".territory-title")
    assert title == "Control on 2024-01-10"
    assert "Myanmar Now, 2023-12-27" in html
    assert browser.driver.title != "hacked"
    assert browser.count("b") == browser.count(".territory-legend b, .territory-title b")
    browser.driver.execute_script(
        "document.querySelectorAll('path.territory-place')[2]"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    # textContent, not .text: the popup may still be fading in, and selenium's
    # .text is empty for an element it does not consider visible yet.
    popup = browser.driver.find_element("css selector", ".leaflet-popup-content")
    assert popup.get_attribute("textContent").startswith(tricky)
    assert browser.errors() == []


def test_hand_made_slider_recolours(browser: Browser, squares: gpd.GeoDataFrame) -> None:
    zones = squares.rename(columns={"actor": "zone_id"}).assign(zone_id=["west", "east"])
    steps = pd.date_range("2024-01-07", periods=3, freq="7D")
    styles = [
        zone_style("#ffffff", False, "no data"),
        zone_style(COLOURS["SAC"], False, "SAC"),
        zone_style(COLOURS["TNLA"], True, "TNLA (contested)"),
    ]
    # step 0: both SAC; step 1: east goes to TNLA; step 2: both TNLA
    index = np.array([[1, 1], [1, 2], [2, 2]])
    m = timeline_map_from_frames(zones, steps, index, styles, title="slider", tiles=None)
    driver = browser.open(m.get_root().render())
    _check_page(browser)
    assert driver.execute_script(FILLS_BY_ZONE) == {"west": "#4d4d33", "east": "#4d4d33"}
    assert driver.execute_script(MOVE_SLIDER, 1) == "2024-01-14"
    assert driver.execute_script(FILLS_BY_ZONE) == {"west": "#4d4d33", "east": "#009e73"}
    assert driver.execute_script(MOVE_SLIDER, 2) == "2024-01-21"
    assert driver.execute_script(FILLS_BY_ZONE) == {"west": "#009e73", "east": "#009e73"}
    dashed = driver.execute_script(
        "return document.querySelectorAll('path.territory-zone[stroke-dasharray]').length"
    )
    assert dashed == 2
    assert browser.errors() == []


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module", params=CASES)
def timeline(request: pytest.FixtureRequest) -> ControlTimeline:
    """The real ControlTimeline on the synthetic case and on the embedded Shan data."""
    return build(request.param)


def _expected_fills(intervals: pd.DataFrame, colours: dict[str, str], day: str) -> dict[str, str]:
    """Zone → colour of the holder whose interval covers ``day`` (straight from intervals)."""
    covering = active(intervals, day)
    return {
        str(z): colours[a] for z, a in zip(covering["zone_id"], covering["actor"], strict=True)
    }


def test_real_control_map(browser: Browser, timeline: ControlTimeline) -> None:
    tl = timeline
    ds = tl.dataset
    intervals = tl.intervals()
    gate_kinds = ["crossing", "trade_zone"]
    for day in interesting_days(tl):
        html = control_map(tl, day, tiles=None).get_root().render()
        browser.open(html)
        _check_page(browser)
        when = pd.Timestamp(day)
        places = tl.places_at(day)
        gates = int(places["kind"].isin(gate_kinds).sum())
        events = ds.events
        recent = events[
            (events["date"] > when - pd.Timedelta(days=30))
            & (events["date"] <= when)
            & events["place"].notna()
        ]
        contested = int((active(intervals, day)["status"] == "contested").sum())
        assert browser.count("path.territory-control") == len(tl.at(day, by="actor")), day
        assert browser.count("path.territory-contested") == contested, day
        # contested ground is striped: its fill is the SVG pattern the page defines
        assert browser.count("pattern#territory-hatch") == 1
        fills = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('path.territory-contested'))"
            ".map(p => p.getAttribute('fill'))"
        )
        assert set(fills) <= {"url(#territory-hatch)"}, fills
        assert browser.count(".territory-crossing") == gates, day
        assert browser.count("path.territory-place") == len(places) - gates, day
        assert browser.count(".territory-event") == len(recent), day
        for source in recent["source"]:
            assert html_text(source.split(" | ")[0]) in html, source
        title = _text_of(browser, ".territory-title")
        assert title.startswith(f"Control on {day}")
        _check_gate_popups(tl, day, places[places["kind"].isin(gate_kinds)], html, title)
        legend = _text_of(browser, ".territory-legend")
        for actor in tl.at(day, by="actor")["actor"]:
            if actor in ("UNASSESSED", "CONTESTED"):  # reserved: the palette's own entries
                assert actor.capitalize() in legend
            else:
                assert ds.actors.loc[actor, "name"] in legend


def _check_gate_popups(
    tl: ControlTimeline, day: str, gates: pd.DataFrame, html: str, title: str
) -> None:
    """Each gate's popup gives holder and since when; then trade and reach, or why not."""
    from territory.trade import crossings_at

    for name, holder in zip(gates["name"], gates["holder"], strict=True):
        popup = f"<b>{html_text(name)}</b><table>"
        assert popup in html, name
        start = html.index(popup)
        table = html[start : html.index("</table>", start)]
        assert f"Holder</th><td>{html_text(holder)}</td>" in table, name
        assert "Held since</th><td>" in table, name
    try:
        crossings_at(tl, day)
    except TerritoryError as error:
        reason = str(error).splitlines()[0]
        assert html_text(f"unavailable: {reason}") in html
        assert "trade share unavailable" in title
    else:
        if len(gates):
            assert "The incumbent side can reach it by road</th>" in html
            assert "Post&#x27;s trade (USD)</th>" in html
        assert "%" in title


def html_text(text: str) -> str:
    """``text`` as it appears in a popup (HTML-escaped)."""
    import html

    return html.escape(text)


def test_real_slider_follows_the_intervals(browser: Browser, timeline: ControlTimeline) -> None:
    tl = timeline
    ds = tl.dataset
    m = timeline_map(tl, freq="W", tiles=None)
    driver = browser.open(m.get_root().render())
    _check_page(browser)
    intervals = tl.intervals()
    colours = {str(k): str(v) for k, v in ds.actors["colour"].items()}
    assert browser.count("path.territory-zone") == intervals["zone_id"].nunique()
    last_step = int(
        driver.execute_script("return +document.querySelector('.territory-slider input').max")
    )
    first = driver.execute_script(FILLS_BY_ZONE)
    assert first == _expected_fills(intervals, colours, str(ds.baseline_date.date()))
    for step in (last_step // 2, last_step):
        label = driver.execute_script(MOVE_SLIDER, step)
        assert driver.execute_script(FILLS_BY_ZONE) == _expected_fills(intervals, colours, label)
    assert label == str(ds.as_of.date())
    assert driver.execute_script(FILLS_BY_ZONE) != first
    assert browser.errors() == []


def test_weekly_slider_is_at_most_twice_a_single_map(timeline: ControlTimeline) -> None:
    """The issue's size target: geometry is written once, not once per step."""
    tl = timeline
    single = len(control_map(tl, tl.dataset.as_of, tiles=None).get_root().render())
    weekly = len(timeline_map(tl, freq="W", tiles=None).get_root().render())
    assert weekly <= 2 * single


def test_map_dates_outside_the_data_are_refused(timeline: ControlTimeline) -> None:
    with pytest.raises(DateRangeError, match=r"date: 2019-01-01 is outside the data"):
        control_map(timeline, "2019-01-01")
    with pytest.raises(DateRangeError, match=r"end: 2019-01-01 is outside"):
        timeline_map(timeline, end="2019-01-01")
    with pytest.raises(TerritoryError, match="freq: 'fortnightly' is not a pandas frequency"):
        timeline_map(timeline, freq="fortnightly")


# --------------------------------------------------------------------------- palette


def _actor_colours_from_csv() -> dict[str, str]:
    """Actor colours read straight from the embedded actors.csv (not through the library)."""
    import csv

    path = territory.embedded_data_path() / "events" / "actors.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        # the reserved holders (UNASSESSED, CONTESTED) draw in the palette's grey and hatch
        return {r["id"]: r["colour"] for r in rows if r["id"] not in ("UNASSESSED", "CONTESTED")}


def _cam02(colours: dict[str, np.ndarray], vision: str | None) -> dict[str, np.ndarray]:
    from colorspacious import cspace_convert

    out = {}
    for key, rgb in colours.items():
        seen = rgb
        if vision is not None:
            space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
            seen = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
        out[key] = cspace_convert(seen, "sRGB1", "CAM02-UCS")
    return out


@pytest.mark.parametrize("vision", [None, "deuteranomaly", "protanomaly"])
@pytest.mark.parametrize("opacity", [1.0, FILL_OPACITY])
def test_actor_colours_stay_apart_under_colour_blindness(
    vision: str | None, opacity: float
) -> None:
    """Every pair of actor colours (and the unassessed grey) is apart in CAM02-UCS.

    Severity 100 of colorspacious' Machado et al. (2009) model is deuteranopia
    and protanopia.  ``opacity`` 1 is the print map's solid fill; the web maps
    blend their fill over white.
    """
    colours = {**_actor_colours_from_csv(), "unassessed": UNASSESSED_COLOUR}
    blended = {k: opacity * np.array(hex_to_rgb(v)) + (1 - opacity) for k, v in colours.items()}
    seen = _cam02(blended, vision)
    floor = MIN_CVD_DISTANCE if opacity == 1.0 else MIN_CVD_DISTANCE_WEB
    for a, b in itertools.combinations(seen, 2):
        distance = float(np.linalg.norm(seen[a] - seen[b]))
        assert distance >= floor, (vision, opacity, a, b, round(distance, 1))


def test_the_colour_test_would_catch_the_old_palette() -> None:
    """The colours before this palette (SAC vs UWSA …) fail the same check."""
    old = {"AA": "#cc79a7", "PNLO": "#44aa99"}
    seen = _cam02({k: np.array(hex_to_rgb(v)) for k, v in old.items()}, "deuteranomaly")
    assert float(np.linalg.norm(seen["AA"] - seen["PNLO"])) < MIN_CVD_DISTANCE


# --------------------------------------------------------------------------- maps explain themselves

_RECT = (
    "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
    "return [r.left, r.top, r.right, r.bottom];"
)
_MAP_VAR = "Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))"


def _rect(driver: Any, selector: str) -> list[float]:
    return [float(v) for v in driver.execute_script(_RECT, selector)]


def _apart(a: list[float], b: list[float]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def _visible(driver: Any, selector: str) -> int:
    return int(
        driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".filter(e => getComputedStyle(e).display !== 'none').length",
            selector,
        )
    )


def test_control_map_explains_itself(browser: Browser) -> None:
    tl = build("shan")
    ds = tl.dataset
    day = "2024-08-10"
    driver: Any = browser.open(control_map(tl, day, tiles=None).get_root().render())
    _check_page(browser)
    boxes = [
        ".leaflet-control-scale",
        ".territory-legend",
        ".territory-title",
        ".leaflet-control-attribution",
        ".leaflet-control-zoom",
        ".leaflet-control-layers",
    ]
    rects = {s: _rect(driver, s) for s in boxes}
    for a, b in itertools.combinations(boxes, 2):
        assert _apart(rects[a], rects[b]), (a, rects[a], b, rects[b])
    attribution = _text_of(browser, ".leaflet-control-attribution")
    assert "GeoNames (www.geonames.org), CC BY 4.0" in attribution
    assert "Natural Earth" in attribution
    assert f"data as of {ds.as_of.date()}; model: {tl.model}" in _text_of(
        browser, ".territory-as-of"
    )
    assert ds.neighbours is not None
    assert browser.count("path.territory-neighbour") == len(ds.neighbours)
    assert browser.count("path.territory-border") == len(ds.borders)
    # crossings: own icon, one per gate, none hiding another (four Muse gates share a point)
    places = tl.places_at(day)
    gates = places[places["kind"].isin(["crossing", "trade_zone"])]
    assert gates.geometry.duplicated().any()
    centres = driver.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('[data-place]'))"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return [e.dataset.place, [r.left + r.width / 2, r.top + r.height / 2]]; }))"
    )
    assert browser.count(".territory-crossing") == len(centres) == len(gates)
    for _, group in gates.groupby(gates.geometry.to_wkt()):
        spots = [centres[pid] for pid in group["id"]]
        for (x0, y0), (x1, y1) in itertools.combinations(spots, 2):
            assert max(abs(x0 - x1), abs(y0 - y1)) >= 10, list(group["id"])
    # labels: township seats at the opening zoom, towns once zoomed in, none far out
    seats = int((places["kind"] == "township_seat").sum())
    towns = int((places["kind"] == "town").sum())
    zoom = driver.execute_script(f"return window[{_MAP_VAR}].getZoom()")
    assert zoom >= 7
    assert _visible(driver, ".territory-label-township_seat") == seats
    assert _visible(driver, ".territory-label-town") == 0
    driver.execute_script(f"window[{_MAP_VAR}].setZoom(10, {{animate: false}})")
    assert _visible(driver, ".territory-label-town") == towns
    driver.execute_script(f"window[{_MAP_VAR}].setZoom(5, {{animate: false}})")
    assert _visible(driver, ".territory-label") == 0


def _step_label(driver: Any) -> str:
    return str(
        driver.execute_script(
            "return document.querySelector('.territory-slider output').textContent"
        )
    )


def test_slider_controls_and_date_link(browser: Browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    tl = build("shan")
    ds = tl.dataset
    intervals = tl.intervals()
    colours = {str(k): str(v) for k, v in ds.actors["colour"].items()}
    html = timeline_map(tl, freq="W", tiles=None).get_root().render()
    steps = [str(d.date()) for d in timeline_steps(ds.baseline_date, ds.as_of, "W")]

    # the hash opens the step that covers the day (2024-08-10 is a Saturday: the
    # Sunday 2024-08-04 step covers it), and the zones show that day's holders
    driver: Any = browser.open(html, "date=2024-08-10")
    _check_page(browser)
    assert _step_label(driver) == "2024-08-04"
    assert driver.execute_script(FILLS_BY_ZONE) == _expected_fills(
        intervals, colours, "2024-08-04"
    )
    rects = {
        s: _rect(driver, s)
        for s in (".territory-legend", ".territory-title", ".leaflet-control-scale")
    }
    for a, b in itertools.combinations(rects, 2):
        assert _apart(rects[a], rects[b]), (a, b)

    at = steps.index("2024-08-04")
    driver.find_element("css selector", ".territory-step-forward").click()
    assert _step_label(driver) == steps[at + 1]
    assert driver.execute_script("return location.hash") == f"#date={steps[at + 1]}"
    assert driver.execute_script(FILLS_BY_ZONE) == _expected_fills(
        intervals, colours, steps[at + 1]
    )
    driver.find_element("css selector", ".territory-step-back").click()
    driver.find_element("css selector", ".territory-step-back").click()
    assert _step_label(driver) == steps[at - 1]

    play = driver.find_element("css selector", ".territory-play")
    play.click()
    assert play.get_attribute("title") == "pause"
    WebDriverWait(driver, 10).until(lambda d: _step_label(d) > steps[at])
    play.click()
    assert play.get_attribute("title") == "play"
    paused_at = _step_label(driver)
    assert driver.execute_script(FILLS_BY_ZONE) == _expected_fills(intervals, colours, paused_at)

    # a new hash moves the map; a day before the data opens the first step
    driver.execute_script("location.hash = '#date=2025-05-01'")
    WebDriverWait(driver, 5).until(lambda d: _step_label(d) == "2025-04-27")
    driver = browser.open(html, "date=1999-01-01")
    assert _step_label(driver) == steps[0]
    assert browser.errors() == []


def test_slider_crossings_follow_their_holders(browser: Browser) -> None:
    """Each crossing's ring takes the colour of the holder tl.holder gives for the step."""
    tl = build("shan")
    ds = tl.dataset
    colours = {str(k): str(v) for k, v in ds.actors["colour"].items()}
    driver: Any = browser.open(timeline_map(tl, freq="W", tiles=None).get_root().render())
    gates = [p for p, kind in ds.places["kind"].items() if kind in ("crossing", "trade_zone")]
    assert browser.count("path.territory-gate") == len(gates)
    fills = (
        "return Object.fromEntries(Array.from(document.querySelectorAll('path.territory-gate'))"
        ".map(p => [p.getAttribute('data-zone'), p.getAttribute('fill')]));"
    )
    last = int(
        driver.execute_script("return +document.querySelector('.territory-slider input').max")
    )
    for step in (0, last // 2, last):
        label = driver.execute_script(MOVE_SLIDER, step)
        expected = {f"gate:{g}": colours[tl.holder(g, label)] for g in gates}
        assert driver.execute_script(fills) == expected, label
    assert "border crossing" in _text_of(browser, ".territory-legend")


def test_the_map_title_leads_with_the_trade_share_range() -> None:
    """Issue 13: the range leads wherever a share is shown, the map title included."""
    from territory.export.maps import map_title
    from territory.trade import trade_share

    tl = ControlTimeline(territory.load_shan())
    day = pd.Timestamp("2024-08-10")
    share = trade_share(tl, day)
    title = map_title(tl, day)
    # the default share: out of the incumbent's hands (data/dataset.json has no sides: Shan's)
    assert "crossings out of the hands of Junta (SAC) and allies: " in title
    shown = title.split(": ", 1)[1]
    assert shown.startswith(f"{100 * share.low:.1f}–{100 * share.high:.1f} %, central ")
