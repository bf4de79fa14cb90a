"""No text from the data ever runs as script in a map.

The embedded dataset is copied to a temporary directory and a payload is
appended to every non-empty cell of every text and list column of every input
file (as ``territory.schema.SPECS`` lists them: event ids included,
but not the ids the loader checks the form of), to every string property
of the boundary GeoJSON files and to the dataset's name.  The payload tries
three ways in: an ``<img onerror>``, a ``<script>`` element (also closing any
script it lands in) and a JavaScript template-literal expression.  Each one,
if it ran, would push its kind onto ``window.__pwned``.

Every map is built from that dataset (the control map on a contested day and
on the as-of date, the slider map at three steps) and opened in headless
Chromium; every interactive element is hovered and clicked so that every
tooltip and popup is inserted into the page.  A control case shows that the
same routine catches a tooltip that is not escaped.  The print map is drawn
too: matplotlib must show the payload as literal text (``$`` would otherwise
start mathtext).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import box

import territory
from browser.harness import Browser, browser_session, require_browser
from territory.export import control_map, timeline_map
from territory.export.static import static_map
from territory.schema import SPECS
from territory.timeline import ControlTimeline

PAYLOAD = (
    " <img src=x onerror=\"(window.__pwned=window.__pwned||[]).push('img')\">"
    "</script><script>(window.__pwned=window.__pwned||[]).push('script')</script>"
    " `${(window.__pwned=window.__pwned||[]).push('template')}`"
)
#: Text and list columns that are not free text: ids of other rows, and ids
#: whose form the loader checks (actor ids are uppercase, so no payload fits).
_NOT_FREE_TEXT = {
    ("routes", "places"),
    ("actors", "id"),
    ("population", "ts_pcode"),
    ("claims", "party"),  # "independent" or an actor id: a code, not free text
}

TRIGGER_EVERYTHING = """
const done = arguments[arguments.length - 1];
const elements = Array.from(document.querySelectorAll(
    'path.leaflet-interactive, .leaflet-marker-icon, .leaflet-interactive'));
let i = 0, shown = 0;
function next() {
    if (i >= elements.length) {
        setTimeout(function () { done([elements.length, shown, window.__pwned || []]); }, 500);
        return;
    }
    const el = elements[i++];
    const r = el.getBoundingClientRect();
    const at = {bubbles: true, cancelable: true, view: window,
                clientX: r.left + r.width / 2, clientY: r.top + r.height / 2};
    for (const kind of ['mouseover', 'mousemove', 'click']) {
        el.dispatchEvent(new MouseEvent(kind, at));
    }
    setTimeout(function () {
        // the payload, shown as text, in an open tooltip or popup
        const open = Array.from(document.querySelectorAll('.leaflet-tooltip, .leaflet-popup'));
        if (open.some(e => e.textContent.includes('onerror='))) { shown++; }
        el.dispatchEvent(new MouseEvent('mouseout', at));
        next();
    }, 5);
}
next();
"""


def _plant(cell: str) -> str:
    return cell + PAYLOAD if cell else cell


def poisoned_copy(target: Path) -> dict[str, int]:
    """Copy the embedded dataset to ``target`` with the payload in every text cell.

    Returns how many cells were changed per ``file.column``.
    """
    shutil.copytree(territory.embedded_data_path(), target)
    planted: dict[str, int] = {}
    for name, spec in SPECS.items():
        path = target / spec.path
        if not path.is_file():
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        columns = [
            c.name
            for c in spec.columns
            if c.kind in ("text", "list") and (name, c.name) not in _NOT_FREE_TEXT
        ]
        for column in columns:
            if rows and column in rows[0]:
                empty = not any(r[column] for r in rows)
                for row in rows:  # a column empty in every row gets the payload everywhere
                    row[column] = PAYLOAD.strip() if empty else _plant(row[column])
                planted[f"{spec.path}:{column}"] = sum(1 for r in rows if r[column])
        _write(path, rows)
    for path in sorted((target / "boundaries").glob("*.geojson")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for feature in document["features"]:
            for key, value in feature["properties"].items():
                if isinstance(value, str):
                    feature["properties"][key] = _plant(value)
                    planted[f"{path.name}:{key}"] = planted.get(f"{path.name}:{key}", 0) + 1
        path.write_text(json.dumps(document), encoding="utf-8")
    meta = json.loads((target / "dataset.json").read_text(encoding="utf-8"))
    meta["name"] = _plant(meta["name"])
    if "rollup_region" in meta:  # planted as in the township layer, so that they still match
        meta["rollup_region"] = _plant(meta["rollup_region"])
    for headline in meta.get("headline_dates", []):
        headline["label"] = _plant(headline["label"])
    (target / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    return planted


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    if not rows:
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    with browser_session() as session:
        yield session


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[ControlTimeline, dict[str, int]]:
    target = tmp_path_factory.mktemp("poisoned") / "data"
    planted = poisoned_copy(target)
    return ControlTimeline(territory.load_dataset(target)), planted


def _run_everything(browser: Browser, html: str | None = None) -> tuple[int, int, list[str]]:
    """Hover and click every element; (elements, those that showed the payload, fired)."""
    driver: Any = browser.driver if html is None else browser.open(html)
    driver.set_script_timeout(120)
    count, shown, fired = driver.execute_async_script(TRIGGER_EVERYTHING)
    return int(count), int(shown), list(fired)


def test_every_text_column_was_planted(poisoned: tuple[ControlTimeline, dict[str, int]]) -> None:
    tl, planted = poisoned
    expected = {
        f"{spec.path}:{c.name}"
        for name, spec in SPECS.items()
        for c in spec.columns
        if c.kind in ("text", "list")
        and (name, c.name) not in _NOT_FREE_TEXT
        and (tl.dataset.path / spec.path).is_file()
    }
    assert expected <= set(planted)
    assert all(planted[column] > 0 for column in expected), planted
    assert all(a.endswith(PAYLOAD) for a in tl.dataset.actors["name"])
    assert all(p.endswith(PAYLOAD) for p in tl.dataset.places["name"])
    assert tl.dataset.name.endswith(PAYLOAD)


def test_the_routine_catches_an_unescaped_tooltip(browser: Browser) -> None:
    import folium

    frame = gpd.GeoDataFrame({"name": [PAYLOAD]}, geometry=[box(97, 22, 98, 23)], crs=4326)
    m = folium.Map(tiles=None, location=[22.5, 97.5], zoom_start=7)
    folium.GeoJson(frame.to_json(), tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(m)
    count, _, fired = _run_everything(browser, m.get_root().render())
    assert count >= 1
    assert "img" in fired


def test_control_maps_run_no_data_script(
    browser: Browser, poisoned: tuple[ControlTimeline, dict[str, int]]
) -> None:
    tl, _ = poisoned
    intervals = tl.intervals()
    contested = intervals.loc[intervals["status"] == "contested", "valid_from"]
    days = [contested.min(), tl.dataset.as_of] if len(contested) else [tl.dataset.as_of]
    for day in days:
        html = control_map(tl, day, tiles=None).get_root().render()
        count, shown, fired = _run_everything(browser, html)
        assert fired == [], (day, fired)
        # every place, crossing, event and polygon showed its (planted) text
        assert shown >= len(tl.places_at(day)), (day, count, shown)
        assert browser.count("img[src='x']") == 0


def test_slider_map_runs_no_data_script(
    browser: Browser, poisoned: tuple[ControlTimeline, dict[str, int]]
) -> None:
    tl, _ = poisoned
    html = timeline_map(tl, freq="MS", tiles=None).get_root().render()
    driver: Any = browser.open(html)
    last = int(
        driver.execute_script("return +document.querySelector('.territory-slider input').max")
    )
    for step in (0, last // 2, last):
        driver.execute_script(
            "const i = document.querySelector('.territory-slider input');"
            "i.value = arguments[0]; i.dispatchEvent(new Event('input'));",
            step,
        )
        count, shown, fired = _run_everything(browser)
        assert fired == [], (step, fired)
        assert shown >= tl.intervals()["zone_id"].nunique(), (step, count, shown)
    assert browser.count("img[src='x']") == 0


def test_print_map_shows_the_payload_as_text(
    poisoned: tuple[ControlTimeline, dict[str, int]],
) -> None:
    tl, _ = poisoned
    fig = static_map(tl, tl.dataset.as_of)
    fig.canvas.draw()  # mathtext would fail here on an unescaped "$"
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in fig.axes[0].texts]
    assert any("onerror" in t for t in texts)
