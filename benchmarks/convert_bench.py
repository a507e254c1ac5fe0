#!/usr/bin/env python
"""Whole-process benchmark of ``omp convert`` (OPC UA NodeSet2 -> AAS JSON).

Every figure is the median of whole processes (start-up, imports, parsing, conversion,
writing), timed with ``time.perf_counter`` around the child and reaped with ``os.wait4``
for its CPU time (user + system). The anchor is a plain lxml parse of the same NodeSet
files in its own process, measured in the same run; commands run interleaved (each round
runs every command once), after a warm-up round.

Workloads:

* **core**: ``Schema/Opc.Ua.NodeSet2.xml`` (3.65 MB, 4,957 nodes), which needs nothing;
* **machinetool**: ``MachineTool/Opc.Ua.MachineTool.NodeSet2.xml`` with its dependency
  closure (core, DI, Machinery, IA, ISA-95 Job Control, Machinery Jobs): the floor parses
  all seven files, ``omp convert`` finds and reads them through ``--search-path``.

Target (issue 6): ``omp`` / ``floor`` at most 6 on wall medians; the CPU ratio is printed
beside it because it is steadier on a shared machine. A third row per workload runs the
conversion once in-process and prints where the time goes, measured with
``time.process_time``: imports, reading the NodeSet into the AAS JSON form, the fast
metamodel check (``omp_validators.checks._fast``) and writing the JSON (the route ``omp
convert`` takes when the check vouches for the document), and, for comparison, aas-core
reading, verifying and writing the same form (the route without the fast check).

Results: a table on stdout and ``benchmarks/results/convert_bench.json`` (git-ignored).

Usage::

    python benchmarks/convert_bench.py [--runs N] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "convert_bench.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
NODESETS = "formats/opcua-nodeset"
TARGET = 6.0
WORKLOADS: dict[str, tuple[str, list[str]]] = {
    "core": ("Schema/Opc.Ua.NodeSet2.xml", ["Schema/Opc.Ua.NodeSet2.xml"]),
    "machinetool": ("MachineTool/Opc.Ua.MachineTool.NodeSet2.xml", [
        "Schema/Opc.Ua.NodeSet2.xml", "DI/Opc.Ua.Di.NodeSet2.xml",
        "Machinery/Opc.Ua.Machinery.NodeSet2.xml", "IA/Opc.Ua.IA.NodeSet2.xml",
        "ISA95-JOBCONTROL/opc.ua.isa95-jobcontrol.nodeset2.xml",
        "Machinery/Jobs/Opc.Ua.Machinery.Jobs.Nodeset2.xml",
        "MachineTool/Opc.Ua.MachineTool.NodeSet2.xml",
    ]),
}

#: The anchor: parse the files with lxml (the parser settings the converter uses).
FLOOR = """
import sys
from lxml import etree
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         remove_comments=True, remove_pis=True, huge_tree=False)
for path in sys.argv[1:]:
    etree.parse(path, parser)
"""

#: One conversion in-process, stage by stage (CPU seconds), printed as JSON. The cyclic
#: garbage collector is off, as ``omp convert`` has it for the whole conversion.
STAGES = """
import gc, json, sys, time
from pathlib import Path
gc.disable()
t0 = time.process_time()
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.aas.io import environment_to_jsonable, serialize_environment
from omp_validators.checks._fast import accepts_shared
fmt = get_format("opcua-nodeset")
t1 = time.process_time()
path, search = Path(sys.argv[1]), Path(sys.argv[2])
env, report = fmt.read(Source(str(path), path.read_bytes(), path),
                       ConvertOptions(search_paths=(search,)))
t2 = time.process_time()
jsonable = environment_to_jsonable(env, copy=False)
vouched = accepts_shared(jsonable, "Environment", "3.1")
t3 = time.process_time()
out = serialize_environment(jsonable, "3.1", "json", ordered=env.ordered,
                            fast_check=lambda *args: vouched)
t4 = time.process_time()
reference = serialize_environment(jsonable, "3.1", "json")
t5 = time.process_time()
assert vouched and out.data == reference.data
print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "fast_check": t3 - t2,
                  "write": t4 - t3, "aas_core": t5 - t4, "bytes": len(out.data),
                  "identifiables": sum(len(v) for v in jsonable.values())}))
"""


@dataclass
class Sample:
    """One timed process."""

    wall: float
    cpu: float
    exit_code: int


@dataclass
class Measurement:
    """One command and its samples."""

    key: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)


def run_once(argv: Sequence[str]) -> tuple[Sample, str, str]:
    """Run one process; wall time around it, CPU time from its rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (Sample(wall, usage.ru_utime + usage.ru_stime, proc.returncode),
                out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def omp_command() -> str:
    return shutil.which("omp") or str(Path(sys.executable).with_name("omp"))


def measure(name: str, ms: list[Measurement], runs: int) -> None:
    """One warm-up round, then ``runs`` interleaved rounds."""
    print(f"{name}: 1 warm-up + {runs} timed round(s)", end="", flush=True, file=sys.stderr)
    for i in range(1 + runs):
        for m in ms:
            sample, _, stderr = run_once(m.argv)
            if i:
                m.samples.append(sample)
            if sample.exit_code != 0 and not m.note:
                m.note = f"exit {sample.exit_code}: {stderr.strip()[-300:]}"
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the shared corpus (default ../shared/corpus)")
    args = parser.parse_args(argv)
    nodesets = args.corpus / NODESETS
    if not nodesets.is_dir():
        print(f"corpus not found: {nodesets}", file=sys.stderr)
        return 2
    workloads: dict[str, object] = {}
    results: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "runs": args.runs, "target": f"omp/floor <= {TARGET}", "workloads": workloads,
    }
    lines = [f"{'workload':<12} {'row':<8} {'wall s':>8} {'cpu s':>8}  notes"]
    verdicts: list[bool] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (source, files) in WORKLOADS.items():
            paths = [str(nodesets / f) for f in files]
            out = str(Path(tmp) / f"{name}.json")
            floor = Measurement("floor", [sys.executable, "-c", FLOOR, *paths])
            omp = Measurement("omp", [omp_command(), "convert", str(nodesets / source), "--to",
                                      "aas-json", "--search-path", str(nodesets), "-o", out])
            measure(name, [floor, omp], args.runs)
            _, stages_out, _ = run_once([sys.executable, "-c", STAGES, str(nodesets / source),
                                         str(nodesets)])
            stages = json.loads(stages_out.strip().splitlines()[-1]) if stages_out.strip() \
                else {}
            wall_ratio, cpu_ratio = omp.wall / floor.wall, omp.cpu / floor.cpu
            ok = wall_ratio <= TARGET and not omp.note
            verdicts.append(ok)
            size = sum(Path(p).stat().st_size for p in paths)
            lines.append(f"{name:<12} {'floor':<8} {floor.wall:8.3f} {floor.cpu:8.3f}  "
                         f"lxml parse of {len(paths)} file(s), {size / 1e6:.2f} MB")
            lines.append(f"{name:<12} {'omp':<8} {omp.wall:8.3f} {omp.cpu:8.3f}  "
                         f"omp/floor {wall_ratio:.1f}x wall, {cpu_ratio:.1f}x cpu: "
                         f"{'PASS' if ok else 'FAIL'} (target <= {TARGET}x) {omp.note}")
            if stages:
                total = sum(stages[k] for k in ("imports", "read", "fast_check", "write"))
                lines.append(f"{name:<12} {'stages':<8} {'':>8} {total:8.3f}  "
                             f"imports {stages['imports']:.2f}, read {stages['read']:.2f}, "
                             f"fast check {stages['fast_check']:.2f}, write "
                             f"{stages['write']:.2f} s cpu (aas-core instead of the fast "
                             f"check: {stages['aas_core']:.2f}); "
                             f"{stages['identifiables']} identifiables, "
                             f"{stages['bytes'] / 1e6:.1f} MB")
            workloads[name] = {
                "files": files, "bytes": size,
                "floor": {"wall": floor.wall, "cpu": floor.cpu,
                          "samples": [vars(s) for s in floor.samples]},
                "omp": {"wall": omp.wall, "cpu": omp.cpu, "note": omp.note,
                        "samples": [vars(s) for s in omp.samples]},
                "ratio_wall": wall_ratio, "ratio_cpu": cpu_ratio, "pass": ok,
                "stages_cpu": stages,
            }
    print("\n".join(lines))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {RESULTS.relative_to(ROOT)}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
