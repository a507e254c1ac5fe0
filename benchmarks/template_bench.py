#!/usr/bin/env python
"""What does template conformance cost on top of the metamodel check?

Workload: 1,000 Digital Nameplate 3.0 instances (JSON environments, one submodel each),
generated deterministically from the bundled template: even numbers from the minimal
instance, odd ones from the maximal instance (every element; lists and arbitrary
properties twice), each with its own id, serial number and manufacturer name.

Two child processes validate the same 1,000 files in ONE ``omp_validators.validate`` call
each (as ``omp validate DIR`` does), in interleaved rounds:

* ``metamodel``: every layer except the template check (the anchor);
* ``templates``: every layer, the template check included (as ``omp validate`` runs).

Reported: the median time of the validate call in the child (wall and CPU) and of the
whole process, and their ratios; the verdict is judged on the call's CPU time, which is
steadier than wall time on a busy machine. Target (issue 3): the template layer adds at
most 50 % to the metamodel check, i.e. ``templates / metamodel <= 1.5``. Results: a table
on stdout and ``benchmarks/results/template_bench.json``.

Usage::

    python benchmarks/template_bench.py [--runs N] [--count N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "template_bench.json"
TARGET = 1.5


def make_instances(folder: Path, count: int) -> list[str]:
    """``count`` nameplate instances as JSON files in ``folder``; their paths."""
    import orjson

    from omp_models.templates import default_registry, instantiate

    template = default_registry(plugins=False).resolve("digital-nameplate")
    assert template is not None
    bases = {mode: instantiate(template, mode).environment()
             for mode in ("minimal", "maximal")}
    paths = []
    for number in range(count):
        env = orjson.loads(orjson.dumps(bases["maximal" if number % 2 else "minimal"]))
        submodel = env["submodels"][0]
        submodel["id"] = f"urn:example:nameplate:{number:05d}"
        for element in submodel["submodelElements"]:
            if element["idShort"] == "ManufacturerName":
                element["value"] = [{"language": "en", "text": f"Maker {number % 37}"}]
            if element["idShort"] == "SerialNumber":
                element["value"] = f"SN-{number:06d}"
        path = folder / f"nameplate-{number:05d}.json"
        path.write_bytes(orjson.dumps(env, option=orjson.OPT_INDENT_2))
        paths.append(str(path))
    return paths


def child(mode: str, listing: str) -> None:
    """Validate the listed files in one call; print the call's time and finding counts."""
    from unittest import mock

    from omp_validators import engine
    from omp_validators.engine import validate

    if mode == "metamodel":
        checks = tuple((n, c) for n, c in engine.document_checks() if n != "template")
        # The anchor: the same engine without the template layer (a benchmark-only patch,
        # for the rest of this child process).
        mock.patch.object(engine, "document_checks", lambda: checks).start()
    files = Path(listing).read_text(encoding="utf-8").split("\n")
    start, cpu = time.perf_counter(), time.process_time()
    report = validate(files)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    rules: dict[str, int] = {}
    for finding in report.findings():
        rules[finding.rule] = rules.get(finding.rule, 0) + 1
    print(json.dumps({"call_s": elapsed, "call_cpu_s": cpu, "files": len(report.files),
                      "rules": rules}))


def run(mode: str, listing: Path) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(listing)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    return wall, json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "LIST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        files = make_instances(Path(tmp), args.count)
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(files), encoding="utf-8")
        size = sum(Path(p).stat().st_size for p in files)
        modes = ("metamodel", "templates")
        walls: dict[str, list[float]] = {m: [] for m in modes}
        calls: dict[str, list[float]] = {m: [] for m in modes}
        cpus: dict[str, list[float]] = {m: [] for m in modes}
        rules: dict[str, object] = {}
        # info: the child's JSON line, {"call_s": float, "call_cpu_s": float, ...}
        for mode in modes:  # warm-up (imports, page cache)
            _, info = run(mode, listing)
            rules[mode] = info["rules"]
        for _ in range(args.runs):
            for mode in modes:
                wall, info = run(mode, listing)
                walls[mode].append(wall)
                calls[mode].append(float(str(info["call_s"])))
                cpus[mode].append(float(str(info["call_cpu_s"])))
    med = {m: (statistics.median(calls[m]), statistics.median(walls[m]),
               statistics.median(cpus[m])) for m in modes}
    call_ratio = med["templates"][0] / med["metamodel"][0]
    wall_ratio = med["templates"][1] / med["metamodel"][1]
    cpu_ratio = med["templates"][2] / med["metamodel"][2]
    print(f"{args.count} Digital Nameplate instances, {size:,} bytes, {args.runs} rounds "
          f"(medians)")
    print(f"{'':<12}{'call (wall)':>13}{'call (CPU)':>12}{'whole process':>16}")
    for mode in modes:
        call, process, cpu = med[mode]
        print(f"{mode:<12}{call:>12.3f}s{cpu:>11.3f}s{process:>15.3f}s")
    verdict = "PASS" if cpu_ratio <= TARGET else "FAIL"
    print(f"templates/metamodel: call CPU {cpu_ratio:.3f} (the template layer adds "
          f"{(cpu_ratio - 1) * 100:.1f} %), call wall {call_ratio:.3f}, whole process "
          f"{wall_ratio:.3f}; target <= {TARGET} (on CPU time, steadier on a busy "
          f"machine): {verdict}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "nproc": os.cpu_count()},
        "files": args.count, "bytes": size, "runs": args.runs,
        "call_median_s": {m: med[m][0] for m in modes},
        "call_cpu_median_s": {m: med[m][2] for m in modes},
        "process_median_s": {m: med[m][1] for m in modes},
        "call_ratio": call_ratio, "call_cpu_ratio": cpu_ratio, "process_ratio": wall_ratio,
        "target": TARGET,
        "findings": rules,
    }, indent=2) + "\n", encoding="utf-8")
    return 0 if cpu_ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
