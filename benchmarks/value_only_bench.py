#!/usr/bin/env python
"""Throughput of ``omp validate --template`` on value-only payloads, per core.

For each bundled submodel template, a valid value-only payload is made as ``omp schemas
example TEMPLATE --mode maximal`` makes it, and one invalid variant (its first member
replaced by a number). The batch holds ``--count`` payloads per template, one in ten
invalid. Rows, medians of ``--runs`` rounds in one warm process:

* ``floor``: ``orjson.loads`` of every payload;
* ``jsonschema-rs``: parse + ``is_valid`` on the template's value-only schema;
* ``omp check_payload``: parse + ``omp_validators.checks.payload_template.check_payload``
  (the verdict from jsonschema-rs, findings explained by python-jsonschema for the
  invalid tenth);
* ``omp check_payload*``: the same over the valid payloads only (a CI gate on good data);
* ``omp engine``: ``omp_validators.engine.validate_bytes`` per payload (the whole
  per-file path of ``omp validate``).

Target (issue "Speed and scale"): the fast path (``omp check_payload*``) at least 20,000
payloads/s per core.

Usage::

    python benchmarks/value_only_bench.py [--runs N] [--count N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "value_only_bench.json"
TARGET_PER_S = 20_000


def _payloads(count: int) -> list[tuple[str, bytes, bool]]:
    """(template name, payload bytes, valid) for every bundled template, ``count`` each."""
    import orjson

    from omp_models.submodels import value_only
    from omp_models.templates import bundled_templates, default_registry, instantiate

    registry = default_registry(plugins=False)
    out: list[tuple[str, bytes, bool]] = []
    for item in bundled_templates():
        template = registry.resolve(item.semantic_id)
        assert template is not None, item.semantic_id
        payload: dict[str, Any] = value_only(
            instantiate(template, "maximal").submodel, keep_empty=True
        )
        broken = dict(payload)
        broken[next(iter(broken))] = 42
        good, bad = orjson.dumps(payload), orjson.dumps(broken)
        out.extend(
            (item.semantic_id, bad if i % 10 == 9 else good, i % 10 != 9) for i in range(count)
        )
    return out


def _median(task: Callable[[], object], runs: int) -> float:
    task()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=2_000, help="payloads per template")
    args = parser.parse_args(argv)

    import orjson

    from omp_models.diagnostics import Where
    from omp_models.templates import default_registry
    from omp_validators.checks.payload_template import check_payload, compiled
    from omp_validators.engine import validate_bytes
    from omp_validators.options import ValidateOptions

    data = _payloads(args.count)
    options = {name: ValidateOptions(template=name) for name, _, _ in data}
    where = Where("payload.json")
    valid_only = [(n, d) for n, d, ok in data if ok]
    fast = {}
    for name in options:
        resolved = default_registry().resolve(name)
        assert resolved is not None
        fast[name] = compiled(resolved).fast

    loads = orjson.loads

    def floor_task() -> None:
        for _, d, _ in data:  # parsed and dropped, as the other rows do
            loads(d)

    rows: dict[str, Callable[[], object]] = {
        "floor": floor_task,
        "jsonschema-rs": lambda: [fast[n].is_valid(loads(d)) for n, d, _ in data],
        "omp check_payload": lambda: [check_payload(loads(d), where, options[n])
                                      for n, d, _ in data],
        "omp check_payload*": lambda: [check_payload(loads(d), where, options[n])
                                       for n, d in valid_only],
        "omp engine": lambda: [validate_bytes(d, "p.json", options[n]) for n, d, _ in data],
    }
    sizes = {"omp check_payload*": len(valid_only)}
    results: dict[str, dict[str, float]] = {}
    floor = 0.0
    print(f"{len(data)} value-only payloads of {len(options)} templates, one in ten invalid; "
          f"one core, median of {args.runs} rounds")
    for name, task in rows.items():
        seconds = _median(task, args.runs)
        count = sizes.get(name, len(data))
        floor = floor or seconds / count
        results[name] = {"seconds": seconds, "payloads": count, "per_second": count / seconds,
                         "ratio_to_floor": seconds / count / floor}
        print(f"  {name:<20} {count:>7} {seconds:8.3f} s {count / seconds:>11,.0f}/s "
              f"{seconds / count / floor:6.1f}x floor")
    verdicts = [not check_payload(loads(d), where, options[n])[0] for n, d, _ in data]
    expected = [ok for _, _, ok in data]
    per_second = results["omp check_payload*"]["per_second"]
    print(f"target fast path (omp check_payload*) >= {TARGET_PER_S:,}/s: "
          f"{'PASS' if per_second >= TARGET_PER_S else 'FAIL'} ({per_second:,.0f}/s); "
          f"verdicts as built: {'yes' if verdicts == expected else 'NO'}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": args.runs, "rows": results}, indent=2) + "\n")
    return 0 if per_second >= TARGET_PER_S and verdicts == expected else 1


if __name__ == "__main__":
    sys.exit(main())
