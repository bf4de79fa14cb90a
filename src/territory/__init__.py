"""territory: who holds which ground in a civil war, on any date, with evidence.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> tl.holder("Lashio", "2024-09-01")
'MNDAA'
"""

from __future__ import annotations

from territory.claims import claimed_vs_assessed, corroboration
from territory.coverage import coverage_report
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
    ArgumentError,
    ArgumentTypeError,
    DataError,
    DataProblem,
    DateRangeError,
    TerritoryError,
    UnknownPlaceError,
    WriteError,
)
from territory.export import (
    control_map,
    save_static_map,
    static_map,
    timeline_map,
    write_geojson,
    write_geopackage,
    write_geotiff,
)
from territory.held_towns import held_town_population
from territory.models import CONTESTED, MODELS, UNASSESSED
from territory.rollup import township_counts, township_rollup
from territory.timeline import ControlTimeline
from territory.townships import TOWNSHIP_ATTRIBUTION
from territory.trade import (
    TradeShare,
    crossings_at,
    format_share,
    trade_share,
    trade_share_series,
)

__version__ = "0.1.0"

__all__ = [
    "CONTESTED",
    "MODELS",
    "MYANMAR_ALBERS",
    "TOWNSHIP_ATTRIBUTION",
    "UNASSESSED",
    "WGS84",
    "ArgumentError",
    "ArgumentTypeError",
    "ControlTimeline",
    "DataError",
    "DataProblem",
    "Dataset",
    "DateRangeError",
    "TerritoryError",
    "TradeShare",
    "UnknownPlaceError",
    "WriteError",
    "__version__",
    "area_km2",
    "claimed_vs_assessed",
    "control_map",
    "corroboration",
    "coverage_report",
    "crossings_at",
    "embedded_data_path",
    "format_share",
    "held_town_population",
    "load_dataset",
    "load_shan",
    "read_townships",
    "save_static_map",
    "static_map",
    "study_area_crs",
    "timeline_map",
    "township_counts",
    "township_rollup",
    "trade_share",
    "trade_share_series",
    "validate",
    "write_geojson",
    "write_geopackage",
    "write_geotiff",
]
