"""The embedded township frame: openly licensed township polygons and their attribution.

A dataset may ship ``boundaries/townships.geojson`` (columns ``TS``, the
township name, ``ST``, its state or region, and ``shapeID``).  The Shan State
dataset ships the 55 Shan townships and the six Mandalay Region townships its
log needs, from geoBoundaries gbOpen (The Myanmar Analytics Project / USAID,
CC BY 4.0); :data:`TOWNSHIP_ATTRIBUTION` is the credit every map and layer
that draws them must show.

Pcodes
    The frame is keyed like :func:`territory.read_townships` (MIMU's
    layer) by ``TS_PCODE``.  A township takes the census pcode that the
    dataset's ``township_population.csv`` gives for its name (so census
    population joins); a township without a census row keeps its
    geoBoundaries ``shapeID``.  Countryside units find their township by
    name (:func:`township_slug`), so they match MIMU's layer too.

Examples
--------
>>> import territory
>>> tws = territory.load_shan().townships
>>> int((tws["ST"] == "Shan").sum())
55
>>> township_slug("Mong Yawng")
'mong_yawng'
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

__all__ = [
    "COUNTRYSIDE_PREFIX",
    "TOWNSHIPS_FILE",
    "TOWNSHIP_ATTRIBUTION",
    "countryside_id",
    "key_townships",
    "township_slug",
]

#: Where a dataset keeps its own township polygons.
TOWNSHIPS_FILE = "boundaries/townships.geojson"
#: The credit the geoBoundaries township polygons require (CC BY 4.0).
TOWNSHIP_ATTRIBUTION = (
    "Township boundaries: The Myanmar Analytics Project / USAID, via geoBoundaries "
    "(Runfola et al. 2020, PLOS ONE 15(4): e0231866), CC BY 4.0"
)
#: Countryside unit ids are this prefix and the township's slug.
COUNTRYSIDE_PREFIX = "cs_"


def township_slug(name: str) -> str:
    """A township name as a slug: lowercase ASCII letters and digits joined by ``_``.

    Examples
    --------
    >>> township_slug("Pyin Oo Lwin")
    'pyin_oo_lwin'
    """
    return "_".join(re.findall(r"[a-z0-9]+", str(name).lower()))


def countryside_id(township: str) -> str:
    """The id of a township's default countryside unit.

    Examples
    --------
    >>> countryside_id("Lashio")
    'cs_lashio'
    """
    return COUNTRYSIDE_PREFIX + township_slug(township)


def key_townships(frame: gpd.GeoDataFrame, population: pd.DataFrame) -> gpd.GeoDataFrame:
    """Key a dataset's ``townships.geojson`` by ``TS_PCODE``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The file as read (EPSG:4326; ``TS``, ``ST`` and ``shapeID``).
    population : pandas.DataFrame
        The dataset's census table (``ts_pcode``, ``township``); a township
        whose name it gives takes that pcode, the others their ``shapeID``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``TS_PCODE``: ``TS_PCODE``, ``TS``, ``ST``, ``shapeID``
        and the polygon, in the file's order.
    """
    frame = frame.copy()
    census = {
        township_slug(name): str(pcode)
        for name, pcode in zip(population["township"], population["ts_pcode"], strict=True)
    }
    frame["TS_PCODE"] = [
        census.get(township_slug(name), str(shape_id))
        for name, shape_id in zip(frame["TS"], frame["shapeID"], strict=True)
    ]
    columns = ["TS_PCODE", "TS", "ST", "shapeID"]
    frame = frame[[*columns, frame.geometry.name]]
    return frame.set_index("TS_PCODE", drop=False).rename_axis(None)
