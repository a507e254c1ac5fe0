#!/usr/bin/env python
"""Run every benchmark of the suite, one after another; each prints its own ratios.

Every script measures its anchors (the orjson/lxml parse floor, the bare engine, other
tools) in the same run, so the figures are comparable across machines. Results are also
written as JSON under ``benchmarks/results/``; ``docs/performance.md`` summarises them.

Usage::

    python benchmarks/run_all.py [--quick] [--only NAME,...]

``--quick`` passes ``--runs 3`` (and small sizes) where a script supports it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name -> (script, arguments, arguments with --quick)
SUITE: dict[str, tuple[str, list[str], list[str]]] = {
    "validate": ("validate_bench.py", [], ["--runs", "3"]),
    "instructions": ("instructions.py", ["--workload", "all"], []),
    "inprocess": ("inprocess_bench.py", [], ["--runs", "3"]),
    "memory": ("memory_bench.py", [], ["--sizes", "10,100"]),
    "template": ("template_bench.py", [], []),
    "samm": ("samm_bench.py", [], []),
    "value-only": ("value_only_bench.py", [], ["--runs", "3", "--count", "500"]),
    "convert": ("convert_bench.py", [], []),
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated names: " + ", ".join(SUITE))
    args = parser.parse_args(argv)
    wanted = [n for n in args.only.split(",") if n] or list(SUITE)
    failed = []
    for name in wanted:
        script, normal, quick = SUITE[name]
        path = HERE / script
        if not path.exists():
            print(f"== {name}: {script} is not there (skipped)\n")
            continue
        print(f"== {name}: {script}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(path), *(quick if args.quick else normal)])
        print(f"== {name}: exit {code} after {time.perf_counter() - start:.1f} s\n", flush=True)
        if code:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
