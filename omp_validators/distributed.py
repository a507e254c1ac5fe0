"""Validation at data-lake scale: Dask bags and dataframes, Kafka messages, Spark partitions.

Everything here ships only the small, picklable :class:`~omp_validators.ValidateOptions`
to workers; each worker compiles what it needs once per process and returns plain data
(one row per record, or :class:`~omp_validators.report.FileResult` objects), never
exceptions. The same records give the same findings as a serial run.

- :func:`validate_message` -- one message (e.g. a Kafka record value); no dependency.
- :func:`validate_records` -- a partition of records -> result rows (use it from Spark's
  ``mapPartitions`` or any engine).
- :func:`validate_bag` / :func:`validate_frame` -- Dask collections (extra ``dask``).
- :func:`validate_paths` -- JSONL or Parquet files (local or any fsspec URL) on a Dask
  scheduler -> a :class:`~omp_validators.report.Report`, as ``omp validate --dask`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from omp_models.diagnostics import Finding
from omp_validators.engine import validate_bytes
from omp_validators.options import ValidateOptions
from omp_validators.report import FileResult, Report

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

__all__ = [
    "result_from_row",
    "validate_bag",
    "validate_frame",
    "validate_message",
    "validate_paths",
    "validate_records",
]


def validate_message(
    value: bytes | str, options: ValidateOptions | None = None, name: str = "message.json"
) -> FileResult:
    """Validate one message (a Kafka record value, an HTTP body, a queue item).

    Args:
        value: The document (JSON or XML; AASX bytes work too).
        options: What to check (defaults when ``None``).
        name: The name to report (its extension helps tell the format).

    Returns:
        The message's result: ``result.ok`` decides, ``result.findings`` explain (a
        dead-letter topic can carry them as JSON: ``result.to_dict()``).
    """
    data = value.encode("utf-8") if isinstance(value, str) else value
    return validate_bytes(data, name, options)


def validate_records(
    records: Iterable[tuple[str, bytes | str]], options: ValidateOptions | None = None
) -> Iterator[dict[str, Any]]:
    """Validate a partition of ``(name, document)`` records; one plain row per record.

    The rows are ``FileResult.to_dict()`` dictionaries: picklable, Arrow-friendly, and
    turned back into results by :func:`result_from_row`.
    """
    for name, value in records:
        yield validate_message(value, options, name).to_dict()


def result_from_row(row: dict[str, Any]) -> FileResult:
    """The :class:`FileResult` of a row made by :func:`validate_records`."""
    return FileResult(
        file=row["file"],
        format=row["format"],
        aas_version=row.get("aasVersion"),
        version_source=row.get("versionSource"),
        model_type=row.get("modelType"),
        findings=tuple(Finding.from_dict(f) for f in row.get("findings", ())),
        suppressed=int(row.get("suppressed", 0)),
    )


def validate_bag(bag: dask.bag.Bag, options: ValidateOptions | None = None) -> dask.bag.Bag:
    """Validate a Dask bag of ``(name, document)`` records; a bag of result rows."""
    result: dask.bag.Bag = bag.map_partitions(lambda part: list(validate_records(part, options)))
    return result


def validate_frame(
    frame: dask.dataframe.DataFrame,
    column: str,
    options: ValidateOptions | None = None,
    name_column: str | None = None,
) -> dask.bag.Bag:
    """Validate the documents in ``column`` of a Dask dataframe; a bag of result rows.

    Records are named by ``name_column`` when given, else ``row-<index>``.
    """
    import dask.bag as db

    delayed = frame.to_delayed()
    parts = db.from_delayed([_records_of(d, column, name_column) for d in delayed])
    return validate_bag(parts, options)


def _records_of(part: Any, column: str, name_column: str | None) -> Any:
    from dask.delayed import delayed

    @delayed
    def convert(frame: Any) -> list[tuple[str, Any]]:
        names = frame[name_column] if name_column else [f"row-{i}" for i in frame.index]
        return list(zip((str(n) for n in names), frame[column], strict=True))

    return convert(part)


def validate_paths(
    paths: Sequence[str],
    options: ValidateOptions | None = None,
    scheduler: str = "sync",
    column: str = "payload",
) -> Report:
    """Validate JSONL or Parquet files on a Dask scheduler; one result per record.

    Args:
        paths: Local paths, globs or fsspec URLs (``s3://bucket/day=*/part-*.jsonl``;
            the matching fsspec filesystem package must be installed). ``.parquet``
            files are read as dataframes and the documents taken from ``column``;
            anything else is read as JSON Lines (one document per line).
        options: What to check.
        scheduler: ``sync`` (in this process), ``processes``, ``threads``, ``local`` (a
            LocalCluster with one worker per core) or a scheduler address
            (``tcp://host:8786``).
        column: The Parquet column holding the documents.

    Returns:
        The report: records in input order, named ``<file>:<line>`` (JSONL) or
        ``<file>:row-<n>`` (Parquet).
    """
    import dask
    import dask.bag as db

    jsonl = [p for p in paths if not p.endswith(".parquet")]
    parquet = [p for p in paths if p.endswith(".parquet")]
    bags = []
    if jsonl:
        lines = db.read_text(jsonl, include_path=True)
        numbered = lines.map_partitions(_number_lines)
        bags.append(validate_bag(numbered, options))
    for path in parquet:
        import dask.dataframe as dd

        frame = dd.read_parquet(path, columns=[column])
        bag = validate_frame(frame, column, options)
        bags.append(bag.map(_prefix(path)))
    combined = db.concat(bags) if len(bags) > 1 else bags[0]
    if scheduler in ("sync", "synchronous", "threads", "processes"):
        with dask.config.set(scheduler="synchronous" if scheduler == "sync" else scheduler):
            rows = combined.compute()
    else:
        rows = _compute_on_cluster(combined, scheduler)
    from omp_validators import __version__

    return Report(files=tuple(result_from_row(r) for r in rows), tool_version=__version__)


def _number_lines(part: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(line, path)`` pairs of one file's partition -> ``(path:lineno, line)`` records.

    ``read_text`` makes one partition per file (no blocksize), so line numbers are exact.
    """
    out: list[tuple[str, str]] = []
    for number, (line, path) in enumerate(part, start=1):
        if line.strip():
            out.append((f"{path}:{number}", line.rstrip("\n")))
    return out


def _prefix(path: str) -> Any:
    def rename(row: dict[str, Any]) -> dict[str, Any]:
        row = dict(row)
        row["file"] = f"{path}:{row['file']}"
        for finding in row.get("findings", ()):
            finding["location"]["file"] = row["file"]
        return row

    return rename


def _compute_on_cluster(bag: Any, address: str) -> list[dict[str, Any]]:
    from distributed import Client, LocalCluster

    if address == "local":
        with LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None,
                          host="127.0.0.1") as cluster, Client(cluster) as client:
            rows: list[dict[str, Any]] = client.compute(bag).result()
            return rows
    with Client(address) as client:
        result: list[dict[str, Any]] = client.compute(bag).result()
    return result
