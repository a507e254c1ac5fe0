#!/usr/bin/env python
"""In-process benchmark of the metamodel layer: the fast path against aas-core and the floor.

Same workloads as ``validate_bench.py`` (1,000 small test-gen JSON environments; the
Purchase Order template, 2.1 MB). Everything runs in this process after a warm-up round
(imports done, validators compiled), so the figures are the steady-state cost per batch
that a long-running service or a ``--jobs`` worker pays. Per workload, medians of
``--runs`` interleaved rounds:

* ``floor``: read each file and ``orjson.loads`` it;
* ``aas-core``: the floor plus aas-core3.0 deserialise + verify (the reference engine);
* ``fast path``: the floor plus ``omp_validators.checks._fast.accepts`` (schema +
  invariants; aas-core only for what it does not accept);
* ``metamodel layer``: the floor plus ``check_json_value`` (what ``omp validate`` runs per
  document before the environment rules), default (fast) and ``--engine reference``;
* ``validate()``: the whole ``omp_validators.engine.validate`` call (reading, every check,
  locating findings, the report).

Ratios are to the floor of the same round. Targets (issue "Speed and scale"): the
metamodel check of the small batch <= 3x the floor, of the large file <= 4x.

Usage::

    python benchmarks/inprocess_bench.py [--runs N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, its folder is on sys.path: the sibling benchmark's workloads are shared.
from validate_bench import DEFAULT_CORPUS, workloads_from

HERE = Path(__file__).resolve().parent

RESULTS = HERE / "results" / "inprocess_bench.json"
TARGETS = {"small": 3.0, "large": 4.0}


def _rounds(tasks: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    for task in tasks.values():  # warm-up: imports, compiled schemas, page cache
        task()
    samples: dict[str, list[float]] = {name: [] for name in tasks}
    for _ in range(runs):
        for name, task in tasks.items():
            start = time.perf_counter()
            task()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import orjson
    from aas_core3 import jsonization, verification

    from omp_models.diagnostics import Where
    from omp_validators.checks import _fast
    from omp_validators.checks.metamodel import Target, check_json_value
    from omp_validators.engine import validate
    from omp_validators.options import ValidateOptions

    if not _fast.available():
        print("the fast path needs jsonschema-rs (a dependency of omp-toolkit)")
        return 2
    results: dict[str, dict[str, float]] = {}
    failed = []
    for workload in workloads_from(args.corpus.resolve()):
        paths = [Path(p) for p in workload.files]
        where = Where(str(paths[0]))

        def floor(paths: list[Path] = paths) -> None:
            for p in paths:
                orjson.loads(p.read_bytes())

        def core(paths: list[Path] = paths) -> None:
            for p in paths:
                env = jsonization.environment_from_jsonable(orjson.loads(p.read_bytes()))
                for _ in verification.verify(env):
                    pass

        def fast(paths: list[Path] = paths) -> None:
            for p in paths:
                obj = orjson.loads(p.read_bytes())
                if not _fast.accepts(obj, "Environment", "3.0"):
                    env = jsonization.environment_from_jsonable(obj)
                    for _ in verification.verify(env):
                        pass

        def layer(
            paths: list[Path] = paths, fast_path: bool = True, where: Where = where
        ) -> None:
            target = Target("3.0", "Environment", fast_path)
            for p in paths:
                check_json_value(orjson.loads(p.read_bytes()), where, target)

        def whole(paths: list[Path] = paths) -> None:
            validate([str(p) for p in paths], ValidateOptions())

        medians = _rounds(
            {
                "floor": floor,
                "aas-core": core,
                "fast path": fast,
                "metamodel layer": layer,
                "metamodel layer (reference)": lambda: layer(fast_path=False),
                "validate()": whole,
            },
            args.runs,
        )
        results[workload.name] = medians
        base = medians["floor"]
        print(f"{workload.name}: {len(paths)} file(s), medians of {args.runs} rounds")
        for name, value in medians.items():
            print(f"  {name:<28} {value * 1000:9.1f} ms  {value / base:6.2f}x floor")
        ratio = medians["metamodel layer"] / base
        verdict = "PASS" if ratio <= TARGETS[workload.name] else "FAIL"
        if verdict == "FAIL":
            failed.append(workload.name)
        print(
            f"  target: metamodel layer <= {TARGETS[workload.name]}x floor: {ratio:.2f} {verdict};"
            f" aas-core / fast path: {medians['aas-core'] / medians['fast path']:.2f}x\n"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": args.runs, "results": results}, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
