"""ACLED import: an invented export in ACLED's exact layout becomes a review CSV.

``examples/vellmark_acled/export.csv`` is written by hand for the fictional
Vellmark dataset (no ACLED rows are shipped).  Its header is ACLED's export
layout since March 2023; its rows cover each territorial sub-event type, the
three time and geo precision codes, an unknown actor, an unmatched place, a
duplicate ``event_id_cnty`` and a non-territorial row.  The expected values
below are worked out by hand from the codebook and the Vellmark log.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import territory
from territory.errors import DataError
from territory.io import accept_review, read_acled, write_review
from territory.io.acled import ACLED_COLUMNS, REVIEW_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "examples" / "vellmark"
ACLED = ROOT / "examples" / "vellmark_acled"
EXPORT, ACTORS = ACLED / "export.csv", ACLED / "actor_map.csv"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "vellmark"
    shutil.copytree(DATASET, target)
    return target


def _status(review: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(r.acled_event_id, r.date): r.review_status for r in review.itertuples()}


def test_the_test_export_has_acleds_exact_layout() -> None:
    with EXPORT.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert tuple(header) == ACLED_COLUMNS
    rows = pd.read_csv(EXPORT, dtype=str)
    assert set(rows["time_precision"]) == {"1", "2", "3"}
    assert set(rows["geo_precision"]) == {"1", "2", "3"}
    assert rows["event_id_cnty"].duplicated().sum() == 1


def test_review_table_follows_the_codebook(data: Path) -> None:
    review = read_acled(EXPORT, ACTORS, data)
    assert review.attrs == {"ignored": 1, "unmatched": ["Stonebridge"]}
    assert _status(review) == {
        ("ALD1001", "2025-12-05"): "new",
        ("ALD1002", "2025-12-10"): "new",
        ("ALD1003", "2025-12-15"): "new",  # "15 December 2025", written out
        ("ALD1004", "2025-12-20"): "invalid",  # unknown actor
        ("ALD1005", "2025-12-21"): "unmatched",
        ("ALD1006", "2025-12-22"): "duplicate",  # the older timestamp
        ("ALD1006", "2025-12-23"): "new",
    }
    new = review.loc[review["review_status"] == "new"].set_index("acled_event_id")
    expected = {
        # id: place, match, from (the log's holder the day before), to, kind, uncertainty, confidence
        "ALD1001": ("tarn", "name", "VLF", "GOV", "capture", 0, "high"),
        "ALD1002": ("fenwick", "distance", "GOV", "NRC", "capture", 7, "medium"),
        "ALD1003": ("eldmoor", "name", "VLF", "HLM", "handover", 30, "low"),
        "ALD1006": ("harlow", "name", "GOV", "VLF", "capture", 0, "high"),  # alt name Harlowe
    }
    columns = [
        "place",
        "match",
        "from_actor",
        "to_actor",
        "kind",
        "date_uncertainty_days",
        "confidence",
    ]
    got = {i: tuple(row) for i, row in new[columns].iterrows()}
    assert got == expected
    assert 2.5 < float(new.loc["ALD1002", "distance_km"]) < 4.0  # about 3 km from Fenwick
    assert new.loc["ALD1001", "event_id"] == "acled_ALD1001"
    assert "ACLED, event ALD1001" in new.loc["ALD1001", "source"]
    assert "Fictional row" not in " ".join(review["note"])  # ACLED's notes are not copied
    problems = review.set_index(["acled_event_id", "review_status"])["problems"]
    assert (
        "unknown ACLED actor 'Unidentified Armed Group (Aldoria)'"
        in problems[("ALD1004", "invalid")]
    )
    assert "Stonebridge" in problems[("ALD1005", "unmatched")]
    assert "appears more than once" in problems[("ALD1006", "duplicate")]


def test_accepted_review_validates_and_resyncs(data: Path, tmp_path: Path) -> None:
    review_path = write_review(read_acled(EXPORT, ACTORS, data), tmp_path / "review.csv")
    table = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    assert tuple(table.columns) == REVIEW_COLUMNS
    before = len(territory.load_dataset(data).events)
    table.loc[table["review_status"] == "new", "accept"] = "yes"
    table.to_csv(review_path, index=False)
    assert accept_review(review_path, data) == []
    ds = territory.load_dataset(data)
    assert len(ds.events) == before + 4
    tl = territory.ControlTimeline(ds)
    assert tl.holder("tarn", "2025-12-05") == "GOV"
    assert tl.holder("harlow", "2025-12-23") == "VLF"

    # A later export: ACLED moved ALD1001 by a day and deleted ALD1002.
    later = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    later.loc[later["event_id_cnty"] == "ALD1001", "event_date"] = "2025-12-06"
    later = later.loc[later["event_id_cnty"] != "ALD1002"]
    later_path = tmp_path / "later.csv"
    later.to_csv(later_path, index=False)
    again = read_acled(later_path, ACTORS, data)
    status = again.groupby("acled_event_id")["review_status"].agg(set).to_dict()
    assert status["ALD1001"] == {"changed"}
    assert status["ALD1002"] == {"deleted"}
    assert status["ALD1003"] == {"unchanged"}
    assert status["ALD1006"] == {"unchanged", "duplicate"}
    assert "date" in again.set_index("acled_event_id").loc["ALD1001", "problems"]
    write_review(again, review_path)
    table = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    table.loc[table["review_status"].isin(["changed", "deleted"]), "accept"] = "yes"
    table.to_csv(review_path, index=False)
    assert accept_review(review_path, data) == []
    events = territory.load_dataset(data).events.set_index("event_id")
    assert "acled_ALD1002" not in events.index
    assert events.loc["acled_ALD1001", "date"] == pd.Timestamp("2025-12-06")


def test_accepting_an_unacceptable_row_writes_nothing(data: Path, tmp_path: Path) -> None:
    review_path = write_review(read_acled(EXPORT, ACTORS, data), tmp_path / "review.csv")
    table = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    table["accept"] = "yes"
    table.to_csv(review_path, index=False)
    log = (data / "events/events.csv").read_text(encoding="utf-8")
    with pytest.raises(DataError) as caught:
        accept_review(review_path, data)
    rows = sorted(p.row for p in caught.value.problems)
    statuses = table["review_status"].tolist()
    assert rows == [
        i + 2 for i, s in enumerate(statuses) if s not in ("new", "changed", "deleted")
    ]
    assert (data / "events/events.csv").read_text(encoding="utf-8") == log


def test_an_event_the_log_already_has_is_no_change(data: Path, tmp_path: Path) -> None:
    export = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    # The log already has VLF taking Brenn on 2025-02-20 (v02); ACLED codes it too.
    row = export["event_id_cnty"] == "ALD1005"
    export.loc[row, ["event_date", "location", "latitude", "longitude"]] = [
        "2025-03-01", "Brenn", "50.4500", "-29.0000",
    ]  # fmt: skip
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    got = read_acled(path, ACTORS, data).set_index("acled_event_id").loc["ALD1005"]
    assert got["review_status"] == "no_change"
    assert "already gives brenn to VLF" in got["problems"]


def test_a_stated_loser_that_disagrees_with_the_log_is_listed(data: Path, tmp_path: Path) -> None:
    export = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    export.loc[export["event_id_cnty"] == "ALD1001", "actor2"] = "Northern Rivers Coalition"
    export.loc[export["event_id_cnty"] == "ALD1001", "latitude"] = "50.6000"  # ~56 km north
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    row = read_acled(path, ACTORS, data).set_index("acled_event_id").loc["ALD1001"]
    assert row["from_actor"] == "VLF"  # the log's holder keeps the chain
    assert "ACLED names 'Northern Rivers Coalition' (NRC) as the loser" in row["problems"]
    assert "the name matches 'tarn', but it lies 56 km from ACLED's point" in row["problems"]
    assert row["review_status"] == "new"  # still a candidate: a person decides


@pytest.mark.parametrize(
    ("which", "change", "message"),
    [
        ("export", lambda f: f.drop(columns=["geo_precision"]), "missing ACLED column"),
        ("actors", lambda f: f.assign(actor="NOBODY"), "unknown actor id 'NOBODY'"),
    ],
)
def test_bad_files_are_named(data: Path, tmp_path: Path, which: str, change, message: str) -> None:
    source = EXPORT if which == "export" else ACTORS
    path = tmp_path / source.name
    change(pd.read_csv(source, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    args = (path, ACTORS) if which == "export" else (EXPORT, path)
    with pytest.raises(DataError, match=message) as caught:
        read_acled(*args, data)
    assert str(path) in str(caught.value)


def test_cli_writes_the_review_csv(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "territory.cli",
            "import",
            "acled",
            str(EXPORT),
            "--actors",
            str(ACTORS),
            "--places",
            str(data),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Stonebridge" in done.stdout  # unmatched locations are listed
    assert len(pd.read_csv(out)) == 7
    assert (data / "events/events.csv").read_text(encoding="utf-8") == (
        DATASET / "events/events.csv"
    ).read_text(encoding="utf-8")  # nothing appended
