"""How complete the data is: seats, events per quarter, sources, coordinates, people.

:func:`coverage_report` measures a dataset and :func:`render_report` prints
it (``territory validate --report``).  Two measures need files that are read
at run time and never copied: township polygons (for "which township seats
are missing" and the population's share of the area) and two gazetteers (for
"which places lie more than 5 km from both").  Pass the directory that holds
them (``geodata``, laid out as the workspace's ``../shared/geodata``):

- ``shan_townships_geoboundaries.geojson`` (``shapeName``, ``area_km2``);
- ``geonames_cities500_myanmar_region.csv`` (GeoNames, CC BY 4.0);
- ``myanmar_towns_mimu_pcode9.6.csv`` (MIMU town points, read to check only).

Examples
--------
>>> import territory
>>> report = coverage_report(territory.load_shan())
>>> report["events"] == len(territory.load_shan().events)
True
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.claims import corroboration
from territory.crs import WGS84, study_area_crs
from territory.schema import HOLDER_CHANGING_KINDS

if TYPE_CHECKING:
    from territory.dataset import Dataset

__all__ = [
    "GAZETTEER_MAX_KM",
    "coverage_report",
    "gazetteer_distances",
    "normalise_name",
    "render_report",
]

#: A place further than this from both gazetteers' point for its name needs a reason.
GAZETTEER_MAX_KM = 5.0
#: The kinds of place a gazetteer can locate.
GAZETTEER_KINDS = ("township_seat", "town", "crossing", "trade_zone")
GEONAMES_FILE = "geonames_cities500_myanmar_region.csv"
MIMU_TOWNS_FILE = "myanmar_towns_mimu_pcode9.6.csv"
TOWNSHIPS_FILE = "shan_townships_geoboundaries.geojson"


def normalise_name(name: object) -> str:
    """A place name folded for matching: ASCII, lowercase, letters only, no "Town".

    Examples
    --------
    >>> normalise_name("Möng Yai Town")
    'mongyai'
    >>> normalise_name("Nar Wee (Na Wi) Town")
    'narwee'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"\btown\b", "", text)
    return re.sub(r"[^a-z]", "", text)


def _names(row: pd.Series) -> set[str]:
    alt = row.get("alt_names")
    alts = alt if isinstance(alt, list) else str(alt or "").split(";")
    names = {normalise_name(row["name"]), normalise_name(row["id"])}
    names |= {normalise_name(a) for a in alts if a}
    return names - {""}


def _nearest_same_name(
    places: pd.DataFrame, names: list[str], lon: np.ndarray, lat: np.ndarray, crs: str
) -> np.ndarray:
    """Distance (km) from each place to the nearest gazetteer point of one of its names."""
    import geopandas as gpd

    def albers(x: Any, y: Any) -> np.ndarray:
        series = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=WGS84).to_crs(crs)
        return np.column_stack([series.x.to_numpy(), series.y.to_numpy()])

    points = albers(lon, lat)
    here = albers(places["lon"].astype(float), places["lat"].astype(float))
    by_name: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        by_name.setdefault(name, []).append(position)
    out = np.full(len(places), np.nan)
    for i, (_, row) in enumerate(places.iterrows()):
        hits = [p for n in _names(row) for p in by_name.get(n, [])]
        if hits:
            out[i] = float(np.min(np.hypot(*(points[hits] - here[i]).T))) / 1000
    return out


def gazetteer_distances(
    places: pd.DataFrame, geodata: str | Path, *, crs: str | None = None
) -> pd.DataFrame:
    """How far each seat, town, crossing and trade zone lies from GeoNames and MIMU.

    Each place is matched by its name, its id and its ``alt_names`` (folded by
    :func:`normalise_name`) to the gazetteer points of the same name; the
    distance is to the nearest such point, NaN where no point has the name.
    The MIMU town points are read to check only: nothing from them is kept
    beyond the distance.

    Parameters
    ----------
    places : pandas.DataFrame
        ``places.csv`` as loaded (``Dataset.places``).
    geodata : str or Path
        The directory holding the two gazetteer files (see the module docs).
    crs : str, optional
        The equal-area CRS of the distances (normally ``Dataset.equal_area_crs``);
        default :func:`territory.crs.study_area_crs` fitted to the places.

    Returns
    -------
    pandas.DataFrame
        Indexed by place id: ``kind``, ``geonames_km``, ``mimu_km``,
        ``far`` (more than :data:`GAZETTEER_MAX_KM` from both, or in
        neither), ``reason`` (the place's note or coordinate source when it
        says why, else empty).
    """
    geodata = Path(geodata)
    geonames = pd.read_csv(geodata / GEONAMES_FILE)
    mimu = pd.read_csv(geodata / MIMU_TOWNS_FILE).dropna(subset=["Longitude", "Latitude"])
    chosen = places.loc[places["kind"].isin(GAZETTEER_KINDS)]
    if crs is None:
        lon, lat = places["lon"].astype(float), places["lat"].astype(float)
        crs = study_area_crs((lon.min(), lat.min(), lon.max(), lat.max()))
    out = pd.DataFrame(index=chosen.index.astype(str))
    out["kind"] = chosen["kind"].to_numpy()
    out["geonames_km"] = _nearest_same_name(
        chosen,
        [normalise_name(n) for n in geonames["name"]],
        geonames["longitude"].to_numpy(),
        geonames["latitude"].to_numpy(),
        crs,
    )
    out["mimu_km"] = _nearest_same_name(
        chosen,
        [normalise_name(n) for n in mimu["Town_Name_Eng"]],
        mimu["Longitude"].to_numpy(),
        mimu["Latitude"].to_numpy(),
        crs,
    )
    near = (out["geonames_km"] <= GAZETTEER_MAX_KM) | (out["mimu_km"] <= GAZETTEER_MAX_KM)
    out["far"] = ~near.to_numpy()
    text = (chosen["coord_source"].fillna("") + " " + chosen["note"].fillna("")).to_numpy()
    out["reason"] = [t.strip() if "gazetteer check" in t.lower() else "" for t in text.astype(str)]
    return out


def _quarter_counts(events: pd.DataFrame) -> pd.DataFrame:
    quarter = events["date"].dt.to_period("Q").astype(str)
    changing = events["kind"].isin(list(HOLDER_CHANGING_KINDS))
    table = pd.DataFrame({"quarter": quarter, "changes": changing, "events": 1})
    return table.groupby("quarter")[["events", "changes"]].sum().astype(int)


def coverage_report(dataset: Dataset, geodata: str | Path | None = None) -> dict[str, Any]:
    """Measures of completeness of a dataset.

    Parameters
    ----------
    dataset : Dataset
    geodata : str or Path, optional
        A directory with township polygons and the gazetteers (module docs);
        without it the township and gazetteer measures are left out.

    Returns
    -------
    dict
        ``events``, ``holder_changes``, ``per_quarter`` (DataFrame),
        ``corroboration`` (counts of holder-changing events by level),
        ``two_sources`` and ``two_independent`` (shares of holder-changing
        events), ``seats`` (township seats in ``places.csv``; every place has
        a baseline holder, so a holder history), ``population_townships``;
        with ``geodata`` also ``townships``, ``townships_without_seat``,
        ``population_area_share``, ``gazetteer`` (DataFrame) and
        ``far_without_reason`` (list of place ids).
    """
    events = dataset.events
    levels = corroboration(events, dataset.claims)
    changing = events["kind"].isin(list(HOLDER_CHANGING_KINDS)).to_numpy()
    changes = levels.loc[changing]
    places = dataset.places
    seats = places.loc[places["kind"] == "township_seat"]
    population = dataset.population
    known = set(population.loc[population["population"].notna(), "township"].astype(str))
    report: dict[str, Any] = {
        "events": len(events),
        "holder_changes": int(changing.sum()),
        "per_quarter": _quarter_counts(events),
        "corroboration": changes["corroboration"].value_counts().to_dict(),
        "two_sources": float((changes["sources"] >= 2).mean()) if len(changes) else float("nan"),
        "two_independent": (
            float((changes["independent"] >= 2).mean()) if len(changes) else float("nan")
        ),
        "disputed": int(levels["disputed"].sum()),
        "seats": len(seats),
        "population_townships": len(known),
        "as_of": dataset.as_of.date().isoformat(),
    }
    if geodata is None:
        return report
    import geopandas as gpd

    geodata = Path(geodata)
    townships = gpd.read_file(geodata / TOWNSHIPS_FILE)
    seat_townships = {normalise_name(t) for t in seats["township"]}
    seat_townships |= {n for _, row in seats.iterrows() for n in _names(row)}
    names = townships["shapeName"].astype(str)
    has_seat = np.array([normalise_name(n) in seat_townships for n in names])
    has_people = np.array([normalise_name(n) in {normalise_name(k) for k in known} for n in names])
    area = townships["area_km2"].to_numpy(dtype=float)
    gazetteer = gazetteer_distances(places, geodata, crs=dataset.equal_area_crs)
    report |= {
        "townships": len(townships),
        "townships_without_seat": sorted(names[~has_seat]),
        "population_townships_of": int(has_people.sum()),
        "population_area_share": float(area[has_people].sum() / area.sum()),
        "gazetteer": gazetteer,
        "far_without_reason": sorted(
            gazetteer.index[gazetteer["far"] & (gazetteer["reason"] == "")]
        ),
    }
    return report


def render_report(report: dict[str, Any]) -> str:
    """The report as plain text, one measure per paragraph.

    Examples
    --------
    >>> import territory
    >>> print(render_report(coverage_report(territory.load_shan())).splitlines()[0])
    ... # doctest: +ELLIPSIS
    Coverage of the data (as of ...)
    """
    lines = [f"Coverage of the data (as of {report['as_of']})", ""]
    if "townships" in report:
        missing = report["townships_without_seat"]
        lines.append(
            f"Township seats with a holder history: {report['townships'] - len(missing)} "
            f"of {report['townships']} townships"
            + (f" (no seat: {', '.join(missing)})" if missing else "")
        )
    lines.append(f"Places of kind township_seat: {report['seats']} (each has a baseline holder)")
    lines += ["", "Events per quarter (all kinds / holder changes):"]
    for quarter, row in report["per_quarter"].iterrows():
        lines.append(f"  {quarter}: {row['events']:3d} / {row['changes']:3d}")
    levels = ", ".join(f"{k} {v}" for k, v in sorted(report["corroboration"].items()))
    lines += [
        "",
        f"Holder-changing events: {report['holder_changes']} ({levels})",
        f"  with two or more sources in claims.csv: {report['two_sources']:.0%}",
        f"  with two or more independent sources: {report['two_independent']:.0%}",
        f"  events with a disputing claim: {report['disputed']}",
    ]
    if "gazetteer" in report:
        gazetteer = report["gazetteer"]
        far = gazetteer.loc[gazetteer["far"]]
        lines += [
            "",
            f"Places more than {GAZETTEER_MAX_KM:.0f} km from both GeoNames and MIMU: "
            f"{len(far)} of {len(gazetteer)} checked "
            f"({len(report['far_without_reason'])} without a documented reason)",
        ]
        for place, row in far.iterrows():
            distances = ", ".join(
                f"{label} {'no match' if np.isnan(row[col]) else f'{row[col]:.1f} km'}"
                for label, col in (("GeoNames", "geonames_km"), ("MIMU", "mimu_km"))
            )
            flag = "" if row["reason"] else "  NO REASON GIVEN"
            lines.append(f"  {place} ({row['kind']}): {distances}{flag}")
    lines.append("")
    if "population_area_share" in report:
        lines.append(
            f"Population known for {report['population_townships_of']} of "
            f"{report['townships']} townships, {report['population_area_share']:.1%} of the area"
        )
    else:
        lines.append(f"Population known for {report['population_townships']} townships")
    return "\n".join(lines)
