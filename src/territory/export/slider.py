"""A time-slider choropleth whose styles travel compactly.

:class:`ControlTimeSlider` is folium's ``TimeSliderChoropleth`` plugin (same
assets: d3 v4 and moment) with two changes.  First, the
plugin's style dictionary repeats a full style object for every feature at
every time step, which for a weekly slider over two years outweighs the
geometry.  Here the styles are sent as a table of distinct styles plus, for
each feature, run lengths of style numbers (``[count, style, count, style …]``),
expanded in the browser.  The geometry is written once; moving the slider
only restyles the paths through Leaflet's ``setStyle``.  Second, the slider
sits in a box inside the map (under the title) instead of above it, so the
page does not scroll.

This module imports folium at import time; :mod:`territory.export.maps`
imports it only inside :func:`~territory.export.maps.timeline_map`.

Examples
--------
>>> run_lengths([0, 0, 0, 2, 2, 1])
[3, 0, 2, 2, 1, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from folium.map import Layer
from folium.plugins import TimeSliderChoropleth
from folium.template import Template

__all__ = ["ControlTimeSlider", "run_lengths"]


def run_lengths(codes: Sequence[int]) -> list[int]:
    """Run-length encode a sequence as ``[count, value, count, value, …]``.

    Examples
    --------
    >>> run_lengths([])
    []
    >>> run_lengths([4])
    [1, 4]
    """
    out: list[int] = []
    for code in codes:
        code = int(code)
        if out and out[-1] == code:
            out[-2] += 1
        else:
            out.extend([1, code])
    return out


class ControlTimeSlider(TimeSliderChoropleth):
    """folium's ``TimeSliderChoropleth`` with compact, run-length styles.

    Parameters
    ----------
    data : dict
        A GeoJSON FeatureCollection whose features have an ``id``; a ``name``
        property is shown in the tooltip.
    timestamps : list of int
        Seconds since 1970-01-01 UTC, one per slider step.
    styles : list of dict
        Distinct Leaflet path styles (``fillColor``, ``fillOpacity``,
        ``color``, ``weight``, ``dashArray``) each with a ``label`` for the
        tooltip (already HTML-escaped).
    runs : dict
        Feature id → run lengths (:func:`run_lengths`) of style numbers, one
        number per step.
    date_format : str, default "YYYY-MM-DD"
        moment.js format of the date shown above the slider.
    init_timestamp : int, default 0
        The step shown first (negative counts from the end).
    class_name : str, default "territory-zone"
        CSS class of every zone path; each path also carries its feature id
        in a ``data-zone`` attribute.
    point_class_name : str, default "territory-gate"
        CSS class of point features (crossings), drawn as rings in the
        holder's colour.
    play_ms : int, default 800
        Milliseconds per step while playing.

    The slider box has step-back, play/pause and step-forward buttons.  The
    URL hash ``#date=YYYY-MM-DD`` opens the map on the step that covers that
    day (the first step for an earlier day), and every move writes the shown
    step's date back into the hash, so a link opens on the date it was
    copied at.
    name, overlay, control, show
        As for any folium layer.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {
            const timestamps = {{ this.timestamps|tojson }};
            const styles = {{ this.styles|tojson }};
            const runs = {{ this.runs|tojson }};
            const codes = {};
            for (const id in runs) {
                const r = runs[id], seq = [];
                for (let i = 0; i < r.length; i += 2) {
                    for (let k = 0; k < r[i]; k++) { seq.push(r[i + 1]); }
                }
                codes[id] = seq;
            }
            let step = {{ this.init_timestamp }};
            const styleOf = function (feature) {
                const s = styles[codes[feature.id][step]];
                if (feature.geometry.type === "Point") {
                    // a crossing: a ring in its holder's colour, dashed while contested
                    return {
                        fillColor: s.fillColor, fillOpacity: 1, color: "#000000",
                        weight: 2, dashArray: s.dashArray, radius: 6,
                        className: {{ this.point_class_name|tojson }}
                    };
                }
                return {
                    fillColor: s.fillColor, fillOpacity: s.fillOpacity, color: s.color,
                    weight: s.weight, dashArray: s.dashArray,
                    className: {{ this.class_name|tojson }}
                };
            };
            const label = function (i) {
                return moment.utc(timestamps[i] * 1000).format({{ this.date_format|tojson }});
            };
            // The slider sits under the title when the map has one (else at the top of
            // the map's container), and stops clicks and drags from reaching the map.
            const container = {{ this._parent.get_name() }}.getContainer();
            const title = container.querySelector(".territory-title");
            const box = d3.select(title || container).append("div")
                .attr("id", "slider_{{ this.get_name() }}")
                .attr("class", "territory-slider")
                .style("display", "flex").style("align-items", "center")
                .style("font", "bold 14px sans-serif").style("margin-top", "4px");
            if (title) {
                d3.select(title).style("width", "50%").style("max-width", "50%");
            } else {
                box.style("position", "absolute").style("z-index", 1000)
                    .style("top", "48px").style("left", "50%").style("width", "60%")
                    .style("transform", "translateX(-50%)")
                    .style("background", "rgba(255,255,255,0.9)").style("border-radius", "4px")
                    .style("padding", "4px 10px")
                    .style("box-shadow", "0 0 4px rgba(0,0,0,0.3)");
            }
            L.DomEvent.disableClickPropagation(box.node());
            L.DomEvent.disableScrollPropagation(box.node());
            const button = function (cls, text, tip) {
                return box.append("button").attr("type", "button").attr("class", cls)
                    .attr("title", tip).attr("aria-label", tip).text(text)
                    .style("font", "bold 13px sans-serif").style("min-width", "28px")
                    .style("margin-right", "4px").style("cursor", "pointer");
            };
            const back = button("territory-step-back", "\u2039", "step back");
            const play = button("territory-play", "\u25b6", "play");
            const forward = button("territory-step-forward", "\u203a", "step forward");
            const output = box.append("output").style("margin", "0 10px 0 6px")
                .style("white-space", "nowrap");
            const input = box.append("input")
                .attr("type", "range").attr("min", 0).attr("max", timestamps.length - 1)
                .attr("step", 1).attr("value", step).style("flex", "1 1 auto")
                .style("width", "100%");
            // #date=YYYY-MM-DD opens the step that covers that day.
            const stepOfHash = function () {
                const found = /(?:^#|&)date=(\\d{4}-\\d{2}-\\d{2})/.exec(window.location.hash);
                if (!found) { return null; }
                const seconds = Date.parse(found[1] + "T00:00:00Z") / 1000;
                if (isNaN(seconds)) { return null; }
                let chosen = 0;
                for (let i = 0; i < timestamps.length; i++) {
                    if (timestamps[i] <= seconds) { chosen = i; }
                }
                return chosen;
            };
            let layer = null, timer = null;
            const show = function (i, writeHash) {
                step = Math.max(0, Math.min(timestamps.length - 1, i));
                input.property("value", step);
                output.text(label(step));
                if (layer) { layer.setStyle(styleOf); }
                if (writeHash && window.history && window.history.replaceState) {
                    window.history.replaceState(null, "", "#date=" + label(step));
                }
            };
            const pause = function () {
                if (timer !== null) { clearInterval(timer); timer = null; }
                play.text("\u25b6").attr("title", "play").attr("aria-label", "play");
            };
            play.on("click", function () {
                if (timer !== null) { pause(); return; }
                if (step >= timestamps.length - 1) { show(0, true); }
                play.text("\u275a\u275a").attr("title", "pause").attr("aria-label", "pause");
                timer = setInterval(function () {
                    if (step >= timestamps.length - 1) { pause(); return; }
                    show(step + 1, true);
                }, {{ this.play_ms|tojson }});
            });
            back.on("click", function () { pause(); show(step - 1, true); });
            forward.on("click", function () { pause(); show(step + 1, true); });
            const fromHash = stepOfHash();
            if (fromHash !== null) { step = fromHash; }
            output.text(label(step));
            input.property("value", step);
            window.addEventListener("hashchange", function () {
                const i = stepOfHash();
                if (i !== null && i !== step) { pause(); show(i, false); }
            });
            var {{ this.get_name() }} = L.geoJson({{ this.data|tojson }}, {
                style: styleOf,
                pointToLayer: function (feature, latlng) {
                    return L.circleMarker(latlng, styleOf(feature));
                },
                onEachFeature: function (feature, layer) {
                    layer.on("add", function () {
                        layer.getElement().setAttribute("data-zone", feature.id);
                    });
                    layer.bindTooltip(function () {
                        return (feature.properties.name || feature.id) + ": "
                            + styles[codes[feature.id][step]].label;
                    });
                }
            });
            layer = {{ this.get_name() }};
            input.on("input", function () { pause(); show(+this.value, true); });
            {{ this.get_name() }}.on("add", function () {
                d3.select("#slider_{{ this.get_name() }}").style("display", "flex");
            });
            {{ this.get_name() }}.on("remove", function () {
                d3.select("#slider_{{ this.get_name() }}").style("display", "none");
            });
            {%- if this.show %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            {%- else %}
            d3.select("#slider_{{ this.get_name() }}").style("display", "none");
            {%- endif %}
        }
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        timestamps: list[int],
        styles: list[dict[str, Any]],
        runs: dict[str, list[int]],
        *,
        date_format: str = "YYYY-MM-DD",
        init_timestamp: int = 0,
        class_name: str = "territory-zone",
        point_class_name: str = "territory-gate",
        play_ms: int = 800,
        name: str | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
    ) -> None:
        # The parent's __init__ validates and stores its verbose style
        # dictionary, which this class replaces; only the Layer part is shared.
        Layer.__init__(self, name=name, overlay=overlay, control=control, show=show)
        self._name = "ControlTimeSlider"
        steps = len(timestamps)
        if steps == 0:
            raise ValueError("timestamps: empty; expected at least one step")
        for feature_id, run in runs.items():
            if sum(run[0::2]) != steps:
                raise ValueError(
                    f"runs[{feature_id!r}]: covers {sum(run[0::2])} steps; expected {steps}"
                )
            if any(not 0 <= code < len(styles) for code in run[1::2]):
                raise ValueError(f"runs[{feature_id!r}]: a style number is not in styles")
        if not -steps <= init_timestamp < steps:
            raise ValueError(
                f"init_timestamp: {init_timestamp}; expected a step in [-{steps}, {steps})"
            )
        self.data = data
        self.timestamps = [int(t) for t in timestamps]
        self.styles = styles
        self.runs = {str(k): v for k, v in runs.items()}
        self.date_format = date_format
        self.init_timestamp = init_timestamp % steps
        self.class_name = class_name
        self.point_class_name = point_class_name
        self.play_ms = int(play_ms)
