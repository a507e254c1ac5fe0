"""The table formats (csv, xlsx): reading rows into submodels, every coercion reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import (
    Code,
    ConversionReport,
    ConvertOptions,
    IssueSeverity,
    Source,
    get_format,
)
from omp_models.formats._aasjson import (
    SEMANTIC_ID_MISSING,
    VALUE_LIST_LIKE,
    decimal_comma,
    reference_from_text,
    reference_to_text,
    resolve_unit,
)
from omp_models.formats.table._columns import parse_path
from omp_models.formats.table._profile import BUILTIN, load_profile
from tests.conftest import corpus_path

HEADER = "idShortPath,modelType,value,valueType,unit,unitCode,semanticId,description\n"
SUBMODEL = "Spindle,Submodel,urn:example:sm:spindle,,,,urn:example:semantics:spindle,\n"


def read(text: str, name: str = "t.csv", **extra: str) -> tuple[dict[str, Any],
                                                                 ConversionReport]:
    env, report = get_format("csv").read(Source(name, text.encode()),
                                         ConvertOptions(extra=dict(extra)))
    return environment_to_jsonable(env), report


def elements(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Elements of the first submodel by idShortPath."""
    out: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]], prefix: str) -> None:
        for i, el in enumerate(items):
            path = f"{prefix}[{i}]" if "idShort" not in el else (
                f"{prefix}.{el['idShort']}" if prefix else el["idShort"])
            out[path] = el
            walk(el.get("value", []) if isinstance(el.get("value"), list) and el[
                "modelType"] in ("SubmodelElementCollection", "SubmodelElementList") else [],
                 path)
            walk(el.get("statements", []), path)

    walk(doc["submodels"][0].get("submodelElements", []), "")
    return out


def codes(report: ConversionReport) -> list[str]:
    return [i.code.value for i in report.issues]


def errors(report: ConversionReport) -> list[tuple[str | None, str]]:
    return [(i.source, i.message) for i in report.issues if i.severity is IssueSeverity.ERROR]


# --- the synthetic datasheet of the shared corpus ---------------------------------------


def test_synthetic_datasheet_reports_each_case_at_its_cell() -> None:
    path = corpus_path("formats", "csv-excel", "synthetic", "technical_data_sheet.csv")
    doc, report = read(path.read_text(encoding="utf-8"), path.name)
    assert not report.has_errors
    assert report.meta["profile"] == "technical-data"
    els = elements(doc)
    power = els["TechnicalProperties.SpindlePower"]
    assert power["value"] == "15.5" and power["valueType"] == "xs:double"
    assert {"name": "src:csv:value", "valueType": "xs:string", "value": "15,5"} in power[
        "extensions"]
    travel = els["TechnicalProperties.TravelX"]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    assert travel["unit"] == "mm"
    assert travel["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:MMT"
    assert els["GeneralInformation.ManufacturerName"]["displayName"] == [
        {"language": "en", "text": "Manufacturer name"}]
    assert els["GeneralInformation"]["semanticId"]["keys"][0]["value"] == (
        "0173-1#02-ABK161#002/0173-1#01-AHX838#002")
    by_code = {(i.code, i.source) for i in report.issues}
    assert (Code.PRESERVED_AS_EXTENSION, "#cell=5,4") in by_code  # decimal comma
    assert (Code.ID_DERIVED, "#cell=6,7") in by_code  # "mm" without a unit code
    assert (VALUE_LIST_LIKE, "#cell=7,4") in by_code  # "OPC UA;MTConnect"
    missing = [i.source for i in report.issues
               if i.code is SEMANTIC_ID_MISSING and "no semanticId" in i.message]
    assert missing == ["#cell=4,8", "#cell=5,8", "#cell=6,8", "#cell=7,8"]
    assert report.issues[0].code is Code.ID_DERIVED  # the submodel id
    assert doc["submodels"][0]["id"] == "urn:omp-toolkit:table/technical_data_sheet/TechnicalData"


# --- the aas profile --------------------------------------------------------------------


def test_aas_profile_builds_every_element_kind() -> None:
    rows = (
        HEADER + SUBMODEL
        + "Speed,Property,1200,xs:int,1/min,RPM,0173-1#02-AAA001#001,Nominal speed\n"
        + "Name,MultiLanguageProperty,,,,,0173-1#02-AAA002#001,\n"
        + "Limits,Range,10..20.5,xs:double,°C,,0173-1#02-AAA003#001,\n"
        + "Manual,File,/aasx/manual.pdf,application/pdf,,,0173-1#02-AAA004#001,\n"
        + "Link,ReferenceElement,\"[ModelRef](Submodel)urn:x, (Property)Temp\",,,,"
          "0173-1#02-AAA005#001,\n"
        + "Axes,SubmodelElementList,SubmodelElementCollection,,,,urn:axes,\n"
        + "Axes[0],SubmodelElementCollection,,,,,urn:axis,\n"
        + "Axes[0].Travel,Property,800,xs:double,mm,MMT,urn:travel,\n"
        + "Axes[1],SubmodelElementCollection,,,,,urn:axis,\n"
        + "Tags,SubmodelElementList,Property,xs:string,,,urn:tags,\n"
        + "Tags[0],Property,fast,xs:string,,,,\n"
        + "Deep.Er.Value,Property,x,xs:string,,,urn:v,\n"
    )
    doc, report = read(rows)
    assert not report.has_errors, errors(report)
    els = elements(doc)
    assert els["Speed"]["value"] == "1200" and els["Speed"]["description"] == [
        {"language": "en", "text": "Nominal speed"}]
    assert (els["Limits"]["min"], els["Limits"]["max"]) == ("10.0", "20.5")
    assert els["Manual"]["contentType"] == "application/pdf"
    assert els["Link"]["value"] == {"type": "ModelReference", "keys": [
        {"type": "Submodel", "value": "urn:x"}, {"type": "Property", "value": "Temp"}]}
    axes = els["Axes"]
    assert axes["typeValueListElement"] == "SubmodelElementCollection"
    assert axes["semanticIdListElement"]["keys"][0]["value"] == "urn:axis"
    assert "idShort" not in els["Axes[0]"]
    assert els["Tags"]["valueTypeListElement"] == "xs:string"
    assert els["Deep"]["modelType"] == "SubmodelElementCollection"
    assert ("DEFAULTED", "#cell=14,1") in [(i.code.value, i.source) for i in report.issues]


def test_language_columns_make_multi_language_properties() -> None:
    text = ("idShortPath,value@en,value@de,description@de,displayName@en\n"
            "Designation,Press,Presse,Bezeichnung,Designation\n")
    doc, report = read(text)
    assert not report.has_errors
    el = elements(doc)["Designation"]
    assert el["modelType"] == "MultiLanguageProperty"
    assert el["value"] == [{"language": "de", "text": "Presse"},
                           {"language": "en", "text": "Press"}]
    assert el["description"] == [{"language": "de", "text": "Bezeichnung"}]


@pytest.mark.parametrize(
    ("row", "source", "code", "fragment"),
    [
        ("A,Property,abc,xs:double,,,,", "#cell=3,3", Code.VALUE_UNCONVERTIBLE,
         "not a valid xs:double"),
        ("A,Property,\"1,234\",xs:double,,,,", "#cell=3,3", Code.VALUE_UNCONVERTIBLE,
         "ambiguous"),
        ("A,Property,1,xs:float64,,,,", "#cell=3,4", Code.INVALID_INPUT,
         "not an XSD value type"),
        ("A,Widget,,,,,,", "#cell=3,2", Code.INVALID_INPUT, "unknown modelType"),
        ("A,Property,5,xs:double,furlongs,,,", "#cell=3,5", Code.UNIT_UNRESOLVED,
         "not in the unit registry"),
        ("A,Property,5,xs:double,,QQQ,,", "#cell=3,6", Code.UNIT_UNRESOLVED,
         "not a UNECE Rec 20 unit code"),
        ("A,Property,5,xs:double,mm,KGM,,", "#cell=3,6", Code.UNIT_UNRESOLVED, "MMT"),
        ("[0].Ax,Property,5,xs:double,,,,", "#cell=3,1", Code.INVALID_INPUT,
         "is not an idShortPath"),
        ("Li[0],Property,5,xs:double,,,,", "#cell=3,1", Code.INVALID_INPUT,
         "whose row is missing"),
        ("Li[0].Ax[1].Bx,Property,5,xs:double,,,,", "#cell=3,1", Code.INVALID_INPUT,
         "whose row is missing"),
        ("A,Property,x,xs:string,,,(Bogus)x,", "#cell=3,7", Code.INVALID_INPUT,
         "not a reference"),
        ("A,File,x,not a mime,,,,", "#cell=3,4", Code.INVALID_INPUT, "content type"),
        ("A,SubmodelElementCollection,x,,,,,", "#cell=3,3", Code.INVALID_INPUT, "no value"),
        ("A,Range,5,xs:int,,,,", "#cell=3,3", Code.INVALID_INPUT, "MIN..MAX"),
    ],
)
def test_bad_cells_are_located_errors(row: str, source: str, code: Code, fragment: str
                                      ) -> None:
    _, report = read(HEADER + SUBMODEL + row + "\n")
    assert report.has_errors
    found = [i for i in report.issues if i.severity is IssueSeverity.ERROR]
    assert (found[0].code, found[0].source) == (code, source), found
    assert fragment in found[0].message
    assert found[0].line == 3 and found[0].file == "t.csv"


def test_lenient_units_keep_the_text() -> None:
    doc, report = read(HEADER + SUBMODEL + "Ax,Property,5,xs:double,furlongs,,,\n",
                       units="lenient")
    assert not report.has_errors
    issue = next(i for i in report.issues if i.code is Code.UNIT_UNRESOLVED)
    assert issue.severity is IssueSeverity.LOSSY and issue.original == "furlongs"
    content = elements(doc)["Ax"]["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["unit"] == "furlongs" and "unitId" not in content


def test_duplicate_paths_and_submodel_ids_are_errors() -> None:
    _, report = read(HEADER + SUBMODEL + "A,Property,1,xs:int,,,,\nA,Property,2,xs:int,,,,\n"
                     + SUBMODEL)
    dup = [(i.source, i.message) for i in report.issues if i.code is Code.DUPLICATE]
    assert dup[0][0] == "#cell=4,1" and "already defined on row 3" in dup[0][1]
    assert dup[1][0] == "#cell=5,3" and "submodel id" in dup[1][1]


def test_invalid_and_colliding_id_shorts_are_renamed_and_kept() -> None:
    doc, report = read(HEADER + SUBMODEL + "Max Speed,Property,1,xs:int,,,,\n"
                       "max_speed,Property,2,xs:int,,,,\n")
    els = elements(doc)
    assert set(els) == {"Max_Speed", "max_speed_2"}
    assert els["Max_Speed"]["extensions"] == [
        {"name": "src:csv:idShort", "valueType": "xs:string", "value": "Max Speed"}]
    renamed = [i.original for i in report.issues if i.code is Code.IDSHORT_RENAMED]
    assert renamed == ["Max Speed", "max_speed"]


def test_list_items_must_fit_the_list() -> None:
    base = HEADER + SUBMODEL + "L,SubmodelElementList,Property,xs:int,,,,\n"
    _, report = read(base + "L[0],Range,1..2,xs:int,,,,\n")
    assert "holds Property items" in errors(report)[0][1]
    _, report = read(base + "L[1],Property,1,xs:int,,,,\n")
    assert "expected [0], found [1]" in errors(report)[0][1]
    _, report = read(base + "L[0],Property,1,xs:long,,,,\n")
    assert "items are xs:int" in errors(report)[0][1]
    _, report = read(base + "L[0],Property,1,xs:int,,,urn:a,\nL[1],Property,1,xs:int,,,urn:b,\n")
    assert "AASd-114" in errors(report)[0][1]


@pytest.mark.parametrize(
    ("text", "fragment", "source"),
    [
        ('idShortPath,value\nA,"unterminated\n', "malformed CSV", None),
        ("idShortPath,value\nA,1,2\n", "has 3 fields but the header has 2", "#row=2"),
        ("idShortPath,value\nA\n", "has 1 fields", "#row=2"),
        ("idShortPath,value\nA,\x001\n", "NUL", "#row=2"),
        ("", "no header row", None),
        ("name,value\nA,1\n", "cannot tell the column profile", "#row=1"),
        ("idShortPath,value,colour\nA,1,red\n", "unknown column 'colour'", "#cell=1,3"),
        ("idShortPath,value,value\nA,1,2\n", "same role as column 2", "#cell=1,3"),
        ("idShortPath,value,\nA,1,x\n", "no name in the header", "#cell=1,3"),
    ],
)
def test_malformed_tables_are_located_errors(text: str, fragment: str, source: str | None
                                             ) -> None:
    _, report = read(text)
    found = errors(report)
    assert found and fragment in found[0][1], found
    if source is not None:
        assert found[0][0] == source


def test_a_named_profile_needs_its_columns() -> None:
    _, report = read("modelType,value\nProperty,1\n", profile="aas")
    assert errors(report) == [("#row=1", "the header has no 'idShortPath' column (the profile "
                                         "'aas' needs it to know where each row goes)")]


def test_encoding_and_delimiter_options() -> None:
    data = "idShortPath;value;valueType\nGewicht;98,5;xs:double\nOrt;Köln;xs:string\n"
    env, report = get_format("csv").read(Source("t.csv", data.encode("cp1252")),
                                         ConvertOptions())
    assert "not utf-8 text" in errors(report)[0][1]
    env, report = get_format("csv").read(Source("t.csv", data.encode("cp1252")),
                                         ConvertOptions(extra={"encoding": "cp1252"}))
    els = elements(environment_to_jsonable(env))
    assert els["Gewicht"]["value"] == "98.5" and els["Ort"]["value"] == "Köln"
    env, _ = get_format("csv").read(Source("t.tsv", b"idShortPath\tvalue\nAx\tx,y\n"),
                                    ConvertOptions())
    assert elements(environment_to_jsonable(env))["Ax"]["value"] == "x,y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15,5", ("15.5", False)), ("-0,25", ("-0.25", False)), ("1.234,5", ("1234.5", False)),
     ("0,125", ("0.125", False)), (",5", ("0.5", False)), ("1,234", (None, True)),
     ("12,345", (None, True)), ("15.5", (None, False)), ("abc", (None, False))],
)
def test_decimal_comma(text: str, expected: tuple[str | None, bool]) -> None:
    assert decimal_comma(text) == expected


@pytest.mark.parametrize(
    "text", ["0173-1#02-AAO677#002", "[ModelRef](Submodel)urn:x, (Property)Temp",
             "[ExternalRef](GlobalReference)a, (GlobalReference)b", "https://x.org/a, b"],
)
def test_reference_text_round_trip(text: str) -> None:
    assert reference_to_text(reference_from_text(text)) == text


def test_unit_resolution() -> None:
    unit, problem = resolve_unit("1/min", "RPM")
    assert problem is None and unit is not None and unit.code == "RPM" and not unit.derived
    unit, problem = resolve_unit("°C", "")
    assert unit is not None and unit.code == "CEL" and unit.derived
    unit, problem = resolve_unit("mm", "0173-1#05-AAA480#003")
    assert problem is None and unit is not None and unit.unit_id is not None
    assert resolve_unit("", "") == (None, None)


@pytest.mark.parametrize(("text", "tokens"), [
    ("A", ["A"]), ("A.B[0].C", ["A", "B", 0, "C"]), ("L[0][1]", ["L", 0, 1]),
    ("A..B", None), ("", None), ("A[x]", None)])
def test_parse_path(text: str, tokens: list[str | int] | None) -> None:
    assert parse_path(text) == tokens


def test_profiles(tmp_path: Path) -> None:
    assert load_profile("aas") is BUILTIN["aas"]
    good = tmp_path / "acme.yaml"
    good.write_text("profile: 1\nname: acme\ncolumns:\n  Merkmal: idShort\n  Gruppe: group\n"
                    "  Wert: value\n  Einheit: unit\n  Notiz: ignore\n"
                    "submodel: {idShort: Datenblatt}\ngroups: {Allgemein: urn:g}\n")
    data = "Gruppe,Merkmal,Wert,Einheit,Notiz\nAllgemein,Gewicht,98,t,egal\n"
    env, report = get_format("csv").read(Source("d.csv", data.encode()),
                                         ConvertOptions(extra={"profile": str(good)}))
    doc = environment_to_jsonable(env)
    assert doc["submodels"][0]["idShort"] == "Datenblatt"
    assert elements(doc)["Allgemein"]["semanticId"]["keys"][0]["value"] == "urn:g"
    assert report.meta["profile"] == "acme"
    for body, fragment in [
        ("profile: 2\ncolumns: {a: idShort}\n", "at /profile"),
        ("profile: 1\ncolumns: {a: colour}\n", "unknown role 'colour'"),
        ("profile: 1\ncolumns: {a: value}\n", "no column to idShortPath or idShort"),
        ("profile: 1\ncolumns: {a: idShort, b: idShort}\n", "several columns"),
        ("profile: [1\n", "not YAML"),
    ]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(body)
        _, report = get_format("csv").read(Source("d.csv", data.encode()),
                                           ConvertOptions(extra={"profile": str(bad)}))
        assert fragment in errors(report)[0][1], body
    _, report = get_format("csv").read(Source("d.csv", data.encode()),
                                       ConvertOptions(extra={"profile": "nope"}))
    assert "no such built-in profile" in errors(report)[0][1]


# --- writing ----------------------------------------------------------------------------


def test_writer_reports_what_a_table_cannot_hold() -> None:
    env_doc = {"submodels": [{
        "modelType": "Submodel", "id": "urn:sm", "idShort": "Sm", "kind": "Template",
        "submodelElements": [
            {"modelType": "Property", "idShort": "P1", "valueType": "xs:int", "value": "1",
             "qualifiers": [{"type": "SMT/Cardinality", "valueType": "xs:string",
                             "value": "One"}], "category": "PARAMETER"},
            {"modelType": "Operation", "idShort": "Op"},
        ]}]}
    from omp_models.aas.io import environment_from_jsonable

    data, report = get_format("csv").write(environment_from_jsonable(env_doc), ConvertOptions())
    dropped = sorted(i.source or "" for i in report.issues if i.code is Code.DROPPED)
    assert dropped == ["/submodels/0/submodelElements/0/category",
                       "/submodels/0/submodelElements/0/qualifiers",
                       "/submodels/0/submodelElements/1"]
    lines = data.decode().splitlines()
    assert lines[1] == "Sm,Submodel,urn:sm,Template,,,,"  # the kind is kept
    assert lines[2] == "P1,Property,1,xs:int,,,,"


def test_units_without_a_code_are_written_as_such() -> None:
    doc, report = read(HEADER + SUBMODEL + "Emission,Property,5,xs:double,CO2eq,-,,\n")
    assert not report.has_errors
    content = elements(doc)["Emission"]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    assert content["unit"] == "CO2eq" and "unitId" not in content
    from omp_models.aas.io import environment_from_jsonable

    data, _ = get_format("csv").write(environment_from_jsonable(doc), ConvertOptions())
    assert data.decode().splitlines()[2] == "Emission,Property,5,xs:double,CO2eq,-,,"


def test_valid_id_shorts_are_kept_for_the_target_version() -> None:
    text = HEADER + SUBMODEL + "Mode__00__,Property,1,xs:int,,,,\nX,Property,1,xs:int,,,,\n"
    doc, _ = read(text)
    assert set(elements(doc)) == {"Mode__00__", "X_"}  # 3.1 needs two characters
    env, _ = get_format("csv").read(Source("t.csv", text.encode()),
                                    ConvertOptions(aas_version="3.0"))
    assert set(elements(environment_to_jsonable(env))) == {"Mode__00__", "X"}


def test_csv_output_is_rfc_4180() -> None:
    doc, _ = read(HEADER + SUBMODEL + 'Ax,Property,"x, ""quoted""\nline",xs:string,,,,\n')
    from omp_models.aas.io import environment_from_jsonable

    data, _ = get_format("csv").write(environment_from_jsonable(doc), ConvertOptions())
    assert data.endswith(b"\r\n") and b'"x, ""quoted""\nline"' in data
    again, report = read(data.decode())
    assert not report.has_errors and elements(again)["Ax"]["value"] == 'x, "quoted"\nline'


def test_json_of_the_report_is_stable() -> None:
    path = corpus_path("formats", "csv-excel", "synthetic", "technical_data_sheet.csv")
    first = read(path.read_text(encoding="utf-8"), path.name)[1].to_json()
    assert first == read(path.read_text(encoding="utf-8"), path.name)[1].to_json()
    assert json.loads(first)["summary"]["error"] == 0
