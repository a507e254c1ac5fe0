#!/usr/bin/env python
"""Whole-process benchmark of ``omp validate`` against anchors measured in the same run.

Every figure is the median wall time of a whole process (start-up, imports and the loop),
timed with ``time.perf_counter`` around the child, which is reaped with ``os.wait4`` for
its CPU time. Each workload's commands run once as a warm-up (under GNU ``time`` for the
peak RSS), then in ``--runs`` interleaved rounds (each round runs every command once).

Workloads (see ``shared/research/aas-validators.md`` section 4):

* **small** (W1): 1,000 valid small JSON environments, ``random.Random(42).sample`` over
  the sorted ``.json`` files of the aas-core test-gen 3.0 ``ContainedInEnvironment/Expected``
  set;
* **large** (W2): the largest published IDTA template, Purchase Order 1.0 (2.1 MB JSON).

Per workload: the orjson parse floor, the aas-core3.0 deserialise + verify loop (the
engine alone), an aas-test-engines loop (its own venv, ``--setup`` makes it), and ONE
``omp validate`` call over the same files, both as a user types it (version and class
detected) and with ``--aas-version 3.0``. Start-up: ``python -c pass`` and ``omp --help``.

Ratios are against anchors of the same run, so they hold across machines; the absolute
times only describe this machine. Results: a table on stdout and
``benchmarks/results/validate_bench.json``.

Usage::

    python benchmarks/validate_bench.py --setup      # first time: venv for aas-test-engines
    python benchmarks/validate_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOOPS = HERE / "_loops.py"
ATE_VENV = HERE / ".venv-ate"
RESULTS = HERE / "results" / "validate_bench.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SMALL_DIR = "aas/testgen-3.0/test_data/Json/ContainedInEnvironment/Expected"
LARGE_FILE = "templates/published/Purchase Order/1/0/IDTA-02050_Template_PurchaseOrder.json"
SMALL_COUNT = 1000
SEED = 42

#: Targets from the issue: (ratio name, comparison, threshold).
TARGETS: dict[str, list[tuple[str, str, float]]] = {
    "small": [("omp/engine", "<=", 1.5), ("ate/omp", ">=", 2.5), ("omp/floor", "<=", 8.0)],
    "large": [("omp/engine", "<=", 1.5), ("ate/omp", ">=", 2.5), ("omp/floor", "<=", 12.0)],
}
HELP_LIMIT_S = 0.3


@dataclass
class Sample:
    """One timed process: wall and CPU seconds (user + system), exit code."""

    wall: float
    cpu: float
    exit_code: int


@dataclass
class Measurement:
    """One command and its timed samples; medians over the samples."""

    key: str
    label: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    summary: dict[str, int] | None = None  # the loop helper's {"files", "ok"} line
    note: str = ""
    rss_mib: float | None = None  # peak over the RSS runs

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def exit_codes(self) -> list[int]:
        return sorted({s.exit_code for s in self.samples})


@dataclass
class Workload:
    """Files validated in one process, and the targets that apply to them."""

    name: str
    files: list[str]
    source: str
    #: Exit codes of ``omp validate`` that are not a sign of trouble.
    expect_exit: tuple[int, ...]
    targets: list[tuple[str, str, float]]
    measurements: dict[str, Measurement] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(Path(p).stat().st_size for p in self.files)


# --- running ------------------------------------------------------------------------------


def gnu_time() -> str | None:
    """``/usr/bin/time`` if it is GNU time (``-f %M -o FILE``), for peak RSS."""
    path = "/usr/bin/time"
    if not Path(path).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "rss"
        probe = subprocess.run(
            [path, "-f", "%M", "-o", str(target), sys.executable, "-c", "pass"],
            capture_output=True,
            check=False,
        )
        text = target.read_text(encoding="utf-8").strip() if target.exists() else ""
    return path if probe.returncode == 0 and text.isdigit() else None


def run_once(
    argv: Sequence[str], capture: bool, rss_via: str | None = None
) -> tuple[Sample, float, str, str]:
    """Run one process; time it whole and read its rusage (``os.wait4``).

    Returns:
        The sample, the peak RSS in MiB, stdout (when captured) and stderr. With
        ``rss_via`` (GNU time) the RSS is the command's own; without, it is the
        ``ru_maxrss`` of the direct child, which includes the memory of this Python
        process at the fork (an upper bound).
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        rss_file = Path(tmp) / "rss"
        command = [rss_via, "-f", "%M", "-o", str(rss_file), *argv] if rss_via else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out if capture else subprocess.DEVNULL,
            stderr=err,
            cwd=tmp,  # an empty folder: no project configuration to find, for every command
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if rss_via:
            # GNU time writes "Command exited with non-zero status N" before the figure.
            rss_kib = float(rss_file.read_text(encoding="utf-8").split()[-1])
        else:  # Linux reports ru_maxrss in KiB, macOS in bytes.
            rss_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, proc.returncode)
    return sample, rss_kib / 1024, stdout, stderr


def run_into(m: Measurement, timed: bool, rss_via: str | None) -> None:
    """Run ``m`` once; keep the sample if ``timed``, the peak RSS if measured."""
    capture = m.argv[1:2] == [str(LOOPS)]
    sample, rss, stdout, stderr = run_once(m.argv, capture, None if timed else rss_via)
    if timed:
        m.samples.append(sample)
    if rss_via is None or not timed:
        m.rss_mib = max(m.rss_mib or 0.0, rss)
    if capture and stdout.strip():
        m.summary = json.loads(stdout.strip().splitlines()[-1])
    if sample.exit_code not in (0, 1) and not m.note:
        m.note = f"exit {sample.exit_code}: {stderr.strip()[-300:]}"


def measure(
    title: str, ms: Sequence[Measurement], runs: int, warmup: int, rss_via: str | None
) -> None:
    """Warm up, then time ``runs`` rounds; each round runs every command once.

    Interleaving the commands (rather than running one command ``runs`` times in a row)
    spreads a burst of load on a shared machine over all of them, which keeps the ratios
    steadier; each round runs them in its own (seeded) order, so that no command always
    follows the same one (the pinned omp command, always run right after the unpinned
    one, measured 5-15 % slower in some runs with identical work). Warm-up rounds run
    under GNU time, for the peak RSS.
    """
    untimed = max(warmup, 1) if rss_via else warmup
    print(
        f"{title}: {untimed} warm-up + {runs} timed round(s)", end="", flush=True, file=sys.stderr
    )
    for i in range(untimed + runs):
        order = list(ms)
        random.Random(f"{title}-{i}").shuffle(order)
        for m in order:
            run_into(m, i >= untimed, rss_via)
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    for m in ms:
        print(f"  {m.label:<38} {m.wall:.3f} s", file=sys.stderr)


# --- inputs -------------------------------------------------------------------------------


def small_sample(corpus: Path) -> list[str]:
    root = corpus / SMALL_DIR
    files = sorted(str(p) for p in root.rglob("*.json"))
    if len(files) < SMALL_COUNT:
        raise SystemExit(f"need {SMALL_COUNT} files under {root}, found {len(files)}")
    return random.Random(SEED).sample(files, SMALL_COUNT)


def omp_command() -> str:
    candidate = Path(sys.executable).parent / "omp"
    found = str(candidate) if candidate.exists() else shutil.which("omp")
    if not found:
        raise SystemExit("the `omp` command is not installed (pip install -e . in this venv)")
    return found


def ate_python(explicit: str | None) -> str | None:
    """The interpreter of the aas-test-engines venv, if it can import the package."""
    candidates = [explicit] if explicit else [str(ATE_VENV / "bin" / "python")]
    for python in candidates:
        if python and Path(python).exists():
            probe = subprocess.run(
                [python, "-c", "import aas_test_engines.file, orjson"],
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                return python
    return None


def setup_ate_venv() -> None:
    """Create ``benchmarks/.venv-ate`` with aas-test-engines and orjson (not a dependency)."""
    print(f"creating {ATE_VENV} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(ATE_VENV)], check=True)
        subprocess.run(
            [
                str(ATE_VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "aas-test-engines",
                "orjson",
            ],
            check=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"aas-test-engines: setup failed ({exc}); continuing without it", file=sys.stderr)


def package_version(python: str, dist: str) -> str:
    probe = subprocess.run(
        [python, "-c", f"import importlib.metadata as m; print(m.version({dist!r}))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else "?"


def machine_info(ate: str | None) -> dict[str, str]:
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    py = sys.executable
    source = subprocess.run(
        [py, "-c", "import omp_validators as m; print(m.__file__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    omp_source = Path(source.stdout.strip()).parent.parent
    git = subprocess.run(
        ["git", "-C", str(omp_source), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "git": git.stdout.strip() if git.returncode == 0 else "not a git checkout",
        "omp source": str(omp_source),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(nproc),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "omp-toolkit": package_version(py, "omp-toolkit"),
        "aas-core3.0": package_version(py, "aas-core3.0"),
        "aas-core3.1": package_version(py, "aas-core3.1"),
        "orjson": package_version(py, "orjson"),
        "aas-test-engines": package_version(ate, "aas-test-engines") if ate else "not installed",
    }


# --- report -------------------------------------------------------------------------------


def check(value: float, op: str, threshold: float) -> bool:
    return value <= threshold if op == "<=" else value >= threshold


def ratios(ms: dict[str, Measurement], omp_key: str, cpu: bool = False) -> dict[str, float]:
    """The target ratios of one ``omp`` variant, on wall (default) or CPU medians."""

    def t(key: str) -> float:
        return ms[key].cpu if cpu else ms[key].wall

    out = {"omp/floor": t(omp_key) / t("floor"), "omp/engine": t(omp_key) / t("engine")}
    if "ate" in ms:
        out["ate/omp"] = t("ate") / t(omp_key)
    return out


def status_of(m: Measurement, expect_exit: tuple[int, ...]) -> str:
    if m.note:
        return m.note
    if m.summary is not None:
        files, ok = m.summary["files"], m.summary["ok"]
        return "all valid" if ok == files else f"{files - ok} of {files} judged invalid"
    codes = m.exit_codes
    text = "exit " + "/".join(map(str, codes))
    return text if set(codes) <= set(expect_exit) else text + " (UNEXPECTED)"


def mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def render(
    info: dict[str, str],
    startup: dict[str, Measurement],
    workloads: list[Workload],
    verdicts: list[dict[str, object]],
    runs: int,
) -> str:
    lines = [
        f"omp validate benchmark: {info['date']}, nproc {info['nproc']}, Python {info['python']}"
        f", {runs} runs after warm-up, medians",
        f"cpu: {info['cpu']}; peak RSS: {info['peak RSS']}",
        f"omp source: {info['omp source']}",
        "versions: "
        + ", ".join(
            f"{k} {info[k]}"
            for k in ("git", "omp-toolkit", "aas-core3.0", "orjson", "aas-test-engines")
        ),
        "",
        f"{'workload':<8} {'command':<37} {'wall s':>7} {'cpu s':>7} {'MiB':>6} "
        f"{'x floor':>8} {'x engine':>8}  status",
    ]
    lines.append("start-up (x floor here: x `python -c pass`)")
    floor = startup["pass"].wall
    for m in startup.values():
        lines.append(
            f"{'start':<8} {m.label:<37} {m.wall:>7.3f} {m.cpu:>7.3f} "
            f"{mib(m.rss_mib):>6} {m.wall / floor:>8.1f} {'':>8}  "
            f"{status_of(m, (0,))}"
        )
    for w in workloads:
        ms, name = w.measurements, w.name
        lines += ["", f"{name}: {len(w.files)} file(s), {w.size:,} bytes"]
        for m in ms.values():
            x_floor = m.wall / ms["floor"].wall
            x_engine = m.wall / ms["engine"].wall
            lines.append(
                f"{name:<8} {m.label:<37} {m.wall:>7.3f} {m.cpu:>7.3f} "
                f"{mib(m.rss_mib):>6} {x_floor:>8.2f} {x_engine:>8.2f}  "
                f"{status_of(m, w.expect_exit)}"
            )
    lines += ["", "targets (judged on wall medians; CPU-time ratio for comparison):"]
    for v in verdicts:
        value = "-" if v["value"] is None else f"{v['value']:.2f}"
        cpu = "" if v.get("cpu_value") is None else f"   (cpu {v['cpu_value']:.2f})"
        target = f"{v['op']} {v['threshold']}"
        lines.append(f"  {v['mark']:<4}  {v['name']:<30} {value:>6} {target:<7}{cpu}")
    return "\n".join(lines) + "\n"


# --- main ---------------------------------------------------------------------------------


def workloads_from(corpus: Path) -> list[Workload]:
    large = corpus / LARGE_FILE
    if not large.is_file():
        raise SystemExit(f"missing {large}")
    return [
        Workload(
            "small",
            small_sample(corpus),
            f"{SMALL_DIR}: random.Random({SEED}).sample of {SMALL_COUNT}",
            (0,),
            TARGETS["small"],
        ),
        # The Purchase Order template repeats 26 ConceptDescription ids (env/duplicate-id
        # errors), so `omp validate` exits 1 and renders the findings, as a user sees it.
        Workload("large", [str(large)], LARGE_FILE, (0, 1), TARGETS["large"]),
    ]


def loop_measurements(w: Workload, listfile: str, ate: str | None, omp: str) -> None:
    py = sys.executable
    ms = w.measurements
    ms["floor"] = Measurement("floor", "orjson parse (floor)", [py, str(LOOPS), "orjson", listfile])
    ms["engine"] = Measurement(
        "engine", "aas-core3.0 deserialise+verify", [py, str(LOOPS), "aascore30", listfile]
    )
    if ate:
        ms["ate"] = Measurement(
            "ate", "aas-test-engines check_json_file", [ate, str(LOOPS), "ate", listfile]
        )
    ms["omp"] = Measurement("omp", "omp validate FILES", [omp, "validate", *w.files])
    ms["omp30"] = Measurement(
        "omp30",
        "omp validate --aas-version 3.0 FILES",
        [omp, "validate", "--aas-version", "3.0", *w.files],
    )


def judge(
    startup: dict[str, Measurement], workloads: list[Workload], ate: str | None
) -> tuple[list[dict[str, object]], dict[str, dict[str, dict[str, float]]]]:
    verdicts: list[dict[str, object]] = []

    def add(
        name: str, value: float, op: str, threshold: float, cpu_value: float | None = None
    ) -> None:
        ok = value < threshold if op == "<" else check(value, op, threshold)
        verdicts.append(
            {
                "name": name,
                "value": value,
                "cpu_value": cpu_value,
                "op": op,
                "threshold": threshold,
                "pass": ok,
                "mark": "PASS" if ok else "FAIL",
            }
        )

    add("omp --help wall (s)", startup["help"].wall, "<", HELP_LIMIT_S)
    all_ratios: dict[str, dict[str, dict[str, float]]] = {}
    for w in workloads:
        all_ratios[w.name] = {}
        for omp_key, shown in (("omp", "omp"), ("omp30", "omp-3.0")):
            found = ratios(w.measurements, omp_key)
            on_cpu = ratios(w.measurements, omp_key, cpu=True)
            all_ratios[w.name][omp_key] = found
            all_ratios[w.name][omp_key + "_cpu"] = on_cpu
            for ratio, op, threshold in w.targets:
                if ratio in found:
                    name = f"{w.name}: {ratio.replace('omp', shown)}"
                    add(name, found[ratio], op, threshold, on_cpu[ratio])
            bad = [c for c in w.measurements[omp_key].exit_codes if c not in w.expect_exit]
            if bad:
                print(
                    f"WARNING: {w.name}: {w.measurements[omp_key].label} exited {bad}, "
                    f"expected {w.expect_exit}",
                    file=sys.stderr,
                )
    if not ate:
        verdicts.append(
            {
                "name": "ate/omp: aas-test-engines not installed",
                "value": None,
                "op": ">=",
                "threshold": 2.5,
                "pass": None,
                "mark": "SKIP",
            }
        )
    return verdicts, all_ratios


def dump(m: Measurement) -> dict[str, object]:
    return {
        "label": m.label,
        "argv": m.argv[:6] + (["..."] if len(m.argv) > 6 else []),
        "wall_median_s": m.wall,
        "cpu_median_s": m.cpu,
        "peak_rss_mib": m.rss_mib,
        "exit_codes": m.exit_codes,
        "summary": m.summary,
        "note": m.note,
        "samples": [asdict(s) for s in m.samples],
    }


def compile_bytecode() -> None:
    """Write the project's bytecode first, as ``pip install`` of the wheel does.

    An editable checkout only gets ``.pyc`` files when Python may write them; with
    ``PYTHONDONTWRITEBYTECODE`` set (or a read-only tree) every ``omp`` process would
    compile the changed modules again, which is not what users run.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "omp_models"),
         str(ROOT / "omp_validators")],
        check=True, stdout=subprocess.DEVNULL,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument(
        "--setup", action="store_true", help="first create benchmarks/.venv-ate (aas-test-engines)"
    )
    parser.add_argument("--ate-python", help="an interpreter with aas-test-engines and orjson")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus root (../shared/corpus)"
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args(argv)
    args.corpus = args.corpus.resolve()  # the commands run in a temporary folder
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")

    if args.setup:
        setup_ate_venv()
    ate = ate_python(args.ate_python)
    if ate is None:
        print("aas-test-engines: not installed (run with --setup)", file=sys.stderr)
    omp = omp_command()
    compile_bytecode()
    rss_via = gnu_time()
    info = machine_info(ate)
    info["peak RSS"] = (
        "GNU time on an untimed run"
        if rss_via
        else "ru_maxrss of the child (upper bound: includes the forking Python)"
    )
    workloads = workloads_from(args.corpus)

    startup = {
        "pass": Measurement("pass", "python -c pass", [sys.executable, "-c", "pass"]),
        "help": Measurement("help", "omp --help", [omp, "--help"]),
    }
    measure("start-up", list(startup.values()), args.runs, args.warmup, rss_via)
    with tempfile.TemporaryDirectory(prefix="omp-bench-") as tmp:
        for w in workloads:
            listfile = Path(tmp) / f"{w.name}.txt"
            listfile.write_text("\n".join(w.files) + "\n", encoding="utf-8")
            loop_measurements(w, str(listfile), ate, omp)
            measure(w.name, list(w.measurements.values()), args.runs, args.warmup, rss_via)

    verdicts, all_ratios = judge(startup, workloads, ate)
    print(render(info, startup, workloads, verdicts, args.runs), end="")

    result = {
        "machine": info,
        "runs": args.runs,
        "warmup": args.warmup,
        "startup": {k: dump(m) for k, m in startup.items()},
        "workloads": {
            w.name: {
                "source": w.source,
                "files": len(w.files),
                "bytes": w.size,
                "expect_exit": list(w.expect_exit),
                "measurements": {k: dump(m) for k, m in w.measurements.items()},
                "ratios": all_ratios[w.name],
            }
            for w in workloads
        },
        "targets": verdicts,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
