#!/usr/bin/env python
"""Peak memory of ``omp validate`` on AASX packages of growing size (streamed reading).

Generates packages of 10 MB, 100 MB and 1 GB (an environment plus incompressible
supplementary files, ``benchmarks/generate.py``) in a temporary folder, validates each in
a fresh process and prints the peak RSS, with the ratio 1 GB : 100 MB (target < 2; a
reader that loads the package would show about 10).

Usage::

    python benchmarks/memory_bench.py [--sizes 10,100,1024] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, its folder (benchmarks/, not a package) is on sys.path.
from generate import write_aasx

HERE = Path(__file__).resolve().parent


def peak_rss_mib(args: list[str]) -> tuple[float, float, int]:
    """Peak RSS (MiB), wall seconds and exit code of a child process (its own peak)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, wall, proc.returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1024", help="sizes in MiB, ascending")
    parser.add_argument("--keep", type=Path, help="folder for the packages (default: temp)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="omp-mem-"))
    folder.mkdir(parents=True, exist_ok=True)
    omp = [sys.executable, "-m", "omp_validators", "validate"]
    results: dict[int, dict[str, float]] = {}
    print(f"{'size':>8} {'bytes':>14} {'peak MiB':>9} {'wall s':>7} exit")
    for size in sizes:
        path = folder / f"package-{size}mb.aasx"
        if not path.exists():
            write_aasx(path, size)
        rss, wall, code = peak_rss_mib([*omp, str(path)])
        results[size] = {"bytes": path.stat().st_size, "peak_mib": rss, "wall_s": wall,
                         "exit": code}
        print(f"{size:>6}MB {path.stat().st_size:>14,} {rss:>9.1f} {wall:>7.2f} {code}")
        if not args.keep:
            path.unlink()
    if 100 in results and 1024 in results:
        ratio = results[1024]["peak_mib"] / results[100]["peak_mib"]
        verdict = "PASS" if ratio < 2 else "FAIL"
        print(f"{verdict}  peak RSS 1 GB / 100 MB = {ratio:.2f} (target < 2)")
    out = HERE / "results" / "memory_bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
