"""Timelines the export tests run on: a small synthetic one and the embedded Shan data.

The synthetic case (made-up places in the 2° box of ``tests/synthetic.py``)
is always available and exercises every element the writers draw: a capture,
a contested period that ends in a capture, a handover back, a crossing that
changes hands and a ceasefire at no place.  The Shan case uses the real
embedded dataset; it skips while that dataset does not load (locally) and
fails on CI.
"""

from __future__ import annotations

import pandas as pd

import territory
from browser.harness import require
from synthetic import event, make_dataset
from territory.timeline import ControlTimeline

CASES = ["synthetic", "shan"]


def synthetic_timeline() -> ControlTimeline:
    dataset = make_dataset(
        places=[
            ("alpha", "town", 96.5, 21.5),
            ("bravo", "town", 97.5, 21.5),
            ("charlie", "township_seat", 96.5, 20.5),
            ("delta", "town", 97.5, 20.5),
            ("gate", "crossing", 97.99, 21.0),
        ],
        baseline={
            "alpha": "SAC",
            "bravo": "SAC",
            "charlie": "TNLA",
            "delta": "SAC",
            "gate": "SAC",
        },
        events=[
            event(
                "2024-02-01", "bravo", "SAC", "MNDAA", "capture", source="Gazette A, 2024-02-02"
            ),
            event("2024-03-01", "delta", "SAC", "TNLA", "contested", source="Post B, 2024-03-01"),
            event("2024-03-10", "gate", "SAC", "MNDAA", "capture", source="Wire C, 2024-03-11"),
            event("2024-04-15", "delta", "SAC", "TNLA", "capture", source="Post B, 2024-04-16"),
            event("2024-06-01", None, "SAC", "MNDAA", "ceasefire", source="Wire C, 2024-06-02"),
            event(
                "2024-09-01", "bravo", "MNDAA", "SAC", "handover", source="Gazette A, 2024-09-03"
            ),
        ],
    )
    return ControlTimeline(dataset)


def shan_timeline() -> ControlTimeline:
    try:
        dataset = territory.load_shan()
    except territory.DataError as error:  # the embedded data is still being assembled
        require(False, f"the embedded dataset does not load: {str(error).splitlines()[0]}")
    return ControlTimeline(dataset)


def build(case: str) -> ControlTimeline:
    return synthetic_timeline() if case == "synthetic" else shan_timeline()


def active(intervals: pd.DataFrame, day: object) -> pd.DataFrame:
    """The intervals that cover ``day`` (straight from the columns, half-open)."""
    when = pd.Timestamp(day)
    keep = (intervals["valid_from"] <= when) & (
        intervals["valid_to"].isna() | (when < intervals["valid_to"])
    )
    return intervals[keep]


def interesting_days(tl: ControlTimeline) -> list[str]:
    """A day with a contested zone (when the data has one) and the as-of date."""
    intervals = tl.intervals()
    contested = intervals.loc[intervals["status"] == "contested", "valid_from"]
    days = [tl.dataset.as_of]
    if len(contested):
        days.insert(0, contested.min())
    return [pd.Timestamp(d).date().isoformat() for d in days]
