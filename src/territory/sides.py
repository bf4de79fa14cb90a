"""Sides: the dataset's side vocabulary, and which side each actor is on, day by day.

A *side* groups actors for every roll-up "by side" (areas, places, maps,
the trade share).  The vocabulary is the dataset's own (``dataset.json``
key ``sides``), for example::

    "sides": {
      "incumbent": "incumbent",
      "labels": {"incumbent": "Government", "opposition": "Opposition", "neutral": "Neutral"}
    }

``incumbent`` names the side that holds the state's road network: the trade
share's ``cut`` basis walks its roads.  Without the key, the embedded Shan
State vocabulary applies (``junta`` / ``resistance`` / ``neutral``, with
``junta`` incumbent), so that older datasets keep loading.

An actor's side in ``actors.csv`` is its default.  The optional
``events/actor_sides.csv`` (actor, side, valid_from, valid_to, source,
confidence, note) overrides it over half-open intervals
``[valid_from, valid_to)``: a group that signs a ceasefire and stands aside,
or switches sides, changes side on that day without any place changing
holder.

Examples
--------
>>> import pandas as pd
>>> actors = pd.DataFrame({"side": ["junta", "resistance"]}, index=["SAC", "MNDAA"])
>>> periods = pd.DataFrame({"actor": ["MNDAA"], "side": ["neutral"],
...     "valid_from": [pd.Timestamp("2025-01-18")], "valid_to": [pd.NaT]})
>>> history = SideHistory(actors, periods)
>>> history.side("MNDAA", "2025-01-17"), history.side("MNDAA", "2025-01-18")
('resistance', 'neutral')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "RESERVED_SIDES",
    "SHAN_SIDES",
    "SideHistory",
    "SideVocabulary",
    "parse_sides",
    "split_at_switches",
    "split_days",
]


@dataclass(frozen=True)
class SideVocabulary:
    """The sides of a dataset, their labels, and which one is the incumbent.

    Examples
    --------
    >>> SHAN_SIDES.label("resistance")
    'Resistance'
    >>> SHAN_SIDES.incumbent
    'junta'
    """

    ids: tuple[str, ...]
    incumbent: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, side: str) -> str:
        """The side's label for maps and legends (its id, capitalised, when unlabelled)."""
        return str(self.labels.get(side, side.replace("_", " ").capitalize()))

    @property
    def others(self) -> tuple[str, ...]:
        """Every side but the incumbent, in vocabulary order."""
        return tuple(s for s in self.ids if s != self.incumbent)

    @property
    def not_incumbent(self) -> str:
        """Every side but the incumbent, joined with ``+``: the trade share's default side.

        >>> SHAN_SIDES.not_incumbent
        'resistance+neutral'
        """
        return "+".join(self.others)

    @property
    def out_of_hands(self) -> str:
        """The default trade-share side in words, for titles and captions.

        >>> SHAN_SIDES.out_of_hands
        'out of the hands of Junta (SAC) and allies'
        """
        return f"out of the hands of {self.label(self.incumbent)}"


#: The sides of the reserved holders UNASSESSED and CONTESTED (see
#: :mod:`territory.models`): valid in every dataset, never one of its own sides.
RESERVED_SIDES: tuple[str, ...] = ("unassessed", "contested")

#: The embedded Shan State vocabulary: the default when dataset.json has no ``sides``.
SHAN_SIDES = SideVocabulary(
    ids=("junta", "resistance", "neutral"),
    incumbent="junta",
    labels={
        "junta": "Junta (SAC) and allies",
        "resistance": "Resistance",
        "neutral": "Neutral or ceasefire",
    },
)


def parse_sides(value: Any) -> tuple[SideVocabulary, list[str]]:
    """The ``sides`` value of dataset.json as a vocabulary, with any problems.

    Returns :data:`SHAN_SIDES` (and no problem) when ``value`` is None.

    Examples
    --------
    >>> vocab, problems = parse_sides({"incumbent": "gov", "labels": {"gov": "Government",
    ...     "rebels": "Rebels"}})
    >>> vocab.ids, vocab.incumbent, problems
    (('gov', 'rebels'), 'gov', [])
    >>> parse_sides({"incumbent": "king", "labels": {"gov": "Government"}})[1]
    ["incumbent 'king' is not one of the sides ['gov']"]
    """
    if value is None:
        return SHAN_SIDES, []
    if not isinstance(value, dict) or not isinstance(value.get("labels"), dict):
        return SHAN_SIDES, [
            'expected {"incumbent": "<side>", "labels": {"<side>": "<label>", ...}}'
        ]
    labels = {str(k): str(v) for k, v in value["labels"].items()}
    problems = [
        f"side id {side!r} is not valid: expected lowercase letters, digits and _"
        for side in labels
        if not side.replace("_", "").isalnum() or side != side.lower()
    ]
    incumbent = str(value.get("incumbent"))
    if incumbent not in labels:
        problems.append(f"incumbent {incumbent!r} is not one of the sides {sorted(labels)}")
    return SideVocabulary(tuple(labels), incumbent, labels), problems


class SideHistory:
    """Which side each actor is on, on any day.

    Parameters
    ----------
    actors : pandas.DataFrame
        Indexed by actor id, with ``side`` (the default side).
    periods : pandas.DataFrame, optional
        ``actor_sides.csv``: ``actor``, ``side``, ``valid_from`` and
        ``valid_to`` (NaT = open).  Periods of one actor must not overlap
        (:func:`territory.validate` checks it).
    actor_ids : sequence of str, optional
        Every actor that needs a side (an actor without a row has side
        ``"unknown"``); default the index of ``actors``.
    """

    def __init__(
        self,
        actors: pd.DataFrame,
        periods: pd.DataFrame | None = None,
        actor_ids: Sequence[str] | None = None,
    ) -> None:
        defaults = actors["side"].to_dict() if "side" in actors else {}
        self.actor_ids: list[str] = [str(a) for a in (actor_ids or list(actors.index))]
        #: Each actor's default side (actors.csv).
        self.default: dict[str, str] = {a: str(defaults.get(a, "unknown")) for a in self.actor_ids}
        self.periods: list[tuple[str, str, np.datetime64, np.datetime64 | None]] = []
        if periods is not None and len(periods):
            rows = periods.loc[periods["actor"].isin(self.actor_ids)]
            starts = pd.to_datetime(rows["valid_from"]).to_numpy(dtype="datetime64[ns]")
            ends = pd.to_datetime(rows["valid_to"]).to_numpy(dtype="datetime64[ns]")
            for actor, side, start, end in zip(
                rows["actor"], rows["side"], starts, ends, strict=True
            ):
                self.periods.append((str(actor), str(side), start, None if np.isnat(end) else end))
        sides = set(self.default.values()) | {p[1] for p in self.periods}
        #: Every side used, sorted: the columns of a roll-up by side.
        self.side_ids: list[str] = sorted(sides)
        self._code = {s: i for i, s in enumerate(self.side_ids)}
        self._actor_pos = {a: i for i, a in enumerate(self.actor_ids)}
        #: The default side code of each actor, in ``actor_ids`` order.
        self.default_codes = np.array(
            [self._code[self.default[a]] for a in self.actor_ids], dtype=np.int64
        )

    @property
    def change_days(self) -> np.ndarray:
        """Every day on which some actor's side changes (datetime64[ns], sorted)."""
        days = {p[2] for p in self.periods} | {p[3] for p in self.periods if p[3] is not None}
        return np.array(sorted(days), dtype="datetime64[ns]")

    def codes(self, days: Iterable[Any]) -> np.ndarray:
        """Side codes (into :attr:`side_ids`) per day and actor: shape (days, actors)."""
        stamps = np.asarray(pd.DatetimeIndex(list(days)).to_numpy(dtype="datetime64[ns]"))
        out = np.tile(self.default_codes, (len(stamps), 1))
        for actor, side, start, end in self.periods:
            inside = (stamps >= start) & (True if end is None else stamps < end)
            out[inside, self._actor_pos[actor]] = self._code[side]
        return out

    def on(self, day: Any) -> dict[str, str]:
        """Every actor's side on ``day``."""
        row = self.codes([pd.Timestamp(day)])[0]
        return {a: self.side_ids[c] for a, c in zip(self.actor_ids, row, strict=True)}

    def side(self, actor: str, day: Any) -> str:
        """One actor's side on ``day`` (``"unknown"`` for an actor without a side)."""
        return self.on(day).get(actor, "unknown")

    def switches(self) -> dict[str, np.ndarray]:
        """Per actor, the days on which its side really changes (datetime64[ns], sorted).

        A period boundary where the side stays the same (a period that repeats
        the default, or two periods that meet with one side) is not a switch.

        >>> actors = pd.DataFrame({"side": ["resistance"]}, index=["MNDAA"])
        >>> periods = pd.DataFrame({"actor": ["MNDAA"], "side": ["neutral"],
        ...     "valid_from": [pd.Timestamp("2025-01-18")], "valid_to": [pd.NaT]})
        >>> [str(d)[:10] for d in SideHistory(actors, periods).switches()["MNDAA"]]
        ['2025-01-18']
        """
        out: dict[str, np.ndarray] = {}
        for actor in sorted({p[0] for p in self.periods}):
            bounds = {p[2] for p in self.periods if p[0] == actor}
            bounds |= {p[3] for p in self.periods if p[0] == actor and p[3] is not None}
            days = np.array(sorted(bounds), dtype="datetime64[ns]")
            names = pd.Series([actor] * len(days))
            before = self.lookup(names, pd.Series(days - np.timedelta64(1, "D")))
            after = self.lookup(names, pd.Series(days))
            out[actor] = days[(before != after).to_numpy()]
        return out

    def lookup(self, actors: pd.Series, days: pd.Series) -> pd.Series:
        """The side of each (actor, day) pair, aligned with ``actors``."""
        out = actors.map(self.default).fillna("unknown").astype(object)
        stamps = pd.to_datetime(days).to_numpy(dtype="datetime64[ns]")
        names = actors.to_numpy(dtype=object)
        for actor, side, start, end in self.periods:
            inside = (names == actor) & (stamps >= start)
            if end is not None:
                inside &= stamps < end
            out[inside] = side
        return out


def split_days(days: np.ndarray, extra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``days`` with the ``extra`` days inside its range added, and for each
    new day the row of ``days`` it repeats.

    Examples
    --------
    >>> d = np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[ns]")
    >>> new, take = split_days(d, np.array(["2024-01-15", "2023-01-01"], dtype="datetime64[ns]"))
    >>> [str(x)[:10] for x in new], take.tolist()
    (['2024-01-01', '2024-01-15', '2024-02-01'], [0, 0, 1])
    """
    extra = extra[extra > days[0]] if len(days) else extra
    merged = np.union1d(days, extra)
    return merged, np.searchsorted(days, merged, side="right") - 1


def split_at_switches(
    rows: pd.DataFrame, history: SideHistory, last_day: Any, holder: str = "holder"
) -> tuple[pd.DataFrame, np.ndarray]:
    """Holder intervals cut wherever their holder changes side, with each piece's side.

    ``rows`` has ``holder`` (or the column named by ``holder``), ``valid_from``
    and ``valid_to`` (exclusive, NaT = open).  A row whose holder switches
    side on a day strictly inside it, and no later than ``last_day``, becomes
    one row per side period: ``[valid_from, switch)``, ``[switch, …)``; every
    other column is repeated.  Each row's ``side`` is then its holder's side
    on ``valid_from``, which is its side on every day of the row.

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        The rows (a fresh index), and for each the position in ``rows`` of the
        row it comes from.

    Examples
    --------
    >>> actors = pd.DataFrame({"side": ["resistance"]}, index=["MNDAA"])
    >>> periods = pd.DataFrame({"actor": ["MNDAA"], "side": ["neutral"],
    ...     "valid_from": [pd.Timestamp("2025-01-18")], "valid_to": [pd.NaT]})
    >>> rows = pd.DataFrame({"holder": ["MNDAA"], "valid_from": [pd.Timestamp("2024-08-03")],
    ...     "valid_to": [pd.Timestamp("2025-04-22")]})
    >>> out, source = split_at_switches(rows, SideHistory(actors, periods), "2026-01-01")
    >>> out.astype(str).values.tolist(), source.tolist()
    ([['MNDAA', '2024-08-03', '2025-01-18', 'resistance'], \
['MNDAA', '2025-01-18', '2025-04-22', 'neutral']], [0, 0])
    """
    starts = pd.to_datetime(rows["valid_from"]).to_numpy(dtype="datetime64[ns]")
    ends = pd.to_datetime(rows["valid_to"]).to_numpy(dtype="datetime64[ns]")
    holders = rows[holder].to_numpy(dtype=object)
    last = np.datetime64(pd.Timestamp(last_day), "ns")
    cut_row: list[np.ndarray] = []
    cut_day: list[np.ndarray] = []
    for actor, days in history.switches().items():
        mine = holders == actor
        for day in days[days <= last]:
            inside = np.flatnonzero(mine & (starts < day) & (np.isnat(ends) | (day < ends)))
            cut_row.append(inside)
            cut_day.append(np.full(len(inside), day, dtype="datetime64[ns]"))
    source = np.concatenate([np.arange(len(rows)), *cut_row]).astype(np.int64)
    begin = np.concatenate([starts, *cut_day])
    order = np.lexsort((begin, source))
    source, begin = source[order], begin[order]
    end = ends[source]
    same = source[1:] == source[:-1]  # the next piece continues the same row
    end[:-1][same] = begin[1:][same]
    out = rows.iloc[source].reset_index(drop=True)
    out["valid_from"] = pd.to_datetime(begin)
    out["valid_to"] = pd.to_datetime(end)
    out["side"] = history.lookup(out[holder], out["valid_from"]).to_numpy()
    return out, source
