"""No Myanmar assumptions in the library code (issue 15: "no file, column or message
in the library assumes Myanmar, except the embedded Shan data and its defaults").

Every file under ``src/territory`` (Python, and any template, script or style
sheet) is scanned for words that belong to the Shan State case.  Allowed:

* doctest examples (``>>>`` and ``...`` lines, and their expected output),
  which run on the embedded Shan data;
* :data:`ALLOWED`: a short list of (file, word, reason) for the embedded
  dataset's loader and defaults.

Messages, column names, option names, comments and docstring prose are
otherwise generic.  The scanner is tested on planted strings, so that it can
fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "territory"
#: Words of the Shan State case (matched case-insensitively, as whole words or
#: as parts of identifiers: ``load_shan`` and ``SHAN_SIDES`` contain ``shan``).
WORDS = (
    "Myanmar", "Burma", "Burmese", "Shan", "junta", "Tatmadaw", "SAC", "MNDAA", "TNLA",
    "UWSA", "KIA", "NDAA", "RCSS", "SSPP", "PNLO", "Kokang", "Ta'ang", "Lashio", "Muse",
    "Mandalay", "Naypyidaw", "Laukkai", "Laukkaing", "Chinshwehaw", "Hsenwi", "Kunming",
    "China", "Chinese", "CHN", "Thailand", "Thai", "kyat", "MIMU", "resistance",
)  # fmt: skip
PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(" + "|".join(re.escape(w) for w in WORDS) + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
#: Files scanned: every source, template, script and style sheet of the package.
SUFFIXES = {".py", ".html", ".htm", ".j2", ".jinja", ".js", ".css", ".txt", ".json", ".qml"}

#: (file relative to src/territory, word lower-cased, fragment, reason): a hit of
#: ``word`` is allowed on a line that contains ``fragment`` (any line when empty).
ALLOWED: list[tuple[str, str, str, str]] = [
    ("__init__.py", "shan", "load_shan", "the embedded dataset's loader, re-exported"),
    ("__init__.py", "myanmar", "MYANMAR_ALBERS", "the embedded dataset's CRS, re-exported"),
    ("dataset.py", "shan", "", "load_shan, the embedded data's directory and default sides"),
    ("dataset.py", "mandalay", 'DEFAULT_ORIGIN = "mandalay"', "the embedded data's origin"),
    ("dataset.py", "myanmar", "myanmar.geojson", "the outline's old file name, still read"),
    ("dataset.py", "mimu", "MIMU", "read_townships names where its column layout comes from"),
    ("dataset.py", "myanmar", "MIMU (the Myanmar", "MIMU's full name, in the same sentence"),
    ("cli.py", "shan", "", "the CLI's default dataset is the embedded one: load_shan, help"),
    ("crs.py", "shan", "", "MYANMAR_ALBERS: the embedded dataset's projection, described"),
    ("crs.py", "myanmar", "MYANMAR_ALBERS", "the embedded dataset's projection"),
    ("sides.py", "shan", "", "SHAN_SIDES: the embedded dataset's vocabulary (the default)"),
    ("sides.py", "junta", "", "SHAN_SIDES: its side ids and labels, and their description"),
    ("sides.py", "resistance", "", "SHAN_SIDES: its side ids and labels"),
    ("sides.py", "sac", "Junta (SAC) and allies", "SHAN_SIDES: its incumbent's label"),
    ("rollup.py", "shan", "", "ROLLUP_CLASSES: the classes of SHAN_SIDES, the default"),
    ("schema.py", "shan", "SHAN_SIDES", "SIDES: the default vocabulary's ids"),
    ("routes.py", "shan", "SHAN_SIDES", "the default incumbent: the embedded dataset's"),
    ("routes.py", "junta", "junta_reach", "the old name of incumbent_reach, kept as an alias"),
    ("trade_model.py", "china", "china_border", "the denominator's old name, an alias"),
    ("trade_model.py", "chn", "border:CHN", "what the alias china_border means"),
    ("trade.py", "china", "china_border", "the alias, documented"),
    ("trade.py", "chn", "border:CHN", "the alias, documented"),
    ("cli_analysis.py", "china", "china_border", "the alias, in --denominator's help"),
    ("cli_analysis.py", "chn", "border:CHN", "the alias, in --denominator's help"),
    *[
        ("coverage.py", word, "", "checks the embedded data against the shared gazetteers")
        for word in ("shan", "myanmar", "mimu")
    ],
    *[
        ("townships.py", word, "", "the embedded dataset's township layer and its credit")
        for word in ("shan", "mandalay", "myanmar", "mimu")
    ],
    *[
        ("export/credits.py", word, "", "the credit lines of the township layers' sources")
        for word in ("myanmar", "mimu")
    ],
]


def _doctest_lines(lines: list[str]) -> set[int]:
    """Line numbers (0-based) of doctest examples and their expected output."""
    inside, found = False, set()
    for number, line in enumerate(lines):
        text = line.strip()
        if text.startswith(">>>"):
            inside = True
        elif not text or text.startswith(('"""', "'''")):
            inside = False
        if inside:
            found.add(number)
    return found


def hits(text: str, name: str) -> list[tuple[str, int, str, str]]:
    """(file, line, word, line text) of every word of :data:`WORDS` not allowed."""
    lines = text.splitlines()
    skip = _doctest_lines(lines) if name.endswith(".py") else set()
    out = []
    for number, line in enumerate(lines):
        if number in skip:
            continue
        for match in PATTERN.finditer(line):
            word = match.group(1).lower()
            if not any(f == name and w == word and part in line for f, w, part, _ in ALLOWED):
                out.append((name, number + 1, match.group(1), line.strip()))
    return out


def _files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


def test_the_scan_covers_the_package() -> None:
    names = {p.relative_to(SOURCE).as_posix() for p in _files()}
    assert {"trade.py", "timeline.py", "export/maps.py", "io/acled.py"} <= names


def test_no_library_file_assumes_myanmar() -> None:
    found = [
        hit
        for p in _files()
        for hit in hits(p.read_text("utf-8"), p.relative_to(SOURCE).as_posix())
    ]
    assert found == [], "\n".join(f"{f}:{n}: {w!r} in {t}" for f, n, w, t in found)


def test_every_allowance_is_still_needed() -> None:
    for name, word, part, reason in ALLOWED:
        assert len(reason) > 10, (name, word)
        lines = (SOURCE / name).read_text("utf-8").splitlines()
        skip = _doctest_lines(lines)
        used = any(
            m.group(1).lower() == word and part in line
            for i, line in enumerate(lines)
            if i not in skip
            for m in PATTERN.finditer(line)
        )
        assert used, f"{name}: {word!r} ({part!r}) is allowed but not used; drop the allowance"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ('raise ValueError("the junta holds it")', ["junta"]),
        ("# Mandalay is the origin", ["Mandalay"]),
        ('COLUMN = "reachable_by_junta"', ["junta"]),
        ('denominator = "china_border"', ["china"]),
        ('def f():\n    """Shan State only."""', ["Shan"]),
        ('<div class="tatmadaw">', ["tatmadaw"]),
        ('side = "resistance"  # hard-coded side', ["resistance"]),
        ("x = 'MNDAA' if y else 'SAC'", ["MNDAA", "SAC"]),
        # doctest lines and their output are allowed
        ('"""\n>>> tl.holder("Lashio", "2024-09-01")\n\'MNDAA\'\n"""', []),
        ("...but text after a doctest block is scanned again:\n>>> 1\n1\n\nthe junta", ["junta"]),
        # whole words only: no hit inside other words
        ("musette, sachet, shank, chinaware, thaiboxing", []),
    ],
)
def test_the_scan_flags_planted_strings(text: str, flagged: list[str]) -> None:
    assert [h[2] for h in hits(text, "planted.py")] == flagged


@pytest.mark.parametrize(
    ("name", "text", "flagged"),
    [
        # an allowance holds for its file and fragment only
        ("trade.py", 'DEFAULT = "china_border"', []),
        ("trade.py", 'raise ValueError("trade with China")', ["China"]),
        ("maps.py", 'DEFAULT = "china_border"', ["china"]),
        ("routes.py", "junta_reach = incumbent_reach", []),
        ("routes.py", "# the junta's roads", ["junta"]),
        # templates and scripts are scanned too, with no doctest exception
        ("export/popup.js", "// >>> the junta\nlet side = 'resistance';", ["junta", "resistance"]),
    ],
)
def test_allowances_are_narrow(name: str, text: str, flagged: list[str]) -> None:
    assert [h[2] for h in hits(text, name)] == flagged
