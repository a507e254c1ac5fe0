"""Excel workbooks: hostile archives refused before openpyxl reads them; reproducible output."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from omp_models.aas.io import environment_from_jsonable, environment_to_jsonable
from omp_models.formats import ConvertOptions, IssueSeverity, Source, get_format
from omp_models.formats.table._grid import TableError
from omp_models.formats.table._xlsx import read_xlsx, sheet_titles, write_xlsx
from omp_models.limits import Limits


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None,
          replace: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


BASIC = workbook(("Spindle", [
    ["idShortPath", "modelType", "value", "valueType", "unit"],
    ["Spindle", "Submodel", "urn:example:sm:spindle", None, None],
    ["MaxSpeed", "Property", 12000, "xs:int", "1/min"],
    ["Power", "Property", 15.5, "xs:double", "kW"],
    ["Enabled", "Property", True, "xs:boolean", None],
    ["Commissioned", "Property", dt.datetime(2024, 3, 1), "xs:date", None],
    ["Formula", "Property", "=1+2", "xs:string", None],
]))


def test_typed_cells_become_lexical_values() -> None:
    env, report = get_format("xlsx").read(Source("w.xlsx", BASIC), ConvertOptions())
    assert not report.has_errors, report.issues
    els = {e["idShort"]: e for e in environment_to_jsonable(env)["submodels"][0][
        "submodelElements"]}
    assert els["MaxSpeed"]["value"] == "12000"
    assert els["Power"]["value"] == "15.5"
    assert els["Enabled"]["value"] == "true"
    assert els["Commissioned"]["value"] == "2024-03-01"
    # Formulas are read as their last computed value; this one was never computed.
    assert "value" not in els["Formula"]
    issue = next(i for i in report.issues if i.source == "Spindle!E3")
    assert issue.line == 3 and issue.column == 5  # the unit derived for 1/min


def test_each_sheet_is_a_table() -> None:
    data = workbook(("First", [["idShortPath", "value"], ["Alpha", "1"]]),
                    ("Empty", []),
                    ("Second Sheet", [[], ["idShortPath", "value"], ["Beta", "2"]]))
    env, report = get_format("xlsx").read(Source("w.xlsx", data), ConvertOptions())
    doc = environment_to_jsonable(env)
    assert sorted(sm["idShort"] for sm in doc["submodels"]) == ["First", "Second_Sheet"]
    assert {i.source for i in report.issues if "no Submodel row" in i.message} == {
        "First!1:1", "'Second Sheet'!2:2"}
    beta = next(i for i in report.issues if i.target and i.target.endswith("Beta"))
    assert beta.source == "'Second Sheet'!3:3" and beta.line == 3


def test_a_value_outside_the_header_is_an_error() -> None:
    data = workbook(("S", [["idShortPath", "value"], ["Alpha", "1", "stray"]]))
    _, report = get_format("xlsx").read(Source("w.xlsx", data), ConvertOptions())
    (issue,) = [i for i in report.issues if i.severity is IssueSeverity.ERROR]
    assert issue.source == "S!C2" and "no name in the header" in issue.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not a zip at all", "not a readable zip archive"),
        (BASIC[: len(BASIC) // 2], "not a readable zip archive"),
        (rezip(BASIC, add={"../evil.xml": b"<x/>"}), "path traversal"),
        (rezip(BASIC, replace={"xl/workbook.xml": b'<?xml version="1.0"?>\n<!DOCTYPE x '
                               b'[<!ENTITY a "b">]><workbook/>'}), "DOCTYPE"),
        (rezip(BASIC, replace={"xl/workbook.xml": b"<broken"}), "not a readable XLSX"),
        (rezip(BASIC, add={"xl/bomb.bin": b"\0" * (3 << 20)}), "zip bomb"),
    ],
)
def test_hostile_or_broken_workbooks_are_refused(data: bytes, fragment: str) -> None:
    limits = Limits(max_ratio=50)
    with pytest.raises(TableError, match=fragment):
        read_xlsx(data, "w.xlsx", limits)
    if fragment != "zip bomb":  # the default limits allow that ratio for 3 MiB
        _, report = get_format("xlsx").read(Source("w.xlsx", data), ConvertOptions())
        assert report.has_errors and fragment in report.issues[0].message


def test_limits_on_members_and_sizes() -> None:
    with pytest.raises(TableError, match="zip members"):
        read_xlsx(BASIC, "w.xlsx", Limits(max_members=3))
    with pytest.raises(TableError, match="larger than the limits"):
        read_xlsx(BASIC, "w.xlsx", Limits(max_member_size=100))
    with pytest.raises(TableError, match="larger than"):
        read_xlsx(BASIC, "w.xlsx", Limits(max_file_size=100))


def test_writing_is_reproducible_and_never_writes_formulas() -> None:
    sheets = [("Sheet", ["idShortPath", "value"], [["Ax", "=HYPERLINK(\"x\")"], ["Bx", ""]])]
    first, second = write_xlsx(sheets), write_xlsx(sheets)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    ws = load_workbook(io.BytesIO(first)).active
    assert ws["B2"].value == '=HYPERLINK("x")' and ws["B2"].data_type == "s"


def test_sheet_titles_are_valid_and_unique() -> None:
    titles = sheet_titles(["A/B", "a_b", "x" * 40, "x" * 40, ""])
    assert titles == ["A_B", "a_b_2", "x" * 31, "x" * 29 + "_2", "Sheet"]


def test_one_sheet_per_submodel_and_back() -> None:
    env, _ = get_format("xlsx").read(Source("w.xlsx", BASIC), ConvertOptions())
    doc = environment_to_jsonable(env)
    doc["submodels"].append({"modelType": "Submodel", "id": "urn:second", "idShort": "Second",
                             "submodelElements": [{"modelType": "Property", "idShort": "Px",
                                                   "valueType": "xs:string", "value": "v"}]})
    data, report = get_format("xlsx").write(environment_from_jsonable(doc), ConvertOptions())
    assert not report.issues
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Spindle", "Second"]
    again, report = get_format("xlsx").read(Source("w.xlsx", data), ConvertOptions())
    assert not report.has_errors
    assert environment_to_jsonable(again) == doc
