#!/usr/bin/env python
"""Profile ``omp_validators.engine.validate`` in-process on the benchmark's workloads.

Where ``validate_bench.py`` says *how much* slower than the engine, this says *where*:
cProfile over one ``validate`` call (imports warmed up first), the top functions by
``tottime`` and ``cumtime``, and ``tottime`` summed per source file. It also times the
call without the profiler, next to the bare aas-core loop on the same bytes.

Usage::

    python benchmarks/profile_validate.py [small|large] [--aas-version 3.0] [--top N]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from validate_bench import DEFAULT_CORPUS, ROOT, workloads_from

from omp_validators.engine import validate
from omp_validators.options import ValidateOptions


def median_time(fn: Callable[[], object], runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def short(filename: str) -> str:
    """A source path without the site-packages, stdlib or project prefix."""
    filename = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", filename)
    return filename.removeprefix(f"{ROOT}/")


def by_file(stats: pstats.Stats, top: int) -> str:
    totals: collections.defaultdict[str, float] = collections.defaultdict(float)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        totals[f"builtin {name}" if filename == "~" else short(filename)] += tottime
    grand = sum(totals.values())
    lines = [f"tottime per source file (profiled total {grand:.3f} s):"]
    for key, value in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {value:7.3f} s {100 * value / grand:5.1f}%  {key}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("workload", choices=["small", "large"], nargs="?", default="small")
    parser.add_argument("--aas-version", choices=["3.0", "3.1"])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    files = next(w.files for w in workloads_from(args.corpus) if w.name == args.workload)
    options = ValidateOptions(aas_version=args.aas_version)

    import orjson
    from aas_core3 import jsonization, verification

    def engine_loop() -> None:
        for path in files:
            env = jsonization.environment_from_jsonable(orjson.loads(Path(path).read_bytes()))
            list(verification.verify(env))

    plain = median_time(lambda: validate(files, options))
    engine = median_time(engine_loop)
    print(f"{args.workload}: {len(files)} file(s), aas-version {args.aas_version or 'detect'}")
    print(
        f"in-process medians: validate {plain:.4f} s, aas-core3.0 loop {engine:.4f} s, "
        f"ratio {plain / engine:.2f}"
    )

    profiler = cProfile.Profile()
    profiler.enable()
    validate(files, options)
    profiler.disable()
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats(key).print_stats(args.top)
        text = buffer.getvalue()
        print(f"top {args.top} by {key}:")
        print((text[text.index("   ncalls") :] if "   ncalls" in text else text).rstrip() + "\n")
    print(by_file(pstats.Stats(profiler), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
