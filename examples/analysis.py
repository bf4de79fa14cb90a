"""An analysis script: who held what, how it changed, and what the ground is worth.

Runs on the embedded Shan State dataset and prints four small tables:

1. the holder of a few towns on the dates that framed Operation 1027;
2. the area held by each side at the start of each quarter;
3. what changed hands between the eve of the offensive and the fall of Lashio;
4. the share of border trade out of the junta's hands, with its range.

It also writes the quarterly table to ``OUT_DIR/area_by_side.csv``.

Run it with::

    python examples/analysis.py [OUT_DIR]
"""

import sys
from pathlib import Path

import pandas as pd

import territory

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

ds = territory.load_shan()
tl = territory.ControlTimeline(ds)
print(ds)

# 1. Who held these towns on these days?  Names or ids, any case.
towns = ["Laukkai", "Chinshwehaw", "Lashio", "Hsipaw", "Mogok"]
days = ["2023-10-26", "2024-01-15", "2024-08-10", "2025-05-01", ds.as_of]
holders = pd.DataFrame(
    {pd.Timestamp(day).date(): [tl.holder(town, day) for town in towns] for day in days},
    index=towns,
)
print("\nHolder by town and day\n", holders.to_string(), sep="")

# 2. Area held by each side, at the start of each quarter (km²).
quarters = tl.series(ds.baseline_date, ds.as_of, freq="QS", by="side", measure="area_km2")
print("\nArea by side (km²), quarterly\n", quarters.round(0).to_string(), sep="")
quarters.to_csv(out / "area_by_side.csv", index_label="date", date_format="%Y-%m-%d")

# 3. What changed hands between the eve of the offensive and the fall of Lashio?
changes = tl.changes("2023-10-26", "2024-08-10")
lost = changes.groupby(["from_actor", "to_actor"])["area_km2"].sum().sort_values()
print(
    "\nGround that changed hands, 2023-10-26 to 2024-08-10 (km²)\n",
    lost.round(0).to_string(),
    sep="",
)

# 4. The share of border trade through crossings out of the junta's hands.
print("\nShare of all border trade: held by the resistance, and cut off from the junta by road")
for day in ["2023-10-26", "2023-11-30", "2024-08-10", ds.as_of]:
    held = territory.trade_share(tl, day, basis="held")
    cut = territory.trade_share(tl, day, basis="cut")
    print(
        f"{pd.Timestamp(day).date()}: held {held.value:.0%} [{held.low:.0%}, {held.high:.0%}]"
        f"; cut off by road {cut.value:.0%} [{cut.low:.0%}, {cut.high:.0%}]"
        f"; weights: {held.reference_period}"
    )
