#!/usr/bin/env python
"""Instructions executed by ``omp validate`` and its anchors: a noise-free companion figure.

``validate_bench.py`` times whole processes; on a shared machine its medians move by
10-30 % between runs. The number of instructions a process executes hardly moves at
all (valgrind's callgrind counts them; the same command gives the same count within
0.1 %), so it shows what a change to the code did, even on a busy machine. It does not
count system calls, page faults or cache misses, which the timed benchmark does.

The workloads and commands are ``validate_bench.py``'s (same files, same loops), each run
once under ``valgrind --tool=callgrind``; the table gives millions of instructions and
the ratios the timed benchmark judges. Needs ``valgrind`` on the PATH; the
aas-test-engines row (``--with-ate``, about a minute) needs ``validate_bench.py --setup``.

Usage::

    python benchmarks/instructions.py [--workload small|large|all] [--with-ate]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from validate_bench import (
    DEFAULT_CORPUS,
    HERE,
    LOOPS,
    ate_python,
    compile_bytecode,
    omp_command,
    workloads_from,
)

RESULTS = HERE / "results" / "instructions.json"
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(argv: Sequence[str], cwd: str) -> int:
    """Instructions executed by one run of ``argv`` (children not followed)."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    if found is None:
        raise SystemExit(f"callgrind gave no count for {argv[:3]}: {proc.stderr[-400:]}")
    return int(found.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--workload", choices=["small", "large", "all"], default="small")
    parser.add_argument("--with-ate", action="store_true",
                        help="also count the aas-test-engines loop (slow under valgrind)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:  # an optional companion of validate_bench.py
        print("valgrind is not installed: no instruction counts on this machine")
        return 0
    compile_bytecode()
    omp = omp_command()
    ate = ate_python(None) if args.with_ate else None
    if args.with_ate and ate is None:
        print("no aas-test-engines venv: run validate_bench.py --setup", file=sys.stderr)
        return 2
    results: dict[str, dict[str, int]] = {}
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        for w in workloads_from(args.corpus):
            if args.workload not in ("all", w.name):
                continue
            listfile = Path(tmp) / f"{w.name}.txt"
            listfile.write_text("\n".join(w.files) + "\n", encoding="utf-8")
            commands = {
                "python -c pass": [py, "-c", "pass"],
                "floor (orjson parse)": [py, str(LOOPS), "orjson", str(listfile)],
                "engine (aas-core3.0)": [py, str(LOOPS), "aascore30", str(listfile)],
                "omp validate": [omp, "validate", *w.files],
            }
            if ate:
                commands["aas-test-engines"] = [ate, str(LOOPS), "ate", str(listfile)]
            counts = {name: instructions(cmd, tmp) for name, cmd in commands.items()}
            results[w.name] = counts
            omp_count = counts["omp validate"]
            print(f"{w.name}: {len(w.files)} file(s)")
            for name, count in counts.items():
                print(f"  {name:24s} {count / 1e6:10.1f} M  omp/this {omp_count / count:5.2f}")
            print(f"  omp/floor {omp_count / counts['floor (orjson parse)']:.2f}"
                  f"   omp/engine {omp_count / counts['engine (aas-core3.0)']:.2f}"
                  + (f"   ate/omp {counts['aas-test-engines'] / omp_count:.2f}" if ate else ""))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
