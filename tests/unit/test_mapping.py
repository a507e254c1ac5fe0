"""The mapping format: selectors, conversions, payloads, and what a mapping builds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import (
    Code,
    ConversionIssue,
    ConversionReport,
    ConvertOptions,
    IssueSeverity,
    Source,
    get_format,
)
from omp_models.formats._aasjson import UNIT_CONVERTED
from omp_models.formats.mapping._convert import LINEAR, format_number, linear, transform
from omp_models.formats.mapping._payload import PayloadError, read_payload
from omp_models.formats.mapping._select import SelectorError, parse_selector
from omp_models.formats.mapping._spec import Template
from omp_models.limits import Limits
from omp_models.units import units
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "mapping"
DOC = {"a": {"b": [{"c": 1, "k": "x"}, {"c": 2, "k": "y"}, {"c": True}]}, "n m": {"x": 5},
       "z": None}


@pytest.mark.parametrize(
    ("selector", "values"),
    [("$.a.b[*].c", [1, 2, True]), ("$.a.b[-1].c", [True]), ("/a/b/1/c", [2]),
     ("$['n m'].x", [5]), ('$["n m"].x', [5]), ("$.a.b[?(@.k == 'y')].c", [2]),
     ("$.a.b[?(@.k != 'y')].c", [1, True]), ("$.a.b[?(@.c == true)].c", [True]),
     ("$.a.b[?(@.c == 1)].c", [1]), ("$.a.b[?(@.k)].k", ["x", "y"]), ("$.a.b[9]", []),
     ("$.missing.deeper", []), ("$.z", [None]), ("$", [DOC])],
)
def test_selectors(selector: str, values: list[Any]) -> None:
    assert [m.value for m in parse_selector(selector).find(DOC)] == values


def test_matches_know_where_they_are() -> None:
    found = parse_selector("$.a.b[*].c").find(DOC)
    assert [m.tokens for m in found] == [("a", "b", 0, "c"), ("a", "b", 1, "c"),
                                         ("a", "b", 2, "c")]
    item = found[0]
    relative = parse_selector("@").find(DOC, item)
    assert relative == [item]


@pytest.mark.parametrize("text", ["a.b", "$..a", "$.a[", "$.a[?(@.b > 1)]", "$.a b", ""])
def test_bad_selectors(text: str) -> None:
    with pytest.raises(SelectorError):
        parse_selector(text)


def test_templates() -> None:
    tpl = Template.parse("urn:x:{$.a.b[0].k}:{index:3}:{{lit}}")
    assert tpl.relative
    assert [type(p).__name__ for p in tpl.parts] == ["str", "Selector", "str", "int", "str",
                                                     "str", "str", "str"]
    with pytest.raises(SelectorError, match="unbalanced"):
        Template.parse("urn:{$.a")
    with pytest.raises(SelectorError, match="not a selector"):
        Template.parse("urn:{a}")


def test_conversion_table_uses_known_units() -> None:
    for quantity in LINEAR.values():
        for code in quantity:
            assert units().by_code(code) is not None, code


@pytest.mark.parametrize(
    ("source", "target", "value", "expected"),
    [("FAH", "CEL", 212.0, 100.0), ("CEL", "KEL", 0.0, 273.15), ("INH", "MMT", 1.0, 25.4),
     ("BAR", "PS", 1.0, 14.503773773), ("RPM", "HTZ", 60.0, 1.0), ("KWH", "JOU", 1.0, 3.6e6)],
)
def test_unit_conversions(source: str, target: str, value: float, expected: float) -> None:
    conversion = linear(source, target)
    assert conversion is not None
    assert conversion.apply(value) == pytest.approx(expected)
    assert linear(source, "KGM") is None


@pytest.mark.parametrize(
    ("value", "value_type", "text"),
    [(45.00000000000001, "xs:double", "45"), (0.1 + 0.2, "xs:double", "0.3"),
     (1e-7, "xs:double", "1e-07"), (1e-7, "xs:decimal", "0.0000001"), (3.0, "xs:int", "3"),
     (3.5, "xs:int", None), (float("inf"), "xs:double", "INF"), (float("nan"), "xs:int", None)],
)
def test_numbers_are_written_for_their_type(value: float, value_type: str,
                                            text: str | None) -> None:
    assert format_number(value, value_type) == text


@pytest.mark.parametrize(
    ("name", "value", "result"),
    [("epoch-ms-to-datetime", 1714983302120, ("2024-05-06T08:15:02.120Z", True)),
     ("epoch-s-to-datetime", 0, ("1970-01-01T00:00:00Z", True)), ("round", 2.5, (2, True)),
     ("round", 3, (3, False)), ("string", 2021, ("2021", True)), ("string", True, ("true", True)),
     ("trim", " a ", ("a", True)), ("uppercase", "ab", ("AB", True))],
)
def test_transforms(name: str, value: object, result: tuple[object, bool]) -> None:
    assert transform(name, value) == result


@pytest.mark.parametrize(("name", "value"), [("round", "x"), ("epoch-ms-to-datetime", True),
                                             ("trim", 3), ("string", [1])])
def test_transforms_refuse_unsuitable_values(name: str, value: object) -> None:
    with pytest.raises(ValueError):
        transform(name, value)


# --- payloads ---------------------------------------------------------------------------


def test_payload_locators() -> None:
    data = b'{\n  "a": {"b": [1,\n    2]}\n}\n'
    payload = read_payload(data, "json", {}, Limits())
    assert payload.locate(("a", "b", 1)) == ("/a/b/1", 3, 5)
    lines = read_payload(b'{"x": 1}\n\n{"x": 2, "y": {"z": 3}}\n', "jsonl", {}, Limits())
    assert lines.root == [{"x": 1}, {"x": 2, "y": {"z": 3}}]
    assert lines.locate((1, "y", "z")) == ("/1/y/z", 3, 21)
    rows = read_payload(b"key;value\n\nspeed;12\nempty;\n", "csv", {}, Limits())
    assert rows.root == [{"key": "speed", "value": "12"}, {"key": "empty"}]
    assert rows.locate((0, "value")) == ("#cell=2,2", 3, None)


@pytest.mark.parametrize(
    ("data", "kind", "fragment", "line"),
    [(b'{"a": 1,}', "json", "not JSON", 1), (b'{"a": 1}\n{"b": \n', "jsonl", "line 2", 2),
     (b"a,b\n1,2,3\n", "csv", "3 fields", 2), (b'a,b\n"1,2\n', "csv", "malformed", 2),
     (b"a,a\n1,2\n", "csv", "repeated", 1), (b"", "csv", "empty", None),
     (b"\xff\xfe", "csv", "not utf-8", 1)],
)
def test_bad_payloads_are_located(data: bytes, kind: str, fragment: str, line: int | None
                                  ) -> None:
    with pytest.raises(PayloadError, match=fragment) as info:
        read_payload(data, kind, {}, Limits())
    assert info.value.line == line


# --- building ---------------------------------------------------------------------------


def convert(payload: bytes, mapping: str, name: str = "p.json", tmp: Path | None = None,
            **extra: str) -> tuple[dict[str, Any], ConversionReport]:
    options = ConvertOptions(extra={"mapping": mapping, **extra})
    env, report = get_format("mapping").read(Source(name, payload), options)
    return environment_to_jsonable(env), report


def test_the_machine_mapping_builds_every_kind_of_rule() -> None:
    doc, report = convert((DATA / "machine.json").read_bytes(), str(DATA / "machine.yaml"))
    assert not report.has_errors, report.issues
    (sm,) = doc["submodels"]
    els = {e["idShort"]: e for e in sm["submodelElements"]}
    assert sm["id"] == "urn:example:sm:EM-4711"
    assert doc["assetAdministrationShells"][0]["assetInformation"]["globalAssetId"] == (
        "urn:example:asset:EM-4711")
    assert els["Vendor"]["value"] == [{"language": "en", "text": "Example Machines GmbH"}]
    identity = {e["idShort"]: e for e in els["Identity"]["value"]}
    assert identity["Serial"]["value"] == "EM-4711" and identity["Built"]["value"] == "2021"
    assert els["Identity"]["semanticId"]["keys"][0]["value"] == "urn:example:identity"
    assert els["State"]["value"] == "running"
    assert els["Power"]["value"] == "15.5"
    assert els["ReadingCount"] == {**els["ReadingCount"], "value": "3", "valueType": "xs:long"}
    assert els["Note"]["value"] == "Serial EM-4711, {not a placeholder}"
    assert [t["value"] for t in els["Tags"]["value"]] == ["milling", "5-axis"]
    assert els["Tags"]["semanticIdListElement"]["keys"][0]["value"] == "urn:example:tag"
    axes = els["Axes"]["value"]
    assert [a["idShort"] for a in axes] == ["X_", "Y_", "Z_axis"]
    assert axes[0]["value"][0]["value"] == "800.1"
    unit = axes[0]["value"][0]["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert (unit["unit"], unit["unitId"]["keys"][0]["value"]) == (
        "mm", "urn:un:unece:uncefact:rec20:MMT")
    readings = els["SpindleTemperatures"]["value"]
    assert [r["idShort"] for r in readings] == ["Reading00", "Reading01", "Reading02"]
    assert readings[0]["value"][0]["value"] == "2024-05-06T08:15:02.120000+00:00"
    assert readings[0]["value"][1]["value"] == "40.0"
    assert "value" not in readings[2]["value"][1]  # null in the payload
    summary = {(i.code, i.message.split(" (")[0]) for i in report.issues}
    assert (UNIT_CONVERTED, "converted 2 values") in summary
    assert (Code.DEFAULTED, "1 of 3 values were missing in the payload: those elements "
            "have no value") in summary
    assert all(i.file == str(DATA / "machine.yaml") for i in report.issues)


def errors(report: ConversionReport) -> list[ConversionIssue]:
    return [i for i in report.issues if i.severity is IssueSeverity.ERROR]


def write_mapping(tmp_path: Path, body: str) -> str:
    path = tmp_path / "m.yaml"
    path.write_text("mapping: 1\nsubmodels:\n  - idShort: Data\n    elements:\n" + body)
    return str(path)


def test_value_problems_are_located_in_the_payload(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "      - {path: Speed, valueType: xs:int, from: $.speed}\n"
                                      "      - {path: Name, from: '$.names[*]'}\n")
    payload = b'{\n  "speed": "fast",\n  "names": ["a", "b"]\n}\n'
    _, report = convert(payload, mapping)
    first, second = errors(report)
    assert (first.file, first.source, first.line, first.column) == ("p.json", "/speed", 2, 12)
    assert "'fast' is not a valid xs:int" in first.message and "m.yaml:5" in first.message
    assert (second.source, second.line, second.column) == ("/names/1", 3, 18)
    assert "found 2 values" in second.message


def test_errors_per_rule_are_capped(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "      - path: Values\n        type: SubmodelElementList\n"
                            "        forEach: $[*]\n"
                            "        item: {type: Property, valueType: xs:int, from: '@'}\n")
    _, report = convert(json.dumps(["x"] * 20).encode(), mapping)
    located = [i for i in report.issues if i.file == "p.json"]
    assert len(located) == 5
    assert report.issues[-1].message == "15 more values of this rule could not be used"


def test_required_values_and_templates(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "      - {path: Serial, from: $.serial, required: true}\n")
    _, report = convert(b"{}", mapping)
    assert "the required value '$.serial' is missing" in errors(report)[0].message
    path = tmp_path / "id.yaml"
    path.write_text("mapping: 1\nsubmodels:\n  - idShort: Data\n    id: 'urn:{$.serial}'\n"
                    "    elements: []\n")
    _, report = convert(b"{}", str(path))
    assert (errors(report)[0].line, errors(report)[0].column) == (4, 9)
    assert "found no value" in errors(report)[0].message


def test_without_a_mapping_option_nothing_is_read() -> None:
    env, report = get_format("mapping").read(Source("p.json", b"{}"), ConvertOptions())
    assert report.has_errors and "--option mapping=FILE" in report.issues[0].message
    assert not list(env.store)


def test_units_from_the_payload(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "      - path: Props\n"
                            "        type: SubmodelElementCollection\n"
                            "        forEach: $[*]\n        item:\n          idShort: '{@.k}'\n"
                            "          valueType: xs:double\n          from: '@.v'\n"
                            "          unit: '{@.u}'\n")
    payload = b'[{"k": "Width", "v": 2, "u": "mm"}, {"k": "Mass", "v": 3}]'
    doc, report = convert(payload, mapping)
    assert not report.has_errors
    width, mass = doc["submodels"][0]["submodelElements"][0]["value"]
    assert width["embeddedDataSpecifications"][0]["dataSpecificationContent"]["unit"] == "mm"
    assert "embeddedDataSpecifications" not in mass
    _, report = convert(b'[{"k": "Width", "v": 2, "u": "cubits"}]', mapping)
    assert errors(report)[0].code is Code.UNIT_UNRESOLVED and errors(report)[0].source == "/0"


def test_csv_payloads_are_rows(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "      - {path: Speed, valueType: xs:double, "
                                      "from: \"$[?(@.key == 'speed')].value\"}\n")
    doc, report = convert(b"key,value\nspeed,12.5\n", mapping, "p.csv")
    assert doc["submodels"][0]["submodelElements"][0]["value"] == "12.5"
    _, report = convert(b"key,value\nspeed,fast\n", mapping, "p.csv")
    assert errors(report)[0].source == "#cell=2,2" and errors(report)[0].line == 2


def test_runaway_foreach_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from omp_models.formats.mapping import _build

    monkeypatch.setattr(_build, "MAX_ITEMS", 10)
    mapping = write_mapping(tmp_path, "      - path: Values\n        type: SubmodelElementList\n"
                            "        forEach: $[*]\n"
                            "        item: {type: Property, valueType: xs:int, from: '@'}\n")
    _, report = convert(json.dumps(list(range(50))).encode(), mapping)
    (error,) = errors(report)
    assert "more than 10 forEach items" in error.message and error.line == 5


def test_two_submodels_with_one_id_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("mapping: 1\nsubmodels:\n  - {idShort: First, id: 'urn:x', elements: []}\n"
                    "  - {idShort: Second, id: 'urn:x', elements: []}\n")
    _, report = convert(b"{}", str(path))
    (error,) = errors(report)
    assert error.code is Code.DUPLICATE and (error.line, error.column) == (4, 27)
