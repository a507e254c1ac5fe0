"""``omp convert`` with the csv, xlsx and mapping formats: fixtures, round trips, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import ConversionReport, ConvertOptions, Source, get_format
from omp_models.formats._aasjson import same_value
from omp_models.locate import split_pointer
from omp_validators import ValidateOptions, validate
from omp_validators.cli import cli
from tests.conftest import CORPUS, ROOT, corpus_path

EXAMPLES = ROOT / "examples" / "mappings"
PRESS_LINE = (EXAMPLES / "press-line" / "press-line-telemetry.jsonl",
              EXAMPLES / "press-line" / "press-line.yaml")
DATASHEET = (EXAMPLES / "datasheet" / "acme-sp630-datasheet.csv",
             EXAMPLES / "datasheet" / "technical-data.yaml")
TEMPLATES = {
    "nameplate": ("Digital nameplate", "3", "0", "1",
                  "IDTA 02006-3-0-1_Template_Digital Nameplate.json"),
    "technical-data": ("Technical_Data", "2", "0", "1",
                       "IDTA 02003_2-0-1_Template_TechnicalData.json"),
}
#: An aas-profile table with most element kinds (written here; the corpus has no such file).
AAS_TABLE = (
    "idShortPath,modelType,value,value@de,value@en,valueType,unit,unitCode,semanticId,"
    "description,displayName@de\r\n"
    "Spindle,Submodel,urn:example:sm:spindle,,,,,,urn:example:spindle,Spindle data,\r\n"
    "MaxSpeed,Property,12000,,,xs:int,1/min,RPM,0173-1#02-BAA120#008,,Max. Drehzahl\r\n"
    "Power,Property,\"15,5\",,,xs:double,kW,,0173-1#02-AAB381#005,,\r\n"
    "Designation,MultiLanguageProperty,,Spindel,Spindle,,,,0173-1#02-AAW338#003,,\r\n"
    "Temperature,Range,10..45,,,xs:double,°C,CEL,urn:example:temperature-range,,\r\n"
    "Tools,SubmodelElementList,SubmodelElementCollection,,,,,,urn:example:tools,,\r\n"
    "Tools[0],SubmodelElementCollection,,,,,,,urn:example:tool,,\r\n"
    "Tools[0].Diameter,Property,12.5,,,xs:double,mm,MMT,urn:example:diameter,,\r\n"
    "Manual,File,/aasx/files/manual.pdf,,,application/pdf,,,urn:example:manual,,\r\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def convert_twice(tmp_path: Path, *args: str) -> bytes:
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        result = run("convert", *args, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1], "conversion is not deterministic"
    return outputs[0]


def assert_valid(path: Path, version: str) -> None:
    report = validate([str(path)], ValidateOptions(aas_version=version))  # type: ignore[arg-type]
    errors = [f for f in report.files[0].findings if f.severity.value == "error"]
    assert not errors, errors


def table_fixtures() -> list[Path]:
    folder = CORPUS / "formats" / "csv-excel"
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (
        ".csv", ".tsv", ".xlsx")) if folder.is_dir() else []


# --- the corpus fixtures ----------------------------------------------------------------


def test_the_corpus_has_table_fixtures() -> None:
    corpus_path("formats", "csv-excel")
    assert table_fixtures()


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("fixture", table_fixtures(), ids=lambda p: p.name)
def test_every_table_fixture_converts_validly_and_deterministically(
        tmp_path: Path, fixture: Path, version: str) -> None:
    data = convert_twice(tmp_path, str(fixture), "--to", "aas-json", "--aas-version", version)
    assert json.loads(data)["submodels"]
    assert_valid(tmp_path / "first", version)


def test_a_workbook_of_the_fixture_converts_like_the_csv(tmp_path: Path) -> None:
    fixture = corpus_path("formats", "csv-excel", "synthetic", "technical_data_sheet.csv")
    from openpyxl import Workbook

    wb = Workbook()
    with fixture.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            wb.active.append([float(c) if c.replace(".", "").isdigit() else c for c in row])
    workbook = tmp_path / "technical_data_sheet.xlsx"
    wb.save(workbook)
    from_xlsx = convert_twice(tmp_path, str(workbook), "--to", "aas-json")
    assert_valid(tmp_path / "first", "3.1")
    from_csv = run("convert", str(fixture), "--to", "aas-json").stdout_bytes
    xlsx_doc, csv_doc = json.loads(from_xlsx), json.loads(from_csv)
    for doc in (xlsx_doc, csv_doc):  # the sheet title differs from the file name
        doc["submodels"][0]["id"] = "urn:x"
        for el in doc["submodels"][0]["submodelElements"][1]["value"]:
            el.pop("extensions", None)  # "15,5" vs the csv's text
    assert xlsx_doc == csv_doc


def test_csv_files_of_other_formats_fail_cleanly(tmp_path: Path) -> None:
    path = corpus_path("formats", "opcua-nodeset", "I4AAS", "NodeIds.csv")
    out = tmp_path / "out.json"
    result = run("convert", str(path), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "cannot tell the column profile" in result.output
    assert "Traceback" not in result.output


# --- round trips ------------------------------------------------------------------------


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def declared_cells(report: ConversionReport) -> set[tuple[int, int]]:
    out = set()
    for issue in report.issues:
        if issue.source and issue.source.startswith("#cell="):
            row, col = issue.source[6:].split(",")
            out.add((int(row), int(col)))
    return out


@pytest.mark.parametrize("profile", ["technical-data", "aas"])
def test_csv_to_aas_to_csv(tmp_path: Path, profile: str) -> None:
    if profile == "technical-data":
        source = corpus_path("formats", "csv-excel", "synthetic",
                             "technical_data_sheet.csv").read_bytes()
    else:
        source = AAS_TABLE.encode()
    options = ConvertOptions(extra={"profile": profile})
    env, read_report = get_format("csv").read(Source("t.csv", source), options)
    assert not read_report.has_errors
    out, write_report = get_format("csv").write(env, options)
    # a group/idShort table has no Submodel row: the (derived) id is the one thing lost
    assert [i.source for i in write_report.issues] == (
        ["/submodels/0/id"] if profile == "technical-data" else [])
    before, after = cells(source), cells(out)
    assert before[0] == after[0] and len(before) == len(after)
    declared = declared_cells(read_report)
    types = {row[0] + row[1]: row for row in before}
    value_type = after[0].index("valueType")
    for r, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        for c, (a, b) in enumerate(zip(old, new, strict=True), start=1):
            if (r, c) in declared or a == b:
                continue
            assert r > 1 and same_value(a, b, new[value_type]), (r, c, a, b, types)


def strip(doc: Any, pointers: list[str]) -> None:
    """Remove the values at ``pointers`` (not their descendants twice; later indexes first)."""
    tokens = {tuple(split_pointer(p)) for p in pointers}
    outer = [t for t in tokens if not any(t[:n] in tokens for n in range(len(t)))]
    for path in sorted(outer, key=lambda t: [(0, int(x)) if x.isdigit() else (1, x)
                                             for x in t], reverse=True):
        *parents, last = path
        current = doc
        try:
            for token in parents:
                current = current[int(token)] if isinstance(current, list) else current[token]
            if isinstance(current, list):
                del current[int(last)]
            else:
                current.pop(last, None)
        except (KeyError, IndexError):
            continue


def sets(value: Any) -> Any:
    """Language-tagged strings are sets: compare them sorted (and empty lists as absent)."""
    if isinstance(value, dict):
        return {k: sets(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        if value and all(isinstance(i, dict) and set(i) == {"language", "text"} for i in value):
            return sorted(value, key=lambda i: i["language"])
        return [sets(i) for i in value]
    return value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_template_to_table_to_aas(fmt: str, template: str) -> None:
    path = corpus_path("templates", "published", *TEMPLATES[template])
    options = ConvertOptions(aas_version="3.0")
    env, _ = get_format("aas-json").read(Source(path.name, path.read_bytes()), options)
    original = environment_to_jsonable(env)
    data, report = get_format(fmt).write(env, options)
    again, read_report = get_format(fmt).read(Source("t." + fmt, data), options)
    assert not read_report.has_errors, read_report.issues
    result = environment_to_jsonable(again)
    dropped = [i.source or "" for i in report.issues if i.code.value == "DROPPED"]
    assert any("/qualifiers" in p for p in dropped)  # the template's cardinalities
    # Whole elements dropped would shift the result's indexes; these templates have none.
    assert not [p for p in dropped if p.startswith("/submodels/") and p.rsplit("/", 1)[1]
                .isdigit() and p.count("/") > 2]
    strip(original, dropped)
    strip(result, dropped)  # attributes the table cannot hold (the result's defaults too)
    for issue in report.issues:  # a list's semanticIdListElement derived from its items
        if issue.code.value == "DEFAULTED" and "semanticIdListElement" in issue.message:
            strip(result, [f"{issue.source}/semanticIdListElement"])
    assert sets(result["submodels"]) == sets(original["submodels"])


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_template_round_trip_output_validates(tmp_path: Path, template: str) -> None:
    path = corpus_path("templates", "published", *TEMPLATES[template])
    table = tmp_path / "t.xlsx"
    assert run("convert", str(path), "--to", "xlsx", "-o", str(table)).exit_code == 0
    convert_twice(tmp_path, str(table), "--to", "aas-json", "--aas-version", "3.0")
    assert_valid(tmp_path / "first", "3.0")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_output_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    path = corpus_path("templates", "published", *TEMPLATES["technical-data"])
    first = convert_twice(tmp_path, str(path), "--to", fmt)
    assert first.startswith(b"PK\x03\x04" if fmt == "xlsx" else b"idShortPath,")


# --- the mapping examples ---------------------------------------------------------------


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("example", [PRESS_LINE, DATASHEET], ids=["press-line", "datasheet"])
def test_mapping_examples_convert_validly(tmp_path: Path, example: tuple[Path, Path],
                                          version: str) -> None:
    payload, mapping = example
    data = convert_twice(tmp_path, str(payload), "--from", "mapping", "--option",
                         f"mapping={mapping}", "--to", "aas-json", "--aas-version", version)
    assert_valid(tmp_path / "first", version)
    doc = json.loads(data)
    assert doc["submodels"]


def test_press_line_example_content(tmp_path: Path) -> None:
    payload, mapping = PRESS_LINE
    report_path = tmp_path / "report.json"
    result = run("convert", str(payload), "--from", "mapping", "--option",
                 f"mapping={mapping}", "--to", "aas-json", "--report", str(report_path))
    doc = json.loads(result.stdout_bytes)
    nameplate, series = sorted(doc["submodels"], key=lambda s: s["idShort"])
    assert nameplate["id"] == "urn:acme-pressen:sm:nameplate:SP630-2019-0042"
    segments = series["submodelElements"][1]["value"]
    assert [s["idShort"] for s in segments] == ["Stroke18231", "Stroke18232", "Stroke18233"]
    first = {e["idShort"]: e for e in segments[0]["value"]}
    assert first["RecordCount"]["value"] == "5"
    assert first["StartTime"]["value"] == "2024-05-06T08:15:02.120Z"
    record = {e["idShort"]: e for e in first["Records"]["value"][0]["value"]}
    assert record["OilTemperature"]["value"] == "45.0"  # 113 °F, converted explicitly
    issues = json.loads(report_path.read_text())["issues"]
    conversion = next(i for i in issues if "FAH -> CEL" in i["message"])
    assert conversion["message"].startswith("converted 15 values")
    assert conversion["file"] == str(mapping) and conversion["line"] == 176


def test_example_payloads_are_not_picked_up_by_validate() -> None:
    # examples/ is validated recursively (.json, .xml, .aasx): the mapping examples use
    # .jsonl, .csv and .yaml, so none of them is taken for an AAS document.
    result = run("validate", str(EXAMPLES))
    assert result.exit_code == 2 and "nothing to validate" in result.output


# --- bad input: a located finding, exit 1, no output, no traceback ----------------------


def bad_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


BAD_TABLES = {
    "malformed": ('idShortPath,value\nSpeed,"12\n', "malformed CSV", ":2"),
    "wrong-columns": ("idShortPath,value,colour\nSpeed,12,red\n", "unknown column 'colour'",
                      ":1"),
    "unknown-unit": ("idShortPath,value,valueType,unit\nSpeed,12,xs:int,furlongs\n",
                     "convert/UNIT_UNRESOLVED", ":2"),
    "duplicate-names": ("idShortPath,value\nSpeed,12\nSpeed,13\n", "convert/DUPLICATE", ":3"),
    "bad-value": ("idShortPath,value,valueType\nSpeed,fast,xs:int\n",
                  "convert/VALUE_UNCONVERTIBLE", ":2"),
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_tables_fail_without_output(tmp_path: Path, case: str) -> None:
    text, fragment, line = BAD_TABLES[case]
    source = bad_csv(tmp_path, text)
    before = source.read_bytes()
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1
    assert fragment in result.output and f"bad.csv{line}" in result.output, result.output
    assert "Traceback" not in result.output
    assert not out.exists() and source.read_bytes() == before


def test_bad_workbook_fails_without_output(tmp_path: Path) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(b"PK\x03\x04 truncated")
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1 and "not a readable zip archive" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("mapping", "payload", "fragment"),
    [
        ("invalid/unknown-key.yaml", "machine.json", "unknown-key.yaml:8:9"),
        ("machine.yaml", "broken.json", "broken.json:1:"),
    ],
)
def test_bad_mappings_and_payloads_fail_without_output(tmp_path: Path, mapping: str,
                                                       payload: str, fragment: str) -> None:
    data = ROOT / "tests" / "data" / "mapping"
    source = data / payload
    if payload == "broken.json":
        source = tmp_path / "broken.json"
        source.write_text('{"machine": ')
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--from", "mapping", "--option",
                 f"mapping={data / mapping}", "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1 and fragment in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()


def test_strict_fails_on_lossy_table_output(tmp_path: Path) -> None:
    path = corpus_path("templates", "published", *TEMPLATES["nameplate"])
    out = tmp_path / "t.csv"
    result = run("convert", str(path), "--to", "csv", "--strict", "-o", str(out))
    assert result.exit_code == 1 and "convert/DROPPED" in result.output
