"""Dask, Kafka-style messages and partition functions give the serial run's findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from omp_validators import ValidateOptions, validate_bytes
from omp_validators.cli import cli
from omp_validators.distributed import (
    result_from_row,
    validate_message,
    validate_paths,
    validate_records,
)
from omp_validators.report import FileResult
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import write_jsonl


@pytest.fixture(scope="module")
def streams(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("streams")
    paths = [folder / "a.jsonl", folder / "b.jsonl"]
    write_jsonl(paths[0], 200)
    write_jsonl(paths[1], 60)
    return paths


def serial(paths: list[Path], options: ValidateOptions | None = None) -> list[FileResult]:
    out = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            out.append(validate_bytes(line.encode(), f"{path}:{number}", options))
    return out


def test_message_and_records() -> None:
    data = (ROOT / "examples/invalid/wrong-value-type.json").read_bytes()
    result = validate_message(data)
    assert not result.ok
    rows = list(validate_records([("m1", data), ("m2", data.decode())]))
    assert [result_from_row(r) for r in rows] == [
        validate_bytes(data, "m1"), validate_bytes(data, "m2")]
    json.dumps(rows)  # plain data


def test_sync_scheduler_equals_serial(streams: list[Path]) -> None:
    report = validate_paths([str(p) for p in streams], scheduler="sync")
    assert list(report.files) == serial(streams)
    assert sum(1 for f in report.files if not f.ok) == 6  # one in 50 records is broken


def test_parquet_column(streams: list[Path], tmp_path: Path) -> None:
    import pandas as pd

    lines = streams[1].read_text().splitlines()
    target = tmp_path / "payloads.parquet"
    pd.DataFrame({"payload": lines}).to_parquet(target)
    report = validate_paths([str(target)], scheduler="sync")
    def key(result: FileResult) -> list[tuple[str, str | None, str]]:
        return [(f.rule, f.location.path, f.message) for f in result.findings]

    assert [key(f) for f in report.files] == [
        key(validate_bytes(line.encode(), "x")) for line in lines
    ]
    assert sum(1 for f in report.files if not f.ok) == 2
    assert report.files[0].file == f"{target}:row-0"


def test_local_cluster_with_two_workers_equals_serial(streams: list[Path]) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster:
        report = validate_paths([str(p) for p in streams], scheduler=cluster.scheduler_address)
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    assert list(report.files) == serial(streams)


def test_cli_dask(streams: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["validate", "--dask", "sync", "-o", "json",
                                      str(streams[0])])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"]["files"] == 200
    assert doc["summary"]["filesWithErrors"] == 4
