"""Ranges across spatial models: the same question asked under every model.

No model of ground is the truth: a town's holder does not hold the whole
nearest-place cell, and a township's seat does not decide its countryside.
``ControlTimeline.series(..., model_range=True)`` therefore reports, for each
side or actor and day, the lowest and highest figure over the models that the
timeline's inputs allow (:func:`available_models`).  The other models' timelines
are built once, with the same dataset and construction options, shared by the
timeline and its views, and viewed with each one's own ``as_of`` and
``known_by`` (:func:`model_timelines`).

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
    """The timeline under every available model (itself for its own).

    Each other model's timeline is built once over the whole log, with every
    construction option of ``tl`` (townships, population raster,
    ``min_corroboration``) and shared by ``tl`` and its views; each view then
    takes its own view of it, with the same end and knowledge as ``tl``
    (``as_of``, ``known_by``), so the ranges are over the same events and no
    zones are rebuilt.
    """
    from territory.timeline import ControlTimeline

    townships = tl.townships if tl.townships is not None else tl.dataset.townships

    def siblings() -> dict[str, ControlTimeline]:
        return {
            model: ControlTimeline(
                tl.dataset,
                model=model,
                townships=townships,
                population_raster=tl.population_raster,
                min_corroboration=tl.min_corroboration,
            )
            for model in available_models(tl)
            if model != tl.model
        }

    def views() -> dict[str, ControlTimeline]:
        whole = tl._cached("model_siblings", siblings, shared=True)
        return {
            model: tl if model == tl.model else whole[model]._view(tl.as_of, tl.known_by)
            for model in available_models(tl)
        }

    return tl._cached("model_timelines", views)


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
