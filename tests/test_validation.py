"""Published figures whose definition the library matches exactly (benchmarks/validation.py).

Each test names its source.  These are counts of named places, so every
spatial model must give the same answer; the area figures, whose definitions
differ, are compared in docs/validation.md and not tested.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("validation", ROOT / "benchmarks" / "validation.py")
assert _spec is not None and _spec.loader is not None
validation = importlib.util.module_from_spec(_spec)
sys.modules["validation"] = validation  # dataclasses look their module up here
_spec.loader.exec_module(validation)

MODELS = ["layered", "nearest", "seat"]


@pytest.mark.parametrize("model", MODELS)
def test_the_three_places_the_junta_admitted_losing_by_1_november_2023(model: str) -> None:
    """Than Lwin Times, 2023-11-03: the junta's spokesman, on 2023-11-01, admitted losing
    Chinshwehaw, Phaungsai and Kyukok (Pansai)."""
    tl = validation.timeline(model)
    assert validation.not_junta(tl, "2023-11-01", list(validation.JUNTA_ADMITTED)) == sorted(
        validation.JUNTA_ADMITTED
    )


@pytest.mark.parametrize("model", MODELS)
def test_tnla_towns_two_months_into_operation_1027(model: str) -> None:
    """The Irrawaddy, 2023-12-27: the TNLA had captured at least three towns in northern
    Shan, the latest Namhsan (15 Dec) and Mantong (19 Dec)."""
    towns = validation.towns_held(validation.timeline(model), "2023-12-27", {"TNLA"})
    assert len(towns) >= 3
    assert {"namhsan", "mantong"} <= set(towns)


@pytest.mark.parametrize("model", MODELS)
def test_the_twelve_towns_the_tnla_took(model: str) -> None:
    """Al Jazeera (via NY Morning, 2025-10-31): the TNLA has captured 12 towns since October
    2023; NP News (2025-11-01) names Mogok, Kyaukme, Hsipaw, Nawnghkio and Kutkai among them."""
    towns = validation.towns_ever_captured_by(validation.timeline(model), "TNLA", "2025-10-28")
    assert len(towns) == 12
    assert {"mogok", "kyaukme", "hsipaw", "nawnghkio", "kutkai"} <= set(towns)


@pytest.mark.parametrize("model", MODELS)
def test_the_three_towns_the_tnla_lost_from_july_to_october_2025(model: str) -> None:
    """MoeMaKa (Myanmar Spring Chronicle), 2025-10-17: from mid-July 2025 the TNLA lost
    Naungcho (Nawnghkio), Kyaukme (1 Oct) and Hsipaw (16 Oct) to the junta."""
    tl = validation.timeline(model)
    assert validation.towns_moved(tl, "2025-07-01", "2025-10-16", "TNLA", "junta") == [
        "hsipaw",
        "kyaukme",
        "nawnghkio",
    ]


def test_northern_shan_is_24_embedded_townships() -> None:
    """Shan Herald (BNI, node 14131): Shan State (North) has 24 townships."""
    assert len(validation.NORTHERN_SHAN) == 24
    assert len(validation._northern_pcodes()) == 24


def test_the_validation_doc_has_every_figure() -> None:
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert len(validation.FIGURES) >= 10
    for figure in validation.FIGURES:
        assert f"`{figure.key}`" in doc, figure.key
        assert figure.source and figure.published
