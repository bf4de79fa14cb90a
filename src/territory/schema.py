"""The columns of every input file, their types and their rules.

This is the one place that both validation (:mod:`territory.dataset`) and the
data documentation (``docs/data.md``) follow.  A column's ``kind`` says how a
cell is parsed:

``text``     any string
``slug``     lowercase ASCII, digits and ``_`` (place ids, post ids)
``actor``    an actor id from ``actors.csv``
``place``    a place id from ``places.csv``
``enum``     one of ``choices``
``float``    a decimal number
``int``      a whole number (``>= 0`` where ``minimum`` is 0)
``date``     an ISO day, ``YYYY-MM-DD``
``bool``     ``true`` or ``false``
``list``     a ``;``-separated list of strings
``colour``   ``#rrggbb``

Examples
--------
>>> SPECS["events"].path
'events/events.csv'
>>> [c.name for c in SPECS["baseline"].columns]
['place', 'holder', 'confidence', 'source', 'note']
"""

from __future__ import annotations

from dataclasses import dataclass

from territory.sides import RESERVED_SIDES, SHAN_SIDES

__all__ = [
    "CLAIM_KINDS",
    "CONFIDENCE",
    "EVENT_KINDS",
    "GATE_CLOSERS",
    "GATE_EVENT_KINDS",
    "HOLDER_CHANGING_KINDS",
    "PLACE_KINDS",
    "SIDES",
    "SPECS",
    "Column",
    "TableSpec",
]

CONFIDENCE = ("high", "medium", "low")
#: The embedded dataset's sides (the default vocabulary; a dataset may name its own,
#: see :mod:`territory.sides`), then ``contested`` and ``unassessed``: the sides of the
#: reserved holders CONTESTED and UNASSESSED (see :mod:`territory.models`), allowed in
#: every vocabulary.
SIDES = (*SHAN_SIDES.ids, *RESERVED_SIDES)
#: ``countryside``: an area place, a township's ground outside its settlements.
PLACE_KINDS = (
    "town",
    "township_seat",
    "base",
    "outpost",
    "crossing",
    "trade_zone",
    "countryside",
)
EVENT_KINDS = ("capture", "handover", "contested", "repelled", "ceasefire")
#: What a claim in ``claims.csv`` says happened: an event kind, or a denial of one.
CLAIM_KINDS = (*EVENT_KINDS, "denial")
#: Event kinds after which ``to_actor`` holds the place.
HOLDER_CHANGING_KINDS = ("capture", "handover")
#: What ``trade/gate_events.csv`` records about a gate as a border, or a road:
#: none of these changes a holder (the replay never reads that file).
GATE_EVENT_KINDS = (
    "closed",
    "reopened",
    "restricted",
    "road_cut",
    "road_reopened",
    "shared",
    "sole",
)
#: Who closed or restricted a gate.
GATE_CLOSERS = ("neighbour", "holder", "both")


@dataclass(frozen=True)
class Column:
    """One column of an input file."""

    name: str
    kind: str = "text"
    required: bool = True  #: a value must be given in every row
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    """One input file: its path inside a dataset, its columns and its key."""

    path: str
    columns: tuple[Column, ...]
    key: str | None = None
    optional_file: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _source() -> Column:
    return Column("source", description="publication and date; several joined by ' | '")


def _note() -> Column:
    return Column("note", required=False)


SPECS: dict[str, TableSpec] = {
    "places": TableSpec(
        "boundaries/places.csv",
        (
            Column("id", "slug"),
            Column("name"),
            Column("alt_names", "list", required=False),
            Column("kind", "enum", choices=PLACE_KINDS),
            Column("township"),
            Column("lon", "float"),
            Column("lat", "float"),
            Column("coord_source"),
            Column("coord_confidence", "enum", choices=CONFIDENCE),
            Column("post", "slug", required=False),
            Column("partner_country", "text", required=False),
            Column("partner_town", "text", required=False),
            Column("official", "bool", required=False),
            Column("population", "int", required=False, minimum=0),
            Column("population_year", "int", required=False, minimum=1800, maximum=2100),
            Column("population_source", required=False),
            _note(),
        ),
        key="id",
    ),
    "routes": TableSpec(
        "boundaries/routes.csv",
        (
            Column("route_id", "slug"),
            Column("name"),
            Column("places", "list"),
            _source(),
            _note(),
        ),
        key="route_id",
        optional_file=True,
    ),
    "actors": TableSpec(
        "events/actors.csv",
        (
            Column("id", "text"),
            Column("name"),
            Column("aliases", "list", required=False),
            Column("side", "slug", description="a side of dataset.json's sides (default: SIDES)"),
            Column("coalition", required=False),
            Column("colour", "colour"),
            _source(),
            _note(),
        ),
        key="id",
    ),
    "baseline": TableSpec(
        "events/baseline.csv",
        (
            Column("place", "place"),
            Column("holder", "actor"),
            Column("confidence", "enum", choices=CONFIDENCE),
            _source(),
            _note(),
        ),
        key="place",
    ),
    "events": TableSpec(
        "events/events.csv",
        (
            Column("event_id", "text"),
            Column("date", "date"),
            Column("date_uncertainty_days", "int", minimum=0),
            Column("reported", "date", required=False),
            Column("place", "place", required=False),
            Column("from_actor", "actor"),
            Column("to_actor", "actor"),
            Column("kind", "enum", choices=EVENT_KINDS),
            Column("confidence", "enum", choices=CONFIDENCE),
            _source(),
            _note(),
        ),
        key="event_id",
    ),
    "trade": TableSpec(
        "trade/border_trade.csv",
        (
            Column("post", "slug"),
            Column("post_name"),
            Column("partner_country"),
            Column("period_start", "date"),
            Column("period_end", "date"),
            Column("period_label"),
            Column("exports_usd", "float", required=False, minimum=0),
            Column("imports_usd", "float", required=False, minimum=0),
            Column("total_usd", "float", minimum=0),
            _source(),
            _note(),
        ),
        optional_file=True,
    ),
    "actor_sides": TableSpec(
        "events/actor_sides.csv",
        (
            Column("actor", "actor"),
            Column("side", "slug"),
            Column("valid_from", "date"),
            Column("valid_to", "date", required=False, description="exclusive; empty = open"),
            _source(),
            Column("confidence", "enum", choices=CONFIDENCE),
            _note(),
        ),
        optional_file=True,
    ),
    "gate_events": TableSpec(
        "trade/gate_events.csv",
        (
            Column("event_id", "text"),
            Column("date", "date"),
            Column("date_uncertainty_days", "int", minimum=0),
            Column("place", "place", required=False, description="the gate (not for road events)"),
            Column(
                "segment",
                "list",
                required=False,
                description="road events: two neighbouring places of routes.csv",
            ),
            Column("kind", "enum", choices=GATE_EVENT_KINDS),
            Column("by", "enum", required=False, choices=GATE_CLOSERS),
            Column("actor", "actor", required=False, description="shared: the co-holder"),
            Column("share_low", "float", required=False, minimum=0, maximum=1),
            Column("share_high", "float", required=False, minimum=0, maximum=1),
            Column("confidence", "enum", choices=CONFIDENCE),
            _source(),
            _note(),
        ),
        key="event_id",
        optional_file=True,
    ),
    "population": TableSpec(
        "population/township_population.csv",
        (
            Column("ts_pcode", "text"),
            Column("township"),
            Column("district", required=False),
            Column("population", "int", minimum=0),
            _source(),
            _note(),
        ),
        key="ts_pcode",
        optional_file=True,
    ),
    "claims": TableSpec(
        "events/claims.csv",
        (
            Column("claim_id", "text"),
            Column("event_id", "text", required=False, description="the event it supports"),
            Column("place", "place", required=False),
            Column("date", "date", description="the day the source gives for the change"),
            Column("claim", "enum", choices=CLAIM_KINDS),
            Column("claimed_holder", "actor", required=False),
            Column("stance", "enum", choices=("supports", "disputes")),
            _source(),
            Column("publication", description="the outlet, without date or relaying outlet"),
            Column("party", description="'independent', or the actor id the source speaks for"),
            _note(),
        ),
        key="claim_id",
        optional_file=True,
    ),
}
