"""Templates as data: cardinality spellings, qualifiers, semanticIds, counters, loading."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from omp_models.templates import (
    ONE,
    ONE_TO_MANY,
    ZERO_TO_MANY,
    ZERO_TO_ONE,
    AllowedRange,
    Cardinality,
    LoadOptions,
    TemplateLoadError,
    build_template,
    is_arbitrary,
    is_cardinality_type,
    is_template_qualifier_type,
    load_template_file,
    load_templates,
    near_miss,
    parse_cardinality,
    read_template_file,
    semantic_id_of,
    value_allowed,
    value_fits,
)
from omp_models.templates._lint import lint_template
from tests.conftest import ROOT, corpus_path

WIDGET = ROOT / "tests" / "data" / "templates" / "widget-template.json"
PUBLISHED = ("templates", "published")


# --- cardinality --------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected", "odd"), [
    ("One", ONE, False),
    ("ZeroToOne", ZERO_TO_ONE, False),
    ("ZeroToMany", ZERO_TO_MANY, False),
    ("OneToMany", ONE_TO_MANY, False),
    ("ZerotoMany", ZERO_TO_MANY, True),
    ("ZeroToOne ", ZERO_TO_ONE, True),
    ("ZerotoOne", ZERO_TO_ONE, True),
    ("ZerotToOne", ZERO_TO_ONE, True),
    ("zero to many", ZERO_TO_MANY, True),
    ("0..*", ZERO_TO_MANY, True),
    ("Three", Cardinality(3, 3), True),
    ("TwoToMany", Cardinality(2, None), True),
])
def test_cardinality_values_are_normalised(written: str, expected: Cardinality,
                                           odd: bool) -> None:
    parsed, note = parse_cardinality(written)
    assert parsed == expected
    assert (note is not None) is odd


@pytest.mark.parametrize("written", ["Recursive", "", None, "1..0", "Many"])
def test_meaningless_cardinality_values_are_none_with_a_note(written: object) -> None:
    parsed, note = parse_cardinality(written)
    assert parsed is None
    assert note is not None


def test_cardinality_names_and_bounds() -> None:
    assert [c.name for c in (ONE, ZERO_TO_ONE, ZERO_TO_MANY, ONE_TO_MANY)] == [
        "One", "ZeroToOne", "ZeroToMany", "OneToMany"]
    assert Cardinality(3, 3).name == "Three" and not Cardinality(3, 3).standard
    assert Cardinality(2, None).name == "TwoToMany"
    assert ONE.admits(1) and not ONE.admits(2) and not ONE.admits(0)
    assert ONE_TO_MANY.admits(7) and ZERO_TO_ONE.admits(0)
    assert ONE.mandatory and not ZERO_TO_ONE.mandatory and ZERO_TO_MANY.repeatable


@pytest.mark.parametrize("qualifier_type", [
    "SMT/Cardinality", "Cardinality", "Multiplicity", "SMT/SMT/Cardinality", "smt/cardinality"])
def test_every_cardinality_spelling_is_recognised(qualifier_type: str) -> None:
    assert is_cardinality_type(qualifier_type)
    assert is_template_qualifier_type(qualifier_type)


def test_template_qualifier_types() -> None:
    for qtype in ("SMT/ExampleValue", "SMT/AllowedValue1", "FormChoices", "AllowedIdShort",
                  "PresetIdShort", "EditIdShort", "SMT/EitherOr"):
        assert is_template_qualifier_type(qtype), qtype
    for qtype in ("LifeCycleQual", "RequiredAtDQL", "Constraint", None):
        assert not is_template_qualifier_type(qtype), qtype


# --- values, semanticIds ------------------------------------------------------------------


def test_allowed_values_read_as_regex_list_and_pipe_list() -> None:
    assert value_allowed("green", ["red;green;blue"])
    assert not value_allowed("yellow", ["red;green;blue"])
    assert value_allowed("bad", ["good | bad | uncertain | others"])
    assert value_allowed("V1.2", [r"V\d+\.\d+"])
    assert not value_allowed("V1", [r"V\d+\.\d+"])
    assert value_allowed("Purchaser", ["Purchaser", "Consignee"])


def test_allowed_range_forms() -> None:
    closed = AllowedRange.parse("[0,100]")
    assert closed is not None and closed.contains(Decimal(0)) and closed.contains(Decimal(100))
    assert not closed.contains(Decimal("100.5"))
    half = AllowedRange.parse("(0,1]")
    assert half is not None and not half.contains(Decimal(0)) and half.contains(Decimal(1))
    dots = AllowedRange.parse("0..10")
    assert dots is not None and dots.high == Decimal(10)
    assert AllowedRange.parse("between zero and ten") is None


def test_value_types_use_the_metamodel_lexical_rules() -> None:
    assert value_fits("2024-02-29", "xs:date") and not value_fits("yesterday", "xs:date")
    assert value_fits("42", "xs:int") and not value_fits("4.2", "xs:int")
    assert not value_fits("x", "xs:notAType")
    assert value_fits("anything", None)


@pytest.mark.parametrize(("actual", "expected", "reason"), [
    ("0112/2///61987#ABA951#008", "0112/2///61987#ABA951#009", "another IRDI version"),
    ("https://admin-shell.io/idta/nameplate/3/0/Nameplate/",
     "https://admin-shell.io/idta/nameplate/3/0/Nameplate", "trailing '/'"),
    ("https://admin-shell.io/zvei/nameplate/2/0/Nameplate",
     "https://admin-shell.io/idta/nameplate/2/0/Nameplate", "'zvei' instead of 'idta'"),
    ("http://admin-shell.io/idta/x", "https://admin-shell.io/idta/x", "'http' instead"),
    ("https://api.eclass-cdp.com/0173-1-02-ABI002-003", "0173-1#02-ABI002#003", "ECLASS IRI"),
])
def test_near_misses_name_the_difference(actual: str, expected: str, reason: str) -> None:
    found = near_miss(actual, expected)
    assert found is not None and reason in found


def test_different_ids_and_equal_ids_are_no_near_miss() -> None:
    assert near_miss("0112/2///61987#ABA951#009", "0112/2///61987#ABA951#009") is None
    assert near_miss("0112/2///61987#ABA951#009", "0112/2///61987#ABA952#009") is None
    assert near_miss("https://admin-shell.io/idta/nameplate/2/0/Nameplate",
                     "https://admin-shell.io/idta/nameplate/3/0/Nameplate") is None


def test_semantic_id_of_references() -> None:
    reference = {"type": "ExternalReference", "keys": [{"type": "GlobalReference",
                                                        "value": "urn:x"}]}
    assert semantic_id_of(reference) == "urn:x"
    assert semantic_id_of({"keys": []}) is None
    assert semantic_id_of("urn:x") is None
    assert is_arbitrary("https://admin-shell.io/SMT/General/ArbitraryProp", "Anything")
    assert not is_arbitrary("urn:x", "ArbitraryName")


# --- the widget template ------------------------------------------------------------------


def test_widget_template_reads_every_qualifier() -> None:
    template = load_templates(WIDGET)[0]
    assert template.semantic_id == "https://example.com/smt/Widget/1/0"
    assert template.version == "1.0" and template.kind == "Template"
    by_path = {e.display_path: e for e in template.walk()}
    assert by_path["Name"].required_langs == ("en", "de")
    assert by_path["Colour"].cardinality == ZERO_TO_ONE
    assert by_path["Colour"].cardinality_qualifier == "Cardinality"
    assert by_path["Colour"].allowed_values == ("red;green;blue",)
    assert by_path["Load"].cardinality == ZERO_TO_ONE  # "ZeroToOne " via Multiplicity
    assert by_path["Load"].allowed_range is not None
    assert by_path["Load"].example_values == ("42",)
    assert by_path["SerialNumber"].either_or == "Identity"
    assert by_path["SerialNumber"].cardinality_qualifier == "SMT/SMT/Cardinality"
    assert by_path["Part__00__/PartNumber"].cardinality == ONE  # no qualifier: One
    assert by_path["Ratings[]"].in_list and by_path["Ratings[]"].id_short is None
    assert by_path["Extras/ArbitraryProperty"].arbitrary
    assert by_path["Mode"].cardinality == Cardinality(3, 3)
    assert by_path["Mode"].form_choices == ("auto", "manual")


def test_counters_expand_and_match() -> None:
    part = load_templates(WIDGET)[0].find("Part__00__")
    assert part is not None and part.has_counter and not part.fixed_id_short
    assert [part.instance_id_short(n) for n in (1, 2, 12)] == ["Part01", "Part02", "Part12"]
    assert part.accepts_id_short("Part07") and part.accepts_id_short("Part123")
    assert not part.accepts_id_short("Partial")


def test_curly_counters_and_allowed_id_short_patterns() -> None:
    submodel = {
        "idShort": "T", "id": "urn:t", "modelType": "Submodel",
        "submodelElements": [
            {"idShort": "Marking{00}", "modelType": "Property", "valueType": "xs:string"},
            {"idShort": "DigitalFile", "modelType": "File", "contentType": "text/plain",
             "qualifiers": [{"type": "AllowedIdShort", "value": "DigitalFile[\\d{2,3}]"}]},
        ],
    }
    template = build_template(submodel)
    marking, digital = template.elements
    assert marking.instance_id_short(3) == "Marking03"
    assert marking.accepts_id_short("Marking12")
    assert digital.allowed_id_short == "DigitalFile\\d{2,3}"  # the character class repaired
    assert digital.instance_id_short(1) == "DigitalFile01"
    rules = [f.rule for f in lint_template(template)]
    assert rules.count("smt-lint/allowed-value") == 2  # the repair, and its own idShort


def test_missing_cardinality_default_is_configurable() -> None:
    submodel = {"idShort": "T", "id": "urn:t", "modelType": "Submodel", "submodelElements": [
        {"idShort": "A", "modelType": "Property", "valueType": "xs:string"},
        {"idShort": "L", "modelType": "SubmodelElementList", "typeValueListElement": "Property",
         "value": [{"modelType": "Property", "valueType": "xs:string"}]}]}
    default = build_template(submodel)
    assert default.elements[0].cardinality == ONE
    assert default.elements[1].children[0].cardinality == ZERO_TO_MANY
    lenient = build_template(submodel, options=LoadOptions(missing_cardinality=ZERO_TO_ONE))
    assert lenient.elements[0].cardinality == ZERO_TO_ONE


def test_lint_reports_each_oddity_of_the_widget() -> None:
    template = load_templates(WIDGET)[0]
    found = {(f.rule, f.location.path) for f in lint_template(template)}
    assert ("smt-lint/cardinality-spelling", "/submodels/0/submodelElements/1/qualifiers/0/type"
            ) in found  # Cardinality
    assert ("smt-lint/cardinality-spelling",
            "/submodels/0/submodelElements/1/qualifiers/0/value") in found  # ZerotoOne
    assert ("smt-lint/cardinality-spelling",
            "/submodels/0/submodelElements/2/qualifiers/0/value") in found  # "ZeroToOne "
    assert ("smt-lint/cardinality-spelling",
            "/submodels/0/submodelElements/3/qualifiers/0/type") in found  # SMT/SMT/...
    assert ("smt-lint/cardinality-value",
            "/submodels/0/submodelElements/8/qualifiers/0/value") in found  # Three
    assert ("smt-lint/cardinality-missing", "/submodels/0/submodelElements/5/value/0") in found
    assert ("smt-lint/qualifier-kind", "/submodels/0/submodelElements/1/qualifiers/0") in found


def test_lint_example_values_either_or_and_lists() -> None:
    submodel = {"idShort": "T", "id": "urn:t", "kind": "Template", "modelType": "Submodel",
                "submodelElements": [
        {"idShort": "N", "modelType": "Property", "valueType": "xs:int",
         "semanticId": {"type": "ExternalReference", "keys": [{"type": "GlobalReference",
                                                             "value": "urn:n"}]},
         "qualifiers": [{"type": "SMT/ExampleValue", "value": "many",
                         "kind": "TemplateQualifier"},
                        {"type": "SMT/EitherOr", "value": "G", "kind": "TemplateQualifier"},
                        {"type": "SMT/Cardinality", "value": "One",
                         "kind": "TemplateQualifier"}]},
        {"idShort": "L", "modelType": "SubmodelElementList", "typeValueListElement": "Property",
         "semanticId": {"type": "ExternalReference", "keys": [{"type": "GlobalReference",
                                                             "value": "urn:l"}]},
         "qualifiers": [{"type": "SMT/Cardinality", "value": "One",
                         "kind": "TemplateQualifier"}]}]}
    findings = lint_template(build_template(submodel))
    rules = sorted(f.rule for f in findings)
    assert rules == ["smt-lint/either-or", "smt-lint/either-or", "smt-lint/example-value",
                     "smt-lint/list-element", "smt-lint/missing-semantic-id"]
    missing = next(f for f in findings if f.rule == "smt-lint/missing-semantic-id")
    assert missing.severity.value == "error" and missing.location.path == ""


# --- loading ------------------------------------------------------------------------------


def test_json_and_aasx_of_the_same_template_agree() -> None:
    folder = corpus_path(*PUBLISHED, "Digital nameplate", "3", "0", "1")
    from_json = load_templates(folder / "IDTA 02006-3-0-1_Template_Digital Nameplate.json")[0]
    from_aasx = load_templates(folder / "IDTA 02006-3-0-1_Template_Digital Nameplate.aasx")[0]
    assert from_aasx.source_kind == "xml" and from_aasx.member is not None
    assert from_json.aas_version == "3.0" and from_aasx.aas_version == "3.0"
    assert from_json.idta == "02006" and from_json.version == "3.0.1"
    assert [e.display_path for e in from_json.walk()] == [e.display_path for e in
                                                          from_aasx.walk()]
    assert [e.cardinality for e in from_json.walk()] == [e.cardinality for e in
                                                         from_aasx.walk()]


def test_metamodel_3_1_templates_load() -> None:
    folder = corpus_path(*PUBLISHED, "Contact Information", "1", "0", "1")
    template = load_templates(
        folder / "IDTA 02002-1-0-1_Template_ContactInformation_forAASMetamodelV3.1.aasx")[0]
    assert template.aas_version == "3.1"
    assert template.find("ContactInformation/IPCommunication__00__") is not None


def test_forms_files_load_as_templates() -> None:
    path = corpus_path(*PUBLISHED, "Provision of Simulation Models", "1", "0",
                       "IDTA 02005-1-0_GenericForm_ProvisionOfSimulationModels.json")
    template = load_templates(path)[0]
    assert template.source_kind == "forms"
    assert template.semantic_id == "https://admin-shell.io/idta/SimulationModels/SimulationModels/1/0"
    model = template.find("SimulationModel{00}")
    assert model is not None and model.cardinality == ZERO_TO_MANY
    assert model.instance_id_short(2) == "SimulationModel02"
    assert any(e.form_choices for e in template.walk())
    assert next(f.rule for f in lint_template(template)) == "smt-lint/forms-format"


def test_several_submodels_and_instances_load() -> None:
    path = corpus_path(*PUBLISHED, "MTP", "1", "0",
                       "IDTA 02001-1-0_Subomdel_MTPv1.0-rc2-with-documentation.json")
    file = load_template_file(path)
    assert len(file.templates) == 6
    assert sorted({t.kind or "" for t in file.templates}) == ["Instance", "Template"]


@pytest.mark.parametrize(("name", "data", "why"), [
    ("bad.json", b"{not json", "not JSON"),
    ("list.json", b"[1, 2]", "not an object"),
    ("other.json", b'{"hello": "world"}', "neither"),
    ("evil.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>',
     "DOCTYPE"),
    ("ns.xml", b'<environment xmlns="urn:other"/>', "namespace"),
])
def test_unreadable_files_are_problems_not_exceptions(name: str, data: bytes,
                                                      why: str) -> None:
    file = read_template_file(data, name)
    assert file.templates == ()
    assert why in file.problems[0][1]


def test_aasx_without_spec_part_is_a_problem() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    file = read_template_file(buffer.getvalue(), "empty.aasx")
    assert file.templates == () and file.problems


def test_load_templates_raises_for_files_without_templates(tmp_path: Path) -> None:
    path = tmp_path / "nothing.json"
    path.write_text('{"submodels": []}', encoding="utf-8")
    with pytest.raises(TemplateLoadError, match="holds no submodel"):
        load_templates(path)
    with pytest.raises(TemplateLoadError, match="cannot read"):
        load_templates(tmp_path / "missing.json")


def test_deeply_nested_templates_are_a_problem_not_a_crash() -> None:
    depth = 500
    data = ('{"submodels":[{"idShort":"Deep","id":"urn:deep","modelType":"Submodel",'
            '"submodelElements":[' + "".join(
                f'{{"idShort":"L{i}","modelType":"SubmodelElementCollection","value":['
                for i in range(depth)) + "]}" * depth + "]}]}").encode()
    file = read_template_file(data, "deep.json")
    assert file.templates == ()
    assert file.problems == ((None, "the document is nested too deeply to be read"),)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                     st.sampled_from(["Property", "SubmodelElementCollection", "One",
                                      "SubmodelElementList", "SMT/Cardinality", "xs:int",
                                      "Entity", "Operation", "{00}", "ZerotoMany"]))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["idShort", "modelType", "value", "valueType", "type",
                                     "semanticId", "keys", "qualifiers", "kind",
                                     "statements", "inputVariables", "min", "max"]),
                    inner, max_size=5)), max_leaves=25)


@settings(max_examples=80, deadline=None)
@given(elements=st.lists(_JSON, max_size=5))
# Found by this test: qualifiers that are not a list broke instantiate.
@example(elements=[{"value": None, "qualifiers": True, "modelType": ""}])
def test_odd_templates_load_lint_and_instantiate_without_exceptions(elements: list[object]
                                                                     ) -> None:
    from omp_models.templates import instantiate

    template = build_template({"idShort": "T", "modelType": "Submodel",
                               "submodelElements": elements})
    for finding in lint_template(template):
        assert finding.rule.startswith("smt-lint/")
    assert instantiate(template, "minimal").submodel["kind"] == "Instance"
    assert instantiate(template, "maximal").submodel["kind"] == "Instance"
