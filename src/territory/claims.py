"""Claims: one row per source per claim, and how well each event is corroborated.

``events/claims.csv`` (optional) holds what each source said: the place, the
day it gives, the claimed holder or event, the source, its publication and
whether that publication is a party to the fight (a government or
armed-group statement: ``party`` is the actor id) or ``independent``.  A row ``supports``
or ``disputes`` the event it names.

From the claims each event gets

``sources``
    the number of distinct publications that support it;
``corroboration``
    ``independent-multiple`` (two or more independent publications),
    ``single`` (one independent publication, with or without party claims),
    ``party-only`` (only statements by parties to the fight), or ``none``
    (no claim row names the event);
``disputed``
    True when some claim row disputes it.

:func:`filter_events` keeps the events at or above a level, before replay
(ControlTimeline's ``min_corroboration=``).  :func:`claimed_vs_assessed` puts
the latest claim about each place beside the holder the log assesses, the way
ISW draws claimed and assessed control as separate layers.

:func:`publication_of` and :func:`party_of` help fill the ``publication`` and
``party`` columns from a ``source`` cell.  What they know of a conflict's
outlets comes from the dataset (dataset.json ``publication_aliases`` and
``party_outlets``, read by :func:`parse_source_rules`): without them, no two
spellings are merged and every source is independent.

Examples
--------
>>> publication_of("AFP via The Star, 2024-08-03")
'AFP'
>>> outlets = parse_source_rules(None, [{"pattern": "state radio", "party": "GOV"}], None)[1]
>>> party_of("State Radio bulletin, 2024-08-04", outlets)
'GOV'
>>> at_least("single", "party-only")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from territory.errors import DataProblem, TerritoryError

if TYPE_CHECKING:
    import geopandas as gpd

    from territory.dataset import Dataset

__all__ = [
    "CORROBORATION_LEVELS",
    "Corroboration",
    "PartyOutlet",
    "annotate",
    "at_least",
    "check_claims",
    "claimed_vs_assessed",
    "corroboration",
    "date_spread",
    "filter_events",
    "parse_source_rules",
    "party_of",
    "publication_of",
]

Corroboration = Literal["none", "party-only", "single", "independent-multiple"]
#: Corroboration levels, weakest first.
CORROBORATION_LEVELS: tuple[str, ...] = ("none", "party-only", "single", "independent-multiple")
INDEPENDENT = "independent"


class PartyOutlet(NamedTuple):
    """A pattern that marks a source as speaking for a party (dataset.json ``party_outlets``).

    ``pattern`` is searched in the whole source string, case-insensitively:
    an outlet's name, or the words that mark a relayed statement.
    """

    pattern: re.Pattern[str]
    party: str
    note: str = ""


def publication_of(source: str, aliases: Mapping[str, str] | None = None) -> str:
    """The publication a source string names, without its date or relaying outlet.

    A wire story carried by another outlet (``AFP via The Star``) is the
    wire's; a parenthesis that names a statement is kept out of the name.

    Parameters
    ----------
    source : str
        A ``source`` cell: publication and date.
    aliases : mapping of str to str, optional
        Spellings of one publication, lower-cased, to the name to use
        (``Dataset.publication_aliases``, from dataset.json
        ``publication_aliases``); none by default.

    Examples
    --------
    >>> publication_of("Nation Thailand (junta statement), 2025-07-07")
    'Nation Thailand'
    >>> publication_of("Shan Herald/BNI, 2024-03")
    'Shan Herald/BNI'
    >>> import territory
    >>> publication_of("Shan Herald/BNI, 2024-03", territory.load_shan().publication_aliases)
    'Shan Herald'
    """
    same = aliases or {}
    text = re.split(r",\s*(?=\d{4}|stored|undated)", source.strip())[0].strip()
    text = re.sub(r"\s*\((stored copy undated|undated)\)", "", text)
    if text.lower() in same:
        return same[text.lower()]
    text = re.sub(r"\s*\(.*\)\s*$", "", text).strip()
    text = re.split(r"\s+via\s+", text)[0]
    return same.get(text.lower(), text)


def party_of(source: str, outlets: Iterable[PartyOutlet] | None = None) -> str:
    """``independent``, or the actor id of the party a source speaks for.

    Parameters
    ----------
    source : str
        A ``source`` cell.
    outlets : iterable of PartyOutlet, optional
        ``Dataset.party_outlets`` (dataset.json ``party_outlets``); the first
        whose pattern the source matches names the party.  None by default,
        so that every source is ``independent``.

    Examples
    --------
    >>> party_of("The Irrawaddy, 2024-08-01")
    'independent'
    >>> import territory
    >>> party_of("NNN-MNA (junta Information Team), 2023-11-04",
    ...          territory.load_shan().party_outlets)
    'SAC'
    """
    for pattern, actor, _ in outlets or ():
        if pattern.search(source):
            return actor
    return INDEPENDENT


def parse_source_rules(
    aliases: Any, outlets: Any, actor_ids: Iterable[str] | None
) -> tuple[dict[str, str], tuple[PartyOutlet, ...], list[tuple[str, str]]]:
    """dataset.json's ``publication_aliases`` and ``party_outlets``, checked.

    Returns the aliases (keys lower-cased), the outlets, and the problems as
    (key, message) pairs.  None (the key absent) gives no alias, no outlet.
    ``actor_ids`` None skips the check that each party is a known actor.

    Examples
    --------
    >>> aliases, outlets, problems = parse_source_rules(
    ...     {"The Gazette": "Gazette"}, [{"pattern": "state radio", "party": "GOV"}], ["GOV"])
    >>> aliases, outlets[0].party, problems
    ({'the gazette': 'Gazette'}, 'GOV', [])
    >>> problems = parse_source_rules(None, [{"pattern": "(", "party": "REB"}], ["GOV"])[2]
    >>> for key, message in problems:
    ...     print(key, message.split(" (")[0])
    party_outlets entry 1: pattern '(' is not a valid regular expression
    party_outlets entry 1: party 'REB' is not an actor id of actors.csv
    """
    problems: list[tuple[str, str]] = []
    same: dict[str, str] = {}
    if aliases is not None:
        if not isinstance(aliases, dict):
            problems.append(
                ("publication_aliases", f'{aliases!r}; expected {{"<spelling>": "<name>"}}')
            )
        else:
            for spelling, name in aliases.items():
                if not isinstance(name, str) or not name.strip():
                    problems.append(
                        (
                            "publication_aliases",
                            f"{spelling!r}: {name!r} is not a publication name",
                        )
                    )
                else:
                    same[spelling.strip().lower()] = name.strip()
    found: list[PartyOutlet] = []
    if outlets is not None and not isinstance(outlets, list):
        problems.append(
            ("party_outlets", f'{outlets!r}; expected a list of {{"pattern": ..., "party": ...}}')
        )
        outlets = []
    known = None if actor_ids is None else set(map(str, actor_ids))
    for number, entry in enumerate(outlets or [], start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            problems.append(("party_outlets", f'{where}: {entry!r}; expected {{"pattern": ...}}'))
            continue
        pattern, party = entry["pattern"], entry.get("party")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            problems.append(
                (
                    "party_outlets",
                    f"{where}: pattern {pattern!r} is not a valid regular expression ({error})",
                )
            )
            compiled = None
        if not isinstance(party, str) or (known is not None and party not in known):
            problems.append(
                ("party_outlets", f"{where}: party {party!r} is not an actor id of actors.csv")
            )
        elif compiled is not None:
            found.append(PartyOutlet(compiled, party, str(entry.get("note", ""))))
    return same, tuple(found), problems


def at_least(level: str, minimum: str) -> bool:
    """Whether corroboration ``level`` is at least ``minimum``."""
    return CORROBORATION_LEVELS.index(level) >= CORROBORATION_LEVELS.index(_level(minimum))


def _level(value: str) -> str:
    if value not in CORROBORATION_LEVELS:
        raise TerritoryError(
            f"min_corroboration: {value!r} is not valid; expected one of {list(CORROBORATION_LEVELS)}"
        )
    return value


def corroboration(events: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """Per event: ``sources``, ``independent``, ``party``, ``corroboration``, ``disputed``.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log (``event_id`` column).
    claims : pandas.DataFrame or None
        ``claims.csv`` as loaded (``Dataset.claims``); None or empty gives
        every event the level ``none``.

    Returns
    -------
    pandas.DataFrame
        Indexed by event id, in the events' order.

    Examples
    --------
    >>> events = pd.DataFrame({"event_id": ["a", "b"]})
    >>> claims = pd.DataFrame({"event_id": ["a", "a", "b"], "stance": ["supports"] * 3,
    ...     "publication": ["X", "Y", "Z"], "party": ["independent", "independent", "SAC"]})
    >>> corroboration(events, claims)["corroboration"].tolist()
    ['independent-multiple', 'party-only']
    """
    ids = pd.Index(events["event_id"].astype(str), name="event_id")
    out = pd.DataFrame(index=ids)
    if claims is None or claims.empty:
        out["sources"] = out["independent"] = out["party"] = 0
        out["disputed"] = False
    else:
        rows = claims.dropna(subset=["event_id"]).astype({"event_id": str})
        support = rows.loc[rows["stance"] == "supports"]
        independent = support["party"] == INDEPENDENT
        count = support.groupby("event_id")["publication"].nunique()
        count_ind = support.loc[independent].groupby("event_id")["publication"].nunique()
        count_party = support.loc[~independent].groupby("event_id")["publication"].nunique()
        out["sources"] = count.reindex(ids, fill_value=0).astype(int)
        out["independent"] = count_ind.reindex(ids, fill_value=0).astype(int)
        out["party"] = count_party.reindex(ids, fill_value=0).astype(int)
        out["disputed"] = ids.isin(rows.loc[rows["stance"] == "disputes", "event_id"])
    level = np.select(
        [out["independent"] >= 2, out["independent"] == 1, out["party"] >= 1],
        ["independent-multiple", "single", "party-only"],
        default="none",
    )
    out["corroboration"] = level
    return out


def annotate(events: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """The events with ``sources``, ``corroboration`` and ``disputed`` columns added.

    Examples
    --------
    >>> import territory
    >>> ds = territory.load_shan()
    >>> table = annotate(ds.events, ds.claims)
    >>> row = table.set_index("event_id").loc["e2-015"]
    >>> row["corroboration"], bool(row["disputed"])
    ('independent-multiple', True)
    """
    levels = corroboration(events, claims)
    columns = ["sources", "corroboration", "disputed"]
    return events.assign(
        **{c: levels[c].to_numpy() for c in columns}  # corroboration keeps the events' order
    )


def date_spread(events: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """Per event: the earliest and latest day its supporting claims give, and its window.

    Returns
    -------
    pandas.DataFrame
        Indexed by event id (events with at least one supporting claim):
        ``earliest``, ``latest`` (claimed days), ``window_start``,
        ``window_end`` (``date`` ± ``date_uncertainty_days``) and ``covered``
        (the window holds every claimed day).

    Examples
    --------
    >>> events = pd.DataFrame({"event_id": ["a"], "date": [pd.Timestamp("2024-08-03")],
    ...                        "date_uncertainty_days": [9]})
    >>> claims = pd.DataFrame({"event_id": ["a", "a"], "stance": ["supports"] * 2,
    ...     "date": pd.to_datetime(["2024-07-25", "2024-08-03"])})
    >>> spread = date_spread(events, claims).iloc[0]
    >>> spread["earliest"].date().isoformat(), bool(spread["covered"])
    ('2024-07-25', True)
    """
    columns = ["earliest", "latest", "window_start", "window_end", "covered"]
    if claims is None or claims.empty:
        return pd.DataFrame(columns=columns)
    support = claims.loc[(claims["stance"] == "supports") & claims["event_id"].notna()]
    days = support.groupby(support["event_id"].astype(str))["date"].agg(["min", "max"])
    log = events.assign(event_id=events["event_id"].astype(str)).set_index("event_id")
    log = log.loc[log.index.isin(days.index)]
    half = pd.to_timedelta(log["date_uncertainty_days"].fillna(0).astype(int), unit="D")
    out = pd.DataFrame(
        {
            "earliest": days["min"].reindex(log.index),
            "latest": days["max"].reindex(log.index),
            "window_start": log["date"] - half,
            "window_end": log["date"] + half,
        }
    )
    out["covered"] = (out["earliest"] >= out["window_start"]) & (
        out["latest"] <= out["window_end"]
    )
    return out


def filter_events(
    events: pd.DataFrame, claims: pd.DataFrame | None, min_corroboration: str | None
) -> pd.DataFrame:
    """The events whose corroboration is at least ``min_corroboration``.

    Ceasefires change no holder and are always kept.  With None, the events
    are returned unchanged.  Meant to run before replay, so a change that is
    dropped leaves the place with its earlier holder.

    Examples
    --------
    >>> events = pd.DataFrame({"event_id": ["a", "b"], "kind": ["capture", "ceasefire"]})
    >>> filter_events(events, None, "single")["event_id"].tolist()
    ['b']
    """
    if min_corroboration is None:
        return events
    _level(min_corroboration)
    levels = corroboration(events, claims)["corroboration"].to_numpy()
    keep = np.array([at_least(str(v), min_corroboration) for v in levels], dtype=bool)
    keep |= (events["kind"] == "ceasefire").to_numpy()
    return events.loc[keep]


def check_claims(
    claims: pd.DataFrame, event_ids: Any, actor_ids: Any, file: str
) -> list[DataProblem]:
    """Problems in ``claims.csv`` that span files: unknown event ids and parties."""
    problems = []
    known_events, known_actors = set(map(str, event_ids)), set(map(str, actor_ids))
    for position, (event_id, party) in enumerate(
        zip(claims["event_id"], claims["party"], strict=True)
    ):
        row = position + 2
        if isinstance(event_id, str) and event_id not in known_events:
            problems.append(DataProblem(file, row, "event_id", f"unknown event id {event_id!r}"))
        if isinstance(party, str) and party != INDEPENDENT and party not in known_actors:
            problems.append(
                DataProblem(
                    file, row, "party", f"{party!r} is not 'independent' or a known actor id"
                )
            )
    return problems


def claimed_vs_assessed(dataset: Dataset, date: Any, **timeline: Any) -> gpd.GeoDataFrame:
    """Each place's assessed holder beside the latest claim about it, on ``date``.

    The assessed holder is the timeline's (the event log replayed).  The
    claimed holder is the one named by the latest claim dated on or before
    ``date`` that names a holder (a capture or handover claim); a later
    dispute of that claim is shown in ``claim_disputed``.  ``differs`` is
    True where a claim names someone other than the assessed holder: the
    two layers an ISW-style map draws apart.

    Parameters
    ----------
    dataset : Dataset
    date : date-like
    **timeline
        Passed to :class:`~territory.timeline.ControlTimeline`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place: ``place``, ``assessed_holder``, ``claimed_holder``,
        ``claimed_by`` (the publication), ``claim_party``, ``claim_date``,
        ``claim_disputed``, ``differs``, geometry.

    Examples
    --------
    >>> import territory
    >>> view = claimed_vs_assessed(territory.load_shan(), "2024-07-28")
    >>> view.loc["lashio", ["assessed_holder", "claimed_holder"]].tolist()
    ['SAC', 'MNDAA']
    """
    from territory.timeline import ControlTimeline

    tl = ControlTimeline(dataset, **timeline)
    day = tl._day(date, "date")
    places = dataset.places
    out = places[["geometry"]].copy()
    out.insert(0, "place", places.index.astype(str))
    out.insert(1, "assessed_holder", [tl.holder(p, day) for p in out["place"]])
    claims = dataset.claims if dataset.claims is not None else pd.DataFrame()
    columns = ["claimed_holder", "claimed_by", "claim_party", "claim_date", "claim_disputed"]
    for column in columns:
        out[column] = None
    if not claims.empty:
        dated = claims.loc[claims["date"] <= day]
        named = dated.loc[dated["claimed_holder"].notna() & (dated["stance"] == "supports")]
        latest = named.sort_values("date", kind="stable").groupby("place").tail(1)
        latest = latest.set_index("place")
        disputes = dated.loc[dated["stance"] == "disputes"]
        for place, claim in latest.iterrows():
            if place not in out.index:
                continue
            disputed = bool(
                (
                    (disputes["place"] == place)
                    & (disputes["date"] >= claim["date"])
                    & (disputes["event_id"].fillna("") == (claim["event_id"] or ""))
                ).any()
            )
            out.loc[place, columns] = [
                claim["claimed_holder"],
                claim["publication"],
                claim["party"],
                claim["date"],
                disputed,
            ]
    out["differs"] = out["claimed_holder"].notna() & (
        out["claimed_holder"] != out["assessed_holder"]
    )
    return out
