"""The print map: a matplotlib figure of who holds what on one date.

:func:`static_map` draws, in the study area's equal-area projection
(the dataset's equal-area CRS, so the scale bar is true in km):

* the neighbouring countries (named) and the international border;
* control polygons in the actors' colours (:mod:`territory.export.palette`),
  contested ground hatched, ``unassessed`` ground plain grey, ground whose
  holder rests on low-confidence sources dotted;
* township seats and towns, labelled without overlaps (adjustText moves the
  labels; a label that still collides with a higher-ranked one is dropped);
* border crossings as diamonds, one symbol per point with the number of gates
  that share it;
* a legend beside the map, a scale bar, a north arrow that points to true
  north at the map's centre, a title with the date, the "data as of …;
  model …" line and one credit line per data source.

The house style is a 12 × 9 inch figure at 100 dpi (1200 × 900 px), type
sized for that width, and ink that survives greyscale print: hatching,
dashes and haloed labels carry the meaning, not hue alone.
:func:`save_static_map` writes PNG, SVG or PDF atomically.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> fig = static_map(tl, "2024-08-10")
>>> [round(v) for v in fig.get_size_inches() * fig.dpi]
[1200, 900]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.crs import WGS84
from territory.errors import TerritoryError
from territory.export.credits import as_of_line, attribution_lines
from territory.export.palette import (
    CONTESTED,
    CONTESTED_HATCH,
    EDGE_COLOUR,
    UNASSESSED,
    actor_colours,
    colour_of,
    reserved_key,
    side_colours,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from territory.timeline import ControlTimeline

__all__ = ["FIGURE_DPI", "FIGURE_SIZE", "MAP_AXES", "save_static_map", "static_map"]

#: Figure size in inches and dots per inch: 1200 × 900 px on screen.
FIGURE_SIZE = (12.0, 9.0)
FIGURE_DPI = 100
#: Where the map sits in the figure (left, bottom, width, height, as fractions).
MAP_AXES = (0.02, 0.1, 0.7, 0.8)
#: Place kinds labelled on the print map, most important first.
LABEL_KINDS = ("township_seat", "town")
#: Label ranks: a lower-ranked label gives way where two collide.
_LABEL_RANK = {"township_seat": 0, "gate": 1, "town": 2}
#: A label moved further than this from its point is dropped (it would mislead).
_MAX_LABEL_GAP_PX = 12.0
#: Longer place names are shortened with "…" on the print map.
_LABEL_LIMIT = 32
GATE_KINDS = ("crossing", "trade_zone")

Format = Literal["png", "svg", "pdf"]
_MAGIC = {"png": b"\x89PNG", "pdf": b"%PDF"}

_NEIGHBOUR_FILL = "#e6e6e6"
_COUNTRY_FILL = "#fbfbf8"
_HALO = "white"


def _halo(width: float = 2.5) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=_HALO)]


def _nice_length_km(width_km: float) -> float:
    """The longest 1-2-5 length not longer than a fifth of the map's width."""
    target = width_km / 5
    best = 1.0
    for power in range(0, 5):
        for step in (1, 2, 5):
            if step * 10**power <= target:
                best = float(step * 10**power)
    return best


def _scale_bar(ax: Axes, xmin: float, ymin: float, width: float, height: float) -> None:
    from matplotlib.patches import Rectangle

    length_km = _nice_length_km(width / 1000)
    x0, y0 = xmin + 0.04 * width, ymin + 0.04 * height
    bar = 0.012 * height
    half = length_km * 500
    for i, colour in enumerate(("#000000", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (x0 + i * half, y0),
                half,
                bar,
                facecolor=colour,
                edgecolor="#000000",
                lw=0.8,
                zorder=20,
            )
        )
    for value, x in ((0, x0), (length_km / 2, x0 + half), (length_km, x0 + 2 * half)):
        label = f"{value:g}" + (" km" if value == length_km else "")
        ax.text(
            x,
            y0 + 1.8 * bar,
            label,
            ha="center",
            va="bottom",
            fontsize=8.5,
            path_effects=_halo(),
            zorder=21,
        )


def _north_arrow(
    ax: Axes,
    xmax: float,
    ymax: float,
    width: float,
    height: float,
    centre: tuple[float, float],
    crs: str,
) -> None:
    """An arrow to true north at the map's centre (Albers meridians converge)."""
    from pyproj import Transformer

    forward = Transformer.from_crs(WGS84, crs, always_xy=True)
    lon, lat = centre
    x0, y0 = forward.transform(lon, lat)
    x1, y1 = forward.transform(lon, lat + 0.1)
    dx, dy = np.subtract((x1, y1), (x0, y0))
    unit = np.array([dx, dy]) / np.hypot(dx, dy)
    length = 0.07 * height
    tip = np.array([xmax - 0.05 * width, ymax - 0.05 * height])
    tail = tip - unit * length
    ax.annotate(
        "",
        xy=tuple(tip),
        xytext=tuple(tail),
        arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=0.9",
            "lw": 2,
            "color": "#000000",
        },
        zorder=21,
    )
    letter = tail - unit * 0.025 * height
    ax.text(
        float(letter[0]),
        float(letter[1]),
        "N",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        path_effects=_halo(),
        zorder=21,
    )


def _gates(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per point that gates share, with how many share it."""
    gates = places[places["kind"].isin(GATE_KINDS)].copy()
    if not len(gates):
        return gates
    gates["key"] = [f"{g.x:.4f},{g.y:.4f}" for g in gates.geometry]
    rows = []
    for _, group in gates.groupby("key", sort=False):
        first = group.iloc[0]
        count = len(group)
        post = first.get("post") if "post" in group.columns else None
        if count == 1:
            label = str(first["name"])
        elif isinstance(post, str) and (group["post"] == post).all():
            label = f"{post.replace('_', ' ').title()} ({count} gates)"
        else:
            label = f"{first['name']} (+{count - 1})"
        holders = list(dict.fromkeys(group["holder"]))
        rows.append(
            {
                "name": label,
                "holder": holders[0],
                "holders": holders,
                "gates": count,
                "geometry": first.geometry,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=places.crs)


def _label_places(ax: Axes, places: gpd.GeoDataFrame, fig: Figure) -> list[Any]:
    """Label towns by rank; move labels off each other; drop those still colliding."""
    from adjustText import adjust_text  # type: ignore[import-untyped]

    if not len(places):
        return []
    order = places.assign(
        _rank=places["kind"].map(_LABEL_RANK),
        _pop=pd.to_numeric(places.get("population"), errors="coerce").fillna(0)
        if "population" in places.columns
        else 0,
    ).sort_values(["_rank", "_pop"], ascending=[True, False])
    texts = []
    for name, kind, point in zip(order["name"], order["kind"], order.geometry, strict=True):
        texts.append(
            ax.text(
                point.x,
                point.y,
                f" {_plain(name, _LABEL_LIMIT)}",
                fontsize=8.5 if kind == "township_seat" else 7.5,
                fontweight="bold" if kind == "township_seat" else "normal",
                fontstyle="italic" if kind == "gate" else "normal",
                ha="left",
                va="center",
                path_effects=_halo(),
                zorder=15,
                clip_on=True,
            )
        )
    xs = np.array([p.x for p in order.geometry])
    ys = np.array([p.y for p in order.geometry])
    adjust_text(texts, x=xs, y=ys, ax=ax, ensure_inside_axes=True, expand_axes=False, iter_lim=200)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    kept: list[Any] = []
    anchors = ax.transData.transform(np.column_stack([xs, ys]))
    for text, (ax_x, ax_y) in zip(texts, anchors, strict=True):
        box = text.get_window_extent(renderer)
        inside = (
            frame.x0 + 2 <= box.x0
            and box.x1 <= frame.x1 - 2
            and frame.y0 + 2 <= box.y0
            and box.y1 <= frame.y1 - 2
        )
        gap = np.hypot(max(box.x0 - ax_x, 0, ax_x - box.x1), max(box.y0 - ax_y, 0, ax_y - box.y1))
        far = gap > _MAX_LABEL_GAP_PX
        if far or not inside or any(box.overlaps(o.get_window_extent(renderer)) for o in kept):
            text.remove()
            continue
        kept.append(text)
    return kept


def static_map(
    tl: ControlTimeline,
    date: object,
    *,
    by: Literal["actor", "side"] = "actor",
    level: Literal["zone", "township"] = "zone",
    title: str | None = None,
    labels: bool = True,
) -> Figure:
    """A print map of who holds what on ``date``.

    Parameters
    ----------
    tl : ControlTimeline
    date : date-like
        A day in ``[baseline_date, as_of]``.
    by : {"actor", "side"}, default "actor"
        Colour the ground by its holder or by the holder's side.
    level : {"zone", "township"}, default "zone"
        As for :meth:`ControlTimeline.at`; ``township`` needs townships.
    title : str, optional
        Default: ``"<dataset name>: control on <date>"``.
    labels : bool, default True
        Label township seats and towns.

    Returns
    -------
    matplotlib.figure.Figure
        1200 × 900 px at its own dpi; save it with :func:`save_static_map`
        (or ``fig.savefig``, at any dpi).

    Raises
    ------
    DateRangeError
        When ``date`` is outside the data.
    TerritoryError
        For a ``by`` or ``level`` that is not one of the above.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from territory.export.mapparts import check_date

    if by not in ("actor", "side"):
        raise TerritoryError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
    day = check_date(tl, date)
    ds = tl.dataset
    crs = ds.equal_area_crs  # the study area's own equal-area projection
    control = tl.at(day, by=by, level=level).to_crs(crs)
    key = by if by in control.columns else "actor"
    colours = actor_colours(ds.actors) if key == "actor" else side_colours(ds.sides)
    names = ds.actors["name"].to_dict() if key == "actor" else {}
    intervals = tl.intervals().iloc[tl.active_intervals([day])[0]]
    contested = intervals[intervals["status"] == "contested"].to_crs(crs)
    low = intervals[intervals["confidence"].astype(str) == "low"].to_crs(crs)
    places = tl.places_at(day)
    if "id" not in places.columns:
        places = places.rename_axis("id").reset_index()
    extra = [c for c in ("population", "post") if c in ds.places.columns]
    places = places.join(ds.places[extra].reindex(places["id"]).set_axis(places.index))
    places = places.to_crs(crs)

    fig = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes(MAP_AXES)
    state = ds.state.to_crs(crs)
    xmin, ymin, xmax, ymax = state.total_bounds
    pad = 0.06 * max(xmax - xmin, ymax - ymin)
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    ax.set_facecolor("#dfe9f0")
    if ds.neighbours is not None and len(ds.neighbours):
        neighbours = ds.neighbours.to_crs(crs)
        neighbours.plot(ax=ax, facecolor=_NEIGHBOUR_FILL, edgecolor="none", zorder=1)
        name_col = next((c for c in ("NAME", "name", "ADM0_A3") if c in neighbours.columns), None)
        if name_col is not None:
            from shapely.geometry import box

            view = box(xmin, ymin, xmax, ymax)
            for name, geom in zip(neighbours[name_col], neighbours.geometry, strict=True):
                visible = geom.intersection(view)
                if visible.is_empty or visible.area < 0.02 * view.area:
                    continue
                point = visible.representative_point()
                ax.text(
                    point.x,
                    point.y,
                    _plain(name, 24).upper(),
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="#777777",
                    fontstyle="italic",
                    zorder=2,
                    path_effects=_halo(2),
                    clip_on=True,
                )
    ds.country.to_crs(crs).plot(ax=ax, facecolor=_COUNTRY_FILL, edgecolor="none", zorder=1)
    for value, geom in zip(control[key], control.geometry, strict=True):
        holder = str(value)
        gpd.GeoSeries([geom], crs=crs).plot(
            ax=ax,
            facecolor=colour_of(holder, colours),
            edgecolor="#111111"
            if reserved_key(holder) == CONTESTED
            else "#ffffff",  # seams for greyscale
            linewidth=1.2,
            hatch=CONTESTED_HATCH if reserved_key(holder) == CONTESTED else None,
            zorder=3,
        )
    if len(low):
        low.plot(ax=ax, facecolor="none", edgecolor="#ffffff", linewidth=0, hatch=".", zorder=4)
    if len(contested):
        contested.plot(
            ax=ax,
            facecolor="none",
            edgecolor="#111111",
            linewidth=0.9,
            hatch=CONTESTED_HATCH,
            zorder=5,
        )
    state.boundary.plot(ax=ax, color="#222222", linewidth=1.4, zorder=6)
    if ds.borders is not None and len(ds.borders):
        ds.borders.to_crs(crs).plot(
            ax=ax, color="#000000", linewidth=1.6, linestyle=(0, (6, 2, 1, 2)), zorder=7
        )
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.apply_aspect()  # the axes' final box, before labels are fitted into it
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])

    towns = places[places["kind"].isin(LABEL_KINDS)]
    inside = ax.transData.transform(np.column_stack([towns.geometry.x, towns.geometry.y]))
    towns = towns[[bool(ax.contains_point((int(x), int(y)))) for x, y in inside]]
    if len(towns):
        seats = towns["kind"] == "township_seat"
        for subset, size in ((towns[seats], 22), (towns[~seats], 10)):
            if len(subset):
                ax.scatter(
                    [p.x for p in subset.geometry],
                    [p.y for p in subset.geometry],
                    s=size,
                    facecolor="#000000",
                    edgecolor="#ffffff",
                    linewidth=0.8,
                    zorder=12,
                )
    gates = _gates(places)
    if len(gates):
        ax.scatter(
            [p.x for p in gates.geometry],
            [p.y for p in gates.geometry],
            s=70,
            marker="D",
            facecolor=[colour_of(h, colours) for h in gates["holder"]]
            if key == "actor"
            else "#ffffff",
            edgecolor="#000000",
            linewidth=1.3,
            zorder=13,
        )
    if labels:
        gate_labels = (
            gates.assign(kind="gate")[["name", "kind", "geometry"]] if len(gates) else None
        )
        _label_places(
            ax, pd.concat([towns, gate_labels]) if gate_labels is not None else towns, fig
        )

    width, height = xmax - xmin, ymax - ymin
    _scale_bar(ax, xmin, ymin, width, height)
    lonlat = gpd.GeoSeries(state.geometry.union_all().centroid, crs=crs)
    centre = lonlat.to_crs(WGS84).iloc[0]
    _north_arrow(ax, xmax, ymax, width, height, (centre.x, centre.y), crs)

    handles: list[Any] = []
    present = [str(v) for v in control[key]]
    order = [a for a in colours if a in present] + [a for a in present if a not in colours]
    for holder in order:
        label = names.get(holder, holder)
        if reserved_key(holder) == UNASSESSED:
            label = "unassessed (no source says)"
        handles.append(
            Patch(
                facecolor=colour_of(holder, colours),
                edgecolor=EDGE_COLOUR,
                hatch=CONTESTED_HATCH if reserved_key(holder) == CONTESTED else None,
                label=_wrap(f"{holder}: {label}" if label != holder else holder),
            )
        )
    if len(contested):
        handles.append(
            Patch(
                facecolor="#ffffff",
                edgecolor="#111111",
                hatch=CONTESTED_HATCH,
                label="contested (hatched over the holder)",
            )
        )
    if len(low):
        handles.append(
            Patch(
                facecolor="#999999",
                edgecolor="#ffffff",
                hatch=".",
                label="holder from low-confidence sources",
            )
        )
    marks = [
        ("o", 6, "#000000", "#ffffff", "township seat"),
        ("o", 4, "#000000", "#ffffff", "town"),
    ]
    if len(gates):
        marks.append(("D", 7, "#ffffff", "#000000", "border crossing (fill: holder)"))
    handles += [
        Line2D(
            [],
            [],
            marker=marker,
            linestyle="none",
            markersize=size,
            markerfacecolor=face,
            markeredgecolor=edge,
            label=label,
        )
        for marker, size, face, edge, label in marks
    ]
    handles += [
        Line2D(
            [],
            [],
            color="#000000",
            linewidth=1.6,
            linestyle=(0, (6, 2, 1, 2)),
            label="international border",
        ),
        Line2D([], [], color="#222222", linewidth=1.4, label=_wrap(f"{ds.name} boundary")),
        Patch(facecolor=_NEIGHBOUR_FILL, edgecolor="none", label="neighbouring country"),
    ]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.735, 0.9),
        frameon=False,
        fontsize=8.5,
        title="Held by" if key == "actor" else "Side",
        title_fontproperties={"weight": "bold", "size": 10},
        alignment="left",
        handlelength=1.8,
        labelspacing=0.55,
    )

    heading = title or f"{_plain(ds.name, 60)}: control on {day.date().isoformat()}"
    fig.text(0.02, 0.955, heading, fontsize=17, fontweight="bold", va="bottom")
    fig.text(0.02, 0.925, as_of_line(tl), fontsize=10, color="#333333", va="bottom")
    credits = attribution_lines(tl, places)
    fig.text(
        0.02,
        0.015,
        "\n".join(_plain(line) for line in credits),
        fontsize=7.5,
        color="#333333",
        va="bottom",
        linespacing=1.4,
    )
    return fig


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(_plain(text), width)) or _plain(text)


def _plain(text: object, limit: int | None = None) -> str:
    r"""Data text as matplotlib shows it literally: ``$`` would start mathtext.

    >>> print(_plain("US$5m and $x$"))
    US\$5m and \$x\$
    >>> _plain("Kyin San Kyawt gate", limit=10)
    'Kyin San…'
    """
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value.replace("$", r"\$")


def save_static_map(
    fig_or_tl: Figure | ControlTimeline,
    path: str | Path,
    format: Format | None = None,
    *,
    date: object = None,
    dpi: float | None = None,
    **options: Any,
) -> Path:
    """Write a print map as PNG, SVG or PDF, atomically.

    Parameters
    ----------
    fig_or_tl : Figure or ControlTimeline
        A figure from :func:`static_map`, or a timeline to draw one from
        (then ``date`` is required and ``options`` go to :func:`static_map`).
    path : str or Path
    format : {"png", "svg", "pdf"}, optional
        Default: from the file's extension.
    date : date-like, optional
    dpi : float, optional
        Default: the figure's (1200 px wide); 300 for print-sharp PNGs.

    Returns
    -------
    Path

    Raises
    ------
    TerritoryError
        For an unknown format, a missing ``date``, or a written file that is
        not what was asked for (the existing file is then kept).
    """
    from matplotlib.figure import Figure

    from territory.export.atomic import atomic_path

    target = Path(path)
    chosen = (format or target.suffix.lstrip(".")).lower()
    if chosen not in ("png", "svg", "pdf"):
        raise TerritoryError(
            f"format: {chosen!r} is not a print-map format; expected 'png', 'svg' or 'pdf'"
        )
    if isinstance(fig_or_tl, Figure):
        fig = fig_or_tl
    else:
        if date is None:
            raise TerritoryError("date: required when save_static_map is given a timeline")
        fig = static_map(fig_or_tl, date, **options)
    with atomic_path(target) as temporary:
        fig.savefig(temporary, format=chosen, dpi=dpi or "figure", facecolor="white")
        head = temporary.read_bytes()[:4096]
        good = head.startswith(_MAGIC[chosen]) if chosen in _MAGIC else b"<svg" in head
        if not good:
            raise TerritoryError(f"path {str(target)!r}: the written file is not a {chosen}")
    return target
