"""The one palette every map uses: actor colours, reserved holders, uncertainty.

Actor colours come from the dataset (``actors.csv``, column ``colour``); the
embedded ones were chosen so that every pair stays apart under deuteranopia
and protanopia simulations (``tests/test_maps.py`` checks it with
colorspacious).  Two holder values are reserved for ground the data cannot
give to an actor:

* :data:`UNASSESSED` (``"unassessed"``) is drawn in a plain mid grey, so it
  never reads as anyone's ground;
* :data:`CONTESTED` (``"contested"``) is drawn hatched over a pale fill.

Ground whose holder is known but whose place is contested keeps the
holder's colour under the same hatch (print map) or a heavy dashed outline
(Folium maps).  Low-confidence holders are drawn at a lower opacity.

Examples
--------
>>> colour_of("unassessed", {"SAC": "#4d4d33"})
'#bdbdbd'
>>> colour_of("SAC", {"SAC": "#4d4d33"})
'#4d4d33'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = [
    "CONTESTED",
    "CONTESTED_FILL",
    "CONTESTED_HATCH",
    "CONTESTED_STYLE",
    "EDGE_COLOUR",
    "FILL_OPACITY",
    "HATCH_CSS",
    "HATCH_PATTERN_ID",
    "INCUMBENT_COLOUR",
    "LOW_CONFIDENCE_OPACITY",
    "MIN_CVD_DISTANCE",
    "MIN_CVD_DISTANCE_WEB",
    "NO_DATA_COLOUR",
    "OTHER_SIDE_COLOURS",
    "RESERVED_HOLDERS",
    "UNASSESSED",
    "UNASSESSED_COLOUR",
    "UNKNOWN_ACTOR_COLOUR",
    "actor_colours",
    "colour_of",
    "hex_to_rgb",
    "side_colours",
]

#: Reserved holder: the data does not say who holds this ground.
UNASSESSED = "unassessed"
#: Reserved holder: two or more actors fight over this ground.
CONTESTED = "contested"
RESERVED_HOLDERS = (UNASSESSED, CONTESTED)

#: Plain mid grey: lighter than every actor colour's dark end, darker than paper.
UNASSESSED_COLOUR = "#bdbdbd"
#: The pale ground under the hatch of ground held by no one side.
CONTESTED_FILL = "#f2f2f2"
#: Matplotlib hatch of contested ground (print map).
CONTESTED_HATCH = "////"
#: Zone outlines and hatch lines.
EDGE_COLOUR = "#333333"
#: An actor the actors table has no colour for (never one of the palette's).
UNKNOWN_ACTOR_COLOUR = "#ffffff"
#: Colour of zones no interval covers.
NO_DATA_COLOUR = "#ffffff"
#: Fill opacity of held ground on the web maps.
FILL_OPACITY = 0.7
#: Opacity of the pale veil over ground whose holder rests on low-confidence sources.
LOW_CONFIDENCE_OPACITY = 0.35
#: How contested ground is drawn on the web maps: a heavy dashed outline
#: and dark stripes over the holder's colour.
#: The id of the SVG stripe pattern the web maps define (``mapparts.add_hatch``).
HATCH_PATTERN_ID = "territory-hatch"
CONTESTED_STYLE: dict[str, Any] = {
    "color": "#111111",
    "weight": 2.5,
    "dashArray": "6 4",
    "fillColor": f"url(#{HATCH_PATTERN_ID})",
    "fillOpacity": 1.0,
}
#: The legend's swatch of the same stripes, in CSS.
HATCH_CSS = "repeating-linear-gradient(45deg,#111 0 2px,rgba(255,255,255,0.4) 2px 6px)"
#: The smallest CAM02-UCS distance the tests accept between two actor
#: colours, in normal vision and under deuteranopia and protanopia.
MIN_CVD_DISTANCE = 12.0
#: The same, for the web maps' fills (:data:`FILL_OPACITY` over white).
MIN_CVD_DISTANCE_WEB = 7.0

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` → (r, g, b) in [0, 1].

    >>> hex_to_rgb("#ff8000")
    (1.0, 0.5019607843137255, 0.0)
    """
    if not _HEX.match(colour):
        raise ValueError(f"colour: {colour!r} is not a #rrggbb colour")
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255)


def reserved_key(holder: object) -> str:
    """``holder``, or the palette's name for it when it is a reserved holder.

    The timeline's reserved actor ids (``UNASSESSED``, ``CONTESTED``,
    :mod:`territory.models`) and their sides (``unassessed``, ``contested``)
    both map to :data:`UNASSESSED` and :data:`CONTESTED`.

    >>> reserved_key("CONTESTED"), reserved_key("SAC")
    ('contested', 'SAC')
    """
    key = str(holder)
    return key.lower() if key.lower() in RESERVED_HOLDERS else key


def actor_colours(actors: pd.DataFrame) -> dict[str, str]:
    """Actor id → ``#rrggbb`` from an actors table (``colour`` column).

    Rows without a valid colour are left out (they draw in
    :data:`UNKNOWN_ACTOR_COLOUR`); the reserved holders get theirs.

    >>> table = pd.DataFrame({"colour": ["#4d4d33", None]}, index=["SAC", "X"])
    >>> actor_colours(table)
    {'SAC': '#4d4d33', 'unassessed': '#bdbdbd', 'contested': '#f2f2f2'}
    """
    colours: dict[str, str] = {}
    if "colour" in actors.columns:
        for actor, colour in actors["colour"].items():
            if reserved_key(actor) in RESERVED_HOLDERS:
                continue  # drawn in the palette's own grey and hatch
            if isinstance(colour, str) and _HEX.match(colour):
                colours[str(actor)] = colour.lower()
    colours.setdefault(UNASSESSED, UNASSESSED_COLOUR)
    colours.setdefault(CONTESTED, CONTESTED_FILL)
    return colours


#: The incumbent side's colour on maps and charts by side; the other sides take
#: :data:`OTHER_SIDE_COLOURS` in vocabulary order (Okabe-Ito, colour-blind safe).
INCUMBENT_COLOUR = "#4d4d33"
OTHER_SIDE_COLOURS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def side_colours(sides: Any) -> dict[str, str]:
    """Side id → ``#rrggbb`` for a side vocabulary (``Dataset.sides``).

    >>> from territory.sides import SideVocabulary
    >>> side_colours(SideVocabulary(("gov", "rebels", "neutral"), "gov"))
    {'gov': '#4d4d33', 'rebels': '#d55e00', 'neutral': '#0072b2'}
    """
    colours = {sides.incumbent: INCUMBENT_COLOUR}
    for i, side in enumerate(sides.others):
        colours[side] = OTHER_SIDE_COLOURS[i % len(OTHER_SIDE_COLOURS)]
    return colours


def colour_of(holder: object, colours: Mapping[str, str]) -> str:
    """The fill colour of ``holder`` (reserved holders included)."""
    key = reserved_key(holder)
    if key in colours:
        return colours[key]
    if key == UNASSESSED:
        return UNASSESSED_COLOUR
    if key == CONTESTED:
        return CONTESTED_FILL
    return UNKNOWN_ACTOR_COLOUR
