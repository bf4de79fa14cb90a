"""An independent oracle: the event rules replayed day by day in plain Python.

It shares no code with territory: no pandas, no numpy, only the rules as
``docs/data.md`` states them, applied to one day after another.

* ``capture`` and ``handover`` make ``to_actor`` the holder, status ``held``;
* ``contested`` keeps the holder, status ``contested``;
* ``repelled`` sets the status back to ``held``;
* ``ceasefire`` changes nothing;
* within a day, a place's events apply in file order; when they name two or
  more different new holders, the day shows the holder from before the day
  with status ``contested``, and the day's end state applies from the next
  day.

Examples
--------
>>> from datetime import date
>>> days = replay_days({"a": "SAC"}, [(date(2024, 1, 3), "a", "capture", "TNLA")],
...                    date(2024, 1, 1), date(2024, 1, 4))
>>> [days[date(2024, 1, d)]["a"] for d in (2, 3)]
[('SAC', 'held'), ('TNLA', 'held')]
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["replay_days"]

_NEW_HOLDER = ("capture", "handover")


def replay_days(
    baseline: dict[str, str],
    events: list[tuple[date, str, str, str]],
    first: date,
    last: date,
) -> dict[date, dict[str, tuple[str, str]]]:
    """(holder, status) of every place on every day from ``first`` to ``last``.

    ``events`` are (date, place, kind, to_actor) in file order.
    """
    state = {place: (holder, "held") for place, holder in baseline.items()}
    out: dict[date, dict[str, tuple[str, str]]] = {}
    day = first
    while day <= last:
        shown = dict(state)
        for place in baseline:
            todays = [e for e in events if e[0] == day and e[1] == place]
            if not todays:
                continue
            before = state[place]
            holder, status = before
            new_holders = []
            for _, _, kind, to_actor in todays:
                if kind in _NEW_HOLDER:
                    holder, status = to_actor, "held"
                    if to_actor not in new_holders:
                        new_holders.append(to_actor)
                elif kind == "contested":
                    status = "contested"
                elif kind == "repelled":
                    status = "held"
            state[place] = (holder, status)
            shown[place] = (before[0], "contested") if len(new_holders) >= 2 else state[place]
        out[day] = shown
        day += timedelta(days=1)
    return out
