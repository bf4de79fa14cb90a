"""Run every benchmark in turn (``make bench``).

The per-module benchmarks run on the embedded Shan State data; then
``bench_scale.py`` runs at the three synthetic sizes.  Arguments after the
script name go to ``bench_scale.py`` (for example ``--sizes 500x5000 --days
500`` for a quick run, or ``--write-docs``).

Usage::

    python benchmarks/run_all.py
    python benchmarks/run_all.py --sizes 500x5000 --days 500
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    runs = [
        ["bench_timeline.py"],
        ["bench_trade.py"],
        ["bench_maps.py"],
        ["bench_scale.py", *sys.argv[1:]],
    ]
    failed = []
    for script, *args in runs:
        print(f"\n## {script} {' '.join(args)}\n", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *args], check=False)
        if done.returncode != 0:
            failed.append(script)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
