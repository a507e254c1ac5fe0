"""The DTDL v2/v3 validator: located findings for the language rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omp_models.diagnostics import Severity
from omp_models.formats.dtdl import (
    escape_to_dtmi,
    parse_dtmi,
    read_dtdl,
    unescape_dtmi,
    validate_dtdl,
)
from omp_models.formats.dtdl._resolve import FolderResolver
from tests.conftest import ROOT, corpus_path

DATA = ROOT / "tests" / "data" / "dtdl"
V3 = "dtmi:dtdl:context;3"
QT = "dtmi:dtdl:extension:quantitativeTypes;1"


def interface(*contents: dict[str, Any], context: Any = V3, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"@context": context, "@id": "dtmi:com:example:T;1",
                           "@type": "Interface", **extra}
    if contents:
        doc["contents"] = list(contents)
    return doc


def check(doc: Any, **kw: Any) -> list[tuple[str, str | None]]:
    text = json.dumps(doc, indent=2)
    return [(f.rule, f.location.path) for f in validate_dtdl(text, "t.json", **kw)]


def test_a_valid_interface_has_no_findings() -> None:
    assert check(interface({"@type": "Property", "name": "speed", "schema": "double"})) == []


def test_findings_are_located_by_pointer_line_and_column() -> None:
    text = json.dumps(interface({"@type": "Property", "name": "bad name", "schema": "double"}),
                      indent=2)
    (finding,) = validate_dtdl(text, "t.json")
    assert finding.rule == "dtdl/value"
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "/contents/0/name"
    assert finding.location.line == 8 and finding.location.column == 15
    assert "stringInvalid" in finding.message


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    data = "\ufeff".encode() + json.dumps(interface()).encode()
    assert validate_dtdl(data) == []


def test_an_array_of_interfaces_is_one_document() -> None:
    doc = json.loads((DATA / "press-line.json").read_text())
    assert isinstance(doc, list) and len(doc) == 2
    assert check(doc) == []


def test_the_v2_samples_are_valid_together() -> None:
    folder = corpus_path("formats", "dtdl", "opendigitaltwins-dtdl", "DTDL", "v2", "samples")
    documents = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.json"))]
    model = read_dtdl(documents)
    # TemperatureController also uses the public DeviceInformation interface
    assert [(p.code, p.source) for p in model.problems] == [
        ("unresolvedReference", "TemperatureController.json")]
    assert {i.id for i in model.interfaces()} == {
        "dtmi:com:example:TemperatureController;1", "dtmi:com:example:Thermostat;1"}


@pytest.mark.parametrize(("doc", "rule", "pointer"), [
    (b'{"@context": "dtmi:dtdl:context;3", "@id"', "dtdl/json", ""),
    ("NaN", "dtdl/json", ""),
    ('"just a string"', "dtdl/json", ""),
    ({"@id": "dtmi:com:example:T;1", "@type": "Interface"}, "dtdl/context", ""),
    (interface(context=[QT, V3]), "dtdl/context", "/@context/0"),
    (interface(context=[V3, "dtmi:com:example:ctx;1"]), "dtdl/context", "/@context/1"),
    (interface(context="dtmi:dtdl:context;4"), "dtdl/context", "/@context"),
    ({**interface(), "@id": "dtmi:dtdl:mine;1"}, "dtdl/id", ""),
    ({**interface(), "@id": "urn:example:T"}, "dtdl/id", ""),
    ({**interface(), "@type": "Telemetry", "name": "t", "schema": "double"},
     "dtdl/type", ""),
    (interface({"@type": "Property", "name": "x", "schema": "strung"}), "dtdl/reference",
     "/contents/0/schema"),
    (interface({"@type": "Property", "name": "x"}), "dtdl/property", "/contents/0"),
    (interface({"@type": "Property", "name": "x", "schema": "double", "unit": "bar"}),
     "dtdl/property", "/contents/0/unit"),
    (interface({"@type": "Property", "name": "x", "schema": "double", "writable": "yes"}),
     "dtdl/value", "/contents/0/writable"),
    (interface(displayName={"english": "x"}), "dtdl/value", "/displayName/english"),
    (interface(displayName=[{"@value": "a", "@language": "en"}, "b"]), "dtdl/unique",
     "/displayName/1"),
])
def test_bad_documents_give_located_findings(doc: Any, rule: str, pointer: str) -> None:
    text = doc if isinstance(doc, bytes | str) else json.dumps(doc)
    findings = validate_dtdl(text, "t.json")
    assert findings, "expected a finding"
    assert (rule, pointer) in [(f.rule, f.location.path) for f in findings]


def test_duplicate_names_are_refused() -> None:
    doc = interface({"@type": "Property", "name": "x", "schema": "double"},
                    {"@type": "Telemetry", "name": "x", "schema": "double"})
    assert ("dtdl/unique", "/contents/1") in check(doc)


def test_inherited_names_must_be_unique_too() -> None:
    base = interface({"@type": "Property", "name": "x", "schema": "double"})
    base["@id"] = "dtmi:com:example:Base;1"
    child = interface({"@type": "Telemetry", "name": "x", "schema": "double"},
                      extends="dtmi:com:example:Base;1")
    assert "dtdl/unique" in [rule for rule, _ in check([base, child])]


def test_cyclic_extends_is_found() -> None:
    a = {**interface(extends="dtmi:com:example:B;1"), "@id": "dtmi:com:example:A;1"}
    b = {**interface(extends="dtmi:com:example:A;1"), "@id": "dtmi:com:example:B;1"}
    assert check([a, b]) == [("dtdl/cycle", "/0"), ("dtdl/cycle", "/1")]


def test_extends_nests_at_most_ten_levels() -> None:
    def chain(depth: int) -> dict[str, Any]:
        doc = interface()
        inner = doc
        for level in range(depth):
            nested = {"@id": f"dtmi:com:example:L{level};1", "@type": "Interface"}
            inner["extends"] = nested
            inner = nested
        return doc

    assert check(chain(10)) == []
    assert [rule for rule, _ in check(chain(11))] == ["dtdl/limit"]


def test_complex_schemas_nest_at_most_five_levels() -> None:
    def arrays(depth: int) -> dict[str, Any]:
        schema: Any = "double"
        for _ in range(depth):
            schema = {"@type": "Array", "elementSchema": schema}
        return interface({"@type": "Telemetry", "name": "t", "schema": schema})

    assert check(arrays(5)) == []
    assert [rule for rule, _ in check(arrays(6))] == ["dtdl/limit"]


def test_v2_limits_differ_from_v3() -> None:
    long_name = "n" * 65
    doc = interface({"@type": "Property", "name": long_name, "schema": "double"})
    assert check(doc) == []  # v3: 512 characters
    doc["@context"] = "dtmi:dtdl:context;2"
    assert check(doc) == [("dtdl/value", "/contents/0/name")]  # v2: 64
    array = {"@type": "Array", "elementSchema": "double"}
    doc = interface({"@type": "Property", "name": "p", "schema": array},
                    context="dtmi:dtdl:context;2")
    assert [rule for rule, _ in check(doc)] == ["dtdl/structure"]  # no Arrays in v2 Properties


def test_interface_dtmis_have_at_most_128_characters() -> None:
    doc = interface()
    doc["@id"] = "dtmi:com:" + "x" * 120 + ";1"
    assert [rule for rule, _ in check(doc)] == ["dtdl/limit"]


def test_components_do_not_nest() -> None:
    inner = {"@id": "dtmi:com:example:In;1", "@type": "Interface"}
    middle = {"@id": "dtmi:com:example:Mid;1", "@type": "Interface",
              "contents": [{"@type": "Component", "name": "c", "schema": inner}]}
    doc = interface({"@type": "Component", "name": "c", "schema": middle})
    assert "dtdl/structure" in [rule for rule, _ in check(doc)]


def test_v2_semantic_types_need_a_unit_of_their_kind() -> None:
    v2 = "dtmi:dtdl:context;2"
    ok = interface({"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double",
                    "unit": "degreeCelsius"}, context=v2)
    assert check(ok) == []
    wrong = interface({"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double",
                       "unit": "metre"}, context=v2)
    assert ("dtdl/type", "/contents/0/unit") in check(wrong)
    missing = interface({"@type": ["Telemetry", "Temperature"], "name": "t",
                         "schema": "double"}, context=v2)
    assert ("dtdl/property", "/contents/0") in check(missing)


def test_v3_quantitative_types_need_their_extension_context() -> None:
    content = {"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double",
               "unit": "degreeCelsius"}
    assert check(interface(content, context=[V3, QT])) == []
    assert ("dtdl/type", "/contents/0") in check(interface(content))
    wrong_unit = {**content, "unit": "kilogram"}
    assert ("dtdl/reference", "/contents/0/unit") in check(
        interface(wrong_unit, context=[V3, QT]))
    text_schema = {**content, "schema": "string"}
    assert ("dtdl/structure", "/contents/0") in check(interface(text_schema, context=[V3, QT]))


def test_undefined_extensions_are_refused_in_v3_unless_allowed() -> None:
    doc = interface({"@context": "dtmi:com:example:ext;1", "@type": ["Property", "Special"],
                     "name": "p", "schema": "double", "special": 3})
    assert [rule for rule, _ in check(doc)] == ["dtdl/context"]
    assert check(doc, allow_undefined_extensions=True) == []


def test_language_tagged_strings_in_every_form() -> None:
    for display in ("Hello", {"en": "Hello", "de": "Hallo"},
                    [{"@value": "Hello", "@language": "en"}, {"@value": "Hallo",
                                                              "@language": "de"}],
                    [{"@value": "Hello"}]):
        assert check(interface(displayName=display)) == [], display
    assert check(interface(displayName={"EN": "x"})) == [("dtdl/value", "/displayName/EN")]


def test_dtmis_parse_and_escape_reversibly() -> None:
    dtmi = parse_dtmi("dtmi:com:example:Thermostat;1.2")
    assert dtmi is not None and (dtmi.major, dtmi.minor) == (1, 2)
    assert parse_dtmi("dtmi:com:example:1bad;1") is None
    for identifier in ("0173-1#02-AAO677#002", "https://admin-shell.io/idta/x/3/0",
                       "urn:a_b", "Ölmenge μm", "dtmi:com:example:X;1"):
        escaped = escape_to_dtmi(identifier)
        assert parse_dtmi(escaped) is not None
        assert unescape_dtmi(escaped) == identifier


def test_dependencies_resolve_from_folders(tmp_path: Path) -> None:
    base = {**interface({"@type": "Property", "name": "x", "schema": "double"}),
            "@id": "dtmi:com:example:Base;1"}
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "notes.json").write_text('{"not": "dtdl"}')
    child = json.dumps(interface(extends="dtmi:com:example:Base;1"))
    alone = read_dtdl([("child.json", child)])
    assert [p.code for p in alone.problems] == ["unresolvedReference"]
    resolved = read_dtdl([("child.json", child)], resolver=FolderResolver([tmp_path]))
    assert resolved.problems == []
    assert resolved.roots == ["dtmi:com:example:T;1", "dtmi:com:example:Base;1"]


def test_adt_explorer_exports_are_read_as_their_models() -> None:
    path = corpus_path("formats", "dtdl", "opendigitaltwins-aas", "Sample",
                       "07_PhoenixContact ADTExplorer Export.json")
    model = read_dtdl([(path.name, path.read_bytes())])
    assert model.problems == []
    assert len(model.interfaces()) == 66
    assert model.interfaces()[0].pointer == "/digitalTwinsModels/0"


def test_hostile_json_gives_findings_not_crashes() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert [f.rule for f in validate_dtdl(deep)] == ["dtdl/json"]
    assert [f.rule for f in validate_dtdl(b"\xff\xfe{}")] == ["dtdl/json"]
    nested: Any = "double"
    for _ in range(400):
        nested = {"@type": "Array", "elementSchema": nested}
    findings = validate_dtdl(json.dumps(interface({"@type": "Telemetry", "name": "t",
                                                   "schema": nested})))
    assert findings and all(f.severity is Severity.ERROR for f in findings)
