"""Name lookup: a place id, name or alternative name to the place's id.

Examples
--------
>>> import territory
>>> names = PlaceNames(territory.load_shan().places)
>>> names.resolve("LAUKKAING")
'laukkai'
"""

from __future__ import annotations

import difflib

import pandas as pd

from territory.errors import UnknownPlaceError

__all__ = ["PlaceNames"]


class PlaceNames:
    """Resolve places by id, name or alt name, case-insensitively.

    Parameters
    ----------
    places : pandas.DataFrame
        Indexed by place id, with ``name`` and optionally ``alt_names``
        (lists).

    Notes
    -----
    An id wins over another place's name.  A name that several places share
    is refused (use an id); an unknown name gets the close matches.
    """

    def __init__(self, places: pd.DataFrame) -> None:
        self._ids = {str(pid) for pid in places.index}
        self._names: dict[str, set[str]] = {}
        ids = [str(pid) for pid in places.index]
        names = places["name"].tolist() if "name" in places.columns else ids
        alts = places["alt_names"].tolist() if "alt_names" in places.columns else [[]] * len(ids)
        for pid, name, alt in zip(ids, names, alts, strict=True):
            for text in (pid, name, *(alt if isinstance(alt, list) else [])):
                if isinstance(text, str) and text.strip():
                    self._names.setdefault(text.strip().lower(), set()).add(pid)

    def resolve(self, place: str) -> str:
        """The place id for an id, name or alt name.

        Raises
        ------
        UnknownPlaceError
            When no place (or more than one) has that name; the message lists
            close matches.
        """
        if place in self._ids:
            return place
        key = str(place).strip().lower()
        found = self._names.get(key)
        if found is None:
            close = difflib.get_close_matches(key, list(self._names), n=5, cutoff=0.6)
            shown = [
                repr(c) if c in self._ids else f"{c!r} ({', '.join(sorted(self._names[c]))})"
                for c in close
            ]
            hint = ", ".join(shown) if shown else "none"
            raise UnknownPlaceError(
                f"place: {place!r} is not a place of the dataset; close matches: {hint}"
            )
        if len(found) > 1:
            raise UnknownPlaceError(
                f"place: {place!r} names several places ({sorted(found)}); use an id"
            )
        return next(iter(found))
