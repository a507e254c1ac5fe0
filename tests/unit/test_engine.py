"""The engine and its layers on small, hand-made documents."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import omp_validators
from omp_validators import InputError, ValidateOptions, expand_inputs, validate_bytes
from omp_validators.engine import _format_by_name
from omp_validators.report import FileResult
from tests.conftest import ROOT


def check(doc: Any, options: ValidateOptions | None = None, name: str = "doc.json") -> FileResult:
    return validate_bytes(json.dumps(doc, indent=1).encode(), name, options)


def rules(result: FileResult) -> list[str]:
    return [f.rule for f in result.findings]


def submodel(elements: list[dict[str, Any]], ident: str = "urn:x:sm") -> dict[str, Any]:
    return {"modelType": "Submodel", "id": ident, "idShort": "Sm", "submodelElements": elements}


# --- detection -----------------------------------------------------------------------------


def test_single_submodel_is_detected_by_model_type() -> None:
    result = check(submodel([{"modelType": "Property", "idShort": "p1", "valueType": "xs:int"}]))
    assert result.model_type == "Submodel" and result.ok


def test_untagged_reference_is_detected() -> None:
    result = check({"type": "ExternalReference",
                    "keys": [{"type": "GlobalReference", "value": "urn:a"}]})
    assert result.model_type == "Reference" and result.findings == ()


def test_language_string_is_ambiguous_and_says_so() -> None:
    result = check({"language": "en", "text": "hello"})
    assert result.ok
    assert rules(result) == ["aas/model-type-ambiguous"]
    assert result.model_type == "LangStringTextType"


def test_pinned_model_type_checks_that_class() -> None:
    options = ValidateOptions(model_type="LangStringShortNameTypeIec61360")
    result = check({"language": "en", "text": "a text longer than eighteen chars"}, options)
    assert sorted(rules(result)) == ["aas/max-length", "aas/version-undetermined"]
    assert result.version_source == "closest"


def test_unknown_model_type() -> None:
    result = check({"modelType": "Machine", "id": "x"})
    assert rules(result) == ["aas/model-type"]
    assert result.findings[0].location.path == "/modelType"


def test_pinned_model_type_must_match() -> None:
    result = check({"modelType": "Submodel", "id": "x"}, ValidateOptions(model_type="Property"))
    assert "aas/model-type" in rules(result)


def test_top_level_array_is_a_structure_error() -> None:
    result = check([1, 2])
    assert rules(result) == ["aas/structure"]


def test_json_version_is_the_one_that_matches() -> None:
    # idShort with a hyphen is valid in 3.1 only.
    doc = submodel([{"modelType": "Property", "idShort": "a-b", "valueType": "xs:int"}])
    auto = check(doc)
    assert (auto.aas_version, auto.version_source, auto.ok) == ("3.1", "matched", True)
    pinned = check(doc, ValidateOptions(aas_version="3.0"))
    assert rules(pinned) == ["AASd-002"] and pinned.version_source == "pinned"


def test_json_valid_in_30_only_matches_30() -> None:
    """aas-core3.1 rejects this valid 3.0 value (xs:anyURI lexical rules changed)."""
    path = (ROOT.parent / "shared/corpus/aas/testgen-3.0/test_data/Json/ContainedInEnvironment/"
            "Expected/Extension/OverValueExamples/Any_URI/fuzzed_01.json")
    if not path.exists():
        pytest.skip("corpus not available")
    result = validate_bytes(path.read_bytes(), str(path))
    assert (result.aas_version, result.version_source, result.findings) == ("3.0", "matched", ())


def test_invalid_in_both_versions_names_the_closest() -> None:
    doc = submodel([{"modelType": "Property", "idShort": "bad id", "valueType": "xs:int"}])
    result = check(doc)
    assert result.version_source == "closest"
    assert sorted(rules(result)) == ["AASd-002", "aas/version-undetermined"]


# --- environment rules ----------------------------------------------------------------------


def model_ref(*keys: tuple[str, str]) -> dict[str, Any]:
    return {"type": "ModelReference", "keys": [{"type": t, "value": v} for t, v in keys]}


def test_duplicate_id_names_both_places() -> None:
    prop = {"modelType": "Property", "idShort": "p1", "valueType": "xs:int"}
    env = {"submodels": [submodel([prop], "urn:dup"), submodel([prop], "urn:dup")]}
    result = check(env)
    assert rules(result) == ["env/duplicate-id"]
    finding = result.findings[0]
    assert finding.location.path == "/submodels/1/id"
    assert "/submodels/0/id" in finding.message
    assert finding.location.line is not None


def test_model_reference_resolution() -> None:
    target = submodel([
        {"modelType": "SubmodelElementCollection", "idShort": "Coll", "value": [
            {"modelType": "Property", "idShort": "Prop", "valueType": "xs:int"}]},
        {"modelType": "SubmodelElementList", "idShort": "List",
         "typeValueListElement": "Property", "valueTypeListElement": "xs:int",
         "value": [{"modelType": "Property", "valueType": "xs:int"}]},
    ], "urn:target")
    refs = [
        ("ok", model_ref(("Submodel", "urn:target"), ("SubmodelElementCollection", "Coll"),
                         ("Property", "Prop"))),
        ("abstract-key", model_ref(("Submodel", "urn:target"), ("SubmodelElement", "Coll"),
                                   ("DataElement", "Prop"))),
        ("list-index", model_ref(("Submodel", "urn:target"), ("SubmodelElementList", "List"),
                                 ("Property", "0"))),
        ("bad-index", model_ref(("Submodel", "urn:target"), ("SubmodelElementList", "List"),
                                ("Property", "3"))),
        ("missing-id", model_ref(("Submodel", "urn:nothing"))),
        ("wrong-type", model_ref(("Submodel", "urn:target"), ("File", "Coll"))),
        ("missing-child", model_ref(("Submodel", "urn:target"), ("Property", "Nope"))),
    ]
    source = submodel([{"modelType": "ReferenceElement", "idShort": name, "value": ref}
                       for name, ref in refs], "urn:source")
    result = check({"submodels": [target, source]})
    unresolved = {f.location.path: f.message for f in result.findings
                  if f.rule == "env/unresolved-reference"}
    assert set(unresolved) == {f"/submodels/1/submodelElements/{i}/value" for i in (3, 4, 5, 6)}
    assert "urn:nothing" in unresolved["/submodels/1/submodelElements/4/value"]
    assert "is a SubmodelElementCollection" in unresolved["/submodels/1/submodelElements/5/value"]
    assert result.ok  # warnings only
    assert all(f.severity.value == "warning" for f in result.findings)


def test_model_reference_written_with_escapes_is_still_resolved() -> None:
    """The quick "any ModelReference at all?" test must see through JSON escapes."""
    ref = model_ref(("Submodel", "urn:nothing"))
    doc = {"submodels": [submodel([{"modelType": "ReferenceElement", "idShort": "r",
                                    "value": ref}], "urn:source")]}
    text = json.dumps(doc, indent=1).replace('"ModelReference"', '"Model\\u0052eference"')
    assert "ModelReference" not in text
    result = validate_bytes(text.encode(), "doc.json")
    assert rules(result) == ["env/unresolved-reference"]
    assert result.findings[0].location.path == "/submodels/0/submodelElements/0/value"


def test_environment_rules_see_references_in_any_class() -> None:
    """A ModelReference outside submodel elements (a shell's submodels) is resolved too."""
    shell = {"modelType": "AssetAdministrationShell", "id": "urn:aas",
             "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:asset"},
             "submodels": [model_ref(("Submodel", "urn:absent"))]}
    result = check({"assetAdministrationShells": [shell]})
    assert rules(result) == ["env/unresolved-reference"]
    assert result.findings[0].location.path == "/assetAdministrationShells/0/submodels/0"


def test_missing_concept_description_is_info_when_cds_exist() -> None:
    semantic = {"type": "ExternalReference", "keys": [{"type": "GlobalReference",
                                                        "value": "urn:cd:unknown"}]}
    prop = {"modelType": "Property", "idShort": "p1", "valueType": "xs:int",
            "semanticId": semantic}
    env = {"submodels": [submodel([prop])]}
    assert rules(check(env)) == []
    env["conceptDescriptions"] = [{"modelType": "ConceptDescription", "id": "urn:cd:known"}]
    result = check(env)
    assert rules(result) == ["env/missing-concept-description"]
    assert result.findings[0].location.path == "/submodels/0/submodelElements/0/semanticId"


def test_environment_rules_in_xml_use_xml_paths() -> None:
    data = (ROOT / "examples/invalid/duplicate-ids.xml").read_bytes()
    result = validate_bytes(data, "dup.xml")
    paths = {f.rule: f.location.path for f in result.findings}
    assert paths["env/duplicate-id"] == "/environment/submodels/*[2]/id"
    assert paths["env/unresolved-reference"] == (
        "/environment/submodels/*[2]/submodelElements/*[1]/value")


# --- inputs ---------------------------------------------------------------------------------


def test_expand_inputs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/1.json", "a/2.XML", "a/3.txt", "b.aasx", "c.json"):
        (tmp_path / name).write_text("{}")
    got = expand_inputs([tmp_path / "a", str(tmp_path / "*.json"), tmp_path / "c.json", "-"])
    assert got == [str(tmp_path / "a/1.json"), str(tmp_path / "a/2.XML"),
                   str(tmp_path / "c.json"), "-"]
    with pytest.raises(InputError):
        expand_inputs([tmp_path / "missing.json"])
    with pytest.raises(InputError):
        expand_inputs([str(tmp_path / "*.nothing")])


def test_public_api_is_small_and_resolves() -> None:
    for name in omp_validators.__all__:
        assert not name.startswith("_") or name == "__version__"
        assert getattr(omp_validators, name) is not None
    with pytest.raises(AttributeError):
        omp_validators.no_such_name  # noqa: B018


def test_findings_are_deterministic_and_sorted() -> None:
    data = (ROOT / "examples/invalid/wrong-value-type.json").read_bytes()
    first = validate_bytes(data, "x.json")
    second = validate_bytes(data, "x.json")
    assert first == second
    keys = [f.sort_key() for f in first.findings]
    assert keys == sorted(keys)
    assert len({f.fingerprint for f in first.findings}) == len(first.findings)


def test_xsi_schema_location_is_not_an_aas_error() -> None:
    data = (ROOT / "examples/valid/spindle-3.1.xml").read_bytes().replace(
        b'<environment xmlns="https://admin-shell.io/aas/3/1">',
        b'<environment xmlns="https://admin-shell.io/aas/3/1" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="https://admin-shell.io/aas/3/1 AAS.xsd">',
    )
    assert b"schemaLocation" in data
    assert validate_bytes(data, "x.xml").findings == ()
    other = data.replace(b"xsi:schemaLocation", b"foo")
    assert not validate_bytes(other, "y.xml").ok  # other attributes are still errors


_NAME_PARTS = st.sampled_from(["a", ".", "..", "/", "json", "JSON", ".json", ".xml", ".AASX",
                               ".aasx", "x.y", " ", "-", os.sep])


@given(st.lists(_NAME_PARTS, max_size=7).map("".join))
def test_format_by_name_is_the_splitext_extension(name: str) -> None:
    """The cheap extension test agrees with os.path.splitext on every name shape."""
    suffix = os.path.splitext(name)[1].lower()
    expected = suffix[1:] if suffix in (".json", ".xml", ".aasx") else None
    assert _format_by_name(name) == expected


@pytest.mark.parametrize(("name", "fmt"), [
    ("a.json", "json"), ("dir/B.XML", "xml"), ("p.aasx", "aasx"), (".json", None),
    ("dir/..json", None), ("a..json", "json"), ("dir.json/x", None), ("x.json.bak", None),
])
def test_format_by_name_examples(name: str, fmt: str | None) -> None:
    assert _format_by_name(name) == fmt
