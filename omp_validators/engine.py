"""The validation engine: inputs in, one :class:`~omp_validators.report.Report` out.

Per file: detect the format, apply the size limits, parse (syntax layer), check the
metamodel (aas-core), the environment-level rules and, for AASX, the packaging; then
filter (``select``/``ignore``), cap and locate the findings. A broken file never stops the
batch; an unexpected error on one file becomes a ``tool/internal-error`` finding.
"""

from __future__ import annotations

import glob
import importlib
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

import orjson

from omp_models.diagnostics import Finding, Severity, Where
from omp_validators import __version__
from omp_validators.checks import document_checks
from omp_validators.checks.metamodel import (
    Outcome,
    Target,
    check_json_value,
    check_xml_bytes,
)
from omp_validators.locate import JsonLocator, XmlLocator
from omp_validators.options import ValidateOptions
from omp_validators.report import FileResult, Report
from omp_validators.rules import hint_for

__all__ = [
    "EXTENSIONS",
    "InputError",
    "check_document",
    "expand_inputs",
    "validate",
    "validate_bytes",
]

#: File extensions picked up when a directory is given.
EXTENSIONS = (".json", ".xml", ".aasx")

DocKind = Literal["json", "xml"]
ProgressCallback = Callable[[int, int], None]


class InputError(Exception):
    """An input argument names nothing that can be validated (a usage error, exit 2)."""


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Expand files, directories (recursively, by extension) and globs, in order.

    Args:
        inputs: Paths, directories, glob patterns, or ``-`` for standard input.

    Returns:
        The files to validate, each once, in the order given (directories sorted).

    Raises:
        InputError: When an input does not exist or matches nothing.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            out.append(path)

    for raw in inputs:
        item = os.fspath(raw)
        if item == "-":
            add("-")
            continue
        try:
            mode = os.stat(item).st_mode
        except OSError:
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            found = sorted(
                str(p)
                for p in Path(item).rglob("*")
                if p.suffix.lower() in EXTENSIONS and p.is_file()
            )
            for name in found:
                add(name)
            continue
        if mode is not None:
            add(item)
            continue
        if glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            if not files:
                raise InputError(f"no file matches {item!r}")
            for name in files:
                add(name)
            continue
        raise InputError(f"no such file or directory: {item!r}")
    return out


#: Path separators of this platform (for :func:`_format_by_name`).
_SEPARATORS = os.sep + (os.altsep or "")


def _format_by_name(name: str) -> str | None:
    """The format the file name's extension names, if it is one of :data:`EXTENSIONS`.

    The extension is ``os.path.splitext``'s (a name whose last part is only dots before
    the extension, such as ``.json``, has none), found without its cost: this runs for
    every input.
    """
    dot = name.rfind(".")
    suffix = name[dot:].lower()
    if dot < 0 or suffix not in EXTENSIONS:
        return None
    stem = name[:dot]
    base = stem[max(map(stem.rfind, _SEPARATORS)) + 1:]
    return suffix[1:] if base.strip(".") else None


def _sniff(name: str, data: bytes) -> str:
    return _format_by_name(name) or _sniff_content(data)


def _sniff_content(data: bytes) -> str:
    """The format the first bytes show (``unknown``: they do not tell)."""
    if data.startswith(b"PK\x03\x04"):
        return "aasx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "xml"
    return "unknown"


def _parse_json(data: bytes, where: Where) -> tuple[object, Finding | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return orjson.loads(data), None
    except orjson.JSONDecodeError as exc:
        message = str(exc.msg)
        if "UTF-8" in message:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as uexc:
                line = data.count(b"\n", 0, uexc.start) + 1
                column = uexc.start - (data.rfind(b"\n", 0, uexc.start) + 1) + 1
                return None, where.finding(
                    "syntax/encoding",
                    f"Invalid UTF-8 byte {data[uexc.start]:#04x}.",
                    None,
                    line=line,
                    column=column,
                )
        if "depth" in message:
            return None, where.finding(
                "limits/depth",
                "The JSON document is nested more than 1024 levels deep.",
                None,
                line=exc.lineno,
                column=exc.colno,
            )
        return None, where.finding(
            "syntax/json", message[:1].upper() + message[1:] + ".", None,
            line=exc.lineno, column=exc.colno,
        )


def _locate(data: bytes, kind: DocKind, findings: list[Finding]) -> list[Finding]:
    """Add line and column to findings that have a path but no line yet (one pass)."""
    if not findings:
        return findings
    pending = {f.location.path for f in findings
               if f.location.line is None and f.location.path is not None}
    if not pending:
        return findings
    locator: JsonLocator | XmlLocator = (
        JsonLocator(data) if kind == "json" else XmlLocator(data)
    )
    positions = locator.locate_many(sorted(pending))
    out: list[Finding] = []
    for finding in findings:
        position = (
            positions.get(finding.location.path or "")
            if finding.location.line is None and finding.location.path is not None
            else None
        )
        out.append(finding if position is None
                   else finding.located(position.line, position.column))
    return out


def _keep(findings: list[Finding], options: ValidateOptions) -> tuple[list[Finding], int]:
    """Filter by ``select``/``ignore``; keep at most the cap (most severe first).

    Returns:
        The kept findings in their original order, and how many were dropped.
    """
    if not findings:
        return findings, 0
    wanted = [f for f in findings if options.wants(f.rule)]
    cap = options.max_findings_per_file
    if len(wanted) <= cap:
        return wanted, 0
    ranked = sorted(range(len(wanted)), key=lambda i: (-wanted[i].severity.rank, i))
    keep = set(ranked[:cap])
    return [f for i, f in enumerate(wanted) if i in keep], len(wanted) - cap


def check_document(
    data: bytes, kind: DocKind, where: Where, options: ValidateOptions
) -> Outcome:
    """Check one JSON or XML document (a file, or an AASX part): all layers, located.

    Args:
        data: The document's bytes.
        kind: ``json`` or ``xml``.
        where: The file (and AASX part) it came from.
        options: The run's options.

    Returns:
        The metamodel outcome with the environment findings added, filtered, cut to the
        per-file cap plus one (so that the caller can tell the cap was hit) and located.
    """
    target = Target(options.aas_version, options.model_type, options.engine == "fast")
    limit = max(10 * options.max_findings_per_file, 1000)
    if kind == "json":
        obj, problem = _parse_json(data, where)
        if problem is not None:
            return Outcome(findings=[problem])
        outcome = check_json_value(obj, where, target, limit)
    else:
        outcome = check_xml_bytes(data, where, target, limit)
    if outcome.document is not None and outcome.version and outcome.model_type:
        for _name, check in document_checks(options.checks):
            outcome.findings.extend(
                check(outcome.document, outcome.model_type, outcome.version, where, kind,
                      options)
            )
    kept, outcome.dropped = _keep(outcome.findings, options)
    outcome.findings = _locate(data, kind, kept)
    return outcome


def _finish(
    findings: list[Finding], file: str, dropped: int = 0, truncated: bool = False
) -> tuple[tuple[Finding, ...], int]:
    """Sort the (already capped) findings and add a note when some were dropped."""
    if not findings and not dropped:
        return (), 0
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    if not dropped:
        return ordered, 0
    more = "or more " if truncated else ""
    note = Where(file).finding(
        "limits/findings",
        f"{dropped} {more}more finding(s) not reported (--max-findings-per-file).",
        None,
        Severity.INFO,
    )
    return (*ordered, note), dropped


class _Job(NamedTuple):  # (a NamedTuple: a tenth of a dataclass's start-up cost)
    name: str
    path: str | None  # None: the data comes with the job (stdin)
    data: bytes | None = None


def validate_bytes(data: bytes, name: str, options: ValidateOptions | None = None) -> FileResult:
    """Validate one input given as bytes (a file's content, a message, stdin).

    Args:
        data: JSON, XML or AASX bytes.
        name: The name to report (its extension helps detect the format).
        options: The run's options (defaults when ``None``).

    Returns:
        The file's result.
    """
    options = options or ValidateOptions()
    fmt = _sniff(name, data)
    where = Where(name)
    return _guarded(lambda: _validate_bytes(data, name, fmt, where, options), where, fmt,
                    options)


def _guarded(run: Callable[[], FileResult], where: Where, fmt: str,
             options: ValidateOptions) -> FileResult:
    """Run one file's validation; an unexpected error becomes a finding, not a crash."""
    try:
        result = run()
    except Exception as exc:  # one broken input must not stop the batch
        finding = where.finding(
            "tool/internal-error", f"{type(exc).__name__}: {exc}", None
        )
        result = FileResult(file=where.file, format=fmt, findings=(finding,))
    # File-level findings (syntax, limits, format) obey select/ignore too; every finding
    # gets its rule's fix hint here, in one place.
    if not result.findings:
        return result
    kept = tuple(_hinted(f) for f in result.findings if options.wants(f.rule))
    return replace(result, findings=kept)


def _hinted(finding: Finding) -> Finding:
    if finding.hint is not None:
        return finding
    hint = hint_for(finding.rule)
    return finding if hint is None else finding.hinted(hint)


def _validate_bytes(
    data: bytes, name: str, fmt: str, where: Where, options: ValidateOptions
) -> FileResult:
    limits = options.limits
    if fmt == "unknown":
        findings = [where.finding("syntax/unknown-format",
                                  "Cannot tell whether this is JSON, XML or AASX.", None)]
        return FileResult(name, fmt, findings=tuple(findings))
    size_limit = limits.max_aasx_size if fmt == "aasx" else limits.max_file_size
    if len(data) > size_limit:
        findings = [where.finding(
            "limits/size", f"The file has {len(data)} bytes; the limit is {size_limit}.", None)]
        return FileResult(name, fmt, findings=tuple(findings))
    if fmt == "aasx":
        return _validate_package(data, name, where, options)
    if options.payload_kind is not None and fmt == "json":
        return _validate_payload(data, name, where, options)
    kind: DocKind = "json" if fmt == "json" else "xml"
    outcome = check_document(data, kind, where, options)
    findings_tuple, suppressed = _finish(
        outcome.findings, name, outcome.dropped, outcome.truncated
    )
    return FileResult(
        name, fmt, outcome.version, outcome.version_source, outcome.model_type,
        findings_tuple, suppressed,
    )


def _validate_package(source: bytes | IO[bytes], name: str, where: Where,
                      options: ValidateOptions) -> FileResult:
    """An AASX package, from bytes or streamed from a seekable file."""
    from omp_validators.checks import aasx as aasx_check  # only when a package is seen

    package = aasx_check.check_package(source, where, options, check_document)
    kept, dropped = _keep(package.findings, options)
    findings_tuple, suppressed = _finish(kept, name, dropped + package.dropped)
    return FileResult(
        name, "aasx", package.aas_version, package.version_source, package.model_type,
        findings_tuple, suppressed,
    )


def payload_checker(kind: str) -> Any:
    """The module that validates payloads of ``kind`` (``template`` or ``aspect``).

    It provides ``check_payload(obj, where, options) -> (findings, label)``: the findings
    carry JSON Pointers into the payload, the label names what was checked against.

    Raises:
        InputError: When that kind of payload validation is not available.
    """
    try:
        return importlib.import_module(f"omp_validators.checks.payload_{kind}")
    except ModuleNotFoundError as exc:
        raise InputError(f"{kind} payload validation is not available") from exc


def _validate_payload(data: bytes, name: str, where: Where, options: ValidateOptions
                      ) -> FileResult:
    """A value-only / aspect payload: parsed here, checked by the payload module."""
    obj, problem = _parse_json(data, where)
    if problem is not None:
        return FileResult(name, "json", findings=(problem,))
    kind = options.payload_kind or ""
    findings, label = payload_checker(kind).check_payload(obj, where, options)
    kept, dropped = _keep(list(findings), options)
    located = _locate(data, "json", kept)
    findings_tuple, suppressed = _finish(located, name, dropped)
    return FileResult(name, "json", None, None, label, findings_tuple, suppressed)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only


def _read_rest(fd: int, head: bytes, size: int, limit: int) -> bytes | None:
    """The whole file from ``fd`` (after ``head``); ``None`` when it grew past ``limit``."""
    chunks = [head]
    total = len(head)
    want = max(size - total, 0) + 1  # one more byte than stat said: tells EOF at once
    while True:
        chunk = os.read(fd, min(max(want, 65536), limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None
        want = 65536


def _run_job(job: _Job, options: ValidateOptions) -> FileResult:
    if job.data is not None:
        return validate_bytes(job.data, job.name, options)
    where = Where(job.name)
    # os.open/os.read: a buffered file object per input costs more than reading the
    # small documents of a typical batch.
    fd = -1
    try:
        fd = os.open(job.path or job.name, _READ_FLAGS)
        size = os.fstat(fd).st_size
        by_name = _format_by_name(job.name)
        head = b"" if by_name is not None else os.read(fd, 4)  # the extension tells
        fmt = by_name or _sniff_content(head)
        limit = (options.limits.max_aasx_size if fmt == "aasx"
                 else options.limits.max_file_size)
        if size > limit:
            finding = where.finding(
                "limits/size", f"The file has {size} bytes; the limit is {limit}.", None)
            return FileResult(job.name, fmt, findings=(finding,))
        if fmt == "aasx":
            # Streamed: only the parts that are checked come into memory.
            with os.fdopen(fd, "rb") as handle:
                fd = -1  # the file object owns it now
                handle.seek(0)
                return _guarded(
                    lambda: _validate_package(handle, job.name, where, options),
                    where, fmt, options,
                )
        data = _read_rest(fd, head, size, limit)
        if data is None:  # it grew while being read
            finding = where.finding(
                "limits/size", f"The file has more than {limit} bytes; the limit is {limit}.",
                None)
            return FileResult(job.name, fmt, findings=(finding,))
    except OSError as exc:
        finding = where.finding("tool/unreadable", f"Cannot read the file: {exc.strerror}.", None)
        return FileResult(job.name, "unknown", findings=(finding,))
    finally:
        if fd >= 0:
            os.close(fd)
    if fmt == "unknown":  # the first four bytes did not tell; the whole head may
        fmt = _sniff_content(data)
    known = fmt
    return _guarded(lambda: _validate_bytes(data, job.name, known, where, options), where,
                    fmt, options)


_WORKER_OPTIONS: ValidateOptions | None = None


def _init_worker(options: ValidateOptions) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options


def _run_in_worker(jobs: list[_Job]) -> list[FileResult]:
    assert _WORKER_OPTIONS is not None
    return [_run_job(job, _WORKER_OPTIONS) for job in jobs]


def resolve_jobs(jobs: int | str) -> int:
    """``auto`` -> the usable CPU count; an int is taken as given (at least 1)."""
    if jobs == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else (os.cpu_count() or 1))
    return max(1, int(jobs))


def validate(
    inputs: Sequence[str | os.PathLike[str]],
    options: ValidateOptions | None = None,
    *,
    jobs: int | str = 1,
    stdin: bytes | None = None,
    stdin_filename: str = "-",
    progress: ProgressCallback | None = None,
) -> Report:
    """Validate files, directories, globs or standard input.

    Args:
        inputs: What to validate (see :func:`expand_inputs`); ``-`` reads ``stdin``.
        options: What to check and how.
        jobs: Worker processes (``"auto"``: one per CPU); results are identical for any
            number of jobs.
        stdin: The bytes of standard input (read from ``sys.stdin`` when ``None``).
        stdin_filename: The name reported for standard input.
        progress: Called with (done, total) after each file.

    Returns:
        The report, files in input order.

    Raises:
        InputError: When an input names nothing to validate.
    """
    options = options or ValidateOptions()
    if options.payload_kind is not None:
        # Unavailable, or an unusable template/aspect: a usage error, before any work.
        checker = payload_checker(options.payload_kind)
        for hook in ("prepare", "check_options"):
            check = getattr(checker, hook, None)
            if check is not None:
                try:
                    check(options)
                except ValueError as exc:
                    raise InputError(str(exc)) from exc
    names = expand_inputs(inputs)
    if not names:
        raise InputError("nothing to validate")
    job_list: list[_Job] = []
    for name in names:
        if name == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            job_list.append(_Job(stdin_filename, None, data))
        else:
            job_list.append(_Job(name, name))
    workers = min(resolve_jobs(jobs), len(job_list))
    results: list[FileResult] = []
    total = len(job_list)
    if workers <= 1:
        for job in job_list:
            results.append(_run_job(job, options))
            if progress:
                progress(len(results), total)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(64, total // (workers * 4) or 1))
        batches = [job_list[i : i + chunk] for i in range(0, total, chunk)]
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(options,)
        ) as pool:
            for batch_results in pool.map(_run_in_worker, batches):
                results.extend(batch_results)
                if progress:
                    progress(len(results), total)
    return Report(files=tuple(results), tool_version=__version__)
