"""territory: who holds which ground in a civil war, on any date, with evidence.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> tl.holder("Lashio", "2024-09-01")
'MNDAA'
"""

from __future__ import annotations

from territory.crs import MYANMAR_ALBERS, WGS84, area_km2, study_area_crs
from territory.dataset import (
    Dataset,
    embedded_data_path,
    load_dataset,
    load_shan,
    read_townships,
    validate,
)
from territory.errors import (
    DataError,
    DataProblem,
    DateRangeError,
    TerritoryError,
    UnknownPlaceError,
)
from territory.export import (
    control_map,
    timeline_map,
    write_geojson,
    write_geopackage,
    write_geotiff,
)
from territory.timeline import ControlTimeline
from territory.trade import (
    TradeShare,
    crossings_at,
    format_share,
    trade_share,
    trade_share_series,
)

__version__ = "0.1.0"

__all__ = [
    "MYANMAR_ALBERS",
    "WGS84",
    "ControlTimeline",
    "DataError",
    "DataProblem",
    "Dataset",
    "DateRangeError",
    "TerritoryError",
    "TradeShare",
    "UnknownPlaceError",
    "__version__",
    "area_km2",
    "control_map",
    "crossings_at",
    "embedded_data_path",
    "format_share",
    "load_dataset",
    "load_shan",
    "read_townships",
    "study_area_crs",
    "timeline_map",
    "trade_share",
    "trade_share_series",
    "validate",
    "write_geojson",
    "write_geopackage",
    "write_geotiff",
]
