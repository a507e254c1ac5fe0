#!/usr/bin/env python
"""Payload validation throughput against a SAMM aspect, and model validation over a corpus.

**Payloads.** 10,000 generated payloads of a mid-size aspect (Catena-X SerialPart 3.0.1 by
default): ``example_payload(aspect, seed=i)`` variants, every tenth one mutated so that it
breaks one constraint, all serialised to JSON bytes first (generation is not timed). Each
row is one loop over all 10,000 in this process, on one core, median of ``--runs``:

* ``floor``: ``orjson.loads`` only (the parse floor every row pays);
* ``jsonschema-rs``: parse + ``is_valid`` of jsonschema-rs on our payload schema (the fast
  path ``omp validate --aspect`` takes for the verdict);
* ``python-jsonschema``: parse + ``is_valid`` of ``Draft4Validator`` (the reference);
* ``omp check_payload``: parse + ``omp_validators.checks.payload_aspect.check_payload``
  (verdict from jsonschema-rs, findings explained by python-jsonschema for the invalid
  tenth);
* ``omp engine``: ``omp_validators.engine.validate_bytes`` per payload (the whole per-file
  path of ``omp validate``: sniffing, parsing, checking, locating lines of findings);
* ``omp check_payload*``: as ``omp check_payload`` over the valid nine tenths only (no
  failure to explain: the cost of a CI gate on good data).

Ratios are times relative to the floor measured in the same run; payloads/s are per core.
Target: the fast path (``omp check_payload*``) at least 20,000 payloads/s.

**Models.** ``omp samm validate`` over every model of ../shared/corpus/samm as one whole
process (structural checks; target under 30 s).

Results: a table on stdout and ``benchmarks/results/samm_bench.json``.

Usage::

    python benchmarks/samm_bench.py [--runs N] [--count N] [--aspect PATH] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
RESULTS = HERE / "results" / "samm_bench.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
ASPECT = "samm/io.catenax.serial_part/3.0.1/SerialPart.ttl"
TARGET_PER_S = 20_000
MODELS_LIMIT_S = 30.0


def _payloads(aspect_path: Path, count: int) -> tuple[Any, list[bytes]]:
    import orjson

    from omp_models.samm import aspect_schema, example_payload, load_aspect
    from omp_models.samm._mutate import mutations

    model = load_aspect(aspect_path)
    assert model.aspect is not None and model.ok
    schema = aspect_schema(model.aspect)
    out: list[bytes] = []
    broken = mutations(example_payload(model.aspect), schema)[3:]
    for i in range(count):
        if i % 10 == 9:
            payload = broken[(i // 10) % len(broken)][1]
        else:
            payload = example_payload(model.aspect, seed=i)
        out.append(orjson.dumps(payload))
    return model, out


def _time(loop: Callable[[], int], runs: int) -> tuple[float, int]:
    loop()  # warm-up (compiles regexes, fills caches)
    times = []
    result = 0
    for _ in range(runs):
        started = time.perf_counter()
        result = loop()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _rows(model: Any, data: list[bytes], aspect: Path, runs: int) -> dict[str, dict[str, Any]]:
    import jsonschema_rs
    import orjson
    from jsonschema import Draft4Validator

    from omp_models.diagnostics import Where
    from omp_models.samm import aspect_schema
    from omp_validators.checks.payload_aspect import check_payload
    from omp_validators.engine import validate_bytes
    from omp_validators.options import ValidateOptions

    schema = aspect_schema(model.aspect)
    fast = jsonschema_rs.Draft4Validator(schema, validate_formats=False, offline=True)
    reference = Draft4Validator(schema)
    options = ValidateOptions(aspect=str(aspect))
    where = Where("payload.json")
    loads = orjson.loads

    valid_only = [d for d in data if fast.is_valid(loads(d))]

    def floor() -> int:
        for d in data:
            loads(d)
        return len(data)

    def rs() -> int:
        return sum(1 for d in data if fast.is_valid(loads(d)))

    def py() -> int:
        return sum(1 for d in data if reference.is_valid(loads(d)))

    def checked() -> int:
        return sum(1 for d in data if not check_payload(loads(d), where, options)[0])

    def checked_valid() -> int:
        return sum(1 for d in valid_only if not check_payload(loads(d), where, options)[0])

    def engine() -> int:
        return sum(1 for i, d in enumerate(data)
                   if validate_bytes(d, f"p{i}.json", options).ok)

    rows: dict[str, dict[str, Any]] = {}
    for name, loop in (("floor", floor), ("jsonschema-rs", rs), ("python-jsonschema", py),
                       ("omp check_payload", checked), ("omp engine", engine),
                       ("omp check_payload*", checked_valid)):
        seconds, valid = _time(loop, runs)
        count = len(valid_only) if name.endswith("*") else len(data)
        rows[name] = {"seconds": seconds, "valid": valid, "payloads": count,
                      "per_second": count / seconds}
    for row in rows.values():
        row["ratio_to_floor"] = (row["seconds"] / row["payloads"]) / (
            rows["floor"]["seconds"] / rows["floor"]["payloads"])
    return rows


def _models(corpus: Path) -> dict[str, Any]:
    omp = Path(sys.executable).parent / "omp"
    command = [str(omp) if omp.exists() else "omp", "samm", "validate", str(corpus / "samm"),
               "-o", "json"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    report = json.loads(done.stdout)
    return {"seconds": wall, "files": report["summary"]["files"],
            "files_with_errors": report["summary"]["filesWithErrors"],
            "exit_code": done.returncode}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--aspect", type=Path, help="default: Catena-X SerialPart 3.0.1")
    args = parser.parse_args(argv)
    aspect = args.aspect or args.corpus / ASPECT
    model, data = _payloads(aspect, args.count)
    rows = _rows(model, data, aspect, args.runs)
    size = sum(len(d) for d in data) / len(data)
    print(f"{len(data)} payloads of {model.aspect.urn} (mean {size:.0f} bytes), "
          f"one core, median of {args.runs} runs")
    print(f"{'row':<20} {'payloads':>8} {'seconds':>8} {'payloads/s':>11} {'x floor':>8} "
          f"{'valid':>6}")
    for name, row in rows.items():
        print(f"{name:<20} {row['payloads']:>8} {row['seconds']:>8.3f} "
              f"{row['per_second']:>11,.0f} {row['ratio_to_floor']:>8.1f} {row['valid']:>6}")
    fast = rows["omp check_payload*"]["per_second"]  # omp's own fast path, valid payloads
    speedup = rows["python-jsonschema"]["seconds"] / rows["jsonschema-rs"]["seconds"]
    print(f"jsonschema-rs is {speedup:.0f}x faster than python-jsonschema")
    verdicts = {rows[n]["valid"] for n in ("jsonschema-rs", "python-jsonschema",
                                            "omp check_payload", "omp engine",
                                            "omp check_payload*")}
    print(f"target fast path >= {TARGET_PER_S:,}/s: {'PASS' if fast >= TARGET_PER_S else 'FAIL'}"
          f"; verdicts equal: {'yes' if len(verdicts) == 1 else 'NO'}")
    models = _models(args.corpus)
    print(f"omp samm validate over {models['files']} corpus models: {models['seconds']:.1f} s "
          f"(target < {MODELS_LIMIT_S:.0f} s: "
          f"{'PASS' if models['seconds'] < MODELS_LIMIT_S else 'FAIL'})")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "aspect": model.aspect.urn, "payloads": len(data), "mean_bytes": size,
        "runs": args.runs, "rows": rows, "models": models,
    }, indent=2) + "\n", encoding="utf-8")
    return 0 if fast >= TARGET_PER_S and len(verdicts) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
