"""Interval rows are cut where their holder changes side, so ``side`` is true on every day.

The oracle reads ``events/actors.csv`` and ``events/actor_sides.csv`` of the
embedded Shan data with the csv module and answers "which side is this actor
on, on this day" by scanning the rows, written here without the library.
The GeoPackage is read back with GDAL's own ``ogrinfo`` and with pyogrio.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

import territory
from territory.export import write_geopackage

DATA = Path(__file__).resolve().parents[1] / "data"
ONE_DAY = dt.timedelta(days=1)
#: The reserved holders' sides (territory.models: UNASSESSED and CONTESTED).
RESERVED = {"UNASSESSED": "unassessed", "CONTESTED": "contested"}


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / "events" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


DEFAULT = {row["id"]: row["side"] for row in _read("actors.csv")} | RESERVED
PERIODS = [
    (
        row["actor"],
        row["side"],
        dt.date.fromisoformat(row["valid_from"]),
        dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
    )
    for row in _read("actor_sides.csv")
]


def oracle_side(actor: str, day: dt.date) -> str:
    for who, side, start, end in PERIODS:
        if who == actor and start <= day and (end is None or day < end):
            return side
    return DEFAULT[actor]


@pytest.fixture(scope="module")
def shan() -> territory.ControlTimeline:
    return territory.ControlTimeline(territory.load_shan())


def _days(row: pd.Series, as_of: dt.date) -> list[dt.date]:
    first = row["valid_from"].date()
    last = as_of if pd.isna(row["valid_to"]) else row["valid_to"].date() - ONE_DAY
    return [first + ONE_DAY * k for k in range((last - first).days + 1)]


@pytest.mark.parametrize(("table", "holder"), [("intervals", "actor"), ("places", "holder")])
def test_side_is_the_holders_side_on_every_day_of_every_row(
    shan: territory.ControlTimeline, table: str, holder: str
) -> None:
    rows = shan.intervals() if table == "intervals" else shan.place_intervals()
    as_of = shan.as_of.date()
    wrong = [
        (r["place"], r[holder], r["side"], day)
        for _, r in rows.iterrows()
        for day in _days(r, as_of)
        if oracle_side(r[holder], day) != r["side"]
    ]
    assert wrong == []
    # the pieces of one place still tile its history: each row ends where the next begins
    for _, group in rows.groupby("place", sort=False):
        assert group["valid_to"].iloc[:-1].tolist() == group["valid_from"].iloc[1:].tolist()
        assert pd.isna(group["valid_to"].iloc[-1])


def test_rows_are_cut_only_where_the_side_changes(shan: territory.ControlTimeline) -> None:
    rows = shan.intervals()
    same = ["actor", "status", "challenger", "source"]
    following = rows.groupby("zone_id", sort=False)[[*same, "side"]].shift(-1)
    continues = (rows[same].fillna("") == following[same].fillna("")).all(axis=1)
    # a row followed by one of the same holding differs from it in side, on a switch day
    for row, after in zip(
        rows[continues].itertuples(), following[continues].itertuples(), strict=True
    ):
        day = row.valid_to.date()
        assert row.side != after.side
        assert oracle_side(row.actor, day - ONE_DAY) == row.side
        assert oracle_side(row.actor, day) == after.side
        assert any(day in (start, end) for who, _, start, end in PERIODS if who == row.actor)
    assert continues.sum() >= 2  # MNDAA (2025-01-18) and TNLA (2025-10-29) at least


@pytest.mark.parametrize("day", ["2025-01-17", "2025-01-18", "2025-10-28", "2025-10-29"])
def test_active_intervals_pick_the_piece_of_the_day(
    shan: territory.ControlTimeline, day: str
) -> None:
    rows = shan.intervals()
    zones = list(dict.fromkeys(rows["zone_id"]))
    active = rows.iloc[shan.active_intervals([day], zones)[0]]
    stamp = pd.Timestamp(day)
    assert active["zone_id"].tolist() == zones
    assert (active["valid_from"] <= stamp).all()
    assert (active["valid_to"].isna() | (stamp < active["valid_to"])).all()
    assert active["actor"].tolist() == [shan.holder(z, day) for z in zones]
    assert active["side"].tolist() == [oracle_side(a, stamp.date()) for a in active["actor"]]


def test_the_geopackage_has_the_mndaa_rows_cut_at_its_ceasefire(
    shan: territory.ControlTimeline, tmp_path: Path
) -> None:
    path = write_geopackage(shan, tmp_path / "shan.gpkg")
    ceasefire = dt.date(2025, 1, 18)  # actor_sides.csv: the MNDAA neutral from this day
    assert ("MNDAA", "neutral", ceasefire, None) in PERIODS
    layer = pyogrio.read_dataframe(path, layer="control_intervals")
    mndaa = layer[layer["actor"] == "MNDAA"]
    start = pd.to_datetime(mndaa["valid_from"]).dt.date
    end = pd.to_datetime(mndaa["valid_to"]).dt.date
    assert not ((start < ceasefire) & (end.isna() | (end > ceasefire))).any()  # none spans it
    before = set(mndaa.loc[(end == ceasefire).to_numpy(), "zone_id"])
    after = set(mndaa.loc[(start == ceasefire).to_numpy(), "zone_id"])
    assert before and before == after  # every holding across the day is cut in two there
    assert set(mndaa.loc[(end == ceasefire).to_numpy(), "side"]) == {"resistance"}
    assert set(mndaa.loc[(start == ceasefire).to_numpy(), "side"]) == {"neutral"}

    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed")
    spans = (
        "SELECT COUNT(*) AS n FROM control_intervals WHERE actor = 'MNDAA' "
        "AND substr(valid_from, 1, 10) < '2025-01-18' "
        "AND (valid_to IS NULL OR substr(valid_to, 1, 10) > '2025-01-18')"
    )
    cut = (
        "SELECT COUNT(*) AS n FROM control_intervals WHERE actor = 'MNDAA' "
        "AND side = 'neutral' AND substr(valid_from, 1, 10) = '2025-01-18'"
    )
    for query, expected in ((spans, 0), (cut, len(after))):
        done = subprocess.run(
            [ogrinfo, "-ro", "-q", "-sql", query, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert f"n (Integer) = {expected}" in done.stdout, done.stdout
