"""What every map says about itself: the as-of line and the data attributions.

Both the print map (:mod:`territory.export.static`) and the Folium maps use
these, so a map never shows data without naming where it came from.  The
attributions follow the data actually drawn: GeoNames and Wikipedia from the
places' ``coord_source``, Natural Earth when the dataset's boundary notes name
it, and the township layer's own source (geoBoundaries, MIMU or "as
supplied") when the timeline was built on township polygons.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan(), model="nearest")
>>> as_of_line(tl)
'data as of 2026-02-21; model: nearest (each place commands its nearest-place cell)'
>>> any("GeoNames" in line for line in attribution_lines(tl))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = [
    "GEOBOUNDARIES_TOWNSHIPS",
    "GEONAMES",
    "NATURAL_EARTH",
    "as_of_line",
    "attribution_lines",
]

GEONAMES = "Place coordinates: GeoNames (www.geonames.org), CC BY 4.0"
WIKIPEDIA = "some coordinates: Wikipedia article infoboxes (CC BY-SA 4.0)"
NATURAL_EARTH = "Countries, state outline and borders: Natural Earth (public domain)"
GEOBOUNDARIES_TOWNSHIPS = (
    "Township boundaries: The Myanmar Analytics Project / USAID, via geoBoundaries "
    "(Runfola et al. 2020, PLOS ONE 15(4): e0231866), CC BY 4.0"
)
MIMU_TOWNSHIPS = "Township boundaries: MIMU (Myanmar Information Management Unit), as supplied"
UNKNOWN_TOWNSHIPS = (
    "Township boundaries: as supplied by the user (source not recorded in the file)"
)
_MODELS = {
    "nearest": "each place commands its nearest-place cell",
    "layered": "settlement footprints over countryside units with their own holders",
    "seat": "each township goes with its seat",
}


def as_of_line(tl: ControlTimeline) -> str:
    """``data as of …; model …`` (with ``known by`` and townships when they apply)."""
    model = str(getattr(tl, "model", "nearest"))
    explained = _MODELS.get(model)
    text = f"data as of {pd.Timestamp(tl.as_of).date().isoformat()}; model: {model}"
    if explained:
        text += f" ({explained})"
    if model == "nearest" and getattr(tl, "townships", None) is not None:
        text += ", cells within townships"
    known_by = getattr(tl, "known_by", None)
    if known_by is not None:
        text += f"; only reports known by {pd.Timestamp(known_by).date().isoformat()}"
    return text


def township_credit(townships: pd.DataFrame) -> str:
    """The credit of a township layer, from what the file shows of its origin.

    geoBoundaries files carry ``shapeID`` (or say so in ``attrs["source"]``);
    MIMU files carry ``ST_PCODE`` / ``TS_MMR4``.  Anything else is credited to
    the user, never guessed.

    >>> township_credit(pd.DataFrame(columns=["shapeName", "shapeID"])) == GEOBOUNDARIES_TOWNSHIPS
    True
    >>> township_credit(pd.DataFrame(columns=["TS_PCODE", "TS"]))
    'Township boundaries: as supplied by the user (source not recorded in the file)'
    """
    source = str(getattr(townships, "attrs", {}).get("source", ""))
    columns = set(townships.columns)
    if "geoboundaries" in source.lower() or "shapeID" in columns:
        return GEOBOUNDARIES_TOWNSHIPS
    if "mimu" in source.lower() or {"ST_PCODE", "TS_MMR4"} & columns:
        return MIMU_TOWNSHIPS
    return UNKNOWN_TOWNSHIPS


def attribution_lines(tl: ControlTimeline, places: pd.DataFrame | None = None) -> list[str]:
    """One line per data source the map draws on.

    Parameters
    ----------
    tl : ControlTimeline
    places : DataFrame, optional
        The places drawn (default: every place of the dataset); their
        ``coord_source`` decides the coordinate credits.
    """
    ds = tl.dataset
    table = ds.places if places is None else places
    if "coord_source" not in table.columns and "id" in table.columns:
        table = ds.places.reindex(table["id"])
    sources = table["coord_source"].dropna().astype(str) if "coord_source" in table else []
    lines: list[str] = []
    coordinates = []
    if any(s.startswith("GeoNames") for s in sources):
        coordinates.append(GEONAMES)
    if any("Wikipedia" in s for s in sources):
        coordinates.append(WIKIPEDIA)
    if coordinates:
        lines.append("; ".join(coordinates))
    notes = ds.path / "boundaries" / "SOURCES.md"
    if notes.is_file() and "Natural Earth" in notes.read_text(encoding="utf-8"):
        lines.append(NATURAL_EARTH)
    townships = getattr(tl, "townships", None)
    if townships is not None:
        lines.append(township_credit(townships))
    lines.append(
        f"Control: {len(ds.events)} dated events and {len(ds.baseline)} baseline rows of "
        f"{ds.name}, each naming its source (events.csv, baseline.csv); made with territory"
    )
    return lines
