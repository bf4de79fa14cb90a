"""Folium maps, opened in Debian's headless Chromium with every asset served locally.

See ``tests/browser/harness.py`` for how the browser runs offline.  Each map
is checked for: no console errors, the Leaflet container, the expected number
of polygons and markers in the DOM and, for the slider map, that moving the
slider recolours the zones to the holders the timeline gives for that step.

The small cases use hand-made frames (two squares near Lashio); the real
cases use the embedded Shan State data through the real ``ControlTimeline``.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from browser.harness import Browser, browser_session, require_browser
from export_cases import CASES, active, build, interesting_days
from territory.errors import DateRangeError, TerritoryError
from territory.export import (
    control_map,
    control_map_from_frames,
    timeline_map,
    timeline_map_from_frames,
)
from territory.export.timeline_maps import zone_style
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
    assert browser.count("img.leaflet-marker-icon") == 2
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
        assert browser.count("img.leaflet-marker-icon") == gates, day
        assert browser.count("path.territory-place") == len(places) - gates, day
        assert browser.count(".territory-event") == len(recent), day
        for source in recent["source"]:
            assert html_text(source.split(" | ")[0]) in html, source
        title = _text_of(browser, ".territory-title")
        assert title.startswith(f"Control on {day}")
        _check_gate_popups(tl, day, places[places["kind"].isin(gate_kinds)], html, title)
        legend = _text_of(browser, ".territory-legend")
        for actor in tl.at(day, by="actor")["actor"]:
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
            assert "Junta can reach it by road</th>" in html
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
    colours = ds.actors["colour"].to_dict()
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
