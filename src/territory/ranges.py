"""Ranges across spatial models: the same question asked under every model.

No model of ground is the truth: a town's holder does not hold the whole
nearest-place cell, and a township's seat does not decide its countryside.
``ControlTimeline.series(..., model_range=True)`` therefore reports, for each
side or actor and day, the lowest and highest figure over the models that the
timeline's inputs allow (:func:`available_models`).  The other models' timelines
are built once, with the same dataset, townships, ``as_of``, ``known_by`` and
population raster, and cached on the timeline.

Which models take part
    ``"nearest"`` always; ``"seat"`` when there are townships (the timeline's,
    else the dataset's own); ``"layered"`` when there are townships and the
    dataset has countryside places.  Their ``"nearest"`` is cut by those same
    townships.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> s = tl.series("2024-01-01", "2024-01-03", model_range=True)
>>> bool((s["low"] <= s["value"]).all().all() and (s["value"] <= s["high"]).all().all())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.models import MODELS, default_model

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = ["available_models", "model_range", "model_timelines"]


def available_models(tl: ControlTimeline) -> list[str]:
    """The models a timeline's inputs allow, in :data:`~territory.models.MODELS` order."""
    townships = tl.townships if tl.townships is not None else tl.dataset.townships
    if townships is None:
        return ["nearest"]
    layered = default_model(tl.dataset, townships) == "layered"
    return [m for m in MODELS if m != "layered" or layered]


def model_timelines(tl: ControlTimeline) -> dict[str, ControlTimeline]:
    """The timeline under every available model (itself for its own), built once."""
    from territory.timeline import ControlTimeline

    cache: dict[str, ControlTimeline] = tl.__dict__.setdefault("_model_timelines", {})
    townships = tl.townships if tl.townships is not None else tl.dataset.townships
    for model in available_models(tl):
        if model == tl.model:
            cache[model] = tl
        elif model not in cache:
            cache[model] = ControlTimeline(
                tl.dataset,
                model=model,
                townships=townships,
                as_of=tl.as_of,
                known_by=tl.known_by,
                population_raster=tl.population_raster,
            )
    return cache


def model_range(
    tl: ControlTimeline, start: Any, end: Any, freq: str, by: str, measure: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(low, high): the minimum and maximum of ``series(...)`` over the models."""
    frames = [
        other.series(start, end, freq, by=by, measure=measure)
        for other in model_timelines(tl).values()
    ]
    values = np.stack([f.to_numpy() for f in frames])
    first = frames[0]
    return (
        pd.DataFrame(values.min(axis=0), index=first.index, columns=first.columns),
        pd.DataFrame(values.max(axis=0), index=first.index, columns=first.columns),
    )
